"""Reads about forms: permission checked and joined in one call, counted in the database."""

import functools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.engagement.models import Activity
from coproduce.events.models import Event, EventStatus
from coproduce.organisations.models import Service
from coproduce.organisations.permissions import can_run_service_engagement, can_view_service_data

from .answers import choices_of
from .kept import public_forms
from .models import (
    COUNTED_KINDS,
    TEXT_KINDS,
    FormVersion,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    ResponseChannel,
    ResponseStatus,
    Section,
    Sending,
    VersionStatus,
)
from .services import token_digest

AnyUser = AbstractBaseUser | AnonymousUser


# --- public --------------------------------------------------------------------------


# What a public form's page depends on, in one indexed statement: its latest published
# version, and when the form, its service and its activity last changed.
_PUBLIC_STAMP = """
    SELECT v.id, v.published_at, q.updated_at, q.closed_at, s.updated_at, s.sensitive,
           a.updated_at
    FROM consultations_formversion v
    JOIN consultations_questionnaire q ON q.id = v.questionnaire_id
    JOIN organisations_service s ON s.id = q.service_id
    JOIN engagement_activity a ON a.id = q.activity_id
    WHERE q.code = %s AND v.status = 'published'
    ORDER BY v.number DESC
    LIMIT 1
"""


def questionnaire_public(code: str) -> tuple[Questionnaire, FormVersion]:
    """A form people may answer, with the version they answer (its latest published
    one), with its service and activity; 404 if it was never published.

    Public forms are answered far more often than they change, so each process keeps
    the objects of the forms it served (``public_forms``): for a second after they were
    read or checked, they are used as they are; after that, one small statement tells
    whether the form, its latest version, its service or its activity changed, and only
    then are they read again. The writes of this process forget the form at once;
    closing a form is exact everywhere (the sending's statement checks it). The
    objects are shared between requests: read them, never change them.
    """
    kept = public_forms.fresh(code)
    if kept is not None:
        return kept
    with connection.cursor() as cursor:
        cursor.execute(_PUBLIC_STAMP, [code])
        stamp = cursor.fetchone()
    if stamp is None:
        raise Http404(_("There is no such form."))
    kept = public_forms.same(code, stamp)
    if kept is not None:
        return kept
    version = FormVersion.objects.select_related(
        "questionnaire__service", "questionnaire__activity"
    ).get(pk=stamp[0])
    public_forms.keep(code, stamp, (version.questionnaire, version))
    return version.questionnaire, version


def sections_of(version: FormVersion) -> Sequence[Section]:
    """The version's sections in order, each with its questions.

    A published version is never written again (see services), so its sections are
    read once per process and kept (keyed by its id and publication time, which a
    reused id cannot share): answering a form costs no query for its questions. The
    objects are shared between requests: read them, never change them.
    """
    if version.status == VersionStatus.PUBLISHED and version.published_at is not None:
        return _published_sections(version.pk, version.published_at)
    return _load_sections(version.pk)


@functools.lru_cache(maxsize=256)
def _published_sections(pk: int, published_at: datetime) -> tuple[Section, ...]:
    return _load_sections(pk)


def _load_sections(pk: int) -> tuple[Section, ...]:
    questions = Question.objects.select_related("show_if").order_by("position")
    return tuple(
        Section.objects.filter(version_id=pk)
        .order_by("position")
        .prefetch_related(Prefetch("questions", queryset=questions))
    )


def draft_by_token(questionnaire: Questionnaire, token: str | None) -> Response | None:
    if not token:
        return None
    return (
        Response.objects.select_related("version", "event")
        .filter(
            questionnaire=questionnaire, token_hash=token_digest(token), status=ResponseStatus.DRAFT
        )
        .first()
    )


def response_of(
    questionnaire: Questionnaire, user: AnyUser, event: Event | None
) -> Response | None:
    """A signed-in person's own response to an identified form (draft or complete)."""
    if not user.is_authenticated or questionnaire.mode != "identified":
        return None
    return (
        Response.objects.select_related("version", "event")
        .filter(questionnaire=questionnaire, participant__user_id=user.pk, event=event)
        .first()
    )


def feedback_event(questionnaire: Questionnaire, raw: str | None) -> Event | None:
    """The event named in a feedback link (``?event=<id>``); None if none is named.

    What it names is checked when answers are saved (services.check_event); an id that
    is not a number is simply no event.
    """
    if not raw or not raw.isdigit():
        return None
    return Event.objects.filter(pk=int(raw), activity_id=questionnaire.activity_id).first()


def feedback_form_for_event(event: Event) -> Questionnaire | None:
    """The form asked after every session of the event's activity, once it has begun."""
    if event.status != EventStatus.PUBLISHED or event.starts_at > timezone.now():
        return None
    return (
        Questionnaire.objects.filter(
            activity_id=event.activity_id,
            after_sessions=True,
            closed_at__isnull=True,
            versions__status=VersionStatus.PUBLISHED,
        )
        .order_by("pk")
        .first()
    )


# --- staff ---------------------------------------------------------------------------


def service_for_runner(user: AnyUser, reference: str) -> Service:
    service = get_object_or_404(Service.objects.select_related("provider"), reference=reference)
    if not can_run_service_engagement(user, service):
        raise PermissionDenied
    return service


def _questionnaire(pk: int) -> Questionnaire:
    return get_object_or_404(
        Questionnaire.objects.select_related("service__provider", "activity"), pk=pk
    )


def questionnaire_for_runner(user: AnyUser, pk: int) -> Questionnaire:
    questionnaire = _questionnaire(pk)
    if not can_run_service_engagement(user, questionnaire.service):
        raise PermissionDenied(
            _("Only the staff of %(provider)s can change this form. Nothing was saved.")
            % {"provider": questionnaire.service.provider.name}
        )
    return questionnaire


def questionnaire_for_reader(user: AnyUser, pk: int) -> tuple[Questionnaire, bool]:
    """A form's results: its provider's staff, and the bodies that fund or commission
    the service (co-assessment); the bool says whether the person runs it."""
    questionnaire = _questionnaire(pk)
    runs = can_run_service_engagement(user, questionnaire.service)
    if not runs and not can_view_service_data(user, questionnaire.service):
        raise PermissionDenied
    return questionnaire, runs


def section_for_runner(user: AnyUser, pk: int) -> Section:
    section = get_object_or_404(
        Section.objects.select_related("version__questionnaire__service__provider"), pk=pk
    )
    questionnaire_for_runner(user, section.version.questionnaire_id)
    return section


def question_for_runner(user: AnyUser, pk: int) -> Question:
    question = get_object_or_404(
        Question.objects.select_related(
            "section", "show_if", "version__questionnaire__service__provider"
        ),
        pk=pk,
    )
    questionnaire_for_runner(user, question.version.questionnaire_id)
    return question


def service_questionnaires(service: Service) -> list[Questionnaire]:
    """Every form of the service with its counts of responses, in one query."""
    return list(
        Questionnaire.objects.filter(service=service)
        .select_related("activity")
        .annotate(
            complete=Count(
                "responses", filter=Q(responses__status=ResponseStatus.COMPLETE), distinct=True
            ),
            drafts=Count(
                "responses", filter=Q(responses__status=ResponseStatus.DRAFT), distinct=True
            ),
            published=Count(
                "versions", filter=Q(versions__status=VersionStatus.PUBLISHED), distinct=True
            ),
        )
        .order_by("title", "pk")
    )


def service_activities(service: Service) -> QuerySet[Activity]:
    return Activity.objects.filter(service=service).order_by("title", "pk")


def versions_of(questionnaire: Questionnaire) -> list[FormVersion]:
    return list(
        questionnaire.versions.annotate(
            answered=Count("responses", filter=Q(responses__status=ResponseStatus.COMPLETE))
        ).order_by("-number")
    )


def version_to_show(questionnaire: Questionnaire) -> FormVersion | None:
    """The draft if there is one (staff are changing it), else the published version."""
    return questionnaire.versions.order_by("status", "-number").first()


def earlier_questions(question_or_section: Question | Section) -> list[Question]:
    """Questions a condition may test: those before this one (or this section's end)."""
    if isinstance(question_or_section, Question):
        section, position = question_or_section.section, question_or_section.position
    else:
        section, position = question_or_section, 10**6
    return [
        question
        for question in Question.objects.filter(version_id=section.version_id)
        .select_related("section")
        .order_by("section__position", "position")
        if (question.section.position, question.position) < (section.position, position)
        and question.kind in COUNTED_KINDS
    ]


def past_sessions(questionnaire: Questionnaire) -> list[Event]:
    """The events a feedback form may be about: its activity's, begun, newest first."""
    if not questionnaire.after_sessions:
        return []
    return list(
        Event.objects.filter(
            activity_id=questionnaire.activity_id,
            status=EventStatus.PUBLISHED,
            starts_at__lte=timezone.now(),
        ).order_by("-starts_at")[:50]
    )


# --- results -------------------------------------------------------------------------


@dataclass
class QuestionResult:
    """One question's answers over every version: counts per answer, or the texts."""

    question: Question
    answered: int = 0
    counts: list[tuple[str, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)

    @property
    def is_counted(self) -> bool:
        return self.question.kind in COUNTED_KINDS

    @property
    def is_text(self) -> bool:
        return self.question.kind in TEXT_KINDS


@dataclass(frozen=True)
class Results:
    responses: int
    drafts: int
    waiting: int  # anonymous answers sent, not yet filed (``services.sendings_file``)
    by_channel: list[tuple[str, int]]
    questions: list[QuestionResult]


def questions_by_key(
    questionnaire: Questionnaire,
) -> tuple[list[Question], dict[str, list[Question]]]:
    """The newest version of each question (matched across versions by key), newest
    version first, and every version of each key, oldest first. One query."""
    by_key: dict[str, list[Question]] = defaultdict(list)
    for question in (
        Question.objects.filter(version__questionnaire=questionnaire)
        .select_related("version", "section")
        .order_by("version__number", "section__position", "position")
    ):
        by_key[question.key].append(question)
    latest = sorted(
        (versions[-1] for versions in by_key.values()),
        key=lambda q: (-q.version.number, q.section.position, q.position),
    )
    return latest, by_key


def value_labels(questions: list[Question]) -> dict[str, str]:
    """Each stored answer value's label, the newest version's wording winning."""
    labels: dict[str, str] = {}
    for question in questions:  # oldest version first: the newest label wins
        labels.update(choices_of(question))
    return labels


def results(questionnaire: Questionnaire) -> Results:
    """Per question, counts of each answer (choices, agreement, scales, consent), the
    numbers and dates, and the free texts, over every version; responses by channel, and
    how many anonymous answers are waiting to be filed (not counted yet).

    Questions are matched across versions by their key. A fixed number of queries,
    whatever the number of responses or questions.
    """
    complete = Response.objects.filter(questionnaire=questionnaire, status=ResponseStatus.COMPLETE)
    channel_counts = dict(
        complete.values_list("channel").annotate(n=Count("pk")).values_list("channel", "n")
    )
    drafts = Response.objects.filter(
        questionnaire=questionnaire, status=ResponseStatus.DRAFT
    ).count()
    latest, by_key = questions_by_key(questionnaire)
    values: dict[str, list[Any]] = defaultdict(list)
    answers = (
        complete.filter(answers__isnull=False)
        .order_by("submitted_at", "pk")
        .values_list("answers__question__key", "answers__value")
    )
    for key, value in answers:
        values[key].append(value)
    rows = []
    for question in latest:
        row = QuestionResult(question=question, answered=len(values[question.key]))
        if question.kind in COUNTED_KINDS:
            row.counts = _counts(by_key[question.key], values[question.key])
        elif question.kind in TEXT_KINDS:
            row.texts = [str(text) for text in values[question.key]]
        else:
            row.texts = sorted(str(value) for value in values[question.key])
        rows.append(row)
    by_channel = [
        (str(label), channel_counts.get(value, 0)) for value, label in ResponseChannel.choices
    ]
    return Results(
        responses=sum(channel_counts.values()),
        drafts=drafts,
        waiting=Sending.objects.filter(version__questionnaire=questionnaire).count(),
        by_channel=by_channel,
        questions=rows,
    )


def _counts(versions: list[Question], values: list[Any]) -> list[tuple[str, int]]:
    counter: Counter[str] = Counter()
    for value in values:
        for item in value if isinstance(value, list) else [value]:
            counter["yes" if item is True else str(item)] += 1
    labels = value_labels(versions)
    scale = versions[-1].kind == QuestionKind.SCALE
    order = [str(n) for n in range(11)] if scale else list(labels)
    rows = [(labels.get(value, value), counter.get(value, 0)) for value in order]
    rows += [(value, n) for value, n in counter.items() if value not in labels]
    return rows
