"""The dashboards' numbers equal counts made here, independently, from the records created.

Library A's service has three activities: an informing one (40 + 10 people counted
anonymously), an involving one (31 known participants, five of whom came twice) and a
collaborating one nobody has come to yet. The parish has population figures.
"""

import csv
import io
from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.test import Client

from coproduce.accounts.services import demographics_record, participant_create
from coproduce.engagement.ladder import CitizenRole, CoStage, EngagementForm, Rung
from coproduce.engagement.models import Activity, ArrivalChannel, ParticipationKind
from coproduce.engagement.services import activity_create, participation_record
from coproduce.organisations.models import (
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipKind,
    Sector,
    Service,
)
from coproduce.organisations.services import organisation_create, service_create
from coproduce.places.models import AreaPopulation
from tests.conftest import World
from tests.engagement.conftest import plan

QueryCounter = Callable[..., AbstractContextManager[Any]]

# (age band, gender, how many people, how many of them came twice)
PEOPLE = [
    ("25-34", "woman", 12, 5),
    ("25-34", "another", 1, 0),
    ("45-54", "man", 15, 0),
    ("65-74", "woman", 3, 0),
]
POPULATION = {  # (band, sex): residents
    ("0-17", "female"): 300,
    ("0-17", "male"): 320,
    ("18-24", "female"): 100,
    ("18-24", "male"): 110,
    ("25-34", "female"): 150,
    ("25-34", "male"): 140,
    ("45-54", "female"): 160,
    ("45-54", "male"): 150,
    ("65-74", "female"): 120,
    ("65-74", "male"): 100,
}
ANONYMOUS = [(date(2026, 1, 15), 40), (date(2026, 2, 3), 10)]
SENSITIVE_PEOPLE = 777


@dataclass
class Data:
    world: World
    inform: Activity
    involve: Activity
    collaborate: Activity
    records: list[tuple[Activity, int, date]]  # activity, people, day


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.fixture
def data(world: World) -> Data:
    for (band, sex), count in POPULATION.items():
        AreaPopulation.objects.create(area=world.parish, age_band=band, sex=sex, count=count)
    service = world.service_a
    inform = activity_create(
        service=service,
        plan=plan(title="Leaflets", form=EngagementForm.INFORM, citizen_role=CitizenRole.NONE),
        created_by=None,
    )
    involve = activity_create(
        service=service,
        plan=plan(
            title="Users' forum", co_stage=CoStage.DESIGN, citizen_role=CitizenRole.CO_DESIGNER
        ),
        created_by=None,
    )
    collaborate = activity_create(
        service=service,
        plan=plan(title="Stock rotation", form=EngagementForm.COLLABORATE, co_stage=CoStage.ASSESS),
        created_by=None,
    )
    records: list[tuple[Activity, int, date]] = []
    for n, (day, people) in enumerate(ANONYMOUS):
        participation_record(
            activity=inform,
            kind=ParticipationKind.FOLLOWED_LINK,
            channel=ArrivalChannel.PAPER,
            act_key=f"leaflet:{n}",
            people=people,
            occurred_at=at(day),
        )
        records.append((inform, people, day))
    for band, gender, count, twice in PEOPLE:
        for n in range(count):
            person = participant_create(user=None)
            demographics_record(
                participant=person,
                consent_given=True,
                answers={"age_band": band, "gender": gender},
            )
            days = [date(2026, 1, 20), date(2026, 2, 20)][: 2 if n < twice else 1]
            for day in days:
                participation_record(
                    activity=involve,
                    kind=ParticipationKind.FORUM_MEETING,
                    channel=ArrivalChannel.IN_PERSON,
                    act_key=f"forum:{person.reference}:{day}",
                    participant=person,
                    occurred_at=at(day),
                )
                records.append((involve, 1, day))
    return Data(world, inform, involve, collaborate, records)


def client_for(world: World, persona: str) -> Client:
    client = Client()
    user = world.users[persona]
    assert user is not None
    client.force_login(user)
    return client


# ---------------------------------------------------------------------------------------
# Ladder profile


def test_the_ladder_profile_counts_activities_and_people_by_rung(data: Data) -> None:
    base = f"/engagement/services/{data.world.service_a.reference}/ladder"
    client = client_for(data.world, "commissioner")
    people = Counter[int]()
    records = Counter[int]()
    for activity, n, _day in data.records:
        people[activity.rung] += n
        records[activity.rung] += 1
    activities = Counter(a.rung for a in (data.inform, data.involve, data.collaborate))
    table = rows(client.get(f"{base}/rung.csv"))
    assert table[0] == ["Rung", "Activities", "Participation (people)", "Records"]
    got = {row[0]: row[1:] for row in table[1:]}
    assert len(got) == 8  # every rung, the top first
    assert table[1][0].startswith("8. Citizen control")
    for rung in Rung:
        label = next(k for k in got if k.startswith(f"{rung.value}. "))
        assert got[label] == [str(activities[rung]), str(people[rung]), str(records[rung])]
    assert people[Rung.INFORMING] == 50
    assert people[Rung.PLACATION] == 31 + 5


def test_the_ladder_profile_by_form_stage_and_role(data: Data) -> None:
    base = f"/engagement/services/{data.world.service_a.reference}/ladder"
    client = client_for(data.world, "staff of A")
    for slug, attribute, choices in [
        ("form", "form", EngagementForm),
        ("stage", "co_stage", CoStage),
        ("role", "citizen_role", CitizenRole),
    ]:
        expected = Counter[str]()
        for activity, n, _day in data.records:
            expected[getattr(activity, attribute)] += n
        got = {row[0]: int(row[2]) for row in rows(client.get(f"{base}/{slug}.csv"))[1:]}
        assert got == {str(c.label): expected[c.value] for c in choices}, slug


def test_the_ladder_profile_over_time_by_month_and_form(data: Data) -> None:
    url = f"/engagement/services/{data.world.service_a.reference}/ladder/months.csv"
    table = rows(client_for(data.world, "staff of A").get(url))
    expected = Counter[tuple[str, str]]()
    for activity, n, day in data.records:
        expected[(day.strftime("%Y-%m"), str(EngagementForm(activity.form).label))] += n
    header = table[0]
    assert header == ["Month", "Inform", "Involve", "Total"]
    got = {
        (row[0], header[i]): int(cell)
        for row in table[1:]
        for i, cell in enumerate(row)
        if 0 < i < len(header) - 1
    }
    assert got == dict(expected)
    assert [row[-1] for row in table[1:]] == [str(40 + 31), str(10 + 5)]


def test_the_ladder_page_draws_every_chart_with_its_table_and_csv_link(
    data: Data, django_assert_max_num_queries: QueryCounter
) -> None:
    client = client_for(data.world, "commissioner")
    url = f"/engagement/services/{data.world.service_a.reference}/ladder/"
    # session, user, two-factor device, service, provider role, backer check, run check,
    # then activities, their tallies and the months: whatever the number of activities
    # or records
    with django_assert_max_num_queries(10):
        response = client.get(url)
    body = response.content.decode()
    for slug in ("rung", "form", "stage", "role", "months"):
        assert f'id="chart-{slug}-title"' in body
        assert f"ladder/{slug}.csv" in body
    assert body.count("<svg") == 5
    assert body.count('<caption class="govuk-table__caption') == 5
    assert "dist/vega.js" in body


# ---------------------------------------------------------------------------------------
# Reach


def test_reach_counts_distinct_and_repeat_participants(data: Data) -> None:
    url = f"/engagement/services/{data.world.service_a.reference}/reach/totals.csv"
    got = dict(rows(client_for(data.world, "commissioner").get(url))[1:])
    known = sum(count for _b, _g, count, _t in PEOPLE)
    repeat = sum(twice for _b, _g, _c, twice in PEOPLE)
    anonymous = sum(people for _day, people in ANONYMOUS)
    assert got["Distinct known participants"] == str(known)
    assert got["Known participants who took part twice or more"] == str(repeat)
    assert got["Participation (people)"] == str(anonymous + known + repeat)
    assert got["Records of taking part"] == str(len(data.records))
    assert got["People taking part anonymously (counted, not known)"] == str(anonymous)
    assert got["Share of known participants who came back"] == f"{100 * repeat / known:.1f}"


def test_reach_by_age_suppresses_small_groups_and_the_next_smallest(data: Data) -> None:
    url = f"/engagement/services/{data.world.service_a.reference}/reach/age.csv"
    table = {row[0]: row[1:] for row in rows(client_for(data.world, "staff of A").get(url))[1:]}
    by_band = Counter[str]()
    for (band, _sex), count in POPULATION.items():
        if band != "0-17":
            by_band[band] += count
    residents = sum(by_band.values())
    # Adult bands only; the under-18 band is left out on both sides.
    assert "Under 18" not in table
    assert set(table) == {"18 to 24", "25 to 34", "45 to 54", "65 to 74"}
    # 3 people aged 65-74 is fewer than 10; so that it cannot be recovered from the
    # total, the next smallest group (13 aged 25-34) is hidden too.
    assert table["65 to 74"][:2] == ["<10", ""]
    assert table["25 to 34"][:2] == ["<10", ""]
    assert table["45 to 54"][0] == "15"
    assert table["45 to 54"][1] == f"{100 * 15 / 31:.1f}"
    assert table["45 to 54"][2] == f"{100 * by_band['45-54'] / residents:.1f}"
    assert table["18 to 24"][:2] == ["0", "0.0"]  # nobody: shown, it identifies no one
    assert "3" not in {cell for row in table.values() for cell in row[:1]}


def test_reach_by_sex_maps_gender_and_leaves_other_answers_out(data: Data) -> None:
    url = f"/engagement/services/{data.world.service_a.reference}/reach/sex.csv"
    table = {row[0]: row[1:] for row in rows(client_for(data.world, "staff of A").get(url))[1:]}
    women = sum(c for _b, g, c, _t in PEOPLE if g == "woman")
    men = sum(c for _b, g, c, _t in PEOPLE if g == "man")
    assert table["Female"][0] == str(women)
    assert table["Male"][0] == str(men)
    female = sum(n for (band, sex), n in POPULATION.items() if sex == "female" and band != "0-17")
    adults = sum(n for (band, _sex), n in POPULATION.items() if band != "0-17")
    expected_ratio = (women / (women + men)) / (female / adults)
    assert table["Female"][3] == f"{expected_ratio:.2f}"


def test_the_reach_page_names_the_least_reached_groups(
    data: Data, django_assert_max_num_queries: QueryCounter
) -> None:
    client = client_for(data.world, "staff of A")
    url = f"/engagement/services/{data.world.service_a.reference}/reach/"
    # session, user, two-factor device, service, role, run check, 3 totals, groups, population
    with django_assert_max_num_queries(11):
        response = client.get(url)
    page = response.context["page"]
    assert page.least_reached[0] == "18 to 24"  # nobody aged 18 to 24 took part
    body = response.content.decode()
    assert "Least reached" in body
    assert body.count("<svg") == 2
    assert "fewer than 10" in body


def test_a_sensitive_services_provider_sees_totals_but_no_demographic_mix(world: World) -> None:
    refuge = service_create(
        name="Refuge",
        sector=Sector.DOMESTIC_VIOLENCE,
        provider=world.library_a,
        area=world.parish,
        funded_by=[world.council],
        sensitive=True,
    )
    _sensitive_activity(refuge)
    base = f"/engagement/services/{refuge.reference}/reach"
    client = client_for(world, "manager of A")
    response = client.get(f"{base}/")
    assert response.status_code == 200
    assert response.context["page"].blocks.keys() == {"totals"}
    assert "not shown for a sensitive service" in response.content.decode()
    assert client.get(f"{base}/age.csv").status_code == 404
    totals = dict(rows(client.get(f"{base}/totals.csv"))[1:])
    assert totals["Participation (people)"] == str(SENSITIVE_PEOPLE)


def _sensitive_activity(service: Service) -> Activity:
    activity = activity_create(
        service=service, plan=plan(title="Drop-in", form=EngagementForm.INFORM), created_by=None
    )
    participation_record(
        activity=activity,
        kind=ParticipationKind.ATTENDED_EVENT,
        channel=ArrivalChannel.IN_PERSON,
        act_key="refuge:1",
        people=SENSITIVE_PEOPLE,
        occurred_at=at(date(2026, 1, 5)),
    )
    return activity


def test_a_backer_never_sees_a_sensitive_services_participation(world: World) -> None:
    refuge = service_create(
        name="Refuge",
        sector=Sector.DOMESTIC_VIOLENCE,
        provider=world.library_a,
        area=world.parish,
        funded_by=[world.council],
        sensitive=True,
    )
    activity = _sensitive_activity(refuge)
    base = f"/engagement/services/{refuge.reference}"
    client = client_for(world, "commissioner")
    for url in (
        f"{base}/activities/",
        f"{base}/activities/{activity.pk}/",
        f"{base}/ladder/",
    ):
        body = client.get(url).content.decode()
        assert str(SENSITIVE_PEOPLE) not in body, url
        assert "Participation (people)" not in body, url
    assert rows(client.get(f"{base}/ladder/rung.csv"))[0] == ["Rung", "Activities"]


# ---------------------------------------------------------------------------------------
# Area roll-up


def test_the_roll_up_lists_every_service_with_its_ladder_and_participation(
    data: Data, django_assert_max_num_queries: QueryCounter
) -> None:
    world = data.world
    refuge = service_create(
        name="Refuge",
        sector=Sector.DOMESTIC_VIOLENCE,
        provider=world.library_b,
        area=world.county,
        funded_by=[world.council],
        sensitive=True,
    )
    _sensitive_activity(refuge)
    service_create(
        name="Quiet service", sector=Sector.LIBRARY, provider=world.library_b, area=world.county
    )
    for n in range(3):  # more services cost no more queries
        service_create(
            name=f"Leaflet service {n}",
            sector=Sector.HOUSING,
            provider=world.library_b,
            area=world.parish,
        )
    client = client_for(world, "commissioner")
    url = f"/engagement/areas/{world.county.code}/roll-up/"
    # session, user, area, memberships, the levels below the county, then services,
    # people per service (from the activities' monthly counts) and population per area
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert str(SENSITIVE_PEOPLE) not in body
    assert "not shown to protect people" in body
    table = {
        row[0]: row
        for row in rows(client.get(f"/engagement/areas/{world.county.code}/roll-up.csv"))[1:]
    }
    assert set(table) == {
        "Library A lending",
        "Refuge",
        "Quiet service",
        *(f"Leaflet service {n}" for n in range(3)),
    }
    people = sum(n for _a, n, _d in data.records)
    residents = sum(POPULATION.values())
    lending = table["Library A lending"]
    assert lending[2] == "3"
    assert lending[3].startswith("6. Partnership")
    assert lending[4] == "No"
    assert lending[5] == str(people)
    assert lending[6] == f"{1000 * people / residents:.1f}"
    refuge_row = table["Refuge"]
    assert refuge_row[3].startswith("3. Informing")
    assert refuge_row[4] == "Yes"  # only informs
    assert refuge_row[5:] == ["not shown to protect people"] * 2
    assert table["Quiet service"][3] == "none yet"
    assert table["Quiet service"][6] == "no population figures"


# ---------------------------------------------------------------------------------------
# Partnership network


def _partner(slug: str, world: World) -> Organisation:
    return organisation_create(
        slug=slug, name=slug.title(), kind=OrganisationKind.SCHOOL, area=world.county
    )


def test_the_network_draws_the_organisation_its_partners_and_their_links(
    world: World, django_assert_max_num_queries: QueryCounter
) -> None:
    school = _partner("school", world)
    stranger = _partner("stranger", world)
    started = date(2025, 4, 1)
    links = [
        (world.council, world.library_a, PartnershipKind.FUNDING, None),
        (world.library_a, world.library_b, PartnershipKind.REFERRALS, None),
        (world.library_a, world.library_b, PartnershipKind.TRAINING, date(2025, 12, 31)),
        (school, world.library_a, PartnershipKind.JOINT_EVENTS, None),
        (world.library_b, world.council, PartnershipKind.CONTRACT, None),  # among partners
        (stranger, world.council, PartnershipKind.FUNDING, None),  # not a partner of A
    ]
    for source, target, kind, ended in links:
        Partnership.objects.create(
            source=source, target=target, kind=kind, started_on=started, ended_on=ended
        )
    client = client_for(world, "staff of A")
    base = f"/engagement/organisations/{world.library_a.slug}"
    # session, user, two-factor device, organisation, membership check, own partnerships, edges
    with django_assert_max_num_queries(7):
        response = client.get(f"{base}/network/")
    body = response.content.decode()
    assert body.count("<svg") == 1
    assert "Stranger" not in body
    table = rows(client.get(f"{base}/network.csv"))
    assert table[0] == ["From", "To", "Kind", "Started", "Ended"]
    expected = {
        (s.name, t.name, str(PartnershipKind(k).label), ended.isoformat() if ended else "Current")
        for s, t, k, ended in links[:5]
    }
    assert {(r[0], r[1], r[2], r[4]) for r in table[1:]} == expected
    spec = response.context["panel"].chart.spec
    assert {layer["mark"]["type"] for layer in spec["layer"]} == {"rule", "circle", "text"}
