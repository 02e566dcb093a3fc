"""Every write about logins, participants, consent and demographics."""

import random

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from coproduce.accounts.models import (
    CONSENT_VERSION,
    Consent,
    ConsentPurpose,
    Demographics,
    Participant,
    User,
)
from coproduce.core.references import new_reference

# With 40 random bits a clash is about one in a million even with a million participants;
# a few retries make it practically impossible rather than merely unlikely.
_REFERENCE_ATTEMPTS = 5


def participant_create(*, user: User | None, rng: random.Random | None = None) -> Participant:
    for _attempt in range(_REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Participant.objects.create(reference=new_reference("P", rng=rng), user=user)
        except IntegrityError:
            if user is not None and Participant.objects.filter(user=user).exists():
                raise
    raise RuntimeError("could not draw an unused participant reference")


@transaction.atomic
def user_sign_up(
    *, username: str, password: str, email: str = "", rng: random.Random | None = None
) -> User:
    """Create a login and its pseudonymous participant profile.

    The password is validated here too, not only in the form, so that no caller can
    create a login with a weak passphrase.
    """
    user = get_user_model()(username=username, email=email)
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    participant_create(user=user, rng=rng)
    return user


def participant_for(user: User) -> Participant:
    """The participant profile of a login, created on first need (e.g. for staff)."""
    participant = Participant.objects.filter(user=user).first()
    return participant or participant_create(user=user)


@transaction.atomic
def demographics_record(
    *, participant: Participant, consent_given: bool, answers: dict[str, str]
) -> Demographics | None:
    """Keep a participant's answers about themselves, only under a consent in force.

    Without consent nothing is kept, and any earlier answers are deleted with the
    consent withdrawn: no consent, no demographics.
    """
    now = timezone.now()
    current = _current_consent(participant)
    if not consent_given:
        Demographics.objects.filter(participant=participant).delete()
        if current is not None:
            current.withdrawn_at = now
            current.save(update_fields=["withdrawn_at"])
        return None
    if current is None or current.version != CONSENT_VERSION:
        current = Consent.objects.create(
            participant=participant,
            purpose=ConsentPurpose.DEMOGRAPHICS,
            version=CONSENT_VERSION,
            given_at=now,
        )
    demographics, _created = Demographics.objects.update_or_create(
        participant=participant, defaults={**answers, "consent": current}
    )
    demographics.full_clean()
    return demographics


def _current_consent(participant: Participant) -> Consent | None:
    return (
        Consent.objects.filter(
            participant=participant,
            purpose=ConsentPurpose.DEMOGRAPHICS,
            withdrawn_at__isnull=True,
        )
        .order_by("-given_at")
        .first()
    )
