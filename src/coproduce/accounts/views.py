from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coproduce.accounts.forms import DemographicsForm, SignUpForm
from coproduce.accounts.models import Demographics
from coproduce.accounts.selectors import signed_in_user
from coproduce.accounts.services import demographics_record, participant_for, user_sign_up
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
        initial={"consent": existing is not None},
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
        },
    )
