"""Every write about forms: building and publishing them, and answering them.

Building. Changes always go to the form's one draft version (a database constraint
allows one). A published version is never written again: asking to change a published
form copies its latest published version into a new draft, and staff change that.
Answers already given point at the questions of their own version, so they keep their
meaning whatever happens to the form afterwards.

Answering. A person's answers are saved section by section into a draft response, so
a lost connection loses at most the section being written. A draft is found again by a
random resume token kept in the person's session (only its SHA-256 hash is stored), or
by the person's participant for a signed-in identified form. Submitting checks the
whole response again, completes it and writes exactly one participation record, whose
act key is the response's id: submitting twice (a double click, the Back button) finds
the response complete and counts nothing more.

A form whose one page holds every question (one section), and a paper form typed in,
are sent whole: the response is saved complete, with its answers and its participation
record, in one transaction, without a draft. The page carries a random entry key that
the database keeps unique, so the same page sent twice counts once.
"""

import hashlib
import logging
import random
import re
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import Participant, User
from coproduce.accounts.services import participant_create, participant_for
from coproduce.core.references import new_reference
from coproduce.core.statements import planned_cursor
from coproduce.engagement.models import Activity, ArrivalChannel, ParticipationKind
from coproduce.engagement.services import participation_record
from coproduce.events.models import Event, EventStatus
from coproduce.organisations.models import Service
from coproduce.organisations.permissions import can_run_service_engagement

from .answers import Raw, Value, clean_answers, condition_values
from .kept import public_forms
from .models import (
    CHOICE_KINDS,
    Answer,
    FormVersion,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    ResponseChannel,
    ResponseMode,
    ResponseStatus,
    Section,
    Sending,
    VersionStatus,
)
from .tasks import file_sendings

logger = logging.getLogger(__name__)

ENTRY_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_CODE_ATTEMPTS = 5


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def require_runner(user: User | None, service: Service) -> None:
    """The provider's managers and staff build forms and enter paper answers."""
    if not can_run_service_engagement(user, service):
        raise PermissionDenied(
            _("Only the staff of %(provider)s can change this form. Nothing was saved.")
            % {"provider": service.provider.name}
        )


# --- building ------------------------------------------------------------------------


@dataclass(frozen=True)
class Texts:
    """One piece of text staff write, in English and optionally Vietnamese and Welsh."""

    en: str
    vi: str = ""
    cy: str = ""

    def stripped(self) -> "Texts":
        return Texts(self.en.strip(), self.vi.strip(), self.cy.strip())


@dataclass(frozen=True)
class QuestionnairePlan:
    title: str
    public_title: str
    mode: ResponseMode
    activity: Activity
    introduction: str = ""
    after_sessions: bool = False


@dataclass(frozen=True)
class QuestionSpec:
    kind: QuestionKind
    text: Texts
    help_text: Texts = field(default_factory=lambda: Texts(""))
    required: bool = False
    options: tuple[Texts, ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    show_if: Question | None = None
    # The value of ``show_if`` that shows this question: an option's English label or
    # value, a number for a scale, "yes" for consent.
    show_if_value: str = ""


def _check_plan(service: Service, plan: QuestionnairePlan) -> None:
    errors: dict[str, str] = {}
    if not plan.title.strip():
        errors["title"] = _("Enter a title for staff.")
    public = plan.public_title.strip()
    if not public:
        errors["public_title"] = _("Enter the title people will see.")
    elif service.sensitive and service.name.strip().lower() in public.lower():
        errors["public_title"] = _(
            "This service is sensitive: the title people see must not name it. "
            "Use a neutral title such as “Feedback”."
        )
    if plan.activity.service_id != service.pk:
        errors["activity"] = _("Choose an activity of this service.")
    if plan.mode not in ResponseMode.values:
        errors["mode"] = _("Choose how responses are linked to people.")
    if errors:
        raise ValidationError(errors)


def _apply_plan(questionnaire: Questionnaire, plan: QuestionnairePlan) -> None:
    questionnaire.title = plan.title.strip()
    questionnaire.public_title = plan.public_title.strip()
    questionnaire.introduction = plan.introduction.strip()
    questionnaire.mode = plan.mode
    questionnaire.activity = plan.activity
    questionnaire.after_sessions = plan.after_sessions
    questionnaire.full_clean(exclude=["service", "activity", "created_by", "code"])


def _new_code(rng: random.Random | None = None) -> str:
    for _attempt in range(_CODE_ATTEMPTS):
        code = new_reference("F", rng=rng)
        if not Questionnaire.objects.filter(code=code).exists():
            return code
    raise RuntimeError("no free form code after several draws; is the generator broken?")


@transaction.atomic
def questionnaire_create(
    *,
    service: Service,
    plan: QuestionnairePlan,
    created_by: User | None,
    rng: random.Random | None = None,
) -> Questionnaire:
    """A new form with an empty draft version 1; ``rng`` only for the demo's codes."""
    require_runner(created_by, service)
    _check_plan(service, plan)
    questionnaire = Questionnaire(service=service, created_by=created_by, code=_new_code(rng))
    _apply_plan(questionnaire, plan)
    questionnaire.save()
    FormVersion.objects.create(questionnaire=questionnaire, number=1)
    return questionnaire


@transaction.atomic
def questionnaire_update(
    *, questionnaire: Questionnaire, plan: QuestionnairePlan, updated_by: User | None
) -> Questionnaire:
    """Change a form's titles and settings; how answers are linked to people and the
    activity they count under are fixed once anyone has answered."""
    require_runner(updated_by, questionnaire.service)
    _check_plan(questionnaire.service, plan)
    if questionnaire.responses.exists():
        errors = {}
        if plan.mode != questionnaire.mode:
            errors["mode"] = _(
                "People have already answered this form, so how their answers are linked "
                "to them cannot change."
            )
        if plan.activity.pk != questionnaire.activity_id:
            errors["activity"] = _(
                "People have already answered this form, so the activity they count "
                "under cannot change."
            )
        if errors:
            raise ValidationError(errors)
    _apply_plan(questionnaire, plan)
    questionnaire.save()
    public_forms.forget(questionnaire.code)
    return questionnaire


def current_version(questionnaire: Questionnaire) -> FormVersion | None:
    """The version people answer: the latest published one."""
    return questionnaire.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


def draft_version(questionnaire: Questionnaire) -> FormVersion | None:
    return questionnaire.versions.filter(status=VersionStatus.DRAFT).first()


def _require_draft(version: FormVersion) -> None:
    if not version.is_draft:
        raise ValidationError(
            _(
                "Version %(number)s is published, so it cannot change: answers were given "
                "to it. Choose “Change the questions” to make a new draft version."
            )
            % {"number": version.number}
        )


@transaction.atomic
def version_draft(*, questionnaire: Questionnaire, drafted_by: User | None) -> FormVersion:
    """The form's draft version: the existing one, or a copy of the latest published."""
    require_runner(drafted_by, questionnaire.service)
    Questionnaire.objects.select_for_update().filter(pk=questionnaire.pk).first()
    existing = draft_version(questionnaire)
    if existing is not None:
        return existing
    source = current_version(questionnaire)
    number = (questionnaire.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = FormVersion.objects.create(questionnaire=questionnaire, number=number)
    if source is not None:
        _copy_questions(source, draft)
    return draft


def _copy_questions(source: FormVersion, draft: FormVersion) -> None:
    sections = {}
    for section in source.sections.order_by("position"):
        old_pk = section.pk
        section.pk = None
        section.version = draft
        section.save()
        sections[old_pk] = section
    copies: dict[int, Question] = {}
    for question in source.questions.order_by("section__position", "position"):
        old_pk, condition = question.pk, question.show_if_id
        question.pk = None
        question.version = draft
        question.section = sections[question.section_id]
        question.show_if = copies[condition] if condition is not None else None
        question.save()
        copies[old_pk] = question


@transaction.atomic
def section_add(*, questionnaire: Questionnaire, title: Texts, added_by: User | None) -> Section:
    draft = version_draft(questionnaire=questionnaire, drafted_by=added_by)
    title = title.stripped()
    if not title.en:
        raise ValidationError({"title": _("Enter a title for the section.")})
    position = (draft.sections.aggregate(n=Max("position"))["n"] or 0) + 1
    section = Section(
        version=draft, position=position, title=title.en, title_vi=title.vi, title_cy=title.cy
    )
    section.full_clean(exclude=["version"])
    section.save()
    return section


@transaction.atomic
def section_update(*, section: Section, title: Texts, updated_by: User | None) -> Section:
    require_runner(updated_by, section.version.questionnaire.service)
    _require_draft(section.version)
    title = title.stripped()
    if not title.en:
        raise ValidationError({"title": _("Enter a title for the section.")})
    section.title, section.title_vi, section.title_cy = title.en, title.vi, title.cy
    section.full_clean(exclude=["version"])
    section.save()
    return section


@transaction.atomic
def section_delete(*, section: Section, deleted_by: User | None) -> Questionnaire:
    """Remove an empty section of the draft; the sections after it move up one place."""
    version = section.version
    require_runner(deleted_by, version.questionnaire.service)
    _require_draft(version)
    if section.questions.exists():
        raise ValidationError(_("Remove the section's questions first."))
    later = list(version.sections.filter(position__gt=section.position).order_by("position"))
    section.delete()
    for following in later:  # in order, so no two sections ever share a place
        following.position -= 1
        following.save(update_fields=["position"])
    return version.questionnaire


def _new_key(version: FormVersion) -> str:
    taken = set(Question.objects.filter(version__questionnaire_id=version.questionnaire_id)
                .values_list("key", flat=True))  # fmt: skip
    while True:
        key = secrets.token_hex(4)
        if key not in taken:
            return key


def _option_rows(spec: QuestionSpec, existing: list[dict[str, str]]) -> list[dict[str, str]]:
    """Options as stored; an option keeps its value while it keeps its place."""
    rows = []
    used = {str(option["value"]) for option in existing}
    next_value = max([int(v) for v in used if v.isdigit()] or [0]) + 1
    for index, option in enumerate(spec.options):
        if index < len(existing):
            value = str(existing[index]["value"])
        else:
            value, next_value = str(next_value), next_value + 1
        rows.append({"value": value, "en": option.en, "vi": option.vi, "cy": option.cy})
    return rows


def _check_spec(spec: QuestionSpec, section: Section, question: Question | None) -> QuestionSpec:
    errors: dict[str, str] = {}
    text = spec.text.stripped()
    options = tuple(option.stripped() for option in spec.options if option.en.strip())
    if not text.en:
        errors["text"] = _("Enter the question.")
    if spec.kind not in QuestionKind.values:
        errors["kind"] = _("Choose a kind of answer.")
    if spec.kind in CHOICE_KINDS:
        labels = [option.en.lower() for option in options]
        if len(options) < 2:
            errors["options"] = _("Give at least two options, one per line.")
        elif len(set(labels)) != len(labels):
            errors["options"] = _("Each option must be different.")
        elif len(options) > 50:
            errors["options"] = _("Give 50 options or fewer.")
        elif any(
            len(text) > 200 for option in options for text in (option.en, option.vi, option.cy)
        ):
            errors["options"] = _("Keep each option to 200 characters or fewer.")
    elif options:
        errors["options"] = _("Only a question with choices has options: leave them empty.")
    if spec.kind == QuestionKind.NUMBER:
        if (
            spec.min_value is not None
            and spec.max_value is not None
            and spec.min_value > spec.max_value
        ):
            errors["max_value"] = _("The largest number must be at least the smallest.")
    elif spec.min_value is not None or spec.max_value is not None:
        errors["min_value"] = _("Only a number question has limits: leave them empty.")
    if errors:
        raise ValidationError(errors)
    return QuestionSpec(
        kind=spec.kind,
        text=text,
        help_text=spec.help_text.stripped(),
        required=spec.required,
        options=options,
        min_value=spec.min_value,
        max_value=spec.max_value,
        show_if=spec.show_if,
        show_if_value=spec.show_if_value.strip(),
    )


def _condition_value(spec: QuestionSpec, section: Section, question: Question | None) -> str:
    """The stored value of the condition, checked: an earlier question of the same
    version that can be tested, and one of its answers."""
    controlling = spec.show_if
    if controlling is None:
        return ""
    where = (section.position, question.position if question else 10**6)
    controlling_where = (controlling.section.position, controlling.position)
    if controlling.version_id != section.version_id or controlling_where >= where:
        raise ValidationError({"show_if": _("Choose an earlier question of this form.")})
    values = condition_values(controlling)
    if not values:
        raise ValidationError(
            {"show_if": _("Only a question with choices, a scale or consent can decide this.")}
        )
    wanted = spec.show_if_value.strip()
    by_label = {
        str(option["en"]).strip().lower(): str(option["value"]) for option in controlling.options
    }
    value = by_label.get(wanted.lower(), wanted)
    if controlling.kind == QuestionKind.CONSENT and wanted.lower() in ("yes", "ticked"):
        value = "yes"
    if value not in values:
        shown = [str(option["en"]) for option in controlling.options] or values
        raise ValidationError(
            {
                "show_if_value": _(
                    "“%(value)s” is not an answer to that question. Use one of: %(answers)s."
                )
                % {"value": wanted, "answers": ", ".join(shown)}
            }
        )
    return value


def _apply_spec(question: Question, spec: QuestionSpec) -> None:
    question.kind = spec.kind
    question.required = spec.required
    question.text, question.text_vi, question.text_cy = spec.text.en, spec.text.vi, spec.text.cy
    help_text = spec.help_text
    question.help_text, question.help_text_vi, question.help_text_cy = (
        help_text.en,
        help_text.vi,
        help_text.cy,
    )
    question.options = _option_rows(spec, list(question.options or []))
    question.min_value, question.max_value = spec.min_value, spec.max_value
    question.show_if = spec.show_if
    question.full_clean(exclude=["version", "section", "show_if", "options"])


@transaction.atomic
def question_add(*, section: Section, spec: QuestionSpec, added_by: User | None) -> Question:
    version = section.version
    require_runner(added_by, version.questionnaire.service)
    _require_draft(version)
    spec = _check_spec(spec, section, None)
    question = Question(version=version, section=section, key=_new_key(version), options=[])
    question.show_if_value = _condition_value(spec, section, None)
    question.position = (version.questions.aggregate(n=Max("position"))["n"] or 0) + 1
    _apply_spec(question, spec)
    question.save()
    return question


@transaction.atomic
def question_update(*, question: Question, spec: QuestionSpec, updated_by: User | None) -> Question:
    version = question.version
    require_runner(updated_by, version.questionnaire.service)
    _require_draft(version)
    spec = _check_spec(spec, question.section, question)
    if spec.kind != question.kind and question.dependents.exists():
        raise ValidationError(
            {"kind": _("Other questions depend on this one's answer: keep its kind of answer.")}
        )
    question.show_if_value = _condition_value(spec, question.section, question)
    _apply_spec(question, spec)
    question.save()
    return question


@transaction.atomic
def question_delete(*, question: Question, deleted_by: User | None) -> None:
    require_runner(deleted_by, question.version.questionnaire.service)
    _require_draft(question.version)
    if question.dependents.exists():
        raise ValidationError(
            _("Other questions are shown depending on this one: change them first.")
        )
    question.delete()


@transaction.atomic
def version_publish(*, questionnaire: Questionnaire, published_by: User | None) -> FormVersion:
    """Publish the draft: from now on it is what people answer, and it never changes."""
    require_runner(published_by, questionnaire.service)
    draft = draft_version(questionnaire)
    if draft is None:
        raise ValidationError(_("There is no draft to publish: the form is already published."))
    sections = list(draft.sections.order_by("position"))
    if not sections or not draft.questions.exists():
        raise ValidationError(_("Add at least one question before publishing."))
    empty = [section.title for section in sections if not section.questions.exists()]
    if empty:
        raise ValidationError(
            _("These sections have no questions: %(sections)s. Add questions or remove them.")
            % {"sections": ", ".join(empty)}
        )
    draft.status = VersionStatus.PUBLISHED
    draft.published_at = timezone.now()
    draft.published_by = published_by
    draft.save(update_fields=["status", "published_at", "published_by"])
    public_forms.forget(questionnaire.code)
    return draft


@transaction.atomic
def questionnaire_close(
    *, questionnaire: Questionnaire, closed: bool, changed_by: User | None
) -> Questionnaire:
    """Close a form (it takes no more answers; drafts are kept) or open it again."""
    require_runner(changed_by, questionnaire.service)
    if closed:  # what was sent before the close is in the results from the close on
        sendings_file(questionnaire=questionnaire)
    questionnaire.closed_at = timezone.now() if closed else None
    questionnaire.save(update_fields=["closed_at", "updated_at"])
    public_forms.forget(questionnaire.code)
    return questionnaire


# --- answering -----------------------------------------------------------------------


@dataclass(frozen=True)
class Respondent:
    """Who is answering, as far as the page knows: a login, and for pseudonymous forms
    the participant this browser was given by an earlier answer (from its session)."""

    user: User | None = None
    participant_reference: str = ""


@dataclass(frozen=True)
class DraftReceipt:
    response: Response
    # The resume token of a new draft: it exists in plain text only here, once.
    token: str = ""


def _closed() -> ValidationError:
    return ValidationError(_("This form is closed: it takes no more answers."))


def check_open(questionnaire: Questionnaire) -> FormVersion:
    """The version to answer; a clear refusal if the form takes no answers."""
    if questionnaire.is_closed:
        raise _closed()
    version = current_version(questionnaire)
    if version is None:
        raise ValidationError(_("This form is not open for answers yet."))
    return version


def check_event(questionnaire: Questionnaire, event: Event | None, now: datetime) -> None:
    if event is None:
        return
    if (
        not questionnaire.after_sessions
        or event.activity_id != questionnaire.activity_id
        or event.status != EventStatus.PUBLISHED
    ):
        raise ValidationError(_("This form does not ask for feedback on that event."))
    if event.starts_at > now:
        raise ValidationError(_("That event has not taken place yet: give feedback after it."))


def already_answered_message() -> str:
    return _("You have already answered this form. Thank you: your answers are kept.")


def _participant(questionnaire: Questionnaire, respondent: Respondent) -> Participant | None:
    mode = questionnaire.mode
    if mode == ResponseMode.ANONYMOUS:
        return None
    if respondent.user is not None:
        return participant_for(respondent.user)
    if mode == ResponseMode.IDENTIFIED:
        raise ValidationError(_("Sign in to answer this form: it takes one response per person."))
    found = None
    if respondent.participant_reference:
        found = Participant.objects.filter(
            reference=respondent.participant_reference, user__isnull=True
        ).first()
    return found or participant_create(user=None)


def _identified_existing(
    questionnaire: Questionnaire, participant: Participant | None, event: Event | None
) -> Response | None:
    if questionnaire.mode != ResponseMode.IDENTIFIED or participant is None:
        return None
    return Response.objects.filter(
        questionnaire=questionnaire, participant=participant, mode=ResponseMode.IDENTIFIED,
        event=event,
    ).first()  # fmt: skip


def _save_new(response: Response) -> None:
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError as error:
        # Only reachable in a race: the database keeps one response per person.
        raise ValidationError(already_answered_message()) from error


def _begin(
    questionnaire: Questionnaire,
    version: FormVersion,
    respondent: Respondent,
    event: Event | None,
    now: datetime,
) -> DraftReceipt:
    check_event(questionnaire, event, now)
    participant = _participant(questionnaire, respondent)
    existing = _identified_existing(questionnaire, participant, event)
    if existing is not None:
        if existing.status == ResponseStatus.COMPLETE:
            raise ValidationError(already_answered_message())
        return DraftReceipt(response=existing)
    token = secrets.token_urlsafe(32)
    response = Response(
        questionnaire=questionnaire,
        version=version,
        mode=questionnaire.mode,
        channel=ResponseChannel.ONLINE,
        participant=participant,
        event=event,
        token_hash=token_digest(token),
    )
    _save_new(response)
    return DraftReceipt(response=response, token=token)


def saved_values(response: Response, *, before_section: int | None = None) -> dict[str, Value]:
    """The answers saved so far, by question key (only those of earlier sections)."""
    answers = Answer.objects.filter(response=response)
    if before_section is not None:
        answers = answers.filter(question__section__position__lt=before_section)
    return dict(answers.values_list("question__key", "value"))


@transaction.atomic
def response_save_section(
    *,
    questionnaire: Questionnaire,
    response: Response | None,
    number: int,
    raw: Mapping[str, Raw],
    respondent: Respondent,
    event: Event | None = None,
    now: datetime | None = None,
) -> DraftReceipt:
    """Check and save the answers of section ``number`` (1, 2, …) into a draft.

    Without a ``response`` a draft is begun, in the same transaction, so a section that
    fails its checks leaves nothing behind. The section's earlier answers are replaced.
    """
    now = now or timezone.now()
    section: Section | None = None
    if response is None:
        version = check_open(questionnaire)
        section = _section(version, number)
        questions = _questions(section)
        # Check before creating anything, so bad answers leave no empty draft behind.
        clean_answers(questions, raw, {})
        receipt = _begin(questionnaire, version, respondent, event, now)
    else:
        receipt = DraftReceipt(response=response)
    locked = Response.objects.select_for_update().get(pk=receipt.response.pk)
    if locked.status == ResponseStatus.COMPLETE:
        raise ValidationError(already_answered_message())
    if questionnaire.is_closed:
        raise ValidationError(
            _("This form is closed: it takes no more answers. What you saved before is kept.")
        )
    if section is None or section.version_id != locked.version_id:
        section = _section(locked.version, number)
        questions = _questions(section)
    earlier = saved_values(locked, before_section=section.position) if number > 1 else {}
    kept = clean_answers(questions, raw, earlier)
    # A section never saved before has no answers to replace.
    _replace_answers(locked, section, questions, kept, fresh=locked.sections_saved < number)
    if locked.sections_saved < number:
        locked.sections_saved = number
        locked.save(update_fields=["sections_saved", "updated_at"])
    return DraftReceipt(response=locked, token=receipt.token)


def _section(version: FormVersion, number: int) -> Section:
    section = version.sections.filter(position=number).first()
    if section is None:
        raise ValidationError(_("This form has no such section."))
    return section


def _questions(section: Section) -> list[Question]:
    return list(section.questions.select_related("show_if").order_by("position"))


def _replace_answers(
    response: Response,
    section: Section,
    questions: list[Question],
    kept: Mapping[str, Value],
    *,
    fresh: bool,
) -> None:
    if not fresh:
        Answer.objects.filter(response=response, question__section=section).delete()
    by_key = {question.key: question for question in questions}
    Answer.objects.bulk_create(
        Answer(response=response, question=by_key[key], value=value) for key, value in kept.items()
    )


def _all_questions(version: FormVersion) -> list[Question]:
    return list(
        version.questions.select_related("show_if__section", "section").order_by(
            "section__position", "position"
        )
    )


def _check_all(response: Response) -> None:
    """Check every saved answer again: a later section may hide an earlier answer, whose
    answer is then dropped."""
    questions = _all_questions(response.version)
    saved = saved_values(response)
    try:
        kept = clean_answers(questions, saved, {})
    except ValidationError as error:
        first = next(iter(error.message_dict))
        where = next(q.section for q in questions if q.field_name == first)
        raise ValidationError(
            _("Some answers are missing in “%(section)s”: go back to it and answer them.")
            % {"section": where.label}
        ) from error
    if set(saved) - set(kept):  # a later answer hid an earlier question: drop its answer
        Answer.objects.filter(response=response).exclude(question__key__in=list(kept)).delete()


def _complete(response: Response, now: datetime, *, new: bool = False) -> Response:
    """Complete the response and write its one participation record (``new``: the
    response was created in this transaction, so its act cannot be recorded yet)."""
    response.status = ResponseStatus.COMPLETE
    response.submitted_at = now
    response.token_hash = None  # nothing keeps the person's session tied to it any more
    questionnaire = response.questionnaire
    record, _created = participation_record(
        activity=questionnaire.activity,
        kind=ParticipationKind.ANSWERED_FORM,
        channel=ArrivalChannel(response.channel),
        act_key=f"form-response:{response.pk}",
        participant=response.participant,
        occurred_at=now,
        recorded_by=response.recorded_by,
        new=new,
    )
    response.record = record
    response.save(update_fields=["status", "submitted_at", "token_hash", "record", "updated_at"])
    return response


@transaction.atomic
def response_submit(*, response: Response, now: datetime | None = None) -> tuple[Response, bool]:
    """Complete a draft; (response, False) if it was already complete: counted once."""
    locked = Response.objects.select_for_update().select_related(
        "questionnaire__activity", "version"
    ).get(pk=response.pk)  # fmt: skip
    if locked.status == ResponseStatus.COMPLETE:
        return locked, False
    if locked.questionnaire.is_closed:
        raise ValidationError(
            _("This form is closed: it takes no more answers. What you saved before is kept.")
        )
    sections = locked.version.sections.count()
    if locked.sections_saved < sections:
        raise ValidationError(_("Save every section before submitting."))
    _check_all(locked)
    return _complete(locked, now or timezone.now()), True


def _save_whole(
    build: Callable[[], Response],
    questions: list[Question],
    kept: Mapping[str, Value],
    now: datetime,
) -> tuple[Response, bool]:
    """Save a response given whole (every section at once), built by ``build``, with its
    answers, complete, once per entry key: (response, False) if the key was saved
    before (a double click that raced past the caller's check).

    The callers check everything first and are not in a transaction of their own, so
    this is the one transaction of the sending (no savepoint).
    """
    entry_key = None
    try:
        with transaction.atomic():
            response = build()
            entry_key = response.entry_key
            response.save()
            by_key = {question.key: question for question in questions}
            Answer.objects.bulk_create(
                Answer(response=response, question=by_key[key], value=value)
                for key, value in kept.items()
            )
            return _complete(response, now, new=True), True
    except IntegrityError:
        existing = Response.objects.filter(entry_key=entry_key).first() if entry_key else None
        if existing is None:  # the other unique rule: the database keeps one per person
            raise ValidationError(already_answered_message()) from None
        return existing, False


def _check_entry_key(entry_key: str) -> None:
    if not ENTRY_KEY.match(entry_key):
        raise ValidationError(_("The form has expired: reload the page and try again."))


def response_send(
    *,
    questionnaire: Questionnaire,
    version: FormVersion,
    questions: list[Question],
    raw: Mapping[str, Raw],
    respondent: Respondent,
    entry_key: str,
    event: Event | None = None,
    now: datetime | None = None,
) -> tuple[Response | None, bool]:
    """Send a form whose one page holds all its ``questions``, answered online, in one
    step; (response, False) if this page (its ``entry_key``) was already sent.

    Everything is checked before anything is written. An anonymous form's answers are
    kept as one row and filed in the background (``sendings_file``), so there is no
    response yet to return (``None``): the public path that most people take, one
    statement. For a form that knows the person, the response, its answers and its
    participation record are written now, in one transaction.
    """
    _check_entry_key(entry_key)
    now = now or timezone.now()
    if questionnaire.is_closed:
        raise _closed()
    check_event(questionnaire, event, now)
    kept = clean_answers(questions, raw, {})
    if questionnaire.mode == ResponseMode.ANONYMOUS:
        return None, _keep_sending(version, event, entry_key, kept, now)

    def build() -> Response:  # in the transaction: a participant made here is kept only with it
        participant = _participant(questionnaire, respondent)
        if _identified_existing(questionnaire, participant, event) is not None:
            raise ValidationError(already_answered_message())
        return Response(
            questionnaire=questionnaire,
            version=version,
            mode=questionnaire.mode,
            channel=ResponseChannel.ONLINE,
            participant=participant,
            event=event,
            entry_key=entry_key,
            sections_saved=1,
        )

    return _save_whole(build, questions, kept, now)


# One statement (both databases speak it): the answers are kept unless the form is
# closed, or this page's entry key was kept before (a conflict) or already filed.
# Run on every public POST: kept planned by PostgreSQL (core/statements.py).
_KEEP_SENDING = """
    INSERT INTO consultations_sending (entry_key, version_id, event_id, answers, sent_at)
    SELECT %s, %s, %s, %s, %s
    WHERE EXISTS (
        SELECT 1 FROM consultations_questionnaire WHERE id = %s AND closed_at IS NULL
    )
    AND NOT EXISTS (SELECT 1 FROM consultations_response WHERE entry_key = %s)
    ON CONFLICT (entry_key) DO NOTHING
"""


def _keep_sending(
    version: FormVersion,
    event: Event | None,
    entry_key: str,
    kept: Mapping[str, Value],
    now: datetime,
) -> bool:
    """Keep an anonymous form's checked answers to be filed; False if this page was sent
    before. The filing is asked for once the row is committed."""
    answers = Sending._meta.get_field("answers").get_db_prep_value(dict(kept), connection)
    sent_at = connection.ops.adapt_datetimefield_value(now)
    questionnaire_id = version.questionnaire_id
    event_id = event.pk if event else None
    with planned_cursor() as cursor:
        cursor.execute(
            _KEEP_SENDING,
            [entry_key, version.pk, event_id, answers, sent_at, questionnaire_id, entry_key],
        )
        new = cursor.rowcount == 1
    if new:
        _file_soon()
    elif Questionnaire.objects.filter(pk=questionnaire_id, closed_at__isnull=False).exists():
        raise _closed()
    return new


@dataclass
class _FilingAsked:
    """The moment (``time.time()``) after which the filing this process last asked for
    runs; until then, its sendings need no other."""

    runs_after: float = 0.0


_filing = _FilingAsked()
# How long a process's sendings wait, at most, before the filing it asked for runs.
FILING_WAIT_SECONDS = 1.0


def _file_soon() -> None:
    """Ask for the sendings to be filed: at once where tasks run in process; otherwise,
    once the sending is committed, at most once a second a process, by a task that
    runs after a moment to come (``runs_after``).

    A sending committed while an asked-for filing has not started yet is seen by it:
    that filing runs after ``runs_after``, and this sending was committed before now,
    which is before ``runs_after``. A filing files every sending waiting, not only its
    asker's.
    """
    if not file_sendings.get_backend().supports_defer:
        file_sendings.enqueue()
    else:
        transaction.on_commit(_file_after_a_moment)


def _file_after_a_moment() -> None:
    now = time.time()
    if now < _filing.runs_after:
        return
    _filing.runs_after = now + FILING_WAIT_SECONDS
    run_after = datetime.fromtimestamp(_filing.runs_after, tz=UTC)
    file_sendings.using(run_after=run_after).enqueue()


def sendings_file(*, questionnaire: Questionnaire | None = None, batch: int = 200) -> int:
    """File the anonymous forms sent and waiting (those of ``questionnaire`` only, if
    given): each as its complete response, answers and one participation record, dated
    when it was sent; returns how many were filed. Any number of workers may run this:
    each claims its rows (``SKIP LOCKED`` on PostgreSQL). A row the ledger refuses is
    logged and kept, and does not hold up the others."""
    filed = 0
    refused: set[int] = set()
    while True:
        with transaction.atomic():
            waiting = Sending.objects.select_for_update(skip_locked=True, of=("self",))
            if questionnaire is not None:
                waiting = waiting.filter(version__questionnaire=questionnaire)
            claimed = list(
                waiting.exclude(pk__in=refused)
                .select_related("version__questionnaire__activity", "event")
                .order_by("pk")[:batch]
            )
            if not claimed:
                return filed
            done = [sending.pk for sending in claimed if _filed(sending, refused)]
            Sending.objects.filter(pk__in=done).delete()
        filed += len(done)


def _filed(sending: Sending, refused: set[int]) -> bool:
    from .selectors import sections_of  # the selectors import this module

    questions = [q for section in sections_of(sending.version) for q in section.questions.all()]
    try:
        _file(sending, questions)
    except ValidationError:
        logger.exception("Sending %s could not be filed; it is kept", sending.pk)
        refused.add(sending.pk)
        return False
    return True


def _file(sending: Sending, questions: list[Question]) -> None:
    version = sending.version

    def build() -> Response:
        return Response(
            questionnaire=version.questionnaire,
            version=version,
            mode=ResponseMode.ANONYMOUS,
            channel=ResponseChannel.ONLINE,
            event=sending.event,
            entry_key=sending.entry_key,
            sections_saved=1,
        )

    _save_whole(build, questions, sending.answers, sending.sent_at)


def paper_response_enter(
    *,
    questionnaire: Questionnaire,
    raw: Mapping[str, Raw],
    channel: ResponseChannel,
    entry_key: str,
    recorded_by: User | None,
    participant_reference: str = "",
    event: Event | None = None,
    occurred_at: datetime | None = None,
) -> tuple[Response, bool]:
    """Type in a paper form, or answers given with help; (response, False) if this
    entry (its one-time ``entry_key``) was already saved.

    Paper collected while a form was open may be typed in after it closed, so closing
    does not stop this door; an unpublished form does.
    """
    require_runner(recorded_by, questionnaire.service)
    _check_entry_key(entry_key)
    existing = Response.objects.filter(entry_key=entry_key).first()
    if existing is not None:
        return existing, False
    if channel not in (ResponseChannel.PAPER, ResponseChannel.ASSISTED):
        raise ValidationError({"channel": _("Choose paper or assisted.")})
    version = current_version(questionnaire)
    if version is None:
        raise ValidationError(_("This form is not published yet, so it takes no answers."))
    now = timezone.now()
    check_event(questionnaire, event, now)
    participant = _paper_participant(questionnaire, participant_reference)
    questions = _all_questions(version)
    kept = clean_answers(questions, raw, {})
    if _identified_existing(questionnaire, participant, event) is not None:
        raise ValidationError(
            {"participant_reference": _("This person has already answered this form.")}
        )
    response = Response(
        questionnaire=questionnaire,
        version=version,
        mode=questionnaire.mode,
        channel=channel,
        participant=participant,
        event=event,
        recorded_by=recorded_by,
        entry_key=entry_key,
        sections_saved=version.sections.count(),
    )
    return _save_whole(lambda: response, questions, kept, occurred_at or now)


def _paper_participant(questionnaire: Questionnaire, reference: str) -> Participant | None:
    reference = reference.strip().upper()
    if questionnaire.mode == ResponseMode.ANONYMOUS:
        if reference:
            raise ValidationError(
                {"participant_reference": _("This form is anonymous: leave the reference empty.")}
            )
        return None
    if not reference:
        if questionnaire.mode == ResponseMode.IDENTIFIED:
            raise ValidationError(
                {
                    "participant_reference": _(
                        "This form takes one response per person: enter the person's reference."
                    )
                }
            )
        return None
    found = Participant.objects.filter(reference=reference).first()
    if found is None:
        raise ValidationError(
            {"participant_reference": _("There is no participant with this reference.")}
        )
    return found
