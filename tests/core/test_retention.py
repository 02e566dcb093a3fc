"""Retention periods: what has been kept its full period goes, fresh data stays, and
every aggregate is the same afterwards. The clock is set by passing the moment."""

from datetime import timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from coproduce.accounts.models import Participant
from coproduce.consultations.models import Response, ResponseStatus
from coproduce.consultations.services import Respondent, response_save_section
from coproduce.core.retention import REMOVED, RETENTION, apply_retention
from coproduce.deliberation.models import Comment, Proposal
from coproduce.events.models import Rsvp
from tests.accounts.test_privacy import COMMENT, a_resident_who_did_everything, aggregates
from tests.conftest import World
from tests.consultations.conftest import key, make_form
from tests.volunteering.conftest import Rota, rota  # noqa: F401 - a fixture

LATER = timedelta(days=3 * 365)


@pytest.fixture
def resident(world: World, rota: Rota) -> Participant:  # noqa: F811 - the fixture above
    return a_resident_who_did_everything(world, rota)


def a_draft(world: World) -> Response:
    questionnaire = make_form(world.service_a)
    raw = {
        key(questionnaire, "The talk was interesting"): "4",
        key(questionnaire, "Would you come again?"): "1",
    }
    return response_save_section(
        questionnaire=questionnaire, response=None, number=1, raw=raw, respondent=Respondent()
    ).response


def an_old_sign_in_failure(days: int) -> AccessAttempt:
    attempt = AccessAttempt.objects.create(
        username="someone", ip_address="192.0.2.1", failures_since_start=1
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(
        attempt_time=timezone.now() - timedelta(days=days)
    )
    return attempt


def test_fresh_data_stays(world: World, resident: Participant) -> None:
    draft = a_draft(world)
    recent = an_old_sign_in_failure(days=10)
    changed = apply_retention()
    assert set(changed.values()) == {0}
    rsvp = Rsvp.objects.get(participant=resident)
    assert rsvp.email == "robin@example.org"
    assert Comment.objects.get(participant=resident).text == COMMENT
    assert Response.objects.filter(pk=draft.pk).exists()
    assert AccessAttempt.objects.filter(pk=recent.pk).exists()


def test_expired_data_goes_and_every_aggregate_stays(world: World, resident: Participant) -> None:
    draft = a_draft(world)
    drafted = draft.answers.count()
    before = aggregates()
    old = an_old_sign_in_failure(days=91)
    session = SessionStore()
    session.create()
    Session.objects.filter(pk=session.session_key).update(expire_date=timezone.now())
    apply_retention(now=timezone.now() + LATER)
    rsvp = Rsvp.objects.get(participant=resident)
    assert (rsvp.nickname, rsvp.email, rsvp.phone, rsvp.remind) == ("", "", "", False)
    comment = Comment.objects.get(participant=resident)
    assert (comment.text, comment.display_name) == (REMOVED, REMOVED)
    assert Proposal.objects.get(participant=resident).text == REMOVED
    assert not Response.objects.filter(pk=draft.pk).exists()
    assert Response.objects.filter(status=ResponseStatus.COMPLETE).count() == 1
    assert not AccessAttempt.objects.filter(pk=old.pk).exists()
    assert not Session.objects.filter(pk=session.session_key).exists()
    after = aggregates()
    # Only the draft went: it is counted nowhere (the ledger has no row for it).
    assert after.pop("consultations.Response") == before.pop("consultations.Response") - 1
    assert after.pop("consultations.Answer") == before.pop("consultations.Answer") - drafted
    assert after.pop("responses") == [{"status": ResponseStatus.COMPLETE, "n": 1}]
    before.pop("responses")
    assert after == before


def test_each_rule_waits_for_its_full_period(world: World, resident: Participant) -> None:
    event_ends = Rsvp.objects.get(participant=resident).event.ends_at
    apply_retention(now=event_ends + timedelta(days=89))
    assert Rsvp.objects.get(participant=resident).email == "robin@example.org"
    apply_retention(now=event_ends + timedelta(days=91))
    assert Rsvp.objects.get(participant=resident).email == ""


def test_a_second_run_changes_nothing(world: World, resident: Participant) -> None:
    apply_retention(now=timezone.now() + LATER)
    again = apply_retention(now=timezone.now() + LATER)
    assert set(again.values()) == {0}


def test_the_table_names_a_period_for_each_kind_of_data() -> None:
    assert len({rule.data for rule in RETENTION}) == len(RETENTION)
    assert all(rule.kept >= timedelta(0) for rule in RETENTION)


@pytest.mark.django_db
def test_the_daily_command_queues_the_task() -> None:
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "apply_retention_periods" in out.getvalue()
