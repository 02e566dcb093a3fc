"""A wave's figures: the database read into frames, the analysis library applied.

The result is plain JSON, so pages, reports and the API read it without recomputing:

- ``index``: the co-production index (0-100) by sector, with its design-based standard
  error and 95% confidence interval (Taylor linearisation, ``analysis.survey``), and the
  individual and collective sub-indices;
- ``by_group``: the same per sector for each age band, sex and employment status;
- ``gap``: the perception gap against the officials' estimates, when there are any;
- ``reach``: respondents' mix against the wave area's population, by age band and sex;
- ``other``: willingness to do more, self-efficacy and satisfaction.

Small numbers: a row for fewer than :data:`SUPPRESS_BELOW` respondents is published as
``{"suppressed": true}`` with its numbers removed, so that nobody can be singled out.
"""

from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from coproduce.analysis.gap import perception_gap
from coproduce.analysis.index import coproduction_index
from coproduce.analysis.reach import SMALL_NUMBER_THRESHOLD, reach_by_variable
from coproduce.analysis.survey import SinglePsu, estimate_mean
from coproduce.core.choices import AgeBand, Sex
from coproduce.places.models import AreaPopulation

from .frames import DEMOGRAPHICS, answers_frame, design_of, officials_frame, respondents_frame
from .models import SurveyWave

SUPPRESS_BELOW = SMALL_NUMBER_THRESHOLD
# A stratum with one PSU (a ward where fieldwork reached one cluster) is centred at the
# grand mean: conservative, and it never hides a design problem behind a zero (R's
# survey.lonely.psu = "adjust").
SINGLE_PSU: SinglePsu = "adjust"
ESTIMATE_FIELDS = ("estimate", "se", "ci_low", "ci_high", "n", "weight_sum")
SEX_FOR_CENSUS = {"woman": Sex.FEMALE.value, "man": Sex.MALE.value}


class ResultsError(ValueError):
    """A wave whose results cannot be computed, with a message for its owner."""


def compute_results(wave: SurveyWave) -> dict[str, Any]:
    respondents = respondents_frame(wave)
    answers, tags = answers_frame(wave)
    if answers.empty or not answers["score"].notna().any():
        raise ResultsError(_("This wave has no answers yet: import a survey file first."))
    indices = coproduction_index(answers, wave.instrument.scale_max, item_tags=tags)
    frame = indices.merge(respondents, on="respondent_id", how="left", validate="many_to_one")
    design = design_of(respondents)
    officials = officials_frame(wave)
    index_rows = _estimates(frame, "index", design, by=["sector"])
    return {
        "respondents": len(respondents),
        "answers": int(answers["score"].notna().sum()),
        "scale_max": wave.instrument.scale_max,
        "suppress_below": SUPPRESS_BELOW,
        "design": design,
        "index": index_rows,
        "index_individual": _estimates(frame, "index_individual", design, by=["sector"]),
        "index_collective": _estimates(frame, "index_collective", design, by=["sector"]),
        "by_group": {
            column: _estimates(frame, "index", design, by=["sector", column])
            for column in DEMOGRAPHICS
        },
        "gap": _gap(officials, index_rows) if len(officials) else None,
        "reach": _reach(wave, respondents),
        "other": _other(respondents, design),
    }


def _estimates(
    frame: pd.DataFrame, y: str, design: dict[str, str | None], *, by: list[str]
) -> list[dict[str, Any]]:
    if y not in frame.columns or not frame[y].notna().any():
        return []
    table = estimate_mean(frame, y, by=by, single_psu=SINGLE_PSU, **design)  # type: ignore[arg-type]
    return [_public(row, by) for row in table.to_dict("records")]


def _public(row: dict[str, Any], by: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {column: _json(row[column]) for column in by}
    if row["n"] < SUPPRESS_BELOW:
        out["suppressed"] = True
        return out
    out.update({name: _json(row[name]) for name in ESTIMATE_FIELDS})
    out["suppressed"] = False
    return out


def _json(value: Any) -> Any:
    """NaN and pandas' NA become null; NumPy scalars become Python ones."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _gap(officials: pd.DataFrame, index_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Only sectors with a published interval take part: a suppressed or single-respondent
    # sector has no citizens' figure to compare with (the gap reports it as missing).
    citizens = pd.DataFrame(
        [
            {
                "sector": row["sector"],
                "citizens_estimate": row["estimate"],
                "ci_low": row["ci_low"],
                "ci_high": row["ci_high"],
            }
            for row in index_rows
            if not row["suppressed"] and row["ci_low"] is not None
        ],
        columns=["sector", "citizens_estimate", "ci_low", "ci_high"],
    )
    if citizens.empty:
        return []
    table = perception_gap(officials, citizens, scale="index")
    return [{key: _json(value) for key, value in row.items()} for row in table.to_dict("records")]


def _reach(wave: SurveyWave, respondents: pd.DataFrame) -> dict[str, Any]:
    population = pd.DataFrame(
        AreaPopulation.objects.filter(area=wave.area).values("age_band", "sex", "count"),
        columns=["age_band", "sex", "count"],
    )
    if population.empty:
        return {"available": False, "message": _("The area has no population figures.")}
    people = pd.DataFrame(
        {
            "age_band": respondents["age_band"],
            "sex": respondents["sex"].map(SEX_FOR_CENSUS),
        }
    )
    # The survey asks adults: children belong in the comparison only if some answered.
    if not (people["age_band"] == AgeBand.UNDER_18).any():
        population = population[population["age_band"] != AgeBand.UNDER_18]
    try:
        found = reach_by_variable(people, population, ["age_band", "sex"], participants_count=None)
    except ValueError as error:
        return {"available": False, "message": str(error)}
    return {
        "available": True,
        **{
            name: {
                "dissimilarity": round(result.dissimilarity, 3),
                "unknown": result.participants_unknown,
                "rows": [
                    {key: _json(value) for key, value in row.items()}
                    for row in result.public(SUPPRESS_BELOW).to_dict("records")
                ],
            }
            for name, result in found.items()
        },
    }


def _other(respondents: pd.DataFrame, design: dict[str, str | None]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in ("willing_to_do_more", "self_efficacy", "satisfaction"):
        rows = _estimates(respondents, column, design, by=[])
        out[column] = rows[0] if rows else None
    return out
