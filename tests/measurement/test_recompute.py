"""A wave's results: the index, groups, gap and reach, stored as a WaveResult."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from coproduce.analysis.survey import estimate_mean
from coproduce.core.choices import AgeBand, Sex
from coproduce.measurement import results as results_module
from coproduce.measurement.models import ResultStatus, SurveyWave, WaveResult
from coproduce.measurement.services import (
    wave_import_officials,
    wave_import_responses,
    wave_recompute,
)
from coproduce.measurement.tasks import recompute_wave
from coproduce.places.models import AreaPopulation
from tests.measurement.conftest import WriteSurvey

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


@pytest.fixture
def imported(
    wave: SurveyWave,
    write_survey: WriteSurvey,
    officials_file: Path,
    django_capture_on_commit_callbacks: Capture,
) -> tuple[SurveyWave, Path]:
    population = [
        AreaPopulation(area=wave.area, age_band=band, sex=sex, count=1000)
        for band in AgeBand
        for sex in Sex
    ]
    AreaPopulation.objects.bulk_create(population)
    path = write_survey()
    with django_capture_on_commit_callbacks(execute=True):
        wave_import_responses(wave=wave, source=path, imported_by=None)
        wave_import_officials(wave=wave, source=officials_file, imported_by=None)
    return wave, path


def _expected_index(path: Path) -> pd.DataFrame:
    """The index by sector straight from the file, with pandas and estimate_mean only."""
    raw = pd.read_csv(path)
    raw["index"] = raw["score"] / 3 * 100
    per_respondent = (
        raw.dropna(subset=["score"])
        .groupby(["respondent_id", "sector", "weight", "stratum", "psu"], as_index=False)["index"]
        .mean()
    )
    return estimate_mean(
        per_respondent,
        "index",
        weight="weight",
        strata="stratum",
        psu="psu",
        by="sector",
        single_psu="adjust",
    )


def test_the_index_by_sector_equals_an_independent_estimate(
    imported: tuple[SurveyWave, Path],
) -> None:
    wave, path = imported
    result = WaveResult.objects.filter(wave=wave).latest()
    assert result.status == ResultStatus.OK, result.message
    expected = _expected_index(path)
    got = pd.DataFrame(result.results["index"])
    assert list(got["sector"]) == list(expected["sector"])
    for column in ("estimate", "se", "ci_low", "ci_high", "weight_sum"):
        assert got[column].to_numpy() == pytest.approx(expected[column].to_numpy(), rel=1e-9)
    assert list(got["n"]) == [40, 40, 40]
    assert result.results["design"] == {"weight": "weight", "strata": "stratum", "psu": "psu"}


def test_individual_and_collective_sub_indices_are_stored(
    imported: tuple[SurveyWave, Path],
) -> None:
    results = WaveResult.objects.latest().results
    assert len(results["index_individual"]) == 3
    assert len(results["index_collective"]) == 3


def test_officials_estimates_give_a_gap_row_outside_the_interval(
    imported: tuple[SurveyWave, Path],
) -> None:
    gap = {row["sector"]: row for row in WaveResult.objects.latest().results["gap"]}
    assert set(gap) == {"community-safety", "local-environment", "public-health"}
    safety = gap["community-safety"]
    assert safety["officials_n"] == 4
    assert safety["officials_mean"] == pytest.approx(20.0)
    assert safety["gap"] < 0
    assert safety["outside_ci"] is True


def test_small_groups_are_suppressed(imported: tuple[SurveyWave, Path]) -> None:
    by_age = WaveResult.objects.latest().results["by_group"]["age_band"]
    young = [row for row in by_age if row["age_band"] == "18-24"]
    assert len(young) == 3
    assert all(
        row == {"sector": row["sector"], "age_band": "18-24", "suppressed": True} for row in young
    )
    older = [row for row in by_age if row["age_band"] == "65-74"]
    assert all(not row["suppressed"] and row["n"] == 18 for row in older)


def test_reach_compares_respondents_with_the_area_population(
    imported: tuple[SurveyWave, Path],
) -> None:
    reach = WaveResult.objects.latest().results["reach"]
    assert reach["available"] is True
    by_sex = {row["sex"]: row for row in reach["sex"]["rows"]}
    assert by_sex["female"]["participants"] == 26
    assert by_sex["male"]["participants"] == 14
    by_age = {row["age_band"]: row for row in reach["age_band"]["rows"]}
    assert "0-17" not in by_age  # an adults' survey is compared with adults
    assert by_age["18-24"]["suppressed"] is True
    assert by_age["18-24"]["participants"] is None
    assert by_age["25-34"]["participants"] == 0
    assert by_age["25-34"]["suppressed"] is False


def test_willingness_self_efficacy_and_satisfaction_are_estimated(
    imported: tuple[SurveyWave, Path],
) -> None:
    other = WaveResult.objects.latest().results["other"]
    assert 0 < other["willing_to_do_more"]["estimate"] < 1
    assert 1 <= other["self_efficacy"]["estimate"] <= 5


def test_a_wave_without_answers_records_a_failure(wave: SurveyWave) -> None:
    result = wave_recompute(wave=wave)
    assert result.status == ResultStatus.FAILED
    assert "no answers yet" in result.message
    assert result.results == {}


def test_an_unexpected_error_is_recorded_not_raised(
    imported: tuple[SurveyWave, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    wave, _path = imported

    def broken(*args: Any, **kwargs: Any) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(results_module, "estimate_mean", broken)
    assert recompute_wave.enqueue(wave_id=wave.pk).return_value == ResultStatus.FAILED
    result = WaveResult.objects.filter(wave=wave).latest()
    assert result.status == ResultStatus.FAILED
    assert result.message == "The results could not be computed: ZeroDivisionError: boom"


def test_the_task_ignores_a_deleted_wave(db: None) -> None:
    assert recompute_wave.enqueue(wave_id=123456).return_value == "missing"
