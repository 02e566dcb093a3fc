"""Public pages: what services an area has, who provides them, who backs them."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from coproduce.events.selectors import whats_on
from coproduce.organisations.selectors import (
    area_organisations,
    area_services_by_sector,
    organisation_partnerships,
    organisation_public,
    service_public,
)
from coproduce.places.models import Area
from coproduce.places.selectors import (
    area_ancestors,
    area_descendant_ids,
    area_population_table,
    home_area,
)


def home(request: HttpRequest) -> HttpResponse:
    area = home_area()
    if area is None:
        return render(request, "organisations/empty.html")
    return _render_area(request, area, is_home=True)


def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    area = get_object_or_404(Area.objects.select_related("parent"), code=code)
    return _render_area(request, area, is_home=False)


def _render_area(request: HttpRequest, area: Area, *, is_home: bool) -> HttpResponse:
    population = area_population_table(area)
    area_ids = area_descendant_ids(area)
    return render(
        request,
        "organisations/area.html",
        {
            "area": area,
            "is_home": is_home,
            "ancestors": area_ancestors(area),
            "children": list(area.children.all()),
            "sectors": area_services_by_sector(area_ids),
            "events": whats_on(area_ids),
            "organisations": area_organisations(area_ids),
            "population": population,
            "population_total": sum(row.total for row in population),
        },
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = organisation_public(slug)
    return render(
        request,
        "organisations/organisation.html",
        {
            "organisation": organisation,
            "services": list(organisation.services.select_related("area")),
            "partnerships": list(organisation_partnerships(organisation)),
        },
    )


def service_detail(request: HttpRequest, reference: str) -> HttpResponse:
    service = service_public(reference)
    return render(request, "organisations/service.html", {"service": service})
