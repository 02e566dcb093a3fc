"""The demo's outcomes and impact: what the library and the refuge change, measured.

* **Ashmere Parva Community Library**: less isolation, a sense of belonging, skills and
  knowledge and wellbeing, linked to its talks, knit and natter and class visits; ONS4
  asked of its regulars at the start and later, with enough pairs for the paired change
  to be published. Its own proxy (from its survey of regulars, in this year's prices)
  values the less isolation, so its manager sees an SROI and a cost per household for
  the current year.
* **Haven refuge** (sensitive): wellbeing and confidence; ONS4 and the Rosenberg
  self-esteem scale asked when a woman arrives and when she moves on. Rosenberg has
  fewer than 10 pairs, so only its counts are shown. Its wellbeing is valued with the
  shipped WELLBY from the results; the WELLBY is in 2019 prices and the product ships
  no price index, so the page names the years to add and computes nothing.

Each collection has people seen at both waves, people seen only at baseline (lost, or
not due yet), and people seen only at follow-up (who answered online without a baseline
on record): the results list them. Baselines are answered online months ago; some
follow-ups are typed in from paper by the manager, today.

Deterministic (one ``random.Random(seed)``, consumed in a fixed order), idempotent (does
nothing once the library has an outcome), through the services.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from coproduce.accounts.demographics import participants_whose
from coproduce.accounts.models import Participant, User
from coproduce.analysis.instruments import ROSENBERG_REVERSED
from coproduce.consultations.services import Respondent, response_save_section, response_submit
from coproduce.engagement.ladder import CitizenRole, CoStage, EngagementForm
from coproduce.engagement.models import Activity
from coproduce.engagement.services import ActivityPlan, activity_create
from coproduce.impact.instruments import INSTRUMENTS, Item
from coproduce.impact.models import Collection, CollectionForm, Outcome, StandardOutcome, Wave
from coproduce.impact.services import (
    IndicatorPlan,
    OutcomePlan,
    WaveEntry,
    collection_switch_on,
    indicator_create,
    outcome_create,
    wave_answers_enter,
)
from coproduce.organisations.models import Service

from .logins import DV_CHARITY, LIBRARY_A
from .social_value import value_the_library, value_the_refuge

LIBRARY = "Ashmere Parva Community Library"
REFUGE = "Haven refuge"
MANAGERS = {LIBRARY_A: "library-manager", DV_CHARITY: "refuge-manager"}


@dataclass(frozen=True)
class OutcomeSpec:
    standard: StandardOutcome
    title: str
    activities: tuple[str, ...]
    outputs: str
    impact: str
    indicators: tuple[IndicatorPlan, ...]


LIBRARY_CHAIN = (
    OutcomeSpec(
        StandardOutcome.LESS_ISOLATION, "Less isolation",
        ("Knit and natter", "Talks by local speakers"),
        "A knit and natter every week and a talk by a local speaker every month",
        "Nobody in Ashmere Parva is alone for want of somewhere to go",
        (
            IndicatorPlan("Happiness yesterday", "ons4:happy"),
            IndicatorPlan(
                "Regulars who feel less lonely than a year ago",
                description="Asked once a year in the library's survey of regulars: "
                "'Compared with a year ago, do you feel less lonely, the same, or more?'",
            ),
        ),
    ),
    OutcomeSpec(
        StandardOutcome.BELONGING, "Sense of belonging",
        ("Talks by local speakers", "Class visit from Ashmere Parva Primary"),
        "Talks on the village's history and wildlife; the primary school's class visits",
        "A village whose people know and look out for each other",
        (IndicatorPlan("Feeling that what one does is worthwhile", "ons4:worthwhile"),),
    ),
    OutcomeSpec(
        StandardOutcome.SKILLS, "Skills and knowledge",
        ("Class visit from Ashmere Parva Primary", "Knit and natter"),
        "Help with the computers and online forms at every opening; class visits",
        "Older residents confident online; children who read for pleasure",
        (
            IndicatorPlan(
                "Visitors helped with computers or online forms",
                description="Counted in the volunteers' daily log.",
            ),
        ),
    ),
    OutcomeSpec(
        StandardOutcome.WELLBEING, "Wellbeing",
        ("Knit and natter", "Wellbeing check-ins with regulars"),
        "Check-ins with regulars when they start coming and a few months later",
        "Older people in the village living well for longer",
        (
            IndicatorPlan("Life satisfaction", "ons4:satisfied"),
            IndicatorPlan("Anxiety yesterday", "ons4:anxious"),
        ),
    ),
)  # fmt: skip

REFUGE_CHAIN = (
    OutcomeSpec(
        StandardOutcome.WELLBEING, "Wellbeing",
        ("Coffee morning", "Key-work wellbeing reviews"),
        "A safe place to stay, key work every week and a coffee morning every month",
        "Women and their children living safely and well after the refuge",
        (
            IndicatorPlan("Life satisfaction", "ons4:satisfied"),
            IndicatorPlan("Anxiety yesterday", "ons4:anxious"),
        ),
    ),
    OutcomeSpec(
        StandardOutcome.CONFIDENCE, "Confidence and self-esteem",
        ("Service users' forum", "Coffee morning"),
        "The users' forum, where residents shape the service; peer support from former residents",
        "Women confident to make their own choices",
        (IndicatorPlan("Self-esteem", "rosenberg:total"),),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Cohort:
    """Who answers a collection, and how their scores move (on a 0-10 scale)."""

    paired: int  # at baseline and at follow-up
    baseline_only: int  # lost to follow-up, or not due yet
    follow_up_only: int  # answered later, online, with no baseline on record
    paper: int  # of the paired follow-ups, typed in from paper today
    start: float  # mean level at baseline
    gain: float  # mean change by follow-up


def load_demo_impact(*, seed: int) -> None:
    with transaction.atomic():
        services = {
            s.name: s
            for s in Service.objects.select_related("provider").filter(
                name__in=[LIBRARY, REFUGE], provider__slug__in=MANAGERS
            )
        }
        managers = {
            user.username: user
            for user in get_user_model().objects.filter(username__in=MANAGERS.values())
        }
        if len(services) < 2 or len(managers) < 2:
            return
        if Outcome.objects.filter(service__in=services.values()).exists():
            return
        rng = random.Random(seed)  # demo data, not security # nosec B311
        year = timezone.localdate().year
        _library(rng, services[LIBRARY], managers[MANAGERS[LIBRARY_A]], year)
        _refuge(rng, services[REFUGE], managers[MANAGERS[DV_CHARITY]], year)


def _library(rng: random.Random, service: Service, manager: User, year: int) -> None:
    check_ins = _activity(service, "Wellbeing check-ins with regulars", year,
                          cost=Decimal("180"), volunteer_hours=Decimal("48"))  # fmt: skip
    outcomes = _chain(service, LIBRARY_CHAIN, manager)
    regulars = _regulars(service)
    ons4 = collection_switch_on(
        service=service, instrument="ons4", activity=check_ins, switched_on_by=manager
    )
    cohort = Cohort(paired=16, baseline_only=8, follow_up_only=2, paper=4, start=6.3, gain=0.6)
    _collect(rng, ons4, rng.sample(regulars, 26), cohort, manager)
    value_the_library(
        service=service, outcome=outcomes["Less isolation"], year=year, manager=manager
    )


def _refuge(rng: random.Random, service: Service, manager: User, year: int) -> None:
    reviews = _activity(service, "Key-work wellbeing reviews", year, staff_hours=Decimal("36"))
    outcomes = _chain(service, REFUGE_CHAIN, manager)
    women = participants_whose(
        Participant.objects.filter(user=None).order_by("reference"), gender={"woman"}
    )
    residents = rng.sample(women, 15)
    ons4 = collection_switch_on(
        service=service, instrument="ons4", activity=reviews, switched_on_by=manager
    )
    cohort = Cohort(paired=11, baseline_only=3, follow_up_only=1, paper=6, start=3.5, gain=2.0)
    _collect(rng, ons4, residents, cohort, manager)
    rosenberg = collection_switch_on(
        service=service, instrument="rosenberg", activity=reviews, switched_on_by=manager
    )
    cohort = Cohort(paired=7, baseline_only=2, follow_up_only=1, paper=3, start=3.8, gain=1.5)
    _collect(rng, rosenberg, residents, cohort, manager)
    value_the_refuge(service=service, outcome=outcomes["Wellbeing"], year=year, manager=manager)


def _activity(
    service: Service,
    title: str,
    year: int,
    *,
    cost: Decimal = Decimal("0"),
    staff_hours: Decimal = Decimal("0"),
    volunteer_hours: Decimal = Decimal("0"),
) -> Activity:
    """The activity the instrument's answers count under, costed for the year."""
    return activity_create(
        service=service,
        plan=ActivityPlan(
            title=title, form=EngagementForm.CONSULT, co_stage=CoStage.ASSESS,
            citizen_role=CitizenRole.NONE, starts_on=date(year, 1, 1),
            audience=str(service.name), cost_amount=cost, staff_hours=staff_hours,
            volunteer_hours=volunteer_hours,
        ),
        created_by=None,
    )  # fmt: skip


def _chain(service: Service, chain: tuple[OutcomeSpec, ...], manager: User) -> dict[str, Outcome]:
    activities = {a.title: a for a in Activity.objects.filter(service=service)}
    outcomes = {}
    for spec in chain:
        outcome = outcome_create(
            service=service,
            plan=OutcomePlan(
                title=spec.title,
                standard=spec.standard,
                activities=[activities[title] for title in spec.activities if title in activities],
                outputs=spec.outputs,
                impact=spec.impact,
            ),
            created_by=manager,
        )
        for indicator in spec.indicators:
            indicator_create(outcome=outcome, plan=indicator, created_by=manager)
        outcomes[spec.title] = outcome
    return outcomes


def _regulars(service: Service) -> list[Participant]:
    """People in the library's ledger: its regulars, by reference."""
    return list(
        Participant.objects.filter(participation__activity__service=service)
        .distinct()
        .order_by("reference")
    )


# ---------------------------------------------------------------------------------------
# Answers at baseline and follow-up


def _collect(
    rng: random.Random,
    collection: Collection,
    people: list[Participant],
    cohort: Cohort,
    manager: User,
) -> None:
    forms = {form.wave: form for form in collection.forms.all()}
    answers = ANSWERS[collection.instrument]
    now = timezone.now()
    paired = people[: cohort.paired]
    baseline_only = people[cohort.paired : cohort.paired + cohort.baseline_only]
    follow_up_only = people[len(paired) + len(baseline_only) :][: cohort.follow_up_only]
    levels = {person.pk: rng.gauss(cohort.start, 1.4) for person in people}
    for person in paired + baseline_only:
        when = now - timedelta(days=rng.randint(90, 300))
        _online(forms[Wave.BASELINE], person, answers(rng, levels[person.pk]), when)
    for n, person in enumerate(paired + follow_up_only):
        level = levels[person.pk] + rng.gauss(cohort.gain, 1.0)
        if n < cohort.paper:
            _paper(forms[Wave.FOLLOW_UP], person, answers(rng, level), manager)
        else:
            when = now - timedelta(days=rng.randint(3, 60))
            _online(forms[Wave.FOLLOW_UP], person, answers(rng, level), when)


def _online(
    form: CollectionForm, person: Participant, answers: dict[str, str], when: datetime
) -> None:
    """The person answers the wave's form themselves (one section), at ``when``."""
    keys = {item: key for key, item in form.items.items()}
    receipt = response_save_section(
        questionnaire=form.questionnaire,
        response=None,
        number=1,
        raw={keys[item]: value for item, value in answers.items()},
        respondent=Respondent(participant_reference=person.reference),
        now=when,
    )
    response_submit(response=receipt.response, now=when)


def _paper(form: CollectionForm, person: Participant, answers: dict[str, str], by: User) -> None:
    wave_answers_enter(
        form=form,
        entry=WaveEntry(
            participant_reference=person.reference,
            answers=answers,
            entry_key=f"demo-impact-{form.pk:06d}-{person.pk:06d}",
        ),
        recorded_by=by,
    )


def _near(rng: random.Random, mean: float, high: int) -> int:
    return min(high, max(0, round(rng.gauss(mean, 0.8))))


def _ons4(rng: random.Random, level: float) -> dict[str, str]:
    """ONS4 answers of someone at ``level`` (0-10): anxiety falls as wellbeing rises."""
    return {
        "satisfied": str(_near(rng, level, 10)),
        "worthwhile": str(_near(rng, level + 0.5, 10)),
        "happy": str(_near(rng, level - 0.3, 10)),
        "anxious": str(_near(rng, 9 - level, 10)),
    }


def _choice(item: Item, score: int) -> str:
    """The position of the item's option with that score, as the forms store it."""
    return str(next(n for n, option in enumerate(item.options or (), 1) if option.score == score))


def _rosenberg(rng: random.Random, level: float) -> dict[str, str]:
    """Rosenberg answers of someone at ``level`` (0-10), reversed items agreeing less."""
    answers = {}
    for item in INSTRUMENTS["rosenberg"].items:
        esteem = _near(rng, level * 0.3, 3)
        answers[item.key] = _choice(item, 3 - esteem if item.key in ROSENBERG_REVERSED else esteem)
    return answers


ANSWERS: dict[str, Callable[[random.Random, float], dict[str, str]]] = {
    "ons4": _ons4,
    "rosenberg": _rosenberg,
}
