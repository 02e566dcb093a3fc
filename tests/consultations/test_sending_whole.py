"""A one-section form answered online is sent whole: one step, one transaction, once.

Most public surveys and feedback forms fit on one page. Such a page carries a random
entry key: the response, its answers and its participation record are written together,
and the same page sent again (a double click, the Back button) counts nothing more.
"""

import re
import time
from typing import Any
from unittest.mock import patch

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django import DjangoAssertNumQueries

from coproduce.consultations.kept import FRESH_SECONDS, public_forms
from coproduce.consultations.models import (
    Answer,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    ResponseMode,
    Sending,
)
from coproduce.consultations.services import (
    QuestionnairePlan,
    QuestionSpec,
    Texts,
    question_add,
    question_update,
    questionnaire_close,
    questionnaire_create,
    section_add,
    sendings_file,
    version_draft,
    version_publish,
)
from coproduce.engagement.models import ParticipationKind, ParticipationRecord
from coproduce.engagement.services import participation_record
from tests.conftest import World
from tests.consultations.conftest import client_for, field, make_activity

ENTRY_KEY = re.compile(r'name="entry_key" value="([A-Za-z0-9_-]+)"')
QUESTION = "I found what I came for"


def one_section_form(world: World, mode: ResponseMode = ResponseMode.ANONYMOUS) -> Questionnaire:
    questionnaire = questionnaire_create(
        service=world.service_a,
        plan=QuestionnairePlan(
            title="Quick poll",
            public_title="How was your visit?",
            mode=mode,
            activity=make_activity(world.service_a),
        ),
        created_by=None,
    )
    only = section_add(questionnaire=questionnaire, title=Texts("Your visit"), added_by=None)
    question_add(
        section=only,
        spec=QuestionSpec(kind=QuestionKind.LIKERT, text=Texts(QUESTION), required=True),
        added_by=None,
    )
    version_publish(questionnaire=questionnaire, published_by=None)
    return questionnaire


def page_url(questionnaire: Questionnaire) -> str:
    return f"/consultations/f/{questionnaire.code}/1/"


def entry_key(client: Client, questionnaire: Questionnaire) -> str:
    found = ENTRY_KEY.search(client.get(page_url(questionnaire)).content.decode())
    assert found is not None
    return found.group(1)


def answers(questionnaire: Questionnaire, key: str, value: str = "4") -> dict[str, str]:
    return {field(questionnaire, QUESTION): value, "entry_key": key}


def send_fresh_page(client: Client, questionnaire: Questionnaire) -> None:
    """Open the form's page and send it answered: a new entry key each time."""
    client.post(page_url(questionnaire), answers(questionnaire, entry_key(client, questionnaire)))


def test_a_one_section_form_is_sent_in_one_step(
    world: World, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    questionnaire = one_section_form(world)
    client = Client()
    sending = answers(questionnaire, entry_key(client, questionnaire))
    with django_assert_max_num_queries(16):  # the page's one, then the filing in process
        sent = client.post(page_url(questionnaire), sending)
    assert sent["Location"].endswith(f"/consultations/f/{questionnaire.code}/done/")
    assert not Sending.objects.exists()  # filed at once: tasks run in process here
    response = Response.objects.get(questionnaire=questionnaire)
    assert response.status == "complete"
    assert response.submitted_at is not None
    assert response.sections_saved == 1
    assert response.entry_key == sending["entry_key"]
    assert response.channel == "online"
    assert list(Answer.objects.filter(response=response).values_list("value", flat=True)) == [4]
    record = ParticipationRecord.objects.get()
    assert record.kind == ParticipationKind.ANSWERED_FORM
    assert record.act_key == f"form-response:{response.pk}"
    assert response.record == record
    assert record.participant is None


QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queued(settings: Any) -> None:
    """Tasks queued in the database for a worker, as in production."""
    settings.TASKS = QUEUED


def test_an_anonymous_page_is_kept_in_one_statement_and_filed_by_a_worker(
    world: World,
    queued: None,
    django_assert_num_queries: DjangoAssertNumQueries,
    django_capture_on_commit_callbacks: Any,
) -> None:
    questionnaire = one_section_form(world)
    client = Client()
    sending = answers(questionnaire, entry_key(client, questionnaire))
    before = timezone.now()
    # One row: the answers, checked and encrypted (the form was read with its page, and
    # is kept in memory for a second).
    with django_assert_num_queries(1), django_capture_on_commit_callbacks() as on_commit:
        sent = client.post(page_url(questionnaire), sending)
    assert sent["Location"].endswith(f"/consultations/f/{questionnaire.code}/done/")
    assert not Response.objects.exists()
    assert not ParticipationRecord.objects.exists()
    kept = Sending.objects.get()
    assert kept.answers == {field(questionnaire, QUESTION).removeprefix("q_"): 4}
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM consultations_sending")
        assert cursor.fetchone()[0].startswith("gAAAAA")  # a Fernet token: encrypted at rest
    # Once committed, a filing is asked for, to run a moment later; a second page sent
    # in that moment asks for none (the one asked for will see it).
    for callback in on_commit:
        callback()
    with django_capture_on_commit_callbacks(execute=True):
        send_fresh_page(client, questionnaire)
    (asked,) = DBTaskResult.objects.all()
    assert asked.task_path == "coproduce.consultations.tasks.file_sendings"
    assert asked.run_after is not None
    assert asked.run_after > before
    assert sendings_file() == 2
    assert not Sending.objects.exists()
    filed = Response.objects.get(entry_key=sending["entry_key"])
    assert filed.status == "complete"
    assert filed.record is not None
    assert filed.submitted_at == kept.sent_at == filed.record.occurred_at  # when it was sent
    assert Answer.objects.get(response=filed).value == 4
    assert ParticipationRecord.objects.count() == 2
    assert sendings_file() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans statements")
def test_the_pages_statement_is_planned_once_a_connection(world: World, queued: None) -> None:
    questionnaire = one_section_form(world)
    client = Client()
    for _ in range(6):  # psycopg prepares a statement from its fifth run on a connection
        send_fresh_page(client, questionnaire)
    assert Sending.objects.count() == 6
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s AND NOT from_sql",
            ["%INSERT INTO consultations_sending%"],
        )
        assert cursor.fetchone()[0] == 1


def test_the_results_say_how_many_answers_wait_to_be_filed(world: World, queued: None) -> None:
    questionnaire = one_section_form(world)
    visitor = Client()
    for _ in range(2):
        send_fresh_page(visitor, questionnaire)
    staff = client_for(world, "manager of A")
    results = f"/consultations/manage/{questionnaire.pk}/results/"
    body = staff.get(results).content.decode()
    assert "0 responses submitted" in body
    assert "2 answers sent in the last moments are waiting to be filed" in body
    staff.get("/language/vi/?next=/")
    assert "2 câu trả lời vừa được gửi đang chờ" in staff.get(results).content.decode()
    sendings_file()
    staff.get("/language/en/?next=/")
    body = staff.get(results).content.decode()
    assert "2 responses submitted" in body
    assert "waiting to be filed" not in body


def test_a_page_sent_again_while_it_waits_or_once_filed_is_kept_once(
    world: World, queued: None
) -> None:
    questionnaire = one_section_form(world)
    client = Client()
    key = entry_key(client, questionnaire)
    client.post(page_url(questionnaire), answers(questionnaire, key, "5"))
    waiting = client.post(page_url(questionnaire), answers(questionnaire, key, "1"), follow=True)
    assert "Your answers were already sent." in waiting.content.decode()
    assert Sending.objects.count() == 1
    sendings_file()
    filed = client.post(page_url(questionnaire), answers(questionnaire, key, "2"), follow=True)
    assert "Your answers were already sent." in filed.content.decode()
    assert not Sending.objects.exists()
    assert Answer.objects.get().value == 5  # what was sent first is kept
    assert ParticipationRecord.objects.count() == 1


def test_closing_a_form_files_what_was_sent_before(world: World, queued: None) -> None:
    questionnaire = one_section_form(world)
    other = one_section_form(world)
    client = Client()
    for form in (questionnaire, other):
        send_fresh_page(client, form)
    questionnaire_close(questionnaire=questionnaire, closed=True, changed_by=None)
    assert Response.objects.get().questionnaire == questionnaire
    assert Sending.objects.get().version.questionnaire == other  # still waiting
    refused = client.post(page_url(questionnaire), answers(questionnaire, "k" * 20))
    assert "This form is closed" in refused.content.decode()
    assert Sending.objects.count() == 1


def test_the_same_page_sent_twice_counts_once(world: World) -> None:
    questionnaire = one_section_form(world)
    client = Client()
    key = entry_key(client, questionnaire)
    client.post(page_url(questionnaire), answers(questionnaire, key, "5"))
    # The Back button, another answer, and the same page sent again.
    again = client.post(page_url(questionnaire), answers(questionnaire, key, "1"), follow=True)
    assert "Your answers were already sent." in again.content.decode()
    assert Response.objects.count() == 1
    assert ParticipationRecord.objects.count() == 1
    assert Answer.objects.get().value == 5  # what was sent first is kept
    # A fresh page is a new response: an anonymous form takes answers from anyone.
    send_fresh_page(client, questionnaire)
    assert Response.objects.count() == 2


def test_a_page_without_a_good_entry_key_saves_nothing_and_keeps_the_answer(
    world: World,
) -> None:
    questionnaire = one_section_form(world)
    for key in ["", "short", "not a key!" * 3]:
        page = Client().post(page_url(questionnaire), answers(questionnaire, key, "2"))
        assert page.status_code == 200
        body = page.content.decode()
        assert "The form has expired: reload the page and try again." in body
        assert 'value="2" checked' in body
    assert not Response.objects.exists()
    assert not ParticipationRecord.objects.exists()


def test_a_bad_answer_on_a_one_section_form_saves_nothing(world: World) -> None:
    questionnaire = one_section_form(world)
    client = Client()
    key = entry_key(client, questionnaire)
    page = client.post(page_url(questionnaire), answers(questionnaire, key, "9"))
    assert "Choose one of the answers offered." in page.content.decode()
    assert f'value="{key}"' in page.content.decode()  # corrected and sent again: once
    assert not Response.objects.exists()
    client.post(page_url(questionnaire), answers(questionnaire, key, "3"))
    assert Response.objects.get().entry_key == key


def test_a_closed_one_section_form_takes_no_answers(world: World) -> None:
    questionnaire = one_section_form(world)
    client = Client()
    key = entry_key(client, questionnaire)
    questionnaire_close(questionnaire=questionnaire, closed=True, changed_by=None)
    page = client.post(page_url(questionnaire), answers(questionnaire, key))
    assert "This form is closed: it takes no more answers." in page.content.decode()
    assert not Response.objects.exists()


def test_a_pseudonymous_one_section_form_keeps_one_reference_per_browser(world: World) -> None:
    questionnaire = one_section_form(world, ResponseMode.PSEUDONYMOUS)
    client = Client()
    for _ in range(2):
        send_fresh_page(client, questionnaire)
    participants = set(Response.objects.values_list("participant", flat=True))
    assert len(participants) == 1
    assert None not in participants


def test_a_new_version_is_answered_with_its_own_questions(world: World) -> None:
    """The questions of a published version are kept in memory: a new version is not
    answered with the old one's."""
    questionnaire = one_section_form(world)
    client = Client()
    assert QUESTION in client.get(page_url(questionnaire)).content.decode()
    draft = version_draft(questionnaire=questionnaire, drafted_by=None)
    question = Question.objects.get(version=draft)
    question_update(
        question=question,
        spec=QuestionSpec(
            kind=QuestionKind.LIKERT, text=Texts("The staff helped me"), required=True
        ),
        updated_by=None,
    )
    version_publish(questionnaire=questionnaire, published_by=None)
    page = client.get(page_url(questionnaire)).content.decode()
    assert "The staff helped me" in page
    assert QUESTION not in page
    key = ENTRY_KEY.search(page)
    assert key is not None
    client.post(
        page_url(questionnaire),
        {field(questionnaire, "The staff helped me"): "4", "entry_key": key.group(1)},
    )
    assert Response.objects.get().version == draft


def test_a_form_closed_by_another_process_takes_no_answer_from_a_page_kept_in_memory(
    world: World, queued: None
) -> None:
    """This process still holds the form as open (read a moment ago); another closed it:
    the sending's own statement refuses the answer."""
    questionnaire = one_section_form(world)
    client = Client()
    key = entry_key(client, questionnaire)
    Questionnaire.objects.filter(pk=questionnaire.pk).update(closed_at=timezone.now())
    assert public_forms.fresh(questionnaire.code) is not None  # still open, in memory
    refused = client.post(page_url(questionnaire), answers(questionnaire, key))
    assert "This form is closed: it takes no more answers." in refused.content.decode()
    assert not Sending.objects.exists()


def test_a_form_changed_elsewhere_is_read_again_after_a_second(world: World) -> None:
    questionnaire = one_section_form(world)
    client = Client()
    client.get(page_url(questionnaire))
    Questionnaire.objects.filter(pk=questionnaire.pk).update(
        public_title="A new title", updated_at=timezone.now()
    )
    assert "A new title" not in client.get(page_url(questionnaire)).content.decode()
    later = time.monotonic() + FRESH_SECONDS
    with patch("coproduce.consultations.kept.time.monotonic", return_value=later):
        assert "A new title" in client.get(page_url(questionnaire)).content.decode()
        # Unchanged since: kept, and used unchecked for another second.
        assert public_forms.fresh(questionnaire.code) is not None


def test_a_sending_the_ledger_refuses_is_kept_and_holds_up_no_other(
    world: World, queued: None
) -> None:
    questionnaire = one_section_form(world)
    client = Client()
    first, second = (entry_key(client, questionnaire) for _ in range(2))
    for key in (first, second):
        client.post(page_url(questionnaire), answers(questionnaire, key))
    refused: list[str] = []

    def refuse_the_first(**act: Any) -> Any:
        if not refused:
            refused.append(act["act_key"])
            raise ValidationError("The ledger refuses this act.")
        return participation_record(**act)

    ledger = "coproduce.consultations.services.participation_record"
    with patch(ledger, side_effect=refuse_the_first):
        assert sendings_file() == 1
    assert Sending.objects.get().entry_key == first  # kept, to be filed again
    assert Response.objects.get().entry_key == second
    assert sendings_file() == 1
    assert Response.objects.count() == ParticipationRecord.objects.count() == 2
