"""Identity (who logs in) kept apart from participation (a pseudonymous profile).

A ``User`` is a login. A ``Participant`` is the person as the participation data sees
them: a random reference, never a name. Demographics hang off the participant, not the
user, and exist only with a recorded consent, so that identity can be erased while the
pseudonymous record (and the aggregates built on it) stays right.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from coproduce.core.choices import AgeBand
from coproduce.core.encryption import DigestField, EncryptedCharField, EncryptedEmailField
from coproduce.core.models import TimeStampedModel


class User(AbstractUser):
    """A login. The email address is optional: a username and a passphrase suffice.

    The address is encrypted at rest; its keyed digest finds the login for a
    passphrase reset (``selectors.logins_with_email``), since SQL cannot search the
    encrypted column."""

    email = EncryptedEmailField(_("email address"), blank=True)
    email_digest = DigestField(source="email")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"


class Participant(TimeStampedModel):
    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    user = models.OneToOneField(
        User,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participant",
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.reference


class ConsentPurpose(models.TextChoices):
    DEMOGRAPHICS = "demographics", _("Use my answers about me to see who takes part")


# The wording a person agreed to is versioned: a change of wording is a new version,
# and consent given to an older one stays recorded as it was.
CONSENT_VERSION = "2026-11"


class Consent(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    version = models.CharField(_("wording version"), max_length=20)
    given_at = models.DateTimeField(_("given"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.participant} {self.purpose} {self.version}"


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman or girl")
    MAN = "man", _("Man or boy")
    ANOTHER = "another", _("In another way")
    NOT_SAID = "not-said", _("Prefer not to say")


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    SELF_EMPLOYED = "self-employed", _("Self-employed")
    UNEMPLOYED = "unemployed", _("Unemployed and looking for work")
    STUDENT = "student", _("In full-time education")
    RETIRED = "retired", _("Retired")
    CARING = "caring", _("Looking after home or family")
    SICK_OR_DISABLED = "sick-or-disabled", _("Long-term sick or disabled")
    OTHER = "other", _("Other")
    NOT_SAID = "not-said", _("Prefer not to say")


class Disability(models.TextChoices):
    LIMITED_A_LOT = "a-lot", _("Yes, my day-to-day activities are limited a lot")
    LIMITED_A_LITTLE = "a-little", _("Yes, my day-to-day activities are limited a little")
    NO = "no", _("No")
    NOT_SAID = "not-said", _("Prefer not to say")


class Ethnicity(models.TextChoices):
    """The five high-level groups of the 2021 Census in England and Wales."""

    ASIAN = "asian", _("Asian or Asian British")
    BLACK = "black", _("Black, Black British, Caribbean or African")
    MIXED = "mixed", _("Mixed or multiple ethnic groups")
    WHITE = "white", _("White")
    OTHER = "other", _("Another ethnic group")
    NOT_SAID = "not-said", _("Prefer not to say")


class Demographics(TimeStampedModel):
    """Optional facts about a participant, kept only under a consent that is in force."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="demographics"
    )
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="+")
    age_band = EncryptedCharField(_("age"), max_length=8, choices=AgeBand.choices, blank=True)
    gender = EncryptedCharField(
        _("sex or gender"), max_length=10, choices=Gender.choices, blank=True
    )
    employment_status = EncryptedCharField(
        _("employment"), max_length=20, choices=EmploymentStatus.choices, blank=True
    )
    disability = EncryptedCharField(
        _("disability"), max_length=10, choices=Disability.choices, blank=True
    )
    ethnicity = EncryptedCharField(
        _("ethnic group"), max_length=10, choices=Ethnicity.choices, blank=True
    )
    postcode_district = EncryptedCharField(
        _("postcode district"),
        max_length=4,
        blank=True,
        help_text=_("The first half of a postcode only, such as EM4: never the full postcode."),
    )

    class Meta:
        verbose_name = _("demographics")
        verbose_name_plural = _("demographics")

    def __str__(self) -> str:
        return f"{self.participant}"
