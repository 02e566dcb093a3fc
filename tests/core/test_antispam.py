"""Bots kept out of public forms without a CAPTCHA (core/antispam.py): a filled
honeypot, a form sent too fast, or a forged or stale time is refused with one message
that does not say why, the form is shown again with what was typed, and nothing is
saved or lost."""

import re
import time

import pytest
from django.core import signing
from django.test import Client
from pytest_django import Settings

from coproduce.accounts.models import User
from coproduce.consultations.models import Questionnaire, Response
from coproduce.core.antispam import HONEYPOT, SHOWN_AT, problem, shown_at_token
from coproduce.deliberation.models import Comment, Consultation, Proposal
from coproduce.events.models import Rsvp
from tests.conftest import PASSPHRASE, World
from tests.consultations.conftest import YES, field, make_form
from tests.consultations.test_sending_whole import (
    answers,
    entry_key,
    one_section_form,
    page_url,
)
from tests.deliberation.conftest import make_consultation
from tests.events.conftest import make_activity, make_event

REFUSAL = "We could not accept this form."
TOKEN = re.compile(rf'name="{SHOWN_AT}" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _timing_on(settings: Settings) -> None:
    settings.ANTISPAM_TIMING = True
    settings.ANTISPAM_MIN_SECONDS = 3
    settings.ANTISPAM_MAX_AGE_HOURS = 24


def shown(seconds_ago: float, monkeypatch: pytest.MonkeyPatch) -> str:
    """The signed time of a form shown ``seconds_ago``."""
    then = time.time() - seconds_ago
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: then)
        return shown_at_token()


def person_sent(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """What a person's browser adds to a form: an empty honeypot, a time 10 s ago."""
    return {HONEYPOT: "", SHOWN_AT: shown(10, monkeypatch)}


def test_a_form_sent_by_a_person_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    assert problem(person_sent(monkeypatch)) == ""


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({HONEYPOT: "http://cheap-pills.example"}, "honeypot filled"),
        ({SHOWN_AT: ""}, "form time missing or forged"),
        ({SHOWN_AT: "1700000000.0:forged"}, "form time missing or forged"),
    ],
)
def test_a_filled_honeypot_or_a_forged_time_is_a_problem(
    monkeypatch: pytest.MonkeyPatch, change: dict[str, str], why: str
) -> None:
    assert problem({**person_sent(monkeypatch), **change}) == why


def test_a_form_sent_too_fast_or_too_late_is_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    assert problem({SHOWN_AT: shown(1, monkeypatch)}) == "sent too fast"
    assert problem({SHOWN_AT: shown(25 * 3600, monkeypatch)}) == "form shown too long ago"
    assert problem({SHOWN_AT: shown(23 * 3600, monkeypatch)}) == ""


def test_a_time_signed_for_something_else_is_forged() -> None:
    other = signing.dumps(time.time() - 10, salt="something else")
    assert problem({SHOWN_AT: other}) == "form time missing or forged"


def test_without_the_time_check_the_honeypot_still_counts(settings: Settings) -> None:
    settings.ANTISPAM_TIMING = False
    assert problem({}) == ""
    assert problem({HONEYPOT: "x"}) == "honeypot filled"


def sign_up_data(**extra: str) -> dict[str, str]:
    return {
        "username": "quiet-reader",
        "password": PASSPHRASE,
        "password_again": PASSPHRASE,
        **extra,
    }


def test_the_honeypot_is_hidden_from_sight_screen_readers_tab_and_autofill(db: None) -> None:
    page = Client().get("/account/create/").content.decode()
    hidden = page[page.index('<div class="govuk-visually-hidden" aria-hidden="true">') :]
    honeypot = hidden[: hidden.index("</div>")]
    assert f'name="{HONEYPOT}"' in honeypot
    assert 'tabindex="-1"' in honeypot
    assert 'autocomplete="off"' in honeypot
    assert "<label>" in honeypot  # labelled, for any tool that still finds it
    assert TOKEN.search(page)


@pytest.mark.parametrize("sent", ["honeypot", "fast", "stale", "forged"])
def test_a_sign_up_sent_by_a_program_is_refused_and_shown_again_with_a_fresh_time(
    db: None, monkeypatch: pytest.MonkeyPatch, sent: str
) -> None:
    data = sign_up_data(**person_sent(monkeypatch))
    data |= {
        "honeypot": {HONEYPOT: "spam"},
        "fast": {SHOWN_AT: shown(0.5, monkeypatch)},
        "stale": {SHOWN_AT: shown(48 * 3600, monkeypatch)},
        "forged": {SHOWN_AT: "not signed"},
    }[sent]
    response = Client().post("/account/create/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert REFUSAL in page
    for why in ("honeypot", "too fast", "forged", "too long ago"):
        assert why not in page  # the message does not say which check failed
    assert 'value="quiet-reader"' in page  # what was typed is kept
    found = TOKEN.search(page)
    assert found is not None
    assert found.group(1) != data[SHOWN_AT]
    assert problem({SHOWN_AT: found.group(1)}) == "sent too fast"  # issued just now
    assert not User.objects.filter(username="quiet-reader").exists()


def test_a_person_who_waits_is_signed_up(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    response = Client().post("/account/create/", sign_up_data(**person_sent(monkeypatch)))
    assert response.status_code == 302
    assert User.objects.filter(username="quiet-reader").exists()


def signed_in(world: World, persona: str = "resident") -> Client:
    client = Client()
    client.force_login(world.users[persona])  # type: ignore[arg-type]
    return client


def test_a_comment_or_proposal_sent_by_a_program_is_refused_and_saves_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    consultation = make_consultation(world)
    client = signed_in(world)
    url = f"/have-your-say/{consultation.code}/"
    comment = {"text": "Story time, please.", "submission_key": "k1"}
    fast = client.post(f"{url}comment/", {**comment, SHOWN_AT: shown(1, monkeypatch)})
    assert REFUSAL in fast.content.decode()
    assert "Story time, please." in fast.content.decode()
    proposal = {"title": "Cheap pills", "text": "Buy now", "submission_key": "k2"}
    trap = client.post(f"{url}propose/", {**proposal, **person_sent(monkeypatch), HONEYPOT: "x"})
    assert REFUSAL in trap.content.decode()
    assert not Comment.objects.exists()
    assert not Proposal.objects.exists()
    sent = client.post(f"{url}comment/", {**comment, **person_sent(monkeypatch)})
    assert sent.status_code == 302
    assert Comment.objects.count() == 1


def test_the_cached_page_of_a_visitor_holds_no_form_and_a_signed_in_page_a_fresh_time(
    world: World,
) -> None:
    """The anonymous consultation page is kept in the cache: no time may be frozen in
    it. It has no form; the forms are drawn for signed-in people, never cached."""
    consultation: Consultation = make_consultation(world)
    url = f"/have-your-say/{consultation.code}/"
    assert SHOWN_AT not in Client().get(url).content.decode()
    assert SHOWN_AT not in Client().get(url).content.decode()  # from the cache
    client = signed_in(world)
    first = TOKEN.findall(client.get(url).content.decode())
    second = TOKEN.findall(client.get(url).content.decode())
    assert first
    assert first != second


def test_an_rsvp_without_an_account_sent_by_a_program_is_refused(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = make_event(make_activity(world.service_a))
    url = f"/events/{event.pk}/rsvp/"
    trap = Client().post(url, {"nickname": "Bot", **person_sent(monkeypatch), HONEYPOT: "x"})
    assert trap.status_code == 200
    assert REFUSAL in trap.content.decode()
    assert not Rsvp.objects.exists()
    sent = Client().post(url, {"nickname": "Sam", **person_sent(monkeypatch)})
    assert sent.status_code == 302
    assert Rsvp.objects.count() == 1


def survey_first_part(questionnaire: Questionnaire) -> dict[str, str]:
    return {
        field(questionnaire, "The talk was interesting"): "4",
        field(questionnaire, "Would you come again?"): YES,
    }


def test_a_survey_part_sent_by_a_program_is_refused_and_the_saved_part_is_kept(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    questionnaire = make_form(world.service_a)
    base = f"/consultations/f/{questionnaire.code}/"
    client = Client()
    first = {**survey_first_part(questionnaire), **person_sent(monkeypatch)}
    assert client.post(f"{base}1/", first).status_code == 302
    later = {field(questionnaire, "What talks would you like?"): "Local history"}
    refused = client.post(f"{base}2/", {**later, SHOWN_AT: shown(0.2, monkeypatch)})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert REFUSAL in page
    assert "Local history" in page
    draft = Response.objects.get(questionnaire=questionnaire)
    assert (draft.status, draft.sections_saved) == ("draft", 1)
    assert client.post(f"{base}2/", {**later, **person_sent(monkeypatch)}).status_code == 302
    assert Response.objects.get(pk=draft.pk).status == "complete"


def test_a_one_part_survey_sent_by_a_program_keeps_its_entry_key_and_saves_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    questionnaire = one_section_form(world)
    client = Client()
    key = entry_key(client, questionnaire)
    data = answers(questionnaire, key)
    refused = client.post(page_url(questionnaire), {**data, SHOWN_AT: "forged"})
    assert REFUSAL in refused.content.decode()
    assert f'name="entry_key" value="{key}"' in refused.content.decode()
    assert not Response.objects.exists()
    sent = client.post(page_url(questionnaire), {**data, **person_sent(monkeypatch)})
    assert sent.status_code == 302
    assert Response.objects.count() == 1
