"""Vote pages: thin; selectors check permission, services check votes and write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.accounts.models import Participant
from coproduce.accounts.selectors import signed_in_user
from coproduce.core.charts import ChartTable, csv_response
from coproduce.core.forms import add_service_errors
from coproduce.core.ratelimit import rate_limited
from coproduce.engagement import selectors as engagement
from coproduce.engagement.models import ArrivalChannel

from . import selectors
from .forms import BallotForm, CodesForm, VoteForm
from .models import Ballot
from .services import (
    ballot_create,
    ballot_publish,
    ballot_update,
    codes_issue,
    has_opened,
    is_closed,
    is_open,
    money,
    vote_cast,
)

# ---------------------------------------------------------------------------------------
# Staff


@login_required
def service_ballots(request: HttpRequest, reference: str) -> HttpResponse:
    service = engagement.service_for_runner(request.user, reference)
    return render(
        request,
        "votes/service_ballots.html",
        {"service": service, "ballots": selectors.service_ballots(service)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def ballot_new(request: HttpRequest, reference: str) -> HttpResponse:
    service = engagement.service_for_runner(request.user, reference)
    form = BallotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ballot = ballot_create(
                service=service, details=form.details(), created_by=signed_in_user(request)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The vote is saved as a draft."))
            return redirect("votes:manage", code=ballot.code)
    return render(request, "votes/ballot_form.html", {"service": service, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def ballot_edit(request: HttpRequest, code: str) -> HttpResponse:
    ballot = selectors.ballot_for_runner(request.user, code)
    if has_opened(ballot):
        messages.error(request, _("This vote has opened, so it can no longer be changed."))
        return redirect("votes:manage", code=ballot.code)
    form = BallotForm(request.POST or None, initial=BallotForm.initial_for(ballot))
    if request.method == "POST" and form.is_valid():
        try:
            ballot_update(ballot=ballot, details=form.details(), updated_by=signed_in_user(request))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The vote is saved."))
            return redirect("votes:manage", code=ballot.code)
    return render(
        request,
        "votes/ballot_form.html",
        {"service": ballot.activity.service, "form": form, "ballot": ballot},
    )


@login_required
def manage(request: HttpRequest, code: str) -> HttpResponse:
    ballot = selectors.ballot_for_runner(request.user, code)
    return render(
        request,
        "votes/manage.html",
        {
            "ballot": ballot,
            "service": ballot.activity.service,
            "options": ballot.options.all(),
            "turnout": {
                ArrivalChannel(channel).label: n for channel, n in selectors.turnout(ballot).items()
            },
            "has_opened": has_opened(ballot),
            "is_closed": is_closed(ballot),
        },
    )


@login_required
@require_POST
def publish(request: HttpRequest, code: str) -> HttpResponse:
    ballot = selectors.ballot_for_runner(request.user, code)
    try:
        ballot_publish(ballot=ballot, published_by=signed_in_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The vote is published."))
    return redirect("votes:manage", code=ballot.code)


@login_required
@require_http_methods(["GET", "POST"])
def codes(request: HttpRequest, code: str) -> HttpResponse:
    """Issue one-time codes; they are shown on this page once, to print."""
    ballot = selectors.ballot_for_runner(request.user, code)
    form = CodesForm(request.POST or None)
    issued: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            issued = codes_issue(
                ballot=ballot,
                count=form.cleaned_data["count"],
                batch=form.cleaned_data["batch"],
                issued_by=signed_in_user(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
    return render(
        request,
        "votes/codes.html",
        {"ballot": ballot, "service": ballot.activity.service, "form": form, "issued": issued},
    )


@login_required
@require_http_methods(["GET", "POST"])
def paper(request: HttpRequest, code: str) -> HttpResponse:
    """Enter a paper ballot (from a meeting) with the code printed on it."""
    ballot = selectors.ballot_for_runner(request.user, code)
    form = VoteForm(request.POST or None, ballot=ballot, needs_code=True)
    if request.method == "POST" and form.is_valid():
        try:
            vote_cast(
                ballot=ballot,
                option_ids=form.option_ids(),
                code=form.cleaned_data["code"],
                channel=ArrivalChannel.PAPER,
                recorded_by=signed_in_user(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The paper vote is counted. Enter the next one."))
            return redirect("votes:paper", code=ballot.code)
    return render(
        request,
        "votes/paper.html",
        {"ballot": ballot, "service": ballot.activity.service, "form": form, **_ballot(ballot)},
    )


# ---------------------------------------------------------------------------------------
# Public


def _participant(request: HttpRequest) -> Participant | None:
    if not request.user.is_authenticated:
        return None
    return Participant.objects.filter(user_id=request.user.pk).first()


def _ballot(ballot: Ballot) -> dict[str, object]:
    options = list(ballot.options.all())
    return {
        "options": options,
        "cost_hints": {str(o.pk): money(o.cost) for o in options} if ballot.budget else {},
    }


@require_http_methods(["GET", "POST"])
@rate_limited("ballot")
def ballot(request: HttpRequest, code: str) -> HttpResponse:
    """The vote: what is decided, the options, the ballot paper while open, then results."""
    ballot = selectors.ballot_public(code)
    participant = _participant(request)
    voted = selectors.has_voted(ballot, participant)
    # A signed-in resident of a listed district votes without a code; others need one.
    needs_code = participant is None or not ballot.districts
    form = None
    if is_open(ballot) and not voted:
        form = VoteForm(request.POST or None, ballot=ballot, needs_code=needs_code)
        if request.method == "POST" and form.is_valid():
            try:
                vote_cast(
                    ballot=ballot,
                    option_ids=form.option_ids(),
                    participant=participant,
                    code=form.cleaned_data.get("code", ""),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your vote is counted. Thank you."))
                return redirect("votes:ballot", code=ballot.code)
    return render(
        request,
        "votes/ballot.html",
        {
            "ballot": ballot,
            "form": form,
            "voted": voted,
            "needs_code": needs_code,
            "is_open": is_open(ballot),
            "results": selectors.results(ballot) if is_closed(ballot) else None,
            **_ballot(ballot),
        },
    )


def results_json(request: HttpRequest, code: str) -> JsonResponse:
    """A closed ballot's result as open data (JSON); 404 until it closes."""
    return JsonResponse(
        selectors.open_data(selectors.ballot_public(code)),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


def results_csv(request: HttpRequest, code: str) -> HttpResponse:
    ballot = selectors.ballot_public(code)
    results = selectors.results(ballot)
    table = ChartTable(
        columns=[_("Rank"), _("Option"), _("Votes"), _("Cost"), _("Funded")],
        rows=[
            [
                str(row.result.rank),
                row.option.title,
                str(row.result.votes),
                f"{row.option.cost:.2f}",
                (_("Yes") if row.result.funded else _("No")) if ballot.budget else "",
            ]
            for row in results.rows
        ],
        numeric=[True, False, True, True, False],
    )
    return csv_response(table, filename=f"vote-{ballot.code}-results.csv")
