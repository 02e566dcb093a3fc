"""The form pages: thin; selectors check permission, services check answers and write.

Public: a form's address ``/consultations/f/<code>/`` (a random code, never the
service's name), its sections one page each, and the thank-you page. The pages of a
sensitive service's form show only the form's own neutral title.
Staff of the provider: the forms of a service, the builder, publishing and closing,
the QR code and the printable paper version, typing in paper answers, the results
(which the bodies that fund or commission the service may read too).
"""

from collections.abc import Callable, Mapping

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coproduce.accounts.models import User
from coproduce.accounts.selectors import signed_in_user
from coproduce.campaigns import qr
from coproduce.core import antispam
from coproduce.core.charts import csv_response
from coproduce.core.forms import add_service_errors, new_submission_key
from coproduce.core.ratelimit import rate_limited
from coproduce.events.models import Event

from . import exports, selectors, services
from .answers import Value, is_shown
from .forms import AnswersForm, PaperEntryForm, QuestionForm, QuestionnaireForm, SectionTitleForm
from .models import (
    FormVersion,
    Question,
    Questionnaire,
    Response,
    ResponseChannel,
    ResponseMode,
    Section,
)

SESSION_DRAFTS = "consultations_drafts"
SESSION_PARTICIPANT = "consultations_participant"
# Forms this browser sent answers to: a stale page sent again says so, and saves nothing.
SESSION_SENT = "consultations_sent"


# --- answering -----------------------------------------------------------------------


def _event_query(event: Event | None) -> str:
    return f"?event={event.pk}" if event is not None else ""


def _draft(
    request: HttpRequest, questionnaire: Questionnaire, event: Event | None
) -> Response | None:
    """The response this person is answering: by the token in their session, or for a
    signed-in person's identified form, by their participant."""
    tokens = request.session.get(SESSION_DRAFTS, {})
    found = selectors.draft_by_token(questionnaire, tokens.get(questionnaire.code))
    return found or selectors.response_of(questionnaire, request.user, event)


def _remember(request: HttpRequest, questionnaire: Questionnaire, token: str) -> None:
    """Keep (or, without a token, forget) the resume token of a draft; the session is
    written only if that changes it."""
    tokens = dict(request.session.get(SESSION_DRAFTS, {}))
    if token:
        tokens[questionnaire.code] = token
    else:
        tokens.pop(questionnaire.code, None)
    if tokens != request.session.get(SESSION_DRAFTS, {}):
        request.session[SESSION_DRAFTS] = tokens


@require_GET
def answer(request: HttpRequest, code: str) -> HttpResponse:
    """The form's first page: what it is for, how answers are kept, start or continue."""
    questionnaire, version = selectors.questionnaire_public(code)
    event = selectors.feedback_event(questionnaire, request.GET.get("event"))
    response = _draft(request, questionnaire, event)
    if response is not None and response.event is not None:
        event = response.event
    sections = (response.version if response else version).sections.count()
    next_number = min(response.sections_saved + 1, sections) if response else 1
    return render(
        request,
        "consultations/answer_start.html",
        {
            "questionnaire": questionnaire,
            "response": response,
            "event": event,
            "sections": sections,
            "next_url": reverse("consultations:answer_section", args=[code, next_number])
            + _event_query(event),
            "needs_sign_in": questionnaire.mode == ResponseMode.IDENTIFIED
            and not request.user.is_authenticated,
        },
    )


def _render_section(
    request: HttpRequest,
    questionnaire: Questionnaire,
    section: Section,
    form: AnswersForm,
    event: Event | None,
    *,
    sections: int,
    entry_key: str = "",
) -> HttpResponse:
    return render(
        request,
        "consultations/answer_section.html",
        {
            "questionnaire": questionnaire,
            "section": section,
            "number": section.position,
            "sections": sections,
            "is_last": section.position == sections,
            "form": form,
            "event": event,
            "action": request.path + _event_query(event),
            "entry_key": entry_key,
        },
    )


@require_http_methods(["GET", "POST"])
@rate_limited("answer")
def answer_section(request: HttpRequest, code: str, number: int) -> HttpResponse:
    questionnaire, current = selectors.questionnaire_public(code)
    event = selectors.feedback_event(questionnaire, request.GET.get("event"))
    if questionnaire.mode == ResponseMode.IDENTIFIED and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    response = _draft(request, questionnaire, event)
    if response is not None and response.status == "complete":
        messages.info(request, services.already_answered_message())
        return redirect("consultations:answer", code=code)
    if response is not None:
        event = response.event
    version = response.version if response is not None else current
    sections = {s.position: s for s in selectors.sections_of(version)}
    section = sections.get(number)
    if section is None:
        raise Http404(_("This form has no such section."))
    reached = (response.sections_saved if response else 0) + 1
    if response is None and number > 1 and code in request.session.get(SESSION_SENT, []):
        # The Back button after submitting, then submitting again: nothing is saved.
        messages.info(request, _("Your answers were already sent. Thank you."))
        return redirect("consultations:answer_done", code=code)
    if number > reached:
        return redirect(
            reverse("consultations:answer_section", args=[code, reached]) + _event_query(event)
        )
    saved = services.saved_values(response) if response is not None else {}
    shown = [q for q in section.questions.all() if _on_page(q, saved)]
    # A one-section form begun afresh is sent whole, once per page (its entry key).
    whole = response is None and len(sections) == 1
    if request.method == "GET":
        form = AnswersForm(questions=shown, saved=saved)
        key = new_submission_key() if whole else ""
        return _render_section(
            request, questionnaire, section, form, event, sections=len(sections), entry_key=key
        )
    form = AnswersForm(request.POST, questions=shown)
    form.is_valid()  # parsing only: the service checks the answers
    if antispam.refuse(form):
        key = request.POST.get("entry_key", "") if whole else ""
        return _render_section(
            request, questionnaire, section, form, event, sections=len(sections), entry_key=key
        )
    respondent = services.Respondent(
        user=signed_in_user(request) if request.user.is_authenticated else None,
        participant_reference=request.session.get(SESSION_PARTICIPANT, ""),
    )
    if whole:
        return _send_whole(request, questionnaire, version, section, form, respondent, event)
    try:
        receipt = services.response_save_section(
            questionnaire=questionnaire,
            response=response,
            number=number,
            raw=form.raw(),
            respondent=respondent,
            event=event,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _render_section(request, questionnaire, section, form, event, sections=len(sections))
    if receipt.token:
        _remember(request, questionnaire, receipt.token)
    _remember_participant(request, receipt.response)
    if number < len(sections):
        return redirect(
            reverse("consultations:answer_section", args=[code, number + 1]) + _event_query(event)
        )
    try:
        services.response_submit(response=receipt.response)
    except ValidationError as error:
        add_service_errors(form, error)
        return _render_section(request, questionnaire, section, form, event, sections=len(sections))
    _remember(request, questionnaire, "")
    request.session[SESSION_SENT] = [*request.session.get(SESSION_SENT, [])[-19:], code]
    return redirect("consultations:answer_done", code=code)


def _send_whole(
    request: HttpRequest,
    questionnaire: Questionnaire,
    version: FormVersion,
    section: Section,
    form: AnswersForm,
    respondent: services.Respondent,
    event: Event | None,
) -> HttpResponse:
    entry_key = request.POST.get("entry_key", "")
    try:
        response, new = services.response_send(
            questionnaire=questionnaire,
            version=version,
            questions=form.questions,
            raw=form.raw(),
            respondent=respondent,
            entry_key=entry_key,
            event=event,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _render_section(
            request, questionnaire, section, form, event, sections=1, entry_key=entry_key
        )
    if not new:  # the Back button, then the same page sent again
        messages.info(request, _("Your answers were already sent. Thank you."))
    if response is not None:
        _remember_participant(request, response)
    return redirect("consultations:answer_done", code=questionnaire.code)


def _remember_participant(request: HttpRequest, response: Response) -> None:
    """A person without an account answering a pseudonymous form keeps one reference."""
    participant = response.participant
    if participant is not None and not request.user.is_authenticated:
        request.session[SESSION_PARTICIPANT] = participant.reference


def _on_page(question: Question, saved: Mapping[str, Value]) -> bool:
    """Show a conditional question unless an earlier section's saved answer hides it.

    A condition on a question of the same section cannot be known before the page is
    sent: the question is shown with a hint (and hidden by the script when it can), and
    the service drops its answer if the condition turns out false.
    """
    controlling = question.show_if
    if controlling is None or controlling.section_id == question.section_id:
        return True
    return is_shown(question, saved)


@require_GET
def answer_done(request: HttpRequest, code: str) -> HttpResponse:
    questionnaire, _version = selectors.questionnaire_public(code)
    return render(request, "consultations/answer_done.html", {"questionnaire": questionnaire})


# --- staff: the builder --------------------------------------------------------------


@login_required
def service_forms(request: HttpRequest, reference: str) -> HttpResponse:
    service = selectors.service_for_runner(request.user, reference)
    return render(
        request,
        "consultations/service_forms.html",
        {"service": service, "questionnaires": selectors.service_questionnaires(service)},
    )


def _save_or_show(
    request: HttpRequest,
    form: Form,
    save: Callable[[User], Questionnaire],
    done: str,
    template: str,
    context: dict[str, object],
) -> HttpResponse:
    """The builder's pages: on a valid POST call the service (``save`` returns the form
    it changed), then go back to the form's page; otherwise, or when the service
    refuses, show the page again with its errors and what was written."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(signed_in_user(request))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("consultations:form", pk=saved.pk)
    return render(request, template, {**context, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def form_create(request: HttpRequest, reference: str) -> HttpResponse:
    service = selectors.service_for_runner(request.user, reference)
    form = QuestionnaireForm(request.POST or None, activities=selectors.service_activities(service))
    return _save_or_show(
        request,
        form,
        lambda user: services.questionnaire_create(
            service=service, plan=form.plan(), created_by=user
        ),
        _("The form is created. Now add its sections and questions."),
        "consultations/form_settings.html",
        {"service": service, "questionnaire": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def form_settings(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = selectors.questionnaire_for_runner(request.user, pk)
    service = questionnaire.service
    form = QuestionnaireForm(
        request.POST or None,
        activities=selectors.service_activities(service),
        initial=QuestionnaireForm.initial_for(questionnaire),
    )
    return _save_or_show(
        request,
        form,
        lambda user: services.questionnaire_update(
            questionnaire=questionnaire, plan=form.plan(), updated_by=user
        ),
        _("The form's settings are saved."),
        "consultations/form_settings.html",
        {"service": service, "questionnaire": questionnaire},
    )


@login_required
def form_detail(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = selectors.questionnaire_for_runner(request.user, pk)
    version = selectors.version_to_show(questionnaire)
    public_url = request.build_absolute_uri(
        reverse("consultations:answer", args=[questionnaire.code])
    )
    return render(
        request,
        "consultations/form_detail.html",
        {
            "questionnaire": questionnaire,
            "service": questionnaire.service,
            "version": version,
            "sections": selectors.sections_of(version) if version else [],
            "versions": selectors.versions_of(questionnaire),
            "published": services.current_version(questionnaire),
            "public_url": public_url,
        },
    )


def _builder_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    questionnaire = selectors.questionnaire_for_runner(request.user, pk)
    user = signed_in_user(request)
    try:
        if action == "draft":
            services.version_draft(questionnaire=questionnaire, drafted_by=user)
            done = _("A new draft version is ready to change. Answers already given are kept.")
        elif action == "publish":
            version = services.version_publish(questionnaire=questionnaire, published_by=user)
            done = _("Version %(number)s is published.") % {"number": version.number}
        else:
            closing = not questionnaire.is_closed
            services.questionnaire_close(
                questionnaire=questionnaire, closed=closing, changed_by=user
            )
            done = _("The form is closed.") if closing else _("The form is open again.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("consultations:form", pk=pk)


@login_required
@require_POST
def version_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _builder_action(request, pk, "draft")


@login_required
@require_POST
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _builder_action(request, pk, "publish")


@login_required
@require_POST
def form_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _builder_action(request, pk, "close")


@login_required
@require_http_methods(["GET", "POST"])
def section_add(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = selectors.questionnaire_for_runner(request.user, pk)
    form = SectionTitleForm(request.POST or None)
    return _save_or_show(
        request,
        form,
        lambda user: (
            services.section_add(
                questionnaire=questionnaire, title=form.texts(), added_by=user
            ).version.questionnaire
        ),
        _("The section is added."),
        "consultations/section_form.html",
        {"questionnaire": questionnaire, "section": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    section = selectors.section_for_runner(request.user, pk)
    initial = {"title": section.title, "title_vi": section.title_vi, "title_cy": section.title_cy}
    form = SectionTitleForm(request.POST or None, initial=initial)
    return _save_or_show(
        request,
        form,
        lambda user: (
            services.section_update(
                section=section, title=form.texts(), updated_by=user
            ).version.questionnaire
        ),
        _("The section is saved."),
        "consultations/section_form.html",
        {"questionnaire": section.version.questionnaire, "section": section},
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    section = selectors.section_for_runner(request.user, pk)
    form = QuestionForm(request.POST or None, earlier=selectors.earlier_questions(section))
    return _save_or_show(
        request,
        form,
        lambda user: (
            services.question_add(
                section=section, spec=form.spec(), added_by=user
            ).version.questionnaire
        ),
        _("The question is added."),
        "consultations/question_form.html",
        {"questionnaire": section.version.questionnaire, "section": section, "question": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_for_runner(request.user, pk)
    form = QuestionForm(
        request.POST or None,
        earlier=selectors.earlier_questions(question),
        initial=QuestionForm.initial_for(question),
    )
    return _save_or_show(
        request,
        form,
        lambda user: (
            services.question_update(
                question=question, spec=form.spec(), updated_by=user
            ).version.questionnaire
        ),
        _("The question is saved."),
        "consultations/question_form.html",
        {
            "questionnaire": question.version.questionnaire,
            "section": question.section,
            "question": question,
        },
    )


@login_required
@require_POST
def section_delete(request: HttpRequest, pk: int) -> HttpResponse:
    section = selectors.section_for_runner(request.user, pk)
    questionnaire_pk = section.version.questionnaire_id
    try:
        services.section_delete(section=section, deleted_by=signed_in_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The section is removed."))
    return redirect("consultations:form", pk=questionnaire_pk)


@login_required
@require_POST
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_for_runner(request.user, pk)
    questionnaire_pk = question.version.questionnaire_id
    try:
        services.question_delete(question=question, deleted_by=signed_in_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The question is removed."))
    return redirect("consultations:form", pk=questionnaire_pk)


# --- staff: collecting and results ---------------------------------------------------


def _public_url(request: HttpRequest, questionnaire: Questionnaire) -> str:
    return request.build_absolute_uri(reverse("consultations:answer", args=[questionnaire.code]))


def _qr_title(questionnaire: Questionnaire) -> str:
    return _("QR code of the form %(code)s") % {"code": questionnaire.code}


@login_required
@require_GET
def form_qr(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = selectors.questionnaire_for_runner(request.user, pk)
    response = HttpResponse(
        qr.svg_document(_public_url(request, questionnaire), title=_qr_title(questionnaire)),
        content_type="image/svg+xml",
    )
    response["Content-Disposition"] = f'inline; filename="form-{questionnaire.code}.svg"'
    return response


@login_required
@require_GET
def form_print(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = selectors.questionnaire_for_runner(request.user, pk)
    version = services.current_version(questionnaire)
    if version is None:
        messages.error(request, _("Publish the form before printing it."))
        return redirect("consultations:form", pk=pk)
    url = _public_url(request, questionnaire)
    return render(
        request,
        "consultations/print.html",
        {
            "questionnaire": questionnaire,
            "version": version,
            "sections": selectors.sections_of(version),
            "public_url": url,
            # segno writes the drawing; the only text in it is our own escaped title.
            "qr_svg": mark_safe(qr.svg_inline(url, title=_qr_title(questionnaire))),  # noqa: S308 - segno escapes the title # nosec B308 B703
        },
    )


def _render_entry(
    request: HttpRequest, questionnaire: Questionnaire, form: PaperEntryForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "consultations/paper_entry.html",
        {"questionnaire": questionnaire, "service": questionnaire.service, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = selectors.questionnaire_for_runner(request.user, pk)
    version = services.current_version(questionnaire)
    if version is None:
        messages.error(request, _("Publish the form before typing in answers."))
        return redirect("consultations:form", pk=pk)
    questions = [q for section in selectors.sections_of(version) for q in section.questions.all()]
    sessions = selectors.past_sessions(questionnaire)
    show_reference = questionnaire.mode != ResponseMode.ANONYMOUS
    if request.method == "GET":
        form = PaperEntryForm(
            initial={"entry_key": PaperEntryForm.fresh_key()},
            questions=questions,
            sessions=sessions,
            show_reference=show_reference,
        )
        return _render_entry(request, questionnaire, form)
    form = PaperEntryForm(
        request.POST, questions=questions, sessions=sessions, show_reference=show_reference
    )
    if not form.is_valid():
        return _render_entry(request, questionnaire, form)
    data = form.cleaned_data
    try:
        _response, created = services.paper_response_enter(
            questionnaire=questionnaire,
            raw=form.raw(),
            channel=ResponseChannel(data["channel"]),
            entry_key=data["entry_key"],
            recorded_by=signed_in_user(request),
            participant_reference=data.get("participant_reference") or "",
            event=data.get("event"),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _render_entry(request, questionnaire, form)
    if created:
        messages.success(request, _("The answers are saved. You can type in the next sheet."))
    else:
        messages.info(request, _("These answers were already saved: nothing was added."))
    return redirect("consultations:paper_entry", pk=pk)


@login_required
@require_GET
def form_results(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire, runs = selectors.questionnaire_for_reader(request.user, pk)
    results = selectors.results(questionnaire)
    search = request.GET.get("q", "").strip()[:100]
    if search:
        for row in results.questions:
            row.texts = [text for text in row.texts if search.casefold() in text.casefold()]
    return render(
        request,
        "consultations/results.html",
        {
            "questionnaire": questionnaire,
            "service": questionnaire.service,
            "results": results,
            "charts": {
                row.question.key: exports.question_chart(number, row)
                for number, row in enumerate(results.questions, start=1)
                if row.is_counted and row.answered
            },
            "search": search,
            # Free text can name people: the provider's staff read it, funders see counts.
            "show_texts": runs,
        },
    )


@login_required
@require_GET
def form_results_table(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Every submitted response as a row, as CSV or XLSX (see ``exports``)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    questionnaire, runs = selectors.questionnaire_for_reader(request.user, pk)
    table = exports.responses_table(questionnaire, with_texts=runs)
    filename = f"form-{questionnaire.code}-responses.{fmt}"
    if fmt == "xlsx":
        return exports.xlsx_response(table, filename=filename)
    return csv_response(table, filename=filename)


@require_GET
def form_open_data(request: HttpRequest, code: str) -> JsonResponse:
    """A closed form's counts as open data; 404 while open or for a sensitive service."""
    questionnaire = get_object_or_404(Questionnaire.objects.select_related("service"), code=code)
    return JsonResponse(
        exports.open_data(questionnaire, selectors.results(questionnaire)),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
