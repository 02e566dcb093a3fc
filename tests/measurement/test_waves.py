"""Importing a wave's files: all or nothing, replacing, then recomputing after commit."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from coproduce.measurement.models import (
    Answer,
    OfficialEstimate,
    Respondent,
    ResultStatus,
    SurveyWave,
    WaveResult,
)
from coproduce.measurement.services import (
    wave_create,
    wave_import_officials,
    wave_import_responses,
)
from tests.conftest import World
from tests.measurement.conftest import WriteSurvey, survey_rows

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def test_a_good_file_writes_its_respondents_and_answers(
    wave: SurveyWave, write_survey: WriteSurvey
) -> None:
    report = wave_import_responses(wave=wave, source=write_survey(), imported_by=None)
    assert (report.respondents, report.answers) == (40, 360)
    assert Respondent.objects.filter(wave=wave).count() == 40
    first = Respondent.objects.get(wave=wave, key="R001")
    assert (first.weight, first.stratum, first.psu) == (1.25, "north", "north-0")
    assert (first.age_band, first.sex, first.employment_status) == ("18-24", "woman", "employed")
    assert (first.self_efficacy, first.willing_to_do_more, first.satisfaction) == (2, True, 4)
    assert first.extra == {}
    blanks = sum(1 for row in survey_rows() if row[3] == "")
    assert Answer.objects.filter(respondent__wave=wave, score__isnull=True).count() == blanks


def test_other_respondent_columns_are_kept(wave: SurveyWave, write_survey: WriteSurvey) -> None:
    rows = [[*row, "postal"] for row in survey_rows()]
    path = write_survey(rows=rows)
    text = path.read_text(encoding="utf-8").replace("satisfaction\n", "satisfaction,mode\n", 1)
    path.write_text(text, encoding="utf-8")
    wave_import_responses(wave=wave, source=path, imported_by=None)
    assert Respondent.objects.get(wave=wave, key="R000").extra == {"mode": "postal"}


def test_the_import_enqueues_the_recomputation_after_commit(
    wave: SurveyWave,
    write_survey: WriteSurvey,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        wave_import_responses(wave=wave, source=write_survey(), imported_by=None)
        assert not WaveResult.objects.exists()
    assert len(callbacks) == 1
    assert not WaveResult.objects.exists()
    callbacks[0]()
    assert WaveResult.objects.get(wave=wave).status == ResultStatus.OK


def test_a_file_with_errors_imports_nothing_and_names_the_lines(
    wave: SurveyWave, write_survey: WriteSurvey, django_capture_on_commit_callbacks: Capture
) -> None:
    rows = survey_rows()
    rows[4][3] = "7"  # line 6: a score above K = 3
    rows[9][2] = "no-such-item"  # line 11
    path = write_survey(rows=rows)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError) as raised,
    ):
        wave_import_responses(wave=wave, source=path, imported_by=None)
    assert any(m.startswith("line 11") for m in raised.value.messages)
    assert any(m.startswith("line 6") for m in raised.value.messages)
    assert not Respondent.objects.exists()
    assert not callbacks


def test_bad_respondent_values_are_reported_with_their_first_line(
    wave: SurveyWave, write_survey: WriteSurvey
) -> None:
    rows = [row for row in survey_rows() if row[0] != "R002"]
    rows += [
        [
            "R002",
            "community-safety",
            "lock-doors",
            "1",
            "1",
            "north",
            "north-0",
            "17-20",
            "x",
            "",
            "9",
            "maybe",
            "",
        ],
    ]
    with pytest.raises(ValidationError) as raised:
        wave_import_responses(wave=wave, source=write_survey(rows=rows), imported_by=None)
    line = len(rows) + 1
    messages = raised.value.messages
    assert f"line {line}: age_band '17-20' is not one of " in messages[0]
    assert any("sex 'x'" in m for m in messages)
    assert any("self_efficacy '9' is not 1 to 5" in m for m in messages)
    assert any("willing_to_do_more 'maybe'" in m for m in messages)
    assert not Respondent.objects.exists()


def test_a_missing_design_column_is_reported_once(
    world: World, wave: SurveyWave, write_survey: WriteSurvey
) -> None:
    wave.strata_column = "district"
    wave.save()
    with pytest.raises(ValidationError, match="no column district"):
        wave_import_responses(wave=wave, source=write_survey(), imported_by=None)


def test_reimporting_replaces_the_answers(
    wave: SurveyWave, write_survey: WriteSurvey, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        wave_import_responses(wave=wave, source=write_survey(), imported_by=None)
    smaller = [row for row in survey_rows(seed=8) if row[0] < "R020"]
    with django_capture_on_commit_callbacks(execute=True):
        report = wave_import_responses(
            wave=wave, source=write_survey("again.csv", smaller), imported_by=None
        )
    assert report.respondents == 20
    assert Respondent.objects.filter(wave=wave).count() == 20
    assert Answer.objects.filter(respondent__wave=wave).count() == 180
    expected = sorted((r[0], r[2], int(r[3]) if r[3] else None) for r in smaller)
    assert sorted(Answer.objects.values_list("respondent__key", "item__code", "score")) == expected
    assert WaveResult.objects.filter(wave=wave).count() == 2
    assert WaveResult.objects.latest().results["respondents"] == 20


def test_officials_estimates_are_imported_and_replaced(
    wave: SurveyWave, officials_file: Path, tmp_path: Path
) -> None:
    assert wave_import_officials(wave=wave, source=officials_file, imported_by=None) == 12
    second = tmp_path / "second.csv"
    second.write_text(
        "respondent_id,sector,expected_index\nA,public-health,40\nA,local-environment,\n",
        encoding="utf-8",
    )
    assert wave_import_officials(wave=wave, source=second, imported_by=None) == 2
    assert sorted(OfficialEstimate.objects.values_list("sector__code", "expected_index")) == [
        ("local-environment", None),
        ("public-health", 40.0),
    ]


def test_a_bad_officials_file_imports_nothing(
    wave: SurveyWave, officials_file: Path, tmp_path: Path
) -> None:
    wave_import_officials(wave=wave, source=officials_file, imported_by=None)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "respondent_id,sector,expected_index\nA,libraries,40\nB,public-health,140\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as raised:
        wave_import_officials(wave=wave, source=bad, imported_by=None)
    assert [m[:6] for m in raised.value.messages] == ["line 2", "line 3"]
    assert OfficialEstimate.objects.count() == 12


def test_only_the_owners_runners_create_and_import(
    world: World, wave: SurveyWave, write_survey: WriteSurvey
) -> None:
    for persona in ("anonymous", "resident", "manager of A", "commissioner"):
        user = world.users[persona]
        if user is None:
            continue
        with pytest.raises(PermissionDenied):
            wave_import_responses(wave=wave, source=write_survey(), imported_by=user)
        with pytest.raises(PermissionDenied):
            wave_create(
                instrument=wave.instrument,
                owner=world.council,
                area=world.county,
                label="x",
                created_by=user,
            )
    staff = world.users["staff of A"]
    created = wave_create(
        instrument=wave.instrument,
        owner=world.library_a,
        area=world.parish,
        label="Library A users 2025",
        created_by=staff,
    )
    assert created.owner == world.library_a


def test_the_command_imports_both_files(
    wave: SurveyWave,
    write_survey: WriteSurvey,
    officials_file: Path,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import_wave", str(wave.pk), str(write_survey()), "--officials", str(officials_file)
        )
    assert Respondent.objects.count() == 40
    assert OfficialEstimate.objects.count() == 12
    assert WaveResult.objects.latest().results["gap"]


def test_the_command_explains_what_is_wrong(
    wave: SurveyWave, write_survey: WriteSurvey, tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match="no survey wave with id 999"):
        call_command("import_wave", "999", str(write_survey()))
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_wave", str(wave.pk), str(tmp_path / "nope.csv"))
    with pytest.raises(CommandError, match="Give a survey file"):
        call_command("import_wave", str(wave.pk))
    bad = tmp_path / "officials.csv"
    bad.write_text("respondent_id,sector,expected_index\nA,libraries,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported:\n  line 2"):
        call_command("import_wave", str(wave.pk), str(write_survey()), "--officials", str(bad))
    assert not Respondent.objects.exists()
