"""The demo logins, one per kind of person, as data.

Each login shows one view of the product, so a visitor can sign in as each in turn and
see what that role may and may not see. They all share one passphrase, printed by
``coproduce demo``: the demo database is a toy, never a deployment.
"""

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from coproduce.accounts.models import User
from coproduce.accounts.services import participant_create, user_sign_up
from coproduce.organisations.models import Organisation, Role
from coproduce.organisations.services import membership_add

# Three words and a year: long enough for the 12-character minimum, not in Django's
# list of common passwords, and easy to type from a printed table.
DEMO_PASSPHRASE = "coproduce-demo-2026"  # noqa: S105 - a published demo passphrase, not a secret # nosec B105


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role_label: str
    # The slug of the organisation the login belongs to; None for no membership.
    organisation_slug: str | None
    role: Role | None
    can_see: str
    superuser: bool = False


LIBRARY_A = "ashmere-parva-community-library"
LIBRARY_B = "fennick-green-community-library"
COUNTY_COUNCIL = "eastmere-county-council"
DV_CHARITY = "eastmere-haven-trust"

DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "library-manager",
        "manager of library A",
        LIBRARY_A,
        Role.MANAGER,
        "library A's dashboard; adds and removes its members",
    ),
    DemoLogin(
        "library-staff",
        "staff of library A",
        LIBRARY_A,
        Role.STAFF,
        "library A's dashboard; cannot change its members",
    ),
    DemoLogin(
        "library-volunteer",
        "volunteer of library A",
        LIBRARY_A,
        Role.VOLUNTEER,
        "public pages only; no dashboard",
    ),
    DemoLogin(
        "resident",
        "resident, no membership",
        None,
        None,
        "public pages and their own profile",
    ),
    DemoLogin(
        "other-library-manager",
        "manager of library B",
        LIBRARY_B,
        Role.MANAGER,
        "library B's dashboard only, not library A's",
    ),
    DemoLogin(
        "refuge-manager",
        "manager of the domestic-violence charity",
        DV_CHARITY,
        Role.MANAGER,
        "the charity's dashboard, including its sensitive refuge",
    ),
    DemoLogin(
        "county-commissioner",
        "commissioner at the county council",
        COUNTY_COUNCIL,
        Role.COMMISSIONER,
        "the county council's dashboard",
    ),
    DemoLogin(
        "analyst",
        "analyst at the county council",
        COUNTY_COUNCIL,
        Role.ANALYST,
        "the county council's dashboard",
    ),
    DemoLogin(
        "admin",
        "superuser",
        None,
        None,
        "everything, including the admin site",
        superuser=True,
    ),
)


def create_demo_logins(organisations: dict[str, Organisation], rng: random.Random) -> list[User]:
    """Create every demo login with its participant profile and membership.

    The superuser is made with the model manager (user_sign_up has no superuser path)
    and then given a participant, like every other login. Every reference is drawn from
    the seeded generator, so the whole world repeats with the seed.
    """
    users: list[User] = []
    for login in DEMO_LOGINS:
        if login.superuser:
            user = get_user_model().objects.create_superuser(
                username=login.username, password=DEMO_PASSPHRASE
            )
            participant_create(user=user, rng=rng)
        else:
            user = user_sign_up(username=login.username, password=DEMO_PASSPHRASE, rng=rng)
        if login.organisation_slug is not None and login.role is not None:
            membership_add(
                organisation=organisations[login.organisation_slug],
                username=login.username,
                role=login.role,
                added_by=None,
            )
        users.append(user)
    return users


def logins_table() -> str:
    """The logins as a fixed-width text table for a terminal."""
    header = ("role", "username", "passphrase", "can see")
    rows = [header] + [
        (login.role_label, login.username, DEMO_PASSPHRASE, login.can_see) for login in DEMO_LOGINS
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)
