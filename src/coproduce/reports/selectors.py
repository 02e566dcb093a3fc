"""What a service's year says, gathered for a report: reads only, aggregated in the database.

The cost of engagement, the social value and the outcome results are those of the impact
pages (``impact.social_value``, ``impact.costs``, ``impact.selectors``), so a report can
never disagree with the screens. What no page shows for one year is read here: the
ladder profile of the year's activities and participation, and people by channel.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from coproduce.engagement.models import ArrivalChannel, ParticipationRecord
from coproduce.engagement.selectors import LadderProfile, ladder_profile
from coproduce.impact.costs import CostReport, IncomeReport, income_report
from coproduce.impact.selectors import IndicatorResult, indicator_results
from coproduce.impact.social_value import SocialValueReport, social_value_report
from coproduce.organisations.models import Service, ServiceBacking

# The platform keeps no records from before this year; a year to come has none yet.
FIRST_YEAR = 2000


def years_reported() -> range:
    return range(FIRST_YEAR, timezone.localdate().year + 1)


@dataclass(frozen=True)
class ChannelCount:
    channel: str
    known: int  # distinct known participants who came this way
    anonymous: int  # people counted without a name

    @property
    def label(self) -> str:
        return str(ArrivalChannel(self.channel).label)

    @property
    def people(self) -> int:
        return self.known + self.anonymous


@dataclass(frozen=True)
class ServiceYear:
    service: Service
    year: int
    activities: int  # activities held in the year: starting in it or with participation
    ladder: LadderProfile
    channels: list[ChannelCount]
    value: SocialValueReport  # with the year's cost of engagement
    results: list[IndicatorResult]
    backers: list[ServiceBacking]
    income: IncomeReport

    @property
    def costs(self) -> CostReport:
        return self.value.costs

    @property
    def recorded_nothing(self) -> bool:
        """No activity, nobody taking part, no hours and no money spent or received in the
        year."""
        hours = self.costs.hours
        return not (
            self.activities
            or self.costs.participants
            or hours.staff
            or hours.volunteer
            or any(self.costs.money.values())
            or self.income.rows
        )


def _records(service: Service, year: int) -> "QuerySet[ParticipationRecord]":
    return ParticipationRecord.objects.filter(
        activity__service=service, occurred_at__year=year
    ).order_by()


def year_ladder(service: Service, year: int) -> tuple[int, LadderProfile]:
    """The number of the year's activities and their ladder profile: three queries."""
    profile = ladder_profile(service, year)
    return sum(group.activities for group in profile.by_rung), profile


def channels(service: Service, year: int) -> list[ChannelCount]:
    """People by the channel they came through: one grouped query. A person who came
    two ways counts under each."""
    rows = (
        _records(service, year)
        .values("channel")
        .annotate(
            known=Count("participant", distinct=True),
            anonymous=Coalesce(Sum("people", filter=Q(participant__isnull=True)), 0),
        )
        .order_by("channel")
    )
    return [ChannelCount(row["channel"], row["known"], row["anonymous"]) for row in rows]


def backers(service: Service) -> list[ServiceBacking]:
    return list(
        ServiceBacking.objects.filter(service=service)
        .select_related("organisation")
        .order_by("kind", "organisation__name")
    )


def service_year(service: Service, year: int) -> ServiceYear:
    """Everything a report of ``service`` in ``year`` shows. The caller checks who may
    read it (``impact.selectors.results_access``)."""
    activities, ladder = year_ladder(service, year)
    return ServiceYear(
        service=service,
        year=year,
        activities=activities,
        ladder=ladder,
        channels=channels(service, year),
        value=social_value_report(service, year),
        results=indicator_results(service),
        backers=backers(service),
        income=income_report(service, year),
    )
