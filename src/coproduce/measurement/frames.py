"""A wave's rows as the DataFrames the analysis library takes: one query each."""

from collections.abc import Hashable

import numpy as np
import pandas as pd

from .models import Answer, OfficialEstimate, Respondent, SurveyWave

DEMOGRAPHICS = ("age_band", "sex", "employment_status")
_RESPONDENT_FIELDS = (
    "pk",
    "weight",
    "stratum",
    "psu",
    *DEMOGRAPHICS,
    "willing_to_do_more",
    "self_efficacy",
    "satisfaction",
)


def respondents_frame(wave: SurveyWave) -> pd.DataFrame:
    """One row per respondent; a blank demographic is NaN, so it is in no group."""
    frame = pd.DataFrame.from_records(
        Respondent.objects.filter(wave=wave).values_list(*_RESPONDENT_FIELDS),
        columns=["respondent_id", *_RESPONDENT_FIELDS[1:]],
    )
    for column in DEMOGRAPHICS:
        frame[column] = frame[column].replace("", np.nan)
    for column in ("willing_to_do_more", "self_efficacy", "satisfaction"):
        frame[column] = pd.to_numeric(frame[column].astype(object), errors="coerce")
    frame["weight"] = frame["weight"].astype(float)
    return frame


def design_of(respondents: pd.DataFrame) -> dict[str, str | None]:
    """The design arguments of ``estimate_mean`` for a wave's frames.

    Without a PSU column each respondent is their own PSU, named by ``respondent_id``
    rather than by row: a respondent has one row per sector in the index frame, and
    counting those rows as separate PSUs would overstate the degrees of freedom.
    """
    return {
        "weight": "weight",
        "strata": "stratum" if (respondents["stratum"] != "").any() else None,
        "psu": "psu" if (respondents["psu"] != "").any() else "respondent_id",
    }


def answers_frame(wave: SurveyWave) -> tuple[pd.DataFrame, dict[Hashable, str]]:
    """Long answers (``respondent_id, sector, item, score``) and each item's tag."""
    rows = Answer.objects.filter(respondent__wave=wave).values_list(
        "respondent_id", "item__sector__code", "item__code", "score", "item__tag"
    )
    frame = pd.DataFrame.from_records(
        rows, columns=["respondent_id", "sector", "item", "score", "tag"]
    )
    tags: dict[Hashable, str] = dict(zip(frame["item"], frame["tag"], strict=True))
    frame = frame.drop(columns="tag")
    frame["score"] = pd.to_numeric(frame["score"].astype(object), errors="coerce").astype(float)
    return frame, tags


def officials_frame(wave: SurveyWave) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(
        OfficialEstimate.objects.filter(wave=wave).values_list(
            "key", "sector__code", "expected_index"
        ),
        columns=["respondent_id", "sector", "expected_index"],
    )
    frame["expected_index"] = pd.to_numeric(frame["expected_index"].astype(object)).astype(float)
    return frame
