"""The demo feedback forms: answered after past sessions, on paper and online, all in the
ledger; deterministic and loaded once."""

import pytest
from django.db.models import Count

from coproduce.consultations.demo import load_demo_consultations
from coproduce.consultations.models import Questionnaire, Response
from coproduce.demo.world import load_demo_world
from coproduce.engagement.models import ParticipationRecord


def fingerprint() -> list[tuple[object, ...]]:
    return sorted(
        Response.objects.values_list(
            "questionnaire__title",
            "channel",
            "status",
            "participant__reference",
            "event__starts_at",
        )
    )


@pytest.mark.django_db
def test_the_demo_feedback_forms_are_answered_after_past_sessions_and_counted() -> None:
    # No time limit here (speed is measured in benchmarks/, not asserted): the browser
    # journeys load the world once per run (tests/snapshot.py), and `load_demo` says
    # how long it took.
    load_demo_world(seed=2012)
    talks = Questionnaire.objects.get(title="Feedback after talks")
    refuge = Questionnaire.objects.get(title="Feedback after each coffee morning")
    assert refuge.service.sensitive
    assert refuge.public_title == "Feedback"
    assert refuge.mode == "anonymous"
    responses = Response.objects.filter(status="complete")
    assert responses.filter(questionnaire=talks).count() > 20
    assert responses.filter(questionnaire=refuge).count() > 5
    assert not responses.filter(questionnaire=refuge, participant__isnull=False).exists()
    channels = dict(responses.values_list("channel").annotate(n=Count("pk")))
    assert channels["paper"] > 0
    assert channels["online"] > 0
    # Feedback is about a session (the impact instruments' forms are about no session).
    feedback = responses.filter(questionnaire__in=[talks, refuge])
    assert not feedback.filter(event__isnull=True).exists()
    assert not responses.filter(channel="paper", recorded_by__isnull=True).exists()
    # One ledger record per response, under the form's activity.
    records = ParticipationRecord.objects.filter(kind="answered-form")
    assert records.count() == responses.count()
    assert set(records.values_list("act_key", flat=True)) == {
        f"form-response:{pk}" for pk in responses.values_list("pk", flat=True)
    }
    snapshot = fingerprint()
    load_demo_consultations(seed=2012)  # idempotent
    assert fingerprint() == snapshot
