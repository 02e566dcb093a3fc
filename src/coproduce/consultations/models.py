"""Forms and surveys: their versions, sections and questions, and the responses to them.

A ``Questionnaire`` (shown to people as a "form") belongs to a service and to one of
its engagement activities, under which every completed response is counted in the
participation ledger. Its questions live in numbered ``FormVersion`` s. A published
version is never changed again: changing a published form makes a new draft version
(a copy), and every ``Answer`` points at the ``Question`` row of the version it was
given against, so editing a form can never change what an answer meant.

Why model rows and not one JSON document per version: answers need a foreign key to
the exact question they answer (the database then guarantees that no answer outlives
or loses its question), results are grouped by question in SQL, and each field is
checked by the database (kinds, positions, uniqueness) rather than by a schema kept
beside the code. Only two small things are JSON: the options of a choice question (a
list of ``{"value", "en", "vi", "cy"}``) and an answer's value (a string, a number or
a list of option values), both checked by ``consultations.answers``.

Question text, help text, section titles and option labels are stored per language
(English, Vietnamese, Welsh) as data, because staff write them; an empty translation
falls back to English.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from coproduce.core.encryption import EncryptedJSONField
from coproduce.core.models import TimeStampedModel

LANGUAGES = ("en", "vi", "cy")


def in_language(values: dict[str, str], language: str | None = None) -> str:
    """The text in the current (or given) language, falling back to English."""
    code = (language or translation.get_language() or "en").split("-")[0]
    return values.get(code) or values.get("en", "")


class ResponseMode(models.TextChoices):
    IDENTIFIED = "identified", _("Identified: signed in, one response per person")
    PSEUDONYMOUS = "pseudonymous", _("Pseudonymous: linked to a participant reference")
    ANONYMOUS = "anonymous", _("Fully anonymous: nothing links the answers to a person")


class Questionnaire(TimeStampedModel):
    service = models.ForeignKey(
        "organisations.Service",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="questionnaires",
    )
    activity = models.ForeignKey(
        "engagement.Activity",
        verbose_name=_("engagement activity"),
        on_delete=models.PROTECT,
        related_name="questionnaires",
    )
    title = models.CharField(_("title for staff"), max_length=200)
    public_title = models.CharField(
        _("title people see"),
        max_length=200,
        help_text=_(
            "For a sensitive service, keep it neutral, such as “Feedback”: it must not "
            "name the service."
        ),
    )
    introduction = models.TextField(_("introduction"), blank=True)
    # The public address: /consultations/f/<code>/, a random reference, never a name.
    code = models.CharField(_("code"), max_length=12, unique=True, editable=False)
    mode = models.CharField(_("responses"), max_length=12, choices=ResponseMode.choices)
    after_sessions = models.BooleanField(
        _("feedback after every session"),
        default=False,
        help_text=_("The page of each past event of the activity links to this form."),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("form")
        verbose_name_plural = _("forms")

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class FormVersion(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["questionnaire", "number"]
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"], name="form_version_numbered_once"
            ),
            # Edits always go to the one draft; publishing it ends the draft.
            models.UniqueConstraint(
                fields=["questionnaire"],
                condition=models.Q(status="draft"),
                name="form_version_one_draft",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="form_version_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class Section(models.Model):
    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=200)
    title_vi = models.CharField(_("title in Vietnamese"), max_length=200, blank=True)
    title_cy = models.CharField(_("title in Welsh"), max_length=200, blank=True)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="section_position_once")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def label(self) -> str:
        return in_language({"en": self.title, "vi": self.title_vi, "cy": self.title_cy})


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short-text", _("Short text")
    LONG_TEXT = "long-text", _("Long text")
    SINGLE_CHOICE = "single-choice", _("One choice from a list")
    MULTIPLE_CHOICE = "multiple-choice", _("Several choices from a list")
    LIKERT = "likert", _("Agree or disagree (1 to 5)")
    SCALE = "scale", _("Scale from 0 to 10")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    CONSENT = "consent", _("Consent (a box to tick)")


CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})
# Kinds whose answers are counted per value on the results page.
COUNTED_KINDS = frozenset(
    {
        QuestionKind.SINGLE_CHOICE,
        QuestionKind.MULTIPLE_CHOICE,
        QuestionKind.LIKERT,
        QuestionKind.SCALE,
        QuestionKind.CONSENT,
    }
)
TEXT_KINDS = frozenset({QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT})


class Question(models.Model):
    version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    # The same question in every version of a form (copied with it), so that results
    # can add up the answers given to each version.
    key = models.CharField(max_length=12)
    kind = models.CharField(_("kind of answer"), max_length=16, choices=QuestionKind.choices)
    required = models.BooleanField(_("an answer is needed"), default=False)
    text = models.CharField(_("question"), max_length=500)
    text_vi = models.CharField(_("question in Vietnamese"), max_length=500, blank=True)
    text_cy = models.CharField(_("question in Welsh"), max_length=500, blank=True)
    help_text = models.CharField(_("help text"), max_length=500, blank=True)
    help_text_vi = models.CharField(_("help text in Vietnamese"), max_length=500, blank=True)
    help_text_cy = models.CharField(_("help text in Welsh"), max_length=500, blank=True)
    # [{"value": "1", "en": "Yes", "vi": "Có", "cy": "Ydw"}, ...] for choice questions.
    options = models.JSONField(_("options"), default=list, blank=True)
    min_value = models.IntegerField(_("smallest number"), null=True, blank=True)
    max_value = models.IntegerField(_("largest number"), null=True, blank=True)
    # Show this question only if an earlier question's answer is (or includes) a value.
    show_if = models.ForeignKey(
        "self",
        verbose_name=_("show only if"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dependents",
    )
    show_if_value = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="question_position_once"),
            models.UniqueConstraint(fields=["version", "key"], name="question_key_once"),
            models.CheckConstraint(
                condition=models.Q(show_if__isnull=True) | ~models.Q(show_if_value=""),
                name="question_condition_has_value",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def field_name(self) -> str:
        return f"q_{self.key}"

    @property
    def label(self) -> str:
        return in_language({"en": self.text, "vi": self.text_vi, "cy": self.text_cy})

    @property
    def hint(self) -> str:
        return in_language({"en": self.help_text, "vi": self.help_text_vi, "cy": self.help_text_cy})

    def choices(self) -> list[tuple[str, str]]:
        """(value, label in the current language) of every answer the question offers."""
        from .answers import choices_of

        return choices_of(self)

    @property
    def control(self) -> str:
        """How the page asks it: radios, checkboxes, checkbox, textarea or input."""
        if self.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.LIKERT, QuestionKind.SCALE):
            return "radios"
        if self.kind == QuestionKind.MULTIPLE_CHOICE:
            return "checkboxes"
        if self.kind == QuestionKind.CONSENT:
            return "checkbox"
        if self.kind == QuestionKind.LONG_TEXT:
            return "textarea"
        return "input"

    @property
    def condition_label(self) -> str:
        """The answer to ``show_if`` that shows this question, as people read it."""
        if self.show_if is None:
            return ""
        return dict(self.show_if.choices()).get(self.show_if_value, self.show_if_value)


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Being answered")
    COMPLETE = "complete", _("Submitted")


class ResponseChannel(models.TextChoices):
    # The same values as engagement.ArrivalChannel, so that they go to the ledger as is.
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper")
    ASSISTED = "assisted", _("Assisted by staff or a volunteer")


class Response(TimeStampedModel):
    """One person's answers to one version of a form, saved section by section."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="responses"
    )
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="responses")
    # The form's mode when the response began: it decides what may link it to a person.
    mode = models.CharField(max_length=12, choices=ResponseMode.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    channel = models.CharField(_("channel"), max_length=10, choices=ResponseChannel.choices)
    participant = models.ForeignKey(
        "accounts.Participant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="form_responses",
    )
    # The session this is feedback on, for a form asked after every session.
    event = models.ForeignKey(
        "events.Event",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_responses",
    )
    # Who typed in a paper or assisted response.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # SHA-256 of the resume token the person's browser session keeps (drafts only).
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # The paper-entry page's one-time key: entering the same sheet twice saves it once.
    entry_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    sections_saved = models.PositiveSmallIntegerField(default=0)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    record = models.OneToOneField(
        "engagement.ParticipationRecord",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "participant"],
                condition=models.Q(mode="identified", event__isnull=True),
                name="response_identified_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "participant", "event"],
                condition=models.Q(mode="identified", event__isnull=False),
                name="response_identified_once_per_person_per_event",
            ),
            models.CheckConstraint(
                condition=~models.Q(mode="anonymous") | models.Q(participant__isnull=True),
                name="response_anonymous_keeps_no_participant",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft", submitted_at__isnull=True)
                | models.Q(status="complete", submitted_at__isnull=False),
                name="response_complete_has_date",
            ),
        ]
        indexes = [models.Index(fields=["questionnaire", "status"])]

    def __str__(self) -> str:
        return f"{self.questionnaire} #{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # Encrypted at rest, whole: what people answer is personal data, and a written
    # answer may name someone. Results and exports read the values in Python.
    value: "models.Field[Any, Any]" = EncryptedJSONField(_("answer"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_once")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value}"


class Sending(models.Model):
    """An anonymous form sent whole and not yet filed: its answers as one row.

    The public page writes this one row (checked answers, encrypted as an ``Answer``
    is) and answers at once; a background task files it within seconds as the complete
    response, its answers and its participation record, then deletes it
    (``services.sendings_file``). An anonymous answer is tied to no one, so nothing
    about a person waits here; forms that know the person are filed as they are sent.
    The entry key is unique here as on ``Response``, so a page sent twice is kept once.

    Each index is written by every public POST, and the rows stay seconds: the table
    has the two it needs (its key, and the entry key's uniqueness, as a constraint, which
    spares PostgreSQL the pattern index ``unique=True`` adds), none on its references.
    """

    entry_key = models.CharField(max_length=64)
    version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    event = models.ForeignKey(
        "events.Event",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    answers: "models.Field[Any, Any]" = EncryptedJSONField()
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("answers waiting to be filed")
        verbose_name_plural = _("answers waiting to be filed")
        constraints = [
            models.UniqueConstraint(fields=["entry_key"], name="consultations_sending_once")
        ]

    def __str__(self) -> str:
        return f"{self.version_id} sent {self.sent_at:%Y-%m-%d %H:%M:%S}"
