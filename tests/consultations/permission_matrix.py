"""Every URL of the consultations app, with the status each persona gets for a GET.

Answering is public (the form's random code is the address). Building, printing and
typing in paper answers are for the provider's managers and staff; the results are for
them and for the bodies that fund or commission the service; nothing else is public.
"""

from coproduce.consultations.models import Question, Questionnaire
from tests.conftest import World
from tests.consultations.conftest import make_form
from tests.matrix import BACKERS, EVERYONE, PERSONAS, Expectations, only, post_only

MATRIX_FORM = "Permission matrix feedback"
RUNNERS = ("staff of A", "manager of A", "superuser")


def matrix_form(world: World) -> Questionnaire:
    found = Questionnaire.objects.filter(public_title=MATRIX_FORM).first()
    return found or make_form(world.service_a, public_title=MATRIX_FORM)


def expectations(world: World) -> Expectations:
    questionnaire = matrix_form(world)
    form, code = questionnaire.pk, questionnaire.code
    question = Question.objects.filter(version__questionnaire=questionnaire).first()
    assert question is not None
    section = question.section_id
    service = world.service_a.reference
    return {
        "consultations:answer": (f"/consultations/f/{code}/", EVERYONE),
        "consultations:answer_section": (f"/consultations/f/{code}/1/", EVERYONE),
        "consultations:answer_done": (f"/consultations/f/{code}/done/", EVERYONE),
        "consultations:service_forms": (
            f"/consultations/manage/services/{service}/",
            only(*RUNNERS),
        ),
        "consultations:form_create": (
            f"/consultations/manage/services/{service}/new/",
            only(*RUNNERS),
        ),
        "consultations:form": (f"/consultations/manage/{form}/", only(*RUNNERS)),
        "consultations:form_settings": (f"/consultations/manage/{form}/settings/", only(*RUNNERS)),
        "consultations:section_add": (
            f"/consultations/manage/{form}/sections/new/",
            only(*RUNNERS),
        ),
        "consultations:section_edit": (
            f"/consultations/manage/sections/{section}/",
            only(*RUNNERS),
        ),
        "consultations:question_add": (
            f"/consultations/manage/sections/{section}/questions/new/",
            only(*RUNNERS),
        ),
        "consultations:question_edit": (
            f"/consultations/manage/questions/{question.pk}/",
            only(*RUNNERS),
        ),
        "consultations:form_qr": (f"/consultations/manage/{form}/qr.svg", only(*RUNNERS)),
        "consultations:form_print": (f"/consultations/manage/{form}/print/", only(*RUNNERS)),
        "consultations:paper_entry": (f"/consultations/manage/{form}/enter/", only(*RUNNERS)),
        # Counts for the bodies that fund the service (co-assessment); never public.
        "consultations:form_results": (
            f"/consultations/manage/{form}/results/",
            only(*RUNNERS, *BACKERS),
        ),
        "consultations:form_results_table": (
            f"/consultations/manage/{form}/responses.xlsx",
            only(*RUNNERS, *BACKERS),
        ),
        # Open data exists once the form is closed: until then, 404 for everyone.
        "consultations:form_open_data": (
            f"/consultations/f/{code}/open-data.json",
            dict.fromkeys(PERSONAS, 404),
        ),
        # Changes of state are POST only; a GET is refused before anything else.
        "consultations:version_new": post_only(
            f"/consultations/manage/{form}/new-version/", *RUNNERS
        ),
        "consultations:version_publish": post_only(
            f"/consultations/manage/{form}/publish/", *RUNNERS
        ),
        "consultations:form_close": post_only(f"/consultations/manage/{form}/close/", *RUNNERS),
        "consultations:section_delete": post_only(
            f"/consultations/manage/sections/{section}/delete/", *RUNNERS
        ),
        "consultations:question_delete": post_only(
            f"/consultations/manage/questions/{question.pk}/delete/", *RUNNERS
        ),
    }
