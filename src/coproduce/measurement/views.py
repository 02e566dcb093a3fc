"""The measurement dashboard's pages: thin, the selectors in dashboard.py check permission.

Results are about an area's residents and are never public: every page needs a sign-in,
and a wave's page and files answer 403 to anyone who may not see its results.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.accounts.selectors import signed_in_user
from coproduce.core.charts import csv_response

from . import dashboard
from .dashboard import WavesPage


def _waves_context(page: WavesPage) -> dict[str, object]:
    latest = page.latest
    trend = dashboard.trend_block(page.trend)
    return {
        "waves": page.waves,
        "latest": latest,
        "panels": dashboard.wave_panels(latest) if latest else [],
        "other_answers": dashboard.other_answers(latest) if latest else [],
        "trend": dashboard.panel(trend) if trend else None,
        "has_charts": latest is not None or trend is not None,
    }


@login_required
def area(request: HttpRequest, code: str) -> HttpResponse:
    place, page = dashboard.area_page(request.user, code)
    return render(request, "measurement/area.html", {"area": place, **_waves_context(page)})


@login_required
def area_trend_csv(request: HttpRequest, code: str) -> HttpResponse:
    place, page = dashboard.area_page(request.user, code)
    return _trend_csv(page, f"{place.code}-trend.csv")


@login_required
def service(request: HttpRequest, reference: str) -> HttpResponse:
    found, page = dashboard.service_page(request.user, reference)
    return render(request, "measurement/service.html", {"service": found, **_waves_context(page)})


@login_required
def service_trend_csv(request: HttpRequest, reference: str) -> HttpResponse:
    found, page = dashboard.service_page(request.user, reference)
    return _trend_csv(page, f"{found.reference}-trend.csv")


def _trend_csv(page: WavesPage, filename: str) -> HttpResponse:
    block = dashboard.trend_block(page.trend, for_csv=True)
    if block is None:
        raise Http404(_("There are no results to download yet."))
    return csv_response(block.table, filename=filename)


@login_required
def wave(request: HttpRequest, pk: int) -> HttpResponse:
    page = dashboard.wave_page(request.user, pk)
    status = page.status
    return render(
        request,
        "measurement/wave.html",
        {
            "status": status,
            "wave": status.wave,
            "can_recompute": page.can_recompute,
            "panels": dashboard.wave_panels(status),
            "other_answers": dashboard.other_answers(status),
        },
    )


@login_required
def wave_csv(request: HttpRequest, pk: int, block: str) -> HttpResponse:
    if block not in dashboard.WAVE_BLOCKS:
        raise Http404(_("There is no such table."))
    status = dashboard.wave_status(request.user, pk)
    found = dashboard.wave_block(status, block, for_csv=True)
    if found is None:
        raise Http404(_("This wave has no results to download yet."))
    return csv_response(found.table, filename=f"wave-{status.wave.pk}-{block}.csv")


@login_required
@require_POST
def wave_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    found = dashboard.wave_for_runner(request.user, pk)
    dashboard.wave_request_recompute(wave=found, requested_by=signed_in_user(request))
    messages.success(
        request,
        _(
            "The results will be recomputed in the background. This takes a minute or two: "
            "reload the page to see them."
        ),
    )
    return redirect("measurement:wave", pk=found.pk)
