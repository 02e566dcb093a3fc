"""The measurement dashboard: stored wave results as charts, tables, CSV and notes.

Pages only read what ``results.compute_results`` stored in a :class:`WaveResult`; they
never compute an index in the request (a wave of thousands of answers takes seconds, and
the background task already did it). The selectors here fetch, check permission and join
in a fixed number of queries; the chart builders are pure functions of the result JSON.

Every number shown to people goes through Django's ``floatformat``, so a Vietnamese page
gets Vietnamese separators; CSV files use unlocalised numbers so that spreadsheets and
scripts read them. A group that ``compute_results`` suppressed (fewer than
``suppress_below`` respondents) is shown as "fewer than 10", never as a number.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import altair as alt
import pandas as pd
from django.db import transaction
from django.db.models import OuterRef, Subquery, TextChoices
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import floatformat
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coproduce.accounts.models import EmploymentStatus, Gender
from coproduce.core.charts import Chart, ChartTable, render_chart
from coproduce.core.choices import AgeBand, Sex
from coproduce.organisations.models import Service
from coproduce.places.models import Area

from .models import InstrumentSector, ResultStatus, SurveyWave, WaveResult
from .permissions import User, can_run_waves, require_wave_runner
from .selectors import latest_result, waves_for_area, waves_for_service
from .tasks import recompute_wave

# Block slug (the CSV file's name) -> the demographic column of ``by_group``.
GROUP_BLOCKS = {"by-age": "age_band", "by-sex": "sex", "by-employment": "employment_status"}
WAVE_BLOCKS = ("index", *GROUP_BLOCKS, "gap", "reach")
GROUP_CHOICES: dict[str, type[TextChoices]] = {
    "age_band": AgeBand,
    "sex": Gender,
    "employment_status": EmploymentStatus,
}
REACH_CHOICES: dict[str, type[TextChoices]] = {"age_band": AgeBand, "sex": Sex}
# Colour-blind-safe (Okabe-Ito), and each sector also gets its own shape.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
CHART_WIDTH = 560
INDEX_AXIS = alt.Scale(domain=[0, 100])


# ---------------------------------------------------------------------------------------
# Reads


@dataclass(frozen=True)
class WaveStatus:
    """A wave with its newest result (None: not computed yet)."""

    wave: SurveyWave
    result: WaveResult | None
    sectors: dict[str, str]  # code -> label, in the instrument's order

    @property
    def state(self) -> str:
        if self.result is None:
            return "pending"
        return "ok" if self.result.status == ResultStatus.OK else "failed"

    @property
    def results(self) -> dict[str, Any]:
        return self.result.results if self.result is not None and self.state == "ok" else {}

    @property
    def on(self) -> date:
        """The date a wave stands for on a time axis: when its fieldwork happened."""
        wave = self.wave
        return wave.fieldwork_start or wave.fieldwork_end or wave.created_at.date()


@dataclass(frozen=True)
class WavePage:
    status: WaveStatus
    can_recompute: bool


@dataclass(frozen=True)
class WavesPage:
    """The waves of an area (with its sub-areas) or of a service, newest first."""

    waves: list[WaveStatus]
    trend: list[WaveStatus] = field(default_factory=list)  # the ones on the time axis

    @property
    def latest(self) -> WaveStatus | None:
        """The newest wave with results: the one the page shows in full."""
        return next((status for status in self.waves if status.state == "ok"), None)


def _latest_results(waves: Sequence[SurveyWave]) -> dict[int, WaveResult]:
    """Each wave's newest result in one query (a correlated subquery, not N queries)."""
    newest = (
        WaveResult.objects.filter(wave=OuterRef("wave"))
        .order_by("-computed_at", "-pk")
        .values("pk")[:1]
    )
    found = WaveResult.objects.filter(wave__in=[wave.pk for wave in waves], pk=Subquery(newest))
    return {result.wave_id: result for result in found}


def _sector_labels(waves: Sequence[SurveyWave]) -> dict[int, dict[str, str]]:
    """Each instrument's sector labels, in order, in one query."""
    labels: dict[int, dict[str, str]] = {}
    rows = InstrumentSector.objects.filter(
        instrument_id__in={wave.instrument_id for wave in waves}
    ).order_by("instrument_id", "order", "code")
    for instrument_id, code, label in rows.values_list("instrument_id", "code", "label"):
        labels.setdefault(instrument_id, {})[code] = label
    return labels


def _statuses(waves: Sequence[SurveyWave]) -> list[WaveStatus]:
    results = _latest_results(waves)
    labels = _sector_labels(waves)
    statuses = [
        WaveStatus(wave, results.get(wave.pk), labels.get(wave.instrument_id, {})) for wave in waves
    ]
    return sorted(statuses, key=lambda status: (status.on, status.wave.pk), reverse=True)


def area_page(user: User, code: str) -> tuple[Area, WavesPage]:
    """The waves of an area and the areas within it that ``user`` may see.

    Only waves run in the area itself go on the time axis: a parish's wave measures
    other people than the county's, and one line through both would mislead.
    """
    area = get_object_or_404(Area.objects.select_related("parent"), code=code)
    statuses = _statuses(waves_for_area(user, area))
    trend = [status for status in statuses if status.wave.area_id == area.pk]
    return area, WavesPage(waves=statuses, trend=trend)


def service_page(user: User, reference: str) -> tuple[Service, WavesPage]:
    service = get_object_or_404(
        Service.objects.select_related("provider", "area"), reference=reference
    )
    statuses = _statuses(waves_for_service(user, service))
    areas = {status.wave.area_id for status in statuses}
    return service, WavesPage(waves=statuses, trend=statuses if len(areas) == 1 else [])


def _wave(pk: int) -> SurveyWave:
    return get_object_or_404(
        SurveyWave.objects.select_related("instrument", "owner", "area", "service"), pk=pk
    )


def wave_status(user: User, pk: int) -> WaveStatus:
    """One wave with its newest result; PermissionDenied for anyone who may not see it."""
    wave = _wave(pk)
    result = latest_result(user, wave)
    return WaveStatus(wave, result, _sector_labels([wave]).get(wave.instrument_id, {}))


def wave_page(user: User, pk: int) -> WavePage:
    status = wave_status(user, pk)
    return WavePage(status=status, can_recompute=can_run_waves(user, status.wave.owner))


def wave_for_runner(user: User, pk: int) -> SurveyWave:
    wave = _wave(pk)
    require_wave_runner(user, wave.owner)
    return wave


# ---------------------------------------------------------------------------------------
# The one write: asking for a recomputation


def wave_request_recompute(*, wave: SurveyWave, requested_by: User) -> None:
    """Queue the wave's recomputation for a worker; never compute in the request.

    After commit, like the imports do, so that a worker never starts on a transaction
    that may still roll back. (The immediate backend of development and tests runs the
    task right there, which is fine: it is not a web server under load.)
    """
    require_wave_runner(requested_by, wave.owner)
    wave_id = wave.pk
    transaction.on_commit(lambda: recompute_wave.enqueue(wave_id=wave_id))


# ---------------------------------------------------------------------------------------
# Numbers for people (and for CSV)


@dataclass(frozen=True)
class Numbers:
    """Formats numbers for a page (localised, grouped) or a CSV file (plain)."""

    for_csv: bool = False

    def __call__(self, value: float | int | None, places: int = 1) -> str:
        if value is None:
            return _("not known")
        return str(floatformat(value, f"{places}u" if self.for_csv else f"{places}g"))

    def percent(self, share: float | None) -> str:
        if share is None:
            return _("not known")
        return _("%(number)s%%") % {"number": self(share * 100, 0)}

    def date(self, value: date) -> str:
        return value.isoformat() if self.for_csv else str(date_format(value))

    def count(self, value: int | None, suppressed: bool, threshold: int) -> str:
        if suppressed:
            return fewer_than(threshold)
        return self(value, 0)


def fewer_than(threshold: int) -> str:
    return _("fewer than %(number)s") % {"number": threshold}


def _label(choices: type[TextChoices], value: str | None) -> str:
    if value is None:
        return _("not recorded")
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _order(choices: type[TextChoices]) -> dict[str, int]:
    return {str(choice.label): position for position, choice in enumerate(choices)}


# ---------------------------------------------------------------------------------------
# The blocks of a wave: each a chart, its table, and notes on how to read it


@dataclass(frozen=True)
class Block:
    slug: str
    title: str
    summary: str
    notes: list[str]
    table: ChartTable
    chart: alt.TopLevelMixin | None  # None: nothing to draw (only a message)
    message: str = ""


@dataclass(frozen=True)
class Panel:
    """A block ready for the page: the drawn chart (or the message why there is none)."""

    block: Block
    chart: Chart | None


def _threshold(results: dict[str, Any]) -> int:
    return int(results.get("suppress_below", 10))


def _index_columns() -> list[str]:
    return [
        _("Index (0 to 100)"),
        # xgettext:no-python-format
        _("95% interval from"),
        # xgettext:no-python-format
        _("95% interval to"),
        _("Respondents"),
    ]


def _estimate_cells(row: dict[str, Any], fmt: Numbers, threshold: int) -> list[str]:
    if row.get("suppressed"):
        hidden = _("not shown")
        return [hidden, hidden, hidden, fewer_than(threshold)]
    return [fmt(row["estimate"]), fmt(row["ci_low"]), fmt(row["ci_high"]), fmt(row["n"], 0)]


def _shared_notes() -> list[str]:
    return [
        _(
            "The index runs from 0 (never co-produces) to 100 (always co-produces): each "
            "respondent's answers to the sector's questions, scaled to 0 to 100 and averaged "
            "with the survey weights."
        ),
        _(
            # xgettext:no-python-format
            "The line around each point is a 95% confidence interval. It comes from the "
            "survey design (weights, strata and clusters) and shows how far the figure could "
            "move with another sample drawn the same way. Where two intervals overlap, the "
            "survey cannot tell the two figures apart."
        ),
        _(
            "The survey measures what people say they do, not the outcomes of what they do, "
            "and it cannot say why people do it."
        ),
    ]


def _interval_layers(
    data: pd.DataFrame, *, y: alt.Y, colour: bool, offset: str | None = None
) -> alt.LayerChart:
    """Points with their 95% intervals as horizontal rules, on a 0 to 100 axis."""
    title = _("Co-production index (0 to 100)")
    extra: dict[str, Any] = {}
    if colour:
        extra = {
            "color": alt.Color(
                "sector:N", title=_("Sector"), sort=None, scale=alt.Scale(range=PALETTE)
            ),
            "shape": alt.Shape("sector:N", title=_("Sector"), sort=None),
        }
    if offset:
        extra["yOffset"] = alt.YOffset(f"{offset}:N", sort=None)
    base = alt.Chart(data)
    rules = base.mark_rule(strokeWidth=2).encode(
        y=y,
        x=alt.X("ci_low:Q", title=title, scale=INDEX_AXIS),
        x2="ci_high:Q",
        **(
            # ``stroke``, not ``color``: the points' colour and shape then share one legend.
            {
                "stroke": alt.Stroke(
                    "sector:N", sort=None, legend=None, scale=alt.Scale(range=PALETTE)
                )
            }
            if colour
            else {}
        ),
        **({"yOffset": extra["yOffset"]} if offset else {}),
    )
    points = base.mark_point(filled=True, size=90, opacity=1).encode(
        y=y,
        x=alt.X("estimate:Q", title=title, scale=INDEX_AXIS),
        tooltip=[
            alt.Tooltip("label:N", title=_("Group")),
            alt.Tooltip("estimate:Q", title=_("Index"), format=".1f"),
            # xgettext:no-python-format
            alt.Tooltip("ci_low:Q", title=_("95% interval from"), format=".1f"),
            # xgettext:no-python-format
            alt.Tooltip("ci_high:Q", title=_("95% interval to"), format=".1f"),
        ],
        **extra,
    )
    return alt.LayerChart(layer=[rules, points])


def index_block(results: dict[str, Any], sectors: dict[str, str], fmt: Numbers) -> Block:
    rows = results.get("index", [])
    threshold = _threshold(results)
    shown = [row for row in rows if not row.get("suppressed")]
    data = pd.DataFrame(
        [
            {
                "label": sectors.get(row["sector"], row["sector"]),
                "estimate": row["estimate"],
                "ci_low": row["ci_low"],
                "ci_high": row["ci_high"],
            }
            for row in shown
        ],
        columns=["label", "estimate", "ci_low", "ci_high"],
    )
    y = alt.Y("label:N", title=None, sort=None)
    chart = (
        _interval_layers(data, y=y, colour=False).properties(
            width=CHART_WIDTH, height=max(60, 40 * len(data))
        )
        if len(data)
        else None
    )
    if len(data):
        top = data.loc[data["estimate"].idxmax()]
        bottom = data.loc[data["estimate"].idxmin()]
        summary = _(
            "%(top)s has the highest index (%(top_value)s) and %(bottom)s the lowest "
            "(%(bottom_value)s)."
        ) % {
            "top": top["label"],
            "top_value": fmt(top["estimate"]),
            "bottom": bottom["label"],
            "bottom_value": fmt(bottom["estimate"]),
        }
    else:
        summary = _("No sector has enough respondents to show.")
    return Block(
        slug="index",
        title=_("Co-production index by sector"),
        summary=summary,
        notes=_shared_notes(),
        table=ChartTable(
            columns=[_("Sector"), *_index_columns()],
            rows=[
                [sectors.get(row["sector"], row["sector"]), *_estimate_cells(row, fmt, threshold)]
                for row in rows
            ],
            numeric=[False, True, True, True, True],
        ),
        chart=chart,
    )


def group_block(results: dict[str, Any], sectors: dict[str, str], fmt: Numbers, slug: str) -> Block:
    column = GROUP_BLOCKS[slug]
    choices = GROUP_CHOICES[column]
    threshold = _threshold(results)
    order = _order(choices)
    sector_order = list(sectors)
    rows = sorted(
        results.get("by_group", {}).get(column, []),
        key=lambda row: (
            order.get(_label(choices, row.get(column)), len(order)),
            sector_order.index(row["sector"]) if row["sector"] in sector_order else 0,
        ),
    )
    titles = {
        "age_band": _("Co-production index by age"),
        "sex": _("Co-production index by sex or gender"),
        "employment_status": _("Co-production index by employment"),
    }
    group_titles = {
        "age_band": _("Age"),
        "sex": _("Sex or gender"),
        "employment_status": _("Employment"),
    }
    data = pd.DataFrame(
        [
            {
                "label": _label(choices, row.get(column)),
                "sector": sectors.get(row["sector"], row["sector"]),
                "estimate": row["estimate"],
                "ci_low": row["ci_low"],
                "ci_high": row["ci_high"],
            }
            for row in rows
            if not row.get("suppressed")
        ],
        columns=["label", "sector", "estimate", "ci_low", "ci_high"],
    )
    hidden = sorted(
        {_label(choices, row.get(column)) for row in rows if row.get("suppressed")},
        key=lambda label: order.get(label, len(order)),
    )
    chart = None
    if len(data):
        groups = data["label"].nunique()
        chart = _interval_layers(
            data,
            y=alt.Y("label:N", title=group_titles[column], sort=None),
            colour=True,
            offset="sector",
        ).properties(width=CHART_WIDTH, height=max(100, groups * 16 * max(2, len(sectors))))
    summary = (
        # xgettext:no-python-format
        _("Each group's index in each sector, with its 95% interval.")
        if len(data)
        else _("No group has enough respondents to show.")
    )
    if hidden:
        summary += " " + _(
            "Not shown because fewer than %(number)s people answered: %(groups)s."
        ) % {"number": threshold, "groups": ", ".join(hidden)}
    return Block(
        slug=slug,
        title=titles[column],
        summary=summary,
        notes=[
            _(
                "Groups with fewer than %(number)s respondents are not shown, so that "
                "nobody can be recognised from their answers."
            )
            % {"number": threshold},
            _(
                "Small groups have wide intervals: a difference between two groups means "
                "something only where their intervals do not overlap."
            ),
            _("Respondents who did not give this answer are in no group."),
        ],
        table=(
            _long_group_table(rows, column, group_titles[column], sectors, fmt, threshold)
            if fmt.for_csv
            else _wide_group_table(rows, column, group_titles[column], sectors, fmt, threshold)
        ),
        chart=chart,
    )


def _long_group_table(
    rows: list[dict[str, Any]],
    column: str,
    title: str,
    sectors: dict[str, str],
    fmt: Numbers,
    threshold: int,
) -> ChartTable:
    """One line per group and sector: what a spreadsheet or a script wants."""
    choices = GROUP_CHOICES[column]
    return ChartTable(
        columns=[title, _("Sector"), *_index_columns()],
        rows=[
            [
                _label(choices, row.get(column)),
                sectors.get(row["sector"], row["sector"]),
                *_estimate_cells(row, fmt, threshold),
            ]
            for row in rows
        ],
        numeric=[False, False, True, True, True, True],
    )


def _wide_group_table(
    rows: list[dict[str, Any]],
    column: str,
    title: str,
    sectors: dict[str, str],
    fmt: Numbers,
    threshold: int,
) -> ChartTable:
    """One line per group, one column per sector: what a person reads on the page."""
    choices = GROUP_CHOICES[column]
    by_group: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        by_group.setdefault(_label(choices, row.get(column)), {})[row["sector"]] = row
    table_rows = []
    for label, cells in by_group.items():
        counts = sorted({row["n"] for row in cells.values() if not row.get("suppressed")})
        if not counts:
            respondents = fewer_than(threshold)
        elif len(counts) == 1:
            respondents = fmt(counts[0], 0)
        else:
            respondents = _("%(low)s to %(high)s") % {
                "low": fmt(counts[0], 0),
                "high": fmt(counts[-1], 0),
            }
        table_rows.append([label, *(_cell(cells.get(code), fmt) for code in sectors), respondents])
    return ChartTable(
        columns=[title, *sectors.values(), _("Respondents")],
        rows=table_rows,
        numeric=[False, *[True] * len(sectors), True],
    )


def _cell(row: dict[str, Any] | None, fmt: Numbers) -> str:
    if row is None:
        return _("not known")
    if row.get("suppressed"):
        return _("not shown")
    return _("%(estimate)s (%(low)s to %(high)s)") % {
        "estimate": fmt(row["estimate"]),
        "low": fmt(row["ci_low"]),
        "high": fmt(row["ci_high"]),
    }


def gap_block(results: dict[str, Any], sectors: dict[str, str], fmt: Numbers) -> Block:
    rows = results.get("gap") or []
    title = _("The perception gap: officials' expectation against citizens' reports")
    notes = [
        _(
            # xgettext:no-python-format
            "Officials were asked what index they expect residents of the area to reach. "
            "The diamond is their average; the circle and its line are what residents "
            "report, with its 95% interval."
        ),
        _(
            "Where the officials' average lies outside the residents' interval, officials' "
            "expectation differs from what citizens report, beyond what sampling could "
            "explain. Officials are a small group and their average is shown without an "
            "interval."
        ),
        _("The gap says what officials believe, not whether their services work."),
    ]
    columns = [
        _("Sector"),
        _("Officials' average"),
        _("Officials"),
        _("Residents' index"),
        # xgettext:no-python-format
        _("95% interval from"),
        # xgettext:no-python-format
        _("95% interval to"),
        _("Gap (officials minus residents)"),
        _("Outside the interval"),
    ]
    empty_table = ChartTable(columns=columns, rows=[], numeric=[False] + [True] * 7)
    if not rows:
        return Block(
            slug="gap",
            title=title,
            summary=_("No officials' estimates were imported for this wave."),
            notes=notes,
            table=empty_table,
            chart=None,
            message=_(
                "There is no perception gap to show: import the officials' estimates to see one."
            ),
        )

    def yes_no(value: bool | None) -> str:
        if value is None:
            return _("not known")
        return _("yes") if value else _("no")

    table_rows = [
        [
            sectors.get(row["sector"], row["sector"]),
            fmt(row.get("officials_mean")),
            fmt(row.get("officials_n"), 0),
            fmt(row.get("citizens_estimate")),
            fmt(row.get("ci_low")),
            fmt(row.get("ci_high")),
            fmt(row.get("gap")),
            yes_no(row.get("outside_ci")),
        ]
        for row in rows
    ]
    citizens = pd.DataFrame(
        [
            {
                "label": sectors.get(row["sector"], row["sector"]),
                "estimate": row["citizens_estimate"],
                "ci_low": row["ci_low"],
                "ci_high": row["ci_high"],
            }
            for row in rows
            if row.get("citizens_estimate") is not None
        ],
        columns=["label", "estimate", "ci_low", "ci_high"],
    )
    # xgettext:no-python-format
    who_residents = _("Residents (95% interval)")
    who_officials = _("Officials' average")
    points = pd.DataFrame(
        [
            {"label": label, "who": who, "value": value}
            for row in rows
            for label in [sectors.get(row["sector"], row["sector"])]
            for who, value in (
                (who_residents, row.get("citizens_estimate")),
                (who_officials, row.get("officials_mean")),
            )
            if value is not None
        ],
        columns=["label", "who", "value"],
    )
    axis = _("Co-production index (0 to 100)")
    y = alt.Y("label:N", title=None, sort=None)
    legend = alt.Legend(title=None, orient="bottom")
    chart = alt.layer(
        alt.Chart(citizens)
        .mark_rule(strokeWidth=2, color=PALETTE[0])
        .encode(y=y, x=alt.X("ci_low:Q", title=axis, scale=INDEX_AXIS), x2="ci_high:Q"),
        alt.Chart(points)
        .mark_point(filled=True, size=110, opacity=1)
        .encode(
            y=y,
            x=alt.X("value:Q", title=axis, scale=INDEX_AXIS),
            color=alt.Color(
                "who:N",
                legend=legend,
                scale=alt.Scale(
                    domain=[who_residents, who_officials], range=[PALETTE[0], PALETTE[1]]
                ),
            ),
            shape=alt.Shape(
                "who:N",
                legend=legend,
                scale=alt.Scale(domain=[who_residents, who_officials], range=["circle", "diamond"]),
            ),
            tooltip=[
                alt.Tooltip("label:N", title=_("Sector")),
                alt.Tooltip("who:N", title=_("Who")),
                alt.Tooltip("value:Q", title=_("Index"), format=".1f"),
            ],
        ),
    ).properties(width=CHART_WIDTH, height=max(60, 40 * len(citizens)))
    outside = [sectors.get(row["sector"], row["sector"]) for row in rows if row.get("outside_ci")]
    summary = (
        _("Officials' expectation lies outside residents' interval in: %(sectors)s.")
        % {"sectors": ", ".join(outside)}
        if outside
        else _("Officials' expectation lies within residents' interval in every sector.")
    )
    return Block(
        slug="gap",
        title=title,
        summary=summary,
        notes=notes,
        table=ChartTable(columns=columns, rows=table_rows, numeric=[False] + [True] * 7),
        chart=chart,
    )


def reach_block(results: dict[str, Any], fmt: Numbers) -> Block:
    reach = results.get("reach") or {}
    threshold = _threshold(results)
    title = _("Reach: who answered, against the area's population")
    columns = [
        _("Group"),
        _("Respondents"),
        _("Share of respondents"),
        _("Share of the population"),
        _("Reach ratio"),
    ]
    notes = [
        _(
            "Reach compares who answered the survey with the area's population from the "
            "census. A ratio of 1 means a group answered in proportion to its size; below 1, "
            "fewer of them answered than their share of the population; above 1, more."
        ),
        _(
            "The survey weights correct the index for some of this imbalance, not all of "
            "it: people who do not answer surveys may also co-produce differently."
        ),
        _(
            "Groups with fewer than %(number)s respondents are not shown, so that nobody "
            "can be recognised; a group that nobody from answered is shown as 0."
        )
        % {"number": threshold},
    ]
    if not reach.get("available"):
        return Block(
            slug="reach",
            title=title,
            summary=_("Reach cannot be shown for this wave."),
            notes=notes,
            table=ChartTable(columns=columns, rows=[], numeric=[False, True, True, True, True]),
            chart=None,
            message=str(reach.get("message") or _("The area has no population figures.")),
        )
    group_names = {"age_band": _("Age"), "sex": _("Sex")}
    table_rows: list[list[str]] = []
    points: list[dict[str, Any]] = []
    for variable, choices in REACH_CHOICES.items():
        for row in reach.get(variable, {}).get("rows", []):
            label = _("%(group)s: %(value)s") % {
                "group": group_names[variable],
                "value": _label(choices, row.get(variable)),
            }
            suppressed = bool(row.get("suppressed"))
            table_rows.append(
                [
                    label,
                    fmt.count(row.get("participants"), suppressed, threshold),
                    _("not shown") if suppressed else fmt.percent(row.get("participant_share")),
                    fmt.percent(row.get("population_share")),
                    _("not shown") if suppressed else fmt(row.get("reach_ratio"), 2),
                ]
            )
            if not suppressed and row.get("reach_ratio") is not None:
                points.append({"label": label, "ratio": row["reach_ratio"]})
    data = pd.DataFrame(points, columns=["label", "ratio"])
    chart = None
    if len(data):
        top = max(2.0, float(data["ratio"].max()) * 1.1)
        x = alt.X(
            "ratio:Q", title=_("Reach ratio (1 = in proportion)"), scale=alt.Scale(domain=[0, top])
        )
        y = alt.Y("label:N", title=None, sort=None)
        base = alt.Chart(data)
        chart = alt.layer(
            base.mark_rule(strokeWidth=3, color=PALETTE[0]).encode(y=y, x=x, x2=alt.X2(datum=1)),
            base.mark_point(filled=True, size=80, opacity=1, color=PALETTE[0]).encode(
                y=y,
                x=x,
                tooltip=[
                    alt.Tooltip("label:N", title=_("Group")),
                    alt.Tooltip("ratio:Q", title=_("Reach ratio"), format=".2f"),
                ],
            ),
            alt.Chart(pd.DataFrame({"one": [1.0]}))
            .mark_rule(strokeDash=[4, 4], color="#0b0c0c")
            .encode(x=alt.X("one:Q", scale=alt.Scale(domain=[0, top]))),
        ).properties(width=CHART_WIDTH, height=max(60, 22 * len(data)))
    lowest = data.loc[data["ratio"].idxmin()] if len(data) else None
    summary = (
        _("The group furthest below its share of the population is %(group)s (ratio %(ratio)s).")
        % {"group": lowest["label"], "ratio": fmt(lowest["ratio"], 2)}
        if lowest is not None and lowest["ratio"] < 1
        else _("Every group shown answered at least in proportion to its size.")
    )
    return Block(
        slug="reach",
        title=title,
        summary=summary,
        notes=notes,
        table=ChartTable(columns=columns, rows=table_rows, numeric=[False, True, True, True, True]),
        chart=chart,
    )


def wave_block(status: WaveStatus, slug: str, *, for_csv: bool = False) -> Block | None:
    """One block of a computed wave; None for an unknown block or a wave without results."""
    if slug not in WAVE_BLOCKS or status.state != "ok":
        return None
    results, sectors, fmt = status.results, status.sectors, Numbers(for_csv=for_csv)
    if slug == "index":
        return index_block(results, sectors, fmt)
    if slug == "gap":
        return gap_block(results, sectors, fmt)
    if slug == "reach":
        return reach_block(results, fmt)
    return group_block(results, sectors, fmt, slug)


def panel(block: Block) -> Panel:
    chart = (
        render_chart(
            slug=block.slug,
            title=block.title,
            summary=block.summary,
            chart=block.chart.configure_view(stroke=None),
            table=block.table,
        )
        if block.chart is not None
        else None
    )
    return Panel(block=block, chart=chart)


def wave_panels(status: WaveStatus) -> list[Panel]:
    blocks = (wave_block(status, slug) for slug in WAVE_BLOCKS)
    return [panel(block) for block in blocks if block is not None]


@dataclass(frozen=True)
class OtherAnswer:
    label: str
    value: str
    interval: str


def other_answers(status: WaveStatus) -> list[OtherAnswer]:
    """Willingness to do more, self-efficacy and satisfaction, as short facts."""
    other = status.results.get("other") or {}
    fmt = Numbers()
    threshold = _threshold(status.results)
    found = []
    for key, label, as_share in (
        ("willing_to_do_more", _("Would be willing to do more"), True),
        ("self_efficacy", _("Believe their action makes a difference (1 to 5)"), False),
        ("satisfaction", _("Satisfaction with public services (1 to 5)"), False),
    ):
        row = other.get(key)
        if not row:
            continue
        if row.get("suppressed"):
            found.append(OtherAnswer(label, fewer_than(threshold), ""))
            continue
        show: Callable[[float | None], str] = fmt.percent if as_share else fmt
        found.append(
            OtherAnswer(
                label,
                show(row.get("estimate")),
                _("%(low)s to %(high)s")
                % {"low": show(row["ci_low"]), "high": show(row["ci_high"])}
                if row.get("ci_low") is not None and row.get("ci_high") is not None
                else "",
            )
        )
    return found


# ---------------------------------------------------------------------------------------
# Across waves


def trend_block(statuses: Iterable[WaveStatus], *, for_csv: bool = False) -> Block | None:
    """The index by sector over the waves on the time axis; None without computed waves."""
    fmt = Numbers(for_csv=for_csv)
    computed = sorted((status for status in statuses if status.state == "ok"), key=lambda s: s.on)
    if not computed:
        return None
    rows: list[list[str]] = []
    points: list[dict[str, Any]] = []
    for status in computed:
        threshold = _threshold(status.results)
        for row in status.results.get("index", []):
            sector = status.sectors.get(row["sector"], row["sector"])
            rows.append(
                [
                    status.wave.label,
                    fmt.date(status.on),
                    sector,
                    *_estimate_cells(row, fmt, threshold),
                ]
            )
            if not row.get("suppressed") and row.get("estimate") is not None:
                points.append(
                    {
                        "on": status.on.isoformat(),
                        "wave": status.wave.label,
                        "sector": sector,
                        "estimate": row["estimate"],
                        "ci_low": row["ci_low"],
                        "ci_high": row["ci_high"],
                    }
                )
    data = pd.DataFrame(points, columns=["on", "wave", "sector", "estimate", "ci_low", "ci_high"])
    chart = None
    # One wave is one point per sector: the index by sector already shows it better.
    if len(computed) > 1 and len(data):
        axis = _("Co-production index (0 to 100)")
        x = alt.X("on:T", title=_("Fieldwork"), axis=alt.Axis(format="%b %Y", tickCount=6))
        colour = alt.Color("sector:N", title=_("Sector"), sort=None, scale=alt.Scale(range=PALETTE))
        # Lines and rules use ``stroke``: the points' colour and shape then share one legend.
        plain = alt.Stroke("sector:N", sort=None, legend=None, scale=alt.Scale(range=PALETTE))
        shape = alt.Shape("sector:N", title=_("Sector"), sort=None)
        base = alt.Chart(data)
        chart = alt.layer(
            base.mark_line().encode(
                x=x, y=alt.Y("estimate:Q", title=axis, scale=INDEX_AXIS), stroke=plain
            ),
            base.mark_rule(strokeWidth=2).encode(
                x=x,
                y=alt.Y("ci_low:Q", title=axis, scale=INDEX_AXIS),
                y2="ci_high:Q",
                stroke=plain,
            ),
            base.mark_point(filled=True, size=80, opacity=1).encode(
                x=x,
                y=alt.Y("estimate:Q", title=axis, scale=INDEX_AXIS),
                color=colour,
                shape=shape,
                tooltip=[
                    alt.Tooltip("wave:N", title=_("Wave")),
                    alt.Tooltip("sector:N", title=_("Sector")),
                    alt.Tooltip("estimate:Q", title=_("Index"), format=".1f"),
                ],
            ),
        ).properties(width=CHART_WIDTH, height=260)
    waves = len(computed)
    summary = (
        _("Only one wave has results so far: the trend needs at least two.")
        if waves == 1
        else _("The index by sector in %(waves)s waves, from %(first)s to %(last)s.")
        % {"waves": waves, "first": computed[0].wave.label, "last": computed[-1].wave.label}
    )
    return Block(
        slug="trend",
        title=_("Co-production index across waves"),
        summary=summary,
        notes=[
            _(
                # xgettext:no-python-format
                "Each point is one wave of the survey, placed at the start of its "
                "fieldwork, with its 95% confidence interval."
            ),
            _(
                "A change between waves smaller than their intervals may be chance. A change "
                "in the questions or in who was asked also changes the index."
            ),
        ],
        table=ChartTable(
            columns=[_("Wave"), _("Fieldwork"), _("Sector"), *_index_columns()],
            rows=rows,
            numeric=[False, False, False, True, True, True, True],
        ),
        chart=chart,
        message="" if chart is not None else summary,
    )
