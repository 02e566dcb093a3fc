"""The results page: counts per answer, responses by channel, free text for staff only,
in a number of queries that does not grow with the responses."""

from pytest_django import DjangoAssertNumQueries

from coproduce.consultations.models import Questionnaire, ResponseChannel
from coproduce.consultations.services import paper_response_enter, version_draft, version_publish
from tests.conftest import World
from tests.consultations.conftest import NO, YES, client_for, key


def enter(
    questionnaire: Questionnaire, n: int, *, interesting: str, again: str, why: str = ""
) -> None:
    raw = {
        key(questionnaire, "The talk was interesting"): interesting,
        key(questionnaire, "Would you come again?"): again,
        key(questionnaire, "Why not?"): why,
    }
    paper_response_enter(
        questionnaire=questionnaire,
        raw=raw,
        channel=ResponseChannel.PAPER if n % 2 else ResponseChannel.ASSISTED,
        entry_key=f"results-entry-{n:06d}",
        recorded_by=None,
    )


def test_results_count_each_answer_over_versions_and_by_channel(
    world: World, questionnaire: Questionnaire
) -> None:
    enter(questionnaire, 1, interesting="5", again=YES)
    enter(questionnaire, 2, interesting="4", again=NO, why="Too late in the evening")
    version_draft(questionnaire=questionnaire, drafted_by=None)
    version_publish(questionnaire=questionnaire, published_by=None)
    enter(questionnaire, 3, interesting="5", again=YES)
    page = client_for(world, "manager of A").get(
        f"/consultations/manage/{questionnaire.pk}/results/"
    )
    body = page.content.decode()
    assert "3 responses submitted" in body
    assert "Too late in the evening" in body
    results = page.context["results"]
    by_question = {row.question.text: row for row in results.questions}
    assert dict(by_question["The talk was interesting"].counts) == {
        "Strongly disagree": 0,
        "Disagree": 0,
        "Neither agree nor disagree": 0,
        "Agree": 1,
        "Strongly agree": 2,
    }
    assert dict(by_question["Would you come again?"].counts) == {"Yes": 2, "No": 1}
    assert dict(results.by_channel) == {
        "Online": 0,
        "Paper": 2,
        "Assisted by staff or a volunteer": 1,
    }


def test_a_funder_sees_the_counts_but_not_what_people_wrote(
    world: World, questionnaire: Questionnaire
) -> None:
    enter(questionnaire, 1, interesting="4", again=NO, why="My neighbour runs it")
    body = (
        client_for(world, "commissioner")
        .get(f"/consultations/manage/{questionnaire.pk}/results/")
        .content.decode()
    )
    assert "My neighbour runs it" not in body
    assert "Written answers are shown only to the staff" in body


def test_the_results_page_makes_a_fixed_number_of_queries(
    world: World,
    questionnaire: Questionnaire,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_for(world, "manager of A")
    path = f"/consultations/manage/{questionnaire.pk}/results/"
    enter(questionnaire, 1, interesting="4", again=YES)
    with django_assert_max_num_queries(14):
        client.get(path)
    for n in range(2, 30):
        enter(questionnaire, n, interesting=str(1 + n % 5), again=NO, why=f"Reason {n}")
    with django_assert_max_num_queries(14):
        client.get(path)


def test_the_list_of_forms_makes_a_fixed_number_of_queries(
    world: World,
    questionnaire: Questionnaire,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    from tests.consultations.conftest import make_form

    for _ in range(4):
        make_form(world.service_a)
    client = client_for(world, "manager of A")
    with django_assert_max_num_queries(10):
        page = client.get(f"/consultations/manage/services/{world.service_a.reference}/")
    assert page.content.decode().count("Talk feedback") == 5


def test_the_builder_page_makes_a_fixed_number_of_queries(
    world: World,
    questionnaire: Questionnaire,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = client_for(world, "manager of A")
    with django_assert_max_num_queries(16):
        client.get(f"/consultations/manage/{questionnaire.pk}/")
