"""Load the demo world: Eastmere, its two cases, its logins and its residents.

Deterministic: every random choice (references, demographics) comes from one
``random.Random(seed)``, consumed in a fixed order, so the same seed gives the same
world. Idempotent: a world already loaded (its county exists) is left as it is.
Atomic: a failure half-way leaves nothing behind.
"""

import random
import time
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count

from coproduce.accounts.models import Consent, Demographics, Participant, User
from coproduce.campaigns.demo import load_demo_campaigns
from coproduce.consultations.demo import load_demo_consultations
from coproduce.deliberation.demo import load_demo_deliberation
from coproduce.demo.areas import COUNTY, import_demo_areas
from coproduce.demo.impact import load_demo_impact
from coproduce.demo.institutions import create_organisations, create_services
from coproduce.demo.logins import COUNTY_COUNCIL, create_demo_logins
from coproduce.demo.partnerships import create_partnerships
from coproduce.demo.residents import create_residents
from coproduce.events.demo import load_demo_events
from coproduce.forums.demo import load_demo_forums
from coproduce.measurement.demo import load_demo_survey
from coproduce.organisations.models import (
    Membership,
    Organisation,
    Partnership,
    Service,
    ServiceBacking,
)
from coproduce.places.models import Area, AreaPopulation
from coproduce.volunteering.demo import load_demo_volunteering
from coproduce.votes.demo import load_demo_votes

DEFAULT_SEED = 2012  # the year the volunteers took the libraries over


@dataclass(frozen=True)
class DemoReport:
    """What a load did: `already_loaded` is True when it found the world and did nothing."""

    already_loaded: bool
    seed: int | None
    seconds: float
    # Rows the database holds after the load, by table.
    counts: dict[str, int] = field(default_factory=dict)
    organisations_by_kind: dict[str, int] = field(default_factory=dict)


def is_demo_world_loaded() -> bool:
    """Whether the county council stands in the demo county.

    The county's area alone is not enough: someone may have imported the demo areas
    file by hand, and the import is idempotent, so a load then still has work to do.
    """
    return Organisation.objects.filter(slug=COUNTY_COUNCIL, area__code=COUNTY).exists()


def load_demo_world(*, seed: int = DEFAULT_SEED) -> DemoReport:
    started = time.perf_counter()
    with transaction.atomic():
        if is_demo_world_loaded():
            return _report(already_loaded=True, seed=None, started=started)
        rng = random.Random(seed)  # demo data, not security # nosec B311
        areas = import_demo_areas()
        organisations = create_organisations(areas)
        create_services(areas, organisations, rng)
        create_partnerships(organisations)
        create_demo_logins(organisations, rng)
        create_residents(rng)
        # A year of engagement and a survey wave, so that every dashboard has something
        # to show on `make demo`.
        load_demo_events(seed=seed)
        load_demo_survey(seed=seed)
        load_demo_forums(seed=seed)
        load_demo_consultations(seed=seed)
        load_demo_campaigns(seed=seed)
        load_demo_votes(seed=seed)
        load_demo_deliberation(seed=seed)
        load_demo_volunteering(seed=seed)
        # After the volunteers: their approved hours are part of the cost of engagement.
        load_demo_impact(seed=seed)
    return _report(already_loaded=False, seed=seed, started=started)


def _report(*, already_loaded: bool, seed: int | None, started: float) -> DemoReport:
    counts = {
        "areas": Area.objects.count(),
        "population counts": AreaPopulation.objects.count(),
        "organisations": Organisation.objects.count(),
        "services": Service.objects.count(),
        "sensitive services": Service.objects.filter(sensitive=True).count(),
        "commissioners and funders": ServiceBacking.objects.count(),
        "partnerships": Partnership.objects.count(),
        "logins": User.objects.count(),
        "memberships": Membership.objects.count(),
        "participants": Participant.objects.count(),
        "participants without a login": Participant.objects.filter(user=None).count(),
        "consents": Consent.objects.count(),
        "demographics": Demographics.objects.count(),
    }
    by_kind = dict(
        Organisation.objects.values_list("kind")
        .annotate(n=Count("pk"))
        .order_by("kind")
        .values_list("kind", "n")
    )
    return DemoReport(
        already_loaded=already_loaded,
        seed=seed,
        seconds=time.perf_counter() - started,
        counts=counts,
        organisations_by_kind=by_kind,
    )
