"""Reads about organisations and services: permission checked and joined in one call."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from coproduce.organisations.models import (
    Membership,
    Organisation,
    Partnership,
    Role,
    Sector,
    Service,
)
from coproduce.organisations.permissions import can_manage_members, can_view_dashboard


@dataclass(frozen=True)
class SectorServices:
    sector: str
    label: str
    services: list[Service]


def area_services_by_sector(area_ids: list[int]) -> list[SectorServices]:
    """Services of these areas (an area and those below it), grouped by sector."""
    services = (
        Service.objects.filter(area_id__in=area_ids)
        .select_related("provider", "area")
        .order_by("sector", "name")
    )
    grouped: dict[str, list[Service]] = {}
    for service in services:
        grouped.setdefault(service.sector, []).append(service)
    return [
        SectorServices(sector=key, label=str(Sector(key).label), services=items)
        for key, items in grouped.items()
    ]


def area_organisations(area_ids: list[int]) -> list[Organisation]:
    return list(Organisation.objects.filter(area_id__in=area_ids).select_related("area"))


def organisation_public(slug: str) -> Organisation:
    return get_object_or_404(Organisation.objects.select_related("area"), slug=slug)


def organisation_partnerships(organisation: Organisation) -> QuerySet[Partnership]:
    return (
        Partnership.objects.filter(Q(source=organisation) | Q(target=organisation))
        .select_related("source", "target")
        .order_by("kind", "-started_on")
    )


def service_public(reference: str) -> Service:
    return get_object_or_404(
        Service.objects.select_related("provider", "area").prefetch_related(
            "backings__organisation"
        ),
        reference=reference,
    )


def organisations_of(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user__pk=user.pk).select_related("organisation")


def dashboard_organisation(user: AbstractBaseUser | AnonymousUser, slug: str) -> Organisation:
    """The organisation whose dashboard ``user`` asks for, or PermissionDenied."""
    organisation = organisation_public(slug)
    if not can_view_dashboard(user, organisation):
        raise PermissionDenied
    return organisation


def members_organisation(user: AbstractBaseUser | AnonymousUser, slug: str) -> Organisation:
    organisation = organisation_public(slug)
    if not can_manage_members(user, organisation):
        raise PermissionDenied
    return organisation


@dataclass(frozen=True)
class Dashboard:
    organisation: Organisation
    services: list[Service]
    backed_services: list[Service]
    partnerships: list[Partnership]
    members_by_role: dict[str, int]
    can_manage_members: bool


def dashboard_for(user: AbstractBaseUser | AnonymousUser, slug: str) -> Dashboard:
    organisation = dashboard_organisation(user, slug)
    roles = dict(
        organisation.memberships.values_list("role").annotate(n=Count("id")).order_by("role")
    )
    return Dashboard(
        organisation=organisation,
        services=list(organisation.services.select_related("area")),
        backed_services=list(
            Service.objects.filter(backings__organisation=organisation)
            .select_related("provider")
            .distinct()
        ),
        partnerships=list(organisation_partnerships(organisation)),
        members_by_role={str(Role(role).label): n for role, n in roles.items()},
        can_manage_members=can_manage_members(user, organisation),
    )


def organisation_members(organisation: Organisation) -> QuerySet[Membership]:
    return organisation.memberships.select_related("user").order_by("role", "user__username")
