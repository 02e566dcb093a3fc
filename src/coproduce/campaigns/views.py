"""The public short link, and the staff pages that make and measure campaigns."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.accounts.selectors import signed_in_user
from coproduce.engagement.ladder import OutreachChannel

from . import qr
from .forms import CampaignForm, LinkAddForm
from .models import CampaignLink
from .selectors import (
    campaign_detail,
    campaign_for,
    campaigns_service,
    can_manage,
    inform_activities,
    link_for,
    service_campaigns,
)
from .services import (
    CampaignEndedError,
    CampaignPlan,
    UnknownLinkError,
    campaign_create,
    campaign_link_add,
    campaign_visit,
)

# --- the public short link ---------------------------------------------------------


@require_GET
def go(request: HttpRequest, code: str) -> HttpResponse:
    """Count the visit and send the visitor on; nothing about them is read or kept.

    The pages here do not extend base.html: its language switcher carries a CSRF token,
    which would set a cookie on a survivor's phone. No cookie, no session, no cache and
    no referrer leave this view.
    """
    response: HttpResponse
    try:
        destination = campaign_visit(code)
    except UnknownLinkError:
        response = render(request, "campaigns/link_unknown.html", status=404)
    except CampaignEndedError as ended:
        context = {"campaign": ended.link.campaign, "discreet": _discreet(ended.link)}
        response = render(request, "campaigns/link_ended.html", context, status=410)
    else:
        # The destination was checked when it was saved (services.check_destination).
        response = HttpResponseRedirect(destination)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _discreet(link: CampaignLink) -> bool:
    """Whether a page about this link must not say what it is about."""
    service = link.campaign.activity.service
    return service.sensitive or link.channel == OutreachChannel.PRIVATE_POSTER


def short_url(request: HttpRequest, link: CampaignLink) -> str:
    return request.build_absolute_uri(reverse("campaigns:go", args=[link.code]))


# --- staff pages -------------------------------------------------------------------


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def service_campaign_list(request: HttpRequest, reference: str) -> HttpResponse:
    service = campaigns_service(request.user, reference)
    return render(
        request,
        "campaigns/service_campaigns.html",
        {
            "service": service,
            "campaigns": service_campaigns(service),
            "can_manage": can_manage(request.user, service),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest, reference: str) -> HttpResponse:
    service = campaigns_service(request.user, reference)
    if not can_manage(request.user, service):
        raise PermissionDenied
    form = CampaignForm(request.POST or None, activities=inform_activities(service))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaign_create(
                service=service,
                plan=CampaignPlan(
                    title=data["title"],
                    message=data["message"],
                    destination=data["destination"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    channels=tuple(data["channels"]),
                ),
                activity=form.chosen_activity(),
                created_by=signed_in_user(request),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The campaign and its links are ready."))
            return redirect("campaigns:campaign", reference=campaign.reference)
    return render(request, "campaigns/campaign_form.html", {"service": service, "form": form})


@login_required
def campaign_page(request: HttpRequest, reference: str) -> HttpResponse:
    detail = campaign_detail(request.user, reference)
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "detail": detail,
            "campaign": detail.campaign,
            "service": detail.service,
            "links": [(link, short_url(request, link)) for link in detail.links],
            "can_manage": can_manage(request.user, detail.service),
            "channel_count": len(OutreachChannel.values),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def link_add(request: HttpRequest, reference: str) -> HttpResponse:
    campaign = campaign_for(request.user, reference)
    service = campaign.activity.service
    if not can_manage(request.user, service):
        raise PermissionDenied
    taken = set(campaign.links.values_list("channel", flat=True))
    form = LinkAddForm(request.POST or None, taken=taken)
    if request.method == "POST" and form.is_valid():
        try:
            link = campaign_link_add(
                campaign=campaign,
                channel=form.cleaned_data["channel"],
                added_by=signed_in_user(request),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The link for “%s” is ready.") % link.get_channel_display())
            return redirect("campaigns:campaign", reference=campaign.reference)
    return render(
        request,
        "campaigns/link_add.html",
        {"campaign": campaign, "service": service, "form": form},
    )


def _qr_title(link: CampaignLink) -> str:
    return _("QR code of the link %(code)s") % {"code": link.code}


@login_required
@require_GET
def link_qr_svg(request: HttpRequest, code: str) -> HttpResponse:
    link = link_for(request.user, code)
    response = HttpResponse(
        qr.svg_document(short_url(request, link), title=_qr_title(link)),
        content_type="image/svg+xml",
    )
    response["Content-Disposition"] = f'inline; filename="qr-{link.code}.svg"'
    return response


@login_required
@require_GET
def link_qr_png(request: HttpRequest, code: str) -> HttpResponse:
    link = link_for(request.user, code)
    response = HttpResponse(qr.png(short_url(request, link)), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="qr-{link.code}.png"'
    return response


@login_required
@require_GET
def link_poster(request: HttpRequest, code: str) -> HttpResponse:
    link = link_for(request.user, code)
    url = short_url(request, link)
    return render(
        request,
        "campaigns/poster.html",
        {
            "link": link,
            "campaign": link.campaign,
            "service": link.campaign.activity.service,
            "short_url": url,
            # segno writes the drawing; the only text in it is our own escaped title.
            "qr_svg": mark_safe(qr.svg_inline(url, title=_qr_title(link))),  # noqa: S308 - segno escapes the title # nosec B308 B703
        },
    )
