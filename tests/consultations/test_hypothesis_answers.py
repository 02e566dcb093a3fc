"""Property tests of answer parsing (consultations/answers.py) beyond its rules
(test_answer_rules.py): a kept answer shown again on the form and sent back is the same
answer, and no kept text holds a character PostgreSQL cannot store."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from coproduce.consultations.answers import parse
from coproduce.consultations.forms import to_raw
from coproduce.consultations.models import QuestionKind
from tests.consultations.test_answer_rules import question, raw_input

RAW = st.one_of(raw_input, st.text(alphabet=st.characters(codec="utf-8"), max_size=40))


@pytest.mark.parametrize("kind", QuestionKind.values)
@given(raw=RAW)
def test_a_kept_answer_sent_again_from_the_form_is_the_same_answer(kind: str, raw: object) -> None:
    q = question(QuestionKind(kind))
    try:
        value = parse(q, raw)  # type: ignore[arg-type]
    except ValidationError:
        return
    if value is not None:
        assert parse(q, to_raw(value)) == value


@pytest.mark.parametrize("kind", [QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT])
@given(before=st.text(max_size=20), after=st.text(max_size=20))
def test_a_text_with_a_nul_character_is_refused_not_kept(
    kind: str, before: str, after: str
) -> None:
    with pytest.raises(ValidationError):
        parse(question(QuestionKind(kind)), f"{before}\x00{after}")
