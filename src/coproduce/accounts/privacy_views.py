"""A person's own data: see it, download it, erase it (subject access and erasure)."""

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from coproduce.accounts.models import User
from coproduce.accounts.privacy import (
    consent_history,
    consent_needs_renewal,
    erase_person,
    subject_access,
)
from coproduce.accounts.selectors import signed_in_user
from coproduce.accounts.services import participant_for
from coproduce.core.forms import GovukFormMixin


class EraseForm(GovukFormMixin, forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your passphrase"),
        strip=False,
        help_text=gettext_lazy("To be sure it is you, and not someone else at this device."),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("That is not your passphrase. Nothing has been erased."))
        return password


@login_required
@require_GET
def privacy_data(request: HttpRequest) -> HttpResponse:
    participant = participant_for(signed_in_user(request))
    return render(
        request,
        "accounts/privacy_data.html",
        {
            "access": subject_access(participant),
            "consents": consent_history(participant),
            "renewal": consent_needs_renewal(participant),
        },
    )


@login_required
@require_GET
def privacy_download(request: HttpRequest) -> HttpResponse:
    participant = participant_for(signed_in_user(request))
    body = json.dumps(subject_access(participant).as_json(), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"coproduce-{participant.reference}-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def privacy_erase(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = EraseForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        erase_person(participant_for(user))
        logout(request)
        messages.success(request, _("Your account and what identified you have been erased."))
        return redirect("organisations:home")
    return render(request, "accounts/privacy_erase.html", {"form": form})
