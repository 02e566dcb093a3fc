"""Survivor-safe mode: participation in a sensitive service never appears in a breakdown
by group that another organisation, or the commissioner who funds it, can see.

The refuge below has 30 participants, each with consented demographics (more than the
small-number threshold of 10 in every group): even so, no one outside its provider sees
how they divide by age or gender, and the area roll-up gives no count for it.
"""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from coproduce.accounts.services import demographics_record, participant_create
from coproduce.engagement.ladder import EngagementForm
from coproduce.engagement.models import ArrivalChannel, ParticipationKind
from coproduce.engagement.selectors import area_rollup, reach_data
from coproduce.engagement.services import activity_create, participation_record
from coproduce.measurement.models import Instrument, SurveyWave
from coproduce.measurement.permissions import can_view_results
from coproduce.measurement.selectors import waves_for_service
from coproduce.measurement.services import wave_create
from coproduce.organisations.models import Sector, Service
from coproduce.organisations.services import service_create
from tests.conftest import World
from tests.engagement.conftest import plan

PARTICIPANTS = 30


@pytest.fixture
def refuge(world: World) -> Service:
    """Library B's refuge, funded by the county council, with 30 women aged 25-34."""
    service = service_create(
        name="Safe Harbour refuge",
        sector=Sector.DOMESTIC_VIOLENCE,
        provider=world.library_b,
        area=world.county,
        sensitive=True,
        funded_by=[world.council],
    )
    activity = activity_create(
        service=service,
        plan=plan(title="Peer support", form=EngagementForm.INVOLVE),
        created_by=None,
    )
    for n in range(PARTICIPANTS):
        person = participant_create(user=None)
        demographics_record(
            participant=person, consent_given=True, answers={"age_band": "25-34", "gender": "woman"}
        )
        participation_record(
            activity=activity,
            kind=ParticipationKind.FORUM_MEETING,
            channel=ArrivalChannel.IN_PERSON,
            act_key=f"group:{n}",
            participant=person,
        )
    return service


def client_of(world: World, persona: str) -> Client:
    client = Client()
    user = world.users[persona]
    assert user is not None
    client.force_login(user)
    return client


def test_the_reach_data_of_a_sensitive_service_has_no_groups_even_when_asked(
    refuge: Service,
) -> None:
    data = reach_data(refuge, with_groups=True)
    assert data.participants == PARTICIPANTS
    assert data.groups.empty
    assert data.population.empty


@pytest.mark.parametrize(
    "persona", ["commissioner funding A", "analyst", "staff of A", "manager of A", "superuser"]
)
def test_no_one_outside_the_provider_sees_its_reach_by_group(
    world: World, refuge: Service, persona: str
) -> None:
    client = client_of(world, persona)
    assert client.get(reverse("engagement:reach", args=[refuge.reference])).status_code == 403
    csv_url = reverse("engagement:reach_csv", args=[refuge.reference, "age"])
    assert client.get(csv_url).status_code in {403, 404}


def test_its_own_provider_sees_the_totals_but_no_groups(world: World, refuge: Service) -> None:
    page = client_of(world, "manager of B").get(
        reverse("engagement:reach", args=[refuge.reference])
    )
    assert page.status_code == 200
    assert "25-34" not in page.content.decode()
    assert "The mix of participants is not shown for a sensitive service" in page.content.decode()


def test_the_area_roll_up_gives_no_number_for_it(world: World, refuge: Service) -> None:
    [row] = [row for row in area_rollup(world.county) if row.service == refuge]
    assert row.people is None
    client = client_of(world, "commissioner funding A")
    response = client.get(reverse("engagement:roll_up_csv", args=[world.county.code]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    [refuge_row] = [r for r in rows if refuge.name in r]
    assert str(PARTICIPANTS) not in refuge_row


@pytest.fixture
def refuge_wave(world: World, refuge: Service) -> SurveyWave:
    return wave_create(
        instrument=Instrument.objects.get(slug="coproduction-in-your-area", version=1),
        owner=world.library_b,
        area=world.county,
        label="Residents' views 2026",
        service=refuge,
        created_by=None,
    )


def test_its_survey_results_and_their_groups_stay_with_its_provider(
    world: World, refuge: Service, refuge_wave: SurveyWave
) -> None:
    for persona in ("commissioner funding A", "analyst"):
        user = world.users[persona]
        assert user is not None
        assert waves_for_service(user, refuge) == []
        assert not can_view_results(user, refuge_wave)
    staff = world.users["staff of B"]
    assert staff is not None
    assert waves_for_service(staff, refuge) == [refuge_wave]
    assert can_view_results(staff, refuge_wave)


def test_a_backer_still_sees_the_survey_of_a_service_that_is_not_sensitive(
    world: World, refuge_wave: SurveyWave
) -> None:
    Service.objects.filter(pk=refuge_wave.service_id).update(sensitive=False)
    refuge_wave.refresh_from_db()
    commissioner = world.users["commissioner funding A"]
    assert commissioner is not None
    assert can_view_results(commissioner, refuge_wave)
    assert waves_for_service(commissioner, refuge_wave.service) == [refuge_wave]
