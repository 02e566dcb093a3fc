"""The rules of answers, for any input: a value of the right shape, or a clear refusal."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from coproduce.consultations.answers import parse
from coproduce.consultations.models import Question, QuestionKind

OPTIONS = [{"value": "1", "en": "Yes"}, {"value": "2", "en": "No"}]
raw_input = st.one_of(
    st.none(),
    st.booleans(),
    st.text(max_size=600),
    st.lists(st.text(max_size=20), max_size=5),
    st.integers().map(str),
)


def question(kind: QuestionKind) -> Question:
    return Question(kind=kind, key="k", text="?", options=OPTIONS, min_value=0, max_value=10)


@pytest.mark.parametrize("kind", QuestionKind.values)
@given(raw=raw_input)
def test_any_input_gives_a_valid_value_or_a_clear_refusal(kind: str, raw: object) -> None:
    q = question(QuestionKind(kind))
    try:
        value = parse(q, raw)  # type: ignore[arg-type]
    except ValidationError as error:
        messages = error.messages
        value = None
    else:
        messages = []
    assert all(isinstance(message, str) and message for message in messages)
    if value is None:
        return
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        assert isinstance(value, str)
        assert len(value) <= 5000
    elif kind == QuestionKind.SINGLE_CHOICE:
        assert value in ("1", "2")
    elif kind == QuestionKind.MULTIPLE_CHOICE:
        assert isinstance(value, list)
        assert set(value) <= {"1", "2"}
    elif kind == QuestionKind.LIKERT:
        assert value in range(1, 6)
    elif kind == QuestionKind.SCALE:
        assert value in range(11)
    elif kind == QuestionKind.NUMBER:
        assert isinstance(value, int)
        assert 0 <= value <= 10
    elif kind == QuestionKind.DATE:
        assert isinstance(value, str)
        date.fromisoformat(value)
    else:
        assert value is True


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        (QuestionKind.DATE, "2026-02-30", "Enter a real date"),
        (QuestionKind.NUMBER, "1.5", "Enter a whole number"),
        (QuestionKind.NUMBER, "11", "Enter a number from 0 to 10."),
        (QuestionKind.SCALE, "11", "Choose one of the answers offered."),
        (QuestionKind.LIKERT, "0", "Choose one of the answers offered."),
        (QuestionKind.MULTIPLE_CHOICE, ["1", "3"], "Choose one of the answers offered."),
        (QuestionKind.SINGLE_CHOICE, ["1", "2"], "Give one answer to this question."),
        (QuestionKind.SHORT_TEXT, "x" * 501, "Write 500 characters or fewer"),
    ],
)
def test_wrong_answers_are_refused_with_a_message(kind: str, raw: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse(question(QuestionKind(kind)), raw)  # type: ignore[arg-type]
