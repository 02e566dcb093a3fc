import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from coproduce.accounts.models import Participant, User
from coproduce.engagement.models import ParticipationKind, ParticipationRecord
from coproduce.forums.models import ActionChange, ActionPoint, ActionSource, ActionStatus, Meeting
from coproduce.forums.services import (
    RaisedPoint,
    action_publish,
    action_raise,
    action_update,
    meeting_check_in,
)
from tests.conftest import World


def client_of(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def raise_point(
    world: World, meeting: Meeting, said: str = "Rota gaps on Saturdays"
) -> ActionPoint:
    action, _created = action_raise(
        service=world.service_a,
        point=RaisedPoint(said=said, meeting=meeting),
        raised_by_user=world.users["staff of A"],
    )
    return action


@pytest.fixture
def attended(meeting: Meeting, resident: Participant) -> Participant:
    meeting_check_in(meeting=meeting, participant=resident, checked_in_by=None)
    return resident


def test_a_person_who_came_raises_a_point_and_it_is_a_proposal_in_the_ledger(
    world: World, meeting: Meeting, attended: Participant
) -> None:
    client = client_of(world.users["resident"])
    url = f"/forums/meetings/{meeting.pk}/raise/"
    data = {"said": "A quiet room for children", "submission_key": "form-1"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the same form sent twice
    action = ActionPoint.objects.get()
    assert (action.raised_by, action.meeting, action.source) == (attended, meeting, "forum")
    record = ParticipationRecord.objects.get(kind=ParticipationKind.PROPOSED)
    assert (record.participant, record.act_key) == (attended, f"forum-point:{action.pk}")


def test_a_person_who_did_not_come_cannot_raise_a_point(world: World, meeting: Meeting) -> None:
    client = client_of(world.users["resident"])
    response = client.post(
        f"/forums/meetings/{meeting.pk}/raise/", {"said": "x", "submission_key": "k"}
    )
    assert response.status_code == 403
    assert not ActionPoint.objects.exists()


def test_an_anonymous_raiser_is_never_shown_nor_kept(
    world: World, meeting: Meeting, attended: Participant
) -> None:
    resident = client_of(world.users["resident"])
    resident.post(
        f"/forums/meetings/{meeting.pk}/raise/",
        {"said": "Evening sessions for working mums", "anonymous": "on", "submission_key": "k"},
    )
    action = ActionPoint.objects.get()
    assert action.anonymous
    assert action.raised_by is None
    # Nothing joins the person (or their login) to the point: not the ledger, not the history.
    record = ParticipationRecord.objects.get(kind=ParticipationKind.PROPOSED)
    assert record.participant is None
    assert record.recorded_by is None
    assert ActionChange.objects.get().changed_by is None
    action_publish(action=action, published=True, published_by=None)
    staff = client_of(world.users["manager of A"])
    pages = {
        "board": client_of(None).get(
            f"/forums/services/{world.service_a.reference}/you-said-we-did/"
        ),
        "log": staff.get(f"/forums/services/{world.service_a.reference}/actions/"),
        "action": staff.get(f"/forums/actions/{action.pk}/"),
    }
    for name, page in pages.items():
        content = page.content.decode()
        assert "Evening sessions for working mums" in content, name
        assert attended.reference not in content, name
        assert "resident" not in content.replace("Anonymous", ""), name
    assert "Anonymous" in pages["log"].content.decode()
    meeting_page = staff.get(f"/forums/meetings/{meeting.pk}/").content.decode()
    points_section = meeting_page.split("Points raised")[1].split("Who came")[0]
    assert attended.reference not in points_section


def test_a_named_raiser_shows_to_staff_by_reference_only_and_never_publicly(
    world: World, meeting: Meeting, attended: Participant
) -> None:
    action, _created = action_raise(
        service=world.service_a,
        point=RaisedPoint(said="More large-print books", meeting=meeting, raised_by=attended),
        raised_by_user=world.users["resident"],
    )
    action_publish(action=action, published=True, published_by=None)
    log = client_of(world.users["staff of A"]).get(
        f"/forums/services/{world.service_a.reference}/actions/"
    )
    assert attended.reference in log.content.decode()
    board = client_of(None).get(f"/forums/services/{world.service_a.reference}/you-said-we-did/")
    assert attended.reference not in board.content.decode()


def test_done_without_an_outcome_is_refused_and_nothing_is_lost(
    world: World, meeting: Meeting
) -> None:
    action = raise_point(world, meeting)
    with pytest.raises(ValidationError) as error:
        action_update(
            action=action,
            status=ActionStatus.DONE,
            outcome=" ",
            owner=None,
            due_on=None,
            note="",
            updated_by=None,
        )
    assert "outcome" in error.value.message_dict
    client = client_of(world.users["staff of A"])
    response = client.post(
        f"/forums/actions/{action.pk}/",
        {"status": "done", "outcome": "", "note": "A note I typed with care"},
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Say what was done, or why it is not possible" in content
    assert "A note I typed with care" in content
    action.refresh_from_db()
    assert (action.status, action.outcome) == ("open", "")


def test_closing_and_reopening_a_point_keeps_its_history(world: World, meeting: Meeting) -> None:
    action = raise_point(world, meeting)
    owner = world.users["staff of A"]
    client = client_of(world.users["manager of A"])
    response = client.post(
        f"/forums/actions/{action.pk}/",
        {"status": "done", "outcome": "Two new volunteers on Saturdays", "owner": owner.pk},  # type: ignore[union-attr]
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.owner, action.closed_on is not None) == ("done", owner, True)
    refused = client.post(f"/forums/actions/{action.pk}/", {"status": "open", "outcome": "x"})
    assert "Say why the point is being reopened." in refused.content.decode()
    client.post(
        f"/forums/actions/{action.pk}/",
        {"status": "in-progress", "outcome": "x", "note": "One volunteer left"},
    )
    action.refresh_from_db()
    assert (action.status, action.closed_on) == ("in-progress", None)
    notes = list(action.changes.values_list("status_to", "note"))
    assert notes[-1] == ("in-progress", "One volunteer left")
    assert len(notes) == 3


def test_the_owner_must_work_for_the_provider(world: World, meeting: Meeting) -> None:
    action = raise_point(world, meeting)
    with pytest.raises(ValidationError):
        action_update(
            action=action,
            status=ActionStatus.IN_PROGRESS,
            outcome="",
            owner=world.users["manager of B"],
            due_on=None,
            note="",
            updated_by=None,
        )


def test_publish_and_unpublish(world: World, meeting: Meeting) -> None:
    action = raise_point(world, meeting, "Rota gaps on Saturday mornings")
    board_url = f"/forums/services/{world.service_a.reference}/you-said-we-did/"
    assert "Rota gaps" not in client_of(None).get(board_url).content.decode()
    staff = client_of(world.users["staff of A"])
    staff.post(f"/forums/actions/{action.pk}/publish/", {"published": "1"})
    assert "Rota gaps" in client_of(None).get(board_url).content.decode()
    staff.post(f"/forums/actions/{action.pk}/publish/", {"published": "0"})
    assert "Rota gaps" not in client_of(None).get(board_url).content.decode()


def test_the_board_filters_by_status_without_javascript(world: World, meeting: Meeting) -> None:
    done = raise_point(world, meeting, "Evening sessions")
    action_update(
        action=done,
        status=ActionStatus.DONE,
        outcome="Moved to Thursday 6pm",
        owner=None,
        due_on=None,
        note="",
        updated_by=None,
    )
    raise_point(world, meeting, "A quiet room")
    for action in ActionPoint.objects.all():
        action_publish(action=action, published=True, published_by=None)
    url = f"/forums/services/{world.service_a.reference}/you-said-we-did/"
    everything = client_of(None).get(url).content.decode()
    assert everything.index("A quiet room") < everything.index("Evening sessions")  # newest first
    only_done = client_of(None).get(url, {"status": "done"}).content.decode()
    assert "Evening sessions" in only_done
    assert "Moved to Thursday 6pm" in only_done
    assert "A quiet room" not in only_done
    bad = client_of(None).get(url, {"status": "nonsense"})
    assert bad.status_code == 200
    assert "A quiet room" in bad.content.decode()


def test_a_consultation_theme_gets_a_staff_response(world: World) -> None:
    client = client_of(world.users["staff of A"])
    response = client.post(
        f"/forums/services/{world.service_a.reference}/actions/new/",
        {
            "said": "Longer opening hours on Saturdays",
            "source": "consultation",
            "source_detail": "User survey 2026: opening hours",
            "submission_key": "k",
        },
    )
    assert response.status_code == 302
    action = ActionPoint.objects.get()
    assert (action.source, action.forum) == (ActionSource.CONSULTATION, None)
    assert not ParticipationRecord.objects.exists()  # the consultation counted its answers


def test_other_organisations_staff_cannot_touch_the_action_log(
    world: World, meeting: Meeting
) -> None:
    action = raise_point(world, meeting)
    with pytest.raises(PermissionDenied):
        action_publish(action=action, published=True, published_by=world.users["manager of B"])
    client = client_of(world.users["manager of B"])
    assert (
        client.post(f"/forums/actions/{action.pk}/publish/", {"published": "1"}).status_code == 403
    )
    assert (
        client.post(f"/forums/actions/{action.pk}/", {"status": "done", "outcome": "x"}).status_code
        == 403
    )
    commissioner = client_of(world.users["commissioner"])  # reads, but cannot change
    assert commissioner.get(f"/forums/actions/{action.pk}/").status_code == 200
    assert (
        commissioner.post(
            f"/forums/actions/{action.pk}/", {"status": "done", "outcome": "x"}
        ).status_code
        == 403
    )
    action.refresh_from_db()
    assert (action.status, action.published) == ("open", False)


def test_a_sensitive_service_board_has_a_neutral_title(world: World) -> None:
    world.service_a.sensitive = True
    world.service_a.save(update_fields=["sensitive"])
    page = client_of(None).get(f"/forums/services/{world.service_a.reference}/you-said-we-did/")
    title = page.content.decode().split("<title>")[1].split("</title>")[0]
    assert world.service_a.name not in page.content.decode()
    assert "Support service" in title


def test_a_person_finds_the_meetings_they_came_to(
    world: World, meeting: Meeting, attended: Participant
) -> None:
    page = client_of(world.users["resident"]).get("/forums/mine/").content.decode()
    assert f"/forums/meetings/{meeting.pk}/raise/" in page
    other = client_of(world.users["volunteer of A"]).get("/forums/mine/").content.decode()
    assert f"/forums/meetings/{meeting.pk}/raise/" not in other
