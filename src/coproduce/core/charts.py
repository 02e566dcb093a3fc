"""Charts: one Vega-Lite spec per chart, drawn as SVG on the server, with its data table.

The same spec serves three uses: the SVG inlined in the page (works without
JavaScript and prints), the interactive version that `coproduce/charts.js` draws over it
with the Vega bundle (progressive enhancement), and later the PDF reports. Every chart
carries the table of the numbers it shows, because a chart alone is not accessible.
"""

import csv
import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import vl_convert
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from coproduce.core.spreadsheets import safe_cell

# Drawing an SVG costs 50-150 ms a chart, far more than the queries behind it; the same
# spec (same numbers, same language) always gives the same drawing, so keep it a while.
SVG_CACHE_SECONDS = 600


@dataclass(frozen=True)
class ChartTable:
    """The numbers behind a chart, already formatted for people."""

    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    numeric: Sequence[bool]

    def as_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([safe_cell(str(column)) for column in self.columns])
        writer.writerows([safe_cell(str(cell)) for cell in row] for row in self.rows)
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
    """Build a chart's spec and its server-side SVG (no browser, no network).

    Checking the spec against the Vega-Lite schema takes longer than the queries of a
    dashboard, and the specs come from this code, not from users: the test suite checks
    every one (``CHART_VALIDATE``), pages do not.
    """
    spec: dict[str, Any] = chart.to_dict(validate=settings.CHART_VALIDATE)
    return Chart(
        slug=slug, title=title, summary=summary, spec=spec, svg=draw_svg(spec), table=table
    )


def draw_svg(spec: dict[str, Any]) -> str:
    """The SVG of a Vega-Lite spec, from the cache when the same spec was drawn lately."""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()
    key = f"charts:svg:{digest}"
    svg = cache.get(key)
    if svg is None:
        svg = vl_convert.vegalite_to_svg(spec)
        cache.set(key, svg, SVG_CACHE_SECONDS)
    return str(svg)


def csv_response(table: ChartTable, *, filename: str) -> HttpResponse:
    """The table of a chart as a CSV download."""
    response = HttpResponse(table.as_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def javascript_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed in one file, from the installed vl-convert."""
    # The stub marks the snippet required; the function documents None as "the default".
    return str(vl_convert.javascript_bundle(None))  # type: ignore[arg-type]
