"""Building forms: versions, immutability once published, conditions, translations."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from coproduce.consultations.models import (
    Answer,
    FormVersion,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    ResponseMode,
)
from coproduce.consultations.services import (
    QuestionnairePlan,
    QuestionSpec,
    Texts,
    question_add,
    question_delete,
    question_update,
    questionnaire_create,
    questionnaire_update,
    section_add,
    section_delete,
    version_draft,
    version_publish,
)
from coproduce.organisations.models import Sector
from coproduce.organisations.services import service_create
from tests.conftest import World
from tests.consultations.conftest import client_for, field, make_activity


def answer_it(questionnaire: Questionnaire) -> Response:
    client = Client()
    base = f"/consultations/f/{questionnaire.code}/"
    client.post(
        f"{base}1/",
        {
            field(questionnaire, "The talk was interesting"): "5",
            field(questionnaire, "Would you come again?"): "1",
        },
    )
    client.post(f"{base}2/", {})
    return Response.objects.order_by("-pk").first()  # type: ignore[return-value]


def test_a_published_version_cannot_be_changed(questionnaire: Questionnaire) -> None:
    question = Question.objects.filter(version__questionnaire=questionnaire).first()
    assert question is not None
    with pytest.raises(ValidationError, match="is published, so it cannot change"):
        question_update(
            question=question,
            spec=QuestionSpec(kind=QuestionKind.SHORT_TEXT, text=Texts("Changed")),
            updated_by=None,
        )
    with pytest.raises(ValidationError, match="is published"):
        question_delete(question=question, deleted_by=None)
    with pytest.raises(ValidationError, match="is published"):
        question_add(
            section=question.section,
            spec=QuestionSpec(kind=QuestionKind.SHORT_TEXT, text=Texts("New")),
            added_by=None,
        )


def test_editing_a_published_form_makes_a_new_version_and_never_changes_old_answers(
    questionnaire: Questionnaire,
) -> None:
    given = answer_it(questionnaire)
    old_answers = sorted(
        Answer.objects.filter(response=given).values_list("question__text", "value")
    )

    draft = version_draft(questionnaire=questionnaire, drafted_by=None)
    assert draft.number == 2
    assert draft.questions.count() == 5
    changed = draft.questions.get(text="The talk was interesting")
    question_update(
        question=changed,
        spec=QuestionSpec(
            kind=QuestionKind.SCALE, text=Texts("How good was the talk?"), required=True
        ),
        updated_by=None,
    )
    why = draft.questions.get(text="Why not?")
    assert why.show_if is not None
    assert why.show_if.version == draft
    # People still answer version 1 until version 2 is published.
    assert answer_it(questionnaire).version.number == 1
    version_publish(questionnaire=questionnaire, published_by=None)
    assert Answer.objects.filter(response=given).values_list(
        "question__text", "value"
    ).count() == len(old_answers)
    assert (
        sorted(Answer.objects.filter(response=given).values_list("question__text", "value"))
        == old_answers
    )
    assert Response.objects.get(pk=given.pk).version.number == 1
    # The question keeps its key across versions, so results add up over versions.
    assert (
        changed.key
        == Question.objects.get(
            version__number=1, version__questionnaire=questionnaire, text="The talk was interesting"
        ).key
    )


def test_an_answer_half_given_to_an_old_version_can_still_be_finished(
    questionnaire: Questionnaire,
) -> None:
    client = Client()
    base = f"/consultations/f/{questionnaire.code}/"
    client.post(
        f"{base}1/",
        {
            field(questionnaire, "The talk was interesting"): "2",
            field(questionnaire, "Would you come again?"): "1",
        },
    )
    draft = version_draft(questionnaire=questionnaire, drafted_by=None)
    question_add(
        section=draft.sections.get(position=2),
        spec=QuestionSpec(kind=QuestionKind.SHORT_TEXT, text=Texts("A new question")),
        added_by=None,
    )
    version_publish(questionnaire=questionnaire, published_by=None)
    client.post(f"{base}2/", {})
    response = Response.objects.get()
    assert response.status == "complete"
    assert response.version.number == 1


def test_only_one_draft_at_a_time(questionnaire: Questionnaire) -> None:
    first = version_draft(questionnaire=questionnaire, drafted_by=None)
    assert version_draft(questionnaire=questionnaire, drafted_by=None) == first
    assert FormVersion.objects.filter(questionnaire=questionnaire, status="draft").count() == 1


def test_publishing_needs_questions_in_every_section(world: World) -> None:
    questionnaire = questionnaire_create(
        service=world.service_a,
        plan=QuestionnairePlan(
            title="Empty",
            public_title="Empty",
            mode=ResponseMode.ANONYMOUS,
            activity=make_activity(world.service_a),
        ),
        created_by=None,
    )
    with pytest.raises(ValidationError, match="Add at least one question"):
        version_publish(questionnaire=questionnaire, published_by=None)
    section = section_add(questionnaire=questionnaire, title=Texts("One"), added_by=None)
    section_add(questionnaire=questionnaire, title=Texts("Two"), added_by=None)
    question_add(
        section=section,
        spec=QuestionSpec(kind=QuestionKind.DATE, text=Texts("When?")),
        added_by=None,
    )
    with pytest.raises(ValidationError, match="These sections have no questions: Two"):
        version_publish(questionnaire=questionnaire, published_by=None)


def test_a_choice_question_needs_two_different_options(questionnaire: Questionnaire) -> None:
    draft = version_draft(questionnaire=questionnaire, drafted_by=None)
    section = draft.sections.first()
    assert section is not None
    with pytest.raises(ValidationError, match="at least two options"):
        question_add(
            section=section,
            spec=QuestionSpec(
                kind=QuestionKind.SINGLE_CHOICE, text=Texts("Pick"), options=(Texts("A"),)
            ),
            added_by=None,
        )
    with pytest.raises(ValidationError, match="must be different"):
        question_add(
            section=section,
            spec=QuestionSpec(
                kind=QuestionKind.MULTIPLE_CHOICE,
                text=Texts("Pick"),
                options=(Texts("A"), Texts("a")),
            ),
            added_by=None,
        )


def test_a_condition_must_be_on_an_earlier_question_and_one_of_its_answers(
    questionnaire: Questionnaire,
) -> None:
    draft = version_draft(questionnaire=questionnaire, drafted_by=None)
    again = draft.questions.get(text="Would you come again?")
    first_section = draft.sections.get(position=1)
    likert = draft.questions.get(text="The talk was interesting")
    with pytest.raises(ValidationError, match="not an answer to that question"):
        question_add(
            section=first_section,
            spec=QuestionSpec(
                kind=QuestionKind.SHORT_TEXT, text=Texts("?"), show_if=again, show_if_value="Maybe"
            ),
            added_by=None,
        )
    with pytest.raises(ValidationError, match="earlier question"):
        question_update(
            question=likert,
            spec=QuestionSpec(
                kind=QuestionKind.LIKERT, text=Texts("x"), show_if=again, show_if_value="Yes"
            ),
            updated_by=None,
        )
    with pytest.raises(ValidationError, match="depending on this one"):
        question_delete(question=again, deleted_by=None)
    shown = question_add(
        section=first_section,
        spec=QuestionSpec(
            kind=QuestionKind.SHORT_TEXT,
            text=Texts("Which one?"),
            show_if=likert,
            show_if_value="5",
        ),
        added_by=None,
    )
    assert shown.show_if_value == "5"


def test_a_sensitive_services_public_title_never_names_it(world: World) -> None:
    refuge = service_create(
        name="Haven refuge",
        sector=Sector.DOMESTIC_VIOLENCE,
        provider=world.library_a,
        area=world.county,
        sensitive=True,
    )
    plan = QuestionnairePlan(
        title="Haven refuge session feedback",
        public_title="Haven refuge feedback",
        mode=ResponseMode.ANONYMOUS,
        activity=make_activity(refuge, "Sessions"),
    )
    with pytest.raises(ValidationError, match="must not name it"):
        questionnaire_create(service=refuge, plan=plan, created_by=None)


def test_the_activity_must_be_of_the_service(world: World) -> None:
    other = service_create(
        name="Other", sector=Sector.LIBRARY, provider=world.library_b, area=world.county
    )
    with pytest.raises(ValidationError, match="activity of this service"):
        questionnaire_create(
            service=world.service_a,
            plan=QuestionnairePlan(
                title="t",
                public_title="t",
                mode=ResponseMode.ANONYMOUS,
                activity=make_activity(other),
            ),
            created_by=None,
        )


def test_the_mode_is_fixed_once_someone_has_answered(questionnaire: Questionnaire) -> None:
    answer_it(questionnaire)
    plan = QuestionnairePlan(
        title="t", public_title="t", mode=ResponseMode.ANONYMOUS, activity=questionnaire.activity
    )
    with pytest.raises(ValidationError, match="cannot change"):
        questionnaire_update(questionnaire=questionnaire, plan=plan, updated_by=None)


def test_staff_of_another_organisation_cannot_change_a_form(
    world: World, questionnaire: Questionnaire
) -> None:
    with pytest.raises(PermissionDenied):
        version_draft(questionnaire=questionnaire, drafted_by=world.users["manager of B"])  # type: ignore[arg-type]
    client = client_for(world, "manager of B")
    assert client.post(f"/consultations/manage/{questionnaire.pk}/new-version/").status_code == 403
    assert not FormVersion.objects.filter(number=2).exists()


def test_staff_build_and_publish_a_form_through_the_pages(world: World) -> None:
    activity = make_activity(world.service_a)
    client = client_for(world, "staff of A")
    created = client.post(
        f"/consultations/manage/services/{world.service_a.reference}/new/",
        {
            "title": "Survey",
            "public_title": "Library survey",
            "activity": activity.pk,
            "mode": "pseudonymous",
        },
    )
    questionnaire = Questionnaire.objects.get()
    assert created["Location"] == f"/consultations/manage/{questionnaire.pk}/"
    client.post(
        f"/consultations/manage/{questionnaire.pk}/sections/new/",
        {"title": "About you", "title_vi": "Về bạn"},
    )
    section = questionnaire.versions.get().sections.get()
    refused = client.post(
        f"/consultations/manage/sections/{section.pk}/questions/new/",
        {"kind": "single-choice", "text": "Which library?", "options": "Ashmere"},
    )
    assert "Give at least two options, one per line." in refused.content.decode()
    client.post(
        f"/consultations/manage/sections/{section.pk}/questions/new/",
        {
            "kind": "single-choice",
            "text": "Which library?",
            "options": "Ashmere\nFennick",
            "options_vi": "Ashmere VN\nFennick VN",
            "required": "on",
        },
    )
    question = Question.objects.get()
    assert question.options == [
        {"value": "1", "en": "Ashmere", "vi": "Ashmere VN", "cy": ""},
        {"value": "2", "en": "Fennick", "vi": "Fennick VN", "cy": ""},
    ]
    client.post(f"/consultations/manage/{questionnaire.pk}/publish/")
    assert questionnaire.versions.get().status == "published"
    page = client.get(f"/consultations/manage/{questionnaire.pk}/").content.decode()
    assert f"/consultations/f/{questionnaire.code}/" in page
    # Changing a published question through its page is refused with a clear message.
    edit = client.post(
        f"/consultations/manage/questions/{question.pk}/", {"kind": "short-text", "text": "Changed"}
    )
    assert "is published, so it cannot change" in edit.content.decode()
    assert Question.objects.get().text == "Which library?"
    qr = client.get(f"/consultations/manage/{questionnaire.pk}/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml"
    assert (
        "Which library?"
        in client.get(f"/consultations/manage/{questionnaire.pk}/print/").content.decode()
    )


def test_an_empty_section_of_a_draft_can_be_removed_and_the_next_moves_up(world: World) -> None:
    questionnaire = questionnaire_create(
        service=world.service_a,
        plan=QuestionnairePlan(
            title="Sections",
            public_title="Sections",
            mode=ResponseMode.ANONYMOUS,
            activity=make_activity(world.service_a),
        ),
        created_by=None,
    )
    first = section_add(questionnaire=questionnaire, title=Texts("One"), added_by=None)
    second = section_add(questionnaire=questionnaire, title=Texts("Two"), added_by=None)
    question_add(
        section=second,
        spec=QuestionSpec(kind=QuestionKind.SHORT_TEXT, text=Texts("Hello?")),
        added_by=None,
    )
    with pytest.raises(ValidationError, match="Remove the section's questions first"):
        section_delete(section=second, deleted_by=None)
    client = client_for(world, "staff of A")
    client.post(f"/consultations/manage/sections/{first.pk}/delete/")
    assert list(questionnaire.versions.get().sections.values_list("title", "position")) == [
        ("Two", 1)
    ]
    version_publish(questionnaire=questionnaire, published_by=None)
