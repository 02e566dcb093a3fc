"""Every URL of the forums app, with the status each persona gets for a GET.

The board is public. Staff pages are for library A's managers and staff, and read only
for the county council's commissioner and analyst (the council funds library A's
service). Raising a point is
for people who came to the meeting (the resident is checked in) and for staff. Writes
are POST only: a GET is refused with 405 for everyone allowed past the sign-in.
"""

from coproduce.accounts.models import Participant
from coproduce.forums.models import ActionPoint, Forum
from coproduce.forums.services import RaisedPoint, action_raise, meeting_check_in
from tests.conftest import World
from tests.forums.conftest import held_meeting, make_forum
from tests.matrix import BACKERS, EVERYONE, SIGNED_IN, Expectations, only, post_only

MATRIX_FORUM = "Permission matrix forum"
RUN = ("staff of A", "manager of A", "superuser")
VIEW = (*RUN, *BACKERS)


def _forum(world: World) -> Forum:
    return Forum.objects.filter(name=MATRIX_FORUM).first() or make_forum(world, MATRIX_FORUM)


def expectations(world: World) -> Expectations:
    forum = _forum(world)
    meeting = held_meeting(forum)
    resident = Participant.objects.get(user=world.users["resident"])
    meeting_check_in(meeting=meeting, participant=resident, checked_in_by=None)
    action = (
        ActionPoint.objects.filter(meeting=meeting).first()
        or (
            action_raise(
                service=world.service_a,
                point=RaisedPoint(said="Rota gaps on Saturday mornings", meeting=meeting),
                raised_by_user=None,
            )[0]
        )
    )
    service = world.service_a.reference
    return {
        "forums:my_meetings": ("/forums/mine/", SIGNED_IN),
        "forums:board": (f"/forums/services/{service}/you-said-we-did/", EVERYONE),
        "forums:service_forums": (f"/forums/services/{service}/", only(*VIEW)),
        "forums:forum_create": (f"/forums/services/{service}/new/", only(*RUN)),
        "forums:action_log": (f"/forums/services/{service}/actions/", only(*VIEW)),
        "forums:action_create": (f"/forums/services/{service}/actions/new/", only(*RUN)),
        "forums:forum": (f"/forums/{forum.pk}/", only(*VIEW)),
        "forums:forum_schedule": post_only(f"/forums/{forum.pk}/schedule/", *RUN),
        "forums:meeting": (f"/forums/meetings/{meeting.pk}/", only(*VIEW)),
        "forums:meeting_minutes": (f"/forums/meetings/{meeting.pk}/minutes/", only(*RUN)),
        "forums:meeting_check_in": post_only(f"/forums/meetings/{meeting.pk}/check-in/", *RUN),
        "forums:meeting_unregistered": post_only(
            f"/forums/meetings/{meeting.pk}/unregistered/", *RUN
        ),
        "forums:meeting_raise": (
            f"/forums/meetings/{meeting.pk}/raise/",
            only(*RUN, "resident"),
        ),
        # The funders read an action; only the people who run the forums change it.
        "forums:action": (f"/forums/actions/{action.pk}/", only(*VIEW), RUN),
        "forums:action_publish": post_only(f"/forums/actions/{action.pk}/publish/", *RUN),
    }
