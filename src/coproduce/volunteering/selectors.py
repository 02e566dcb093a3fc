"""Reads about volunteering: staffing gaps ranked by risk, capability, closures.

A fixed number of queries each, whatever the number of shifts or people.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import IntEnum
from typing import TypedDict

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django_stubs_ext import WithAnnotations

from coproduce.accounts.models import Participant
from coproduce.organisations.models import Membership, Service
from coproduce.organisations.permissions import DELIVERY_ROLES

from .models import (
    LIVE,
    Application,
    ApplicationStatus,
    Capability,
    CapabilityRecord,
    Closure,
    HoursEntry,
    HoursStatus,
    Shift,
    ShiftPattern,
    Signup,
)

GAP_WEEKS = 4
SOON_DAYS = 7
EXPIRES_SOON_DAYS = 60


class Risk(IntEnum):
    """Higher is worse: the order managers see gaps in."""

    SHORT = 1  # fewer than needed, but someone is there
    SHORT_SOON = 2  # fewer than needed within a week
    UNCOVERED = 3  # nobody with a capability the shift needs (a key-holder)
    EMPTY = 4  # nobody at all: the service cannot open


@dataclass(frozen=True)
class Gap:
    shift: Shift
    booked: int
    missing: list[str]  # capabilities the shift needs that nobody booked has that day
    risk: Risk

    @property
    def short(self) -> int:
        return max(0, self.shift.needed - self.booked)


def _held(participants: set[int], first: date, last: date) -> dict[int, list[CapabilityRecord]]:
    """Each participant's capability records in force at some point between two days."""
    held: dict[int, list[CapabilityRecord]] = defaultdict(list)
    records = CapabilityRecord.objects.filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=first),
        participant_id__in=participants,
        obtained_on__lte=last,
    )
    for record in records:
        held[record.participant_id].append(record)
    return held


def _holds(records: list[CapabilityRecord], capability: int, day: date) -> bool:
    return any(
        r.capability_id == capability
        and r.obtained_on <= day
        and (r.expires_on is None or r.expires_on >= day)
        for r in records
    )


class Booked(TypedDict):
    n_booked: int


def with_booked(shifts: "QuerySet[Shift]") -> "QuerySet[WithAnnotations[Shift, Booked]]":
    """The shifts, each with ``n_booked``: the bookings holding a place on it."""
    return shifts.annotate(n_booked=Count("signups", filter=Q(signups__status__in=LIVE)))


def staffing_gaps(service: Service, *, now: datetime | None = None) -> list[Gap]:
    """Shifts of the next four weeks that are short or lack a needed capability, worst
    first (then soonest). Four queries."""
    start = now or timezone.now()
    shifts = list(
        with_booked(
            Shift.objects.filter(
                opportunity__service=service,
                cancelled=False,
                starts_at__gte=start,
                starts_at__lt=start + timedelta(weeks=GAP_WEEKS),
            )
        )
        .select_related("opportunity")
        .order_by("starts_at")
    )
    needs: dict[int, list[Capability]] = defaultdict(list)
    through = ShiftPattern.needs.through.objects.filter(
        shiftpattern__opportunity__service=service
    ).select_related("capability")
    for row in through:
        needs[row.shiftpattern_id].append(row.capability)
    booked: dict[int, set[int]] = defaultdict(set)
    for shift_id, participant_id in Signup.objects.filter(
        shift__in=[s.pk for s in shifts], status__in=LIVE
    ).values_list("shift_id", "participant_id"):
        booked[shift_id].add(participant_id)
    everyone = set().union(*booked.values()) if booked else set()
    held = _held(everyone, start.date(), (start + timedelta(weeks=GAP_WEEKS)).date())
    gaps = []
    for shift in shifts:
        day = timezone.localdate(shift.starts_at)
        missing = [
            capability.name
            for capability in needs.get(shift.pattern_id or 0, [])
            if not any(_holds(held[p], capability.pk, day) for p in booked[shift.pk])
        ]
        n = shift.n_booked
        if n >= shift.needed and not missing:
            continue
        if n == 0:
            risk = Risk.EMPTY
        elif missing:
            risk = Risk.UNCOVERED
        elif shift.starts_at < start + timedelta(days=SOON_DAYS):
            risk = Risk.SHORT_SOON
        else:
            risk = Risk.SHORT
        gaps.append(Gap(shift=shift, booked=n, missing=missing, risk=risk))
    return sorted(gaps, key=lambda gap: (-gap.risk, gap.shift.starts_at))


@dataclass
class CapabilityCover:
    capability: Capability
    holders: list[str] = field(default_factory=list)  # participant references
    expiring: list[tuple[str, date]] = field(default_factory=list)
    needed_by_rota: bool = False

    @property
    def single_point_of_failure(self) -> bool:
        return self.needed_by_rota and len(self.holders) == 1


def service_people(service: Service) -> list[Participant]:
    """The service's accepted volunteers and its provider's managers and staff."""
    volunteers = Application.objects.filter(
        opportunity__service=service, status=ApplicationStatus.ACCEPTED
    ).values("participant_id")
    staff = Membership.objects.filter(
        organisation_id=service.provider_id, role__in=DELIVERY_ROLES
    ).values("user_id")
    return list(
        Participant.objects.filter(Q(pk__in=volunteers) | Q(user_id__in=staff)).order_by(
            "reference"
        )
    )


def capability_overview(service: Service, *, today: date | None = None) -> list[CapabilityCover]:
    """Per capability: who holds it today, whose runs out within 60 days, and whether the
    rota needs it and only one person has it (a single point of failure)."""
    day = today or timezone.localdate()
    people = {p.pk: p.reference for p in service_people(service)}
    needed = set(
        ShiftPattern.needs.through.objects.filter(
            shiftpattern__opportunity__service=service
        ).values_list("capability_id", flat=True)
    )
    covers: dict[int, CapabilityCover] = {}
    records = (
        CapabilityRecord.objects.filter(participant_id__in=people, obtained_on__lte=day)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))
        .select_related("capability")
        .order_by("capability__name", "participant__reference")
    )
    for record in records:
        cover = covers.setdefault(
            record.capability_id,
            CapabilityCover(record.capability, needed_by_rota=record.capability_id in needed),
        )
        reference = people[record.participant_id]
        if reference not in cover.holders:
            cover.holders.append(reference)
        if record.expires_on and record.expires_on <= day + timedelta(days=EXPIRES_SOON_DAYS):
            cover.expiring.append((reference, record.expires_on))
    for capability in Capability.objects.filter(pk__in=needed - set(covers)):
        covers[capability.pk] = CapabilityCover(capability, needed_by_rota=True)
    return sorted(covers.values(), key=lambda c: (not c.single_point_of_failure, c.capability.name))


def closures(service: Service, *, since: date | None = None) -> list[Closure]:
    found = Closure.objects.filter(service=service)
    if since is not None:
        found = found.filter(day__gte=since)
    return list(found.order_by("day"))


@dataclass(frozen=True)
class HoursValue:
    hours: Decimal
    per_hour: Decimal

    @property
    def value(self) -> Decimal:
        return (self.hours * self.per_hour).quantize(Decimal("0.01"))


def hours_value(service: Service, *, days: int = 365, today: date | None = None) -> HoursValue:
    """Approved volunteer hours of the last ``days`` days, valued at the hourly setting."""
    since = (today or timezone.localdate()) - timedelta(days=days)
    total = HoursEntry.objects.filter(
        opportunity__service=service, status=HoursStatus.APPROVED, worked_on__gt=since
    ).aggregate(total=Sum("hours"))["total"]
    return HoursValue(
        hours=total or Decimal("0"), per_hour=Decimal(settings.COPRODUCE_VOLUNTEER_HOUR_VALUE)
    )
