"""Every URL of the votes app, with the status each persona gets for a GET."""

from coproduce.votes.models import Ballot
from tests.conftest import World
from tests.matrix import EVERYONE, PERSONAS, Expectations, only, post_only
from tests.votes.conftest import make_ballot

RUNNERS = ("staff of A", "manager of A", "superuser")
MATRIX_BALLOT = "Permission matrix vote"


def matrix_ballot(world: World) -> Ballot:
    found = Ballot.objects.filter(title=MATRIX_BALLOT).first()
    return found or make_ballot(world, title=MATRIX_BALLOT)


def expectations(world: World) -> Expectations:
    ballot = matrix_ballot(world).code
    service = world.service_a.reference
    return {
        "votes:service_ballots": (f"/votes/services/{service}/", only(*RUNNERS)),
        "votes:ballot_new": (f"/votes/services/{service}/new/", only(*RUNNERS)),
        "votes:ballot": (f"/votes/{ballot}/", EVERYONE),
        # Results exist only once the vote has closed: until then, for everyone, 404.
        "votes:results_csv": (f"/votes/{ballot}/results.csv", dict.fromkeys(PERSONAS, 404)),
        "votes:results_json": (f"/votes/{ballot}/results.json", dict.fromkeys(PERSONAS, 404)),
        "votes:manage": (f"/votes/{ballot}/manage/", only(*RUNNERS)),
        # An open vote can no longer be changed: its runners are sent back to it.
        "votes:edit": (f"/votes/{ballot}/edit/", only(*RUNNERS) | dict.fromkeys(RUNNERS, 302)),
        "votes:publish": post_only(f"/votes/{ballot}/publish/", *RUNNERS),
        "votes:codes": (f"/votes/{ballot}/codes/", only(*RUNNERS)),
        "votes:paper": (f"/votes/{ballot}/paper/", only(*RUNNERS)),
    }
