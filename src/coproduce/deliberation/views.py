"""Public consultation pages: thin; selectors check permission, services decide and write.

A form sent to a POST-only address that has errors is shown again on the page it came
from (the consultation, or its management page), with what was typed kept.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coproduce.accounts.selectors import signed_in_user
from coproduce.accounts.services import participant_for
from coproduce.core.forms import add_service_errors, new_submission_key
from coproduce.core.ratelimit import rate_limited
from coproduce.engagement import selectors as engagement

from . import selectors, services
from .forms import (
    CommentForm,
    ConsultationForm,
    DifferenceForm,
    DocumentForm,
    ModerationForm,
    OutcomeForm,
    ProposalForm,
    ReplyForm,
    ThemeForm,
)
from .models import Comment, Consultation, Difference, DifferenceAnswer, Moderation, Proposal

# ---------------------------------------------------------------------------------------
# Public


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "deliberation/index.html",
        {"consultations": selectors.open_and_recent(), "now": timezone.now()},
    )


def _fresh(form_class: type[CommentForm] | type[ProposalForm]) -> Any:
    return form_class(initial={"submission_key": new_submission_key()})


CONTENT = "deliberation/_content.html"
# A revision is never shown stale (every write makes a new one); the timeout only lets
# old revisions' pages go.
CONTENT_SECONDS = 600


def _number(request: HttpRequest, param: str) -> int:
    """A page number as the paginator reads it (anything else is the first page)."""
    value = request.GET.get(param, "")
    return int(value) if value.isdecimal() else 1


def _lists(consultation: Consultation, request: HttpRequest) -> dict[str, Any]:
    return {
        "documents": list(consultation.documents.defer("data")),
        "proposals": selectors.page_of(
            selectors.published_proposals(consultation),
            _number(request, "page"),
            selectors.PROPOSALS_A_PAGE,
        )
        if consultation.takes_proposals
        else None,
        "comments": selectors.page_of(
            selectors.published_comments(consultation),
            _number(request, "comments"),
            selectors.COMMENTS_A_PAGE,
        ),
    }


def _state(consultation: Consultation) -> dict[str, bool]:
    now = timezone.now()
    return {
        "is_open": services.is_open(consultation, now),
        "not_yet": consultation.opens_at > now,
        "closed": consultation.closes_at <= now,
    }


def _content(request: HttpRequest, consultation: Consultation, own: dict[str, Any]) -> str:
    """The page's content: the consultation, its documents, a page of proposals and a
    page of comments, and the forms of a signed-in person (``own``)."""
    context = {"consultation": consultation, "path": request.path, **_state(consultation)}
    lists = _lists(consultation, request)
    if own:
        return render_to_string(CONTENT, context | lists | own, request)
    html = render_to_string(CONTENT, context | lists)
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped when rendered # nosec B308 B703


def _sensitive(consultation: Consultation) -> bool:
    """Whether the consultation's service is sensitive: read with the row by
    ``selectors.consultation_to_show``, else through its activity."""
    flag = getattr(consultation, "service_sensitive", None)
    return bool(flag) if flag is not None else consultation.activity.service.sensitive


def _anonymous_page(request: HttpRequest, consultation: Consultation) -> HttpResponse:
    """The page of a visitor who is not signed in: the same HTML for everyone who asks
    for the same address in the same language, so it is rendered once and kept in the
    cache (each web server's own memory).

    Its key holds the consultation's revision, whether it is open, not yet open or
    closed, the language and the address asked for (the page numbers, and the language
    links' way back). Every write bumps the revision in its transaction, so no server
    serves a page stale and none has to be told to forget one; the consultation's id
    and creation time name it even where ids are used again (a test database). Nothing
    of a person is in it: its content is rendered without the request, and an anonymous
    page has no form and no CSRF token (the language switcher is links). A visitor with
    a message waiting (after a comment, say) gets the page drawn afresh.
    """
    key = ":".join(
        str(part)
        for part in (
            "deliberation-page",
            consultation.pk,
            consultation.created_at.timestamp(),
            consultation.revision,
            _sensitive(consultation),
            *_state(consultation).values(),
            get_language(),
            request.get_full_path(),
        )
    )
    html = cache.get(key)
    if html is None:
        context = {
            "consultation": consultation,
            "sensitive": _sensitive(consultation),
            "content": _content(request, consultation, {}),
        }
        html = render_to_string("deliberation/consultation.html", context, request)
        cache.set(key, html, CONTENT_SECONDS)
    return HttpResponse(html)


def _own(request: HttpRequest, consultation: Consultation, forms: dict[str, Any]) -> dict[str, Any]:
    """What only a signed-in person sees: their forms, what they wrote that is not
    public, what they support, and their answer on whether it made a difference."""
    participant = participant_for(signed_in_user(request))
    own_comments, own_proposals, supported = selectors.own_contributions(consultation, participant)
    answer = DifferenceAnswer.objects.filter(
        consultation=consultation, participant=participant
    ).first()
    return {
        "own_comments": own_comments,
        "own_proposals": own_proposals,
        "supported": supported,
        "comment_form": forms.get("comment_form") or _fresh(CommentForm),
        "reply_form": forms.get("reply_form"),
        "proposal_form": forms.get("proposal_form") or _fresh(ProposalForm),
        "difference_form": forms.get("difference_form")
        or (DifferenceForm(initial={"answer": answer.answer}) if answer else DifferenceForm()),
        "ask_difference": consultation.outcome_published_at is not None
        and services.took_part(consultation, participant),
        "answered": answer,
    }


def _consultation_page(
    request: HttpRequest, consultation: Consultation, **forms: Any
) -> HttpResponse:
    if not request.user.is_authenticated and not len(messages.get_messages(request)):
        return _anonymous_page(request, consultation)
    own = _own(request, consultation, forms) if request.user.is_authenticated else {}
    return render(
        request,
        "deliberation/consultation.html",
        {
            "consultation": consultation,
            "sensitive": _sensitive(consultation),
            "content": _content(request, consultation, own),
        },
    )


def consultation(request: HttpRequest, code: str) -> HttpResponse:
    return _consultation_page(request, selectors.consultation_to_show(code))


def open_data(request: HttpRequest, code: str) -> JsonResponse:
    """A closed consultation as open data (JSON); 404 until it closes."""
    found = selectors.consultation_public(code)
    return JsonResponse(
        selectors.open_data(found, settings.COPRODUCE_BASE_URL),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


def proposal(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A proposal, its supports and the comments on it."""
    found = selectors.consultation_public(code)
    shown = selectors.proposal_public(found, pk)
    participant = (
        participant_for(signed_in_user(request)) if request.user.is_authenticated else None
    )
    _comments, _proposals, supported = selectors.own_contributions(found, participant)
    return render(
        request,
        "deliberation/proposal.html",
        {
            "consultation": found,
            "proposal": shown,
            "is_open": services.is_open(found),
            "supported": supported,
            "comments": selectors.page_of(
                selectors.published_comments(found, proposal=shown),
                request.GET.get("comments"),
                selectors.COMMENTS_A_PAGE,
            ),
            "comment_form": _fresh(CommentForm),
        },
    )


def document(request: HttpRequest, code: str, pk: int) -> FileResponse:
    found = selectors.document_public(code, pk)
    response = FileResponse(
        iter([bytes(found.data)]), content_type="application/pdf", as_attachment=False
    )
    response["Content-Disposition"] = f'inline; filename="document-{found.pk}.pdf"'
    response["Content-Length"] = str(found.size)
    return response


def _participant(request: HttpRequest) -> Any:
    return participant_for(signed_in_user(request))


@login_required
@require_POST
@rate_limited("comment")
def comment(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.consultation_public(code)
    is_reply = bool(request.POST.get("parent"))
    form = (ReplyForm if is_reply else CommentForm)(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        parent = None
        if data["parent"]:
            parent = get_object_or_404(Comment, pk=data["parent"], consultation=found)
        on = None
        if data["proposal"]:
            on = get_object_or_404(Proposal, pk=data["proposal"], consultation=found)
        try:
            written = services.comment_add(
                consultation=found,
                author=signed_in_user(request),
                participant=_participant(request),
                text=data["text"],
                display_name=data["display_name"],
                parent=parent,
                proposal=on,
                tell_me_the_outcome=data["tell_me"],
                submission_key=data["submission_key"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if written.status == Moderation.PENDING:
                messages.success(
                    request, _("Thank you. Your comment will appear once a moderator has read it.")
                )
            else:
                messages.success(request, _("Your reply is published."))
            if written.proposal_id:
                return redirect("deliberation:proposal", code=found.code, pk=written.proposal_id)
            return redirect("deliberation:consultation", code=found.code)
    key = "reply_form" if is_reply else "comment_form"
    return _consultation_page(request, found, **{key: form})


@login_required
@require_POST
@rate_limited("proposal")
def propose(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.consultation_public(code)
    form = ProposalForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.proposal_add(
                consultation=found,
                participant=_participant(request),
                title=data["title"],
                text=data["text"],
                display_name=data["display_name"],
                tell_me_the_outcome=data["tell_me"],
                submission_key=data["submission_key"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Thank you. Your proposal will appear once a moderator has read it.")
            )
            return redirect("deliberation:consultation", code=found.code)
    return _consultation_page(request, found, proposal_form=form)


@login_required
@require_POST
@rate_limited("support")
def support(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    found = selectors.consultation_public(code)
    proposal = get_object_or_404(Proposal, pk=pk, consultation=found)
    try:
        added = services.proposal_support(proposal=proposal, participant=_participant(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if added:
            messages.success(request, _("You support “%(title)s”.") % {"title": proposal.title})
    return redirect("deliberation:consultation", code=found.code)


@login_required
@require_POST
def difference(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.consultation_public(code)
    form = DifferenceForm(request.POST)
    if form.is_valid():
        try:
            services.difference_answer(
                consultation=found,
                participant=_participant(request),
                answer=Difference(form.cleaned_data["answer"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you for telling us."))
            return redirect("deliberation:consultation", code=found.code)
    return _consultation_page(request, found, difference_form=form)


# ---------------------------------------------------------------------------------------
# Staff


@login_required
def service_consultations(request: HttpRequest, reference: str) -> HttpResponse:
    service = engagement.service_for_runner(request.user, reference)
    return render(
        request,
        "deliberation/service_consultations.html",
        {
            "service": service,
            "consultations": selectors.service_consultations(service),
            "report": selectors.service_difference_report(service),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_new(request: HttpRequest, reference: str) -> HttpResponse:
    service = engagement.service_for_runner(request.user, reference)
    form = ConsultationForm(request.POST or None, initial={"takes_proposals": True})
    if request.method == "POST" and form.is_valid():
        try:
            created = services.consultation_create(
                service=service, details=form.details(), created_by=signed_in_user(request)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The consultation is saved as a draft."))
            return redirect("deliberation:manage", code=created.code)
    return render(
        request, "deliberation/consultation_form.html", {"service": service, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def consultation_edit(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.consultation_for_runner(request.user, code)
    form = ConsultationForm(request.POST or None, initial=ConsultationForm.initial_for(found))
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_update(
                consultation=found, details=form.details(), updated_by=signed_in_user(request)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The consultation is saved."))
            return redirect("deliberation:manage", code=found.code)
    return render(
        request,
        "deliberation/consultation_form.html",
        {"service": found.activity.service, "form": form, "consultation": found},
    )


def _manage_page(request: HttpRequest, found: Consultation, **forms: Any) -> HttpResponse:
    comments, proposals = selectors.moderation_queue(found)
    return render(
        request,
        "deliberation/manage.html",
        {
            "consultation": found,
            "service": found.activity.service,
            "is_open": services.is_open(found),
            "is_closed": services.is_closed(found),
            "pending_comments": comments,
            "pending_proposals": proposals,
            "documents": found.documents.defer("data"),
            "report": selectors.difference_report(found),
            "document_form": forms.get("document_form") or DocumentForm(),
            "theme_form": forms.get("theme_form") or ThemeForm(),
            "outcome_form": forms.get("outcome_form")
            or OutcomeForm(initial={"outcome": found.outcome}),
            "moderation_form": forms.get("moderation_form") or ModerationForm(),
            "moderating": forms.get("moderating"),
        },
    )


@login_required
def manage(request: HttpRequest, code: str) -> HttpResponse:
    return _manage_page(request, selectors.consultation_for_runner(request.user, code))


@login_required
@require_POST
def publish(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.consultation_for_runner(request.user, code)
    try:
        services.consultation_publish(consultation=found, published_by=signed_in_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The consultation is published."))
    return redirect("deliberation:manage", code=found.code)


def _staff_action(
    request: HttpRequest,
    found: Consultation,
    form: Form,
    act: Callable[[dict[str, Any]], object],
    done: str,
    **page: Any,
) -> HttpResponse:
    """Run a staff form's service: back to the management page with ``done``, or the
    page again with the form and its errors (what was typed kept)."""
    if form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("deliberation:manage", code=found.code)
    return _manage_page(request, found, **page)


@login_required
@require_POST
def moderate(request: HttpRequest, code: str, kind: str, pk: int) -> HttpResponse:
    found = selectors.consultation_for_runner(request.user, code)
    item: Comment | Proposal = (
        get_object_or_404(Comment, pk=pk, consultation=found)
        if kind == "comment"
        else get_object_or_404(Proposal, pk=pk, consultation=found)
    )
    form = ModerationForm(request.POST)
    return _staff_action(
        request,
        found,
        form,
        lambda data: services.moderate(
            item=item,
            publish=data["publish"],
            note=data["note"],
            moderated_by=signed_in_user(request),
        ),
        _("Moderated."),
        moderation_form=form,
        moderating=item,
    )


@login_required
@require_POST
def document_upload(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.consultation_for_runner(request.user, code)
    form = DocumentForm(request.POST, request.FILES)
    return _staff_action(
        request,
        found,
        form,
        lambda data: services.document_add(
            consultation=found,
            title=data["title"],
            data=data["file"],
            added_by=signed_in_user(request),
        ),
        _("The document is added."),
        document_form=form,
    )


@login_required
@require_POST
def theme(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.consultation_for_runner(request.user, code)
    form = ThemeForm(request.POST)
    return _staff_action(
        request,
        found,
        form,
        lambda data: services.theme_respond(
            consultation=found,
            said=data["said"],
            we_did=data["we_did"],
            responded_by=signed_in_user(request),
        ),
        _("It is on the service's “You said, we did” board."),
        theme_form=form,
    )


@login_required
@require_POST
def outcome(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.consultation_for_runner(request.user, code)
    form = OutcomeForm(request.POST)
    return _staff_action(
        request,
        found,
        form,
        lambda data: services.outcome_publish(
            consultation=found, outcome=data["outcome"], published_by=signed_in_user(request)
        ),
        _("The outcome is published; the people who asked are being told."),
        outcome_form=form,
    )
