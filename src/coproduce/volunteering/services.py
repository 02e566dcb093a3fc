"""Every write about volunteering: roles, applications, rotas, bookings, hours, capability.

Booking rules are checked with the shift's row locked (``select_for_update``), so that
two people cannot both take the last place, and one person's overlapping bookings are
refused whichever arrives second. Attended shifts and approved hours write one
participation record each (*volunteered*, co-delivery) through the engagement ledger.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coproduce.accounts.models import Participant, User
from coproduce.engagement.ladder import CitizenRole, CoStage, EngagementForm
from coproduce.engagement.models import ArrivalChannel, ParticipationKind
from coproduce.engagement.services import ActivityPlan, activity_create, participation_record
from coproduce.organisations.models import Membership, Role, Service
from coproduce.organisations.permissions import (
    require_service_runner,
)

from .models import (
    LIVE,
    Application,
    ApplicationSource,
    ApplicationStatus,
    Capability,
    CapabilityRecord,
    Closure,
    HoursEntry,
    HoursStatus,
    Opportunity,
    Shift,
    ShiftPattern,
    Signup,
    SignupStatus,
    TrainingSession,
)
from .selectors import service_people


def _day(value: date) -> str:
    return str(date_format(value, "j F Y"))


# ---------------------------------------------------------------------------------------
# Roles and applications


@dataclass(frozen=True)
class OpportunityDetails:
    title: str
    description: str = ""
    time_commitment: str = ""
    wanted: Iterable[Capability] = ()
    checks: Iterable[Capability] = ()
    open: bool = True


@transaction.atomic
def opportunity_create(
    *, service: Service, details: OpportunityDetails, created_by: User | None
) -> Opportunity:
    """A volunteer role and its activity: co-delivery, citizens as co-implementers."""
    if created_by is not None:
        require_service_runner(created_by, service)
    if not details.title.strip():
        raise ValidationError({"title": _("Name the role.")})
    checks = list(details.checks)
    if any(capability.kind != "check" for capability in checks):
        raise ValidationError({"checks": _("Only safeguarding checks can be required.")})
    activity = activity_create(
        service=service,
        plan=ActivityPlan(
            title=details.title,
            form=EngagementForm.COLLABORATE,
            co_stage=CoStage.DELIVER,
            citizen_role=CitizenRole.CO_IMPLEMENTER,
            starts_on=timezone.localdate(),
            description=details.description,
        ),
        created_by=created_by,
    )
    opportunity = Opportunity.objects.create(
        service=service,
        activity=activity,
        title=details.title.strip(),
        description=details.description,
        time_commitment=details.time_commitment,
        open=details.open,
    )
    opportunity.wanted.set(list(details.wanted))
    opportunity.checks.set(checks)
    return opportunity


@transaction.atomic
def application_submit(
    *,
    opportunity: Opportunity,
    participant: Participant,
    source: ApplicationSource,
    message: str = "",
) -> Application:
    if not opportunity.open:
        raise ValidationError(_("This role is not taking applications."))
    try:
        with transaction.atomic():
            return Application.objects.create(
                opportunity=opportunity, participant=participant, source=source, message=message
            )
    except IntegrityError:
        raise ValidationError(_("You have already applied for this role.")) from None


@transaction.atomic
def application_review(
    *, application: Application, accept: bool, reviewed_by: User | None
) -> Application:
    """Accept or decline; an accepted person with a login becomes a volunteer member."""
    service = application.opportunity.service
    if reviewed_by is not None:
        require_service_runner(reviewed_by, service)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.APPLIED:
        raise ValidationError(_("This application has already been answered."))
    locked.status = ApplicationStatus.ACCEPTED if accept else ApplicationStatus.DECLINED
    locked.reviewed_by = reviewed_by
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    user_id = locked.participant.user_id
    if accept and user_id is not None:
        Membership.objects.get_or_create(
            user_id=user_id, organisation_id=service.provider_id, defaults={"role": Role.VOLUNTEER}
        )
    return locked


def is_volunteer(opportunity: Opportunity, participant: Participant) -> bool:
    return Application.objects.filter(
        opportunity=opportunity, participant=participant, status=ApplicationStatus.ACCEPTED
    ).exists()


# ---------------------------------------------------------------------------------------
# Capability


def capability_record(
    *,
    participant: Participant,
    capability: Capability,
    obtained_on: date,
    expires_on: date | None,
    provider: str,
    recorded_by: User | None,
    service: Service | None = None,
) -> CapabilityRecord:
    if service is not None and recorded_by is not None:
        require_service_runner(recorded_by, service)
    if obtained_on > timezone.localdate():
        raise ValidationError({"obtained_on": _("A date in the future cannot be recorded.")})
    if expires_on is not None and expires_on < obtained_on:
        raise ValidationError({"expires_on": _("It cannot expire before it was gained.")})
    return CapabilityRecord.objects.create(
        participant=participant,
        capability=capability,
        obtained_on=obtained_on,
        expires_on=expires_on,
        provider=provider,
        recorded_by=recorded_by,
    )


def _months_later(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


@transaction.atomic
def training_session_record(
    *,
    service: Service,
    capability: Capability,
    held_on: date,
    provider: str,
    valid_for_months: int | None,
    references: Iterable[str],
    recorded_by: User | None,
) -> TrainingSession:
    """A course and who came: each attendee gains the capability from that day."""
    if recorded_by is not None:
        require_service_runner(recorded_by, service)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Record a session once it has happened.")})
    wanted = {reference.strip().upper() for reference in references if reference.strip()}
    if not wanted:
        raise ValidationError({"references": _("Give the reference of everyone who came.")})
    people = {p.reference: p for p in service_people(service) if p.reference in wanted}
    unknown = sorted(wanted - set(people))
    if unknown:
        raise ValidationError(
            {
                "references": _("Not volunteers or staff of this service: %(references)s.")
                % {"references": ", ".join(unknown)}
            }
        )
    session = TrainingSession.objects.create(
        service=service,
        capability=capability,
        held_on=held_on,
        provider=provider,
        valid_for_months=valid_for_months,
        recorded_by=recorded_by,
    )
    session.attendees.set(list(people.values()))
    expires = _months_later(held_on, valid_for_months) if valid_for_months else None
    CapabilityRecord.objects.bulk_create(
        CapabilityRecord(
            participant=person,
            capability=capability,
            obtained_on=held_on,
            expires_on=expires,
            provider=provider,
            recorded_by=recorded_by,
            session=session,
        )
        for person in people.values()
    )
    return session


def valid_on(day: date) -> Q:
    """Capability records in force on ``day``."""
    return Q(obtained_on__lte=day) & (Q(expires_on__isnull=True) | Q(expires_on__gte=day))


def _missing_checks(opportunity: Opportunity, participant: Participant, day: date) -> list[str]:
    held = set(
        CapabilityRecord.objects.filter(valid_on(day), participant=participant).values_list(
            "capability_id", flat=True
        )
    )
    return [check.name for check in opportunity.checks.all() if check.pk not in held]


# ---------------------------------------------------------------------------------------
# Rotas


@dataclass(frozen=True)
class PatternDetails:
    weekday: int
    starts: time
    ends: time
    needed: int
    valid_from: date
    valid_until: date | None = None
    needs: Iterable[Capability] = ()


@transaction.atomic
def pattern_create(
    *, opportunity: Opportunity, details: PatternDetails, created_by: User | None
) -> ShiftPattern:
    if created_by is not None:
        require_service_runner(created_by, opportunity.service)
    if details.ends <= details.starts:
        raise ValidationError({"ends": _("The shift must end after it starts.")})
    if details.valid_until is not None and details.valid_until < details.valid_from:
        raise ValidationError({"valid_until": _("The rota must end after it starts.")})
    if not 1 <= details.needed <= 50:
        raise ValidationError({"needed": _("Between 1 and 50 volunteers a shift.")})
    pattern = ShiftPattern.objects.create(
        opportunity=opportunity,
        weekday=details.weekday,
        starts=details.starts,
        ends=details.ends,
        needed=details.needed,
        valid_from=details.valid_from,
        valid_until=details.valid_until,
    )
    pattern.needs.set(list(details.needs))
    return pattern


def shifts_generate(*, pattern: ShiftPattern, until: date) -> int:
    """Make the pattern's shifts up to ``until`` (idempotent); how many were new."""
    closed = set(
        Closure.objects.filter(service_id=pattern.opportunity.service_id).values_list(
            "day", flat=True
        )
    )
    day = pattern.valid_from + timedelta(days=(pattern.weekday - pattern.valid_from.weekday()) % 7)
    last = min(until, pattern.valid_until) if pattern.valid_until else until
    zone = timezone.get_current_timezone()
    rows = []
    while day <= last:
        rows.append(
            Shift(
                opportunity_id=pattern.opportunity_id,
                pattern=pattern,
                starts_at=datetime.combine(day, pattern.starts, tzinfo=zone),
                ends_at=datetime.combine(day, pattern.ends, tzinfo=zone),
                needed=pattern.needed,
                cancelled=day in closed,
            )
        )
        day += timedelta(days=7)
    before = Shift.objects.filter(pattern=pattern).count()
    Shift.objects.bulk_create(rows, ignore_conflicts=True)
    return Shift.objects.filter(pattern=pattern).count() - before


def _lock(shift: Shift) -> Shift:
    return Shift.objects.select_for_update().select_related("opportunity__service").get(pk=shift.pk)


def _check_can_take(shift: Shift, participant: Participant, now: datetime) -> None:
    """Everything that makes a booking impossible, with a message that says why."""
    if shift.cancelled:
        raise ValidationError(_("This shift is cancelled: the service is closed that day."))
    if shift.starts_at <= now:
        raise ValidationError(_("This shift has already started."))
    if not is_volunteer(shift.opportunity, participant):
        raise ValidationError(_("Only volunteers accepted for this role can take its shifts."))
    missing = _missing_checks(shift.opportunity, participant, timezone.localdate(shift.starts_at))
    if missing:
        raise ValidationError(
            _("This role needs a check that is missing or out of date on that day: %(checks)s.")
            % {"checks": ", ".join(missing)}
        )
    clash = (
        Signup.objects.filter(participant=participant, status__in=LIVE)
        .filter(shift__starts_at__lt=shift.ends_at, shift__ends_at__gt=shift.starts_at)
        .exclude(shift=shift)
        .select_related("shift")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _("You already have a shift then, from %(start)s to %(end)s.")
            % {
                "start": date_format(timezone.localtime(clash.shift.starts_at), "j F H:i"),
                "end": date_format(timezone.localtime(clash.shift.ends_at), "H:i"),
            }
        )


def _booked(shift: Shift) -> int:
    return shift.signups.filter(status__in=LIVE).count()


@transaction.atomic
def shift_book(*, shift: Shift, participant: Participant, now: datetime | None = None) -> Signup:
    """Take a place on a shift; a second booking of the same shift returns the first."""
    locked = _lock(shift)
    existing = locked.signups.filter(participant=participant, status__in=LIVE).first()
    if existing is not None:
        return existing
    _check_can_take(locked, participant, now or timezone.now())
    if _booked(locked) >= locked.needed:
        raise ValidationError(_("This shift is full."))
    return Signup.objects.create(shift=locked, participant=participant)


@transaction.atomic
def shift_cancel(*, signup: Signup, now: datetime | None = None) -> None:
    locked = _lock(signup.shift)
    if locked.starts_at <= (now or timezone.now()):
        raise ValidationError(_("This shift has already started."))
    Signup.objects.filter(pk=signup.pk, status=SignupStatus.BOOKED).update(
        status=SignupStatus.CANCELLED
    )


def _covers(shift: Shift, people: Iterable[int]) -> set[int]:
    """The capabilities the shift needs that ``people`` (participant ids) hold that day."""
    if shift.pattern_id is None:
        return set()
    needs = set(shift.pattern.needs.values_list("pk", flat=True))  # type: ignore[union-attr]
    day = timezone.localdate(shift.starts_at)
    return needs & set(
        CapabilityRecord.objects.filter(valid_on(day), participant_id__in=list(people)).values_list(
            "capability_id", flat=True
        )
    )


@transaction.atomic
def shift_swap(*, signup: Signup, to: Participant, now: datetime | None = None) -> Signup:
    """Hand a booking to another volunteer, who must be able to take it, and must not
    leave the shift without a capability it needs that the first person brought."""
    locked = _lock(signup.shift)
    current = Signup.objects.select_for_update().get(pk=signup.pk)
    if current.status != SignupStatus.BOOKED:
        raise ValidationError(_("Only a booked shift can be swapped."))
    if to.pk == current.participant_id:
        raise ValidationError(_("Choose someone else to swap with."))
    _check_can_take(locked, to, now or timezone.now())
    others = set(
        locked.signups.filter(status__in=LIVE)
        .exclude(pk=current.pk)
        .values_list("participant_id", flat=True)
    )
    before = _covers(locked, others | {current.participant_id})
    after = _covers(locked, others | {to.pk})
    lost = before - after
    if lost:
        names = ", ".join(
            sorted(Capability.objects.filter(pk__in=lost).values_list("name", flat=True))
        )
        raise ValidationError(
            _("The shift would have no one with %(needs)s: choose someone who has it.")
            % {"needs": names}
        )
    current.status = SignupStatus.CANCELLED
    current.save(update_fields=["status", "updated_at"])
    return Signup.objects.create(shift=locked, participant=to)


@transaction.atomic
def closure_record(
    *, service: Service, day: date, reason: str, recorded_by: User | None
) -> Closure:
    """The service is closed that day: its shifts are cancelled, and the county can see it."""
    if recorded_by is not None:
        require_service_runner(recorded_by, service)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the service is closed.")})
    closure, _created = Closure.objects.update_or_create(
        service=service, day=day, defaults={"reason": reason.strip(), "recorded_by": recorded_by}
    )
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=zone)
    Shift.objects.filter(
        opportunity__service=service, starts_at__gte=start, starts_at__lt=start + timedelta(days=1)
    ).update(cancelled=True)
    return closure


# ---------------------------------------------------------------------------------------
# Hours


def _record_hours(entry: HoursEntry, recorded_by: User | None) -> None:
    participation_record(
        activity=entry.opportunity.activity,
        kind=ParticipationKind.VOLUNTEERED,
        channel=ArrivalChannel.IN_PERSON,
        act_key=f"volunteer-hours:{entry.pk}",
        participant=entry.participant,
        occurred_at=datetime.combine(
            entry.worked_on, time(12), tzinfo=timezone.get_current_timezone()
        ),
        recorded_by=recorded_by,
    )


@transaction.atomic
def shift_attended(*, signup: Signup, came: bool, recorded_by: User | None) -> HoursEntry | None:
    """Mark who came: an attended shift is approved hours and one ledger record."""
    shift = _lock(signup.shift)
    if recorded_by is not None:
        require_service_runner(recorded_by, shift.opportunity.service)
    if shift.starts_at > timezone.now():
        raise ValidationError(_("The shift has not started yet."))
    current = Signup.objects.select_for_update().get(pk=signup.pk)
    if current.status not in (SignupStatus.BOOKED, SignupStatus.ATTENDED, SignupStatus.MISSED):
        raise ValidationError(_("This booking was cancelled."))
    current.status = SignupStatus.ATTENDED if came else SignupStatus.MISSED
    current.save(update_fields=["status", "updated_at"])
    if not came:
        HoursEntry.objects.filter(signup=current).delete()
        return None
    hours = Decimal((shift.ends_at - shift.starts_at).total_seconds()) / Decimal(3600)
    entry, created = HoursEntry.objects.get_or_create(
        signup=current,
        defaults={
            "participant_id": current.participant_id,
            "opportunity_id": shift.opportunity_id,
            "worked_on": timezone.localdate(shift.starts_at),
            "hours": hours.quantize(Decimal("0.01")),
            "status": HoursStatus.APPROVED,
            "reviewed_by": recorded_by,
            "reviewed_at": timezone.now(),
        },
    )
    if created:
        _record_hours(entry, recorded_by)
    return entry


def hours_log(
    *,
    participant: Participant,
    opportunity: Opportunity,
    worked_on: date,
    hours: Decimal,
    note: str = "",
) -> HoursEntry:
    """Ad-hoc hours by a volunteer, waiting for a manager's approval."""
    if worked_on > timezone.localdate():
        raise ValidationError({"worked_on": _("Hours can be logged only for today or earlier.")})
    if not Decimal("0.25") <= hours <= Decimal("24"):
        raise ValidationError({"hours": _("Enter between 0.25 and 24 hours.")})
    if not is_volunteer(opportunity, participant):
        raise ValidationError(_("Only volunteers accepted for this role can log its hours."))
    return HoursEntry.objects.create(
        participant=participant,
        opportunity=opportunity,
        worked_on=worked_on,
        hours=hours,
        note=note,
        status=HoursStatus.PENDING,
    )


@transaction.atomic
def hours_review(*, entry: HoursEntry, approve: bool, reviewed_by: User | None) -> HoursEntry:
    if reviewed_by is not None:
        require_service_runner(reviewed_by, entry.opportunity.service)
    locked = HoursEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.status != HoursStatus.PENDING:
        raise ValidationError(_("These hours have already been reviewed."))
    locked.status = HoursStatus.APPROVED if approve else HoursStatus.REJECTED
    locked.reviewed_by = reviewed_by
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    if approve:
        _record_hours(locked, reviewed_by)
    return locked
