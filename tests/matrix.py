"""The vocabulary of the permission matrix, shared by every app's expectations.

Each app lists its URLs in ``tests/<app>/permission_matrix.py`` as
``expectations(world) -> {url name: (path, {persona: status})}``; the matrix test
(tests/test_permission_matrix.py) merges them and fails on any URL nobody listed.
"""

from django.test import Client

from tests.conftest import World

PERSONAS = [
    "anonymous",
    "resident",
    "volunteer of A",
    "staff of A",
    "manager of A",
    "manager of B",
    "commissioner",
    "superuser",
]
SIGN_IN = 302  # anonymous visitors of a private page are sent to sign in
EVERYONE = dict.fromkeys(PERSONAS, 200)
SIGNED_IN = {**EVERYONE, "anonymous": SIGN_IN}

Expectations = dict[str, tuple[str, dict[str, int]]]


def only(*allowed: str, others: int = 403) -> dict[str, int]:
    """200 for the named personas, sign-in for anonymous, ``others`` for the rest."""
    return {
        persona: 200 if persona in allowed else (SIGN_IN if persona == "anonymous" else others)
        for persona in PERSONAS
    }


def statuses(
    world: World, persona: str, expected: Expectations
) -> tuple[dict[str, int], dict[str, int]]:
    """(what each URL answered a GET with, what was expected) for one persona."""
    client = Client()
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    got = {name: client.get(path).status_code for name, (path, _codes) in expected.items()}
    return got, {name: codes[persona] for name, (_path, codes) in expected.items()}
