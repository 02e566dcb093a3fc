"""Consent is versioned: the person sees each consent given and when it ended, and a new
wording of the consent asks them again."""

import re

import pytest
from django.test import Client

from coproduce.accounts.models import CONSENT_VERSION, Consent
from coproduce.accounts.privacy import consent_history, consent_needs_renewal
from coproduce.accounts.services import demographics_record, participant_for
from tests.conftest import World

TICKED = re.compile(r'name="consent"[^>]* checked')
ANSWERS = {"age_band": "25-34", "gender": "woman", "postcode_district": "EM4"}


@pytest.fixture
def resident_client(world: World) -> Client:
    client = Client()
    client.force_login(world.users["resident"])  # type: ignore[arg-type]
    return client


def agree_to_an_earlier_wording(world: World) -> None:
    participant = participant_for(world.users["resident"])  # type: ignore[arg-type]
    demographics_record(participant=participant, consent_given=True, answers=ANSWERS)
    Consent.objects.filter(participant=participant).update(version="2025-01")


def test_a_new_wording_asks_again(world: World, resident_client: Client) -> None:
    agree_to_an_earlier_wording(world)
    participant = participant_for(world.users["resident"])  # type: ignore[arg-type]
    assert consent_needs_renewal(participant)
    page = resident_client.get("/account/").content.decode()
    assert 'name="consent"' in page
    assert not TICKED.search(page)
    assert (
        "The wording you agreed to has changed"
        in resident_client.get("/account/your-data/").content.decode()
    )
    resident_client.post("/account/", {**ANSWERS, "consent": "on"})
    assert not consent_needs_renewal(participant)
    assert [c.version for c in participant.consents.order_by("given_at", "pk")] == [
        "2025-01",
        CONSENT_VERSION,
    ]


def test_the_history_shows_when_each_consent_ended(world: World, resident_client: Client) -> None:
    agree_to_an_earlier_wording(world)
    resident_client.post("/account/", {**ANSWERS, "consent": "on"})
    resident_client.post("/account/", {**ANSWERS})  # withdrawn
    participant = participant_for(world.users["resident"])  # type: ignore[arg-type]
    older, newer = consent_history(participant)
    assert older.ended_at == newer.consent.given_at  # replaced by the newer wording
    assert newer.ended_at is not None  # withdrawn
    page = resident_client.get("/account/your-data/").content.decode()
    assert "2025-01" in page
    assert CONSENT_VERSION in page


def test_consent_to_the_current_wording_is_not_asked_again(
    world: World, resident_client: Client
) -> None:
    participant = participant_for(world.users["resident"])  # type: ignore[arg-type]
    demographics_record(participant=participant, consent_given=True, answers=ANSWERS)
    assert not consent_needs_renewal(participant)
    assert TICKED.search(resident_client.get("/account/").content.decode())
