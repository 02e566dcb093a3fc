"""Report pages and their PDF: thin. Who may read a service's figures is decided by
``impact.selectors.results_access`` (a sensitive service's only by its provider's staff);
the figures come from ``selectors.service_year``; the PDF is the same body, printed."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coproduce.engagement.dashboards import Numbers, Panel, ladder_block, panel
from coproduce.engagement.selectors import LadderProfile
from coproduce.impact.selectors import results_access
from coproduce.organisations.models import Service

from .pdf import pdf_of
from .selectors import service_year, years_reported

LADDER_BLOCKS = ("rung", "form", "stage", "role", "months")


@dataclass(frozen=True)
class Kind:
    slug: str
    title: Promise
    introduction: Promise
    sections: tuple[str, ...]  # templates/reports/_<section>.html, in this order


KINDS = {
    "impact": Kind(
        "impact",
        _("Impact report"),
        _(
            "For the bodies that fund and commission the service: what its engagement "
            "changed for people, what that is worth and what it cost, from the records."
        ),
        (
            "outcomes",
            "social_value",
            "costs",
            "activities",
            "participants",
            "hours",
            "income",
            "methods",
        ),
    ),
    "council": Kind(
        "council",
        _("Annual report to the council"),
        _(
            "The provider’s account of its year to the council that commissions the "
            "service: what it did, with whom, what it cost and what changed, from the "
            "records."
        ),
        (
            "activities",
            "participants",
            "hours",
            "income",
            "costs",
            "outcomes",
            "social_value",
            "methods",
        ),
    ),
}


def _panels(profile: LadderProfile) -> list[Panel]:
    """The ladder profile's blocks, each chart drawn as SVG with its table."""
    blocks = [
        ladder_block(profile, slug, sees_participation=True, fmt=Numbers())
        for slug in LADDER_BLOCKS
    ]
    return [panel(block) for block in blocks if block is not None]


def _context(service: Service, year: int, kind: str) -> dict[str, Any]:
    report = service_year(service, year)
    return {
        "service": service,
        "kind": KINDS[kind],
        "report": report,
        "panels": _panels(report.ladder),
        "sections": [f"reports/_{section}.html" for section in KINDS[kind].sections],
    }


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "reports/refused.html", {"message": message}, status=400)


def _bad_year(request: HttpRequest, year: int) -> HttpResponse:
    years = years_reported()
    return _refused(
        request,
        gettext("There is no report for %(year)s: choose a year from %(first)s to %(last)s.")
        % {"year": year, "first": years[0], "last": years[-1]},
    )


@login_required
def report(request: HttpRequest, reference: str, year: int, kind: str) -> HttpResponse:
    service = results_access(request.user, reference).service
    if year not in years_reported():
        return _bad_year(request, year)
    context = _context(service, year, kind) | {"pdf_url_name": f"reports:{kind}_pdf"}
    return render(request, "reports/report.html", context)


@login_required
def report_pdf(request: HttpRequest, reference: str, year: int, kind: str) -> HttpResponse:
    """The report as PDF, in the language the link carries (``?lang=vi``)."""
    service = results_access(request.user, reference).service
    if year not in years_reported():
        return _bad_year(request, year)
    language = request.GET.get("lang", translation.get_language())
    if language not in dict(settings.LANGUAGES):
        return _refused(
            request,
            gettext("There is no PDF in the language “%(language)s”.") % {"language": language},
        )
    with translation.override(language):
        html = render_to_string("reports/report_pdf.html", _context(service, year, kind))
    response = HttpResponse(pdf_of(html), content_type="application/pdf")
    filename = f"{kind}-report-{service.reference}-{year}-{language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
