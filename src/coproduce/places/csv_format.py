"""Reading and checking the area files Coproduce imports (documented in docs/data-formats.md).

Pure parsing: nothing here touches the database. Each parser turns a file into a list of
`PlannedArea` (what the file says each area should become) plus every problem found,
each with its line number, so that a user fixes a file in one pass instead of one error
per attempt. Checks that need the database (does a parent exist? would the hierarchy
still be sound?) live in `services.py`.

Two formats:

* Coproduce's own wide area CSV: one row per area, population by age band and sex as
  columns (`female_0-17` … `male_75+`).
* The ONS Census 2021 long format (one row per area, single year of age and sex), with an
  optional households-by-size file in the same long shape.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TextIO

from django.utils.translation import gettext as _

from coproduce.core.choices import AgeBand, Sex
from coproduce.places.models import Area, AreaLevel

Source = TextIO | str | os.PathLike[str]
"""A file to import: an open text file, or the path of one."""

# PositiveIntegerField is a 32-bit signed integer on every database we support.
MAX_COUNT = 2_147_483_647
CODE_MAX_LENGTH: int = Area._meta.get_field("code").max_length or 20
NAME_MAX_LENGTH: int = Area._meta.get_field("name").max_length or 200

PopulationKey = tuple[AgeBand, Sex]


class Keep(Enum):
    """A value the file says nothing about: an existing area keeps what it has."""

    KEEP = "keep"


KEEP = Keep.KEEP


class AreaImportError(ValueError):
    """A file could not be imported; `errors` lists every problem, each naming its line."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class Problem:
    """One problem in a file. `line` is None for a problem with the file as a whole."""

    file: str | None
    line: int | None
    message: str

    def __str__(self) -> str:
        values = {"file": self.file, "line": self.line, "problem": self.message}
        if self.file and self.line is not None:
            return _("%(file)s, line %(line)d: %(problem)s") % values
        if self.file:
            return _("%(file)s: %(problem)s") % values
        if self.line is not None:
            return _("line %(line)d: %(problem)s") % values
        return self.message


@dataclass
class Problems:
    """Collects the problems of one file so that all of them are reported together.

    `file` names the file in each message (its path when imported from a path), so that
    an import reading two files says which one a line belongs to.
    """

    file: str | None = None
    items: list[Problem] = field(default_factory=list)
    # The CSV could not be split past some line: later rows were never read, so checks
    # across rows (does this parent exist?) would only produce noise.
    truncated: bool = False

    def add(self, line: int | None, message: str) -> None:
        self.items.append(Problem(self.file, line, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def messages(self) -> list[str]:
        # File-wide problems first, then by line; the order found within a line is kept.
        ordered = sorted(self.items, key=lambda p: -1 if p.line is None else p.line)
        return [str(problem) for problem in ordered]


def raise_if_any(*collections: Problems) -> None:
    """Raise one AreaImportError listing every problem of every file, or do nothing."""
    errors = [message for problems in collections for message in problems.messages()]
    if errors:
        raise AreaImportError(errors)


def source_label(source: Source) -> str | None:
    """How to name a source in messages: its path, or the name of an open file if it has one."""
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else None


@dataclass
class PlannedArea:
    """What a file says one area should become.

    `level` is None when the file's level was unusable (already reported): the row still
    counts as naming its code, so that its children are not also reported as orphans.
    """

    line: int
    code: str
    name: str
    level: AreaLevel | None
    parent_code: str | Keep | None = KEEP
    households: int | Keep | None = KEEP
    deprivation_decile: int | Keep | None = KEEP
    # None: the file says nothing about population, so existing counts are kept.
    population: dict[PopulationKey, int] | None = None


# --- reading -----------------------------------------------------------------------------


def read_text(source: Source, problems: Problems) -> str | None:
    """The whole text of a UTF-8 file (a byte-order mark is dropped), or None if unreadable.

    Area files are small (a nation's wards are a few megabytes), so reading all of it
    first keeps the parsers simple and lets an encoding error name its line.
    """
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            raw = path.read_bytes()
        except OSError as error:
            problems.add(None, _("cannot be read: %(error)s") % {"error": error.strerror or error})
            return None
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            problems.add(
                raw[: error.start].count(b"\n") + 1,
                _(
                    "the file is not UTF-8 text (byte 0x%(byte)02x cannot be read); "
                    "save it as “CSV UTF-8”"
                )
                % {"byte": raw[error.start]},
            )
            return None
    try:
        text = source.read()
    except UnicodeDecodeError:
        problems.add(None, _("the file is not UTF-8 text; save it as “CSV UTF-8”"))
        return None
    return text.removeprefix("\ufeff")


@dataclass
class Table:
    """A CSV file split into a header (names stripped and lower-cased) and numbered rows."""

    header: list[str]
    rows: list[tuple[int, dict[str, str]]]


def read_table(
    text: str,
    *,
    required: list[str],
    optional: frozenset[str] | None,
    problems: Problems,
) -> Table | None:
    """Split a CSV text into rows keyed by column, reporting structural problems.

    `optional=None` means unknown columns are ignored (someone else's format);
    otherwise an unknown column is an error, because in our own format it is nearly
    always a misspelling that would silently drop data.
    Returns None when the header is unusable, since no row can then be read.
    """
    records = _records(text, problems)
    first = next(records, None) if text.strip() else None
    if first is None:
        if not problems:
            problems.add(
                1,
                _("the file is empty: expected a header row naming the columns %(columns)s")
                % {"columns": ", ".join(required)},
            )
        return None
    _line, cells = first
    header = [cell.strip().lower() for cell in cells]
    missing = [name for name in required if name not in header]
    if missing:
        hint = ""
        if len(header) == 1 and ";" in header[0]:
            hint = " " + _("(the columns seem to be separated by “;”; use commas)")
        problems.add(
            1,
            _("missing required column(s): %(columns)s") % {"columns": ", ".join(missing)} + hint,
        )
    duplicated = sorted({name for name in header if name and header.count(name) > 1})
    if duplicated:
        problems.add(
            1,
            _("column(s) named more than once: %(columns)s") % {"columns": ", ".join(duplicated)},
        )
    unknown: list[str] = []
    if optional is not None:
        known = set(required) | optional
        unknown = [name for name in header if name and name not in known]
        if unknown:
            problems.add(
                1,
                _("unknown column(s): %(columns)s")
                % {"columns": ", ".join(shown(name) for name in unknown)},
            )
    if missing or duplicated or unknown:
        return None

    rows: list[tuple[int, dict[str, str]]] = []
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue  # blank lines and spreadsheet rows of empty cells carry nothing
        extra = cells[len(header) :]
        if len(cells) < len(header) or any(cell.strip() for cell in extra):
            problems.add(
                line,
                _("%(found)d values but the header has %(expected)d columns")
                % {"found": len(cells), "expected": len(header)},
            )
            continue
        rows.append((line, {name: cell.strip() for name, cell in zip(header, cells, strict=False)}))
    return Table(header=header, rows=rows)


def _records(text: str, problems: Problems) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the line each starts on (a quoted value may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous_end = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.truncated = True
            problems.add(
                previous_end + 1,
                _("not valid CSV (%(error)s)") % {"error": error},
            )
            return
        start, previous_end = previous_end + 1, reader.line_num
        yield start, cells


# --- cell values -------------------------------------------------------------------------


def shown(value: str) -> str:
    """A value as quoted in a message: control characters escaped so a terminal shows them."""
    return "".join(char if char.isprintable() else f"\\x{ord(char):02x}" for char in value)


_DIGITS = re.compile(r"[0-9]+")


def parse_count(raw: str, *, column: str, line: int, problems: Problems) -> int | None:
    """A count of people or households: a whole number, 0 or more."""
    if not _DIGITS.fullmatch(raw):
        problems.add(
            line,
            _("%(column)s '%(value)s' is not a whole number of 0 or more")
            % {"column": column, "value": shown(raw)},
        )
        return None
    value = int(raw)
    if value > MAX_COUNT:
        problems.add(
            line,
            _("%(column)s '%(value)s' is too large (at most %(max)d)")
            % {"column": column, "value": shown(raw), "max": MAX_COUNT},
        )
        return None
    return value


def parse_decile(raw: str, *, line: int, problems: Problems) -> int | None:
    if _DIGITS.fullmatch(raw) and 1 <= int(raw) <= 10:
        return int(raw)
    problems.add(
        line,
        _("deprivation_decile '%(value)s' is not a whole number from 1 to 10")
        % {"value": shown(raw)},
    )
    return None


def check_code(code: str, *, column: str, line: int, problems: Problems) -> bool:
    if not code:
        problems.add(line, _("%(column)s is empty") % {"column": column})
        return False
    if len(code) > CODE_MAX_LENGTH:
        problems.add(
            line,
            _("%(column)s '%(code)s' is too long (%(length)d characters; at most %(max)d)")
            % {"column": column, "code": shown(code), "length": len(code), "max": CODE_MAX_LENGTH},
        )
        return False
    return True


def check_name(name: str, *, column: str, line: int, problems: Problems) -> bool:
    if not name:
        problems.add(line, _("%(column)s is empty") % {"column": column})
        return False
    if len(name) > NAME_MAX_LENGTH:
        problems.add(
            line,
            _("%(column)s is too long (%(length)d characters; at most %(max)d)")
            % {"column": column, "length": len(name), "max": NAME_MAX_LENGTH},
        )
        return False
    return True


def parse_level(raw: str, *, line: int, problems: Problems) -> AreaLevel | None:
    try:
        return AreaLevel(raw.lower())
    except ValueError:
        problems.add(
            line,
            _("level '%(value)s' is not one of %(levels)s")
            % {"value": shown(raw), "levels": ", ".join(AreaLevel.values)},
        )
        return None


# --- Coproduce's wide area CSV -----------------------------------------------------------

AREA_REQUIRED_COLUMNS = ["code", "name", "level", "parent_code"]
AREA_OPTIONAL_COLUMNS = ["households", "deprivation_decile"]


def population_column(sex: Sex, band: AgeBand) -> str:
    """The column of one population group, such as `female_18-24`."""
    return f"{sex.value}_{band.value}"


POPULATION_COLUMNS: dict[str, PopulationKey] = {
    population_column(sex, band): (band, sex) for band in AgeBand for sex in Sex
}


def parse_area_csv(source: Source, problems: Problems) -> list[PlannedArea]:
    """Every area row of a Coproduce area CSV, reporting each bad value with its line."""
    text = read_text(source, problems)
    if text is None:
        return []
    table = read_table(
        text,
        required=AREA_REQUIRED_COLUMNS,
        optional=frozenset(AREA_OPTIONAL_COLUMNS) | frozenset(POPULATION_COLUMNS),
        problems=problems,
    )
    if table is None:
        return []
    population_present = [name for name in POPULATION_COLUMNS if name in table.header]
    has_population = bool(population_present)
    if population_present and len(population_present) < len(POPULATION_COLUMNS):
        missing = [name for name in POPULATION_COLUMNS if name not in table.header]
        problems.add(
            1,
            _("population columns must be all present or all absent; missing: %(columns)s")
            % {"columns": ", ".join(missing)},
        )
        return []
    if not table.rows:
        problems.add(None, _("the file has a header but no areas"))
        return []

    planned: list[PlannedArea] = []
    first_line_of: dict[str, int] = {}
    for line, row in table.rows:
        code = row["code"]
        code_ok = check_code(code, column="code", line=line, problems=problems)
        if code_ok and code in first_line_of:
            problems.add(
                line,
                _("code '%(code)s' is already used on line %(first)d")
                % {"code": code, "first": first_line_of[code]},
            )
            code_ok = False
        elif code_ok:
            first_line_of[code] = line
        check_name(row["name"], column="name", line=line, problems=problems)
        level = parse_level(row["level"], line=line, problems=problems)
        parent_code = row["parent_code"] or None
        if parent_code is not None:
            check_code(parent_code, column="parent_code", line=line, problems=problems)

        area = PlannedArea(
            line=line, code=code, name=row["name"], level=level, parent_code=parent_code
        )
        if "households" in row:
            area.households = (
                parse_count(row["households"], column="households", line=line, problems=problems)
                if row["households"]
                else None
            )
        if "deprivation_decile" in row:
            raw = row["deprivation_decile"]
            area.deprivation_decile = (
                parse_decile(raw, line=line, problems=problems) if raw else None
            )
        if has_population:
            population: dict[PopulationKey, int] = {}
            for column, key in POPULATION_COLUMNS.items():
                count = parse_count(row[column], column=column, line=line, problems=problems)
                if count is not None:
                    population[key] = count
            area.population = population
        if code_ok:
            planned.append(area)
    return planned


# --- ONS Census 2021, long format --------------------------------------------------------

CENSUS_POPULATION_COLUMNS = ["area_code", "area_name", "geography", "age", "sex", "value"]
CENSUS_HOUSEHOLD_COLUMNS = ["area_code", "value"]
CENSUS_GEOGRAPHIES = {
    "electoral ward": AreaLevel.WARD,
    "local authority": AreaLevel.DISTRICT,
}

_AGE = re.compile(r"aged (?:(?P<under1>under 1 year)|(?P<age>[0-9]+) years?(?P<over> and over)?)")
_ALL_PERSONS = "all persons"
_CENSUS_SEXES = {"female": Sex.FEMALE, "male": Sex.MALE}


@dataclass(frozen=True)
class CensusAge:
    years: int
    open_ended: bool  # "Aged 90 years and over"


def parse_census_age(label: str) -> CensusAge | None:
    """'Aged under 1 year' → 0, 'Aged 7 years' → 7, 'Aged 90 years and over' → 90+."""
    match = _AGE.fullmatch(" ".join(label.lower().split()))
    if match is None:
        return None
    if match["under1"]:
        return CensusAge(0, open_ended=False)
    return CensusAge(int(match["age"]), open_ended=bool(match["over"]))


@dataclass
class _CensusArea:
    line: int
    name: str
    level: AreaLevel | None
    # (years, sex) → (count, line); sex is "all persons", "female" or "male".
    counts: dict[tuple[int, str], tuple[int, int]] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)
    open_ended: int | None = None
    # A row of this area was unreadable: its completeness checks would only echo that.
    damaged: bool = False


def parse_census_population(
    source: Source, *, level: AreaLevel | None, problems: Problems
) -> list[PlannedArea]:
    """Areas and their population by band and sex from an ONS Census 2021 long file.

    Only Female and Male rows are counted; All persons rows are used to check that
    Female + Male adds up, which catches a truncated or hand-edited file.
    """
    text = read_text(source, problems)
    if text is None:
        return []
    table = read_table(text, required=CENSUS_POPULATION_COLUMNS, optional=None, problems=problems)
    if table is None:
        return []
    if not table.rows:
        problems.add(None, _("the file has a header but no rows"))
        return []

    areas: dict[str, _CensusArea] = {}
    for line, row in table.rows:
        code = row["area_code"]
        if not check_code(code, column="area_code", line=line, problems=problems):
            continue
        area = areas.get(code)
        if area is None:
            check_name(row["area_name"], column="area_name", line=line, problems=problems)
            area = areas[code] = _CensusArea(
                line=line,
                name=row["area_name"],
                level=level or _census_level(row["geography"], line=line, problems=problems),
            )
        else:
            if row["area_name"] != area.name:
                problems.add(
                    line,
                    _("area_name '%(name)s' differs from '%(first)s' on line %(first_line)d")
                    % {"name": row["area_name"], "first": area.name, "first_line": area.line},
                )
            if level is None and row["geography"].lower() not in CENSUS_GEOGRAPHIES:
                _census_level(row["geography"], line=line, problems=problems)
            elif level is None and CENSUS_GEOGRAPHIES[row["geography"].lower()] != area.level:
                problems.add(
                    line,
                    _(
                        "geography '%(geography)s' differs from line %(first_line)d "
                        "for area %(code)s"
                    )
                    % {"geography": row["geography"], "first_line": area.line, "code": code},
                )

        age = parse_census_age(row["age"])
        if age is None:
            problems.add(
                line,
                _("age '%(value)s' is not a census age such as 'Aged 7 years'")
                % {"value": shown(row["age"])},
            )
        sex = row["sex"].lower()
        if sex != _ALL_PERSONS and sex not in _CENSUS_SEXES:
            problems.add(
                line,
                _("sex '%(value)s' is not one of All persons, Female, Male")
                % {"value": shown(row["sex"])},
            )
        value = parse_count(row["value"], column="value", line=line, problems=problems)
        if age is None or value is None or (sex != _ALL_PERSONS and sex not in _CENSUS_SEXES):
            area.damaged = True
            continue
        key = (age.years, sex)
        if key in area.counts:
            problems.add(
                line,
                _("a second value for area %(code)s, %(age)s, %(sex)s (first on line %(first)d)")
                % {
                    "code": code,
                    "age": row["age"],
                    "sex": row["sex"],
                    "first": area.counts[key][1],
                },
            )
            continue
        area.counts[key] = (value, line)
        area.labels.setdefault(age.years, row["age"])
        if age.open_ended:
            if area.open_ended is not None and area.open_ended != age.years:
                problems.add(
                    line,
                    _("area %(code)s has two open-ended ages") % {"code": code},
                )
            area.open_ended = age.years

    return [
        planned
        for code, area in areas.items()
        if (planned := _census_planned_area(code, area, problems)) is not None
    ]


def _census_level(geography: str, *, line: int, problems: Problems) -> AreaLevel | None:
    level = CENSUS_GEOGRAPHIES.get(geography.lower())
    if level is None:
        problems.add(
            line,
            _(
                "geography '%(value)s' is not one of Electoral ward, Local authority; "
                "choose the level of these areas explicitly"
            )
            % {"value": shown(geography)},
        )
    return level


def _census_planned_area(code: str, area: _CensusArea, problems: Problems) -> PlannedArea | None:
    """Check one area's counts are complete and consistent, then add them up by band."""
    if area.damaged:
        # Still planned (with no population) so the area's code is known to the checks
        # of the hierarchy; the problems already recorded stop the import.
        return PlannedArea(line=area.line, code=code, name=area.name, level=area.level)
    ok = True
    ages = sorted({years for years, _sex in area.counts})
    for years in ages:
        label = area.labels[years]
        female = area.counts.get((years, "female"))
        male = area.counts.get((years, "male"))
        total = area.counts.get((years, _ALL_PERSONS))
        if female is None or male is None:
            missing_sex, present = ("Female", male) if female is None else ("Male", female)
            where = present[1] if present is not None else (total[1] if total else area.line)
            problems.add(
                where,
                _("area %(code)s has no %(sex)s count for '%(age)s'")
                % {"code": code, "sex": missing_sex, "age": label},
            )
            ok = False
        elif total is not None and female[0] + male[0] != total[0]:
            problems.add(
                total[1],
                _(
                    "area %(code)s, '%(age)s': Female %(female)d + Male %(male)d = %(sum)d "
                    "but All persons is %(total)d"
                )
                % {
                    "code": code,
                    "age": label,
                    "female": female[0],
                    "male": male[0],
                    "sum": female[0] + male[0],
                    "total": total[0],
                },
            )
            ok = False
    # Without the open-ended top age, or with a gap, the oldest or some residents would
    # silently be missing from the margins used for weighting.
    if area.open_ended is None:
        problems.add(
            area.line,
            _("area %(code)s has no open-ended top age such as 'Aged 90 years and over'")
            % {"code": code},
        )
        ok = False
    elif ages and ages[-1] != area.open_ended:
        problems.add(
            area.line,
            _("area %(code)s has ages above its open-ended age '%(age)s'")
            % {"code": code, "age": area.labels[area.open_ended]},
        )
        ok = False
    else:
        gaps = sorted(set(range(area.open_ended + 1)) - set(ages))
        if gaps:
            problems.add(
                area.line,
                _("area %(code)s has no counts for age(s) %(ages)s")
                % {"code": code, "ages": _ranges(gaps)},
            )
            ok = False

    population: dict[PopulationKey, int] = {(band, sex): 0 for band in AgeBand for sex in Sex}
    for (years, sex), (count, _line) in area.counts.items():
        if sex in _CENSUS_SEXES:
            population[(AgeBand.for_age(years), _CENSUS_SEXES[sex])] += count
    for key, group_total in population.items():
        if group_total > MAX_COUNT:
            problems.add(
                area.line,
                _("area %(code)s: %(group)s adds up to more than %(max)d")
                % {"code": code, "group": population_column(key[1], key[0]), "max": MAX_COUNT},
            )
            ok = False
    if not ok:
        # Still planned (with no population) so the area's code is known to the checks
        # of the hierarchy; the problems already recorded stop the import.
        return PlannedArea(line=area.line, code=code, name=area.name, level=area.level)
    return PlannedArea(
        line=area.line, code=code, name=area.name, level=area.level, population=population
    )


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7] → '1-3, 7'."""
    parts: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        if number is not None:
            start = previous = number
    return ", ".join(parts)


@dataclass(frozen=True)
class HouseholdTotal:
    households: int
    line: int  # the area's first line, to name in messages


def parse_census_households(source: Source, problems: Problems) -> dict[str, HouseholdTotal]:
    """Households per area: the sum of the counts of every household size.

    The '0 people in household' rows are counted like the others (they are 0 in the
    census); counting rows instead of adding values would be wrong.
    """
    text = read_text(source, problems)
    if text is None:
        return {}
    table = read_table(text, required=CENSUS_HOUSEHOLD_COLUMNS, optional=None, problems=problems)
    if table is None:
        return {}
    if not table.rows:
        problems.add(None, _("the households file has a header but no rows"))
        return {}
    totals: dict[str, HouseholdTotal] = {}
    for line, row in table.rows:
        code = row["area_code"]
        value = parse_count(row["value"], column="value", line=line, problems=problems)
        if not check_code(code, column="area_code", line=line, problems=problems) or value is None:
            continue
        previous = totals.get(code)
        if previous is None:
            totals[code] = HouseholdTotal(value, line)
        else:
            totals[code] = HouseholdTotal(previous.households + value, previous.line)
    for code, total in totals.items():
        if total.households > MAX_COUNT:
            problems.add(
                total.line,
                _("area %(code)s: households add up to more than %(max)d")
                % {"code": code, "max": MAX_COUNT},
            )
    return totals
