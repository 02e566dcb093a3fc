"""Volunteering rules: applications, bookings without double-booking, swaps, hours."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coproduce.accounts.services import participant_create
from coproduce.engagement.ladder import EngagementForm
from coproduce.engagement.models import ParticipationKind, ParticipationRecord
from coproduce.organisations.models import Membership, Role
from coproduce.volunteering.models import (
    Application,
    ApplicationSource,
    ApplicationStatus,
    Capability,
    CapabilityRecord,
    HoursStatus,
    Shift,
    Signup,
    SignupStatus,
)
from coproduce.volunteering.services import (
    application_review,
    application_submit,
    closure_record,
    hours_log,
    hours_review,
    shift_attended,
    shift_book,
    shift_cancel,
    shift_swap,
    shifts_generate,
    training_session_record,
)
from tests.conftest import World
from tests.volunteering.conftest import Rota, holds, volunteer


def test_a_role_is_co_delivery_and_its_rota_makes_weekly_shifts(rota: Rota) -> None:
    assert rota.opportunity.activity.form == EngagementForm.COLLABORATE
    assert len(rota.shifts) == 5
    gaps = {b.starts_at - a.starts_at for a, b in zip(rota.shifts, rota.shifts[1:], strict=False)}
    assert gaps == {timedelta(days=7)}
    # Generating again adds nothing.
    assert (
        shifts_generate(pattern=rota.pattern, until=timezone.localdate() + timedelta(weeks=5)) == 0
    )


def test_applying_twice_is_refused_and_acceptance_makes_a_login_a_volunteer(
    world: World, rota: Rota
) -> None:
    resident = world.users["resident"]
    assert resident is not None
    person = resident.participant
    application = application_submit(
        opportunity=rota.opportunity, participant=person, source=ApplicationSource.FORMER_USER
    )
    with pytest.raises(ValidationError, match="already applied"):
        application_submit(
            opportunity=rota.opportunity, participant=person, source=ApplicationSource.FAIR
        )
    with pytest.raises(PermissionDenied):
        application_review(
            application=application, accept=True, reviewed_by=world.users["volunteer of A"]
        )
    application_review(application=application, accept=True, reviewed_by=world.users["staff of A"])
    assert (
        Membership.objects.get(user=resident, organisation=world.library_a).role == Role.VOLUNTEER
    )
    with pytest.raises(ValidationError, match="already been answered"):
        application_review(
            application=application, accept=False, reviewed_by=world.users["staff of A"]
        )
    assert Application.objects.get().status == ApplicationStatus.ACCEPTED


def test_a_shift_takes_no_more_than_it_needs(world: World, rota: Rota) -> None:
    shift = rota.shifts[0]
    first, second, third = (volunteer(world, rota.opportunity) for _ in range(3))
    shift_book(shift=shift, participant=first)
    shift_book(shift=shift, participant=second)
    with pytest.raises(ValidationError, match="full"):
        shift_book(shift=shift, participant=third)
    # Booking the same shift again changes nothing.
    shift_book(shift=shift, participant=first)
    assert Signup.objects.filter(shift=shift, status=SignupStatus.BOOKED).count() == 2


def test_one_person_cannot_be_in_two_places_at_once(world: World, rota: Rota) -> None:
    person = volunteer(world, rota.opportunity)
    shift = rota.shifts[0]
    shift_book(shift=shift, participant=person)
    clashing = Shift.objects.create(
        opportunity=rota.opportunity,
        starts_at=shift.starts_at + timedelta(hours=2),
        ends_at=shift.ends_at + timedelta(hours=2),
        needed=1,
    )
    with pytest.raises(ValidationError, match="already have a shift then"):
        shift_book(shift=clashing, participant=person)
    assert not Signup.objects.filter(shift=clashing).exists()


def test_a_role_needing_a_check_refuses_an_expired_one(world: World, rota: Rota) -> None:
    person = volunteer(world, rota.opportunity, dbs=False)
    holds(person, rota.dbs, until=timezone.localdate())  # runs out before the shift
    with pytest.raises(ValidationError, match="DBS check"):
        shift_book(shift=rota.shifts[0], participant=person)
    stranger = participant_create(user=None)
    with pytest.raises(ValidationError, match="Only volunteers accepted"):
        shift_book(shift=rota.shifts[0], participant=stranger)


def test_a_swap_must_not_leave_the_shift_without_a_key_holder(world: World, rota: Rota) -> None:
    shift = rota.shifts[0]
    key_holder, other, unqualified, qualified = (
        volunteer(world, rota.opportunity) for _ in range(4)
    )
    holds(key_holder, rota.key_holder)
    holds(qualified, rota.key_holder)
    leaving = shift_book(shift=shift, participant=key_holder)
    shift_book(shift=shift, participant=other)
    with pytest.raises(ValidationError, match="no one with Key-holder"):
        shift_swap(signup=leaving, to=unqualified)
    taken = shift_swap(signup=leaving, to=qualified)
    assert taken.participant == qualified
    leaving.refresh_from_db()
    assert leaving.status == SignupStatus.CANCELLED
    assert Signup.objects.filter(shift=shift, status=SignupStatus.BOOKED).count() == 2


def test_a_closure_cancels_the_days_shifts_and_refuses_bookings(world: World, rota: Rota) -> None:
    shift = rota.shifts[1]
    closure_record(
        service=world.service_a,
        day=timezone.localdate(shift.starts_at),
        reason="No volunteers over half term",
        recorded_by=world.users["manager of A"],
    )
    shift.refresh_from_db()
    assert shift.cancelled
    with pytest.raises(ValidationError, match="cancelled"):
        shift_book(shift=shift, participant=volunteer(world, rota.opportunity))
    with pytest.raises(ValidationError, match="Say why"):
        closure_record(
            service=world.service_a,
            day=timezone.localdate(),
            reason=" ",
            recorded_by=world.users["manager of A"],
        )


def test_an_attended_shift_becomes_hours_and_one_ledger_record(world: World, rota: Rota) -> None:
    person = volunteer(world, rota.opportunity)
    shift = rota.shifts[0]
    signup = shift_book(shift=shift, participant=person)
    with pytest.raises(ValidationError, match="not started"):
        shift_attended(signup=signup, came=True, recorded_by=world.users["staff of A"])
    Shift.objects.filter(pk=shift.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now()
    )
    signup.refresh_from_db()
    entry = shift_attended(signup=signup, came=True, recorded_by=world.users["staff of A"])
    shift_attended(signup=signup, came=True, recorded_by=world.users["staff of A"])
    assert entry is not None
    assert (entry.hours, entry.status) == (Decimal("3.00"), HoursStatus.APPROVED)
    record = ParticipationRecord.objects.get(kind=ParticipationKind.VOLUNTEERED)
    assert record.participant == person


def test_ad_hoc_hours_wait_for_approval_and_never_for_the_future(world: World, rota: Rota) -> None:
    person = volunteer(world, rota.opportunity)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="today or earlier"):
        hours_log(
            participant=person, opportunity=rota.opportunity, worked_on=tomorrow, hours=Decimal(2)
        )
    with pytest.raises(ValidationError, match=r"between 0\.25 and 24"):
        hours_log(
            participant=person,
            opportunity=rota.opportunity,
            worked_on=timezone.localdate(),
            hours=Decimal(25),
        )
    entry = hours_log(
        participant=person,
        opportunity=rota.opportunity,
        worked_on=timezone.localdate(),
        hours=Decimal("1.5"),
        note="Sorted the donated books",
    )
    assert not ParticipationRecord.objects.exists()
    hours_review(entry=entry, approve=True, reviewed_by=world.users["manager of A"])
    with pytest.raises(ValidationError, match="already been reviewed"):
        hours_review(entry=entry, approve=False, reviewed_by=world.users["manager of A"])
    assert ParticipationRecord.objects.filter(kind=ParticipationKind.VOLUNTEERED).count() == 1


def test_a_booking_can_be_cancelled_before_the_shift(world: World, rota: Rota) -> None:
    person = volunteer(world, rota.opportunity)
    signup = shift_book(shift=rota.shifts[0], participant=person)
    shift_cancel(signup=signup)
    signup.refresh_from_db()
    assert signup.status == SignupStatus.CANCELLED
    # The place is free again, and the same person may take it back.
    shift_book(shift=rota.shifts[0], participant=person)


def test_a_training_session_gives_everyone_who_came_the_course(world: World, rota: Rota) -> None:
    lms = Capability.objects.create(name="Library management system", kind="training")
    first, second = volunteer(world, rota.opportunity), volunteer(world, rota.opportunity)
    held = timezone.localdate() - timedelta(days=10)
    with pytest.raises(ValidationError, match="P-0000-0000"):
        training_session_record(
            service=world.service_a,
            capability=lms,
            held_on=held,
            provider="Eastmere County Council",
            valid_for_months=24,
            references=[first.reference, "p-0000-0000"],
            recorded_by=world.users["staff of A"],
        )
    with pytest.raises(ValidationError, match="once it has happened"):
        training_session_record(
            service=world.service_a,
            capability=lms,
            held_on=timezone.localdate() + timedelta(days=1),
            provider="",
            valid_for_months=None,
            references=[first.reference],
            recorded_by=world.users["staff of A"],
        )
    session = training_session_record(
        service=world.service_a,
        capability=lms,
        held_on=held,
        provider="Eastmere County Council",
        valid_for_months=24,
        references=[first.reference.lower(), second.reference],
        recorded_by=world.users["staff of A"],
    )
    assert set(session.attendees.all()) == {first, second}
    record = CapabilityRecord.objects.get(participant=first, capability=lms)
    assert record.expires_on == held.replace(year=held.year + 2)
