"""Every write about events: creating and publishing them, replies, waiting lists, check-in.

Capacity is a contested row. Every write that can change who has a place (a reply, a
cancellation, a change of capacity) first locks the event row with
``select_for_update``; from then until commit every other such write for the same event
waits, so the count of places taken cannot change between reading it and acting on it,
and two people can never both take the last place. Locks are always taken event first,
then replies, so two writers cannot deadlock. (SQLite has no row locks: it serialises
writers on the whole database and makes a writer whose snapshot went stale fail
rather than overbook.)

Mail is never sent inside a transaction: notifications are tasks enqueued with
``transaction.on_commit``, so a rolled-back change sends nothing.
"""

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import Participant, User
from coproduce.accounts.services import participant_create
from coproduce.engagement.ladder import CitizenRole, CoStage, EngagementForm
from coproduce.engagement.models import Activity, ArrivalChannel, ParticipationKind
from coproduce.engagement.services import ActivityPlan, activity_create, participation_record
from coproduce.organisations.models import Service
from coproduce.organisations.permissions import can_run_service_engagement

from .models import Event, EventStatus, Rsvp, RsvpStatus

ACTIVE = (RsvpStatus.ACCEPTED, RsvpStatus.WAITING)
FORM_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class EventDetails:
    """What staff say about an event; the service checks it."""

    title: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    place: str = ""
    capacity: int | None = None


@dataclass(frozen=True)
class Contact:
    """What a person gives when they reply: a name for the door, and optional contacts."""

    nickname: str
    email: str = ""
    phone: str = ""
    remind: bool = False


@dataclass(frozen=True)
class RsvpReceipt:
    rsvp: Rsvp
    # The private cancel link's token: it exists in plain text only here, once.
    token: str


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def require_runner(user: User | None, event: Event) -> None:
    """Only the provider's managers and staff run an event (and the trusted ``None``)."""
    service = event.activity.service
    if not can_run_service_engagement(user, service):
        raise PermissionDenied(
            _("Only the staff of %(provider)s can run this event. Nothing was recorded.")
            % {"provider": service.provider.name}
        )


def _check_details(details: EventDetails, *, is_new: bool, now: datetime) -> None:
    errors: dict[str, str] = {}
    if timezone.is_naive(details.starts_at) or timezone.is_naive(details.ends_at):
        raise ValueError("event times must be timezone-aware")
    if details.ends_at <= details.starts_at:
        errors["ends_at"] = _("The event must end after it starts.")
    if is_new and details.starts_at <= now:
        errors["starts_at"] = _("A new event must start in the future.")
    if details.capacity is not None and details.capacity < 1:
        errors["capacity"] = _("Enter 1 or more places, or leave it empty for no limit.")
    if not details.title.strip():
        errors["title"] = _("Enter a title.")
    if errors:
        raise ValidationError(errors)


def _apply(event: Event, details: EventDetails) -> None:
    event.title = details.title.strip()
    event.description = details.description.strip()
    event.starts_at = details.starts_at
    event.ends_at = details.ends_at
    event.place = details.place.strip()
    event.capacity = details.capacity
    event.full_clean(exclude=["activity", "created_by"])


@transaction.atomic
def event_create(
    *,
    activity: Activity,
    details: EventDetails,
    created_by: User | None,
    publish: bool = False,
    now: datetime | None = None,
) -> Event:
    """A new event of ``activity``, a draft unless ``publish``.

    ``now`` is the moment the event is created "as of": the demo creates last year's
    events as of a date before them; every other caller leaves it to the clock.
    """
    event = Event(activity=activity, created_by=created_by)
    require_runner(created_by, event)
    _check_details(details, is_new=True, now=now or timezone.now())
    _apply(event, details)
    event.status = EventStatus.PUBLISHED if publish else EventStatus.DRAFT
    event.save()
    return event


@transaction.atomic
def event_create_for_service(
    *,
    service: Service,
    activity: Activity | None,
    engagement_form: EngagementForm,
    details: EventDetails,
    created_by: User | None,
) -> Event:
    """A draft event of an existing activity, or of a new one-off activity made for it."""
    if activity is None:
        plan = ActivityPlan(
            title=details.title,
            form=engagement_form,
            co_stage=CoStage.DELIVER,
            citizen_role=CitizenRole.CO_IMPLEMENTER,
            starts_on=timezone.localdate(details.starts_at),
            ends_on=timezone.localdate(details.ends_at),
            description=details.description,
        )
        _check_details(details, is_new=True, now=timezone.now())
        activity = activity_create(service=service, plan=plan, created_by=created_by)
    elif activity.service_id != service.pk:
        raise ValidationError({"activity": _("Choose an activity of this service.")})
    return event_create(activity=activity, details=details, created_by=created_by)


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().select_related("activity__service").get(pk=event.pk)


@transaction.atomic
def event_update(*, event: Event, details: EventDetails, updated_by: User | None) -> Event:
    """Change an event; more places give them to the waiting list at once.

    Fewer places than people already accepted take nobody's place away: the event just
    takes no one new until enough people cancel.
    """
    require_runner(updated_by, event)
    locked = _lock(event)
    if locked.status == EventStatus.CANCELLED:
        raise ValidationError(_("This event has been cancelled, so it cannot be changed."))
    _check_details(details, is_new=False, now=timezone.now())
    _apply(locked, details)
    locked.save()
    _promote(locked)
    return locked


@transaction.atomic
def event_publish(*, event: Event, published_by: User | None) -> Event:
    require_runner(published_by, event)
    locked = _lock(event)
    if locked.status != EventStatus.DRAFT:
        raise ValidationError(_("Only a draft event can be published."))
    if locked.starts_at <= timezone.now():
        raise ValidationError(_("This event has already started, so it cannot be published."))
    locked.status = EventStatus.PUBLISHED
    locked.save(update_fields=["status", "updated_at"])
    return locked


@transaction.atomic
def event_cancel(*, event: Event, cancelled_by: User | None) -> Event:
    """Cancel an event; everyone with a reply who asked for reminders hears of it."""
    require_runner(cancelled_by, event)
    locked = _lock(event)
    if locked.status == EventStatus.CANCELLED:
        raise ValidationError(_("This event has already been cancelled."))
    was_published = locked.status == EventStatus.PUBLISHED
    locked.status = EventStatus.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    if was_published:
        from .tasks import notify_event_cancelled

        event_id = locked.pk
        transaction.on_commit(lambda: notify_event_cancelled.enqueue(event_id=event_id))
    return locked


def _check_open(event: Event, now: datetime) -> None:
    if event.status == EventStatus.DRAFT:
        raise ValidationError(_("This event is not open for replies yet."))
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("This event has been cancelled, so it takes no replies."))
    if event.starts_at <= now:
        raise ValidationError(
            _("This event has already started or taken place, so it takes no more replies.")
        )


def _places_taken(event: Event) -> int:
    return Rsvp.objects.filter(event=event, status=RsvpStatus.ACCEPTED).count()


def _has_room(event: Event) -> bool:
    return event.capacity is None or _places_taken(event) < event.capacity


def _email_replied(event: Event, email: str) -> bool:
    """Whether an active reply to the event gave this email address.

    Addresses are encrypted at rest, so they are compared in Python after reading the
    event's replies that gave one: a page of an event's replies, not the whole table.
    """
    given = Rsvp.objects.filter(event=event, status__in=ACTIVE).exclude(email="")
    return any(address == email for address in given.values_list("email", flat=True))


def already_replied_message(rsvp: Rsvp) -> str:
    if rsvp.status == RsvpStatus.ACCEPTED:
        return _("You have already replied to this event, and you have a place.")
    return _("You have already replied to this event, and you are on its waiting list.")


@transaction.atomic
def rsvp_create(
    *,
    event: Event,
    participant: Participant,
    contact: Contact,
    now: datetime | None = None,
) -> RsvpReceipt:
    """Reply to an event: a place if there is one, otherwise the waiting list.

    The waiting list is always on: a full event never turns anyone away, it queues
    them in the order they replied. A second reply from the same participant is
    refused (and the database refuses it too); a person who cancelled may reply again,
    and joins the end of the queue.
    """
    now = now or timezone.now()
    # The lock that makes capacity safe: see the module docstring.
    locked = _lock(event)
    _check_open(locked, now)
    existing = Rsvp.objects.filter(event=locked, participant=participant).first()
    if existing is not None and existing.status in ACTIVE:
        raise ValidationError(already_replied_message(existing))
    email = contact.email.strip().lower()
    # Matching on an email address would tell anyone who types one whether that person
    # is coming: acceptable for a library talk, never for a sensitive service.
    if email and not locked.activity.service.sensitive and _email_replied(locked, email):
        raise ValidationError(_("Someone has already replied to this event with this email."))
    token = secrets.token_urlsafe(32)
    rsvp = existing or Rsvp(event=locked, participant=participant)
    rsvp.status = RsvpStatus.ACCEPTED if _has_room(locked) else RsvpStatus.WAITING
    rsvp.queued_at = now
    rsvp.nickname = contact.nickname.strip()
    rsvp.email = email
    rsvp.phone = contact.phone.strip()
    rsvp.remind = contact.remind and bool(email or rsvp.phone)
    rsvp.token_hash = token_digest(token)
    rsvp.promoted_at = rsvp.cancelled_at = rsvp.reminded_at = None
    rsvp.full_clean(exclude=["event", "participant", "token_hash"])
    try:
        with transaction.atomic():
            rsvp.save()
    except IntegrityError as error:
        # Only reachable without the row lock (SQLite): the constraint still holds.
        raise ValidationError(_("You have already replied to this event.")) from error
    return RsvpReceipt(rsvp=rsvp, token=token)


@transaction.atomic
def rsvp_create_anonymous(
    *, event: Event, contact: Contact, participant_reference: str | None = None
) -> RsvpReceipt:
    """Reply without an account: a new pseudonymous participant, or the one this browser
    was given by an earlier reply (``participant_reference``, from its session).

    The participant is created in the same transaction as the reply, so a refused reply
    leaves no orphan behind.
    """
    participant = None
    if participant_reference:
        participant = Participant.objects.filter(
            reference=participant_reference, user__isnull=True
        ).first()
    if participant is None:
        participant = participant_create(user=None)
    return rsvp_create(event=event, participant=participant, contact=contact)


@transaction.atomic
def rsvp_cancel(*, rsvp: Rsvp, now: datetime | None = None) -> list[int]:
    """Give up a place or leave the waiting list; returns the replies promoted.

    The first people on the waiting list take the freed place in the same transaction
    and hear of it by email after commit.
    """
    now = now or timezone.now()
    event = _lock(rsvp.event)
    current = Rsvp.objects.select_for_update().get(pk=rsvp.pk)
    if current.status == RsvpStatus.CANCELLED:
        raise ValidationError(_("This reply has already been cancelled."))
    current.status = RsvpStatus.CANCELLED
    current.cancelled_at = now
    current.save(update_fields=["status", "cancelled_at", "updated_at"])
    rsvp.status, rsvp.cancelled_at = current.status, current.cancelled_at
    if event.status != EventStatus.PUBLISHED or event.starts_at <= now:
        return []
    return _promote(event, now=now)


def _promote(event: Event, *, now: datetime | None = None) -> list[int]:
    """Give free places to the waiting list, first come first served. Event locked."""
    waiting = (
        Rsvp.objects.filter(event=event, status=RsvpStatus.WAITING)
        .order_by("queued_at", "pk")
        .select_for_update()
        .values_list("pk", flat=True)
    )
    if event.capacity is not None:
        free = event.capacity - _places_taken(event)
        if free <= 0:
            return []
        waiting = waiting[:free]
    ids = list(waiting)
    if not ids:
        return []
    Rsvp.objects.filter(pk__in=ids).update(
        status=RsvpStatus.ACCEPTED, promoted_at=now or timezone.now(), updated_at=timezone.now()
    )
    from .tasks import notify_promoted

    transaction.on_commit(lambda: notify_promoted.enqueue(rsvp_ids=ids))
    return ids


def _check_attendable(event: Event) -> None:
    if event.status == EventStatus.DRAFT:
        raise ValidationError(_("This event is a draft: publish it before checking people in."))
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("This event has been cancelled: nobody can be checked in."))


def attended_act_key(event: Event, participant: Participant) -> str:
    return f"event:{event.pk}:attended:{participant.reference}"


def walk_in_act_key(event: Event, form_token: str) -> str:
    return f"event:{event.pk}:walk-in:{form_token}"


@transaction.atomic
def attendance_check_in(
    *,
    event: Event,
    rsvps: Iterable[Rsvp],
    checked_in_by: User | None,
    occurred_at: datetime | None = None,
) -> int:
    """Record that people who replied came; returns how many were new to the ledger.

    Each person's attendance has one act key per event, so ticking them again (or a
    second member of staff ticking them at the same time) never counts twice.
    """
    require_runner(checked_in_by, event)
    _check_attendable(event)
    new = 0
    for rsvp in rsvps:
        if rsvp.event_id != event.pk:
            raise ValidationError(_("That person did not reply to this event."))
        if rsvp.status == RsvpStatus.CANCELLED:
            continue
        record, created = participation_record(
            activity=event.activity,
            kind=ParticipationKind.ATTENDED_EVENT,
            channel=ArrivalChannel.IN_PERSON,
            act_key=attended_act_key(event, rsvp.participant),
            participant=rsvp.participant,
            occurred_at=occurred_at,
            recorded_by=checked_in_by,
        )
        new += created
        if rsvp.checked_in_at is None:
            rsvp.checked_in_at = record.occurred_at
            rsvp.save(update_fields=["checked_in_at", "updated_at"])
    return new


@transaction.atomic
def walk_ins_record(
    *,
    event: Event,
    people: int,
    form_token: str,
    recorded_by: User | None,
    occurred_at: datetime | None = None,
) -> bool:
    """Count people who came without replying, anonymously; True if newly counted.

    ``form_token`` is drawn afresh each time the check-in page is shown, so submitting
    the same form twice (a double click, the back button) counts the people once.
    """
    require_runner(recorded_by, event)
    _check_attendable(event)
    if not FORM_TOKEN.match(form_token):
        raise ValidationError(_("The form has expired: reload the page and try again."))
    if people < 1:
        raise ValidationError({"people": _("Enter 1 or more people.")})
    _record, created = participation_record(
        activity=event.activity,
        kind=ParticipationKind.ATTENDED_EVENT,
        channel=ArrivalChannel.IN_PERSON,
        act_key=walk_in_act_key(event, form_token),
        people=people,
        occurred_at=occurred_at,
        recorded_by=recorded_by,
    )
    return created
