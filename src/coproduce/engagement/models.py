"""Engagement activities and the participation ledger.

Every act of taking part becomes exactly one ``ParticipationRecord``, written only by
``engagement.services.participation_record``. A record refers to a person by their
pseudonymous participant (never a name), or is an anonymous count, and keeps a snapshot
of the person's consented demographics as they were at that moment, so that reach is
not distorted when people age or move.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.models import Disability, EmploymentStatus, Ethnicity, Gender
from coproduce.core.choices import AgeBand
from coproduce.core.models import TimeStampedModel
from coproduce.engagement.ladder import CitizenRole, CoStage, EngagementForm, Rung


class Activity(TimeStampedModel):
    service = models.ForeignKey(
        "organisations.Service",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    form = models.CharField(_("form of engagement"), max_length=12, choices=EngagementForm.choices)
    rung = models.PositiveSmallIntegerField(_("rung on the ladder"), choices=Rung.choices)
    rung_reason = models.CharField(
        _("why this rung"),
        max_length=500,
        blank=True,
        help_text=_("Needed when the rung is not the usual one for the form."),
    )
    co_stage = models.CharField(
        _("stage of the service cycle"), max_length=12, choices=CoStage.choices
    )
    citizen_role = models.CharField(_("citizens' role"), max_length=16, choices=CitizenRole.choices)
    # A list of OutreachChannel values, checked by the service that writes it.
    channels = models.JSONField(_("channels"), default=list, blank=True)
    audience = models.CharField(_("audience"), max_length=300, blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    cost_amount = models.DecimalField(
        _("cost"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    cost_currency = models.CharField(_("currency"), max_length=3, default="GBP")
    staff_hours = models.DecimalField(
        _("staff hours"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    volunteer_hours = models.DecimalField(
        _("volunteer hours"),
        max_digits=9,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(rung__gte=1, rung__lte=8), name="activity_rung_1_to_8"
            ),
        ]
        indexes = [models.Index(fields=["service", "starts_on"])]

    def __str__(self) -> str:
        return self.title


class ParticipationKind(models.TextChoices):
    ATTENDED_EVENT = "attended-event", _("Attended an event")
    FORUM_MEETING = "forum-meeting", _("Came to a forum meeting")
    ANSWERED_FORM = "answered-form", _("Answered a survey or feedback form")
    COMMENTED = "commented", _("Commented")
    PROPOSED = "proposed", _("Proposed")
    VOTED = "voted", _("Voted")
    VOLUNTEERED = "volunteered", _("Volunteered a shift")
    FOLLOWED_LINK = "followed-link", _("Followed a campaign link or QR code")
    REFERRED = "referred", _("Was referred")


class ArrivalChannel(models.TextChoices):
    """How the act of taking part reached the service."""

    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper")
    TELEPHONE = "telephone", _("Telephone")
    IN_PERSON = "in-person", _("In person")
    ASSISTED = "assisted", _("Assisted by staff or a volunteer")


class ParticipationRecord(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="participation")
    kind = models.CharField(_("kind"), max_length=16, choices=ParticipationKind.choices)
    occurred_at = models.DateTimeField(_("when"))
    channel = models.CharField(_("arrived by"), max_length=10, choices=ArrivalChannel.choices)
    participant = models.ForeignKey(
        "accounts.Participant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participation",
    )
    # How many people the record stands for: 1 for a known participant, or a count of
    # people not known individually (40 leaflets taken, 12 people at a drop-in).
    people = models.PositiveIntegerField(_("people"), default=1, validators=[MinValueValidator(1)])
    # Identifies the act itself, so that submitting it again never counts twice
    # (e.g. "event-rsvp:12:P-7KQ2-9XD3" or a form's response id).
    act_key = models.CharField(max_length=200, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The consented demographics at the moment of taking part (blank: not known).
    age_band = models.CharField(max_length=8, choices=AgeBand.choices, blank=True)
    gender = models.CharField(max_length=10, choices=Gender.choices, blank=True)
    employment_status = models.CharField(
        max_length=20, choices=EmploymentStatus.choices, blank=True
    )
    disability = models.CharField(max_length=10, choices=Disability.choices, blank=True)
    ethnicity = models.CharField(max_length=10, choices=Ethnicity.choices, blank=True)
    postcode_district = models.CharField(max_length=4, blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("participation record")
        verbose_name_plural = _("participation records")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participant__isnull=True) | models.Q(people=1),
                name="participation_known_person_counts_once",
            ),
        ]
        indexes = [
            # Covering on PostgreSQL: the dashboards' sums and monthly counts read the
            # index alone, never the table (benchmarks/bench_ledger.py).
            models.Index(
                fields=["activity", "occurred_at"],
                include=["people", "participant"],
                name="participation_by_activity",
            ),
            models.Index(fields=["participant", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_at:%Y-%m-%d}"


class ActivityMonth(models.Model):
    """Participation in one activity in one calendar month: the ledger, counted.

    Kept by ``services.participation_record`` in the same transaction as each record it
    counts, so the dashboards add up a few rows per activity instead of every record
    (docs/engagement.md, "Speed"). Months are calendar months in ``TIME_ZONE``, as
    ``TruncMonth`` counts them; ``services.recount_participation`` rebuilds the rows from
    the records after a bulk load or a change of time zone.
    """

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="months")
    month = models.DateField()  # the first day of the month
    people = models.PositiveBigIntegerField(default=0)
    records = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "month"], name="activity_month_once"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.month:%Y-%m}"
