"""Load-test Coproduce's public pages on gunicorn + PostgreSQL against a bare Django app.

The question (issue #5, point 8): how many requests a second do two gunicorn sync
workers serve, on this machine, for

* **the public survey submission**: an anonymous, one-section, published form
  (``/consultations/f/<code>/1/``), whose single POST sends the whole form: its checked
  answers kept as one row, filed later by a task worker as the response, its answer and
  its one participation record (consultations' ``response_send`` and
  ``sendings_file``, the ledger's ``participation_record``); then it redirects to the
  thank-you page; each POST carries its own entry key (a page sent twice counts once);
  measured with no worker running (the rows are filed after, timed), and again with one
  ``db_worker`` filing on the same cores; compared with the
  **ceiling**: a bare one-view Django app (``benchmarks/bare/``) whose POST inserts one
  JSON row into a one-table PostgreSQL database. Target: at least 50 % of the ceiling.
* **the public consultation page** (``/have-your-say/<code>/``) of an open consultation
  with 1,000 published proposals with supports and comments, as an anonymous visitor;
  compared with a bare template view rendering a static list of 20 items. Target: at
  least 30 %.

The data (deterministic, ``--seed``): the demo world, plus in the library service an
anonymous form with one section and one required Likert question, and a consultation
open from a week ago for a year with ``--proposals`` published proposals (and 5 % more
waiting for moderation), 300 participants supporting them (0-60 supports a proposal,
most a few), 0-6 comments on each proposal (a tenth of them not published) and 80 on the
question. Generated once into its own database (``bulk_create`` for the proposals,
supports and comments), reused while the proposal count and seed stand.

Method: both apps run at the same time on loopback, each with ``gunicorn -w 2`` (sync
workers, no access log); Coproduce with ``COPRODUCE_ENV=production`` (DEBUG off, JSON
request log to a file, compressed static files from ``collectstatic``) and tasks queued
in the database. Each row is a warm-up ``wrk`` run of 3 s, then a measured
``wrk -t2 -c16 -d20s`` (``--threads``, ``--connections``, ``--duration``); the rows run
one after the other, so the apps never compete for the cores. The ceiling and the
submission take turns, ``--rounds`` (3) runs of each after one warm-up of each: the
share reported is the median round's (every round is printed), as this machine's speed
drifts by a fifth from one half-minute to the next, and a lone run of each compared
moments, not apps. Each round also prints the CPU time a request took in each app's
processes and in PostgreSQL's (from /proc, around the run): steadier than requests a
second, and it says where the time goes. The POSTs come from a
small Lua script (written next to the results): the form's POST carries a ``csrftoken``
cookie and the same token in the form field, both taken from one GET of the form before
the run, and no session cookie, so every POST begins a new response. Reported from wrk's ``done()``:
requests a second, p50 and p99 latency, requests answered with a status over 399 and
socket errors. Around the submission runs the rows added to the database are counted
and compared with what wrk saw: nothing is filed while no worker runs, every row kept is
filed once, and the responses and ledger records filed must equal each other and lie
between the POSTs completed with a 2xx/3xx and the POSTs sent (a request in flight when
wrk stops is still served). The SQL queries are counted in process
(``CaptureQueriesContext``, Django's test client, same data), not under load.

Usage: ``.venv/bin/python -m benchmarks.bench_public`` (the databases
``coproduce_bench_public`` and ``bare_bench`` are created if missing; ``DATABASE_URL``
and ``BARE_DATABASE_URL`` choose others). Needs ``wrk`` (``make bench-public`` installs
it).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch
from urllib.parse import urlencode

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/coproduce_bench_public"
DEFAULT_BARE_URL = "postgres://postgres@127.0.0.1:5432/bare_bench"
PROJECT_DIR = Path(__file__).resolve().parent.parent
WORK_DIR = PROJECT_DIR / "var" / "bench_public"
HOST = "127.0.0.1"
FORM_TITLE = "Bench: one-section anonymous form"
CONSULTATION_PREFIX = "Bench consultation"
SUBMIT_TARGET = 0.50
PAGE_TARGET = 0.30
PARTICIPANTS = 300
# The servers' and this process's (field keys are derived from it), for loopback only.
SECRET_KEY = "bench-public-" + "x" * 50
SERVICE = "Ashmere Parva Community Library"
MANAGER = "library-manager"


def ensure_database(url: str) -> None:
    """Create a PostgreSQL database when it does not exist."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coproduce.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["COPRODUCE_TASKS"] = "database"  # as the servers: answers filed by a worker
    os.environ["SECRET_KEY"] = SECRET_KEY  # as the servers: this process reads what they encrypt
    import django

    django.setup()


# ---------------------------------------------------------------------------------------
# The data


def prepare_bare(url: str) -> None:
    """The bare app's one table, emptied."""
    import psycopg

    from benchmarks.bare.schema import CREATE_TABLE

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(CREATE_TABLE)
        connection.execute("TRUNCATE bare_row")


def bare_rows(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as connection:
        row = connection.execute("SELECT count(*) FROM bare_row").fetchone()
    return int(row[0]) if row else 0


def ensure_form() -> Any:
    """The anonymous one-section form, published (made once)."""
    from coproduce.accounts.models import User
    from coproduce.consultations.models import QuestionKind, Questionnaire, ResponseMode
    from coproduce.consultations.services import (
        QuestionnairePlan,
        QuestionSpec,
        Texts,
        question_add,
        questionnaire_create,
        section_add,
        version_publish,
    )
    from coproduce.engagement.models import Activity
    from coproduce.organisations.models import Service

    found = Questionnaire.objects.filter(title=FORM_TITLE).first()
    if found is not None:
        return found
    service = Service.objects.get(name=SERVICE)
    manager = User.objects.get(username=MANAGER)
    activity = Activity.objects.filter(service=service).order_by("pk").first()
    assert activity is not None, "the demo's library has no activity"
    questionnaire = questionnaire_create(
        service=service,
        plan=QuestionnairePlan(
            title=FORM_TITLE,
            public_title="How was your visit?",
            mode=ResponseMode.ANONYMOUS,
            activity=activity,
        ),
        created_by=manager,
        rng=random.Random("bench-public-form"),
    )
    section = section_add(questionnaire=questionnaire, title=Texts("Your visit"), added_by=manager)
    question_add(
        section=section,
        spec=QuestionSpec(
            kind=QuestionKind.LIKERT, text=Texts("I found what I came for"), required=True
        ),
        added_by=manager,
    )
    version_publish(questionnaire=questionnaire, published_by=manager)
    return questionnaire


def consultation_title(proposals: int, seed: int) -> str:
    return f"{CONSULTATION_PREFIX} ({proposals} proposals, seed {seed})"


def ensure_consultation(proposals: int, seed: int) -> Any:
    """The open consultation with ``proposals`` published proposals (made once)."""
    from django.db import transaction
    from django.utils import timezone

    from coproduce.accounts.models import Participant, User
    from coproduce.core.references import new_reference
    from coproduce.deliberation.models import (
        Comment,
        Consultation,
        Moderation,
        Proposal,
        Support,
    )
    from coproduce.deliberation.services import (
        ConsultationDetails,
        consultation_create,
        consultation_publish,
        proposal_counts_recount,
    )
    from coproduce.organisations.models import Service

    title = consultation_title(proposals, seed)
    found = Consultation.objects.filter(title=title).first()
    if found is not None:
        return found
    started = time.perf_counter()
    rng = random.Random(f"bench-public-{seed}")
    service = Service.objects.get(name=SERVICE)
    manager = User.objects.get(username=MANAGER)
    now = timezone.now()
    with transaction.atomic():
        consultation = consultation_create(
            service=service,
            details=ConsultationDetails(
                title=title,
                question="How should the library use its Sunday afternoons?",
                background="The parish council offers the library four more hours a week.",
                opens_at=now - timedelta(days=7),
                closes_at=now + timedelta(days=365),
            ),
            created_by=manager,
            rng=rng,
        )
        consultation_publish(consultation=consultation, published_by=manager)
        people = Participant.objects.bulk_create(
            Participant(reference=new_reference("P", rng=rng)) for _ in range(PARTICIPANTS)
        )
        pending = proposals // 20
        made = Proposal.objects.bulk_create(
            Proposal(
                consultation=consultation,
                participant=rng.choice(people),
                display_name=f"Resident {number}",
                status=Moderation.PUBLISHED if number < proposals else Moderation.PENDING,
                submission_key=f"bench-proposal-{seed}-{number}",
                title=f"Proposal {number + 1}: {rng.choice(IDEAS)}",
                text=" ".join(rng.choice(IDEAS) for _ in range(4)),
            )
            for number in range(proposals + pending)
        )
        published = made[:proposals]
        supports: list[Any] = []
        for proposal in published:
            count = min(int(3 * rng.paretovariate(1.2)) - 3, 60)
            supports += [
                Support(proposal=proposal, participant=person)
                for person in rng.sample(people, count)
            ]
        Support.objects.bulk_create(supports, batch_size=5_000)
        comments: list[Any] = []
        for proposal in published:
            for _ in range(rng.randint(0, 6)):
                comments.append(_comment(consultation, proposal, people, rng, len(comments)))
        for _ in range(80):
            comments.append(_comment(consultation, None, people, rng, len(comments)))
        Comment.objects.bulk_create(comments, batch_size=5_000)
        proposal_counts_recount(consultation)  # bulk_create runs no service
    print(
        f"generated a consultation with {proposals:,} published proposals, "
        f"{len(supports):,} supports and {len(comments):,} comments "
        f"in {time.perf_counter() - started:.0f} s"
    )
    return consultation


IDEAS = [
    "a homework club",
    "a repair café",
    "a quiet study room",
    "board games for families",
    "talks by local speakers",
    "a seed library",
    "digital help for older residents",
    "storytime in Vietnamese",
    "a local history archive",
    "a film club",
]


def _comment(
    consultation: Any, proposal: Any, people: list[Any], rng: random.Random, n: int
) -> Any:
    from coproduce.deliberation.models import Comment, Moderation

    return Comment(
        consultation=consultation,
        proposal=proposal,
        participant=rng.choice(people),
        display_name=f"Neighbour {n}",
        status=Moderation.PUBLISHED if rng.random() < 0.9 else Moderation.PENDING,
        submission_key=f"bench-comment-{consultation.pk}-{n}",
        text=f"I would come to {rng.choice(IDEAS)}.",
    )


def prepare_coproduce(proposals: int, seed: int) -> tuple[Any, Any]:
    from django.core.management import call_command
    from django.db import connection

    from coproduce.demo.world import load_demo_world

    call_command("migrate", verbosity=0, interactive=False)
    load_demo_world()
    form = ensure_form()
    consultation = ensure_consultation(proposals, seed)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return form, consultation


@dataclass(frozen=True)
class Counts:
    responses: int
    records: int
    waiting: int  # sent and not yet filed

    def __sub__(self, other: Counts) -> Counts:
        return Counts(
            self.responses - other.responses,
            self.records - other.records,
            self.waiting - other.waiting,
        )


def coproduce_counts(form: Any) -> Counts:
    from coproduce.consultations.models import Response, ResponseStatus, Sending
    from coproduce.engagement.models import ParticipationRecord

    complete = Response.objects.filter(questionnaire=form, status=ResponseStatus.COMPLETE)
    records = ParticipationRecord.objects.filter(act_key__startswith="form-response:").filter(
        pk__in=complete.values("record")
    )
    waiting = Sending.objects.filter(version__questionnaire=form)
    return Counts(complete.count(), records.count(), waiting.count())


@dataclass(frozen=True)
class Filing:
    filed: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.filed / self.seconds if self.seconds else 0.0


def file_waiting() -> Filing:
    """File every sending waiting, in this process (as one task worker would), timed;
    the filing tasks the servers asked for are then moot and are removed."""
    from django_tasks_db.models import DBTaskResult

    from coproduce.consultations.services import sendings_file

    started = time.perf_counter()
    filed = sendings_file()
    seconds = time.perf_counter() - started
    DBTaskResult.objects.filter(task_path__endswith=".file_sendings", status="READY").delete()
    return Filing(filed, seconds)


def count_queries(form: Any, consultation: Any) -> dict[str, int]:
    """SQL queries of one request of each Coproduce path, in process, anonymous; the page
    from its cache, and with the cache emptied (as after a write)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from coproduce.core.antispam import SHOWN_AT, shown_at_token

    page = reverse("deliberation:consultation", args=[consultation.code])
    submit = reverse("consultations:answer_section", args=[form.code, 1])
    key = form.versions.get(status="published").questions.get().field_name
    with patch("time.time", return_value=time.time() - 60):
        shown = shown_at_token()  # the form was shown a minute ago, as to a person
    requests = {
        "page": lambda client: client.get(page),
        "submit": lambda client: client.post(
            submit, {key: "4", "entry_key": new_key() * 2, SHOWN_AT: shown}
        ),
    }
    expected = {"page": 200, "submit": 302}
    found = {}
    for name, send in requests.items():
        for _ in range(2):  # the first one warms the caches (content types, templates)
            with CaptureQueriesContext(connection) as queries:
                answer = send(Client(HTTP_HOST=HOST))
        if answer.status_code != expected[name]:
            raise RuntimeError(f"{name} gave {answer.status_code}, not {expected[name]}")
        found[name] = len(queries.captured_queries)
    cache.clear()  # as after a write: the page's shared part is rendered again
    with CaptureQueriesContext(connection) as queries:
        requests["page"](Client(HTTP_HOST=HOST))
    found["page after a write"] = len(queries.captured_queries)
    return found


# ---------------------------------------------------------------------------------------
# The servers and the load


class Server:
    """A process (``gunicorn -w N``, or a task worker) in its own process group, stopped
    with the whole group."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], port: int = 0):
        self.name, self.port = name, port
        WORK_DIR.mkdir(parents=True, exist_ok=True)
        self.log = WORK_DIR / f"{name}.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(  # noqa: S603 - a fixed argument list
                command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self, path: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log}")
            try:
                status, _headers, _body = fetch(self.port, "GET", path)
                if status < 500:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not answer within {timeout:.0f} s; see {self.log}")

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)
        except ProcessLookupError:
            pass


def gunicorn(app: str, port: int, workers: int) -> list[str]:
    return [
        str(Path(sys.executable).parent / "gunicorn"),
        app,
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        f"--chdir={PROJECT_DIR}",
    ]


# One task worker, as ``make serve`` runs beside gunicorn, looking for work every 0.1 s.
DB_WORKER = [sys.executable, "-m", "coproduce.cli", "db_worker", "--no-reload", "--interval=0.1"]


def fetch(
    port: int,
    method: str,
    path: str,
    body: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, list[tuple[str, str]], str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, answer.getheaders(), answer.read().decode("utf-8", "replace")
    finally:
        connection.close()


def form_page(port: int, path: str) -> tuple[str, dict[str, str]]:
    """The csrftoken cookie and the hidden fields a browser sends back with the form (its
    CSRF token and the signed time it was shown, which the anti-bot check reads), from
    one GET of the form."""
    from coproduce.core.antispam import SHOWN_AT

    status, headers, body = fetch(port, "GET", path)
    assert status == 200, f"GET {path} gave {status}"
    cookie = next(
        (
            value.split(";", 1)[0].split("=", 1)[1]
            for name, value in headers
            if name.lower() == "set-cookie" and value.startswith("csrftoken=")
        ),
        None,
    )
    fields = {
        name: re.search(rf'name="{name}" value="([^"]+)"', body)
        for name in ("csrfmiddlewaretoken", SHOWN_AT)
    }
    if cookie is None or None in fields.values():
        raise RuntimeError("the form page gave no CSRF cookie, CSRF field or time shown")
    return cookie, {name: found.group(1) for name, found in fields.items() if found}


LUA = """-- Written by benchmarks/bench_public.py for one wrk run.
wrk.method = {method}
wrk.body = {body}
{headers}
local threads = {{}}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
sent = 0
local prepared = nil
function init(args)
  prepared = wrk.format()
end
{request}
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("sent")
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {{"requests": %d, "sent": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
      .. '"status_errors": %d, "socket_errors": %d}}\\n',
    summary.requests, total, summary.duration, latency:percentile(50),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
"""


# Every request the same (prepared once).
SAME_REQUEST = """function request()
  sent = sent + 1
  return prepared
end"""
# The body ends with a field whose value each request completes with its own key: a
# prefix of this run, the thread and a counter (a page sent twice counts once).
KEYED_REQUEST = """function request()
  sent = sent + 1
  return wrk.format(nil, nil, nil, wrk.body .. string.format("%s%02d%010d", {prefix}, id, sent))
end"""


def lua_script(
    name: str, method: str, body: str | None, headers: dict[str, str], *, keyed: bool = False
) -> Path:
    def quote(text: str) -> str:
        return json.dumps(text)  # a JSON string of ASCII is a valid Lua string

    lines = "\n".join(f"wrk.headers[{quote(k)}] = {quote(v)}" for k, v in headers.items())
    request = KEYED_REQUEST.format(prefix=quote(new_key())) if keyed else SAME_REQUEST
    path = WORK_DIR / f"{name}.lua"
    path.write_text(
        LUA.format(
            method=quote(method),
            body=quote(body) if body else "nil",
            headers=lines,
            request=request,
        )
    )
    return path


def new_key() -> str:
    """A random start for one run's entry keys (letters and digits only)."""
    return "".join(random.SystemRandom().choices("abcdefghijklmnopqrstuvwxyz0123456789", k=12))


@dataclass(frozen=True)
class Load:
    requests: int
    sent: int
    seconds: float
    p50_ms: float
    p99_ms: float
    status_errors: int
    socket_errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    @property
    def ok(self) -> int:
        """Requests answered with a 2xx or 3xx status."""
        return self.requests - self.status_errors

    @property
    def errors(self) -> int:
        """Statuses over 399 and socket errors."""
        return self.status_errors + self.socket_errors


def wrk(port: int, path: str, script: Path, args: argparse.Namespace, seconds: int) -> Load:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        "--timeout=10s",
        f"--script={script}",
        f"http://{HOST}:{port}{path}",
    ]
    run = subprocess.run(  # noqa: S603 - a fixed argument list
        command, capture_output=True, text=True, timeout=seconds + 60, check=True
    )
    line = next(line for line in run.stdout.splitlines() if line.startswith("RESULT "))
    found = json.loads(line.removeprefix("RESULT "))
    return Load(
        requests=found["requests"],
        sent=found["sent"],
        seconds=found["duration_us"] / 1e6,
        p50_ms=found["p50_us"] / 1000,
        p99_ms=found["p99_us"] / 1000,
        status_errors=found["status_errors"],
        socket_errors=found["socket_errors"],
    )


def _cpu_by_process(wanted: Callable[[str, int], bool]) -> dict[int, float]:
    """CPU time (user and system) of each running process ``wanted(name, group)``
    chooses, by process id, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        if wanted(name, int(fields[2])):
            found[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / tick
    return found


def _cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU spent between two readings by the processes running at the second (one that
    ended in between, such as an autovacuum worker, is left out: a little less than
    was spent, never less than nothing)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


@dataclass(frozen=True)
class Cost:
    """CPU a request, in microseconds: the app's processes, and PostgreSQL's."""

    app_us: float
    database_us: float


def costed(server: Server, path: str, script: Path, args: argparse.Namespace) -> tuple[Load, Cost]:
    """A measured run of the server, and the CPU it cost the server's process group and
    PostgreSQL a request."""

    def app() -> dict[int, float]:
        return _cpu_by_process(lambda _name, group: group == server.process.pid)

    def database() -> dict[int, float]:
        return _cpu_by_process(lambda name, _group: name == "postgres")

    app_before, database_before = app(), database()
    load = wrk(server.port, path, script, args, args.duration)
    requests = max(load.requests, 1)
    return load, Cost(
        _cpu_spent(app_before, app()) / requests * 1e6,
        _cpu_spent(database_before, database()) / requests * 1e6,
    )


def total(loads: Iterable[Load]) -> Load:
    """Runs taken together: their requests, time and errors summed (latencies: the
    slowest run's)."""
    every = list(loads)
    return Load(
        requests=sum(load.requests for load in every),
        sent=sum(load.sent for load in every),
        seconds=sum(load.seconds for load in every),
        p50_ms=max(load.p50_ms for load in every),
        p99_ms=max(load.p99_ms for load in every),
        status_errors=sum(load.status_errors for load in every),
        socket_errors=sum(load.socket_errors for load in every),
    )


def measure(port: int, path: str, script: Path, args: argparse.Namespace) -> Load:
    """A short warm-up run, then the measured one."""
    wrk(port, path, script, args, args.warmup)
    return wrk(port, path, script, args, args.duration)


# ---------------------------------------------------------------------------------------
# The run


def coproduce_env(url: str) -> dict[str, str]:
    """Production settings, with the field keys the benchmark's data was written with."""
    from django.conf import settings

    env = dict(os.environ)
    env.update(
        FIELD_ENCRYPTION_KEYS=",".join(settings.SALT_KEY),
        # Every POST comes from one address here, where a real form's come from many: the
        # limit is still checked on each POST, but set past what the run can send.
        RATE_LIMIT_ANSWER="100000000/600",
        DJANGO_SETTINGS_MODULE="coproduce.settings",
        COPRODUCE_ENV="production",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS=f"{HOST},localhost",
        DATABASE_URL=url,
        COPRODUCE_TASKS="database",
        DEBUG="false",
        STATIC_ROOT=str(WORK_DIR / "static"),
        LOG_LEVEL="INFO",
    )
    return env


def bare_env(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DJANGO_SETTINGS_MODULE="benchmarks.bare.settings", BARE_DATABASE_URL=url)
    env.pop("DATABASE_URL", None)
    return env


def collect_static(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "coproduce.cli", "collectstatic", "--no-input", "-v", "0"],
        env=env,
        cwd=PROJECT_DIR,
        check=True,
        timeout=300,
    )


def ratio(part: Load, whole: Load) -> float:
    return part.per_second / whole.per_second


def row(label: str, load: Load, share: str) -> str:
    return (
        f"| {label} | {load.per_second:,.0f} | {load.p50_ms:.1f} | {load.p99_ms:.1f} "
        f"| {load.errors} | {share} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--proposals", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=int, default=20, help="seconds of each measured run")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of each warm-up run")
    parser.add_argument(
        "--rounds", type=int, default=3, help="runs of the ceiling and the submission, in turn"
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app")
    parser.add_argument("--port", type=int, default=8710, help="the bare app's; Coproduce +1")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (make bench-public installs the Debian package)")
    # A timeout's SIGTERM still stops the servers (the finally below).
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit("stopped"))

    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    bare_url = os.environ.get("BARE_DATABASE_URL", DEFAULT_BARE_URL)
    ensure_database(url)
    ensure_database(bare_url)
    setup_django(url)
    from django.conf import settings as django_settings

    form, consultation = prepare_coproduce(args.proposals, args.seed)
    queries = count_queries(form, consultation)
    prepare_bare(bare_url)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    collect_static(coproduce_env(url))

    load_before = os.getloadavg()
    servers: list[Server] = []
    try:
        bare = Server("bare", gunicorn("benchmarks.bare.wsgi:application", args.port,
                      args.workers), bare_env(bare_url), args.port)  # fmt: skip
        servers.append(bare)
        coproduce = Server("coproduce", gunicorn("coproduce.wsgi:application", args.port + 1,
                           args.workers), coproduce_env(url), args.port + 1)  # fmt: skip
        servers.append(coproduce)
        bare.wait_ready("/page/")
        form_path = f"/consultations/f/{form.code}/1/"
        page_path = f"/have-your-say/{consultation.code}/"
        coproduce.wait_ready(page_path)

        # The POSTs: one token pair for the whole run, no session cookie; sent no sooner
        # after the form was shown than a person could fill it in.
        cookie, hidden = form_page(coproduce.port, form_path)
        time.sleep(django_settings.ANTISPAM_MIN_SECONDS + 0.5)
        key = form.versions.get(status="published").questions.get().field_name
        # The last field, entry_key, is completed per request by the script.
        form_body = urlencode({**hidden, key: "4", "entry_key": ""})
        form_headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
        }
        status, headers, _body = fetch(
            coproduce.port, "POST", form_path, form_body + new_key() + "check", form_headers
        )
        location = {k.lower(): v for k, v in headers}.get("location", "")
        if status != 302 or not location.endswith("/done/"):
            raise RuntimeError(f"the form's POST gave {status} {location!r}, not a thank-you")
        json_body = json.dumps({"form": "bench", "answers": {"q_1": "4"}})
        insert = lua_script("insert", "POST", json_body, {"Content-Type": "application/json"})
        # Each run its own script, so that no entry key repeats from one run to the next.
        warm_submit = lua_script("submit-warm-up", "POST", form_body, form_headers, keyed=True)

        def submit(turn: int) -> Path:
            return lua_script(f"submit-{turn + 1}", "POST", form_body, form_headers, keyed=True)

        sustained_submit = lua_script(
            "submit-sustained", "POST", form_body, form_headers, keyed=True
        )
        get = lua_script("get", "GET", None, {})

        wrk(bare.port, "/insert/", insert, args, args.warmup)
        wrk(coproduce.port, form_path, warm_submit, args, args.warmup)
        time.sleep(2)  # requests in flight when wrk stopped are still served
        file_waiting()
        # The endpoint: no worker runs, the sendings wait (as when the workers are on
        # other machines, or behind a burst); then they are filed, timed. The ceiling and
        # the endpoint take turns, so that both meet the machine's changing moods alike.
        before = coproduce_counts(form)
        costed_rounds = [
            (
                costed(bare, "/insert/", insert, args),
                costed(coproduce, form_path, submit(turn), args),
            )
            for turn in range(args.rounds)
        ]
        rounds = [(bare_run, run) for (bare_run, _cost), (run, _own) in costed_rounds]
        time.sleep(2)
        sent = coproduce_counts(form) - before
        filing = file_waiting()
        filed = coproduce_counts(form) - before
        ceiling, submission = sorted(rounds, key=lambda pair: ratio(pair[1], pair[0]))[
            len(rounds) // 2
        ]
        submitted = total(run for _ceiling, run in rounds)
        # Sustained: one task worker files on the same two cores while the load runs.
        worker = Server("db_worker", DB_WORKER, coproduce_env(url))
        servers.append(worker)
        before_sustained = coproduce_counts(form)
        sustained = wrk(coproduce.port, form_path, sustained_submit, args, args.duration)
        time.sleep(2)
        worker.stop()
        backlog = coproduce_counts(form) - before_sustained
        file_waiting()
        filed_sustained = coproduce_counts(form) - before_sustained
        waiting_at_end = coproduce_counts(form).waiting
        template = measure(bare.port, "/page/", get, args)
        page = measure(coproduce.port, page_path, get, args)
    finally:
        for server in servers:
            server.stop()
    load_after = os.getloadavg()
    inserted = bare_rows(bare_url)

    consistent = (
        all(
            done.responses == done.records and load.ok <= done.responses <= load.sent
            for load, done in ((submitted, filed), (sustained, filed_sustained))
        )
        and sent.responses == 0  # nothing is filed while no worker runs
        and sent.waiting == filed.responses  # then every sending is filed, once
        and waiting_at_end == 0
    )
    submit_share, page_share = ratio(submission, ceiling), ratio(page, template)
    every = (*(run for pair in rounds for run in pair), sustained, template, page)
    print(
        f"\nMachine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}; "
        f"Python {platform.python_version()}; gunicorn -w {args.workers} (sync) per app; "
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s after a "
        f"{args.warmup} s warm-up\n"
        f"Load average (1/5/15 min) before: {'/'.join(f'{x:.2f}' for x in load_before)}, "
        f"after: {'/'.join(f'{x:.2f}' for x in load_after)}\n"
    )
    for turn, ((bare_run, bare_cost), (run, cost)) in enumerate(costed_rounds, 1):
        print(
            f"Round {turn}: ceiling {bare_run.per_second:,.0f}/s, submission "
            f"{run.per_second:,.0f}/s: {ratio(run, bare_run):.0%}. CPU a request, app + "
            f"PostgreSQL: ceiling {bare_cost.app_us:,.0f} + {bare_cost.database_us:,.0f} µs, "
            f"submission {cost.app_us:,.0f} + {cost.database_us:,.0f} µs"
        )
    print(f"The table's ceiling and submission rows: the median round of {len(rounds)}.\n")
    print("| path | requests/s | p50 ms | p99 ms | errors | share |")
    print("|---|---:|---:|---:|---:|---:|")
    print(row("bare app: POST inserting one JSON row (the ceiling)", ceiling, "100 %"))
    print(
        row(
            "Coproduce: anonymous one-section form sent (POST), answers kept to be filed",
            submission,
            f"**{submit_share:.0%}** of the ceiling",
        )
    )
    print(
        row(
            "Coproduce: the same, with one task worker filing on the same cores",
            sustained,
            f"{ratio(sustained, ceiling):.0%} of the ceiling",
        )
    )
    print(row("bare app: template over a static list of 20 (GET)", template, "100 %"))
    print(
        row(
            f"Coproduce: public consultation page, {args.proposals:,} proposals (GET)",
            page,
            f"**{page_share:.0%}** of the bare template",
        )
    )
    print(
        f"\nSubmission runs: wrk completed {submitted.requests:,} POSTs, {submitted.ok:,} "
        f"with a 2xx/3xx status, sent {submitted.sent:,}; {sent.waiting:,} sendings were "
        f"kept and {sent.responses:,} filed during the run; then one process filed them in "
        f"{filing.seconds:.1f} s ({filing.per_second:,.0f} a second): {filed.responses:,} "
        f"complete responses and {filed.records:,} participation records.\n"
        f"Sustained run: wrk completed {sustained.requests:,} POSTs ({sustained.ok:,} "
        f"2xx/3xx, sent {sustained.sent:,}); the worker had filed "
        f"{backlog.responses:,} when wrk stopped, {backlog.waiting:,} were waiting; "
        f"filed in the end: {filed_sustained.responses:,} responses, "
        f"{filed_sustained.records:,} records. "
        f"{'Consistent' if consistent else 'NOT CONSISTENT'}."
    )
    print(f"Bare app rows inserted (warm-up, check and measured runs): {inserted:,}.")
    print(
        f"SQL queries, in process: consultation page {queries['page']} "
        f"({queries['page after a write']} after a write), "
        f"form POST (answers kept to be filed) {queries['submit']}."
    )
    print(
        f"\nSubmission: {submit_share:.0%} of the ceiling, target ≥ {SUBMIT_TARGET:.0%}: "
        f"{verdict(submit_share, SUBMIT_TARGET, submission, ceiling)}.\n"
        f"Consultation page: {page_share:.0%} of the bare template, target ≥ "
        f"{PAGE_TARGET:.0%}: {verdict(page_share, PAGE_TARGET, page, template)}."
    )
    if not consistent or any(load.errors for load in every):
        sys.exit("a run had errors or lost a submission: these figures are not a measurement")


def verdict(share: float, target: float, *loads: Load) -> str:
    """Whether the target is met; a run with errors measured nothing (a refused request
    is quick, not throughput)."""
    errors = sum(load.errors for load in loads)
    if errors:
        return f"NOT MEASURED ({errors:,} errors)"
    return "met" if share >= target else "NOT met"


if __name__ == "__main__":
    main()
