"""The vocabulary of the permission matrix, shared by every app's expectations.

Each app lists its URLs in ``tests/<app>/permission_matrix.py`` as
``expectations(world) -> {url name: entry}``; the matrix test
(tests/test_permission_matrix.py) merges them and fails on any URL nobody listed.

An entry is ``(path, {persona: status of a GET})``, optionally followed by the personas
who may write there (POST). Without them, whoever gets the page (200) may post it back:
it is their form. Everyone else's POST must be refused and change nothing. A URL that
only takes POST (``post_only``) names its writers. The roles and their rules are in
docs/permissions.md.
"""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import World

PERSONAS = [
    "anonymous",
    "resident",
    "volunteer of A",
    "staff of A",
    "manager of A",
    "staff of B",
    "manager of B",
    "commissioner funding A",
    "commissioner not funding A",
    "analyst",
    "superuser",
]
# The name the tables used before the commissioner not funding A came along.
ALIASES = {"commissioner": "commissioner funding A"}
# The county council's officers, who judge the service the council funds (BACKER_ROLES).
BACKERS = ("commissioner funding A", "analyst")
# Every persona who has signed in: the people who may take part in a public consultation.
ANYONE_SIGNED_IN = tuple(name for name in PERSONAS if name != "anonymous")
SIGN_IN = 302  # anonymous visitors of a private page are sent to sign in
EVERYONE = dict.fromkeys(PERSONAS, 200)
SIGNED_IN = {**EVERYONE, "anonymous": SIGN_IN}
# What a refused POST may answer: sign in, forbidden, not there, or GET only.
REFUSED = frozenset({SIGN_IN, 403, 404, 405})
# A refused POST may still save the visitor's session; it changes nothing else.
WRITES = ("INSERT", "UPDATE", "DELETE")
SESSION_TABLE = "django_session"

Codes = dict[str, int]
Entry = tuple[str, Codes] | tuple[str, Codes, tuple[str, ...]]
Expectations = dict[str, Entry]


def persona(name: str) -> str:
    """The persona a table names, so that a misspelt one fails instead of passing."""
    name = ALIASES.get(name, name)
    if name not in PERSONAS:
        raise ValueError(f"No persona is called {name!r}: see tests/matrix.py")
    return name


def only(*allowed: str, others: int = 403) -> Codes:
    """200 for the named personas, sign-in for anonymous, ``others`` for the rest."""
    named = {persona(name) for name in allowed}
    return {
        name: 200 if name in named else (SIGN_IN if name == "anonymous" else others)
        for name in PERSONAS
    }


def post_only(path: str, *writers: str, get: int = 405) -> Entry:
    """A URL that only changes things: a GET is refused, the named writers may POST."""
    return path, {**dict.fromkeys(PERSONAS, get), "anonymous": SIGN_IN}, writers


def writers(entry: Entry) -> set[str]:
    """Who may POST to an entry's URL."""
    if len(entry) == 3:
        return {persona(name) for name in entry[2]}
    return {name for name, status in entry[1].items() if status == 200}


def client_for(world: World, name: str) -> Client:
    client = Client()
    user = world.users[name]
    if user is not None:
        client.force_login(user)
    return client


def statuses(world: World, name: str, expected: Expectations) -> tuple[Codes, Codes]:
    """(what each URL answered a GET with, what was expected) for one persona."""
    client = client_for(world, name)
    got = {url: client.get(entry[0]).status_code for url, entry in expected.items()}
    return got, {url: entry[1][name] for url, entry in expected.items()}


def wrote(queries: list[dict[str, str]]) -> list[str]:
    """The statements that changed something other than the session."""
    return [
        query["sql"]
        for query in queries
        if query["sql"].lstrip().upper().startswith(WRITES) and SESSION_TABLE not in query["sql"]
    ]


def unrefused_posts(world: World, name: str, expected: Expectations) -> dict[str, str]:
    """Every URL this persona may not write to that took an empty POST from them.

    Refused means an answer in ``REFUSED`` and not one statement that changed data.
    """
    client = client_for(world, name)
    found = {}
    for url, entry in expected.items():
        if name in writers(entry):
            continue
        with CaptureQueriesContext(connection) as captured:
            status = client.post(entry[0]).status_code
        changed = wrote(captured.captured_queries)
        if status not in REFUSED or changed:
            found[url] = f"{status} {changed[:1]}"
    return found
