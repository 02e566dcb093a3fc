"""Form answers are encrypted at rest, whole, and read back with their types
(docs/data-protection.md): a written answer may name someone."""

from django.db import connection

from coproduce.consultations.models import Answer, Questionnaire, Response, ResponseChannel
from coproduce.consultations.services import paper_response_enter
from coproduce.core.encryption import reencrypt
from tests.conftest import World
from tests.consultations.conftest import NO, YES, key
from tests.core.test_encryption import raw


def enter(world: World, questionnaire: Questionnaire, raw_answers: dict[str, str]) -> Response:
    response, _new = paper_response_enter(
        questionnaire=questionnaire,
        raw=raw_answers,
        channel=ResponseChannel.PAPER,
        entry_key=f"encryption-entry-{len(raw_answers):06d}",
        recorded_by=world.users["staff of A"],
    )
    return response


def test_form_answers_are_encrypted_whole_and_keep_their_types(
    world: World, questionnaire: Questionnaire
) -> None:
    why = "My neighbour Ann Smith drives me, and she moved away."
    response = enter(
        world,
        questionnaire,
        {
            key(questionnaire, "The talk was interesting"): "4",
            key(questionnaire, "Would you come again?"): NO,
            key(questionnaire, "Why not?"): why,
            key(questionnaire, "What talks would you like?"): "Local history",
        },
    )
    stored = [raw("consultations_answer", "value", a.pk) for a in response.answers.all()]
    assert len(stored) == 4
    assert all(value.startswith("gAAAA") for value in stored)
    assert not [value for value in stored if "Ann Smith" in value]
    values = dict(response.answers.values_list("question__key", "value"))
    assert values[key(questionnaire, "The talk was interesting")] == 4  # a number, not "4"
    assert values[key(questionnaire, "Why not?")] == why


def test_an_answer_written_before_encryption_reads_and_is_then_encrypted(
    world: World, questionnaire: Questionnaire
) -> None:
    talk, again = (
        key(questionnaire, "The talk was interesting"),
        key(questionnaire, "Would you come again?"),
    )
    response = enter(world, questionnaire, {talk: "5", again: YES})
    with connection.cursor() as cursor:  # as the plain JSON column held it
        cursor.execute("UPDATE consultations_answer SET value = '5'")
    assert list(Answer.objects.values_list("value", flat=True)) == [5, 5]
    assert reencrypt(Answer) == 2
    assert raw("consultations_answer", "value", response.answers.all()[0].pk).startswith("gAAAA")
    assert list(Answer.objects.values_list("value", flat=True)) == [5, 5]
