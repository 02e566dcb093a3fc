"""Forms of the consultation pages: they parse input; the services check and decide.

The answer forms are built from a version's questions and only collect what was
written: every rule about answers (options offered, ranges, conditions, what is
required) is checked by ``answers.clean_answers``, called by the services, whose
errors the views put back on the fields.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from coproduce.core.forms import GovukFormMixin, new_submission_key
from coproduce.engagement.models import Activity
from coproduce.events.models import Event

from .answers import Raw, Value
from .models import Question, QuestionKind, Questionnaire, ResponseChannel, ResponseMode
from .services import ENTRY_KEY, QuestionnairePlan, QuestionSpec, Texts


class QuestionnaireForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title for staff"),
        max_length=200,
        help_text=_("For example, “Feedback after talks, 2026”."),
    )
    public_title = forms.CharField(
        label=_("Title people see"),
        max_length=200,
        help_text=_("For a sensitive service, keep it neutral, such as “Feedback”."),
    )
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown before the questions: what the answers are for."),
    )
    activity = forms.ModelChoiceField(
        label=_("Engagement activity"),
        queryset=Activity.objects.none(),
        help_text=_("Every response counts as taking part in this activity."),
    )
    mode = forms.ChoiceField(
        label=_("How answers are linked to people"), choices=ResponseMode.choices
    )
    after_sessions = forms.BooleanField(
        label=_("Ask for feedback after every session of the activity"),
        required=False,
        help_text=_("The page of each past event of the activity links to this form."),
    )

    def __init__(self, *args: Any, activities: QuerySet[Activity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["activity"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = activities

    def plan(self) -> QuestionnairePlan:
        data = self.cleaned_data
        return QuestionnairePlan(
            title=data["title"],
            public_title=data["public_title"],
            introduction=data["introduction"],
            mode=ResponseMode(data["mode"]),
            activity=data["activity"],
            after_sessions=data["after_sessions"],
        )

    @staticmethod
    def initial_for(questionnaire: Questionnaire) -> dict[str, Any]:
        return {
            "title": questionnaire.title,
            "public_title": questionnaire.public_title,
            "introduction": questionnaire.introduction,
            "activity": questionnaire.activity_id,
            "mode": questionnaire.mode,
            "after_sessions": questionnaire.after_sessions,
        }


class SectionTitleForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label=_("Section title"), max_length=200)
    title_vi = forms.CharField(
        label=_("Section title in Vietnamese"), max_length=200, required=False
    )
    title_cy = forms.CharField(label=_("Section title in Welsh"), max_length=200, required=False)

    def texts(self) -> Texts:
        data = self.cleaned_data
        return Texts(data["title"], data["title_vi"], data["title_cy"])


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class QuestionForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), max_length=500)
    text_vi = forms.CharField(label=_("Question in Vietnamese"), max_length=500, required=False)
    text_cy = forms.CharField(label=_("Question in Welsh"), max_length=500, required=False)
    help_text = forms.CharField(label=_("Help text"), max_length=500, required=False)
    help_text_vi = forms.CharField(
        label=_("Help text in Vietnamese"), max_length=500, required=False
    )
    help_text_cy = forms.CharField(label=_("Help text in Welsh"), max_length=500, required=False)
    required = forms.BooleanField(label=_("An answer is needed"), required=False)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a question with choices: one option per line."),
    )
    options_vi = forms.CharField(
        label=_("Options in Vietnamese"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, in the same order."),
    )
    options_cy = forms.CharField(
        label=_("Options in Welsh"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, in the same order."),
    )
    min_value = forms.IntegerField(label=_("Smallest number"), required=False)
    max_value = forms.IntegerField(label=_("Largest number"), required=False)
    show_if = forms.ModelChoiceField(
        label=_("Show this question only if this question…"),
        queryset=Question.objects.none(),
        required=False,
        empty_label=_("Always show it"),
    )
    show_if_value = forms.CharField(
        label=_("…has this answer"),
        max_length=50,
        required=False,
        help_text=_("An option as written above, a number for a scale, or “yes” for consent."),
    )

    def __init__(self, *args: Any, earlier: Iterable[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["show_if"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = Question.objects.filter(pk__in=[q.pk for q in earlier]).order_by(
                "section__position", "position"
            )
            field.label_from_instance = lambda question: question.text  # type: ignore[method-assign,assignment]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("show_if") and not (data.get("show_if_value") or "").strip():
            self.add_error("show_if_value", _("Say which answer shows this question."))
        return data

    def spec(self) -> QuestionSpec:
        data = self.cleaned_data
        english = _lines(data["options"])
        vietnamese, welsh = _lines(data["options_vi"]), _lines(data["options_cy"])

        def nth(values: list[str], index: int) -> str:
            return values[index] if index < len(values) else ""

        return QuestionSpec(
            kind=QuestionKind(data["kind"]),
            text=Texts(data["text"], data["text_vi"], data["text_cy"]),
            help_text=Texts(data["help_text"], data["help_text_vi"], data["help_text_cy"]),
            required=data["required"],
            options=tuple(
                Texts(label, nth(vietnamese, i), nth(welsh, i)) for i, label in enumerate(english)
            ),
            min_value=data["min_value"],
            max_value=data["max_value"],
            show_if=data["show_if"],
            show_if_value=data["show_if_value"] if data["show_if"] else "",
        )

    @staticmethod
    def initial_for(question: Question) -> dict[str, Any]:
        def joined(language: str) -> str:
            return "\n".join(str(option.get(language, "")) for option in question.options)

        condition = question.show_if_value
        if question.show_if is not None:
            labels = {str(o["value"]): str(o["en"]) for o in question.show_if.options}
            condition = labels.get(condition, condition)
        return {
            "kind": question.kind,
            "text": question.text,
            "text_vi": question.text_vi,
            "text_cy": question.text_cy,
            "help_text": question.help_text,
            "help_text_vi": question.help_text_vi,
            "help_text_cy": question.help_text_cy,
            "required": question.required,
            "options": joined("en"),
            "options_vi": joined("vi"),
            "options_cy": joined("cy"),
            "min_value": question.min_value,
            "max_value": question.max_value,
            "show_if": question.show_if_id,
            "show_if_value": condition,
        }


class ListField(forms.Field):
    """The values of a group of checkboxes, as written: checked by the services."""

    # Drawn as checkboxes by the template; a multiple select reads the list the same way
    # and lets the error summary link to the first box (id_<name>).
    widget = forms.SelectMultiple

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        if isinstance(value, str):
            return [value]
        return [str(item) for item in value]


def answer_field(question: Question) -> forms.Field:
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        return ListField(required=False)
    if question.kind == QuestionKind.CONSENT:
        return forms.BooleanField(required=False)
    widget = forms.Textarea if question.kind == QuestionKind.LONG_TEXT else forms.TextInput
    # No max_length here: the services say how long an answer may be, with its length.
    return forms.CharField(required=False, strip=False, widget=widget)


def to_raw(value: Value) -> Any:
    """A saved answer as the form shows it again."""
    if isinstance(value, (bool, list)):
        return value
    return str(value)


class AnswersForm(GovukFormMixin, forms.Form):
    """The questions of one section (or of the whole form, for paper entry)."""

    def __init__(
        self,
        *args: Any,
        questions: Iterable[Question],
        saved: dict[str, Value] | None = None,
        **kwargs: Any,
    ) -> None:
        self.questions = list(questions)
        saved = saved or {}
        initial = kwargs.pop("initial", {}) or {}
        for question in self.questions:
            if question.key in saved:
                initial[question.field_name] = to_raw(saved[question.key])
        super().__init__(*args, initial=initial, **kwargs)
        for question in self.questions:
            self.fields[question.field_name] = answer_field(question)

    def raw(self) -> dict[str, Raw]:
        """What was written, by question key."""
        return {
            question.key: self.cleaned_data.get(question.field_name) for question in self.questions
        }

    def bound_questions(self) -> list[tuple[Question, forms.BoundField]]:
        return [(question, self[question.field_name]) for question in self.questions]


class PaperEntryForm(AnswersForm):
    channel = forms.ChoiceField(
        label=_("How the answers came"),
        choices=[
            (ResponseChannel.PAPER, ResponseChannel.PAPER.label),
            (ResponseChannel.ASSISTED, ResponseChannel.ASSISTED.label),
        ],
        initial=ResponseChannel.PAPER,
        widget=forms.RadioSelect,
    )
    participant_reference = forms.CharField(
        label=_("Participant reference"),
        max_length=12,
        required=False,
        help_text=_("Only if the person gave it, such as P-7KQ2-9XD3. Never a name."),
    )
    event = forms.ModelChoiceField(
        label=_("Session the feedback is about"),
        queryset=Event.objects.none(),
        required=False,
        empty_label=_("No particular session"),
    )
    entry_key = forms.RegexField(
        regex=ENTRY_KEY,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("The form has expired: reload the page and try again.")},
    )

    def __init__(self, *args: Any, sessions: list[Event], show_reference: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["event"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = Event.objects.filter(pk__in=[event.pk for event in sessions])
            field.label_from_instance = lambda event: (  # type: ignore[method-assign,assignment]
                f"{event.title}, {event.starts_at:%d %b %Y}"
            )
        if not sessions:
            del self.fields["event"]
        if not show_reference:
            del self.fields["participant_reference"]

    @staticmethod
    def fresh_key() -> str:
        return new_submission_key()
