"""Every write about forums, meetings and action points.

Attendance and raising a point are acts of taking part, so both go to the participation
ledger through ``engagement.services.participation_record`` with an idempotent
``act_key``:

* coming to a meeting: ``FORUM_MEETING``, ``forum-meeting:<meeting>:<reference>``, one
  per person per meeting however often they are checked in; people who came without an
  account are a count, ``forum-meeting:<meeting>:unregistered:<form key>``;
* raising a point at a forum: ``PROPOSED`` (a point asks for a change, which is a
  proposal rather than a comment on someone else's), ``forum-point:<action>``. When the
  point is anonymous the record has no participant and no recorder, and the point keeps
  no raiser: nothing joins the person to what they said.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import Participant, User
from coproduce.engagement.ladder import CitizenRole, CoStage, EngagementForm
from coproduce.engagement.models import ArrivalChannel, ParticipationKind
from coproduce.engagement.services import ActivityPlan, activity_create, participation_record
from coproduce.forums import recurrence
from coproduce.forums.models import (
    CLOSED_STATUSES,
    ActionChange,
    ActionPoint,
    ActionSource,
    ActionStatus,
    Attendance,
    Forum,
    ForumKind,
    Meeting,
    MeetingChannel,
    MeetingStatus,
)
from coproduce.forums.permissions import attended, can_run_forums
from coproduce.organisations.models import Membership, Service
from coproduce.organisations.permissions import DELIVERY_ROLES

SCHEDULE_HORIZON = timedelta(days=731)
SAID_MAX = 2000


@dataclass(frozen=True)
class ForumPlan:
    name: str
    kind: ForumKind
    rule: recurrence.Rule
    first_meeting_on: date
    meets_at: time
    channel: MeetingChannel = MeetingChannel.IN_PERSON
    description: str = ""
    duration_minutes: int = 90


# A users' forum shapes how the service is run; volunteers' meetings run it.
_CYCLE = {
    ForumKind.USERS_FORUM: (CoStage.DESIGN, CitizenRole.CO_DESIGNER),
    ForumKind.VOLUNTEER_MEETING: (CoStage.DELIVER, CitizenRole.CO_IMPLEMENTER),
    ForumKind.OTHER: (CoStage.DESIGN, CitizenRole.CO_DESIGNER),
}


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@transaction.atomic
def forum_create(*, service: Service, plan: ForumPlan, created_by: User | None) -> Forum:
    _require(can_run_forums(created_by, service))
    rule = plan.rule
    monthly = rule.kind == recurrence.MONTHLY
    forum = Forum(
        service=service,
        name=plan.name.strip(),
        kind=plan.kind,
        description=plan.description.strip(),
        channel=plan.channel,
        recurrence=rule.kind,
        interval=rule.interval,
        weekday=rule.weekday if monthly else None,
        week_of_month=rule.week_of_month if monthly else None,
        first_meeting_on=plan.first_meeting_on,
        meets_at=plan.meets_at,
        duration_minutes=plan.duration_minutes,
    )
    if monthly and (rule.weekday is None or rule.week_of_month is None):
        raise ValidationError(
            {"weekday": _("Choose the weekday and which one in the month the forum meets.")}
        )
    if not 1 <= rule.interval <= 12:
        raise ValidationError({"interval": _("Enter a number from 1 to 12.")})
    forum.full_clean(exclude=["activity"])
    stage, role = _CYCLE[ForumKind(plan.kind)]
    forum.activity = activity_create(
        service=service,
        plan=ActivityPlan(
            title=forum.name,
            form=EngagementForm.INVOLVE,
            co_stage=stage,
            citizen_role=role,
            starts_on=plan.first_meeting_on,
            description=forum.description,
        ),
        created_by=created_by,
    )
    forum.save()
    return forum


def meeting_starts(forum: Forum, day: date) -> datetime:
    return datetime.combine(day, forum.meets_at, tzinfo=timezone.get_default_timezone())


@transaction.atomic
def meetings_schedule(*, forum: Forum, until: date, scheduled_by: User | None) -> list[Meeting]:
    """Create the forum's meetings up to ``until`` that do not exist yet; return the new ones.

    Running it again, or with a later date, adds only what is missing, so staff can
    extend the calendar a few months at a time.
    """
    _require(can_run_forums(scheduled_by, forum.service))
    # Lock the forum: two people scheduling at once must not both create a meeting.
    Forum.objects.select_for_update().filter(pk=forum.pk).first()
    horizon = max(timezone.localdate(), forum.first_meeting_on) + SCHEDULE_HORIZON
    if until > horizon:
        raise ValidationError(
            {"until": _("Schedule at most two years ahead, up to %(date)s.") % {"date": horizon}}
        )
    existing = set(forum.meetings.values_list("starts_at", flat=True))
    new = [
        Meeting(forum=forum, starts_at=starts, channel=forum.channel)
        for day in recurrence.occurrences(forum.rule, forum.first_meeting_on, until)
        if (starts := meeting_starts(forum, day)) not in existing
    ]
    return Meeting.objects.bulk_create(new)


def _not_yet(meeting: Meeting) -> bool:
    return timezone.localdate(meeting.starts_at) > timezone.localdate()


def _check_can_be_held(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    if _not_yet(meeting):
        raise ValidationError(_("This meeting has not happened yet."))


def _mark_held(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.PLANNED:
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status", "updated_at"])


@transaction.atomic
def meeting_record_minutes(
    *,
    meeting: Meeting,
    agenda: str,
    minutes: str,
    status: MeetingStatus,
    recorded_by: User | None,
) -> Meeting:
    _require(can_run_forums(recorded_by, meeting.forum.service))
    if status == MeetingStatus.HELD and _not_yet(meeting):
        raise ValidationError({"status": _("This meeting has not happened yet.")})
    if status == MeetingStatus.CANCELLED and (
        meeting.unregistered_attendees or meeting.attendances.exists()
    ):
        raise ValidationError(
            {"status": _("People came to this meeting, so it cannot be cancelled.")}
        )
    if status == MeetingStatus.PLANNED and minutes.strip():
        raise ValidationError({"status": _("A meeting with minutes was held: choose “Held”.")})
    meeting.agenda = agenda.strip()
    meeting.minutes = minutes.strip()
    meeting.status = status
    meeting.save(update_fields=["agenda", "minutes", "status", "updated_at"])
    return meeting


@transaction.atomic
def meeting_check_in(
    *, meeting: Meeting, participant: Participant, checked_in_by: User | None
) -> tuple[Attendance, bool]:
    """Record that a participant came; exactly one ledger record per person per meeting."""
    _require(can_run_forums(checked_in_by, meeting.forum.service))
    _check_can_be_held(meeting)
    existing = Attendance.objects.filter(meeting=meeting, participant=participant).first()
    if existing is not None:
        return existing, False
    record, _created = participation_record(
        activity=meeting.forum.activity,
        kind=ParticipationKind.FORUM_MEETING,
        channel=ArrivalChannel(meeting.channel),
        act_key=f"forum-meeting:{meeting.pk}:{participant.reference}",
        participant=participant,
        occurred_at=meeting.starts_at,
        recorded_by=checked_in_by,
    )
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                meeting=meeting,
                participant=participant,
                record=record,
                checked_in_at=timezone.now(),
                checked_in_by=checked_in_by,
            )
    except IntegrityError:
        return Attendance.objects.get(meeting=meeting, participant=participant), False
    _mark_held(meeting)
    return attendance, True


@transaction.atomic
def meeting_count_unregistered(
    *, meeting: Meeting, people: int, submission_key: str, recorded_by: User | None
) -> Meeting:
    """Add people who came without an account: counted in the ledger, never named.

    ``submission_key`` comes from the form, so sending the same form twice adds once.
    """
    _require(can_run_forums(recorded_by, meeting.forum.service))
    _check_can_be_held(meeting)
    if people < 1:
        raise ValidationError({"people": _("Enter a number of people, 1 or more.")})
    _record, created = participation_record(
        activity=meeting.forum.activity,
        kind=ParticipationKind.FORUM_MEETING,
        channel=ArrivalChannel(meeting.channel),
        act_key=f"forum-meeting:{meeting.pk}:unregistered:{submission_key}",
        people=people,
        occurred_at=meeting.starts_at,
        recorded_by=recorded_by,
    )
    if created:
        Meeting.objects.filter(pk=meeting.pk).update(
            unregistered_attendees=F("unregistered_attendees") + people
        )
        meeting.refresh_from_db(fields=["unregistered_attendees"])
    _mark_held(meeting)
    return meeting


def _check_owner(owner: User | None, service: Service) -> None:
    if owner is None:
        return
    works_there = Membership.objects.filter(
        user=owner, organisation_id=service.provider_id, role__in=DELIVERY_ROLES
    ).exists()
    if not works_there:
        raise ValidationError(
            {"owner": _("The owner must be a manager or staff member of the provider.")}
        )


@dataclass(frozen=True)
class RaisedPoint:
    said: str
    source: ActionSource = ActionSource.FORUM
    meeting: Meeting | None = None
    forum: Forum | None = None
    source_detail: str = ""
    raised_by: Participant | None = None
    anonymous: bool = False
    owner: User | None = None
    due_on: date | None = None
    raised_on: date | None = None  # None: today
    submission_key: str | None = None


@transaction.atomic
def action_raise(
    *, service: Service, point: RaisedPoint, raised_by_user: User | None
) -> tuple[ActionPoint, bool]:
    """Add a point to the service's action log; ``False`` if this form was already sent.

    Staff may record any point. Anyone else may raise a point only at a meeting they came
    to, only as themselves, and it is recorded as raised at that meeting.
    """
    staff = can_run_forums(raised_by_user, service)
    if point.submission_key:
        existing = ActionPoint.objects.filter(submission_key=point.submission_key).first()
        if existing is not None:
            if existing.service_id != service.pk:
                raise PermissionDenied
            return existing, False
    forum = point.meeting.forum if point.meeting is not None else point.forum
    if not staff:
        if raised_by_user is None or point.meeting is None:
            raise PermissionDenied
        _require(attended(raised_by_user, point.meeting))
        _require(point.raised_by is not None and point.raised_by.user_id == raised_by_user.pk)
        _require(point.source == ActionSource.FORUM and point.owner is None)
    if forum is not None and forum.service_id != service.pk:
        raise PermissionDenied
    said = point.said.strip()
    if not said:
        raise ValidationError({"said": _("Say what was raised.")})
    if len(said) > SAID_MAX:
        raise ValidationError({"said": _("Keep it under %(max)s characters.") % {"max": SAID_MAX}})
    if point.source == ActionSource.FORUM and forum is None:
        raise ValidationError({"forum": _("Choose the forum where this was raised.")})
    _check_owner(point.owner, service)
    try:
        # A savepoint: the same form sent twice at once must raise one point, not a 500.
        with transaction.atomic():
            action = _create_point(service, point, forum, said)
    except IntegrityError:
        if not point.submission_key:
            raise
        return ActionPoint.objects.get(submission_key=point.submission_key), False
    _record_raising(action, point, forum, raised_by_user)
    return action, True


def _create_point(
    service: Service, point: RaisedPoint, forum: Forum | None, said: str
) -> ActionPoint:
    return ActionPoint.objects.create(
        service=service,
        source=point.source,
        forum=forum,
        meeting=point.meeting,
        source_detail=point.source_detail.strip(),
        said=said,
        raised_by=None if point.anonymous else point.raised_by,
        anonymous=point.anonymous,
        owner=point.owner,
        due_on=point.due_on,
        raised_on=point.raised_on or timezone.localdate(),
        submission_key=point.submission_key or None,
    )


def _record_raising(
    action: ActionPoint, point: RaisedPoint, forum: Forum | None, raised_by_user: User | None
) -> None:
    # An anonymous point's history and ledger record name no one, not even the login
    # that raised it: a refuge resident must not be traceable from what she said.
    recorder = None if point.anonymous else raised_by_user
    ActionChange.objects.create(
        action=action, changed_at=timezone.now(), changed_by=recorder, status_to=action.status
    )
    if (
        forum is not None
        and point.source == ActionSource.FORUM
        and (point.anonymous or point.raised_by is not None)
    ):
        channel = point.meeting.channel if point.meeting is not None else forum.channel
        participation_record(
            activity=forum.activity,
            kind=ParticipationKind.PROPOSED,
            channel=ArrivalChannel(channel),
            act_key=f"forum-point:{action.pk}",
            participant=action.raised_by,
            occurred_at=point.meeting.starts_at if point.meeting is not None else None,
            recorded_by=recorder,
        )


@transaction.atomic
def action_update(
    *,
    action: ActionPoint,
    status: ActionStatus,
    outcome: str,
    owner: User | None,
    due_on: date | None,
    note: str,
    updated_by: User | None,
    closed_on: date | None = None,
) -> ActionPoint:
    """Move a point along: done or not possible needs a "we did"; reopening needs a reason.

    ``closed_on`` records a point closed earlier (by default: today).
    """
    _require(can_run_forums(updated_by, action.service))
    locked = ActionPoint.objects.select_for_update().get(pk=action.pk)
    outcome, note = outcome.strip(), note.strip()
    if status in CLOSED_STATUSES and not outcome:
        raise ValidationError(
            {
                "outcome": _(
                    "Say what was done, or why it is not possible, before closing the point."
                )
            }
        )
    reopening = locked.status in CLOSED_STATUSES and status not in CLOSED_STATUSES
    if reopening and not note:
        raise ValidationError({"note": _("Say why the point is being reopened.")})
    _check_owner(owner, action.service)
    if status != locked.status or note:
        ActionChange.objects.create(
            action=locked,
            changed_at=timezone.now(),
            changed_by=updated_by,
            status_from=locked.status,
            status_to=status,
            note=note,
        )
    if status in CLOSED_STATUSES and locked.status not in CLOSED_STATUSES:
        locked.closed_on = closed_on or timezone.localdate()
    elif status not in CLOSED_STATUSES:
        locked.closed_on = None
    locked.status = status
    locked.outcome = outcome
    locked.owner = owner
    locked.due_on = due_on
    locked.save(update_fields=["status", "outcome", "owner", "due_on", "closed_on", "updated_at"])
    return locked


@transaction.atomic
def action_publish(*, action: ActionPoint, published: bool, published_by: User | None) -> None:
    """Show the point on the public board, or take it off."""
    _require(can_run_forums(published_by, action.service))
    action.published = published
    action.published_at = timezone.now() if published else None
    action.save(update_fields=["published", "published_at", "updated_at"])
