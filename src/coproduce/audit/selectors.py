"""The audit trail of one organisation: its records' changes, newest first.

A page is read in a bounded number of queries whatever its length: one union over the
history tables finds the page's rows (and one counts them), then, for each kind of record
on the page, one query reads its rows with their authors and the number of the row
before each, one reads those earlier rows, and one per kind of linked record names the
linked records a change points to.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import CharField, OuterRef, QuerySet, Subquery, Value
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from coproduce.audit.models import TRACKED, TRACKED_BY_KEY, UNSHOWN_FIELDS, Tracked
from coproduce.organisations.models import Organisation
from coproduce.organisations.permissions import require_manager
from coproduce.organisations.selectors import organisation_public

PAGE_SIZE = 25
CREATED, CHANGED, DELETED = "+", "~", "-"


@dataclass(frozen=True)
class Filters:
    kind: str = ""  # a key of TRACKED_BY_KEY, "" for every kind
    person: str = ""  # a username, "" for everyone
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class AuditEntry:
    when: datetime
    who: str  # the username, or "system" for a task or a command
    kind: str
    record: str
    action: str
    changes: list[FieldChange]


def _history_rows(tracked: Tracked, organisation: Organisation, filters: Filters) -> QuerySet[Any]:
    # No ordering inside the union (SQLite refuses it): the union orders the whole.
    rows = tracked.history.filter(**{tracked.organisation: organisation.pk}).order_by()
    if filters.person:
        rows = rows.filter(history_user__username=filters.person)
    if filters.since:
        rows = rows.filter(history_date__date__gte=filters.since)
    if filters.until:
        rows = rows.filter(history_date__date__lte=filters.until)
    kind = Value(tracked.key, output_field=CharField())
    return rows.annotate(audit_kind=kind).values_list("history_id", "history_date", "audit_kind")


def changes_of(organisation: Organisation, filters: Filters) -> QuerySet[Any]:
    """(history id, date, kind) of every change to the organisation's records, newest
    first, as one union the paginator counts and slices in the database."""
    kinds = [TRACKED_BY_KEY[filters.kind]] if filters.kind else list(TRACKED)
    first, *others = (_history_rows(tracked, organisation, filters) for tracked in kinds)
    return first.union(*others, all=True).order_by("-history_date", "-history_id")


def _label(tracked: Tracked, row: Any) -> str:
    name = capfirst(tracked.model._meta.verbose_name)
    value = getattr(row, tracked.label) if tracked.label else None
    field = tracked.model._meta.get_field(tracked.label) if tracked.label else None
    shown = _shown(field, value)  # type: ignore[arg-type]
    return f"{name}: {shown}" if value not in (None, "") else f"{name} #{row.id}"


def _shown(field: models.Field[Any, Any] | None, value: Any) -> str:
    """A value as people read it: its choice's label, a local date and time, or "—"."""
    if value in (None, ""):
        return "—"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return str(formats.localize(value))


class _LinkedNames:
    """Names for the records a change points to, one query per kind of linked record."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self.names: dict[tuple[type[models.Model], Any], str] = {}

    def want(self, field: models.Field[Any, Any], *values: Any) -> None:
        if field.is_relation and field.related_model is not None:
            self.wanted[field.related_model].update(v for v in values if v is not None)  # type: ignore[index]

    def load(self) -> None:
        for model, pks in self.wanted.items():
            tracked = TRACKED_BY_KEY.get(model._meta.label_lower)
            for obj in model._default_manager.filter(pk__in=pks):
                self.names[(model, obj.pk)] = self._name(obj, tracked)

    @staticmethod
    def _name(obj: models.Model, tracked: Tracked | None) -> str:
        if isinstance(obj, get_user_model()):
            return obj.get_username()
        return _label(tracked, obj) if tracked else str(obj)

    def name(self, field: models.Field[Any, Any], value: Any) -> str:
        if field.is_relation and value is not None:
            return self.names.get((field.related_model, value), f"#{value}")  # type: ignore[arg-type]
        return _shown(field, value)


def _field_pairs(
    tracked: Tracked, row: Any, previous: Any | None
) -> Iterator[tuple[models.Field[Any, Any], Any, Any]]:
    """(field, old value, new value) of every shown field that changed (every field
    with a value for a record first seen)."""
    model = tracked.history.model
    names = [
        f.name
        for f in row.tracked_fields
        if f.editable and not f.primary_key and f.name not in UNSHOWN_FIELDS
    ]
    if previous is not None:
        delta = row.diff_against(previous, included_fields=names)
        for change in delta.changes:
            yield model._meta.get_field(change.field), change.old, change.new
        return
    for name in sorted(names):
        field = model._meta.get_field(name)
        value = getattr(row, field.attname)
        if value not in (None, ""):
            yield field, None, value


def _rows_of(tracked: Tracked, history_ids: list[int]) -> tuple[list[Any], dict[int, Any]]:
    """The page's rows of one kind with their authors, and the row before each."""
    history = tracked.history
    before = history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
    rows = list(
        history.filter(history_id__in=history_ids)
        .select_related("history_user")
        .annotate(previous_id=Subquery(before.order_by("-history_id").values("history_id")[:1]))
    )
    previous_ids = [row.previous_id for row in rows if row.previous_id]
    previous = history.in_bulk(previous_ids) if previous_ids else {}
    return rows, previous


def _entries(page_rows: Iterable[tuple[int, datetime, str]]) -> list[AuditEntry]:
    by_kind: dict[str, list[int]] = defaultdict(list)
    order = []
    for history_id, _when, key in page_rows:
        by_kind[key].append(history_id)
        order.append((key, history_id))
    linked = _LinkedNames()
    found: dict[tuple[str, int], tuple[Tracked, Any, list[tuple[Any, Any, Any]]]] = {}
    for key, history_ids in by_kind.items():
        tracked = TRACKED_BY_KEY[key]
        rows, previous = _rows_of(tracked, history_ids)
        for row in rows:
            pairs = list(_field_pairs(tracked, row, previous.get(row.previous_id)))
            for field, old, new in pairs:
                linked.want(field, old, new)
            found[(key, row.history_id)] = (tracked, row, pairs)
    linked.load()
    return [_entry(*found[item], linked) for item in order if item in found]


def _entry(
    tracked: Tracked, row: Any, pairs: list[tuple[Any, Any, Any]], linked: _LinkedNames
) -> AuditEntry:
    actions = {CREATED: _("Created"), CHANGED: _("Changed"), DELETED: _("Deleted")}
    changes = [
        FieldChange(str(field.verbose_name), linked.name(field, old), linked.name(field, new))
        for field, old, new in pairs
    ]
    user = row.history_user
    return AuditEntry(
        when=row.history_date,
        who=user.get_username() if user else _("system"),
        kind=str(tracked.model._meta.verbose_name),
        record=_label(tracked, row),
        action=actions[row.history_type],
        changes=changes if row.history_type != DELETED else [],
    )


def audit_page(
    organisation: Organisation, filters: Filters, number: int | str | None
) -> tuple[Page[Any], list[AuditEntry]]:
    """One page of the organisation's audit trail (an out-of-range number gives the last)."""
    page = Paginator(changes_of(organisation, filters), PAGE_SIZE).get_page(number)
    return page, _entries(page.object_list)


def audit_all(
    organisation: Organisation, filters: Filters, chunk: int = 500
) -> Iterator[AuditEntry]:
    """Every entry, read ``chunk`` at a time (the CSV export)."""
    changes = changes_of(organisation, filters)
    start = 0
    while batch := list(changes[start : start + chunk]):
        yield from _entries(batch)
        start += chunk


def audit_organisation(user: AbstractBaseUser | AnonymousUser, slug: str) -> Organisation:
    """The organisation whose audit trail the person asks for: its managers only (and
    superusers), since it shows every staff member's work."""
    organisation = organisation_public(slug)
    require_manager(user, organisation)
    return organisation
