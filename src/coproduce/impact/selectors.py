"""Reads about impact: the chain of a service, and its scores paired across waves.

Scores are computed when read, from the completed responses to a collection's two
forms, so they always follow the answers (a paper sheet typed in later counts at once).
All answers of a collection come in one query; scoring is the instrument's pure rule.
People are paired by their pseudonymous reference, never by anything else.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet

from coproduce.analysis.change import PairedChange, paired_change
from coproduce.analysis.instruments import ScoreError
from coproduce.consultations.models import Answer, ResponseStatus
from coproduce.engagement.models import Activity
from coproduce.engagement.selectors import ServiceAccess, service_for_viewer
from coproduce.organisations.models import Service

from .instruments import INSTRUMENTS, Instrument, Measure, item_scores
from .models import Collection, CollectionForm, Indicator, Outcome, Wave

User = AbstractBaseUser | AnonymousUser


def framework(service: Service) -> list[Outcome]:
    """The service's outcomes with their activities and indicators: three queries."""
    return list(
        Outcome.objects.filter(service=service).prefetch_related(
            Prefetch("activities", queryset=Activity.objects.order_by("title")),
            "indicators",
        )
    )


def collections(service: Service) -> dict[str, Collection]:
    """The service's switched-on instruments by slug, with their wave forms."""
    found = Collection.objects.filter(service=service).prefetch_related(
        Prefetch("forms", queryset=CollectionForm.objects.select_related("questionnaire"))
    )
    return {collection.instrument: collection for collection in found}


def results_access(user: User, reference: str) -> ServiceAccess:
    """Outcome results: the service's staff and backers, but a sensitive service's only
    to its own provider's staff (as its participation is)."""
    access = service_for_viewer(user, reference)
    if not access.sees_participation:
        raise PermissionDenied
    return access


# ---------------------------------------------------------------------------------------
# Scores per participant and wave


@dataclass(frozen=True)
class Unscored:
    wave: str
    reference: str
    reason: str


@dataclass
class WaveScores:
    """Each wave's item scores by participant reference, and what could not be scored."""

    items: dict[str, dict[str, dict[str, object]]] = field(
        default_factory=lambda: {Wave.BASELINE: {}, Wave.FOLLOW_UP: {}}
    )
    # Completed responses with no participant: they cannot be paired, and are counted.
    without_reference: int = 0


def _answers(collection: Collection) -> "QuerySet[Answer, tuple[object, ...]]":
    return (
        Answer.objects.filter(
            response__questionnaire__impact_wave__collection=collection,
            response__status=ResponseStatus.COMPLETE,
        )
        .order_by("response__submitted_at", "response_id")
        .values_list(
            "response_id",
            "response__participant__reference",
            "response__questionnaire__impact_wave__wave",
            "response__questionnaire__impact_wave__items",
            "question__key",
            "value",
        )
    )


def wave_answers(collection: Collection, instrument: Instrument) -> WaveScores:
    """The item scores of each person's latest completed response per wave."""
    by_response: dict[int, tuple[str | None, str, dict[str, object]]] = {}
    for response_id, reference, wave, items, key, value in _answers(collection):
        entry = by_response.setdefault(response_id, (reference, wave, {}))  # type: ignore[arg-type]
        item = items.get(key)  # type: ignore[attr-defined]
        if item is not None:
            entry[2][item] = value
    scores = WaveScores()
    for reference, wave, answers in by_response.values():  # in order: the latest wins
        if reference is None:
            scores.without_reference += 1
        else:
            scores.items[wave][reference] = answers
    return scores


# ---------------------------------------------------------------------------------------
# Pairs and change per indicator


@dataclass(frozen=True)
class Pairing:
    measure: Measure
    baseline: dict[str, float]
    follow_up: dict[str, float]
    unscored: list[Unscored]
    without_reference: int

    @property
    def follow_up_without_baseline(self) -> list[str]:
        """People seen at follow-up only: reported, never silently dropped."""
        return sorted(set(self.follow_up) - set(self.baseline))


def _score(instrument: Instrument, measure: Measure, answers: dict[str, object]) -> float:
    return float(measure.score(item_scores(instrument, answers)))


def pairing(instrument: Instrument, measure: Measure, scores: WaveScores) -> Pairing:
    """One measure's scores per wave, ready for ``analysis.change.paired_change``."""
    waves: dict[str, dict[str, float]] = defaultdict(dict)
    unscored = []
    for wave, people in scores.items.items():
        for reference, answers in people.items():
            try:
                waves[wave][reference] = _score(instrument, measure, answers)
            except ScoreError as error:
                unscored.append(Unscored(wave, reference, str(error)))
    return Pairing(
        measure=measure,
        baseline=waves[Wave.BASELINE],
        follow_up=waves[Wave.FOLLOW_UP],
        unscored=unscored,
        without_reference=scores.without_reference,
    )


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    # None: a custom indicator, or an instrument not switched on for the service.
    pairing: Pairing | None = None
    change: PairedChange | None = None


def indicator_results(service: Service) -> list[IndicatorResult]:
    """Every indicator of the service with its paired change (suppressed under 10
    pairs by ``paired_change``); each collection's answers are read once."""
    switched_on = collections(service)
    answers: dict[str, WaveScores] = {}
    results = []
    indicators = Indicator.objects.filter(outcome__service=service).select_related("outcome")
    for indicator in indicators.order_by("outcome__title", "title", "pk"):
        collection = switched_on.get(indicator.instrument)
        if collection is None:
            results.append(IndicatorResult(indicator))
            continue
        instrument = INSTRUMENTS[indicator.instrument]
        if indicator.instrument not in answers:
            answers[indicator.instrument] = wave_answers(collection, instrument)
        measure = instrument.measure(indicator.measure)
        paired = pairing(instrument, measure, answers[indicator.instrument])
        change = paired_change(
            paired.baseline, paired.follow_up, higher_is_better=measure.higher_is_better
        )
        results.append(IndicatorResult(indicator, paired, change))
    return results
