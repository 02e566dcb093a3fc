"""Every write about logins, participants, consent and demographics."""

import random

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from coproduce.accounts.models import (
    CONSENT_VERSION,
    Consent,
    ConsentPurpose,
    Demographics,
    Participant,
    User,
)
from coproduce.core.references import new_reference

BACKUP_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"

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


def two_factor_app_start(user: User) -> TOTPDevice:
    """The authenticator app being set up: a new secret, kept until a code confirms it."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": APP_DEVICE_NAME}
    )
    return device


@transaction.atomic
def two_factor_app_confirm(request: HttpRequest, device: TOTPDevice, code: str) -> list[str]:
    """Switch two-factor sign-in on once the app's first code is right.

    Returns the backup codes, made now and shown only this once: each works one time in
    place of the app's code. The session counts as having given a code.
    """
    _check_code([device], code)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    StaticDevice.objects.filter(user=device.user).delete()
    backup = StaticDevice.objects.create(user=device.user, name=BACKUP_DEVICE_NAME)
    codes = [StaticToken.random_token() for _code in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=backup, token=code) for code in codes)
    otp_login(request, device)
    return codes


def two_factor_verify(request: HttpRequest, user: User, code: str) -> None:
    """Accept a code from the app or a backup code for this session, or refuse it."""
    otp_login(request, _check_code(list(devices_for_user(user, confirmed=True)), code))


def _check_code(devices: list[Device], code: str) -> Device:
    """The device that accepts the code. Each refuses a code used before, and after a
    wrong code makes the next try wait (django-otp doubles the wait each time)."""
    allowed = [device for device in devices if device.verify_is_allowed()[0]]
    if devices and not allowed:
        raise ValidationError(
            _("Too many wrong codes. Wait a minute, then enter the code your app shows now.")
        )
    for device in allowed:
        if device.verify_token(code):
            return device
    raise ValidationError(
        _(
            "That code is not right. Enter the code your app shows now, or one of your "
            "backup codes. Each code works once."
        )
    )
