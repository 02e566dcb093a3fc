"""Every write about engagement activities, and the one door into the participation ledger."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Count, DateField, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import Demographics, Participant, User
from coproduce.engagement.ladder import (
    ALLOWED_RUNGS,
    DEFAULT_RUNG,
    CitizenRole,
    CoStage,
    EngagementForm,
    OutreachChannel,
    Rung,
)
from coproduce.engagement.models import (
    Activity,
    ActivityMonth,
    ArrivalChannel,
    ParticipationKind,
    ParticipationRecord,
)
from coproduce.organisations.models import Service
from coproduce.organisations.permissions import can_run_service_engagement


@dataclass(frozen=True)
class ActivityPlan:
    """What staff say about an activity; the service checks it against the ladder."""

    title: str
    form: EngagementForm
    co_stage: CoStage
    citizen_role: CitizenRole
    starts_on: date
    ends_on: date | None = None
    rung: Rung | None = None  # None: the form's default rung
    rung_reason: str = ""
    channels: tuple[OutreachChannel, ...] = ()
    audience: str = ""
    description: str = ""
    cost_amount: Decimal = Decimal("0")
    cost_currency: str = "GBP"
    staff_hours: Decimal = Decimal("0")
    volunteer_hours: Decimal = Decimal("0")


def check_rung(form: EngagementForm, rung: Rung, reason: str) -> None:
    """A rung other than the form's default needs a reason, and must be in its range."""
    allowed = ALLOWED_RUNGS[form]
    if rung not in allowed:
        raise ValidationError(
            {
                "rung": _(
                    "“%(rung)s” is outside what “%(form)s” can be (%(low)s to %(high)s). "
                    "Choose another rung, or another form of engagement."
                )
                % {
                    "rung": Rung(rung).label,
                    "form": EngagementForm(form).label,
                    "low": Rung(allowed.start).label,
                    "high": Rung(allowed.stop - 1).label,
                }
            }
        )
    if rung != DEFAULT_RUNG[form] and not reason.strip():
        raise ValidationError(
            {
                "rung_reason": _(
                    "Say why this activity is “%(rung)s” rather than the usual “%(usual)s”."
                )
                % {"rung": Rung(rung).label, "usual": DEFAULT_RUNG[form].label}
            }
        )


def _apply_plan(activity: Activity, plan: ActivityPlan) -> None:
    rung = plan.rung if plan.rung is not None else DEFAULT_RUNG[plan.form]
    check_rung(plan.form, rung, plan.rung_reason)
    unknown = [c for c in plan.channels if c not in OutreachChannel.values]
    if unknown:
        raise ValidationError({"channels": _("Unknown channels: %s") % ", ".join(unknown)})
    for field in (
        "title",
        "form",
        "co_stage",
        "citizen_role",
        "starts_on",
        "ends_on",
        "audience",
        "description",
        "cost_amount",
        "cost_currency",
        "staff_hours",
        "volunteer_hours",
    ):
        setattr(activity, field, getattr(plan, field))
    activity.rung = rung
    activity.rung_reason = plan.rung_reason.strip() if rung != DEFAULT_RUNG[plan.form] else ""
    activity.channels = [str(channel) for channel in plan.channels]
    if plan.ends_on is not None and plan.ends_on < plan.starts_on:
        raise ValidationError({"ends_on": _("The end date must be on or after the start date.")})
    activity.full_clean()


@transaction.atomic
def activity_create(*, service: Service, plan: ActivityPlan, created_by: User | None) -> Activity:
    if not can_run_service_engagement(created_by, service):
        raise PermissionDenied
    activity = Activity(service=service)
    _apply_plan(activity, plan)
    activity.save()
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, plan: ActivityPlan, updated_by: User | None) -> Activity:
    if not can_run_service_engagement(updated_by, activity.service):
        raise PermissionDenied
    _apply_plan(activity, plan)
    activity.save()
    return activity


_SNAPSHOT_FIELDS = (
    "age_band",
    "gender",
    "employment_status",
    "disability",
    "ethnicity",
    "postcode_district",
)


def _snapshot(participant: Participant | None) -> dict[str, str]:
    """The participant's consented demographics now (nothing without consent)."""
    if participant is None:
        return {}
    demographics = (
        Demographics.objects.filter(participant=participant, consent__withdrawn_at__isnull=True)
        .values(*_SNAPSHOT_FIELDS)
        .first()
    )
    return dict(demographics) if demographics else {}


def participation_record(
    *,
    activity: Activity,
    kind: ParticipationKind,
    channel: ArrivalChannel,
    act_key: str,
    participant: Participant | None = None,
    people: int = 1,
    occurred_at: datetime | None = None,
    recorded_by: User | None = None,
    new: bool = False,
) -> tuple[ParticipationRecord, bool]:
    """Write one act of taking part to the ledger, exactly once.

    Every app records participation through this function. ``act_key`` names the act
    (such as ``"rsvp:12:P-7KQ2-9XD3"``); recording the same act again returns the
    existing record and ``False``, so a double click, a resubmitted form or a retried
    task never counts twice. A known ``participant`` counts as one person and carries a
    snapshot of their consented demographics; otherwise ``people`` counts people who
    are not known individually.

    ``new``: the caller has just created, in its own transaction, the row the act key
    names (such as a response), so the act cannot be recorded yet: the record is written
    without looking for it first or a savepoint (the unique act key still holds).
    """
    if participant is not None and people != 1:
        raise ValidationError(_("A known participant counts as one person."))
    if people < 1:
        raise ValidationError(_("A record stands for at least one person."))
    existing = None if new else ParticipationRecord.objects.filter(act_key=act_key).first()
    if existing is not None:
        return existing, False
    record = ParticipationRecord(
        activity=activity,
        kind=kind,
        channel=channel,
        act_key=act_key,
        participant=participant,
        people=people,
        occurred_at=occurred_at or timezone.now(),
        recorded_by=recorded_by,
        **_snapshot(participant),
    )
    # The fields' own rules; the related objects come loaded from the database and the
    # constraint is the check above, so neither costs a query here (the database keeps
    # both anyway).
    record.full_clean(
        exclude=["act_key", "activity", "participant", "recorded_by"], validate_constraints=False
    )
    if new:
        record.save()
        _count_in_month(record)
        return record, True
    try:
        # A savepoint, so that losing a race with the same act inside a caller's
        # transaction does not spoil that transaction.
        with transaction.atomic():
            record.save()
            _count_in_month(record)
    except IntegrityError:
        return ParticipationRecord.objects.get(act_key=act_key), False
    return record, True


def _month_of(moment: datetime) -> date:
    return timezone.localtime(moment).date().replace(day=1)


# ActivityMonth's table by name: Django's upsert (``bulk_create(update_conflicts=True)``)
# can only overwrite a count, not add to it.
_COUNT_IN_MONTH = """
    INSERT INTO engagement_activitymonth (activity_id, month, people, records)
    VALUES (%s, %s, %s, 1)
    ON CONFLICT (activity_id, month) DO UPDATE
    SET people = engagement_activitymonth.people + excluded.people,
        records = engagement_activitymonth.records + 1
"""


def _count_in_month(record: ParticipationRecord) -> None:
    """Add ``record`` to its activity's count for its month, in the caller's transaction.

    One statement that both databases speak (``INSERT … ON CONFLICT DO UPDATE``): the
    month's first record creates the row, every later one adds to it, and two writers
    racing to create it both count. The row stays locked until the transaction ends,
    so two writers of the same activity and month take turns on that row only.
    """
    month = connection.ops.adapt_datefield_value(_month_of(record.occurred_at))
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_IN_MONTH, [record.activity_id, month, record.people])


def recount_participation(
    records: type[models.Model] = ParticipationRecord,
    months: type[models.Model] = ActivityMonth,
) -> int:
    """Count every activity's participation per month again from the records alone.

    For after a bulk load that did not go through ``participation_record``, or a change
    of ``TIME_ZONE`` (which moves month boundaries). One grouped pass over the records;
    the counts are replaced in one transaction, so run it while nothing else writes to
    the ledger (a migration, a maintenance window). The models are parameters so that a
    migration can pass its historical ones. Returns the number of activity-months.
    """
    rows = (
        records._default_manager.order_by()
        .annotate(month=TruncMonth("occurred_at", output_field=DateField()))
        .values("activity_id", "month")
        .annotate(n_people=Sum("people"), n_records=Count("*"))
        .values_list("activity_id", "month", "n_people", "n_records")
    )
    counted = [
        months(
            activity_id=activity,
            month=month,
            people=people,
            records=n,
        )
        for activity, month, people, n in rows
    ]
    with transaction.atomic():
        months._default_manager.all().delete()
        months._default_manager.bulk_create(counted, batch_size=2000)
    return len(counted)
