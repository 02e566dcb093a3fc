"""The measurement dashboard: who sees which wave, and that the page shows the stored numbers.

A county wave run by the county council about library A's service (which the council
funds), with 60 respondents in two strata, four of whom did not give their sex (a group
too small to publish), and four officials' estimates.
"""

import csv
import io
import random
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

import pandas as pd
import pytest
from django.template.defaultfilters import floatformat
from django.test import Client
from django.utils import translation

from coproduce.accounts.models import User
from coproduce.analysis.responses import SurveyResponses
from coproduce.measurement.models import (
    Instrument,
    InstrumentItem,
    ResultStatus,
    SurveyWave,
    WaveResult,
)
from coproduce.measurement.services import (
    instruments_load_standard,
    wave_create,
    wave_store_officials,
    wave_store_responses,
)
from coproduce.organisations.models import Role
from coproduce.organisations.services import membership_add
from coproduce.places.models import AreaPopulation
from tests.conftest import CaptureOnCommit, World, make_user

AGE_BANDS = ["18-24", "25-34", "35-44", "45-54", "55-64", "65-74"]
SECTORS = {
    "community-safety": "Community safety",
    "local-environment": "Local environment",
    "public-health": "Public health",
}


def _responses(wave: SurveyWave) -> SurveyResponses:
    rng = random.Random(7)
    items = list(
        InstrumentItem.objects.filter(instrument=wave.instrument)
        .select_related("sector")
        .order_by("sector__order", "order")
    )
    respondents: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    for n in range(60):
        key = f"R{n:03d}"
        respondents.append(
            {
                "respondent_id": key,
                "weight": 1.0 if n % 2 else 2.5,
                "stratum": "north" if n % 2 else "south",
                "psu": f"psu-{n % 12}",
                "age_band": AGE_BANDS[n % len(AGE_BANDS)],
                "sex": "not-said" if n < 4 else ("woman" if n % 2 else "man"),
                "employment_status": "retired" if n % 3 == 0 else "employed",
                "willing_to_do_more": n % 4 != 0,
                "self_efficacy": 1 + n % 5,
                "satisfaction": 1 + (n * 3) % 5,
            }
        )
        for item in items:
            answers.append(
                {
                    "respondent_id": key,
                    "sector": item.sector.code,
                    "item": item.code,
                    "score": float(rng.randint(0, 3)),
                    "line": len(answers) + 2,
                }
            )
    return SurveyResponses(answers=pd.DataFrame(answers), respondents=pd.DataFrame(respondents))


def _new_wave(world: World, label: str, **extra: Any) -> SurveyWave:
    instruments_load_standard()
    return wave_create(
        instrument=Instrument.objects.get(slug="coproduction-in-your-area", version=1),
        owner=world.council,
        area=world.county,
        service=world.service_a,
        label=label,
        created_by=None,
        **extra,
    )


@pytest.fixture
def wave(world: World, django_capture_on_commit_callbacks: CaptureOnCommit) -> SurveyWave:
    AreaPopulation.objects.bulk_create(
        AreaPopulation(area=world.county, age_band=band, sex=sex, count=1000 + 100 * i)
        for i, band in enumerate(AGE_BANDS)
        for sex in ("female", "male")
    )
    found = _new_wave(
        world,
        "Testshire residents survey 2024",
        fieldwork_start=date(2024, 5, 1),
        fieldwork_end=date(2024, 6, 1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        wave_store_responses(wave=found, responses=_responses(found), imported_by=None)
        wave_store_officials(
            wave=found,
            estimates=[(f"OFF-{k}", code, 20.0 + k) for k in range(4) for code in SECTORS],
            imported_by=None,
        )
    return found


@pytest.fixture
def results(wave: SurveyWave) -> dict[str, Any]:
    result = WaveResult.objects.filter(wave=wave).latest()
    assert result.status == ResultStatus.OK, result.message
    return result.results


def client_for(world: World, persona: str) -> Client:
    client = Client()
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def council_staff(world: World) -> User:
    user = make_user("council-staff")
    membership_add(
        organisation=world.council, username=user.username, role=Role.STAFF, added_by=None
    )
    return user


def csv_rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode())))


def one(value: float) -> str:
    return str(floatformat(value, "1u"))


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


# --- who sees what ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/measurement/areas/T10000001/",
        "/measurement/waves/{pk}/",
        "/measurement/waves/{pk}/index.csv",
        "/measurement/services/{service}/",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(world: World, wave: SurveyWave, path: str) -> None:
    response = Client().get(path.format(pk=wave.pk, service=world.service_a.reference))
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


@pytest.mark.parametrize(
    "persona", ["resident", "volunteer of A", "staff of A", "manager of A", "manager of B"]
)
def test_people_who_may_not_see_the_results_get_403_on_the_wave_and_its_files(
    world: World, wave: SurveyWave, persona: str
) -> None:
    client = client_for(world, persona)
    assert client.get(f"/measurement/waves/{wave.pk}/").status_code == 403
    assert client.get(f"/measurement/waves/{wave.pk}/index.csv").status_code == 403


@pytest.mark.parametrize("persona", ["resident", "staff of A", "manager of B"])
def test_the_area_page_shows_others_an_empty_state_that_says_who_can_see_results(
    world: World, wave: SurveyWave, persona: str
) -> None:
    response = client_for(world, persona).get("/measurement/areas/T10000001/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "No survey results you can see" in body
    assert "commissions or funds the service" in body
    assert wave.label not in body


@pytest.mark.parametrize("persona", ["commissioner", "superuser"])
def test_the_commissioner_and_a_superuser_see_the_wave(
    world: World, wave: SurveyWave, persona: str
) -> None:
    client = client_for(world, persona)
    for path in (
        "/measurement/areas/T10000001/",
        f"/measurement/services/{world.service_a.reference}/",
        f"/measurement/waves/{wave.pk}/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert wave.label in response.content.decode()


def test_a_wave_in_a_parish_shows_on_the_county_page_but_not_on_its_trend(
    world: World, wave: SurveyWave, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    parish_wave = wave_create(
        instrument=wave.instrument,
        owner=world.council,
        area=world.parish,
        label="Little Testing survey",
        created_by=None,
        fieldwork_start=date(2025, 5, 1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        wave_store_responses(wave=parish_wave, responses=_responses(parish_wave), imported_by=None)
    client = client_for(world, "commissioner")
    county = client.get("/measurement/areas/T10000001/").content.decode()
    assert "Little Testing survey" in county
    trend = csv_rows(client.get("/measurement/areas/T10000001/trend.csv").content)
    assert {row[0] for row in trend[1:]} == {wave.label}
    parish = csv_rows(client.get("/measurement/areas/T04000001/trend.csv").content)
    assert {row[0] for row in parish[1:]} == {"Little Testing survey"}


def test_unknown_places_waves_and_tables_are_404(world: World, wave: SurveyWave) -> None:
    client = client_for(world, "commissioner")
    assert client.get("/measurement/areas/NOWHERE/").status_code == 404
    assert client.get("/measurement/services/S-NONE/").status_code == 404
    assert client.get(f"/measurement/waves/{wave.pk + 1000}/").status_code == 404
    assert client.get(f"/measurement/waves/{wave.pk}/no-such-table.csv").status_code == 404


# --- the numbers -----------------------------------------------------------------------


def test_the_wave_page_shows_the_stored_index_with_its_interval(
    world: World, wave: SurveyWave, results: dict[str, Any]
) -> None:
    body = client_for(world, "commissioner").get(f"/measurement/waves/{wave.pk}/").content.decode()
    for row in results["index"]:
        cells = [SECTORS[row["sector"]], *(one(row[k]) for k in ("estimate", "ci_low", "ci_high"))]
        expected = "".join(
            [
                f'<th scope="row" class="govuk-table__header">{cells[0]}</th>',
                *(
                    f'<td class="govuk-table__cell govuk-table__cell--numeric">{c}</td>'
                    for c in cells[1:]
                ),
            ]
        )
        assert expected in body.replace("\n", "").replace("        ", "")
    assert "Co-production index by sector" in body
    assert "<svg" in body
    assert "95% confidence interval" in body
    assert "not the outcomes" in body
    assert "dist/vega.js" in body
    assert "coproduce/charts.js" in body


def test_the_index_csv_holds_exactly_the_stored_numbers(
    world: World, wave: SurveyWave, results: dict[str, Any]
) -> None:
    response = client_for(world, "commissioner").get(f"/measurement/waves/{wave.pk}/index.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="wave-{wave.pk}-index.csv"' in response["Content-Disposition"]
    rows = csv_rows(response.content)
    assert rows[0] == [
        "Sector",
        "Index (0 to 100)",
        "95% interval from",
        "95% interval to",
        "Respondents",
    ]
    assert rows[1:] == [
        [
            SECTORS[row["sector"]],
            one(row["estimate"]),
            one(row["ci_low"]),
            one(row["ci_high"]),
            str(row["n"]),
        ]
        for row in results["index"]
    ]


def test_a_group_of_fewer_than_ten_is_shown_as_fewer_than_10_never_as_a_number(
    world: World, wave: SurveyWave, results: dict[str, Any]
) -> None:
    hidden = [row for row in results["by_group"]["sex"] if row["sex"] == "not-said"]
    assert hidden
    assert all(row["suppressed"] for row in hidden)
    client = client_for(world, "commissioner")
    rows = csv_rows(client.get(f"/measurement/waves/{wave.pk}/by-sex.csv").content)
    said_nothing = [row for row in rows if row[0] == "Prefer not to say"]
    assert len(said_nothing) == len(SECTORS)
    for row in said_nothing:
        assert row[2:] == ["not shown", "not shown", "not shown", "fewer than 10"]
    body = client.get(f"/measurement/waves/{wave.pk}/").content.decode()
    assert "fewer than 10" in body
    assert "Not shown because fewer than 10 people answered: Prefer not to say." in body


def test_the_perception_gap_and_reach_tables_match_the_result(
    world: World, wave: SurveyWave, results: dict[str, Any]
) -> None:
    client = client_for(world, "commissioner")
    gap = csv_rows(client.get(f"/measurement/waves/{wave.pk}/gap.csv").content)
    assert [row[:2] for row in gap[1:]] == [
        [SECTORS[row["sector"]], one(row["officials_mean"])] for row in results["gap"]
    ]
    assert [row[6] for row in gap[1:]] == [one(row["gap"]) for row in results["gap"]]
    reach = csv_rows(client.get(f"/measurement/waves/{wave.pk}/reach.csv").content)
    age_rows = results["reach"]["age_band"]["rows"]
    assert [row[4] for row in reach[1 : 1 + len(age_rows)]] == [
        "not shown" if row["suppressed"] else str(floatformat(row["reach_ratio"], "2u"))
        for row in age_rows
    ]
    body = client.get(f"/measurement/waves/{wave.pk}/").content.decode()
    assert "A ratio of 1 means a group answered in proportion to its size" in body
    assert "officials&#x27; expectation differs from what citizens report" in body


def test_the_trend_csv_lists_each_computed_wave_by_sector(
    world: World, wave: SurveyWave, results: dict[str, Any]
) -> None:
    client = client_for(world, "commissioner")
    rows = csv_rows(
        client.get(f"/measurement/services/{world.service_a.reference}/trend.csv").content
    )
    assert rows[1:] == [
        [
            wave.label,
            "2024-05-01",
            SECTORS[row["sector"]],
            one(row["estimate"]),
            one(row["ci_low"]),
            one(row["ci_high"]),
            str(row["n"]),
        ]
        for row in results["index"]
    ]


def test_a_vietnamese_page_uses_vietnamese_decimal_separators(
    world: World, wave: SurveyWave, results: dict[str, Any]
) -> None:
    client = client_for(world, "commissioner")
    client.get("/language/vi/?next=/")
    body = client.get(f"/measurement/waves/{wave.pk}/").content.decode()
    estimate = results["index"][0]["estimate"]
    assert f">{floatformat(estimate, '1u').replace('.', ',')}<" in body
    assert '<html lang="vi"' in body


# --- pending, failed, recompute --------------------------------------------------------


def test_a_wave_without_results_says_they_are_not_computed_yet(world: World) -> None:
    pending = _new_wave(world, "Survey still in the field")
    client = client_for(world, "commissioner")
    response = client.get(f"/measurement/waves/{pending.pk}/")
    assert response.status_code == 200
    assert "have not been computed yet" in response.content.decode()
    assert client.get(f"/measurement/waves/{pending.pk}/index.csv").status_code == 404
    area = client.get("/measurement/areas/T10000001/").content.decode()
    assert "Not computed yet" in area
    assert "None of these waves has results yet." in area


def test_a_failed_wave_shows_the_stored_message(world: World) -> None:
    failed = _new_wave(world, "Survey with a broken file")
    WaveResult.objects.create(
        wave=failed, status=ResultStatus.FAILED, message="This wave has no answers yet."
    )
    response = client_for(world, "commissioner").get(f"/measurement/waves/{failed.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "The results could not be computed" in body
    assert "This wave has no answers yet." in body


def test_someone_who_runs_waves_can_queue_a_recomputation(
    world: World,
    wave: SurveyWave,
    council_staff: User,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    client = Client()
    client.force_login(council_staff)
    page = client.get(f"/measurement/waves/{wave.pk}/").content.decode()
    assert "Recompute the results" in page
    before = WaveResult.objects.filter(wave=wave).count()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"/measurement/waves/{wave.pk}/recompute/")
    assert response.status_code == 302
    assert response["Location"] == f"/measurement/waves/{wave.pk}/"
    # Queued after commit, not computed in the request.
    assert len(callbacks) == 1
    assert WaveResult.objects.filter(wave=wave).count() == before
    callbacks[0]()  # the immediate backend runs the task here, as a worker would
    assert WaveResult.objects.filter(wave=wave).count() == before + 1
    followed = client.get(response["Location"]).content.decode()
    assert "recomputed in the background" in followed


def test_a_commissioner_may_read_the_results_but_not_recompute_them(
    world: World, wave: SurveyWave
) -> None:
    client = client_for(world, "commissioner")
    assert (
        "Recompute the results" not in client.get(f"/measurement/waves/{wave.pk}/").content.decode()
    )
    assert client.post(f"/measurement/waves/{wave.pk}/recompute/").status_code == 403


def test_the_organisation_dashboard_links_to_the_measurement_of_its_area(world: World) -> None:
    body = (
        client_for(world, "commissioner").get(f"/dashboard/{world.council.slug}/").content.decode()
    )
    assert 'href="/measurement/areas/T10000001/"' in body


# --- query counts ----------------------------------------------------------------------


def test_the_area_page_runs_a_fixed_number_of_queries(
    world: World,
    wave: SurveyWave,
    django_assert_max_num_queries: Callable[[int], AbstractContextManager[Any]],
) -> None:
    for n in range(3):
        _new_wave(world, f"Another wave {n}")
    client = client_for(world, "commissioner")
    with django_assert_max_num_queries(11):
        assert client.get("/measurement/areas/T10000001/").status_code == 200


def test_the_wave_page_runs_a_fixed_number_of_queries(
    world: World,
    wave: SurveyWave,
    django_assert_max_num_queries: Callable[[int], AbstractContextManager[Any]],
) -> None:
    client = client_for(world, "commissioner")
    with django_assert_max_num_queries(8):
        assert client.get(f"/measurement/waves/{wave.pk}/").status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get(f"/measurement/waves/{wave.pk}/reach.csv").status_code == 200
