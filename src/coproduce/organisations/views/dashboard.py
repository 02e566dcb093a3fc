"""Staff pages of one organisation: only its members see them (see permissions.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.accounts.selectors import signed_in_user
from coproduce.organisations.forms import MembershipAddForm
from coproduce.organisations.models import Membership, Role
from coproduce.organisations.selectors import (
    dashboard_for,
    members_organisation,
    organisation_members,
    organisations_of,
)
from coproduce.organisations.services import membership_add, membership_remove


@login_required
def dashboard_home(request: HttpRequest) -> HttpResponse:
    memberships = list(organisations_of(request.user))
    staff = [m for m in memberships if m.role != Role.VOLUNTEER]
    if len(staff) == 1 and len(memberships) == 1:
        return redirect("organisations:dashboard", slug=staff[0].organisation.slug)
    return render(request, "organisations/dashboard_home.html", {"memberships": memberships})


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    return render(
        request, "organisations/dashboard.html", {"dashboard": dashboard_for(request.user, slug)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = members_organisation(request.user, slug)
    form = MembershipAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = membership_add(
                organisation=organisation,
                username=form.cleaned_data["username"],
                role=Role(form.cleaned_data["role"]),
                added_by=signed_in_user(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(username)s is now %(role)s.")
                % {"username": membership.user.username, "role": membership.get_role_display()},
            )
            return redirect("organisations:members", slug=organisation.slug)
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            "members": list(organisation_members(organisation)),
            "form": form,
        },
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    organisation = members_organisation(request.user, slug)
    membership = get_object_or_404(Membership, pk=membership_id, organisation=organisation)
    try:
        membership_remove(membership=membership, removed_by=signed_in_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The membership is removed."))
    return redirect("organisations:members", slug=organisation.slug)
