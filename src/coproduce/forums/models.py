"""Users' forums, their meetings, and the action log behind "You said, we did".

A ``Forum`` is any recurring meeting where people who use or run a service have a say:
Case 2's monthly service users' forum, Case 1's volunteer meetings every three weeks.
It is one engagement ``Activity`` (form *involve*), so every attendance lands in the
participation ledger under it. An ``ActionPoint`` is something people said (at a meeting,
or a theme from a consultation), who owns it, where it stands and what was done: the
"we did" half is what gives a forum voice and power rather than tokenism.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coproduce.core.encryption import EncryptedTextField
from coproduce.core.models import TimeStampedModel
from coproduce.forums.recurrence import DAYS, LAST, MONTHLY, WEEKS, Rule


class ForumKind(models.TextChoices):
    USERS_FORUM = "users-forum", _("Service users' forum")
    VOLUNTEER_MEETING = "volunteer-meeting", _("Volunteer meeting")
    OTHER = "other", _("Other regular meeting")


class RecurrenceKind(models.TextChoices):
    DAYS = DAYS, _("Every few days")
    WEEKS = WEEKS, _("Every few weeks")
    MONTHLY = MONTHLY, _("Monthly, on a weekday")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, _("First")
    SECOND = 2, _("Second")
    THIRD = 3, _("Third")
    FOURTH = 4, _("Fourth")
    LAST = LAST, _("Last")


class MeetingChannel(models.TextChoices):
    # The same values as engagement.ArrivalChannel, so that they go to the ledger as is.
    IN_PERSON = "in-person", _("In person")
    ONLINE = "online", _("Online")


class Forum(TimeStampedModel):
    service = models.ForeignKey(
        "organisations.Service",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="forums",
    )
    activity = models.OneToOneField(
        "engagement.Activity",
        verbose_name=_("engagement activity"),
        on_delete=models.PROTECT,
        related_name="forum",
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ForumKind.choices)
    description = models.TextField(_("description"), blank=True)
    channel = models.CharField(
        _("usually meets"),
        max_length=10,
        choices=MeetingChannel.choices,
        default=MeetingChannel.IN_PERSON,
    )
    recurrence = models.CharField(_("repeats"), max_length=8, choices=RecurrenceKind.choices)
    interval = models.PositiveSmallIntegerField(_("every"), default=1)
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, null=True, blank=True
    )
    week_of_month = models.SmallIntegerField(
        _("which one in the month"), choices=WeekOfMonth.choices, null=True, blank=True
    )
    first_meeting_on = models.DateField(_("first meeting"))
    meets_at = models.TimeField(_("time"))
    duration_minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=90)

    class Meta:
        ordering = ["service", "name"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(interval__gte=1, interval__lte=12),
                name="forum_interval_1_to_12",
            ),
            models.CheckConstraint(
                condition=~models.Q(recurrence=MONTHLY)
                | models.Q(weekday__isnull=False, week_of_month__isnull=False),
                name="forum_monthly_needs_weekday",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def rule(self) -> Rule:
        return Rule(
            kind=self.recurrence,
            interval=self.interval,
            weekday=self.weekday,
            week_of_month=self.week_of_month,
        )


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(TimeStampedModel):
    forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField(_("starts"))
    channel = models.CharField(_("meets"), max_length=10, choices=MeetingChannel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    # People who came but are not registered: counted, never named (see services).
    unregistered_attendees = models.PositiveIntegerField(
        _("people who came without an account"), default=0
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["forum", "starts_at"], name="meeting_once_per_time")
        ]

    def __str__(self) -> str:
        return f"{self.forum} {self.starts_at:%Y-%m-%d}"


class Attendance(models.Model):
    """A known participant at a meeting; the ledger record is the count that matters."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendances")
    participant = models.ForeignKey(
        "accounts.Participant", on_delete=models.PROTECT, related_name="forum_attendances"
    )
    record = models.OneToOneField(
        "engagement.ParticipationRecord", on_delete=models.PROTECT, related_name="+"
    )
    checked_in_at = models.DateTimeField(_("checked in"))
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["checked_in_at"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "participant"], name="attendance_once_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.meeting}"


class ActionSource(models.TextChoices):
    FORUM = "forum", _("Raised at a forum meeting")
    CONSULTATION = "consultation", _("A theme from a consultation")
    OTHER = "other", _("Other")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in-progress", _("In progress")
    DONE = "done", _("Done")
    NOT_POSSIBLE = "not-possible", _("Not possible")


CLOSED_STATUSES = frozenset({ActionStatus.DONE, ActionStatus.NOT_POSSIBLE})


class ActionPoint(TimeStampedModel):
    """One "you said" and, in time, its "we did"."""

    service = models.ForeignKey(
        "organisations.Service", on_delete=models.PROTECT, related_name="action_points"
    )
    source = models.CharField(_("where it came from"), max_length=12, choices=ActionSource.choices)
    forum = models.ForeignKey(
        Forum, null=True, blank=True, on_delete=models.PROTECT, related_name="action_points"
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="action_points"
    )
    source_detail = models.CharField(
        _("consultation or theme"),
        max_length=200,
        blank=True,
        help_text=_("For example the consultation and the theme its answers raised."),
    )
    said = EncryptedTextField(_("you said"))
    # Never set when the point is anonymous: the link between a person and what they
    # said is not kept at all, so no page, export or admin screen can show it.
    raised_by = models.ForeignKey(
        "accounts.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_points",
    )
    anonymous = models.BooleanField(_("raised anonymously"), default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_action_points",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    outcome = models.TextField(_("we did"), blank=True)
    raised_on = models.DateField(_("raised"))
    due_on = models.DateField(_("due"), null=True, blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # The raising form's one-time key: submitting the same form twice raises one point.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-raised_on", "-pk"]
        verbose_name = _("action point")
        verbose_name_plural = _("action points")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status__in=[ActionStatus.DONE, ActionStatus.NOT_POSSIBLE])
                | ~models.Q(outcome=""),
                name="action_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=models.Q(anonymous=False) | models.Q(raised_by__isnull=True),
                name="action_anonymous_keeps_no_raiser",
            ),
        ]
        indexes = [models.Index(fields=["service", "published", "-raised_on"])]

    def __str__(self) -> str:
        return self.said[:60]

    @property
    def raiser_reference(self) -> str:
        """The raiser's pseudonymous reference for staff; blank when anonymous or unknown."""
        if self.anonymous or self.raised_by is None:
            return ""
        return self.raised_by.reference


class ActionChange(models.Model):
    """The history of an action point's status, with the reason for a reopening."""

    action = models.ForeignKey(ActionPoint, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(_("when"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status_from = models.CharField(max_length=12, choices=ActionStatus.choices, blank=True)
    status_to = models.CharField(max_length=12, choices=ActionStatus.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("action point change")
        verbose_name_plural = _("action point changes")

    def __str__(self) -> str:
        return f"{self.status_from} → {self.status_to}"
