"""Importing areas from Coproduce's own area CSV (docs/data-formats.md, "Areas")."""

import io
from collections.abc import Sequence
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pytest_django import DjangoAssertNumQueries

from coproduce.core.choices import AgeBand, Sex
from coproduce.places.models import Area, AreaLevel, AreaPopulation
from coproduce.places.services import AreaImportError, areas_import_csv

DATA = Path(__file__).resolve().parent / "data"
HIERARCHY = DATA / "areas_hierarchy.csv"

BASE_COLUMNS = "code,name,level,parent_code,households,deprivation_decile"
POPULATION_COLUMNS = [f"{sex}_{band}" for band in AgeBand.values for sex in Sex.values]


def csv_text(*rows: str, header: str = BASE_COLUMNS) -> io.StringIO:
    return io.StringIO("\n".join([header, *rows]) + "\n")


def snapshot() -> tuple[Sequence[tuple[object, ...]], Sequence[tuple[object, ...]]]:
    """Everything an import could change, to prove a failed import changed nothing."""
    areas = list(
        Area.objects.order_by("code").values_list(
            "pk", "code", "name", "level", "parent__code", "households", "deprivation_decile"
        )
    )
    population = list(
        AreaPopulation.objects.order_by("pk").values_list(
            "pk", "area__code", "age_band", "sex", "count"
        )
    )
    return areas, population


def import_errors(source: io.StringIO) -> list[str]:
    with pytest.raises(AreaImportError) as caught:
        areas_import_csv(source=source)
    return caught.value.errors


@pytest.fixture
def existing(db: None) -> None:
    """Areas already in the database: Greater Manchester > Trafford > Altrincham."""
    areas_import_csv(
        source=csv_text(
            "E11000001,Greater Manchester,county,,,",
            "E08000009,Trafford,district,E11000001,,5",
            "E05000819,Altrincham,ward,E08000009,5318,9",
        )
    )


# --- the happy path ----------------------------------------------------------------------


def test_a_three_level_hierarchy_imports_even_when_children_come_before_parents(db: None) -> None:
    report = areas_import_csv(source=HIERARCHY)

    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    assert report.population_rows == 4 * 16
    assert report.codes == ("E05000819", "E05000820", "E08000009", "E11000001")
    altrincham = Area.objects.select_related("parent__parent").get(code="E05000819")
    assert altrincham.name == "Altrincham"
    assert altrincham.level == AreaLevel.WARD
    assert altrincham.households == 5318
    assert altrincham.deprivation_decile == 9
    assert altrincham.parent is not None
    assert altrincham.parent.code == "E08000009"
    assert altrincham.parent.parent is not None
    assert altrincham.parent.parent.code == "E11000001"
    assert altrincham.parent.parent.parent is None
    assert Area.objects.get(code="E05000820").deprivation_decile is None  # empty: unknown
    assert Area.objects.get(code="E08000009").households is None
    counts = dict(
        AreaPopulation.objects.filter(area=altrincham, sex=Sex.FEMALE).values_list(
            "age_band", "count"
        )
    )
    assert counts == {band: 100 + 2 * index for index, band in enumerate(AgeBand.values)}
    male_75 = AreaPopulation.objects.get(
        area=altrincham, age_band=AgeBand.AGE_75_PLUS, sex=Sex.MALE
    )
    assert male_75.count == 115


def test_importing_the_same_file_twice_changes_nothing(db: None) -> None:
    areas_import_csv(source=HIERARCHY)
    before = snapshot()

    report = areas_import_csv(source=HIERARCHY)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert report.population_rows == 0
    assert snapshot() == before
    assert Area.objects.count() == 4
    assert AreaPopulation.objects.count() == 64


def test_a_reimport_updates_areas_by_code_instead_of_duplicating_them(existing: None) -> None:
    report = areas_import_csv(
        source=csv_text(
            "E11000001,Greater Manchester,county,,,",
            "E08000009,Trafford Council,district,E11000001,98000,6",
            "E05000819,Altrincham,ward,E08000009,5400,9",
            "E05000820,Ashton upon Mersey,ward,E08000009,,",
        )
    )

    assert (report.created, report.updated, report.unchanged) == (1, 2, 1)
    assert Area.objects.count() == 4
    trafford = Area.objects.get(code="E08000009")
    assert (trafford.name, trafford.households, trafford.deprivation_decile) == (
        "Trafford Council",
        98000,
        6,
    )
    assert Area.objects.get(code="E05000819").households == 5400


def test_a_reimport_can_move_an_area_to_another_parent_and_make_it_a_top_area(
    existing: None,
) -> None:
    areas_import_csv(
        source=csv_text(
            "E08000003,Manchester,district,E11000001,,",
            "E05000819,Altrincham,ward,E08000003,,",
            "E08000009,Trafford,district,,,",
        )
    )

    assert Area.objects.get(code="E05000819").parent == Area.objects.get(code="E08000003")
    assert Area.objects.get(code="E08000009").parent is None


def test_a_reimport_replaces_population_counts_that_changed(db: None) -> None:
    areas_import_csv(source=HIERARCHY)
    changed = HIERARCHY.read_text().replace(
        "E05000819,Altrincham,ward,E08000009,5318,9,100,",
        "E05000819,Altrincham,ward,E08000009,5318,9,999,",
    )

    report = areas_import_csv(source=io.StringIO(changed))

    assert (report.updated, report.unchanged, report.population_rows) == (1, 3, 16)
    assert AreaPopulation.objects.count() == 64
    assert (
        AreaPopulation.objects.get(
            area__code="E05000819", age_band=AgeBand.UNDER_18, sex=Sex.FEMALE
        ).count
        == 999
    )


def test_a_file_without_population_columns_leaves_existing_population_alone(db: None) -> None:
    areas_import_csv(source=HIERARCHY)

    areas_import_csv(source=csv_text("E05000819,Altrincham (renamed),ward,E08000009,5318,9"))

    assert AreaPopulation.objects.filter(area__code="E05000819").count() == 16


def test_absent_optional_columns_keep_existing_values_but_empty_cells_mean_unknown(
    existing: None,
) -> None:
    areas_import_csv(
        source=csv_text("E05000819,Altrincham,ward,E08000009", header="code,name,level,parent_code")
    )
    altrincham = Area.objects.get(code="E05000819")
    assert (altrincham.households, altrincham.deprivation_decile) == (5318, 9)

    areas_import_csv(source=csv_text("E05000819,Altrincham,ward,E08000009,,"))
    altrincham.refresh_from_db()
    assert (altrincham.households, altrincham.deprivation_decile) == (None, None)


def test_a_new_area_may_be_attached_under_an_area_already_in_the_database(existing: None) -> None:
    areas_import_csv(source=csv_text("E05000820,Ashton upon Mersey,ward,E08000009,,"))

    assert Area.objects.get(code="E05000820").parent == Area.objects.get(code="E08000009")


def test_a_byte_order_mark_spreadsheet_whitespace_and_blank_lines_are_accepted(
    db: None, tmp_path: Path
) -> None:
    path = tmp_path / "areas.csv"
    path.write_bytes(
        "\ufeffCode , Name,LEVEL,parent_code\r\n"
        "E11000001 , Greater Manchester ,County,\r\n"
        "\r\n"
        ",,,\r\n".encode()
    )

    report = areas_import_csv(source=path)

    assert report.created == 1
    assert Area.objects.get().name == "Greater Manchester"
    assert Area.objects.get().level == AreaLevel.COUNTY


def test_a_dry_run_reports_what_would_change_and_writes_nothing(db: None) -> None:
    report = areas_import_csv(source=HIERARCHY, dry_run=True)

    assert (report.created, report.population_rows, report.dry_run) == (4, 64, True)
    assert Area.objects.count() == 0


def test_two_thousand_areas_import_in_a_few_bulk_queries(
    db: None, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    counts = ",".join(["5"] * len(POPULATION_COLUMNS))
    rows = ["X0,Somewhere,district,,100,5," + counts]
    rows += [f"X{number},Ward {number},ward,X0,100,5,{counts}" for number in range(1, 2000)]
    source = csv_text(*rows, header=",".join([BASE_COLUMNS, *POPULATION_COLUMNS]))

    # 34,000 rows; batches are capped by SQLite's limit on query parameters, so a couple of
    # hundred queries there (fewer on PostgreSQL), never one per row.
    with django_assert_max_num_queries(250):
        report = areas_import_csv(source=source)

    assert report.created == 2000
    assert AreaPopulation.objects.count() == 32000
    assert Area.objects.filter(parent__code="X0").count() == 1999


# --- bad input: every problem named with its line, nothing written -------------------------

BAD_FILES = [
    pytest.param(
        "code,name\nX1,Somewhere\n",
        "line 1: missing required column(s): level, parent_code",
        id="missing-columns",
    ),
    pytest.param(
        "code;name;level;parent_code\nX1;Somewhere;ward;\n",
        "line 1: missing required column(s): code, name, level, parent_code "
        "(the columns seem to be separated by “;”; use commas)",
        id="semicolons",
    ),
    pytest.param("", "line 1: the file is empty", id="empty-file"),
    pytest.param("\n\n", "line 1: the file is empty", id="blank-lines-only"),
    pytest.param(f"{BASE_COLUMNS}\n", "the file has a header but no areas", id="header-only"),
    pytest.param(
        f"{BASE_COLUMNS},colour\nX1,Somewhere,ward,,,,blue\n",
        "line 1: unknown column(s): colour",
        id="unknown-column",
    ),
    pytest.param(
        f"{BASE_COLUMNS},name\nX1,Somewhere,ward,,,,Else\n",
        "line 1: column(s) named more than once: name",
        id="duplicate-column",
    ),
    pytest.param(
        f"{BASE_COLUMNS},female_0-17,male_0-17\nX1,Somewhere,ward,,,,1,2\n",
        "line 1: population columns must be all present or all absent; missing: female_18-24",
        id="partial-population-block",
    ),
    pytest.param(
        f"{BASE_COLUMNS}\nX1,One,ward,,,\nX2,Two,ward,,,\nX1,Again,ward,,,\n",
        "line 4: code 'X1' is already used on line 2",
        id="duplicate-code",
    ),
    pytest.param(
        f"{BASE_COLUMNS}\nX1,Somewhere,town,,,\n",
        "line 2: level 'town' is not one of nation, county, district, ward, parish",
        id="unknown-level",
    ),
    pytest.param(
        f"{BASE_COLUMNS}\nX1,Somewhere,ward,NOWHERE,,\n",
        "line 2: parent_code 'NOWHERE' is neither an area in the file nor an existing area",
        id="unknown-parent",
    ),
    pytest.param(
        f"{BASE_COLUMNS}\nX1,Somewhere,district,X2,,\nX2,Below,ward,,,\n",
        "line 2: a district cannot be part of X2, which is a ward: a parent must be of a "
        "higher level",
        id="parent-below-child",
    ),
    pytest.param(
        f"{BASE_COLUMNS}\nX1,Somewhere,ward,X2,,\nX2,Beside,parish,,,\n",
        "line 2: a ward cannot be part of X2, which is a parish",
        id="parent-same-rank",
    ),
    pytest.param(
        f"{BASE_COLUMNS}\nX1,Somewhere,ward,E05000819,,\n",
        "line 2: a ward cannot be part of E05000819, which is a ward",
        id="existing-parent-not-above",
    ),
    pytest.param(
        f"{BASE_COLUMNS}\nX1,One,county,X2,,\nX2,Two,district,X3,,\nX3,Three,ward,X1,,\n",
        "line 3: the parents make a cycle: X2 → X3 → X1 → X2",
        id="cycle",
    ),
    pytest.param(
        f"{BASE_COLUMNS}\nX1,Somewhere,ward,X1,,\n",
        "line 2: area X1 cannot be its own parent",
        id="own-parent",
    ),
    pytest.param(
        f"{BASE_COLUMNS}\nE11000001,Greater Manchester,ward,,,\n",
        "line 2: area E11000001 cannot become a ward: existing area E08000009, a district, "
        "is part of it",
        id="level-change-strands-existing-child",
    ),
    pytest.param(
        f"{BASE_COLUMNS}\nX1,Somewhere,ward,,12.5,\n",
        "line 2: households '12.5' is not a whole number of 0 or more",
        id="fractional-households",
    ),
    pytest.param(
        f"{BASE_COLUMNS}\nX1,Somewhere,ward,,-3,\n",
        "line 2: households '-3' is not a whole number of 0 or more",
        id="negative-households",
    ),
    pytest.param(
        f"{BASE_COLUMNS}\nX1,Somewhere,ward,,99999999999,\n",
        "line 2: households '99999999999' is too large (at most 2147483647)",
        id="households-too-large",
    ),
    pytest.param(
        f"{BASE_COLUMNS}\nX1,Somewhere,ward,,,11\n",
        "line 2: deprivation_decile '11' is not a whole number from 1 to 10",
        id="decile-11",
    ),
    pytest.param(
        f"{BASE_COLUMNS}\nX1,Somewhere,ward,,,0\n",
        "line 2: deprivation_decile '0' is not a whole number from 1 to 10",
        id="decile-0",
    ),
    pytest.param(
        f"{BASE_COLUMNS}\nX1,,ward,,,\n",
        "line 2: name is empty",
        id="empty-name",
    ),
    pytest.param(
        f"{BASE_COLUMNS}\n,Somewhere,ward,,,\n",
        "line 2: code is empty",
        id="empty-code",
    ),
    pytest.param(
        f"{BASE_COLUMNS}\nX123456789012345678901,Somewhere,ward,,,\n",
        "line 2: code 'X123456789012345678901' is too long (22 characters; at most 20)",
        id="code-too-long",
    ),
    pytest.param(
        f"{BASE_COLUMNS}\nX1,Somewhere,ward,,,\nX2,Short,ward\n",
        "line 3: 3 values but the header has 6 columns",
        id="ragged-short-row",
    ),
    pytest.param(
        f"{BASE_COLUMNS}\nX1,Somewhere,ward,,,,surprise\n",
        "line 2: 7 values but the header has 6 columns",
        id="ragged-long-row",
    ),
    pytest.param(
        f'{BASE_COLUMNS}\nX1,"Some"where,ward,,,\n',
        "line 2: not valid CSV",
        id="bad-quoting",
    ),
]


@pytest.mark.parametrize(("content", "expected"), BAD_FILES)
def test_a_bad_file_names_the_line_and_problem_and_writes_nothing(
    existing: None, content: str, expected: str
) -> None:
    before = snapshot()

    errors = import_errors(io.StringIO(content))

    assert any(error.startswith(expected) for error in errors), errors
    assert snapshot() == before


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("-1", "line 2: male_18-24 '-1' is not a whole number of 0 or more"),
        ("1.5", "line 2: male_18-24 '1.5' is not a whole number of 0 or more"),
        ("", "line 2: male_18-24 '' is not a whole number of 0 or more"),
        ("many", "line 2: male_18-24 'many' is not a whole number of 0 or more"),
    ],
)
def test_a_bad_population_count_is_reported_with_its_column(
    existing: None, cell: str, expected: str
) -> None:
    counts = ["7"] * len(POPULATION_COLUMNS)
    counts[POPULATION_COLUMNS.index("male_18-24")] = cell
    before = snapshot()

    errors = import_errors(
        csv_text(
            "X1,Somewhere,ward,,,," + ",".join(counts),
            header=",".join([BASE_COLUMNS, *POPULATION_COLUMNS]),
        )
    )

    assert errors == [expected]
    assert snapshot() == before


def test_every_bad_row_is_reported_at_once_in_line_order(existing: None) -> None:
    before = snapshot()

    errors = import_errors(
        csv_text(
            "X1,Fine,ward,E08000009,,",
            "X2,,ward,E08000009,,",
            "X3,Bad decile,ward,E08000009,,11",
            "X4,Orphan,ward,MISSING,,",
            "X5,Bad level and households,hamlet,,lots,",
            "X6,Child of a row with a bad level,parish,X5,,",
        )
    )

    assert errors == [
        "line 3: name is empty",
        "line 4: deprivation_decile '11' is not a whole number from 1 to 10",
        "line 5: parent_code 'MISSING' is neither an area in the file nor an existing area",
        "line 6: level 'hamlet' is not one of nation, county, district, ward, parish",
        "line 6: households 'lots' is not a whole number of 0 or more",
    ]
    assert snapshot() == before


def test_a_stray_quote_stops_reading_without_reporting_the_unread_rows_as_missing(
    existing: None,
) -> None:
    errors = import_errors(
        csv_text(
            "X1,Child,ward,X3,,11",
            'X2,"Broken"quote,ward,,,',
            "X3,Parent read after the break,district,,,",
        )
    )

    assert errors == [
        "line 2: deprivation_decile '11' is not a whole number from 1 to 10",
        "line 3: not valid CSV (',' expected after '\"')",
    ]


def test_a_file_of_binary_garbage_is_reported_as_not_utf8_text(
    existing: None, tmp_path: Path
) -> None:
    path = tmp_path / "areas.csv"
    path.write_bytes(b"code,name,level,parent_code\nX1,Caf\xe9,ward,\n\x89PNG\x00\xff\xfe")
    before = snapshot()

    with pytest.raises(AreaImportError) as caught:
        areas_import_csv(source=path)

    assert caught.value.errors == [
        f"{path}, line 2: the file is not UTF-8 text (byte 0xe9 cannot be read); "
        "save it as “CSV UTF-8”"
    ]
    assert snapshot() == before


def test_text_with_nul_characters_is_reported_not_crashed_on(existing: None) -> None:
    errors = import_errors(io.StringIO("\x00\x01\x02garbage\x00,\x7f\n\x00,\x00\n"))

    assert errors == [
        "line 1: missing required column(s): code, name, level, parent_code",
        "line 1: unknown column(s): \\x00\\x01\\x02garbage\\x00, \\x7f",
    ]


def test_a_missing_file_is_reported_as_unreadable(db: None, tmp_path: Path) -> None:
    path = tmp_path / "nowhere.csv"

    with pytest.raises(AreaImportError) as caught:
        areas_import_csv(source=path)

    assert caught.value.errors == [f"{path}: cannot be read: No such file or directory"]


# --- the command -------------------------------------------------------------------------


def test_the_import_areas_command_reports_what_it_did(db: None) -> None:
    out = io.StringIO()

    call_command("import_areas", str(HIERARCHY), stdout=out)

    assert out.getvalue().strip() == (
        f"Imported 4 area(s) from {HIERARCHY}: 4 created, 0 updated, 0 unchanged; "
        "64 population count(s) written."
    )
    assert Area.objects.count() == 4


def test_the_import_areas_command_can_check_a_file_without_writing(db: None) -> None:
    out = io.StringIO()

    call_command("import_areas", str(HIERARCHY), "--dry-run", stdout=out)

    assert out.getvalue().startswith("Would import 4 area(s)")
    assert Area.objects.count() == 0


def test_the_import_areas_command_names_the_file_and_line_of_each_problem(
    db: None, tmp_path: Path
) -> None:
    path = tmp_path / "areas.csv"
    path.write_text(f"{BASE_COLUMNS}\nX1,Somewhere,ward,,,\nX2,Else,ward,,,11\nX3,,ward,,,\n")

    with pytest.raises(CommandError) as caught:
        call_command("import_areas", str(path))

    assert str(caught.value) == (
        "Nothing was imported: 2 problem(s) found.\n"
        f"  {path}, line 3: deprivation_decile '11' is not a whole number from 1 to 10\n"
        f"  {path}, line 4: name is empty"
    )
    assert Area.objects.count() == 0


def test_the_import_areas_command_shows_at_most_a_hundred_problems(
    db: None, tmp_path: Path
) -> None:
    path = tmp_path / "areas.csv"
    path.write_text(BASE_COLUMNS + "\n" + "".join(f"X{n},,ward,,,\n" for n in range(150)))

    with pytest.raises(CommandError) as caught:
        call_command("import_areas", str(path))

    message = str(caught.value)
    assert message.startswith("Nothing was imported: 150 problem(s) found.")
    assert message.endswith("… and 50 more.")
