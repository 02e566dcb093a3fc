import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from coproduce.accounts.models import Participant
from coproduce.accounts.services import demographics_record, participant_create
from coproduce.engagement.models import Activity, ParticipationRecord
from tests.engagement.conftest import record

ANSWERS = {
    "age_band": "25-34",
    "gender": "woman",
    "employment_status": "employed",
    "disability": "no",
    "ethnicity": "white",
    "postcode_district": "EM4",
}


@pytest.fixture
def person(db: None) -> Participant:
    participant = participant_create(user=None)
    demographics_record(participant=participant, consent_given=True, answers=ANSWERS)
    return participant


def test_the_same_act_recorded_twice_counts_once(activity: Activity, person: Participant) -> None:
    first, created = record(activity, "rsvp:1", participant=person)
    again, created_again = record(activity, "rsvp:1", participant=person)
    assert created
    assert not created_again
    assert first.pk == again.pk
    assert ParticipationRecord.objects.count() == 1


def test_a_record_keeps_the_demographics_as_they_were_then(
    activity: Activity, person: Participant
) -> None:
    before, _ = record(activity, "a", participant=person)
    demographics_record(
        participant=person,
        consent_given=True,
        answers={**ANSWERS, "age_band": "35-44", "postcode_district": "EM9"},
    )
    after, _ = record(activity, "b", participant=person)
    before.refresh_from_db()
    assert (before.age_band, before.postcode_district) == ("25-34", "EM4")
    assert (after.age_band, after.postcode_district) == ("35-44", "EM9")


def test_without_consent_no_demographics_are_copied(activity: Activity) -> None:
    stranger = participant_create(user=None)
    entry, _ = record(activity, "c", participant=stranger)
    assert entry.age_band == ""
    assert entry.postcode_district == ""


def test_people_not_known_individually_are_an_anonymous_count(activity: Activity) -> None:
    entry, _ = record(activity, "drop-in:2026-01-05", people=12)
    assert entry.participant is None
    assert entry.people == 12


def test_a_known_person_cannot_be_counted_as_several(
    activity: Activity, person: Participant
) -> None:
    with pytest.raises(ValidationError, match="counts as one person"):
        record(activity, "d", participant=person, people=3)
    with pytest.raises(ValidationError, match="at least one person"):
        record(activity, "e", people=0)
    assert not ParticipationRecord.objects.exists()


def test_a_duplicate_inside_a_callers_transaction_leaves_it_usable(
    activity: Activity, person: Participant
) -> None:
    record(activity, "f", participant=person)
    with transaction.atomic():
        _, created = record(activity, "f", participant=person)
        assert not created
        record(activity, "g", participant=person)
    assert ParticipationRecord.objects.count() == 2
