"""Events of an engagement activity, the replies (RSVPs) to them and their waiting lists.

An ``Event`` is one dated occasion of an ``engagement.Activity``: a weekly knit and
natter is one activity with many events. An ``Rsvp`` is one person's reply, by their
pseudonymous participant; a person has at most one reply per event (a database
constraint), which moves between *accepted*, *waiting* and *cancelled*. Attendance is
not stored here as a count: a check-in writes the participation ledger
(``engagement.services.participation_record``), and ``checked_in_at`` only remembers,
for the attendee list, that it was done.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.encryption import EncryptedCharField, EncryptedEmailField
from coproduce.core.models import TimeStampedModel


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class Event(TimeStampedModel):
    activity = models.ForeignKey(
        "engagement.Activity",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(
        _("place"),
        max_length=300,
        blank=True,
        help_text=_(
            "For a sensitive service the place is shown only to people with a place, "
            "never publicly."
        ),
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no limit."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gte=1),
                name="event_capacity_at_least_one",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()


class RsvpStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Has a place")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Rsvp(TimeStampedModel):
    """One person's reply to one event: a place, a place on the waiting list, or cancelled.

    Contact details are optional and kept only for reminders and news of a place; the
    private cancel link's token is stored as a SHA-256 hash, so a copy of the database
    does not let anyone cancel someone else's place.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    participant = models.ForeignKey(
        "accounts.Participant", on_delete=models.PROTECT, related_name="event_rsvps"
    )
    status = models.CharField(_("status"), max_length=10, choices=RsvpStatus.choices)
    # Waiting-list order: the time the person joined the queue (kept on promotion).
    queued_at = models.DateTimeField(_("replied"), default=timezone.now)
    nickname = EncryptedCharField(_("name to give at the door"), max_length=60)
    email = EncryptedEmailField(_("email address"), blank=True)
    phone = EncryptedCharField(_("phone number"), max_length=20, blank=True)
    remind = models.BooleanField(_("send a reminder"), default=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    promoted_at = models.DateTimeField(
        _("given a place from the waiting list"), null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)

    class Meta:
        ordering = ["queued_at", "pk"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "participant"], name="rsvp_one_per_person_per_event"
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.participant} → {self.event} ({self.status})"
