import pytest
from django.test import Client

from coproduce.accounts.models import CONSENT_VERSION, Consent, Demographics
from tests.conftest import World

ANSWERS = {
    "age_band": "25-34",
    "gender": "woman",
    "employment_status": "employed",
    "disability": "no",
    "ethnicity": "not-said",
    "postcode_district": "em4",
}


@pytest.fixture
def resident_client(world: World) -> Client:
    client = Client()
    user = world.users["resident"]
    assert user is not None
    client.force_login(user)
    return client


def test_demographics_are_kept_only_with_consent_and_apart_from_the_login(
    resident_client: Client, world: World
) -> None:
    response = resident_client.post("/account/", {**ANSWERS, "consent": "on"}, follow=True)
    assert "Your answers are saved." in response.content.decode()
    demographics = Demographics.objects.get()
    assert demographics.participant.user == world.users["resident"]
    assert demographics.postcode_district == "EM4"
    assert demographics.consent.version == CONSENT_VERSION
    assert demographics.consent.withdrawn_at is None
    # Stored on the participant, not on the login.
    assert not hasattr(world.users["resident"], "age_band")


def test_without_consent_nothing_about_the_person_is_kept(resident_client: Client) -> None:
    response = resident_client.post("/account/", ANSWERS, follow=True)
    assert "Nothing about you is kept." in response.content.decode()
    assert not Demographics.objects.exists()
    assert not Consent.objects.exists()


def test_withdrawing_consent_deletes_the_answers_and_records_the_withdrawal(
    resident_client: Client,
) -> None:
    resident_client.post("/account/", {**ANSWERS, "consent": "on"})
    resident_client.post("/account/", ANSWERS)
    assert not Demographics.objects.exists()
    consent = Consent.objects.get()
    assert consent.withdrawn_at is not None


@pytest.mark.parametrize("postcode", ["EM4 9XD", "12", "E", "EM4!"])
def test_a_full_postcode_or_nonsense_is_refused(resident_client: Client, postcode: str) -> None:
    response = resident_client.post(
        "/account/", {**ANSWERS, "postcode_district": postcode, "consent": "on"}
    )
    assert response.status_code == 200
    assert "first half of a postcode" in " ".join(
        response.context["form"].errors["postcode_district"]
    )
    assert not Demographics.objects.exists()


def test_an_unknown_choice_is_refused_and_earlier_answers_stay(resident_client: Client) -> None:
    resident_client.post("/account/", {**ANSWERS, "consent": "on"})
    response = resident_client.post("/account/", {**ANSWERS, "age_band": "200+", "consent": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["age_band"]
    assert Demographics.objects.get().age_band == "25-34"
