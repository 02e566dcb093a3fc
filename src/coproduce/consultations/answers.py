"""What an answer may be, and when a question is shown: one set of rules for every door.

The public pages, paper entry and the demo all pass what people wrote (strings, or
lists of strings for several choices) to ``clean_answers``, which the services call
before saving anything. So the rules below are enforced on the server whatever the
browser did: an option that the question does not offer, a number out of range or a
date that is not one is refused with a message, a hidden question's answer is dropped,
and a hidden required question is not required.
"""

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Question, QuestionKind, in_language

Value = str | int | bool | list[str]
Raw = str | int | bool | list[str] | None

SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 5000
# Numbers are whole numbers; without limits set by staff they stay within these.
NUMBER_LIMIT = 1_000_000_000

LIKERT = (
    ("1", gettext_lazy("Strongly disagree")),
    ("2", gettext_lazy("Disagree")),
    ("3", gettext_lazy("Neither agree nor disagree")),
    ("4", gettext_lazy("Agree")),
    ("5", gettext_lazy("Strongly agree")),
)
SCALE = tuple((str(n), str(n)) for n in range(11))
CONSENT_VALUE = "yes"


def choices_of(question: Question) -> list[tuple[str, str]]:
    """(value, label in the current language) of every answer a question offers."""
    kind = question.kind
    if kind == QuestionKind.LIKERT:
        return [(value, str(label)) for value, label in LIKERT]
    if kind == QuestionKind.SCALE:
        return list(SCALE)
    if kind == QuestionKind.CONSENT:
        return [(CONSENT_VALUE, _("Yes"))]
    return [(str(option["value"]), in_language(option)) for option in question.options]


def condition_values(question: Question) -> list[str]:
    """The values a condition on this question may test; empty if it cannot be tested."""
    if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        return [str(option["value"]) for option in question.options]
    if question.kind in (QuestionKind.LIKERT, QuestionKind.SCALE, QuestionKind.CONSENT):
        return [value for value, _label in choices_of(question)]
    return []


def _is_empty(raw: Raw) -> bool:
    if raw is None or raw is False:
        return True
    if isinstance(raw, list):
        return not [item for item in raw if str(item).strip()]
    return isinstance(raw, str) and not raw.strip()


def _whole_number(raw: str, low: int, high: int) -> int:
    text = raw.strip().replace(",", "")
    try:
        number = int(text)
    except ValueError:
        raise ValidationError(_("Enter a whole number, such as 12.")) from None
    if not low <= number <= high:
        raise ValidationError(
            _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}
        )
    return number


def _one_of(raw: str, question: Question) -> str:
    offered = {value for value, _label in choices_of(question)}
    if raw not in offered:
        raise ValidationError(_("Choose one of the answers offered."))
    return raw


def parse(question: Question, raw: Raw) -> Value | None:
    """The stored value of what was written; None for no answer. Raises ValidationError."""
    if _is_empty(raw):
        return None
    kind = question.kind
    if kind == QuestionKind.MULTIPLE_CHOICE:
        items = raw if isinstance(raw, list) else [str(raw)]
        chosen = [_one_of(str(item), question) for item in items if str(item).strip()]
        return sorted(set(chosen), key=chosen.index)
    if isinstance(raw, list):
        if len(raw) != 1:
            raise ValidationError(_("Give one answer to this question."))
        raw = raw[0]
    if kind == QuestionKind.CONSENT:
        if raw is True or str(raw).strip().lower() in (CONSENT_VALUE, "on", "true"):
            return True
        raise ValidationError(_("Tick the box, or leave it empty."))
    text = str(raw).strip()
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        limit = SHORT_TEXT_MAX if kind == QuestionKind.SHORT_TEXT else LONG_TEXT_MAX
        if "\x00" in text:  # PostgreSQL cannot store it: refused here, whatever the door
            raise ValidationError(_("Remove the character that cannot be saved, then send again."))
        if len(text) > limit:
            raise ValidationError(
                _("Write %(limit)s characters or fewer (you wrote %(length)s).")
                % {"limit": limit, "length": len(text)}
            )
        return text
    if kind == QuestionKind.SINGLE_CHOICE:
        return _one_of(text, question)
    if kind in (QuestionKind.LIKERT, QuestionKind.SCALE):
        return int(_one_of(text, question))
    if kind == QuestionKind.NUMBER:
        low = question.min_value if question.min_value is not None else -NUMBER_LIMIT
        high = question.max_value if question.max_value is not None else NUMBER_LIMIT
        return _whole_number(text, low, high)
    if kind == QuestionKind.DATE:
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValidationError(_("Enter a real date, such as 2026-05-14.")) from None
    raise ValueError(f"unknown question kind {kind}")


def is_shown(question: Question, known: Mapping[str, Value]) -> bool:
    """Whether the question applies, given the answers known so far (by question key)."""
    if question.show_if_id is None:
        return True
    controlling = question.show_if
    answer = known.get(controlling.key) if controlling is not None else None
    if answer is None:
        return False
    if isinstance(answer, list):
        return question.show_if_value in answer
    if answer is True:
        return question.show_if_value == CONSENT_VALUE
    return str(answer) == question.show_if_value


def missing_message(question: Question) -> str:
    if question.kind == QuestionKind.CONSENT:
        return _("Tick the box to give your consent.")
    if question.kind in (QuestionKind.MULTIPLE_CHOICE,):
        return _("Choose at least one answer.")
    if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.LIKERT, QuestionKind.SCALE):
        return _("Choose an answer.")
    return _("Answer this question.")


def clean_answers(
    questions: Iterable[Question],
    raw: Mapping[str, Raw],
    earlier: Mapping[str, Value],
) -> dict[str, Value]:
    """The values to keep for ``questions`` (by key), checked; ValidationError by field.

    ``raw`` holds what was written, by question key; ``earlier`` the answers already
    saved (from earlier sections), which decide whether a question is shown. Questions
    are taken in order, so a condition on a question of the same section uses the
    answer just given. Errors are keyed by each question's field name.
    """
    known: dict[str, Value] = dict(earlier)
    kept: dict[str, Value] = {}
    errors: dict[str, Any] = {}
    for question in questions:
        known.pop(question.key, None)
        if not is_shown(question, known):
            continue  # a hidden question's answer is dropped, and it is never required
        try:
            value = parse(question, raw.get(question.key))
        except ValidationError as error:
            errors[question.field_name] = error.messages
            continue
        if value is None:
            if question.required:
                errors[question.field_name] = [missing_message(question)]
            continue
        kept[question.key] = known[question.key] = value
    if errors:
        raise ValidationError(errors)
    return kept
