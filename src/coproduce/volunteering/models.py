"""Volunteering: opportunities, applications, rotas of shifts, hours, and capability.

People are their pseudonymous participants, never names. A *capability* is a skill, a
course of training or a safeguarding check (such as a DBS check); a person's
*capability record* says when they gained it and, for most checks and courses, when
it expires. An opportunity may require checks of everyone who takes it; a shift may
need at least one person with a capability (a key-holder, someone trained on the
library management system).

No one is double-booked: a person's bookings are checked for overlaps, and a shift's
places are counted, while the shift's row is locked (see ``services``); the database
keeps one live booking per person and shift.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from coproduce.core.encryption import EncryptedTextField
from coproduce.core.models import TimeStampedModel


class CapabilityKind(models.TextChoices):
    SKILL = "skill", _("Skill")
    TRAINING = "training", _("Training")
    CHECK = "check", _("Safeguarding check")


class Capability(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=CapabilityKind.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")

    def __str__(self) -> str:
        return self.name


class CapabilityRecord(TimeStampedModel):
    participant = models.ForeignKey(
        "accounts.Participant", on_delete=models.CASCADE, related_name="capabilities"
    )
    capability = models.ForeignKey(Capability, on_delete=models.PROTECT, related_name="records")
    obtained_on = models.DateField(_("gained on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    provider = models.CharField(_("given by"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session = models.ForeignKey(
        "TrainingSession", null=True, blank=True, on_delete=models.CASCADE, related_name="records"
    )

    class Meta:
        ordering = ["capability__name", "-obtained_on"]
        verbose_name = _("capability record")
        verbose_name_plural = _("capability records")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("obtained_on")),
                name="capability_expires_after_it_is_gained",
            ),
        ]
        indexes = [models.Index(fields=["participant", "capability"])]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.capability_id}"


class TrainingSession(TimeStampedModel):
    """A course held for several people (the county's library management system
    training, say): attending it gives each person the capability."""

    service = models.ForeignKey(
        "organisations.Service", on_delete=models.PROTECT, related_name="training_sessions"
    )
    capability = models.ForeignKey(Capability, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField(_("held on"))
    provider = models.CharField(_("given by"), max_length=200, blank=True)
    valid_for_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), null=True, blank=True
    )
    attendees = models.ManyToManyField(
        "accounts.Participant", related_name="training_sessions", verbose_name=_("who came")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return f"{self.capability_id} {self.held_on}"


class Opportunity(TimeStampedModel):
    service = models.ForeignKey(
        "organisations.Service", on_delete=models.PROTECT, related_name="opportunities"
    )
    activity = models.ForeignKey(
        "engagement.Activity", on_delete=models.PROTECT, related_name="opportunities"
    )
    title = models.CharField(_("role"), max_length=200)
    description = models.TextField(_("what the role involves"), blank=True)
    time_commitment = models.CharField(_("time it takes"), max_length=200, blank=True)
    wanted = models.ManyToManyField(
        Capability, blank=True, related_name="wanted_by", verbose_name=_("skills wanted")
    )
    checks = models.ManyToManyField(
        Capability, blank=True, related_name="required_by", verbose_name=_("checks required")
    )
    open = models.BooleanField(_("open to applications"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("volunteering opportunity")
        verbose_name_plural = _("volunteering opportunities")

    def __str__(self) -> str:
        return self.title


class ApplicationSource(models.TextChoices):
    FAIR = "fair", _("A volunteering or university fair")
    REFERRAL = "referral", _("Referred by another organisation")
    FORMER_USER = "former-user", _("Used the service before")
    WORD_OF_MOUTH = "word-of-mouth", _("Word of mouth")
    OTHER = "other", _("Another way")


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", _("Waiting for a reply")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(TimeStampedModel):
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="applications"
    )
    participant = models.ForeignKey(
        "accounts.Participant", on_delete=models.PROTECT, related_name="applications"
    )
    source = models.CharField(
        _("how you heard of it"), max_length=16, choices=ApplicationSource.choices
    )
    message = EncryptedTextField(_("message"), blank=True)
    status = models.CharField(
        max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.APPLIED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "participant"],
                condition=models.Q(status__in=["applied", "accepted"]),
                name="one_live_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} → {self.opportunity_id}"


class ShiftPattern(TimeStampedModel):
    """A shift that repeats every week, such as Saturday 10:00-13:00."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="patterns")
    weekday = models.PositiveSmallIntegerField(
        _("day of the week"), validators=[MaxValueValidator(6)]
    )  # 0 is Monday
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    needed = models.PositiveSmallIntegerField(
        _("volunteers needed"), validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    needs = models.ManyToManyField(
        Capability, blank=True, related_name="+", verbose_name=_("someone on the shift with")
    )
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["weekday", "starts"]
        verbose_name = _("shift pattern")
        verbose_name_plural = _("shift patterns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__gt=models.F("starts")), name="pattern_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity_id} {self.weekday} {self.starts}"


class Shift(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="shifts")
    pattern = models.ForeignKey(
        ShiftPattern, null=True, blank=True, on_delete=models.SET_NULL, related_name="shifts"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    needed = models.PositiveSmallIntegerField(_("volunteers needed"))
    cancelled = models.BooleanField(default=False)
    # When the manager was told the shift was still short, 72 hours ahead.
    alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            models.UniqueConstraint(fields=["pattern", "starts_at"], name="shift_once_a_pattern"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="shift_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["opportunity", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.opportunity_id} {self.starts_at:%Y-%m-%d %H:%M}"


class SignupStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Came")
    MISSED = "missed", _("Did not come")


# Bookings that hold a place on the shift.
LIVE = (SignupStatus.BOOKED, SignupStatus.ATTENDED)


class Signup(TimeStampedModel):
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    participant = models.ForeignKey(
        "accounts.Participant", on_delete=models.PROTECT, related_name="shift_signups"
    )
    status = models.CharField(
        max_length=10, choices=SignupStatus.choices, default=SignupStatus.BOOKED
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["shift__starts_at"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "participant"],
                condition=models.Q(status__in=["booked", "attended"]),
                name="one_live_booking",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} on {self.shift_id}"


class Closure(TimeStampedModel):
    """A day the service did not open (Case 1 sends these to the county)."""

    service = models.ForeignKey(
        "organisations.Service", on_delete=models.PROTECT, related_name="closures"
    )
    day = models.DateField(_("day"))
    reason = models.CharField(_("why"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-day"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        constraints = [
            models.UniqueConstraint(fields=["service", "day"], name="one_closure_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.day}"


class HoursStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")


class HoursEntry(TimeStampedModel):
    participant = models.ForeignKey(
        "accounts.Participant", on_delete=models.PROTECT, related_name="volunteer_hours"
    )
    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="hours")
    signup = models.OneToOneField(
        Signup, null=True, blank=True, on_delete=models.PROTECT, related_name="hours"
    )
    worked_on = models.DateField(_("day"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))],
    )
    note = models.CharField(_("what you did"), max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=HoursStatus.choices)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-worked_on"]
        verbose_name = _("volunteer hours")
        verbose_name_plural = _("volunteer hours")

    def __str__(self) -> str:
        return f"{self.participant_id} {self.worked_on} {self.hours}"
