"""Every write about areas: importing them, with their population and households.

One function per use case, keyword-only, in one transaction: a file with any problem
writes nothing, and the exception lists every problem at once (see `AreaImportError`).
Imports are idempotent: areas are matched by `code`, so importing the same file twice
leaves the database as the first import left it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TypeGuard

from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.core.choices import AgeBand, Sex
from coproduce.places.csv_format import (
    CODE_MAX_LENGTH,
    KEEP,
    AreaImportError,
    PlannedArea,
    PopulationKey,
    Problems,
    Source,
    parse_area_csv,
    parse_census_households,
    parse_census_population,
    raise_if_any,
    source_label,
)
from coproduce.places.models import Area, AreaLevel, AreaPopulation

__all__ = [
    "AreaImportError",
    "AreaImportReport",
    "areas_import_census",
    "areas_import_csv",
]

# Small enough for SQLite's limit on query parameters, large enough to keep round trips
# few: 2,000 areas take a handful of queries.
_BATCH = 500


@dataclass(frozen=True)
class AreaImportReport:
    """What an import did. An area is `updated` only if something about it changed."""

    created: int
    updated: int
    unchanged: int
    # Population counts written (new areas, and areas whose counts changed); counts that
    # were already right are left alone, so a repeated import writes none.
    population_rows: int
    codes: tuple[str, ...]
    dry_run: bool = False

    @property
    def areas(self) -> int:
        return self.created + self.updated + self.unchanged


@transaction.atomic
def areas_import_csv(*, source: Source, dry_run: bool = False) -> AreaImportReport:
    """Create or update areas from a Coproduce area CSV (docs/data-formats.md, "Areas").

    Raises AreaImportError, listing every problem with its line, and writes nothing, if
    any row is bad. With `dry_run`, everything is checked and counted, then rolled back.
    """
    problems = Problems(file=source_label(source))
    planned = parse_area_csv(source, problems)
    # The hierarchy is checked even when some rows are bad, so that one pass reports all.
    if not problems.truncated:
        _check_hierarchy(planned, problems)
    raise_if_any(problems)
    report = _apply(planned, dry_run=dry_run)
    if dry_run:
        transaction.set_rollback(True)
    return report


@transaction.atomic
def areas_import_census(
    *,
    population: Source,
    households: Source | None = None,
    parent_code: str | None = None,
    level: AreaLevel | None = None,
    dry_run: bool = False,
) -> AreaImportReport:
    """Create or update areas from ONS Census 2021 long files (docs/data-formats.md).

    `population` gives each area's name and its usual residents by single year of age
    and sex, added up into age band and sex. `households` (optional) gives households by
    size; an area's households are their sum. `level` defaults to the file's geography
    ("Electoral ward" → ward, "Local authority" → district). `parent_code` attaches every
    imported area under an existing area; without it, new areas have no parent and
    existing ones keep theirs (so a census refresh never undoes a hierarchy built by an
    area CSV). Deprivation deciles are never touched.
    """
    population_problems = Problems(file=source_label(population))
    planned = parse_census_population(population, level=level, problems=population_problems)

    general = Problems()
    parent_ok = True
    if parent_code is not None:
        if not Area.objects.filter(code=parent_code).exists():
            general.add(
                None,
                _("the parent area '%(code)s' does not exist; import or create it first")
                % {"code": parent_code},
            )
            parent_ok = False
        for area in planned:
            area.parent_code = parent_code

    household_problems = Problems(file=source_label(households) if households is not None else None)
    if households is not None:
        totals = parse_census_households(households, household_problems)
        by_code = {area.code: area for area in planned}
        for code, total in totals.items():
            if code not in by_code:
                household_problems.add(
                    total.line,
                    _("area %(code)s is not in the population file") % {"code": code},
                )
        if totals:
            for area in planned:
                if area.code in totals:
                    area.households = totals[area.code].households
                else:
                    household_problems.add(
                        None,
                        _("area %(code)s (population file line %(line)d) has no households")
                        % {"code": area.code, "line": area.line},
                    )

    if parent_ok and not population_problems.truncated:
        # A missing parent would otherwise be reported once per area.
        _check_hierarchy(planned, population_problems)
    raise_if_any(general, population_problems, household_problems)
    report = _apply(planned, dry_run=dry_run)
    if dry_run:
        transaction.set_rollback(True)
    return report


# --- checks that need the database -------------------------------------------------------


def _check_hierarchy(planned: list[PlannedArea], problems: Problems) -> None:
    """Report unknown parents, cycles and parents not above their children.

    The hierarchy checked is the one the import would leave: the file's areas as the file
    says, every other area as the database has it. So a file may list children before
    parents, may attach areas under existing ones, and may not change an existing area's
    level so that an area already under it would no longer be below it.
    """
    if not planned:
        return
    by_code = {area.code: area for area in planned}
    level_of: dict[str, AreaLevel | None] = {area.code: area.level for area in planned}
    parent_of: dict[str, str | None] = {}
    current = {code: parent for code, _level, parent in _links(by_code)}
    for area in planned:
        if area.parent_code is KEEP:
            parent_of[area.code] = current.get(area.code)
        else:
            parent_of[area.code] = area.parent_code

    # Existing ancestors, one query per generation (a hierarchy is a handful deep).
    pending = {code for code in parent_of.values() if _usable(code) and code not in level_of}
    while pending:
        found = list(_links(pending))
        for code, level, parent in found:
            level_of[code] = AreaLevel(level)
            parent_of[code] = parent
        pending = {
            parent
            for _code, _level, parent in found
            if parent is not None and parent not in level_of
        }

    for area in planned:
        parent = parent_of[area.code]
        if _usable(parent) and parent not in level_of:
            problems.add(
                area.line,
                _("parent_code '%(parent)s' is neither an area in the file nor an existing area")
                % {"parent": parent},
            )

    in_cycle = _report_cycles(planned, parent_of, level_of, problems)

    for area in planned:
        parent = parent_of[area.code]
        if area.level is None or area.code in in_cycle or parent is None:
            continue
        parent_level = level_of.get(parent)
        if parent_level is not None and parent_level.rank >= area.level.rank:
            problems.add(area.line, _not_above_message(area.level, parent, parent_level))

    # Existing areas outside the file whose parent the file changes the level of.
    children = [link for link in _children_links(by_code) if link[0] not in by_code]
    for child_code, child_level, parent_code in children:
        parent_area = by_code[parent_code]
        if parent_area.level is not None and parent_area.level.rank >= AreaLevel(child_level).rank:
            problems.add(
                parent_area.line,
                _(
                    "area %(code)s cannot become a %(level)s: existing area %(child)s, "
                    "a %(child_level)s, is part of it"
                )
                % {
                    "code": parent_code,
                    "level": parent_area.level.value,
                    "child": child_code,
                    "child_level": child_level,
                },
            )


def _usable(code: str | None) -> TypeGuard[str]:
    # Too-long codes are reported by the parser; don't look them up or report them twice.
    return code is not None and len(code) <= CODE_MAX_LENGTH


def _not_above_message(level: AreaLevel, parent: str, parent_level: AreaLevel) -> str:
    return _(
        "a %(level)s cannot be part of %(parent)s, which is a %(parent_level)s: "
        "a parent must be of a higher level (nation > county > district > ward or parish)"
    ) % {"level": level.value, "parent": parent, "parent_level": parent_level.value}


def _report_cycles(
    planned: list[PlannedArea],
    parent_of: dict[str, str | None],
    level_of: dict[str, AreaLevel | None],
    problems: Problems,
) -> set[str]:
    """Report each area of the file that would be its own ancestor; return the codes."""
    line_of = {area.code: area.line for area in planned}
    done: set[str] = set()
    in_cycle: set[str] = set()
    for start in line_of:
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start
        while node is not None and node in level_of and node not in done and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = parent_of.get(node)
        if node is not None and node in on_path:
            cycle = path[path.index(node) :]
            in_cycle.update(cycle)
            for position, member in enumerate(cycle):
                if member not in line_of:
                    continue
                if len(cycle) == 1:
                    message = _("area %(code)s cannot be its own parent") % {"code": member}
                else:
                    rotated = [*cycle[position:], *cycle[:position], member]
                    message = _("the parents make a cycle: %(cycle)s") % {
                        "cycle": " → ".join(rotated)
                    }
                problems.add(line_of[member], message)
        done.update(path)
    return in_cycle


def _chunks(items: Iterable[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _links(codes: Iterable[str]) -> Iterator[tuple[str, str, str | None]]:
    """(code, level, parent code) of the existing areas among `codes`."""
    for batch in _chunks(codes):
        yield from Area.objects.filter(code__in=batch).values_list("code", "level", "parent__code")


def _children_links(codes: Iterable[str]) -> Iterator[tuple[str, str, str]]:
    """(code, level, parent code) of the existing areas whose parent is among `codes`."""
    for batch in _chunks(codes):
        for code, level, parent in Area.objects.filter(parent__code__in=batch).values_list(
            "code", "level", "parent__code"
        ):
            assert parent is not None  # noqa: S101 - filtered on the parent's code # nosec B101
            yield code, level, parent


# --- writing ---------------------------------------------------------------------------


def _apply(planned: list[PlannedArea], *, dry_run: bool) -> AreaImportReport:
    """Upsert the checked areas by code with bulk queries; replace population that changed."""
    codes = [area.code for area in planned]
    existing = set(_in_bulk(codes))
    new_areas = []
    for plan in planned:
        if plan.code not in existing:
            assert plan.level is not None  # noqa: S101 - a level problem stops the import # nosec B101
            new_areas.append(
                Area(
                    code=plan.code,
                    name=plan.name,
                    level=plan.level,
                    households=None if plan.households is KEEP else plan.households,
                    deprivation_decile=(
                        None if plan.deprivation_decile is KEEP else plan.deprivation_decile
                    ),
                )
            )
    # Parents are set afterwards: a file may name a parent that comes later in it.
    Area.objects.bulk_create(new_areas, batch_size=_BATCH)

    parent_codes = {plan.parent_code for plan in planned if isinstance(plan.parent_code, str)}
    # Read back rather than trust bulk_create's primary keys, which not every backend sets.
    areas = _in_bulk([*codes, *(parent_codes - set(codes))])
    current = _population_of(
        [areas[plan.code].pk for plan in planned if plan.code in existing and plan.population]
    )

    fields = ["name", "level", "parent", "households", "deprivation_decile"]
    to_update: list[Area] = []
    replaced: list[int] = []
    rows: list[AreaPopulation] = []
    updated = unchanged = 0
    for plan in planned:
        area = areas[plan.code]
        before = [getattr(area, name if name != "parent" else "parent_id") for name in fields]
        area.name = plan.name
        area.level = plan.level or area.level
        if plan.parent_code is not KEEP:
            area.parent_id = areas[plan.parent_code].pk if plan.parent_code else None
        if plan.households is not KEEP:
            area.households = plan.households
        if plan.deprivation_decile is not KEEP:
            area.deprivation_decile = plan.deprivation_decile
        after = [getattr(area, name if name != "parent" else "parent_id") for name in fields]
        area_changed = before != after
        if area_changed:
            to_update.append(area)
        population_changed = plan.population is not None and plan.population != current.get(
            area.pk, {}
        )
        if population_changed and plan.population is not None:
            replaced.append(area.pk)
            rows.extend(
                AreaPopulation(area_id=area.pk, age_band=band, sex=sex, count=count)
                for (band, sex), count in plan.population.items()
            )
        if plan.code in existing:
            if area_changed or population_changed:
                updated += 1
            else:
                unchanged += 1

    Area.objects.bulk_update(to_update, fields, batch_size=_BATCH)
    for batch in _chunks_of_ids(replaced):
        AreaPopulation.objects.filter(area_id__in=batch).delete()
    AreaPopulation.objects.bulk_create(rows, batch_size=_BATCH)
    return AreaImportReport(
        created=len(new_areas),
        updated=updated,
        unchanged=unchanged,
        population_rows=len(rows),
        codes=tuple(codes),
        dry_run=dry_run,
    )


def _in_bulk(codes: list[str]) -> dict[str, Area]:
    found: dict[str, Area] = {}
    for batch in _chunks(codes):
        found.update(Area.objects.in_bulk(batch, field_name="code"))
    return found


def _chunks_of_ids(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _BATCH):
        yield ids[start : start + _BATCH]


def _population_of(area_ids: list[int]) -> dict[int, dict[PopulationKey, int]]:
    population: dict[int, dict[PopulationKey, int]] = {}
    for batch in _chunks_of_ids(area_ids):
        for area_id, band, sex, count in AreaPopulation.objects.filter(
            area_id__in=batch
        ).values_list("area_id", "age_band", "sex", "count"):
            population.setdefault(area_id, {})[(AgeBand(band), Sex(sex))] = count
    return population
