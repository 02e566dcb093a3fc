"""One ballot per voter under concurrency, through real HTTP against a live server.

PostgreSQL only: it is what production runs, and its row locks make the race real
(SQLite serialises every writer on the whole file, so there is no race to lose).
"""

import re
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar

import pytest
from django.db import connection
from pytest_django import Settings

from coproduce.engagement.models import ParticipationRecord
from coproduce.votes.models import Ballot, Vote
from coproduce.votes.services import codes_issue
from tests.conftest import World
from tests.votes.conftest import make_ballot

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the race is PostgreSQL's to decide"
)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
WORKERS = 40


class Voter:
    """A browser of its own: cookies, and the form's CSRF token."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        found = TOKEN.search(self._send(urllib.request.Request(url), timeout=60)[1])
        assert found is not None
        self.token = found.group(1)

    def vote(self, option: int, code: str) -> int:
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": self.token, "options": option, "code": code}
        ).encode()
        request = urllib.request.Request(self.url, data=data, method="POST")
        # A counted vote redirects (302); the opener follows it to the page (200).
        return self._send(request, timeout=120)[0]

    def _send(self, request: urllib.request.Request, *, timeout: int) -> tuple[int, str]:
        """Send as a browser would, again if the connection is reset before an answer:
        the live server's small listen queue can drop a connection on a loaded machine.
        Sending a ballot again is what the one-vote rules are for."""
        for attempt in range(3):
            try:
                with self.opener.open(request, timeout=timeout) as response:
                    return int(response.status), response.read().decode()
            except ConnectionResetError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def voters(url: str, count: int) -> list[Voter]:
    with ThreadPoolExecutor(WORKERS) as pool:
        return list(pool.map(lambda _n: Voter(url), range(count)))


@pytest.fixture
def ballot(transactional_db: None, world: World, settings: Settings) -> Ballot:
    # Every voter here comes from the test's one address, 127.0.0.1, which the limit on
    # ballots from one address (30 in 10 minutes, tests/core/test_ratelimit.py) would
    # stop. The limit is raised, not removed: every ballot still goes through it.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "ballot": "1000/600"}
    return make_ballot(world)


def test_200_voters_at_once_are_200_votes(
    live_server: object, world: World, ballot: Ballot
) -> None:
    codes = codes_issue(
        ballot=ballot, count=200, batch="Letters", issued_by=world.users["staff of A"]
    )
    option = ballot.options.get(title="Benches by the pond").pk
    crowd = voters(f"{live_server}/votes/{ballot.code}/", len(codes))
    with ThreadPoolExecutor(WORKERS) as pool:
        answers = list(
            pool.map(lambda pair: pair[0].vote(option, pair[1]), zip(crowd, codes, strict=True))
        )
    assert answers == [200] * 200
    assert Vote.objects.filter(ballot=ballot).count() == 200
    assert ParticipationRecord.objects.filter(activity=ballot.activity).count() == 200
    assert ballot.options.get(pk=option).votes.count() == 200


def test_the_same_ballot_sent_50_times_at_once_counts_once(
    live_server: object, world: World, ballot: Ballot
) -> None:
    [code] = codes_issue(
        ballot=ballot, count=1, batch="Letters", issued_by=world.users["staff of A"]
    )
    option = ballot.options.get(title="Mural at the station").pk
    crowd = voters(f"{live_server}/votes/{ballot.code}/", 50)
    with ThreadPoolExecutor(WORKERS) as pool:
        answers = list(pool.map(lambda voter: voter.vote(option, code), crowd))
    # Every submission gets a page (the vote counted, or "already used"), never an error.
    assert answers == [200] * 50
    assert Vote.objects.filter(ballot=ballot).count() == 1
    assert ParticipationRecord.objects.filter(activity=ballot.activity).count() == 1
