"""What the history keeps: staff changes with their author, never residents' words."""

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from coproduce.audit.models import TRACKED
from coproduce.audit.records import is_private
from coproduce.deliberation.models import Comment
from coproduce.deliberation.services import comment_add, moderate
from coproduce.events.models import Event, Rsvp
from coproduce.events.services import EventDetails, event_update
from tests.audit.conftest import client_of, edit_capacity
from tests.conftest import World
from tests.consultations.test_sending_whole import answers, entry_key, one_section_form, page_url
from tests.deliberation.conftest import make_consultation, person


def test_a_staff_edit_keeps_who_made_it_and_what_changed(world: World, event: Event) -> None:
    edit_capacity(client_of(world, "manager of A"), event, 35)

    latest, before = event.history.all()[:2]  # type: ignore[attr-defined]
    assert latest.history_user == world.users["manager of A"]
    assert latest.history_type == "~"
    changes = {c.field: (c.old, c.new) for c in latest.diff_against(before).changes}
    assert changes["capacity"] == (20, 35)


def test_a_change_made_outside_a_request_has_no_person(world: World, event: Event) -> None:
    details = EventDetails(
        title=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        place=event.place,
        capacity=10,
    )
    event_update(event=event, details=details, updated_by=None)

    assert event.history.first().history_user is None  # type: ignore[attr-defined]


def test_every_tracked_kind_keeps_its_history_in_the_audit_app() -> None:
    for tracked in TRACKED:
        assert tracked.history.model._meta.app_label == "audit"


def test_no_history_copies_free_text_contact_details_or_a_person() -> None:
    copied = [
        f"{tracked.key}.{field.name}"
        for tracked in TRACKED
        for field in tracked.history.model._meta.fields
        if is_private(field)
    ]
    assert copied == []


@pytest.mark.parametrize(
    "label",
    [
        "consultations.response",
        "consultations.answer",
        "engagement.participationrecord",
        "events.rsvp",
        "deliberation.support",
        "votes.vote",
    ],
)
def test_what_residents_write_in_volume_has_no_history(label: str) -> None:
    model = apps.get_model(label)
    assert not hasattr(model._meta, "simple_history_manager_attribute")
    assert not hasattr(Rsvp, "history")


def test_a_comment_is_kept_from_its_moderation_not_from_its_sending(world: World) -> None:
    consultation = make_consultation(world)
    _user, participant = person(world)
    comment = comment_add(
        consultation=consultation,
        author=None,
        participant=participant,
        text="Open at nine, please: my name is Sam Smith",
        submission_key="audit-comment-1",
    )
    assert not comment.history.exists()  # type: ignore[attr-defined]

    moderate(item=comment, publish=True, note="", moderated_by=world.users["manager of A"])

    row = Comment.history.get()  # type: ignore[attr-defined]
    assert row.status == "published"
    assert not hasattr(row, "text")


def test_sending_a_survey_writes_no_history(world: World) -> None:
    questionnaire = one_section_form(world)
    client = Client()
    sending = answers(questionnaire, entry_key(client, questionnaire))

    with CaptureQueriesContext(connection) as captured:
        sent = client.post(page_url(questionnaire), sending)

    assert sent.status_code == 302
    assert not [q["sql"] for q in captured.captured_queries if "audit_" in q["sql"]]
