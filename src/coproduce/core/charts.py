"""Charts: one Vega-Lite spec per chart, drawn as SVG on the server, with its data table.

The same spec serves three uses: the SVG inlined in the page (works without
JavaScript and prints), the interactive version that `coproduce/charts.js` draws over it
with the Vega bundle (progressive enhancement), and later the PDF reports. Every chart
carries the table of the numbers it shows, because a chart alone is not accessible.
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import vl_convert
from django.http import HttpResponse


@dataclass(frozen=True)
class ChartTable:
    """The numbers behind a chart, already formatted for people."""

    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    numeric: Sequence[bool]

    def as_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(self.columns)
        writer.writerows(self.rows)
        return buffer.getvalue()


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    summary: str  # one plain-language sentence: what the chart says
    spec: dict[str, Any]
    svg: str
    table: ChartTable

    @property
    def spec_element_id(self) -> str:
        return f"chart-{self.slug}-spec"


def render_chart(
    *, slug: str, title: str, summary: str, chart: alt.TopLevelMixin, table: ChartTable
) -> Chart:
    """Build a chart's spec and its server-side SVG (no browser, no network)."""
    spec: dict[str, Any] = chart.to_dict()
    return Chart(
        slug=slug,
        title=title,
        summary=summary,
        spec=spec,
        svg=vl_convert.vegalite_to_svg(spec),
        table=table,
    )


def csv_response(table: ChartTable, *, filename: str) -> HttpResponse:
    """The table of a chart as a CSV download."""
    response = HttpResponse(table.as_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def javascript_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed in one file, from the installed vl-convert."""
    # The stub marks the snippet required; the function documents None as "the default".
    return str(vl_convert.javascript_bundle(None))  # type: ignore[arg-type]
