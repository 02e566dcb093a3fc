"""The audit trail shows every staff member's work: the organisation's managers only."""

from tests.conftest import World
from tests.matrix import Expectations, only


def expectations(world: World) -> Expectations:
    a = world.library_a.slug
    return {
        "audit:audit": (f"/audit/{a}/", only("manager of A", "superuser")),
        "audit:audit_csv": (f"/audit/{a}/changes.csv", only("manager of A", "superuser")),
    }
