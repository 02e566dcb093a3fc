"""About 300 residents: participants without logins, with demographics like Eastmere's.

Each resident's age band, sex and home are drawn from the population of the wards and
parishes; the other answers are drawn conditionally on them, so that the mix looks like
an English county's (students among the young, retired people among the old, more
disability with age). A few residents decline to answer: they have no demographics and
no consent, as the consent rules require.
"""

import random

from coproduce.accounts.models import Disability, EmploymentStatus, Ethnicity, Gender
from coproduce.accounts.services import demographics_record, participant_create
from coproduce.core.choices import AgeBand, Sex
from coproduce.demo.areas import POSTCODE_DISTRICTS, URBAN_AREAS, Group, resident_groups

RESIDENTS = 300
DECLINE_SHARE = 0.05
# Mostly adults; a few 16- and 17-year-olds who volunteer at the libraries.
UNDER_18_SHARE = 0.03
# Item non-response: a person who answers the form may still skip one question.
NOT_SAID_SHARE = 0.02

E = EmploymentStatus
# Shares by age band, rounded from the Census 2021 economic-activity tables for England.
EMPLOYMENT: dict[AgeBand, dict[str, float]] = {
    AgeBand.UNDER_18: {E.STUDENT: 1.0},
    AgeBand.AGE_18_24: {
        E.STUDENT: 45, E.EMPLOYED: 38, E.UNEMPLOYED: 8, E.SELF_EMPLOYED: 2,
        E.CARING: 3, E.SICK_OR_DISABLED: 2, E.OTHER: 2,
    },
    AgeBand.AGE_25_34: {
        E.EMPLOYED: 72, E.SELF_EMPLOYED: 8, E.UNEMPLOYED: 5, E.STUDENT: 4,
        E.CARING: 6, E.SICK_OR_DISABLED: 3, E.OTHER: 2,
    },
    AgeBand.AGE_35_44: {
        E.EMPLOYED: 72, E.SELF_EMPLOYED: 11, E.UNEMPLOYED: 4,
        E.CARING: 7, E.SICK_OR_DISABLED: 4, E.OTHER: 2,
    },
    AgeBand.AGE_45_54: {
        E.EMPLOYED: 70, E.SELF_EMPLOYED: 12, E.UNEMPLOYED: 4,
        E.CARING: 5, E.SICK_OR_DISABLED: 6, E.OTHER: 3,
    },
    AgeBand.AGE_55_64: {
        E.EMPLOYED: 52, E.SELF_EMPLOYED: 12, E.UNEMPLOYED: 3, E.RETIRED: 18,
        E.CARING: 5, E.SICK_OR_DISABLED: 8, E.OTHER: 2,
    },
    AgeBand.AGE_65_74: {
        E.RETIRED: 78, E.EMPLOYED: 10, E.SELF_EMPLOYED: 6,
        E.CARING: 2, E.SICK_OR_DISABLED: 3, E.OTHER: 1,
    },
    AgeBand.AGE_75_PLUS: {E.RETIRED: 95, E.SELF_EMPLOYED: 1, E.CARING: 2, E.OTHER: 2},
}  # fmt: skip

# Chance of a disability that limits day-to-day activities, by age band (Census 2021,
# England: about 18% overall, rising steeply with age); about two fifths "a lot".
DISABLED: dict[AgeBand, float] = {
    AgeBand.UNDER_18: 0.06,
    AgeBand.AGE_18_24: 0.10,
    AgeBand.AGE_25_34: 0.11,
    AgeBand.AGE_35_44: 0.13,
    AgeBand.AGE_45_54: 0.18,
    AgeBand.AGE_55_64: 0.25,
    AgeBand.AGE_65_74: 0.30,
    AgeBand.AGE_75_PLUS: 0.48,
}
LIMITED_A_LOT_SHARE = 0.4

# Census 2021 high-level ethnic groups: a county town is more diverse than its villages.
ETHNICITY_URBAN: dict[str, float] = {
    Ethnicity.WHITE: 80, Ethnicity.ASIAN: 10, Ethnicity.BLACK: 4,
    Ethnicity.MIXED: 3.5, Ethnicity.OTHER: 1.5, Ethnicity.NOT_SAID: 1,
}  # fmt: skip
ETHNICITY_RURAL: dict[str, float] = {
    Ethnicity.WHITE: 94, Ethnicity.ASIAN: 2.5, Ethnicity.BLACK: 0.5,
    Ethnicity.MIXED: 1.5, Ethnicity.OTHER: 0.5, Ethnicity.NOT_SAID: 1,
}  # fmt: skip

GENDER_OF_SEX = {Sex.FEMALE: Gender.WOMAN, Sex.MALE: Gender.MAN}


def create_residents(rng: random.Random, *, count: int = RESIDENTS) -> int:
    """Create the residents; return how many answered the demographic questions."""
    adults = resident_groups(adults_only=True)
    children = {
        group: people
        for group, people in resident_groups(adults_only=False).items()
        if group[1] == AgeBand.UNDER_18
    }
    answered = 0
    for _index in range(count):
        participant = participant_create(user=None, rng=rng)
        if rng.random() < DECLINE_SHARE:
            continue
        group = _draw_group(rng, children if rng.random() < UNDER_18_SHARE else adults)
        demographics_record(
            participant=participant, consent_given=True, answers=draw_answers(rng, group)
        )
        answered += 1
    return answered


def _draw_group(rng: random.Random, groups: dict[Group, int]) -> Group:
    return rng.choices(list(groups), weights=list(groups.values()))[0]


def draw_answers(rng: random.Random, group: Group) -> dict[str, str]:
    """One resident's answers, each drawn given their home, age band and sex."""
    code, band, sex = group
    employment = _pick(rng, EMPLOYMENT[band])
    return {
        "age_band": band.value,
        "gender": _maybe_not_said(rng, _gender(rng, sex)),
        "employment_status": _maybe_not_said(rng, employment),
        "disability": _maybe_not_said(rng, _disability(rng, band, employment)),
        "ethnicity": _pick(rng, ETHNICITY_URBAN if code in URBAN_AREAS else ETHNICITY_RURAL),
        "postcode_district": POSTCODE_DISTRICTS[code],
    }


def _gender(rng: random.Random, sex: Sex) -> str:
    # Census 2021: about 0.5% of people in England gave a gender identity different
    # from their sex registered at birth.
    return Gender.ANOTHER if rng.random() < 0.005 else GENDER_OF_SEX[sex]


def _disability(rng: random.Random, band: AgeBand, employment: str) -> str:
    # Someone out of work because of long-term sickness or disability is disabled:
    # drawing the two independently would give impossible combinations.
    if employment == EmploymentStatus.SICK_OR_DISABLED:
        return Disability.LIMITED_A_LOT
    if rng.random() >= DISABLED[band]:
        return Disability.NO
    if rng.random() < LIMITED_A_LOT_SHARE:
        return Disability.LIMITED_A_LOT
    return Disability.LIMITED_A_LITTLE


def _maybe_not_said(rng: random.Random, answer: str) -> str:
    return "not-said" if rng.random() < NOT_SAID_SHARE else answer


def _pick(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]
