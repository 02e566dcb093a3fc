"""Reads about campaigns for staff pages: fetched, permission checked and summed in one go.

Provider staff and the service's commissioners and funders may look
(``can_view_service_data``); only the provider's managers and staff may change anything
(``can_run_service_engagement``). Totals are summed in the database.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.utils import timezone

from coproduce.engagement.ladder import EngagementForm
from coproduce.engagement.models import Activity
from coproduce.organisations.models import Service
from coproduce.organisations.permissions import can_run_service_engagement, can_view_service_data

from .models import Campaign, CampaignLink, LinkVisitDay
from .services import normalise_code

User = AbstractBaseUser | AnonymousUser


def _require_viewer(user: User, service: Service) -> None:
    if not can_view_service_data(user, service):
        raise PermissionDenied


def campaigns_service(user: User, reference: str) -> Service:
    """The service whose campaigns ``user`` asks for: 404 if none, 403 if not theirs."""
    service = Service.objects.select_related("provider").filter(reference=reference).first()
    if service is None:
        raise Http404
    _require_viewer(user, service)
    return service


def can_manage(user: User, service: Service) -> bool:
    return can_run_service_engagement(user, service)


def service_campaigns(service: Service) -> list[Campaign]:
    """The service's campaigns, each with ``link_count`` and ``visit_total``."""
    return list(
        Campaign.objects.filter(activity__service=service)
        .annotate(
            link_count=Count("links", distinct=True),
            visit_total=Coalesce(Sum("links__visit_days__visits"), 0),
        )
        .order_by("-starts_on", "title")
    )


def inform_activities(service: Service) -> list[Activity]:
    return list(Activity.objects.filter(service=service, form=EngagementForm.INFORM))


@dataclass(frozen=True)
class MonthRow:
    month: date
    visits: list[int]  # in the order of the detail's links
    total: int


@dataclass(frozen=True)
class CampaignDetail:
    campaign: Campaign
    service: Service
    links: Sequence[CampaignLink]  # each with visit_total, visits_30_days, visits_7_days
    months: list[MonthRow]
    visit_total: int
    today: date


def campaign_for(user: User, reference: str) -> Campaign:
    campaign = (
        Campaign.objects.select_related("activity__service__provider")
        .filter(reference=reference)
        .first()
    )
    if campaign is None:
        raise Http404
    _require_viewer(user, campaign.activity.service)
    return campaign


def campaign_detail(user: User, reference: str, *, today: date | None = None) -> CampaignDetail:
    """A campaign, its links with their visits, and visits per month per link."""
    campaign = campaign_for(user, reference)
    today = today or timezone.localdate()
    links = list(
        campaign.links.annotate(
            visit_total=Coalesce(Sum("visit_days__visits"), 0),
            visits_30_days=Coalesce(
                Sum("visit_days__visits", filter=Q(visit_days__day__gt=today - timedelta(30))), 0
            ),
            visits_7_days=Coalesce(
                Sum("visit_days__visits", filter=Q(visit_days__day__gt=today - timedelta(7))), 0
            ),
        ).order_by("channel")
    )
    return CampaignDetail(
        campaign=campaign,
        service=campaign.activity.service,
        links=links,
        months=_months(campaign, links),
        visit_total=sum(link.visit_total for link in links),
        today=today,
    )


def _months(campaign: Campaign, links: Sequence[CampaignLink]) -> list[MonthRow]:
    rows = (
        LinkVisitDay.objects.filter(link__campaign=campaign)
        .annotate(month=TruncMonth("day"))
        .values("month", "link_id")
        .annotate(visits=Sum("visits"))
        .order_by("month")
    )
    by_month: dict[date, dict[int, int]] = {}
    for row in rows:
        by_month.setdefault(row["month"], {})[row["link_id"]] = row["visits"]
    return [
        MonthRow(
            month=month,
            visits=[counts.get(link.pk, 0) for link in links],
            total=sum(counts.values()),
        )
        for month, counts in by_month.items()
    ]


def link_for(user: User, code: str) -> CampaignLink:
    """A link for its QR code or poster: staff of the service and its backers only."""
    normalised = normalise_code(code)
    link = (
        CampaignLink.objects.select_related("campaign__activity__service")
        .filter(code=normalised)
        .first()
        if normalised is not None
        else None
    )
    if link is None:
        raise Http404
    _require_viewer(user, link.campaign.activity.service)
    return link
