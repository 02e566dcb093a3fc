"""Sensitive fields are encrypted at rest, read back by the ORM, and survive a key rotation."""

import hashlib

import pytest
from django.core.management import call_command
from django.db import connection
from pytest_django import Settings

from coproduce.accounts.models import Demographics
from coproduce.accounts.selectors import logins_with_email
from coproduce.accounts.services import demographics_record, participant_create
from coproduce.core.encryption import reencrypt
from coproduce.events.models import Rsvp
from coproduce.events.services import Contact, rsvp_create
from tests.conftest import World
from tests.events.conftest import make_activity, make_event

ANSWERS = {
    "age_band": "25-34",
    "gender": "woman",
    "employment_status": "employed",
    "disability": "no",
    "ethnicity": "white",
    "postcode_district": "EM4",
}


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        value: str = cursor.fetchone()[0]
    return value


@pytest.fixture
def demographics(world: World) -> Demographics:
    user = world.users["resident"]
    assert user is not None
    kept = demographics_record(participant=user.participant, consent_given=True, answers=ANSWERS)
    assert kept is not None
    return kept


def test_demographics_are_not_plaintext_in_the_database_and_read_back(
    demographics: Demographics,
) -> None:
    for column, value in ANSWERS.items():
        stored = raw("accounts_demographics", column, demographics.pk)
        assert value not in stored
        assert stored.startswith("gAAAA")  # a Fernet token
    assert Demographics.objects.values(*ANSWERS).get() == ANSWERS


def test_an_empty_answer_stays_empty_so_blank_filters_still_work(world: World) -> None:
    user = world.users["resident"]
    assert user is not None
    kept = demographics_record(
        participant=user.participant, consent_given=True, answers={"age_band": "25-34"}
    )
    assert kept is not None
    assert raw("accounts_demographics", "gender", kept.pk) == ""
    assert Demographics.objects.filter(gender="").count() == 1


def test_an_rsvp_email_and_phone_are_encrypted(rsvp: Rsvp) -> None:
    assert "@" not in raw("events_rsvp", "email", rsvp.pk)
    assert "07700" not in raw("events_rsvp", "phone", rsvp.pk)
    fresh = Rsvp.objects.get(pk=rsvp.pk)
    assert (fresh.email, fresh.phone) == ("sam@example.org", "07700 900123")


@pytest.fixture
def rsvp(world: World) -> Rsvp:
    event = make_event(make_activity(world.service_a))
    contact = Contact(nickname="Sam", email="sam@example.org", phone="07700 900123")
    return rsvp_create(event=event, participant=participant_create(user=None), contact=contact).rsvp


def test_an_older_key_still_decrypts_and_rotation_moves_rows_to_the_newest(
    demographics: Demographics, settings: Settings
) -> None:
    before = raw("accounts_demographics", "gender", demographics.pk)
    settings.SALT_KEY = ["a-newer-key", *settings.SALT_KEY]
    assert Demographics.objects.get().gender == "woman"
    call_command("rotate_field_keys")
    after = raw("accounts_demographics", "gender", demographics.pk)
    assert after != before
    settings.SALT_KEY = ["a-newer-key"]  # the old key dropped: rows still read
    assert Demographics.objects.values(*ANSWERS).get() == ANSWERS


def test_a_row_written_before_encryption_is_encrypted_by_the_migration_step(
    demographics: Demographics,
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_demographics SET gender = 'woman'")
    assert reencrypt(Demographics) == 1
    assert raw("accounts_demographics", "gender", demographics.pk).startswith("gAAAA")
    assert Demographics.objects.get().gender == "woman"


def test_a_login_email_is_encrypted_and_found_by_its_keyed_digest(
    world: World, settings: Settings
) -> None:
    user = world.users["resident"]
    assert user is not None
    user.email = "Resident@Example.org"
    user.save()
    stored = raw("accounts_user", "email", user.pk)
    assert "@" not in stored
    assert stored.startswith("gAAAA")
    digest = raw("accounts_user", "email_digest", user.pk)
    assert digest not in {hashlib.sha256(b"resident@example.org").hexdigest(), ""}
    assert logins_with_email(" resident@EXAMPLE.org ") == [user]
    assert logins_with_email("someone@example.org") == []
    # A newer key: the row, still under the old one, is found; rotation moves its digest.
    settings.SALT_KEY = ["a-newer-key", *settings.SALT_KEY]
    assert logins_with_email("resident@example.org") == [user]
    call_command("rotate_field_keys")
    assert raw("accounts_user", "email_digest", user.pk) != digest
    settings.SALT_KEY = ["a-newer-key"]
    assert logins_with_email("resident@example.org") == [user]
