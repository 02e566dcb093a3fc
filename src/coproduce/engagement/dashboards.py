"""Engagement dashboards as blocks: a table of numbers, a chart of it, and its CSV.

The selectors (selectors.py) aggregate in the database; the builders here are pure
functions of their results, so a page's cost does not grow with the number of
participation records. Numbers in pages are localised; CSV files use plain numbers so
that spreadsheets and scripts read them. A group of fewer than 10 participants is shown
as "fewer than 10" ("<10" in CSV), never as a number (``analysis.reach``'s suppression).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import altair as alt
import pandas as pd
from django.db.models import TextChoices
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from coproduce.analysis.reach import SMALL_NUMBER_THRESHOLD, Reach, reach_by_variable
from coproduce.core.charts import Chart, ChartTable, render_chart
from coproduce.core.choices import AgeBand, Sex
from coproduce.engagement.ladder import CitizenRole, CoStage, EngagementForm, Rung
from coproduce.engagement.selectors import (
    GENDER_TO_SEX,
    GroupCount,
    LadderProfile,
    Network,
    ReachData,
    RollUpRow,
)
from coproduce.organisations.models import PartnershipKind

# Colour-blind-safe (Okabe-Ito), as in the measurement dashboard.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
CHART_WIDTH = 560
LADDER_BLOCKS = ("rung", "form", "stage", "role", "months")
REACH_BLOCKS = ("totals", "age", "sex")


@dataclass(frozen=True)
class Numbers:
    """Numbers for people (localised) or for CSV (plain)."""

    for_csv: bool = False

    def count(self, value: int | None) -> str:
        if value is None:
            return ""
        return str(value) if self.for_csv else number_format(value, force_grouping=True)

    def decimal(self, value: float | None, places: int = 1) -> str:
        if value is None or math.isnan(value):
            return ""
        if self.for_csv:
            return f"{value:.{places}f}"
        return number_format(round(value, places), decimal_pos=places, force_grouping=True)

    def percent(self, share: float | None) -> str:
        if share is None or math.isnan(share):
            return ""
        return self.decimal(100 * share) + ("" if self.for_csv else "%")

    def fewer_than(self, threshold: int) -> str:
        if self.for_csv:
            return f"<{threshold}"
        return _("fewer than %(n)s") % {"n": threshold}

    def yes_no(self, value: bool) -> str:
        return _("Yes") if value else _("No")


@dataclass(frozen=True)
class Block:
    slug: str
    title: str
    summary: str
    table: ChartTable
    chart: alt.TopLevelMixin | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool


@dataclass(frozen=True)
class Panel:
    block: Block
    chart: Chart | None

    @property
    def header(self) -> list[Cell]:
        """The table's columns, each with whether it holds numbers (for alignment)."""
        table = self.block.table
        return [Cell(str(c), n) for c, n in zip(table.columns, table.numeric, strict=True)]

    @property
    def rows(self) -> list[list[Cell]]:
        table = self.block.table
        return [[Cell(c, n) for c, n in zip(row, table.numeric, strict=True)] for row in table.rows]


def panel(block: Block) -> Panel:
    """Draw a block's chart, if it has one."""
    if block.chart is None:
        return Panel(block=block, chart=None)
    chart = render_chart(
        slug=block.slug,
        title=block.title,
        summary=block.summary,
        chart=block.chart,
        table=block.table,
    )
    return Panel(block=block, chart=chart)


def _label(choices: type[TextChoices], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


# ---------------------------------------------------------------------------------------
# Ladder profile


def _rung_label(rung: int) -> str:
    return f"{rung}. {Rung(rung).label} ({Rung(rung).tier})"


def _bar_chart(data: pd.DataFrame, *, measure: str, axis: str, colour: str) -> alt.Chart:
    return (
        alt.Chart(data)
        .mark_bar(color=colour)
        .encode(
            y=alt.Y("label:N", title=None, sort=None),
            x=alt.X(f"{measure}:Q", title=axis, axis=alt.Axis(tickMinStep=1)),
            tooltip=[
                alt.Tooltip("label:N", title=_("Group")),
                alt.Tooltip(f"{measure}:Q", title=axis),
            ],
        )
        .properties(width=CHART_WIDTH)
    )


def _grouped_block(
    *,
    slug: str,
    title: str,
    heading: str,
    groups: Sequence[GroupCount],
    keys: Sequence[tuple[str | int, str]],
    sees_participation: bool,
    fmt: Numbers,
) -> Block:
    found = {group.key: group for group in groups}
    empty = GroupCount(key="", activities=0, people=0, records=0)
    rows = [(label, found.get(key, empty)) for key, label in keys]
    if sees_participation:
        columns = [heading, _("Activities"), _("Participation (people)"), _("Records")]
        cells = [
            [label, fmt.count(g.activities), fmt.count(g.people), fmt.count(g.records)]
            for label, g in rows
        ]
        measure, axis = "people", _("Participation (people)")
        top = max(rows, key=lambda row: row[1].people)
        summary = (
            _("Most participation is at “%(group)s”: %(people)s people.")
            % {"group": top[0], "people": fmt.count(top[1].people)}
            if top[1].people
            else _("Nobody has taken part yet.")
        )
    else:
        columns = [heading, _("Activities")]
        cells = [[label, fmt.count(g.activities)] for label, g in rows]
        measure, axis = "activities", _("Activities")
        top = max(rows, key=lambda row: row[1].activities)
        summary = (
            _("Most activities are at “%(group)s”: %(n)s.")
            % {"group": top[0], "n": fmt.count(top[1].activities)}
            if top[1].activities
            else _("There are no activities yet.")
        )
    # Only the measure drawn goes into the spec: the page embeds it as JSON.
    data = pd.DataFrame(
        {
            "label": [label for label, _g in rows],
            measure: [getattr(g, measure) for _label, g in rows],
        }
    )
    return Block(
        slug=slug,
        title=title,
        summary=summary,
        table=ChartTable(
            columns=columns, rows=cells, numeric=[False] + [True] * (len(columns) - 1)
        ),
        chart=_bar_chart(data, measure=measure, axis=axis, colour=PALETTE[0]),
    )


def ladder_block(
    profile: LadderProfile, slug: str, *, sees_participation: bool, fmt: Numbers
) -> Block | None:
    """One block of the ladder profile; None for participation a viewer may not see."""
    if slug == "rung":
        return _grouped_block(
            slug="rung",
            title=_("By rung of the ladder"),
            heading=_("Rung"),
            groups=profile.by_rung,
            # The top of the ladder first, as the ladder is drawn.
            keys=[(rung.value, _rung_label(rung)) for rung in reversed(Rung)],
            sees_participation=sees_participation,
            fmt=fmt,
        )
    if slug == "form":
        return _grouped_block(
            slug="form",
            title=_("By form of engagement"),
            heading=_("Form"),
            groups=profile.by_form,
            keys=[(f.value, str(f.label)) for f in EngagementForm],
            sees_participation=sees_participation,
            fmt=fmt,
        )
    if slug == "stage":
        return _grouped_block(
            slug="stage",
            title=_("By stage of the service cycle"),
            heading=_("Stage"),
            groups=profile.by_stage,
            keys=[(s.value, str(s.label)) for s in CoStage],
            sees_participation=sees_participation,
            fmt=fmt,
        )
    if slug == "role":
        return _grouped_block(
            slug="role",
            title=_("By citizens' role"),
            heading=_("Citizens' role"),
            groups=profile.by_role,
            keys=[(r.value, str(r.label)) for r in CitizenRole],
            sees_participation=sees_participation,
            fmt=fmt,
        )
    if slug == "months" and sees_participation:
        return months_block(profile, fmt)
    return None


def months_block(profile: LadderProfile, fmt: Numbers) -> Block:
    months: list[date] = sorted({row.month for row in profile.by_month})
    forms = [f for f in EngagementForm if any(row.form == f.value for row in profile.by_month)]
    people = {(row.month, row.form): row.people for row in profile.by_month}
    labels = {m: date_format(m, "YEAR_MONTH_FORMAT") for m in months}
    if fmt.for_csv:
        labels = {m: m.strftime("%Y-%m") for m in months}
    rows = [
        [
            labels[m],
            *[fmt.count(people.get((m, f.value), 0)) for f in forms],
            fmt.count(sum(people.get((m, f.value), 0) for f in forms)),
        ]
        for m in months
    ]
    columns = [_("Month"), *[str(f.label) for f in forms], _("Total")]
    data = pd.DataFrame(
        [
            {
                "month": labels[row.month],
                "form": _label(EngagementForm, row.form),
                "people": row.people,
            }
            for row in profile.by_month
        ],
        columns=["month", "form", "people"],
    )
    form_labels = [str(f.label) for f in EngagementForm]
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("month:O", title=_("Month"), sort=[labels[m] for m in months]),
            y=alt.Y("sum(people):Q", title=_("Participation (people)")),
            color=alt.Color(
                "form:N",
                title=_("Form"),
                scale=alt.Scale(domain=form_labels, range=PALETTE[: len(form_labels)]),
            ),
            order=alt.Order("form:N"),
            tooltip=[
                alt.Tooltip("month:O", title=_("Month")),
                alt.Tooltip("form:N", title=_("Form")),
                alt.Tooltip("people:Q", title=_("Participation (people)")),
            ],
        )
        .properties(width=CHART_WIDTH)
    )
    summary = (
        _("Participation from %(first)s to %(last)s, by form of engagement.")
        % {"first": labels[months[0]], "last": labels[months[-1]]}
        if months
        else _("Nobody has taken part yet.")
    )
    return Block(
        slug="months",
        title=_("Over time"),
        summary=summary,
        table=ChartTable(columns=columns, rows=rows, numeric=[False] + [True] * (len(columns) - 1)),
        chart=chart if months else None,
    )


# ---------------------------------------------------------------------------------------
# Reach


@dataclass(frozen=True)
class ReachPage:
    blocks: dict[str, Block]
    least_reached: list[str]  # group labels, least reached first
    dissimilarity: dict[str, float]  # grouping -> D, rounded for publication
    message: str  # why there is no demographic mix, or ""


def _totals_block(data: ReachData, fmt: Numbers) -> Block:
    repeat_share = data.repeat_participants / data.participants if data.participants else None
    rows = [
        [_("Participation (people)"), fmt.count(data.people)],
        [_("Records of taking part"), fmt.count(data.records)],
        [
            _("People taking part anonymously (counted, not known)"),
            fmt.count(data.anonymous_people),
        ],
        [_("Distinct known participants"), fmt.count(data.participants)],
        [_("Known participants who took part twice or more"), fmt.count(data.repeat_participants)],
        [_("Share of known participants who came back"), fmt.percent(repeat_share)],
    ]
    return Block(
        slug="totals",
        title=_("Who took part"),
        summary=_("%(people)s people took part, %(participants)s of them known individually.")
        % {"people": fmt.count(data.people), "participants": fmt.count(data.participants)},
        table=ChartTable(columns=[_("Measure"), _("Number")], rows=rows, numeric=[False, True]),
    )


def _reach_frames(data: ReachData) -> tuple[pd.DataFrame, pd.DataFrame]:
    participants = data.groups.copy()
    # A blank answer is unknown, not a group.
    participants["age_band"] = participants["age_band"].mask(participants["age_band"] == "")
    participants = participants[participants["age_band"] != AgeBand.UNDER_18.value]
    participants["sex"] = participants["gender"].map(GENDER_TO_SEX)
    participants["count"] = participants["count"].astype(int)
    population = data.population.copy()
    population["count"] = population["count"].astype(int)
    return participants, population


def _reach_block(
    result: Reach, *, slug: str, title: str, choices: type[TextChoices], fmt: Numbers
) -> Block:
    column = result.group_columns[0]
    public = result.public(SMALL_NUMBER_THRESHOLD)
    order = {value: i for i, value in enumerate(choices.values)}
    public = public.sort_values(column, key=lambda s: s.map(order)).reset_index(drop=True)
    rows = []
    for row in public.to_dict("records"):
        suppressed = bool(row["suppressed"])
        rows.append(
            [
                _label(choices, row[column]),
                fmt.fewer_than(SMALL_NUMBER_THRESHOLD)
                if suppressed
                else fmt.count(int(row["participants"])),
                fmt.percent(row["participant_share"]),
                fmt.percent(row["population_share"]),
                fmt.decimal(row["reach_ratio"], 2),
            ]
        )
    columns = [
        title,
        _("Participants"),
        _("Share of participants"),
        _("Share of adult residents"),
        _("Reach ratio (1 = in proportion)"),
    ]
    who_participants, who_residents = _("Participants"), _("Adult residents")
    data = pd.concat(
        [
            pd.DataFrame(
                {
                    "label": [_label(choices, v) for v in public[column]],
                    "who": who_participants,
                    "share": 100 * public["participant_share"],
                }
            ),
            pd.DataFrame(
                {
                    "label": [_label(choices, v) for v in public[column]],
                    "who": who_residents,
                    "share": 100 * public["population_share"],
                }
            ),
        ]
    ).dropna(subset=["share"])
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort=None),
            yOffset=alt.YOffset("who:N", sort=[who_participants, who_residents]),
            x=alt.X("share:Q", title=_("Share (%)")),
            color=alt.Color(
                "who:N",
                title=None,
                scale=alt.Scale(domain=[who_participants, who_residents], range=PALETTE[:2]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("label:N", title=_("Group")),
                alt.Tooltip("who:N", title=_("Who")),
                alt.Tooltip("share:Q", title=_("Share (%)"), format=".1f"),
            ],
        )
        .properties(width=CHART_WIDTH)
    )
    notes = [
        _(
            "Groups with fewer than %(n)s participants are not shown, and when only one "
            "group is that small the next smallest is hidden too, so that nobody can be "
            "singled out."
        )
        % {"n": SMALL_NUMBER_THRESHOLD},
        _(
            "Participants are counted once per group they were in when they took part, "
            "from the answers they agreed to share; %(unknown)s did not say."
        )
        % {"unknown": fmt.count(result.participants_unknown)},
    ]
    return Block(
        slug=slug,
        title=_("%(grouping)s: participants against residents") % {"grouping": title},
        summary=_(
            "The mix of known participants against the area's adult residents. "
            "Index of dissimilarity: %(d)s (0 = the same mix, 1 = no overlap)."
        )
        % {"d": fmt.decimal(result.dissimilarity, 2)},
        table=ChartTable(columns=columns, rows=rows, numeric=[False, True, True, True, True]),
        chart=chart,
        notes=notes,
    )


def _least_reached(result: Reach, choices: type[TextChoices], limit: int = 3) -> list[str]:
    # Ranked on the full counts: naming a group as under-reached gives no count away.
    ranked = result.who_is_missing()
    below = ranked[ranked["reach_ratio"] < 1].head(limit)
    return [_label(choices, value) for value in below[result.group_columns[0]]]


def reach_page(data: ReachData, *, sensitive: bool, fmt: Numbers) -> ReachPage:
    """Totals always; the demographic mix when the service is not sensitive and both
    the participants' answers and the area's population are there."""
    blocks = {"totals": _totals_block(data, fmt)}
    if sensitive:
        message = _(
            "The mix of participants is not shown for a sensitive service, even in groups "
            "of 10 or more, to protect the people it serves."
        )
        return ReachPage(blocks=blocks, least_reached=[], dissimilarity={}, message=message)
    if data.population.empty:
        message = _("The service's area has no population figures, so reach cannot be compared.")
        return ReachPage(blocks=blocks, least_reached=[], dissimilarity={}, message=message)
    participants, population = _reach_frames(data)
    groupings: dict[str, tuple[str, str, type[TextChoices]]] = {
        "age": ("age_band", _("Age"), AgeBand),
        "sex": ("sex", _("Sex"), Sex),
    }
    least: list[str] = []
    dissimilarity: dict[str, float] = {}
    for slug, (column, title, choices) in groupings.items():
        try:
            result = reach_by_variable(participants, population, [column])[column]
        except ValueError:
            # No known participant in this grouping yet, or participants in a group the
            # area's figures lack: nothing to compare.
            continue
        blocks[slug] = _reach_block(result, slug=slug, title=title, choices=choices, fmt=fmt)
        least.extend(_least_reached(result, choices))
        dissimilarity[slug] = round(result.dissimilarity, 2)
    message = (
        ""
        if len(blocks) > 1
        else _(
            "Nobody who shared their age or gender has taken part yet, so reach cannot be compared."
        )
    )
    return ReachPage(
        blocks=blocks, least_reached=least, dissimilarity=dissimilarity, message=message
    )


# ---------------------------------------------------------------------------------------
# Area roll-up


def rollup_block(rows: Sequence[RollUpRow], fmt: Numbers) -> Block:
    not_shown = _("not shown to protect people")
    none_yet = _("none yet")
    cells = []
    for row in rows:
        if row.people is None:
            people = per_thousand = not_shown
        else:
            people = fmt.count(row.people)
            per_thousand = (
                fmt.decimal(row.per_thousand, 1)
                if row.per_thousand is not None
                else _("no population figures")
            )
        cells.append(
            [
                row.service.name,
                row.service.provider.name,
                fmt.count(row.activities),
                _rung_label(row.highest_rung) if row.highest_rung else none_yet,
                fmt.yes_no(row.only_informs),
                people,
                per_thousand,
            ]
        )
    columns = [
        _("Service"),
        _("Provider"),
        _("Activities"),
        _("Highest rung reached"),
        _("Only informs"),
        _("Participation (people)"),
        _("Participation per 1,000 residents"),
    ]
    informs, others = _("Only informs"), _("Goes beyond informing")
    data = pd.DataFrame(
        [
            {
                "service": row.service.name,
                "rung": row.highest_rung,
                "rung_label": str(Rung(row.highest_rung).label),
                "kind": informs if row.only_informs else others,
            }
            for row in rows
            if row.highest_rung
        ],
        columns=["service", "rung", "rung_label", "kind"],
    )
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("service:N", title=None, sort=None),
            x=alt.X(
                "rung:Q",
                title=_("Highest rung reached (1 manipulation – 8 citizen control)"),
                scale=alt.Scale(domain=[0, 8]),
                axis=alt.Axis(tickMinStep=1),
            ),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=[informs, others], range=[PALETTE[1], PALETTE[0]]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("service:N", title=_("Service")),
                alt.Tooltip("rung_label:N", title=_("Highest rung reached")),
            ],
        )
        .properties(width=CHART_WIDTH)
    )
    only_inform = sum(1 for row in rows if row.only_informs)
    return Block(
        slug="services",
        title=_("Services and the highest rung they reach"),
        summary=_("%(n)s services, of which %(informs)s only inform.")
        % {"n": fmt.count(len(rows)), "informs": fmt.count(only_inform)},
        table=ChartTable(
            columns=columns, rows=cells, numeric=[False, False, True, False, False, True, True]
        ),
        chart=chart if not data.empty else None,
        notes=[
            _(
                "Participation counts people, including people counted anonymously; per "
                "1,000 residents uses all residents of the area each service serves."
            ),
            _("Sensitive services are listed without their participation, to protect people."),
        ],
    )


# ---------------------------------------------------------------------------------------
# Partnership network


def _positions(count: int) -> list[tuple[float, float]]:
    """The organisation in the centre, its partners evenly on a circle around it."""
    partners = count - 1
    return [(0.0, 0.0)] + [
        (
            math.cos(math.pi / 2 - 2 * math.pi * i / partners),
            math.sin(math.pi / 2 - 2 * math.pi * i / partners),
        )
        for i in range(partners)
    ]


def network_block(network: Network, fmt: Numbers) -> Block:
    current, ended = _("Current"), _("Ended")

    def when(day: date) -> str:
        return day.isoformat() if fmt.for_csv else date_format(day)

    cells = [
        [
            edge.source.name,
            edge.target.name,
            edge.get_kind_display(),
            when(edge.started_on),
            when(edge.ended_on) if edge.ended_on else current,
        ]
        for edge in network.edges
    ]
    columns = [_("From"), _("To"), _("Kind"), _("Started"), _("Ended")]
    table = ChartTable(columns=columns, rows=cells, numeric=[False] * len(columns))
    summary = _(
        "%(name)s works with %(partners)s organisations through %(edges)s partnerships."
    ) % {
        "name": network.organisation.name,
        "partners": fmt.count(len(network.nodes) - 1),
        "edges": fmt.count(len(network.edges)),
    }
    title = _("Partnership network")
    if len(network.nodes) < 2:
        return Block(slug="network", title=title, summary=summary, table=table)
    position = {
        node.pk: xy for node, xy in zip(network.nodes, _positions(len(network.nodes)), strict=True)
    }
    # Several partnerships between the same two organisations: draw them side by side.
    pairs: dict[frozenset[int], int] = {}
    for edge in network.edges:
        key = frozenset((edge.source.pk, edge.target.pk))
        pairs[key] = pairs.get(key, 0) + 1
    seen: dict[frozenset[int], int] = {}
    edge_rows: list[dict[str, Any]] = []
    for edge in network.edges:
        key = frozenset((edge.source.pk, edge.target.pk))
        index = seen.get(key, 0)
        seen[key] = index + 1
        (x1, y1), (x2, y2) = position[edge.source.pk], position[edge.target.pk]
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        shift = 0.04 * (index - (pairs[key] - 1) / 2)
        dx, dy = -(y2 - y1) / length * shift, (x2 - x1) / length * shift
        edge_rows.append(
            {
                "x": x1 + dx,
                "y": y1 + dy,
                "x2": x2 + dx,
                "y2": y2 + dy,
                "kind": edge.get_kind_display(),
                "status": ended if edge.ended_on else current,
                "from": edge.source.name,
                "to": edge.target.name,
            }
        )
    nodes = pd.DataFrame(
        [{"x": position[n.pk][0], "y": position[n.pk][1], "name": n.name} for n in network.nodes]
    )
    domain = alt.Scale(domain=[-1.5, 1.5])
    x = alt.X("x:Q", axis=None, scale=domain)
    y = alt.Y("y:Q", axis=None, scale=domain)
    kinds = [str(kind.label) for kind in PartnershipKind]
    rules = (
        alt.Chart(pd.DataFrame(edge_rows))
        .mark_rule(strokeWidth=3)
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            color=alt.Color(
                "kind:N",
                title=_("Kind"),
                scale=alt.Scale(domain=kinds, range=PALETTE[: len(kinds)]),
            ),
            strokeDash=alt.StrokeDash(
                "status:N",
                title=None,
                scale=alt.Scale(domain=[current, ended], range=[[1, 0], [6, 4]]),
            ),
            tooltip=[
                alt.Tooltip("from:N", title=_("From")),
                alt.Tooltip("to:N", title=_("To")),
                alt.Tooltip("kind:N", title=_("Kind")),
                alt.Tooltip("status:N", title=_("Status")),
            ],
        )
    )
    points = (
        alt.Chart(nodes)
        .mark_circle(size=220, color="#0b0c0c", opacity=1)
        .encode(x=x, y=y, tooltip=[alt.Tooltip("name:N", title=_("Organisation"))])
    )
    names = alt.Chart(nodes).mark_text(dy=-16, fontSize=12).encode(x=x, y=y, text="name:N")
    chart = alt.layer(rules, points, names).properties(width=CHART_WIDTH, height=CHART_WIDTH)
    return Block(slug="network", title=title, summary=summary, table=table, chart=chart)
