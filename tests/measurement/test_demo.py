"""The demo survey: Eastmere's residents at the seeds' levels, officials expecting less."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest

from coproduce.demo.world import load_demo_world
from coproduce.measurement.demo import WAVE_LABEL, load_demo_survey
from coproduce.measurement.models import Answer, OfficialEstimate, Respondent, SurveyWave

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def _answers() -> list[tuple[str, str, int | None]]:
    return list(Answer.objects.order_by("pk").values_list("respondent__key", "item__code", "score"))


@pytest.mark.django_db
def test_the_demo_survey_shows_the_seeds_levels_and_the_gap(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    # The demo world loads the survey; its results are computed after the commit.
    with django_capture_on_commit_callbacks(execute=True):
        load_demo_world(seed=2012)
    wave = SurveyWave.objects.get(label=WAVE_LABEL)
    assert wave.owner.slug == "eastmere-county-council"
    assert wave.area.code == "DEMO-EASTMERE"
    assert Respondent.objects.filter(wave=wave).count() == 300
    assert set(Respondent.objects.values_list("stratum", flat=True)) == {
        "DEMO-BRACKENHOLT",
        "DEMO-EASTMERE-VALE",
    }
    assert OfficialEstimate.objects.filter(wave=wave).count() == 12
    result = wave.results.latest()
    assert result.status == "ok", result.message
    index = {row["sector"]: row["estimate"] for row in result.results["index"]}
    assert index["local-environment"] == pytest.approx(61, abs=5)
    assert index["public-health"] == pytest.approx(54, abs=5)
    assert index["community-safety"] == pytest.approx(45, abs=5)
    assert all(row["gap"] < 0 and row["outside_ci"] for row in result.results["gap"])
    assert result.results["reach"]["available"] is True

    answers = _answers()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        load_demo_survey(seed=99)
    assert not callbacks
    assert _answers() == answers
