"""Activity pages and engagement dashboards: thin, the selectors check permission.

Nothing here is public: every page needs a sign-in. Who sees what is decided in
``selectors`` (``service_for_viewer``, ``service_for_runner``, ``rollup_area``,
``network_organisation``) and documented in docs/engagement.md.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.accounts.selectors import signed_in_user
from coproduce.core.charts import csv_response
from coproduce.engagement import dashboards, selectors
from coproduce.engagement.dashboards import LADDER_BLOCKS, REACH_BLOCKS, Numbers
from coproduce.engagement.forms import ActivityForm
from coproduce.engagement.services import activity_create, activity_update

# ---------------------------------------------------------------------------------------
# Activities


@login_required
def activities(request: HttpRequest, reference: str) -> HttpResponse:
    access = selectors.service_for_viewer(request.user, reference)
    return render(
        request,
        "engagement/activities.html",
        {
            "access": access,
            "service": access.service,
            "activities": selectors.service_activities(access.service),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request: HttpRequest, reference: str) -> HttpResponse:
    service = selectors.service_for_runner(request.user, reference)
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = activity_create(
                service=service, plan=form.plan(), created_by=signed_in_user(request)
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The activity is saved."))
            return redirect("engagement:activity", reference=service.reference, pk=activity.pk)
    return render(
        request,
        "engagement/activity_form.html",
        {"service": service, "form": form, "activity": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    service = selectors.service_for_runner(request.user, reference)
    activity = selectors.activity_of(service, pk)
    form = ActivityForm(request.POST or None, initial=ActivityForm.initial_for(activity))
    if request.method == "POST" and form.is_valid():
        try:
            activity_update(activity=activity, plan=form.plan(), updated_by=signed_in_user(request))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The activity is saved."))
            return redirect("engagement:activity", reference=service.reference, pk=activity.pk)
    return render(
        request,
        "engagement/activity_form.html",
        {"service": service, "form": form, "activity": activity},
    )


@login_required
def activity_detail(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    access = selectors.service_for_viewer(request.user, reference)
    activity = selectors.activity_of(access.service, pk)
    totals = selectors.activity_totals(activity) if access.sees_participation else None
    return render(
        request,
        "engagement/activity_detail.html",
        {"access": access, "service": access.service, "activity": activity, "totals": totals},
    )


# ---------------------------------------------------------------------------------------
# Dashboards


@login_required
def ladder(request: HttpRequest, reference: str) -> HttpResponse:
    access = selectors.service_for_viewer(request.user, reference)
    profile = selectors.ladder_profile(access.service)
    blocks = [
        dashboards.ladder_block(
            profile, slug, sees_participation=access.sees_participation, fmt=Numbers()
        )
        for slug in LADDER_BLOCKS
    ]
    return render(
        request,
        "engagement/ladder.html",
        {
            "access": access,
            "service": access.service,
            "panels": [dashboards.panel(block) for block in blocks if block is not None],
        },
    )


@login_required
def ladder_csv(request: HttpRequest, reference: str, block: str) -> HttpResponse:
    if block not in LADDER_BLOCKS:
        raise Http404(_("There is no such table."))
    access = selectors.service_for_viewer(request.user, reference)
    found = dashboards.ladder_block(
        selectors.ladder_profile(access.service),
        block,
        sees_participation=access.sees_participation,
        fmt=Numbers(for_csv=True),
    )
    if found is None:
        raise Http404(_("There is no such table."))
    return csv_response(found.table, filename=f"{access.service.reference}-ladder-{block}.csv")


def _reach_page(
    request: HttpRequest, reference: str, fmt: Numbers
) -> tuple[selectors.ServiceAccess, dashboards.ReachPage]:
    access = selectors.service_for_viewer(request.user, reference)
    if not access.sees_participation:
        # A sensitive service's participation is its provider's alone.
        raise PermissionDenied
    sensitive = access.service.sensitive
    data = selectors.reach_data(access.service, with_groups=not sensitive)
    return access, dashboards.reach_page(data, sensitive=sensitive, fmt=fmt)


@login_required
def reach(request: HttpRequest, reference: str) -> HttpResponse:
    access, page = _reach_page(request, reference, Numbers())
    return render(
        request,
        "engagement/reach.html",
        {
            "access": access,
            "service": access.service,
            "page": page,
            "totals_panel": dashboards.panel(page.blocks["totals"]),
            "panels": [dashboards.panel(b) for slug, b in page.blocks.items() if slug != "totals"],
        },
    )


@login_required
def reach_csv(request: HttpRequest, reference: str, block: str) -> HttpResponse:
    if block not in REACH_BLOCKS:
        raise Http404(_("There is no such table."))
    access, page = _reach_page(request, reference, Numbers(for_csv=True))
    found = page.blocks.get(block)
    if found is None:
        raise Http404(_("There are no numbers to download yet."))
    return csv_response(found.table, filename=f"{access.service.reference}-reach-{block}.csv")


@login_required
def roll_up(request: HttpRequest, code: str) -> HttpResponse:
    area = selectors.rollup_area(request.user, code)
    block = dashboards.rollup_block(selectors.area_rollup(area), Numbers())
    return render(
        request, "engagement/roll_up.html", {"area": area, "panel": dashboards.panel(block)}
    )


@login_required
def roll_up_csv(request: HttpRequest, code: str) -> HttpResponse:
    area = selectors.rollup_area(request.user, code)
    block = dashboards.rollup_block(selectors.area_rollup(area), Numbers(for_csv=True))
    return csv_response(block.table, filename=f"{area.code}-roll-up.csv")


@login_required
def network(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.network_organisation(request.user, slug)
    block = dashboards.network_block(selectors.partnership_network(organisation), Numbers())
    return render(
        request,
        "engagement/network.html",
        {"organisation": organisation, "panel": dashboards.panel(block)},
    )


@login_required
def network_csv(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.network_organisation(request.user, slug)
    block = dashboards.network_block(
        selectors.partnership_network(organisation), Numbers(for_csv=True)
    )
    return csv_response(block.table, filename=f"{organisation.slug}-network.csv")
