"""Background work of volunteering: reminders before shifts, alerts about short shifts.

Each message is claimed with a conditional UPDATE before it is sent, so two workers, or
a rerun, never send it twice; a claim whose send fails is released for the next run.
Emails go only to people whose login has an address, and name the service only in
general terms: a volunteer's shift may be at a refuge. A sensitive service's shifts get
no reminder at all: a volunteer there cannot opt in to a safe channel, so nothing is
sent (survivor-safe mode, docs/survivor-safe.md); their shifts page lists them.
"""

from datetime import timedelta

from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

REMINDER_WINDOW = timedelta(hours=24)
ALERT_WINDOW = timedelta(hours=72)
ROTA_AHEAD = timedelta(weeks=12)


@task()
def extend_rotas() -> int:
    """Keep twelve weeks of every current weekly shift on the rota; how many were new."""
    from .models import ShiftPattern
    from .services import shifts_generate

    today = timezone.localdate()
    current = ShiftPattern.objects.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    return sum(
        shifts_generate(pattern=pattern, until=today + ROTA_AHEAD)
        for pattern in current.select_related("opportunity")
    )


@task()
def remind_volunteers() -> int:
    """Remind volunteers of their shifts starting within 24 hours, but a sensitive
    service's."""
    from .models import Signup, SignupStatus
    from .notifications import reminder_message

    now = timezone.now()
    due = (
        Signup.objects.filter(
            status=SignupStatus.BOOKED,
            reminded_at__isnull=True,
            shift__cancelled=False,
            shift__starts_at__gt=now,
            shift__starts_at__lte=now + REMINDER_WINDOW,
            shift__opportunity__service__sensitive=False,
        )
        .exclude(participant__user__isnull=True)
        .exclude(participant__user__email="")
        .select_related("shift__opportunity__service", "participant__user")
        .order_by("shift__starts_at", "pk")
    )
    sent = 0
    for signup in due:
        if not Signup.objects.filter(pk=signup.pk, reminded_at__isnull=True).update(
            reminded_at=timezone.now()
        ):
            continue
        subject, body = reminder_message(signup)
        email = signup.participant.user.email if signup.participant.user else ""
        try:
            send_mail(subject, body, None, [email])
        except Exception:
            Signup.objects.filter(pk=signup.pk).update(reminded_at=None)
            raise
        sent += 1
    return sent


@task()
def alert_short_shifts() -> int:
    """Tell the provider's managers about shifts within 72 hours that are still short."""
    from coproduce.organisations.models import Membership, Role

    from .models import Shift
    from .notifications import short_shift_message
    from .selectors import with_booked

    now = timezone.now()
    short = (
        with_booked(
            Shift.objects.filter(
                cancelled=False,
                alerted_at__isnull=True,
                starts_at__gt=now,
                starts_at__lte=now + ALERT_WINDOW,
            )
        )
        .select_related("opportunity__service")
        .order_by("starts_at", "pk")
    )
    sent = 0
    for shift in short:
        if shift.n_booked >= shift.needed:
            continue
        if not Shift.objects.filter(pk=shift.pk, alerted_at__isnull=True).update(
            alerted_at=timezone.now()
        ):
            continue
        managers = list(
            Membership.objects.filter(
                organisation_id=shift.opportunity.service.provider_id, role=Role.MANAGER
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
        if not managers:
            continue
        subject, body = short_shift_message(shift, shift.n_booked)
        try:
            send_mail(subject, body, None, managers)
        except Exception:
            Shift.objects.filter(pk=shift.pk).update(alerted_at=None)
            raise
        sent += 1
    return sent
