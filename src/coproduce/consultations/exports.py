"""A form's results out of the page: charts, a table of responses, and open data.

* **Charts**: a bar chart of each counted question (choices, agreement, scales, consent),
  drawn on the server with the numbers beside it (``core.charts``).
* **Responses table** (CSV and XLSX) for the provider's staff: one row per submitted
  response, numbered in the order they came, with when, the channel and each answer.
  No participant reference is ever exported: a pseudonymous reference is still
  personal data. Written answers are included only for the staff who run the service
  (they may name someone), exactly as on the results page.
* **Open data** (JSON) of a closed form of a service that is not sensitive: counts per
  answer only, no written answer and no response row; a form with fewer than 10
  responses publishes no counts, since small numbers can point to a person.
"""

import io
from collections import defaultdict
from typing import Any

import altair as alt
import pandas as pd
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from coproduce.analysis.reach import SMALL_NUMBER_THRESHOLD
from coproduce.core.charts import Chart, ChartTable, render_chart

from .models import TEXT_KINDS, Questionnaire, Response, ResponseChannel, ResponseStatus
from .selectors import QuestionResult, Results, questions_by_key, value_labels

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def question_chart(number: int, row: QuestionResult) -> Chart:
    """A horizontal bar chart of one counted question, with its table."""
    data = pd.DataFrame(row.counts, columns=["answer", "people"])
    chart = (
        alt.Chart(data)
        .mark_bar(color="#0072B2")
        .encode(
            y=alt.Y("answer:N", sort=None, title=None),
            x=alt.X("people:Q", title=_("People"), axis=alt.Axis(tickMinStep=1)),
            tooltip=["answer", "people"],
        )
        .properties(width=480, height=max(60, 28 * len(row.counts)))
    )
    top = max(row.counts, key=lambda pair: pair[1]) if row.counts else ("", 0)
    summary = (
        _("The most given answer was “%(answer)s”, by %(n)s of %(total)s people who answered.")
        % {"answer": top[0], "n": top[1], "total": row.answered}
        if row.answered
        else _("Nobody has answered this question yet.")
    )
    return render_chart(
        slug=f"question-{number}",
        title=row.question.label,
        summary=summary,
        chart=chart,
        table=ChartTable(
            columns=[_("Answer"), _("People")],
            rows=[[label, str(count)] for label, count in row.counts],
            numeric=[False, True],
        ),
    )


def _cell(value: Any, labels: dict[str, str]) -> str:
    items = value if isinstance(value, list) else [value]
    shown = [
        _("yes") if item is True else labels.get(str(item), str(item))
        for item in items
        if item is not None
    ]
    return "; ".join(shown)


def responses_table(questionnaire: Questionnaire, *, with_texts: bool) -> ChartTable:
    """Every submitted response as a row; three queries whatever the number of rows."""
    questions, by_key = questions_by_key(questionnaire)
    labels = {key: value_labels(versions) for key, versions in by_key.items()}
    texts = {q.key for q in questions if q.kind in TEXT_KINDS}
    responses = list(
        Response.objects.filter(questionnaire=questionnaire, status=ResponseStatus.COMPLETE)
        .order_by("submitted_at", "pk")
        .values_list("pk", "submitted_at", "channel")
    )
    answers: dict[int, dict[str, Any]] = defaultdict(dict)
    for response, key, value in Response.objects.filter(
        questionnaire=questionnaire, status=ResponseStatus.COMPLETE, answers__isnull=False
    ).values_list("pk", "answers__question__key", "answers__value"):
        answers[response][key] = value
    hidden = _("(not shown)")
    rows = []
    for number, (pk, submitted, channel) in enumerate(responses, start=1):
        cells = [
            str(number),
            submitted.date().isoformat() if submitted else "",
            str(ResponseChannel(channel).label),
        ]
        for question in questions:
            value = answers[pk].get(question.key)
            if value is None:
                cells.append("")
            elif question.key in texts and not with_texts:
                cells.append(hidden)
            else:
                cells.append(_cell(value, labels[question.key]))
        rows.append(cells)
    return ChartTable(
        columns=[_("Response"), _("Submitted"), _("Channel"), *[q.label for q in questions]],
        rows=rows,
        numeric=[True, False, False, *[False for _q in questions]],
    )


def xlsx_response(table: ChartTable, *, filename: str) -> HttpResponse:
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "Responses"
    for row in [table.columns, *table.rows]:
        sheet.append(list(row))
    # openpyxl stores a string beginning with "=" as a formula: an answer typed by a
    # resident must stay the text they typed (core.spreadsheets).
    for cells in sheet.iter_rows():
        for cell in cells:
            if cell.data_type == "f":
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def open_data(questionnaire: Questionnaire, results: Results) -> dict[str, object]:
    """Counts of a closed form's answers, or 404 while it is open or for a sensitive
    service."""
    if questionnaire.closed_at is None or questionnaire.service.sensitive:
        raise Http404
    enough = results.responses >= SMALL_NUMBER_THRESHOLD
    return {
        "form": {
            "title": questionnaire.public_title or questionnaire.title,
            "service": questionnaire.service.name,
            "closed_at": questionnaire.closed_at.isoformat(),
        },
        "responses": results.responses,
        "responses_by_channel": dict(results.by_channel),
        "counts_suppressed_below": SMALL_NUMBER_THRESHOLD,
        "questions": [
            {
                "question": row.question.label,
                "answered": row.answered if enough else None,
                "counts": [{"answer": label, "people": n} for label, n in row.counts]
                if enough
                else None,
            }
            for row in results.questions
            if row.is_counted
        ],
    }
