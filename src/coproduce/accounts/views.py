from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from coproduce.accounts.forms import (
    DemographicsForm,
    NewPassphraseForm,
    PassphraseResetForm,
    SignUpForm,
    TwoFactorCodeForm,
)
from coproduce.accounts.models import Demographics
from coproduce.accounts.privacy import consent_needs_renewal
from coproduce.accounts.selectors import signed_in_user, two_factor_on
from coproduce.accounts.services import (
    demographics_record,
    participant_for,
    two_factor_app_confirm,
    two_factor_app_start,
    two_factor_verify,
    user_sign_up,
)
from coproduce.core.ratelimit import rate_limited


@require_http_methods(["GET", "POST"])
@rate_limited("sign_up")
def sign_up(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_sign_up(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                email=form.cleaned_data["email"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account is ready."))
            return redirect("accounts:profile")
    return render(request, "accounts/sign_up.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    participant = participant_for(user)
    existing = Demographics.objects.filter(participant=participant).first()
    form = DemographicsForm(
        request.POST or None,
        instance=existing,
        # A new wording of the consent asks again: the box is not ticked for an old one.
        initial={"consent": existing is not None and not consent_needs_renewal(participant)},
    )
    if request.method == "POST" and form.is_valid():
        kept = demographics_record(
            participant=participant,
            consent_given=form.cleaned_data["consent"],
            answers=form.answers(),
        )
        messages.success(
            request,
            _("Your answers are saved.") if kept else _("Nothing about you is kept."),
        )
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {
            "participant": participant,
            "form": form,
            "memberships": user.memberships.select_related("organisation"),
            "two_factor_on": two_factor_on(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: its secret as a QR code and as text, then its code."""
    user = signed_in_user(request)
    if two_factor_on(user):
        return redirect("accounts:two_factor_verify")
    device = two_factor_app_start(user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor_app_confirm(request, device, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            context = {"codes": codes, "next": _next_page(request)}
            return render(request, "accounts/two_factor_backup_codes.html", context)
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {"form": form, "qr_code": _qr_code(device), "secret": _secret(device)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or a backup code."""
    user = signed_in_user(request)
    if not two_factor_on(user):
        return redirect("accounts:two_factor_enrol")
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor_verify(request, user, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            return redirect(_next_page(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form})


def _next_page(request: HttpRequest) -> str:
    """Where the person was going (``next``) if it is one of our pages, else the default."""
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _qr_code(device: TOTPDevice) -> str:
    """The app's set-up address as an inline SVG QR code (made here, from our own data)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, title=_("QR code for your authenticator app")
    )
    return mark_safe(svg)  # noqa: S308 - segno's own markup, no user input in the text # nosec B308 B703


def _secret(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base 32, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[start : start + 4] for start in range(0, len(key), 4))


class PassphraseResetView(auth_views.PasswordResetView):
    """Ask for a reset link. The answer is the same whether or not the address is known;
    an email goes only to an address on file, with a link to COPRODUCE_BASE_URL."""

    form_class = PassphraseResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Form) -> HttpResponse:
        self.extra_email_context = {"base_url": settings.COPRODUCE_BASE_URL}
        return super().form_valid(form)


class NewPassphraseView(auth_views.PasswordResetConfirmView):
    form_class = NewPassphraseForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
