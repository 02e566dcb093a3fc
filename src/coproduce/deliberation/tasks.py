"""Background work of public consultations: telling people the outcome, by email.

Each follow-up is claimed with a conditional UPDATE before its email is sent, so two
workers, or a rerun, never tell anyone twice; a failed send releases its claim.
"""

from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task


@task()
def tell_the_outcome(*, consultation_id: int) -> int:
    """Email the outcome to everyone who asked and whose login has an email address."""
    from .models import Consultation, FollowUp
    from .notifications import outcome_message

    consultation = Consultation.objects.select_related("activity__service").get(pk=consultation_id)
    waiting = (
        FollowUp.objects.filter(consultation=consultation, notified_at__isnull=True)
        .exclude(participant__user__email="")
        .exclude(participant__user__isnull=True)
        .select_related("participant__user")
        .order_by("pk")
    )
    sent = 0
    for follow_up in waiting:
        claimed = FollowUp.objects.filter(pk=follow_up.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
        if not claimed:
            continue
        email = follow_up.participant.user.email if follow_up.participant.user else ""
        subject, body = outcome_message(consultation, follow_up.participant)
        try:
            send_mail(subject, body, None, [email])
        except Exception:
            FollowUp.objects.filter(pk=follow_up.pk).update(notified_at=None)
            raise
        sent += 1
    return sent
