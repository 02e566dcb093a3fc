"""A synthetic five-country co-production survey, big enough to time the engine.

Shaped like the citizen survey of seeds ``001_…``/``002_…``: five countries (the strata),
PSUs (e.g. telephone exchanges or localities) within countries, unequal weights, three
sectors × four items answered on a 0-3 frequency scale (0 never … 3 always), items 1-2
individual and 3-4 collective, a few answers missing. Answers share a country, PSU and
respondent effect, so clustering matters for the standard errors.

Column types and order are those of an analysis that has read its file once and coded it:
int64 respondent ids, categorical ``sector`` and ``item``, float64 scores, and the rows in
respondent, sector, item order (a wide questionnaire melted into long form, or a long file
sorted so) — the layout :func:`~coproduce.analysis.index.coproduction_index` reads fastest.
``analysis.responses.read_responses`` returns ``str`` columns for the ids, sectors and
items (plus a ``line`` column) in file order; converting them once with
``astype("category")`` (or integer ids) is the caller's step, not timed here.

Everything is deterministic given the seed. Run ``python -m benchmarks.generate_survey
--respondents 1000`` to print a sample.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import numpy as np
import pandas as pd

COUNTRIES = ("CZ", "DE", "DK", "FR", "UK")
SECTORS = ("community_safety", "local_environment", "public_health")
ITEMS_PER_SECTOR = 4
K = 3
MISSING_SHARE = 0.03
DEFAULT_SEED = 20_150_101


@dataclass(frozen=True)
class Survey:
    """One row per respondent (the design) and one row per answer (the long frame)."""

    respondents: pd.DataFrame
    answers: pd.DataFrame


def item_names() -> list[str]:
    """``community_safety_1`` … ``public_health_4``, in sector order."""
    return [f"{sector}_{j}" for sector in SECTORS for j in range(1, ITEMS_PER_SECTOR + 1)]


def item_tags() -> dict[str, str]:
    """Items 1-2 of each sector are done alone, 3-4 with others."""
    return {
        f"{sector}_{j}": "individual" if j <= 2 else "collective"
        for sector in SECTORS
        for j in range(1, ITEMS_PER_SECTOR + 1)
    }


def generate_survey(
    n_respondents: int = 1_000_000,
    *,
    psus_per_country: int = 100,
    seed: int = DEFAULT_SEED,
) -> Survey:
    """Generate ``n_respondents`` × 3 sectors × 4 items answers and their design."""
    rng = np.random.default_rng(seed)
    respondents = _respondents(rng, n_respondents, psus_per_country)
    answers = _answers(rng, respondents, psus_per_country)
    return Survey(respondents=respondents, answers=answers)


def _respondents(rng: np.random.Generator, n: int, psus_per_country: int) -> pd.DataFrame:
    country = rng.integers(0, len(COUNTRIES), n)
    return pd.DataFrame(
        {
            "respondent_id": np.arange(n, dtype=np.int64),
            "country": pd.Categorical.from_codes(country, categories=list(COUNTRIES)),
            "psu": rng.integers(0, psus_per_country, n).astype(np.int32),
            # Log-normal weights: a design effect due to weighting of about 1.3.
            "weight": np.exp(rng.normal(0.0, 0.5, n)) * 100.0,
        }
    )


def _answers(
    rng: np.random.Generator, respondents: pd.DataFrame, psus_per_country: int
) -> pd.DataFrame:
    n = len(respondents)
    n_items = len(SECTORS) * ITEMS_PER_SECTOR
    country = respondents["country"].cat.codes.to_numpy()
    psu = respondents["psu"].to_numpy()
    psu_effect = rng.normal(0.0, 0.3, (len(COUNTRIES), psus_per_country))[country, psu]
    country_effect = np.linspace(-0.4, 0.4, len(COUNTRIES))[country]
    latent = country_effect + psu_effect + rng.normal(0.0, 0.8, n)
    item_effect = np.linspace(-0.6, 0.6, n_items)
    propensity = 1.0 / (1.0 + np.exp(-(np.repeat(latent, n_items) + np.tile(item_effect, n))))
    score = rng.binomial(K, propensity).astype(np.float64)
    score[rng.random(score.size) < MISSING_SHARE] = np.nan
    item_codes = np.tile(np.arange(n_items, dtype=np.int8), n)
    return pd.DataFrame(
        {
            "respondent_id": np.repeat(respondents["respondent_id"].to_numpy(), n_items),
            "sector": pd.Categorical.from_codes(
                item_codes // ITEMS_PER_SECTOR, categories=list(SECTORS)
            ),
            "item": pd.Categorical.from_codes(item_codes, categories=item_names()),
            "score": score,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()
    survey = generate_survey(args.respondents, seed=args.seed)
    print(survey.respondents.head())
    print(survey.answers.head(12))
    print(f"{len(survey.respondents):,} respondents, {len(survey.answers):,} answers")


if __name__ == "__main__":
    main()
