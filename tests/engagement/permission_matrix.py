"""Every URL of the engagement app, with the status each persona gets for a GET.

Library A's staff roles see its service's activities and dashboards; the council's
commissioner and analyst see them because the council funds the service; only A's
managers and staff plan activities. The county roll-up is for the commissioners and
analysts of any public body in that area or above, the police and crime commissioner's
included. The network is for the organisation's staff roles and the officers of the
bodies that back its services.
"""

from datetime import UTC, datetime

from coproduce.engagement.models import ArrivalChannel, ParticipationKind
from coproduce.engagement.services import activity_create, participation_record
from tests.conftest import World
from tests.engagement.conftest import plan
from tests.matrix import BACKERS, Expectations, only

VIEWERS = ("staff of A", "manager of A", *BACKERS, "superuser")
RUNNERS = ("staff of A", "manager of A", "superuser")
# Every public body of the county sees its roll-up, funding or not (a sensitive
# service's participation is not shown there: tests/test_permission_matrix.py).
AREA_BODIES = (*BACKERS, "commissioner not funding A", "superuser")


def expectations(world: World) -> Expectations:
    activity = world.service_a.activities.first() or activity_create(
        service=world.service_a, plan=plan(title="Matrix activity"), created_by=None
    )
    participation_record(
        activity=activity,
        kind=ParticipationKind.ATTENDED_EVENT,
        channel=ArrivalChannel.IN_PERSON,
        act_key="matrix:1",
        people=12,
        occurred_at=datetime(2026, 1, 10, tzinfo=UTC),
    )
    service = f"/engagement/services/{world.service_a.reference}"
    county = f"/engagement/areas/{world.county.code}"
    network = f"/engagement/organisations/{world.library_a.slug}"
    return {
        "engagement:activities": (f"{service}/activities/", only(*VIEWERS)),
        "engagement:activity_new": (f"{service}/activities/new/", only(*RUNNERS)),
        "engagement:activity": (f"{service}/activities/{activity.pk}/", only(*VIEWERS)),
        "engagement:activity_edit": (
            f"{service}/activities/{activity.pk}/edit/",
            only(*RUNNERS),
        ),
        "engagement:ladder": (f"{service}/ladder/", only(*VIEWERS)),
        "engagement:ladder_csv": (f"{service}/ladder/rung.csv", only(*VIEWERS)),
        "engagement:reach": (f"{service}/reach/", only(*VIEWERS)),
        "engagement:reach_csv": (f"{service}/reach/totals.csv", only(*VIEWERS)),
        "engagement:roll_up": (f"{county}/roll-up/", only(*AREA_BODIES)),
        "engagement:roll_up_csv": (f"{county}/roll-up.csv", only(*AREA_BODIES)),
        "engagement:network": (f"{network}/network/", only(*VIEWERS)),
        "engagement:network_csv": (f"{network}/network.csv", only(*VIEWERS)),
    }
