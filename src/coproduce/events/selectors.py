"""Reads about events: permission checked and joined in one call, counted in the database."""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import Participant
from coproduce.engagement.models import ParticipationRecord
from coproduce.organisations.models import Service
from coproduce.organisations.permissions import can_run_service_engagement

from .models import Event, EventStatus, Rsvp, RsvpStatus
from .services import token_digest, walk_in_act_key

AnyUser = AbstractBaseUser | AnonymousUser
# How far back the calendar feed goes: enough for a calendar to see a recent change.
FEED_HISTORY = timedelta(days=90)


def _with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(
        accepted_count=Count("rsvps", filter=Q(rsvps__status=RsvpStatus.ACCEPTED)),
        waiting_count=Count("rsvps", filter=Q(rsvps__status=RsvpStatus.WAITING)),
    ).annotate(places_left=F("capacity") - F("accepted_count"))


def service_public(reference: str) -> Service:
    return get_object_or_404(Service.objects.select_related("provider"), reference=reference)


def upcoming_events(service: Service) -> list[Event]:
    """Published events of the service that have not ended, soonest first, with counts."""
    return list(
        _with_counts(
            Event.objects.filter(
                activity__service=service,
                status=EventStatus.PUBLISHED,
                ends_at__gte=timezone.now(),
            )
        ).order_by("starts_at", "pk")
    )


def feed_events(service: Service) -> list[Event]:
    """What the calendar feed shows: published and cancelled events, recent and coming."""
    return list(
        Event.objects.filter(
            activity__service=service,
            status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED],
            ends_at__gte=timezone.now() - FEED_HISTORY,
        ).order_by("starts_at", "pk")
    )


@dataclass(frozen=True)
class EventPage:
    event: Event
    service: Service
    can_run: bool
    my_rsvp: Rsvp | None
    places_left: int | None

    @property
    def show_place(self) -> bool:
        """The place of a sensitive service's event: staff and people with a place only."""
        if not self.service.sensitive or self.can_run:
            return True
        return self.my_rsvp is not None and self.my_rsvp.status == RsvpStatus.ACCEPTED


def _event(pk: int) -> Event:
    return get_object_or_404(
        _with_counts(Event.objects.select_related("activity__service__provider")), pk=pk
    )


def event_page(user: AnyUser, pk: int) -> EventPage:
    """An event as its public page shows it; a draft is seen by its staff only."""
    event = _event(pk)
    service = event.activity.service
    can_run = can_run_service_engagement(user, service)
    if event.status == EventStatus.DRAFT and not can_run:
        raise Http404(_("There is no such event."))
    my_rsvp = None
    if user.is_authenticated:
        my_rsvp = (
            Rsvp.objects.filter(event=event, participant__user_id=user.pk)
            .exclude(status=RsvpStatus.CANCELLED)
            .first()
        )
    places_left = None
    if event.capacity is not None:
        places_left = max(0, event.capacity - event.accepted_count)  # type: ignore[attr-defined]
    return EventPage(event, service, can_run, my_rsvp, places_left)


def rsvp_by_token(token: str) -> Rsvp:
    return get_object_or_404(
        Rsvp.objects.select_related("event__activity__service", "participant"),
        token_hash=token_digest(token),
    )


def waiting_position(rsvp: Rsvp) -> int | None:
    if rsvp.status != RsvpStatus.WAITING:
        return None
    ahead = Rsvp.objects.filter(event_id=rsvp.event_id, status=RsvpStatus.WAITING).filter(
        Q(queued_at__lt=rsvp.queued_at) | Q(queued_at=rsvp.queued_at, pk__lt=rsvp.pk)
    )
    return ahead.count() + 1


def my_rsvp(user: AnyUser, event: Event) -> Rsvp | None:
    if not user.is_authenticated:
        return None
    return (
        Rsvp.objects.filter(event=event, participant__user_id=user.pk)
        .select_related("event__activity__service")
        .exclude(status=RsvpStatus.CANCELLED)
        .first()
    )


def participant_of(user: AnyUser) -> Participant | None:
    if not user.is_authenticated:
        return None
    return Participant.objects.filter(user_id=user.pk).first()


# Staff reads: each fetches, checks permission and joins in one call.


def service_for_runner(user: AnyUser, reference: str) -> Service:
    service = service_public(reference)
    if not can_run_service_engagement(user, service):
        raise PermissionDenied
    return service


def event_for_runner(user: AnyUser, pk: int) -> Event:
    event = _event(pk)
    if not can_run_service_engagement(user, event.activity.service):
        raise PermissionDenied(
            _("Only the staff of %(provider)s can run this event. Nothing was recorded.")
            % {"provider": event.activity.service.provider.name}
        )
    return event


def service_events_for_staff(service: Service) -> list[Event]:
    """Every event of the service, newest first, with its reply counts."""
    return list(
        _with_counts(Event.objects.filter(activity__service=service)).order_by("-starts_at", "-pk")
    )


@dataclass(frozen=True)
class Attendance:
    rsvps: list[Rsvp]
    walk_ins: int

    @property
    def checked_in(self) -> int:
        return sum(1 for rsvp in self.rsvps if rsvp.checked_in_at is not None)


def event_attendance(event: Event) -> Attendance:
    rsvps = list(
        Rsvp.objects.filter(event=event)
        .exclude(status=RsvpStatus.CANCELLED)
        .select_related("participant")
        .order_by("status", "queued_at", "pk")
    )
    walk_ins = ParticipationRecord.objects.filter(
        activity_id=event.activity_id,
        act_key__startswith=walk_in_act_key(event, ""),
    ).aggregate(total=Sum("people"))["total"]
    return Attendance(rsvps=rsvps, walk_ins=walk_ins or 0)


def whats_on(service_area_ids: list[int], *, limit: int = 8) -> list[Event]:
    """The next published events of every service in these areas (an area's "what is on").

    Sensitive services' events are left out: a public list of where and when a refuge
    meets is exactly what must not exist.
    """
    return list(
        Event.objects.filter(
            activity__service__area_id__in=service_area_ids,
            activity__service__sensitive=False,
            status=EventStatus.PUBLISHED,
            ends_at__gte=timezone.now(),
        )
        .select_related("activity__service")
        .order_by("starts_at", "pk")[:limit]
    )
