"""Time the engagement dashboards over a large participation ledger, on PostgreSQL.

The question: with ``R`` participation records (default 1,000,000) spread over ``S``
services (default 50), how long do a service's ladder-profile page and a commissioner's
area roll-up take to render, whole (permission checks, queries, charts, template)?

The data (deterministic, ``--seed``): the demo world (Eastmere, its organisations, its
logins), topped up to ``S`` services commissioned by the county council in its wards,
24 activities a service over a year (every form, rungs in each form's allowed range),
a pool of 30,000 participants, and ``R`` records. Services differ in size (log-normal
shares, so the biggest holds several times the mean); 70 % of records are known
participants with a demographic snapshot, the rest anonymous counts of 1-40 people.
The data is generated once into its own database and reused while ``R``, ``S`` and the
seed are unchanged (``--regenerate`` forces it); the tables are vacuumed and analysed
after loading, as autovacuum would do on a live system.

Each page is requested through Django's test client, in process, so a time is the
server's whole work for the page without the network. Two conditions per page:

* **cold**: the chart cache is emptied before every request, so every chart is drawn
  (what the first visitor after a change of numbers waits for);
* **warm**: the charts come from the cache (what later visitors wait for while the
  numbers stand).

For the ladder page the requests cycle over the 10 largest services. Reported: p50, p95
and max over ``--requests`` timed requests after 3 untimed ones, the queries a page
runs, and the share of its time spent in the database.

Usage: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/coproduce_bench
.venv/bin/python -m benchmarks.bench_ledger`` (the database is created if missing).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/coproduce_bench"
SPEED_TARGET_MS = 300.0
ACTIVITIES_PER_SERVICE = 24
PARTICIPANTS = 30_000
BATCH = 10_000
BENCH_USER = "bench-manager"
COMMISSIONER = "county-commissioner"
MARKER_PREFIX = "bench"


def ensure_database(url: str) -> None:
    """Create the benchmark's PostgreSQL database when it does not exist."""
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
    import django

    django.setup()


# ---------------------------------------------------------------------------------------
# The data


def marker(records: int, services: int, seed: int) -> str:
    return f"{MARKER_PREFIX}:{records}:{services}:{seed}"


def is_generated(records: int, services: int, seed: int) -> bool:
    from coproduce.engagement.models import ParticipationRecord

    return ParticipationRecord.objects.filter(act_key=marker(records, services, seed)).exists()


def generate(records: int, services: int, seed: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from coproduce.demo.world import load_demo_world
    from coproduce.engagement.services import recount_participation

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    load_demo_world(seed=seed)
    # Its own stream: the demo's seed would draw the demo's service references again.
    rng = random.Random(f"bench-{seed}")
    all_services = top_up_services(services, rng)
    activities = create_activities(all_services, rng)
    participants = create_participants(rng)
    write_records(records, activities, participants, rng, marker(records, services, seed))
    months = recount_participation()  # the records went in around the ledger's door
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"generated {records:,} records ({months:,} activity-months)"
        f" in {time.perf_counter() - started:.0f} s"
    )


def top_up_services(wanted: int, rng: random.Random) -> list[Any]:
    """The demo's services plus new ones, commissioned by the county, up to ``wanted``."""
    from coproduce.core.references import new_reference
    from coproduce.demo.areas import COUNTY
    from coproduce.demo.logins import COUNTY_COUNCIL
    from coproduce.organisations.models import Organisation, Sector, Service
    from coproduce.organisations.services import service_create
    from coproduce.places.models import Area

    county = Organisation.objects.get(slug=COUNTY_COUNCIL)
    providers = list(Organisation.objects.exclude(pk=county.pk).order_by("slug"))
    wards = list(Area.objects.filter(parent__code=COUNTY).order_by("code")) or [county.area]
    sectors = list(Sector)
    existing = Service.objects.count()
    for number in range(existing, wanted):
        service_create(
            name=f"Service {number + 1}",
            sector=sectors[number % len(sectors)],
            provider=providers[number % len(providers)],
            area=wards[number % len(wards)],
            commissioned_by=[county],
            reference=new_reference("S", rng=rng),
        )
    return list(Service.objects.order_by("pk"))


def create_activities(services: list[Any], rng: random.Random) -> list[Any]:
    """Two activities a month for a year, for every service, all forms and rungs."""
    from coproduce.engagement.ladder import ALLOWED_RUNGS, CitizenRole, CoStage, EngagementForm
    from coproduce.engagement.models import Activity

    forms, stages, roles = list(EngagementForm), list(CoStage), list(CitizenRole)
    start = date(2025, 12, 1)
    rows = []
    for service in services:
        for number in range(ACTIVITIES_PER_SERVICE):
            form = forms[number % len(forms)]
            rows.append(
                Activity(
                    service=service,
                    title=f"{form.label} {number + 1}",
                    form=form,
                    rung=rng.choice(list(ALLOWED_RUNGS[form])),
                    rung_reason="Benchmark data",
                    co_stage=rng.choice(stages),
                    citizen_role=rng.choice(roles),
                    starts_on=start + timedelta(days=15 * number),
                )
            )
    return Activity.objects.bulk_create(rows, batch_size=BATCH)


def create_participants(rng: random.Random) -> list[int]:
    from coproduce.accounts.models import Participant
    from coproduce.core.references import new_reference

    references = {new_reference("P", rng=rng) for _ in range(PARTICIPANTS)}
    Participant.objects.bulk_create(
        [Participant(reference=r) for r in sorted(references)], batch_size=BATCH
    )
    return list(Participant.objects.values_list("pk", flat=True))


def write_records(
    total: int,
    activities: list[Any],
    participants: list[int],
    rng: random.Random,
    last_key: str,
) -> None:
    """``total`` records, in batches; the last one carries the data's marker.

    ``bulk_create`` goes around ``participation_record`` for speed, so ``generate``
    recounts the activities' monthly counts afterwards."""
    from coproduce.accounts.models import Gender
    from coproduce.core.choices import AgeBand
    from coproduce.engagement.models import ArrivalChannel, ParticipationKind, ParticipationRecord

    by_service: dict[int, list[Any]] = {}
    for activity in activities:
        by_service.setdefault(activity.service_id, []).append(activity)
    service_ids = sorted(by_service)
    shares = [rng.lognormvariate(0, 0.6) for _ in service_ids]
    kinds, channels = list(ParticipationKind), list(ArrivalChannel)
    bands = [band for band in AgeBand if band != AgeBand.UNDER_18]
    genders, districts = list(Gender), ["EM1", "EM2", "EM3", "EM4", "EM5"]
    batch: list[ParticipationRecord] = []
    for number in range(total):
        service_id = rng.choices(service_ids, weights=shares)[0]
        activity = rng.choice(by_service[service_id])
        known = rng.random() < 0.7
        occurred = datetime.combine(activity.starts_on, datetime.min.time(), tzinfo=UTC)
        record = ParticipationRecord(
            activity_id=activity.pk,
            kind=rng.choice(kinds),
            channel=rng.choice(channels),
            occurred_at=occurred + timedelta(minutes=rng.randrange(60 * 24 * 14)),
            act_key=last_key if number == total - 1 else f"{MARKER_PREFIX}-{number}",
            participant_id=rng.choice(participants) if known else None,
            people=1 if known else rng.randint(1, 40),
        )
        if known:
            record.age_band = rng.choice(bands)
            record.gender = rng.choice(genders)
            record.postcode_district = rng.choice(districts)
        batch.append(record)
        if len(batch) == BATCH:
            ParticipationRecord.objects.bulk_create(batch)
            batch = []
    ParticipationRecord.objects.bulk_create(batch)


# ---------------------------------------------------------------------------------------
# The timings


def bench_manager() -> Any:
    """A login that manages every provider, so it sees every service's ladder."""
    from coproduce.accounts.models import User
    from coproduce.organisations.models import Membership, Organisation, Role

    user, _ = User.objects.get_or_create(username=BENCH_USER)
    for organisation in Organisation.objects.all():
        Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": Role.MANAGER}
        )
    return user


@contextmanager
def database_clock() -> Iterator[list[float]]:
    """Seconds spent in each query run inside the block."""
    from django.db import connection

    spent: list[float] = []

    def timed(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append(time.perf_counter() - started)

    with connection.execute_wrapper(timed):
        yield spent


def time_page(client: Any, urls: list[str], requests: int, *, cold: bool) -> dict[str, float]:
    from django.core.cache import cache

    totals, in_database, queries = [], [], []
    for number in range(requests + 3):
        if cold:
            cache.clear()
        with database_clock() as spent:
            started = time.perf_counter()
            response = client.get(urls[number % len(urls)])
            elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"{urls[number % len(urls)]} answered {response.status_code}")
        if number >= 3:
            totals.append(elapsed * 1000)
            in_database.append(sum(spent) * 1000)
            queries.append(len(spent))
    ordered = sorted(totals)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[max(0, round(0.95 * len(ordered)) - 1)],
        "max": ordered[-1],
        "db_share": sum(in_database) / sum(totals),
        "queries": max(queries),
    }


def pages() -> dict[str, tuple[Any, list[str]]]:
    from django.db.models import Sum
    from django.urls import reverse

    from coproduce.accounts.models import User
    from coproduce.demo.areas import COUNTY
    from coproduce.organisations.models import Service

    biggest = (
        Service.objects.annotate(people=Sum("activities__participation__people"))
        .filter(sensitive=False)
        .order_by("-people")
        .values_list("reference", flat=True)[:10]
    )
    ladder = [reverse("engagement:ladder", args=[reference]) for reference in biggest]
    rollup = [reverse("engagement:roll_up", args=[COUNTY])]
    return {
        "ladder profile (10 largest services)": (bench_manager(), ladder),
        "area roll-up (county)": (User.objects.get(username=COMMISSIONER), rollup),
    }


def report(args: argparse.Namespace, results: dict[str, dict[str, dict[str, float]]]) -> None:
    from django.db import connection

    from coproduce.engagement.models import ParticipationRecord
    from coproduce.organisations.models import Service

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    print(
        f"\n{ParticipationRecord.objects.count():,} records, {Service.objects.count()} services;"
        f" PostgreSQL {server}; Python {platform.python_version()};"
        f" {os.cpu_count()} CPUs; {args.requests} requests a row\n"
    )
    print("| page | charts | p50 ms | p95 ms | max ms | queries | time in database |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for page, conditions in results.items():
        for condition, figures in conditions.items():
            print(
                f"| {page} | {condition} | {figures['p50']:.0f} | {figures['p95']:.0f} |"
                f" {figures['max']:.0f} | {figures['queries']:.0f} |"
                f" {100 * figures['db_share']:.0f} % |"
            )
    worst = max(f["p95"] for conditions in results.values() for f in conditions.values())
    verdict = "within" if worst < SPEED_TARGET_MS else "OVER"
    print(f"\nworst p95 {worst:.0f} ms: {verdict} the {SPEED_TARGET_MS:.0f} ms target")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--services", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2012)
    parser.add_argument("--requests", type=int, default=40, help="timed requests a row")
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        raise SystemExit("bench_ledger measures PostgreSQL: set DATABASE_URL=postgres://...")
    ensure_database(url)
    setup_django(url)
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    if args.regenerate or not is_generated(args.records, args.services, args.seed):
        generate(args.records, args.services, args.seed)
    results: dict[str, dict[str, dict[str, float]]] = {}
    for page, (user, urls) in pages().items():
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        results[page] = {
            condition: time_page(client, urls, args.requests, cold=condition == "cold")
            for condition in ("cold", "warm")
        }
    report(args, results)


if __name__ == "__main__":
    main()
