"""Answering a form online: section by section, saved as the person goes, counted once."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from coproduce.consultations.models import Answer, Questionnaire, Response, ResponseMode
from coproduce.consultations.services import questionnaire_close
from coproduce.engagement.models import ParticipationKind, ParticipationRecord
from tests.conftest import World
from tests.consultations.conftest import NO, YES, client_for, field, key, make_form


def url(questionnaire: Questionnaire, part: int | str = "") -> str:
    base = f"/consultations/f/{questionnaire.code}/"
    return f"{base}{part}/" if part else base


def first_part(
    questionnaire: Questionnaire, interesting: str = "4", again: str = YES
) -> dict[str, str]:
    return {
        field(questionnaire, "The talk was interesting"): interesting,
        field(questionnaire, "Would you come again?"): again,
    }


def test_a_resident_without_an_account_answers_two_parts_and_is_counted_once(
    questionnaire: Questionnaire,
) -> None:
    client = Client()
    start = client.get(url(questionnaire))
    assert start.status_code == 200
    assert "Feedback on our talks" in start.content.decode()

    saved = client.post(url(questionnaire, 1), first_part(questionnaire))
    assert saved.status_code == 302
    assert saved["Location"].endswith(url(questionnaire, 2))
    draft = Response.objects.get(questionnaire=questionnaire)
    assert draft.status == "draft"
    assert draft.sections_saved == 1
    assert draft.participant is not None
    assert draft.participant.user is None
    assert Answer.objects.filter(response=draft).count() == 2
    assert not ParticipationRecord.objects.exists()

    done = client.post(
        url(questionnaire, 2), {field(questionnaire, "What talks would you like?"): "Local history"}
    )
    assert done["Location"].endswith(url(questionnaire, "done"))
    response = Response.objects.get(pk=draft.pk)
    assert response.status == "complete"
    assert response.submitted_at is not None
    record = ParticipationRecord.objects.get()
    assert record.kind == ParticipationKind.ANSWERED_FORM
    assert record.channel == "online"
    assert record.participant == response.participant
    assert record.activity == questionnaire.activity
    assert record.act_key == f"form-response:{response.pk}"

    # The Back button and the submit again: nothing is counted twice, nothing is lost.
    again = client.post(url(questionnaire, 2), {}, follow=True)
    assert "Your answers were already sent." in again.content.decode()
    assert ParticipationRecord.objects.count() == 1
    assert Response.objects.count() == 1
    assert Answer.objects.filter(response=response).count() == 3


def test_a_lost_connection_loses_no_saved_part(questionnaire: Questionnaire) -> None:
    client = Client()
    client.post(url(questionnaire, 1), first_part(questionnaire, "5"))
    # Later, the same browser comes back: it is offered to continue at part 2.
    page = client.get(url(questionnaire)).content.decode()
    assert "Continue where you left off" in page
    assert f'href="{url(questionnaire, 2)}"' in page
    # Part 1 shows what was saved.
    part_one = client.get(url(questionnaire, 1)).content.decode()
    assert 'value="5" checked' in part_one


def test_a_missing_required_answer_is_a_message_on_the_page_and_saves_nothing(
    questionnaire: Questionnaire,
) -> None:
    client = Client()
    page = client.post(url(questionnaire, 1), {field(questionnaire, "Would you come again?"): YES})
    assert page.status_code == 200
    body = page.content.decode()
    assert "There is a problem" in body
    assert "Choose an answer." in body
    assert 'value="1" checked' in body  # what was written is kept on the page
    assert not Response.objects.exists()


def test_an_option_not_offered_is_refused(questionnaire: Questionnaire) -> None:
    page = Client().post(url(questionnaire, 1), first_part(questionnaire, "9", "7"))
    assert page.status_code == 200
    # Each error is in the summary and beside its question.
    assert page.content.decode().count("Choose one of the answers offered.") == 4
    assert not Response.objects.exists()


def test_a_number_out_of_range_or_not_a_number_is_refused_and_the_first_part_is_kept(
    questionnaire: Questionnaire,
) -> None:
    client = Client()
    client.post(url(questionnaire, 1), first_part(questionnaire))
    number = field(questionnaire, "How many talks have you been to?")
    too_many = client.post(url(questionnaire, 2), {number: "1000"})
    assert "Enter a number from 0 to 100." in too_many.content.decode()
    words = client.post(url(questionnaire, 2), {number: "lots"})
    assert "Enter a whole number, such as 12." in words.content.decode()
    response = Response.objects.get()
    assert response.status == "draft"
    assert Answer.objects.filter(response=response).count() == 2


def test_over_long_text_is_refused_with_its_length(questionnaire: Questionnaire) -> None:
    client = Client()
    client.post(url(questionnaire, 1), first_part(questionnaire))
    page = client.post(
        url(questionnaire, 2), {field(questionnaire, "What talks would you like?"): "x" * 501}
    )
    assert "Write 500 characters or fewer (you wrote 501)." in page.content.decode()


def test_a_hidden_required_question_is_not_required_and_its_answer_is_dropped(
    questionnaire: Questionnaire,
) -> None:
    client = Client()
    client.post(url(questionnaire, 1), first_part(questionnaire, again=YES))
    # "Why not?" is shown only after "No": a tampered post that answers it anyway.
    client.post(url(questionnaire, 2), {field(questionnaire, "Why not?"): "I was there anyway"})
    response = Response.objects.get()
    assert response.status == "complete"
    assert not Answer.objects.filter(response=response, question__text="Why not?").exists()


def test_a_shown_required_question_is_required(questionnaire: Questionnaire) -> None:
    client = Client()
    client.post(url(questionnaire, 1), first_part(questionnaire, again=NO))
    page = client.get(url(questionnaire, 2)).content.decode()
    assert "Why not?" in page
    refused = client.post(url(questionnaire, 2), {})
    assert "Answer this question." in refused.content.decode()
    client.post(
        url(questionnaire, 2), {field(questionnaire, "Why not?"): "Too late in the evening"}
    )
    assert Response.objects.get().status == "complete"


def test_the_question_hidden_by_an_earlier_part_is_not_on_the_page(
    questionnaire: Questionnaire,
) -> None:
    client = Client()
    client.post(url(questionnaire, 1), first_part(questionnaire, again=YES))
    assert "Why not?" not in client.get(url(questionnaire, 2)).content.decode()


def test_a_part_cannot_be_skipped(questionnaire: Questionnaire) -> None:
    response = Client().get(url(questionnaire, 2))
    assert response.status_code == 302
    assert response["Location"].endswith(url(questionnaire, 1))
    assert Client().get(url(questionnaire, 9)).status_code == 404


def test_an_unpublished_form_is_not_found(world: World) -> None:
    draft = make_form(world.service_a, publish=False)
    assert Client().get(url(draft)).status_code == 404
    assert Client().post(url(draft, 1), {}).status_code == 404


def test_a_closed_form_takes_no_answers_but_keeps_what_was_saved(
    questionnaire: Questionnaire,
) -> None:
    client = Client()
    client.post(url(questionnaire, 1), first_part(questionnaire))
    questionnaire_close(questionnaire=questionnaire, closed=True, changed_by=None)
    assert "This form is closed" in client.get(url(questionnaire)).content.decode()
    page = client.post(url(questionnaire, 2), {})
    assert "This form is closed" in page.content.decode()
    response = Response.objects.get()
    assert response.status == "draft"
    assert Answer.objects.filter(response=response).count() == 2
    assert not ParticipationRecord.objects.exists()
    assert (
        "This form is closed"
        in Client().post(url(questionnaire, 1), first_part(questionnaire)).content.decode()
    )
    assert Response.objects.count() == 1


def test_an_anonymous_form_keeps_nothing_that_links_the_answers_to_a_person(
    world: World,
) -> None:
    questionnaire = make_form(world.service_a, mode=ResponseMode.ANONYMOUS)
    client = client_for(world, "resident")
    client.post(url(questionnaire, 1), first_part(questionnaire))
    client.post(url(questionnaire, 2), {})
    response = Response.objects.get()
    assert response.status == "complete"
    assert response.participant is None
    assert response.token_hash is None
    record = ParticipationRecord.objects.get()
    assert record.participant is None
    assert record.people == 1
    assert questionnaire.code not in client.session.get("consultations_drafts", {})


def test_a_pseudonymous_form_links_a_signed_in_person_by_their_reference(world: World) -> None:
    questionnaire = make_form(world.service_a)
    client = client_for(world, "resident")
    client.post(url(questionnaire, 1), first_part(questionnaire))
    client.post(url(questionnaire, 2), {})
    response = Response.objects.get()
    assert response.participant is not None
    assert response.participant.user == world.users["resident"]


def test_an_identified_form_asks_to_sign_in_and_takes_one_response_per_person(
    world: World,
) -> None:
    questionnaire = make_form(world.service_a, mode=ResponseMode.IDENTIFIED)
    anonymous = Client()
    assert "Sign in to answer" in anonymous.get(url(questionnaire)).content.decode()
    assert anonymous.post(url(questionnaire, 1), first_part(questionnaire)).status_code == 302
    assert not Response.objects.exists()

    client = client_for(world, "resident")
    client.post(url(questionnaire, 1), first_part(questionnaire))
    client.post(url(questionnaire, 2), {})
    assert Response.objects.get().status == "complete"
    # A second response, even from a new browser session of the same person, is refused.
    other = client_for(world, "resident")
    second = other.post(url(questionnaire, 1), first_part(questionnaire), follow=True)
    assert "You have already answered this form." in second.content.decode()
    assert Response.objects.count() == 1
    assert ParticipationRecord.objects.count() == 1


def test_an_identified_draft_is_resumed_from_another_device(world: World) -> None:
    questionnaire = make_form(world.service_a, mode=ResponseMode.IDENTIFIED)
    client_for(world, "resident").post(url(questionnaire, 1), first_part(questionnaire))
    phone = client_for(world, "resident")
    assert "Continue where you left off" in phone.get(url(questionnaire)).content.decode()
    phone.post(url(questionnaire, 2), {})
    assert Response.objects.get().status == "complete"


def test_the_questions_are_shown_in_the_chosen_language_falling_back_to_english(
    questionnaire: Questionnaire,
) -> None:
    client = Client()
    client.get("/language/vi/?next=/")
    page = client.get(url(questionnaire, 1)).content.decode()
    assert "Buổi nói chuyện thú vị" in page  # translated by staff
    assert "Would you come again?" in page  # not translated: English
    assert "Không" in page
    client.get("/language/cy/?next=/")
    assert "Roedd y sgwrs yn ddiddorol" in client.get(url(questionnaire, 1)).content.decode()


def test_keys_of_answers_are_those_of_the_questions(questionnaire: Questionnaire) -> None:
    assert key(questionnaire, "Why not?") != key(questionnaire, "Would you come again?")


def test_the_database_itself_keeps_one_identified_response_per_person(world: World) -> None:
    questionnaire = make_form(world.service_a, mode=ResponseMode.IDENTIFIED)
    participant = world.users["resident"].participant  # type: ignore[union-attr]
    version = questionnaire.versions.get()
    fields = {
        "questionnaire": questionnaire,
        "version": version,
        "mode": ResponseMode.IDENTIFIED,
        "channel": "online",
        "participant": participant,
    }
    Response.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(**fields)


def test_a_part_of_a_form_is_shown_in_a_fixed_number_of_queries(
    questionnaire: Questionnaire, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = Client()
    with django_assert_max_num_queries(12):
        client.get(url(questionnaire, 1))
    client.post(url(questionnaire, 1), first_part(questionnaire))
    with django_assert_max_num_queries(14):
        client.get(url(questionnaire, 2))
