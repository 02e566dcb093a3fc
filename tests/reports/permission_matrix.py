"""Every URL of reports, with the status each persona gets for a GET."""

from tests.conftest import World
from tests.matrix import BACKERS, Expectations, only

# As the impact results: the provider's staff and the council that funds the service; a
# sensitive service's figures only its provider's staff (tests/reports/test_reports.py).
VIEWERS = ("staff of A", "manager of A", *BACKERS, "superuser")


def expectations(world: World) -> Expectations:
    report = f"/reports/services/{world.service_a.reference}/2026"
    return {
        "reports:impact": (f"{report}/impact/", only(*VIEWERS)),
        "reports:impact_pdf": (f"{report}/impact.pdf?lang=vi", only(*VIEWERS)),
        "reports:council": (f"{report}/council/", only(*VIEWERS)),
        "reports:council_pdf": (f"{report}/council.pdf", only(*VIEWERS)),
    }
