"""Reminders before shifts and alerts about short shifts: sent once, to the right people."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from coproduce.accounts.services import participant_for
from coproduce.volunteering.models import ApplicationSource, Shift
from coproduce.volunteering.services import application_review, application_submit, shift_book
from coproduce.volunteering.tasks import alert_short_shifts, extend_rotas, remind_volunteers
from tests.conftest import World
from tests.volunteering.conftest import Rota, holds


def test_a_volunteer_is_reminded_once_the_day_before(world: World, rota: Rota) -> None:
    user = world.users["resident"]
    assert user is not None
    user.email = "volunteer@example.org"
    user.save()
    person = participant_for(user)
    application = application_submit(
        opportunity=rota.opportunity, participant=person, source=ApplicationSource.FAIR
    )
    application_review(application=application, accept=True, reviewed_by=None)
    holds(person, rota.dbs)
    shift = rota.shifts[0]
    shift_book(shift=shift, participant=person)
    assert remind_volunteers.call() == 0  # two days ahead: not yet
    Shift.objects.filter(pk=shift.pk).update(
        starts_at=timezone.now() + timedelta(hours=20), ends_at=timezone.now() + timedelta(hours=23)
    )
    call_command("send_volunteer_reminders", verbosity=0)
    assert remind_volunteers.call() == 0  # already sent by the command
    [sent] = [m for m in mail.outbox if m.to == ["volunteer@example.org"]]
    assert person.reference in sent.body
    assert world.service_a.name in sent.subject


def test_the_manager_hears_once_of_a_short_shift_three_days_ahead(world: World, rota: Rota) -> None:
    manager = world.users["manager of A"]
    assert manager is not None
    manager.email = "manager@example.org"
    manager.save()
    assert alert_short_shifts.call() == 1  # the first shift, two days ahead, nobody booked
    assert alert_short_shifts.call() == 0
    [sent] = mail.outbox
    assert sent.to == ["manager@example.org"]
    assert "0 of 2 volunteers" in sent.body


def test_the_rota_is_kept_twelve_weeks_ahead(rota: Rota) -> None:
    # The first shift is two days ahead: twelve fit in the next twelve weeks, five existed.
    assert extend_rotas.call() == 12 - 5
    assert extend_rotas.call() == 0
