"""Forms to answer: a published two-section feedback form of library A's talks.

Section 1 asks how the talk was (agreement 1–5, required) and whether the person would
come again (yes/no, required); section 2 asks why not (shown only if "No"), what else
they would like (free text) and for their consent to be contacted.
"""

from datetime import date

import pytest
from django.test import Client

from coproduce.consultations.models import Question, QuestionKind, Questionnaire, ResponseMode
from coproduce.consultations.services import (
    QuestionnairePlan,
    QuestionSpec,
    Texts,
    question_add,
    questionnaire_create,
    section_add,
    version_publish,
)
from coproduce.engagement.ladder import CitizenRole, CoStage, EngagementForm
from coproduce.engagement.models import Activity
from coproduce.engagement.services import ActivityPlan, activity_create
from coproduce.organisations.models import Service
from tests.conftest import World

YES, NO = "1", "2"


def make_activity(service: Service, title: str = "Talks by local speakers") -> Activity:
    return activity_create(
        service=service,
        plan=ActivityPlan(
            title=title,
            form=EngagementForm.CONSULT,
            co_stage=CoStage.ASSESS,
            citizen_role=CitizenRole.NONE,
            starts_on=date(2026, 1, 1),
        ),
        created_by=None,
    )


def make_form(
    service: Service,
    *,
    mode: ResponseMode = ResponseMode.PSEUDONYMOUS,
    activity: Activity | None = None,
    after_sessions: bool = False,
    publish: bool = True,
    public_title: str = "Feedback on our talks",
) -> Questionnaire:
    questionnaire = questionnaire_create(
        service=service,
        plan=QuestionnairePlan(
            title="Talk feedback",
            public_title=public_title,
            mode=mode,
            activity=activity or make_activity(service),
            after_sessions=after_sessions,
        ),
        created_by=None,
    )
    first = section_add(
        questionnaire=questionnaire, title=Texts("The talk", "Buổi nói chuyện"), added_by=None
    )
    question_add(
        section=first,
        spec=QuestionSpec(
            kind=QuestionKind.LIKERT,
            text=Texts(
                "The talk was interesting", "Buổi nói chuyện thú vị", "Roedd y sgwrs yn ddiddorol"
            ),
            required=True,
        ),
        added_by=None,
    )
    again = question_add(
        section=first,
        spec=QuestionSpec(
            kind=QuestionKind.SINGLE_CHOICE,
            text=Texts("Would you come again?"),
            options=(Texts("Yes", "Có"), Texts("No", "Không")),
            required=True,
        ),
        added_by=None,
    )
    second = section_add(questionnaire=questionnaire, title=Texts("Anything else"), added_by=None)
    question_add(
        section=second,
        spec=QuestionSpec(
            kind=QuestionKind.LONG_TEXT,
            text=Texts("Why not?"),
            required=True,
            show_if=again,
            show_if_value="No",
        ),
        added_by=None,
    )
    question_add(
        section=second,
        spec=QuestionSpec(kind=QuestionKind.SHORT_TEXT, text=Texts("What talks would you like?")),
        added_by=None,
    )
    question_add(
        section=second,
        spec=QuestionSpec(
            kind=QuestionKind.NUMBER,
            text=Texts("How many talks have you been to?"),
            min_value=0,
            max_value=100,
        ),
        added_by=None,
    )
    if publish:
        version_publish(questionnaire=questionnaire, published_by=None)
    return questionnaire


def field(questionnaire: Questionnaire, text: str) -> str:
    """The field name of the question of the current version with this English text."""
    question = (
        Question.objects.filter(version__questionnaire=questionnaire, text=text)
        .order_by("-version__number")
        .first()
    )
    assert question is not None, text
    return question.field_name


def key(questionnaire: Questionnaire, text: str) -> str:
    return field(questionnaire, text).removeprefix("q_")


@pytest.fixture
def questionnaire(world: World) -> Questionnaire:
    return make_form(world.service_a)


def client_for(world: World, persona: str) -> Client:
    client = Client()
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    return client
