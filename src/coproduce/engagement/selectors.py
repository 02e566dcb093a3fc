"""Reads about activities and participation: permission checked, aggregated in the database.

Every selector returns a fixed number of queries whatever the number of participation
records: totals come from ``values(...).annotate(Sum/Count)``, never from a Python loop
over records, and the ladder and the roll-up add up the activities' monthly counts
(``ActivityMonth``) instead of reading the records at all. Participation counts people
(``Sum("people")``, so an anonymous count of 40 leaflets is 40); distinct participants
count known people (``Count("participant", distinct=True)``).

Sensitive services (a refuge): their participation is shown only to the provider's own
staff roles, never to backers, other organisations or superusers browsing dashboards,
and it is never broken down by demographic group, even with small-number suppression.
"""

from dataclasses import dataclass
from datetime import date

import pandas as pd
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from coproduce.accounts.models import Gender
from coproduce.core.choices import AgeBand, Sex
from coproduce.engagement.ladder import EngagementForm
from coproduce.engagement.models import (
    Activity,
    ActivityMonth,
    ParticipationKind,
    ParticipationRecord,
)
from coproduce.organisations.models import (
    Membership,
    Organisation,
    OrganisationKind,
    Partnership,
    Service,
)
from coproduce.organisations.permissions import (
    BACKER_ROLES,
    STAFF_ROLES,
    can_run_service_engagement,
    can_view_service_data,
    role_in,
)
from coproduce.places.models import Area, AreaPopulation
from coproduce.places.selectors import area_descendant_ids

User = AbstractBaseUser | AnonymousUser

# Reach compares adults: the population's under-18 band is left out on both sides.
CHILD_BAND = AgeBand.UNDER_18.value
# Gender as people describe it, mapped to the census's sex for the comparison; other
# answers ("in another way", "prefer not to say") are left out of the sex comparison.
GENDER_TO_SEX = {Gender.WOMAN.value: Sex.FEMALE.value, Gender.MAN.value: Sex.MALE.value}


def _is_superuser(user: User) -> bool:
    return bool(getattr(user, "is_superuser", False))


# ---------------------------------------------------------------------------------------
# Services and activities


@dataclass(frozen=True)
class ServiceAccess:
    """A service as one person may see it."""

    service: Service
    can_edit: bool  # plan and change activities
    sees_participation: bool  # False: a sensitive service seen from outside its provider


def _service(reference: str) -> Service:
    return get_object_or_404(
        Service.objects.select_related("provider", "area"), reference=reference
    )


def service_for_viewer(user: User, reference: str) -> ServiceAccess:
    """A service whose engagement ``user`` may see (provider staff, backers), or 403."""
    service = _service(reference)
    provider_role = role_in(user, service.provider) if not _is_superuser(user) else None
    provider_staff = provider_role in STAFF_ROLES
    if not (provider_staff or can_view_service_data(user, service)):
        raise PermissionDenied
    return ServiceAccess(
        service=service,
        can_edit=can_run_service_engagement(user, service),
        sees_participation=not service.sensitive or provider_staff,
    )


def service_for_runner(user: User, reference: str) -> Service:
    """A service whose activities ``user`` may plan (provider managers and staff), or 403."""
    service = _service(reference)
    if not user.is_authenticated or not can_run_service_engagement(user, service):
        raise PermissionDenied
    return service


@dataclass(frozen=True)
class Tally:
    people: int
    records: int


NO_PARTICIPATION = Tally(people=0, records=0)


def _tally_by_activity(months: "QuerySet[ActivityMonth]") -> dict[int, Tally]:
    """People and records per activity, added up from its monthly counts: a few rows an
    activity, whatever the number of records (``models.ActivityMonth``)."""
    rows = (
        months.order_by()
        .values("activity_id")
        .annotate(n_people=Sum("people"), n_records=Sum("records"))
        .values_list("activity_id", "n_people", "n_records")
    )
    return {activity: Tally(people=people, records=n) for activity, people, n in rows}


def service_activities(service: Service) -> list[Activity]:
    """The service's activities, newest first, each with ``people`` and ``records``."""
    return _with_tallies(
        Activity.objects.filter(service=service),
        ActivityMonth.objects.filter(activity__service=service),
    )


def _with_tallies(
    activities: "QuerySet[Activity]", months: "QuerySet[ActivityMonth]"
) -> list[Activity]:
    """The activities, newest first, each with its ``people`` and ``records`` in
    ``months``."""
    listed = list(activities.order_by("-starts_on", "title"))
    tallies = _tally_by_activity(months)
    for activity in listed:
        tally = tallies.get(activity.pk, NO_PARTICIPATION)
        activity.people, activity.records = tally.people, tally.records  # type: ignore[attr-defined]
    return listed


def activity_of(service: Service, pk: int) -> Activity:
    return get_object_or_404(Activity, pk=pk, service=service)


@dataclass(frozen=True)
class KindCount:
    kind: str
    people: int
    records: int

    @property
    def label(self) -> str:
        return str(ParticipationKind(self.kind).label)


@dataclass(frozen=True)
class ActivityTotals:
    people: int
    records: int
    participants: int
    repeat_participants: int
    by_kind: list[KindCount]


def _totals(records: "QuerySet[ParticipationRecord]") -> dict[str, int]:
    totals = records.aggregate(
        people=Coalesce(Sum("people"), 0),
        records=Count("id"),
        participants=Count("participant", distinct=True),
    )
    repeat = (
        records.filter(participant__isnull=False)
        .values("participant")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .count()
    )
    return {**totals, "repeat_participants": repeat}


def activity_totals(activity: Activity) -> ActivityTotals:
    """Participation in one activity: three queries."""
    records = ParticipationRecord.objects.filter(activity=activity)
    by_kind = [
        KindCount(kind=row["kind"], people=row["people"], records=row["records"])
        for row in records.order_by()
        .values("kind")
        .annotate(people=Sum("people"), records=Count("id"))
        .order_by("-people", "kind")
    ]
    return ActivityTotals(**_totals(records), by_kind=by_kind)


# ---------------------------------------------------------------------------------------
# Ladder profile


@dataclass(frozen=True)
class GroupCount:
    key: str | int
    activities: int
    people: int
    records: int


@dataclass(frozen=True)
class MonthCount:
    month: date
    form: str
    people: int


@dataclass(frozen=True)
class LadderProfile:
    by_rung: list[GroupCount]
    by_form: list[GroupCount]
    by_stage: list[GroupCount]
    by_role: list[GroupCount]
    by_month: list[MonthCount]


def _grouped(activities: list[Activity], field: str) -> list[GroupCount]:
    groups: dict[str | int, list[Activity]] = {}
    for activity in activities:
        groups.setdefault(getattr(activity, field), []).append(activity)
    return [
        GroupCount(
            key=key,
            activities=len(members),
            people=sum(a.people for a in members),  # type: ignore[attr-defined]
            records=sum(a.records for a in members),  # type: ignore[attr-defined]
        )
        for key, members in groups.items()
    ]


def ladder_profile(service: Service, year: int | None = None) -> LadderProfile:
    """Activities and participation by rung, form, Co stage, citizens' role and month.

    With a ``year``: that year's participation, over the activities that started in it
    or had participation in it (a report of the year). Three queries over the service's
    activities and their monthly counts, never its records: the activities, their
    tallies, the people per month and form.
    """
    months = ActivityMonth.objects.filter(activity__service=service).order_by()
    chosen = Activity.objects.filter(service=service)
    if year is not None:
        months = months.filter(month__year=year)
        chosen = chosen.filter(Q(starts_on__year=year) | Q(pk__in=months.values("activity_id")))
    by_month = (
        months.values("month", "activity__form")
        .annotate(n_people=Sum("people"))
        .order_by("month", "activity__form")
    )
    activities = _with_tallies(chosen, months)
    return LadderProfile(
        by_rung=_grouped(activities, "rung"),
        by_form=_grouped(activities, "form"),
        by_stage=_grouped(activities, "co_stage"),
        by_role=_grouped(activities, "citizen_role"),
        by_month=[
            MonthCount(month=row["month"], form=row["activity__form"], people=row["n_people"])
            for row in by_month
        ],
    )


# ---------------------------------------------------------------------------------------
# Reach


@dataclass(frozen=True)
class ReachData:
    """What reach needs, already aggregated.

    ``participants``: distinct known participants per (age_band, gender) of their
    snapshot, blanks as None; ``population``: the service area's adults per (age_band,
    sex), empty when the area has no population figures.
    """

    people: int
    records: int
    participants: int
    repeat_participants: int
    anonymous_people: int
    groups: pd.DataFrame  # age_band, gender, count
    population: pd.DataFrame  # age_band, sex, count


def reach_data(service: Service, *, with_groups: bool) -> ReachData:
    """Totals (3 queries) and, when asked, the demographic mix and population (2 more);
    never the mix of a sensitive service, whoever asks."""
    records = ParticipationRecord.objects.filter(activity__service=service).order_by()
    totals = _totals(records)
    anonymous = records.filter(participant__isnull=True).aggregate(n=Coalesce(Sum("people"), 0))
    groups = pd.DataFrame(columns=["age_band", "gender", "count"])
    population = pd.DataFrame(columns=["age_band", "sex", "count"])
    if with_groups and not service.sensitive:
        groups = pd.DataFrame.from_records(
            list(
                records.filter(participant__isnull=False)
                .values("age_band", "gender")
                .annotate(count=Count("participant", distinct=True))
            ),
            columns=["age_band", "gender", "count"],
        )
        population = pd.DataFrame.from_records(
            list(
                AreaPopulation.objects.filter(area_id=service.area_id)
                .exclude(age_band=CHILD_BAND)
                .values("age_band", "sex")
                .annotate(count=Sum("count"))
            ),
            columns=["age_band", "sex", "count"],
        )
    return ReachData(
        people=totals["people"],
        records=totals["records"],
        participants=totals["participants"],
        repeat_participants=totals["repeat_participants"],
        anonymous_people=anonymous["n"],
        groups=groups,
        population=population,
    )


# ---------------------------------------------------------------------------------------
# Area roll-up


def rollup_area(user: User, code: str) -> Area:
    """An area whose roll-up ``user`` may see, or 403.

    Commissioners and analysts of a public body whose area is this area or one above it,
    and superusers.
    """
    area = get_object_or_404(Area, code=code)
    if _is_superuser(user):
        return area
    if not user.is_authenticated:
        raise PermissionDenied
    public_kinds = [kind for kind in OrganisationKind if kind.is_public_body]
    their_areas = set(
        Membership.objects.filter(
            user_id=user.pk,
            role__in=BACKER_ROLES,
            organisation__kind__in=public_kinds,
        ).values_list("organisation__area_id", flat=True)
    )
    if not their_areas:
        raise PermissionDenied
    # Walk up from the area: one query per level, and the hierarchy is shallow.
    current: int | None = area.pk
    parent_id = area.parent_id
    while current is not None:
        if current in their_areas:
            return area
        current = parent_id
        if current is not None:
            parent_id = Area.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    raise PermissionDenied


@dataclass(frozen=True)
class RollUpRow:
    service: Service
    activities: int
    highest_rung: int | None
    only_informs: bool
    people: int | None  # None: a sensitive service, not shown
    population: int | None  # None: no population figures for the service's area

    @property
    def per_thousand(self) -> float | None:
        if self.people is None or not self.population:
            return None
        return 1000 * self.people / self.population


def area_rollup(area: Area) -> list[RollUpRow]:
    """Every service in the area and below, with its ladder and participation.

    Three queries after the area walk, whatever the number of services or records: the
    services with their activities' ladder, the people per service (added up from the
    activities' monthly counts, a few rows an activity, never the records), and the
    population per area.
    """
    area_ids = area_descendant_ids(area)
    services = list(
        Service.objects.filter(area_id__in=area_ids)
        .select_related("provider", "area")
        .annotate(
            n_activities=Count("activities"),
            highest_rung=Max("activities__rung"),
            beyond_inform=Count("activities", filter=~Q(activities__form=EngagementForm.INFORM)),
        )
        .order_by("name")
    )
    people = dict(
        ActivityMonth.objects.filter(activity__service__area_id__in=area_ids)
        .order_by()
        .values("activity__service_id")
        .annotate(n=Sum("people"))
        .values_list("activity__service_id", "n")
    )
    population = dict(
        AreaPopulation.objects.filter(area_id__in=area_ids)
        .order_by()
        .values("area_id")
        .annotate(n=Sum("count"))
        .values_list("area_id", "n")
    )
    return [
        RollUpRow(
            service=service,
            activities=service.n_activities,
            highest_rung=service.highest_rung,
            only_informs=service.n_activities > 0 and service.beyond_inform == 0,
            people=None if service.sensitive else people.get(service.pk, 0),
            population=population.get(service.area_id),
        )
        for service in services
    ]


# ---------------------------------------------------------------------------------------
# Partnership network


def network_organisation(user: User, slug: str) -> Organisation:
    """An organisation whose network ``user`` may see, or 403.

    Its staff roles (as for its dashboard), the commissioners and analysts of bodies that
    commission or fund one of its services, and superusers.
    """
    organisation = get_object_or_404(Organisation.objects.select_related("area"), slug=slug)
    if _is_superuser(user):
        return organisation
    if not user.is_authenticated:
        raise PermissionDenied
    allowed = (
        Membership.objects.filter(user_id=user.pk)
        .filter(
            Q(organisation=organisation, role__in=STAFF_ROLES)
            | Q(organisation__backings__service__provider=organisation, role__in=BACKER_ROLES)
        )
        .exists()
    )
    if not allowed:
        raise PermissionDenied
    return organisation


@dataclass(frozen=True)
class Network:
    organisation: Organisation
    nodes: list[Organisation]  # the organisation first, then its partners by name
    edges: list[Partnership]


def partnership_network(organisation: Organisation) -> Network:
    """The organisation, its partners, and every partnership among them (two queries)."""
    own = list(
        Partnership.objects.filter(Q(source=organisation) | Q(target=organisation)).values_list(
            "source_id", "target_id"
        )
    )
    ids = {organisation.pk} | {pk for pair in own for pk in pair}
    edges = list(
        Partnership.objects.filter(source_id__in=ids, target_id__in=ids)
        .select_related("source", "target")
        .order_by("source__name", "target__name", "kind", "started_on")
    )
    partners = {e.source.pk: e.source for e in edges} | {e.target.pk: e.target for e in edges}
    partners.pop(organisation.pk, None)
    nodes = [organisation, *sorted(partners.values(), key=lambda o: (o.name, o.pk))]
    return Network(organisation=organisation, nodes=nodes, edges=edges)
