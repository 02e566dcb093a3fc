"""Consultation journeys in a real browser: a library manager builds and publishes a
form; a resident answers the library's two-part feedback form (saved after part 1); the
refuge's anonymous form shows a question only after the answer it depends on; the
refuge manager types in a paper sheet and reads the results.

Every page visited is checked with axe. Addresses come from the demo data.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from coproduce.consultations.models import Questionnaire, Response, Sending
from coproduce.engagement.models import ParticipationRecord
from tests.e2e.conftest import assert_accessible, screenshot
from tests.e2e.test_engagement_journeys import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LIBRARY = "Ashmere Parva Community Library"


def test_a_library_manager_builds_and_publishes_a_two_part_form(page: Page, demo: str) -> None:
    sign_in(page, demo, "library-manager")
    page.get_by_role("link", name=f"forms and surveys – {LIBRARY}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Forms and surveys")
    expect(page.get_by_role("rowheader", name="Feedback after talks")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Create a form").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a form")
    page.get_by_label("Title for staff").fill("Summer reading survey")
    page.get_by_role("button", name="Create the form").click()
    # Missing answers: the page says so and keeps what was written.
    expect(page).to_have_title(re.compile("^Error:"))
    expect(page.get_by_role("alert")).to_contain_text("This field is required.")
    expect(page.get_by_label("Title for staff")).to_have_value("Summer reading survey")
    assert_accessible(page)
    page.get_by_label("Title people see").fill("What did you read this summer?")
    page.get_by_label("Engagement activity").select_option(label="Talks by local speakers")
    page.get_by_label("How answers are linked to people").select_option("pseudonymous")
    page.get_by_role("button", name="Create the form").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Summer reading survey")
    expect(page.get_by_text("No sections yet")).to_be_visible()
    assert_accessible(page)

    for title, question, kind in (
        ("Your reading", "How many books did you read?", "Number"),
        ("The library", "Would you recommend the challenge?", "Agree or disagree (1 to 5)"),
    ):
        page.get_by_role("link", name="Add a section").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Add a section")
        page.get_by_label("Section title", exact=True).fill(title)
        page.get_by_role("button", name="Save the section").click()
        page.get_by_role("link", name=f"Add a question – {title}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Add a question")
        page.get_by_label("Kind of answer").select_option(label=kind)
        page.get_by_label("Question", exact=True).fill(question)
        page.get_by_label("Question in Vietnamese").fill(f"{question} (VI)")
        page.get_by_label("An answer is needed").check()
        assert_accessible(page)
        page.get_by_role("button", name="Save the question").click()
        expect(page.get_by_text("The question is added.")).to_be_visible()
    screenshot(page, "form-builder")

    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text("Version 1 is published.")).to_be_visible()
    expect(page.get_by_text("Open: people answer version 1")).to_be_visible()
    assert_accessible(page)
    # A published version is never changed: changing it starts version 2.
    page.get_by_role("button", name="Change the questions").click()
    expect(page.get_by_role("heading", level=2, name="Version 2, draft")).to_be_visible()
    expect(page.get_by_role("button", name="Publish version 2")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Paper version and QR code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What did you read this summer?")
    expect(page.get_by_role("article").locator("svg")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "form-paper")


def test_a_resident_answers_the_librarys_two_part_feedback_form(page: Page, demo: str) -> None:
    questionnaire = Questionnaire.objects.get(title="Feedback after talks")
    before = Response.objects.filter(questionnaire=questionnaire).count()
    ledger = ParticipationRecord.objects.filter(kind="answered-form").count()
    page.goto(f"{demo}/consultations/f/{questionnaire.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us about the talk")
    expect(page.get_by_text("We do not ask for your name.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Start").or_(page.get_by_role("link", name="Start")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("The talk")
    page.get_by_role("button", name="Save and continue").click()
    expect(page).to_have_title(re.compile("^Error:"))
    expect(page.get_by_role("alert")).to_contain_text("Choose an answer.")
    assert_accessible(page)
    page.get_by_role("group", name=re.compile("The talk was interesting")).get_by_label(
        "Strongly agree"
    ).check()
    page.get_by_role("group", name=re.compile("recommend")).get_by_label("9", exact=True).check()
    page.get_by_label("Word of mouth").check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Next time")
    expect(page.get_by_text("Part 2 of 2")).to_be_visible()
    # Part 1 is saved already: a lost connection now would lose nothing of it.
    draft = Response.objects.filter(questionnaire=questionnaire).order_by("-pk").first()
    assert draft is not None
    assert draft.status == "draft"
    assert draft.sections_saved == 1
    assert draft.answers.count() == 3
    assert_accessible(page)
    screenshot(page, "form-answer")
    page.get_by_label("Saturday mornings").check()
    page.get_by_label("What talk would you like next?").fill("The story of the old mill")
    page.get_by_role("button", name="Submit your answers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert_accessible(page)
    assert Response.objects.filter(questionnaire=questionnaire).count() == before + 1
    assert ParticipationRecord.objects.filter(kind="answered-form").count() == ledger + 1
    # The Back button and submitting again count nothing more.
    page.go_back()
    # The browser shows part 2 again from its cache, or asks for it afresh.
    submit = page.get_by_role("button", name="Submit your answers")
    if submit.count():
        submit.click()
    expect(page.get_by_text("Your answers were already sent.")).to_be_visible()
    assert ParticipationRecord.objects.filter(kind="answered-form").count() == ledger + 1


def test_the_refuges_anonymous_form_is_neutral_and_shows_a_question_only_when_it_applies(
    page: Page, demo: str
) -> None:
    questionnaire = Questionnaire.objects.get(title="Feedback after each coffee morning")
    page.goto(f"{demo}/consultations/f/{questionnaire.code}/1/")
    expect(page).to_have_title(re.compile("Feedback"))
    assert "Haven" not in page.title()
    assert "Haven" not in page.locator("main").inner_text()
    follow_up = page.get_by_label(re.compile("What would help you come?"))
    expect(follow_up).to_be_hidden()  # the script hides it until "No" is chosen
    next_one = page.get_by_role("group", name=re.compile("Would you come to the next one?"))
    next_one.get_by_label("No", exact=True).check()
    expect(follow_up).to_be_visible()
    assert_accessible(page)
    next_one.get_by_label("Yes", exact=True).check()
    expect(follow_up).to_be_hidden()


def test_the_refuge_manager_types_in_a_paper_sheet_and_reads_the_results(
    page: Page, demo: str
) -> None:
    questionnaire = Questionnaire.objects.get(title="Feedback after each coffee morning")
    paper = Response.objects.filter(questionnaire=questionnaire, channel="paper").count()
    sign_in(page, demo, "refuge-manager")
    page.goto(f"{demo}/consultations/manage/{questionnaire.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(questionnaire.title)
    assert_accessible(page)
    page.get_by_role("link", name="Type in paper answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Type in paper answers")
    page.get_by_role("group", name=re.compile("I felt safe and welcome")).get_by_label(
        "Agree", exact=True
    ).check()
    page.get_by_role("group", name=re.compile("The session was useful")).get_by_label(
        "Strongly agree"
    ).check()
    page.get_by_role("group", name=re.compile("Would you come to the next one?")).get_by_label(
        "Yes", exact=True
    ).check()
    page.get_by_label("Session the feedback is about").select_option(index=1)
    assert_accessible(page)
    screenshot(page, "form-paper-entry")
    page.get_by_role("button", name="Save these answers").click()
    expect(page.get_by_text("The answers are saved.")).to_be_visible()
    saved = Response.objects.filter(questionnaire=questionnaire, channel="paper")
    assert saved.count() == paper + 1
    latest = saved.order_by("-pk").first()
    assert latest is not None
    assert latest.recorded_by is not None
    assert latest.recorded_by.username == "refuge-manager"
    assert latest.participant is None

    # Two anonymous answers sent a moment ago, not filed yet by a task worker.
    version = questionnaire.versions.get(status="published")
    for n in range(2):
        Sending.objects.create(
            entry_key=f"journey-waiting-{n:04d}",
            version=version,
            answers={},
            sent_at=timezone.now(),
        )
    page.goto(f"{demo}/consultations/manage/{questionnaire.pk}/results/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Results")
    expect(page.get_by_role("table").first).to_be_visible()
    expect(
        page.get_by_text("2 answers sent in the last moments are waiting to be filed")
    ).to_be_visible()
    assert_accessible(page)
    screenshot(page, "form-results")
