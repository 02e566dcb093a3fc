"""A double click on "Submit" from two requests at once still counts the response once.

On PostgreSQL the two submissions really run at the same time (threads, each with its
own connection); the row lock on the response makes the second wait and then find it
complete. SQLite serialises writers anyway, so the test runs on PostgreSQL only.
"""

import threading

import pytest
from django.db import connection, connections

from coproduce.consultations.models import Response
from coproduce.consultations.services import (
    Respondent,
    response_save_section,
    response_send,
    response_submit,
)
from coproduce.engagement.models import ParticipationRecord
from tests.conftest import World
from tests.consultations.conftest import YES, key, make_form

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks"),
]


def test_ten_simultaneous_submissions_of_one_response_count_it_once(world: World) -> None:
    questionnaire = make_form(world.service_a)
    first = {
        key(questionnaire, "The talk was interesting"): "4",
        key(questionnaire, "Would you come again?"): YES,
    }
    receipt = response_save_section(
        questionnaire=questionnaire, response=None, number=1, raw=first, respondent=Respondent()
    )
    response_save_section(
        questionnaire=questionnaire,
        response=receipt.response,
        number=2,
        raw={},
        respondent=Respondent(),
    )
    start = threading.Barrier(10)
    created: list[bool] = []

    def submit() -> None:
        try:
            start.wait()
            _response, new = response_submit(response=Response(pk=receipt.response.pk))
            created.append(new)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(created) == [False] * 9 + [True]
    assert ParticipationRecord.objects.filter(kind="answered-form").count() == 1
    assert Response.objects.get().status == "complete"


def test_ten_simultaneous_sendings_of_one_page_count_it_once(world: World) -> None:
    """A one-section page sent ten times at once (its one entry key): one response."""
    questionnaire = make_form(world.service_a)
    version = questionnaire.versions.get()
    questions = list(version.questions.filter(section__position=1).order_by("position"))
    answers = {
        key(questionnaire, "The talk was interesting"): "4",
        key(questionnaire, "Would you come again?"): YES,
    }
    start = threading.Barrier(10)
    created: list[bool] = []

    def send() -> None:
        try:
            start.wait()
            _response, new = response_send(
                questionnaire=questionnaire,
                version=version,
                questions=questions,
                raw=answers,
                respondent=Respondent(),
                entry_key="the-same-page-sent-ten-times",
            )
            created.append(new)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(created) == [False] * 9 + [True]
    assert Response.objects.count() == 1
    assert ParticipationRecord.objects.filter(kind="answered-form").count() == 1
