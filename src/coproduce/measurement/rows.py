"""Survey frames to model rows: the respondent-level columns checked, line by line.

``read_responses`` checks the shape of a file and its scores; what it cannot know is
what Coproduce's own columns mean (an age band, a participant reference), so those are
checked here, and every problem is reported with the line it comes from.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.utils.translation import gettext as _

from coproduce.accounts.models import EmploymentStatus, Gender, Participant
from coproduce.core.choices import AgeBand

from .models import Answer, InstrumentItem, Respondent, SurveyWave

# Census-style answers are accepted for sex, and stored in the participants' categories.
SEX_ALIASES = {"female": Gender.WOMAN, "male": Gender.MAN}
YES = frozenset({"1", "1.0", "yes", "y", "true"})
NO = frozenset({"0", "0.0", "no", "n", "false"})
RESPONDENT_COLUMNS = (
    "age_band",
    "sex",
    "employment_status",
    "self_efficacy",
    "willing_to_do_more",
    "satisfaction",
    "participant",
)


class RowsError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class _Context:
    wave: SurveyWave
    participants: Mapping[str, int]
    errors: list[str]


def text(value: Any) -> str:
    """A cell as text: blank for a missing value, however pandas spelt it.

    ``read_responses`` turns a blank cell of a text column into the string "nan" (pandas'
    ``astype(str)`` of a missing categorical), so that spelling is blank too.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    cell = str(value).strip()
    return "" if cell == "nan" else cell


def plain(value: Any) -> Any:
    """A cell as a JSON-safe Python value."""
    if isinstance(value, str):
        return text(value) or None
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    item = value.item() if hasattr(value, "item") else value
    return None if isinstance(item, float) and math.isnan(item) else item


def respondents_from_frame(
    *, wave: SurveyWave, respondents: pd.DataFrame, lines: Mapping[str, int]
) -> list[Respondent]:
    """Unsaved respondents of ``wave``; RowsError lists every bad cell with its line."""
    design = [wave.weight_column, wave.strata_column, wave.psu_column]
    missing = [column for column in design if column and column not in respondents.columns]
    if missing:
        raise RowsError(
            [
                _("the file has no column %(column)s, which this wave's design names")
                % {"column": column}
                for column in missing
            ]
        )
    references = _column_values(respondents, "participant")
    found = dict(
        Participant.objects.filter(reference__in=references).values_list("reference", "pk")
    )
    context = _Context(wave=wave, participants=found, errors=[])
    rows = [
        _respondent(context, record, lines.get(str(record["respondent_id"]), 0))
        for record in respondents.to_dict("records")
    ]
    if context.errors:
        raise RowsError(context.errors)
    return rows


def _column_values(frame: pd.DataFrame, column: str) -> list[str]:
    if column not in frame.columns:
        return []
    return [value for value in map(text, frame[column]) if value]


def _respondent(context: _Context, record: dict[str, Any], line: int) -> Respondent:
    wave = context.wave

    def problem(message: str) -> None:
        context.errors.append(_("line %(line)d: %(problem)s") % {"line": line, "problem": message})

    design = {wave.weight_column, wave.strata_column, wave.psu_column} - {""}
    known = {"respondent_id", *design, *RESPONDENT_COLUMNS}
    respondent = Respondent(
        wave=wave,
        key=text(record["respondent_id"]),
        weight=_weight(record, wave.weight_column, problem),
        stratum=_design_label(record, wave.strata_column, problem),
        psu=_design_label(record, wave.psu_column, problem),
        age_band=_choice(record, "age_band", AgeBand.values, {}, problem),
        sex=_choice(record, "sex", Gender.values, SEX_ALIASES, problem),
        employment_status=_choice(
            record, "employment_status", EmploymentStatus.values, {}, problem
        ),
        self_efficacy=_agree_scale(record, "self_efficacy", problem),
        willing_to_do_more=_yes_no(record, "willing_to_do_more", problem),
        satisfaction=_agree_scale(record, "satisfaction", problem),
        extra={k: plain(v) for k, v in record.items() if k not in known},
    )
    if len(respondent.key) > 64:
        problem(_("the respondent id is longer than 64 characters"))
    reference = text(record.get("participant"))
    if reference:
        respondent.participant_id = context.participants.get(reference)
        if respondent.participant_id is None:
            problem(_("there is no participant %(reference)s") % {"reference": reference})
    return respondent


def _weight(record: dict[str, Any], column: str, problem: Any) -> float:
    if not column:
        return 1.0
    value = record.get(column)
    try:
        weight = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        weight = math.nan
    if not math.isfinite(weight) or weight <= 0:
        problem(_("the weight %(value)r is not a number above 0") % {"value": text(value)})
        return 1.0
    return weight


def _design_label(record: dict[str, Any], column: str, problem: Any) -> str:
    if not column:
        return ""
    label = text(record.get(column))
    if not label:
        problem(_("%(column)s is empty") % {"column": column})
    elif len(label) > 60:
        problem(_("%(column)s is longer than 60 characters") % {"column": column})
    return label


def _choice(
    record: dict[str, Any],
    column: str,
    allowed: Iterable[str],
    aliases: Mapping[str, str],
    problem: Any,
) -> str:
    value = text(record.get(column)).lower()
    value = aliases.get(value, value)
    if value and value not in allowed:
        problem(
            _("%(column)s %(value)r is not one of %(allowed)s")
            % {"column": column, "value": value, "allowed": ", ".join(allowed)}
        )
        return ""
    return value


def _agree_scale(record: dict[str, Any], column: str, problem: Any) -> int | None:
    value = record.get(column)
    if not text(value):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = math.nan
    if number not in {1, 2, 3, 4, 5}:
        problem(_("%(column)s %(value)r is not 1 to 5") % {"column": column, "value": text(value)})
        return None
    return int(number)


def _yes_no(record: dict[str, Any], column: str, problem: Any) -> bool | None:
    value = text(record.get(column)).lower()
    if not value:
        return None
    if value in YES or value in NO:
        return value in YES
    problem(_("%(column)s %(value)r is not yes or no") % {"column": column, "value": value})
    return None


def answers_from_frame(
    *,
    answers: pd.DataFrame,
    respondents: Mapping[str, int],
    items: Mapping[tuple[str, str], InstrumentItem],
) -> list[Answer]:
    """Unsaved answers; ``respondents`` maps keys to saved ids, ``items`` (sector, code)."""
    rows: list[Answer] = []
    errors: list[str] = []
    for key, sector, code, score, line in answers[
        ["respondent_id", "sector", "item", "score", "line"]
    ].itertuples(index=False):
        item = items.get((str(sector), str(code)))
        if item is None:
            errors.append(_("line %(line)d: unknown item %(item)s") % {"line": line, "item": code})
            continue
        value = None if pd.isna(score) else float(score)
        if value is not None and not value.is_integer():
            errors.append(
                _("line %(line)d: the score %(score)s is not a whole number")
                % {"line": line, "score": score}
            )
            continue
        rows.append(
            Answer(
                respondent_id=respondents[str(key)],
                item=item,
                score=None if value is None else int(value),
            )
        )
    if errors:
        raise RowsError(errors)
    return rows
