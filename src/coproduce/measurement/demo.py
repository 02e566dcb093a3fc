"""A demo survey wave for Eastmere, the demo county (see ``coproduce/demo/README.md``).

About 300 residents answer "Co-production in your area" at the levels the five-country
survey found (DOMAIN.md: local environment 61, public health 54, community safety 45),
with women, older people and people outside the labour market a little more active, and
a dozen officials who expect far less (the perception gap).

The sample is stratified by district, with the same number of interviews in the small
rural district as in the town, so the design weights matter; wards and parishes are the
PSUs. Deterministic (one ``random.Random(seed)``, consumed in a fixed order), idempotent
(a wave already there is left alone), atomic. The demo loader calls it after the world is
loaded; this module only reads the world by its codes, it does not import ``demo``.
"""

import random
from dataclasses import dataclass
from datetime import date

import pandas as pd
from django.db import transaction

from coproduce.accounts.models import EmploymentStatus, Gender
from coproduce.analysis.responses import SurveyResponses
from coproduce.core.choices import AgeBand, Sex
from coproduce.organisations.models import Organisation
from coproduce.places.models import Area, AreaLevel, AreaPopulation

from .models import Instrument, InstrumentItem, SurveyWave
from .services import (
    instruments_load_standard,
    wave_create,
    wave_store_officials,
    wave_store_responses,
)

COUNTY_CODE = "DEMO-EASTMERE"
COUNCIL_SLUG = "eastmere-county-council"
WAVE_LABEL = "Eastmere residents' survey 2024"
PER_DISTRICT = 150
OFFICIALS = 4
MISSING_ANSWER = 0.02
# Share of the scale (score / K) a typical resident reaches on each item; each sector's
# mean is the index the five-country survey found (45, 61, 54).
ITEM_LEVELS = {
    "lock-doors": 0.85,
    "neighbour-watch-home": 0.55,
    "report-suspicious": 0.40,
    "neighbourhood-watch": 0.25,
    "police-meetings": 0.20,
    "separate-rubbish": 0.85,
    "save-energy": 0.75,
    "save-water": 0.70,
    "clean-public-space": 0.40,
    "environment-group": 0.35,
    "healthy-eating": 0.70,
    "exercise": 0.60,
    "not-smoking": 0.75,
    "health-group": 0.30,
    "self-help-group": 0.35,
}
OFFICIALS_EXPECT = {"community-safety": 25.0, "local-environment": 38.0, "public-health": 30.0}
OUTSIDE_LABOUR_MARKET = frozenset(
    {EmploymentStatus.RETIRED, EmploymentStatus.CARING, EmploymentStatus.SICK_OR_DISABLED}
)


@dataclass(frozen=True)
class _Person:
    key: str
    stratum: str
    psu: str
    age_band: AgeBand
    sex: Sex


def load_demo_survey(*, seed: int) -> None:
    """Create the demo wave with its answers and officials' estimates, once."""
    with transaction.atomic():
        council = Organisation.objects.filter(slug=COUNCIL_SLUG).first()
        county = Area.objects.filter(code=COUNTY_CODE).first()
        if council is None or county is None:
            raise ValueError("load the demo world before the demo survey")
        if SurveyWave.objects.filter(owner=council, label=WAVE_LABEL).exists():
            return
        instruments_load_standard()
        instrument = Instrument.objects.get(slug="coproduction-in-your-area", version=1)
        wave = wave_create(
            instrument=instrument,
            owner=council,
            area=county,
            label=WAVE_LABEL,
            created_by=None,
            fieldwork_start=date(2024, 5, 1),
            fieldwork_end=date(2024, 6, 14),
        )
        rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret # nosec B311
        people = _sample(county, rng)
        wave_store_responses(wave=wave, responses=_responses(people, wave, rng), imported_by=None)
        wave_store_officials(wave=wave, estimates=_officials(rng), imported_by=None)


def _sample(county: Area, rng: random.Random) -> list[_Person]:
    """``PER_DISTRICT`` adults per district, by ward/parish, age band and sex as in the census."""
    people: list[_Person] = []
    districts = Area.objects.filter(parent=county, level=AreaLevel.DISTRICT).order_by("code")
    for district in districts:
        cells = _adult_cells(district)
        chosen = rng.choices(list(cells), weights=list(cells.values()), k=PER_DISTRICT)
        start = len(people) + 1
        people.extend(
            _Person(f"EM24-{start + i:04d}", district.code, psu, band, sex)
            for i, (psu, band, sex) in enumerate(chosen)
        )
    return people


def _adult_cells(district: Area) -> dict[tuple[str, AgeBand, Sex], int]:
    rows = AreaPopulation.objects.filter(area__parent=district).values_list(
        "area__code", "age_band", "sex", "count"
    )
    cells = {
        (code, AgeBand(band), Sex(sex)): count
        for code, band, sex, count in rows
        if band != AgeBand.UNDER_18
    }
    # Sorted in Python: the order of draws must not depend on the database's collation.
    bands, sexes = list(AgeBand), list(Sex)
    return dict(
        sorted(cells.items(), key=lambda c: (c[0][0], bands.index(c[0][1]), sexes.index(c[0][2])))
    )


def _weights(people: list[_Person]) -> dict[str, float]:
    """Design weight per stratum: its adult population over its interviews."""
    population: dict[str, float] = {}
    for district in {p.stratum for p in people}:
        population[district] = float(sum(_adult_cells(Area.objects.get(code=district)).values()))
    interviews = pd.Series([p.stratum for p in people]).value_counts()
    return {stratum: population[stratum] / int(interviews[stratum]) for stratum in population}


def _responses(people: list[_Person], wave: SurveyWave, rng: random.Random) -> SurveyResponses:
    weights = _weights(people)
    items = list(
        InstrumentItem.objects.filter(instrument=wave.instrument)
        .select_related("sector")
        .order_by("sector__order", "order")
    )
    respondents: list[dict[str, object]] = []
    answers: list[dict[str, object]] = []
    for person in people:
        employment = _employment(person.age_band, rng)
        respondents.append(
            {
                "respondent_id": person.key,
                "weight": round(weights[person.stratum], 3),
                "stratum": person.stratum,
                "psu": person.psu,
                "age_band": person.age_band.value,
                "sex": _sex(person.sex, rng),
                "employment_status": employment.value,
                "willing_to_do_more": int(rng.random() < _willing(person.age_band)),
                "self_efficacy": rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 3, 4, 2])[0],
                "satisfaction": rng.choices([1, 2, 3, 4, 5], weights=[1, 2, 3, 4, 1])[0],
            }
        )
        effect = _effect(person, employment) + rng.gauss(0, 0.08)
        for item in items:
            answers.append(
                {
                    "respondent_id": person.key,
                    "sector": item.sector.code,
                    "item": item.code,
                    "score": _score(ITEM_LEVELS.get(item.code, 0.5) + effect, rng),
                    "line": len(answers) + 2,
                }
            )
    return SurveyResponses(answers=pd.DataFrame(answers), respondents=pd.DataFrame(respondents))


def _score(level: float, rng: random.Random) -> float:
    if rng.random() < MISSING_ANSWER:
        return float("nan")
    share = min(max(level, 0.02), 0.98)
    # Binomial(3, share): three chances to do it, so the mean score is 3 × share.
    return float(sum(rng.random() < share for _ in range(3)))


def _effect(person: _Person, employment: EmploymentStatus) -> float:
    """Who co-produces more (DOMAIN.md): older people, women, people outside work."""
    effect = 0.04 if person.sex == Sex.FEMALE else -0.04
    if person.age_band in (AgeBand.AGE_18_24, AgeBand.AGE_25_34):
        effect -= 0.06
    elif person.age_band in (AgeBand.AGE_65_74, AgeBand.AGE_75_PLUS):
        effect += 0.06
    if employment in OUTSIDE_LABOUR_MARKET:
        effect += 0.03
    return effect


def _willing(band: AgeBand) -> float:
    # 70% would do more, the young most of all (the five-country survey).
    return 0.8 if band in (AgeBand.AGE_18_24, AgeBand.AGE_25_34) else 0.66


def _sex(sex: Sex, rng: random.Random) -> str:
    if rng.random() < 0.02:
        return Gender.NOT_SAID.value
    return Gender.WOMAN.value if sex == Sex.FEMALE else Gender.MAN.value


def _employment(band: AgeBand, rng: random.Random) -> EmploymentStatus:
    if band in (AgeBand.AGE_65_74, AgeBand.AGE_75_PLUS):
        options = {
            EmploymentStatus.RETIRED: 85,
            EmploymentStatus.EMPLOYED: 8,
            EmploymentStatus.CARING: 7,
        }
    elif band == AgeBand.AGE_18_24:
        options = {
            EmploymentStatus.STUDENT: 40,
            EmploymentStatus.EMPLOYED: 45,
            EmploymentStatus.UNEMPLOYED: 15,
        }
    else:
        options = {
            EmploymentStatus.EMPLOYED: 65,
            EmploymentStatus.SELF_EMPLOYED: 10,
            EmploymentStatus.CARING: 8,
            EmploymentStatus.UNEMPLOYED: 6,
            EmploymentStatus.SICK_OR_DISABLED: 6,
            EmploymentStatus.OTHER: 5,
        }
    return rng.choices(list(options), weights=list(options.values()))[0]


def _officials(rng: random.Random) -> list[tuple[str, str, float | None]]:
    """Officials under-estimate every sector: the perception gap of the five-country survey."""
    return [
        (f"OFFICIAL-{n:02d}", sector, float(round(min(max(rng.gauss(mean, 7), 0), 100))))
        for n in range(1, OFFICIALS + 1)
        for sector, mean in OFFICIALS_EXPECT.items()
    ]
