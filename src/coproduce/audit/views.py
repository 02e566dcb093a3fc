"""The audit trail page of an organisation, for its managers."""

import csv
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from coproduce.audit.forms import AuditFilterForm
from coproduce.audit.selectors import AuditEntry, audit_all, audit_organisation, audit_page
from coproduce.core.spreadsheets import safe_cell


def _filter_form(request: HttpRequest) -> AuditFilterForm:
    form = AuditFilterForm(request.GET)
    form.is_valid()
    return form


@login_required
@require_GET
def audit(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = audit_organisation(request.user, slug)
    form = _filter_form(request)
    context = {"organisation": organisation, "form": form}
    if not form.errors:
        page, entries = audit_page(organisation, form.filters(), request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context |= {"page": page, "entries": entries, "query": query.urlencode()}
    return render(request, "audit/audit.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(entries: Iterator[AuditEntry]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(
        [
            _("When"),
            _("Who"),
            _("Kind"),
            _("Record"),
            _("Action"),
            _("Field"),
            _("Before"),
            _("After"),
        ]
    )
    for entry in entries:
        when = entry.when.isoformat()
        head = [when, entry.who, entry.kind, entry.record, entry.action]
        changes = [[c.field, c.old, c.new] for c in entry.changes] or [["", "", ""]]
        for change in changes:
            yield writer.writerow([safe_cell(value) for value in head + change])


@login_required
@require_GET
def audit_csv(request: HttpRequest, slug: str) -> HttpResponse | StreamingHttpResponse:
    organisation = audit_organisation(request.user, slug)
    form = _filter_form(request)
    if form.errors:
        return render(
            request, "audit/audit.html", {"organisation": organisation, "form": form}, status=400
        )
    lines = _csv_lines(audit_all(organisation, form.filters()))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{organisation.slug}.csv"'
    return response
