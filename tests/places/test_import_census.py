"""Importing areas from ONS Census 2021 long files: the real Trafford and Greater Manchester
data, then every kind of bad file."""

import csv
import io
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from coproduce.core.choices import AgeBand, Sex
from coproduce.places.models import Area, AreaLevel, AreaPopulation
from coproduce.places.services import AreaImportError, areas_import_census, areas_import_csv

REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "real"
WARD_POPULATION = REAL / "census2021_population_by_sex_and_age_ward_trafford.csv"
WARD_HOUSEHOLDS = REAL / "census2021_household_size_ward_trafford.csv"
LA_POPULATION = REAL / "census2021_population_by_sex_and_age_la_greater_manchester.csv"

real_data = pytest.mark.skipif(
    not WARD_POPULATION.exists(),
    reason=f"the real ONS Census 2021 files are not in {REAL} (shared data next to the checkout)",
)

HEADER = "area_code,area_name,geography,period,indicator,measure,unit,age,sex,value"
HOUSEHOLD_HEADER = "area_code,area_name,geography,period,indicator,measure,unit,value"


def snapshot() -> tuple[Sequence[tuple[object, ...]], Sequence[tuple[object, ...]]]:
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


def file_totals(path: Path, *, sexes: set[str]) -> Counter[str]:
    """The file's own sum of `value` per area over the given sexes, read independently."""
    totals: Counter[str] = Counter()
    with path.open(newline="", encoding="utf-8-sig") as file:
        for row in csv.DictReader(file):
            if "sex" not in row or row["sex"] in sexes:
                totals[row["area_code"]] += int(row["value"])
    return totals


def age_label(age: int) -> str:
    if age == 0:
        return "Aged under 1 year"
    if age == 90:
        return "Aged 90 years and over"
    return f"Aged {age} year" + ("" if age == 1 else "s")


def census_rows(
    code: str = "E05000819",
    name: str = "Altrincham",
    geography: str = "Electoral ward",
    *,
    female: int = 3,
    male: int = 2,
) -> list[str]:
    """A complete synthetic area: ages 0 to 90+, All persons, Female and Male for each."""
    rows = []
    for age in range(91):
        for sex, value in (("All persons", female + male), ("Female", female), ("Male", male)):
            rows.append(
                f"{code},{name},{geography},2021-03-21,Usual resident population by sex and age,"
                f"Count,Persons,{age_label(age)},{sex},{value}"
            )
    return rows


def census_text(rows: list[str], header: str = HEADER) -> io.StringIO:
    return io.StringIO("\n".join([header, *rows]) + "\n")


@pytest.fixture
def trafford(db: None) -> Area:
    """Trafford, the district the wards go under, created beforehand as a user would."""
    areas_import_csv(
        source=io.StringIO(
            "code,name,level,parent_code\n"
            "E11000001,Greater Manchester,county,\n"
            "E08000009,Trafford,district,E11000001\n"
        )
    )
    return Area.objects.get(code="E08000009")


# --- the real files ----------------------------------------------------------------------


@real_data
def test_the_real_trafford_ward_file_imports_21_wards_under_trafford(trafford: Area) -> None:
    report = areas_import_census(
        population=WARD_POPULATION, households=WARD_HOUSEHOLDS, parent_code="E08000009"
    )

    assert (report.created, report.updated, report.unchanged) == (21, 0, 0)
    assert report.population_rows == 21 * 16
    wards = Area.objects.filter(parent=trafford)
    assert wards.count() == 21
    assert set(wards.values_list("level", flat=True)) == {AreaLevel.WARD}
    altrincham = Area.objects.get(code="E05000819")
    assert altrincham.name == "Altrincham"
    assert altrincham.deprivation_decile is None


@real_data
def test_a_wards_population_and_households_match_the_sums_of_the_real_files(
    trafford: Area,
) -> None:
    areas_import_census(
        population=WARD_POPULATION, households=WARD_HOUSEHOLDS, parent_code="E08000009"
    )

    people = file_totals(WARD_POPULATION, sexes={"Female", "Male"})
    everyone = file_totals(WARD_POPULATION, sexes={"All persons"})
    households = file_totals(WARD_HOUSEHOLDS, sexes=set())
    assert people["E05000819"] == everyone["E05000819"] > 0
    imported = dict(
        AreaPopulation.objects.values("area__code")
        .annotate(total=Sum("count"))
        .values_list("area__code", "total")
    )
    assert imported["E05000819"] == people["E05000819"]
    assert imported == dict(people)
    assert dict(Area.objects.filter(parent=trafford).values_list("code", "households")) == dict(
        households
    )
    assert Area.objects.get(code="E05000819").households == households["E05000819"] > 0


@real_data
def test_age_bands_add_up_single_years_of_age_from_the_real_file(trafford: Area) -> None:
    areas_import_census(population=WARD_POPULATION, parent_code="E08000009")

    expected: Counter[tuple[str, str]] = Counter()
    with WARD_POPULATION.open(newline="") as file:
        for row in csv.DictReader(file):
            if row["area_code"] == "E05000819" and row["sex"] in {"Female", "Male"}:
                words = row["age"].split()
                age = 0 if words[1] == "under" else int(words[1])
                expected[(AgeBand.for_age(age).value, row["sex"].lower())] += int(row["value"])
    imported = {
        (band, sex): count
        for band, sex, count in AreaPopulation.objects.filter(area__code="E05000819").values_list(
            "age_band", "sex", "count"
        )
    }
    assert imported == dict(expected)
    assert len(imported) == len(AgeBand) * len(Sex)


@real_data
def test_importing_the_real_ward_files_twice_changes_nothing(trafford: Area) -> None:
    areas_import_census(
        population=WARD_POPULATION, households=WARD_HOUSEHOLDS, parent_code="E08000009"
    )
    before = snapshot()

    report = areas_import_census(
        population=WARD_POPULATION, households=WARD_HOUSEHOLDS, parent_code="E08000009"
    )

    assert (report.created, report.updated, report.unchanged, report.population_rows) == (
        0,
        0,
        21,
        0,
    )
    assert snapshot() == before
    assert Area.objects.count() == 23
    assert AreaPopulation.objects.count() == 21 * 16


@real_data
def test_the_real_greater_manchester_file_imports_ten_local_authorities(trafford: Area) -> None:
    report = areas_import_census(population=LA_POPULATION, parent_code="E11000001")

    # Trafford already existed (made above), so it is updated in place, not duplicated.
    assert (report.created, report.updated) == (9, 1)
    districts = Area.objects.filter(level=AreaLevel.DISTRICT)
    assert districts.count() == 10
    assert set(districts.values_list("parent__code", flat=True)) == {"E11000001"}
    people = file_totals(LA_POPULATION, sexes={"Female", "Male"})
    bolton = AreaPopulation.objects.filter(area__code="E08000001").aggregate(total=Sum("count"))
    assert bolton["total"] == people["E08000001"] > 0
    assert Area.objects.get(code="E08000001").households is None


@real_data
def test_without_a_parent_new_areas_are_top_areas_and_existing_ones_keep_their_parent(
    trafford: Area,
) -> None:
    areas_import_census(population=LA_POPULATION)

    assert Area.objects.get(code="E08000009").parent == Area.objects.get(code="E11000001")
    assert Area.objects.get(code="E08000001").parent is None


@real_data
def test_the_import_census_command_reports_what_it_did(trafford: Area) -> None:
    out = io.StringIO()

    call_command(
        "import_census",
        str(WARD_POPULATION),
        "--households",
        str(WARD_HOUSEHOLDS),
        "--parent",
        "E08000009",
        stdout=out,
    )

    assert out.getvalue().strip() == (
        f"Imported 21 area(s) from {WARD_POPULATION}: 21 created, 0 updated, 0 unchanged; "
        "336 population count(s) written."
    )


# --- synthetic files: what is accepted ---------------------------------------------------


def test_a_level_given_explicitly_overrides_the_geography(trafford: Area) -> None:
    areas_import_census(
        population=census_text(census_rows("P1", "A parish", "Civil parish")),
        parent_code="E08000009",
        level=AreaLevel.PARISH,
    )

    assert Area.objects.get(code="P1").level == AreaLevel.PARISH


def test_a_households_file_counts_households_not_rows(trafford: Area) -> None:
    sizes = [
        ("0 people in household", 0),
        ("1 person in household", 10),
        ("2 people in household", 7),
    ]
    households = io.StringIO(
        "\n".join(
            [HOUSEHOLD_HEADER]
            + [
                f"E05000819,Altrincham,Electoral ward,2021-03-21,{size},Count,Households,{value}"
                for size, value in sizes
            ]
        )
    )

    areas_import_census(population=census_text(census_rows()), households=households)

    assert Area.objects.get(code="E05000819").households == 17


# --- synthetic files: every problem named with its line, nothing written ---------------------


def replace_row(rows: list[str], index: int, old: str, new: str) -> list[str]:
    rows = list(rows)
    assert old in rows[index]
    rows[index] = rows[index].replace(old, new)
    return rows


ALTRINCHAM = census_rows()
# Line numbers: the header is line 1, so ALTRINCHAM[i] is on line i + 2. Rows come in
# threes per age (All persons, Female, Male): ALTRINCHAM[21] is age 7, All persons.
BAD_CENSUS = [
    pytest.param(
        replace_row(ALTRINCHAM, 22, "Aged 7 years", "Aged seven years"),
        "line 24: age 'Aged seven years' is not a census age such as 'Aged 7 years'",
        id="unparseable-age",
    ),
    pytest.param(
        replace_row(ALTRINCHAM, 22, ",3", ",3.5"),
        "line 24: value '3.5' is not a whole number of 0 or more",
        id="fractional-value",
    ),
    pytest.param(
        replace_row(ALTRINCHAM, 22, ",3", ",-3"),
        "line 24: value '-3' is not a whole number of 0 or more",
        id="negative-value",
    ),
    pytest.param(
        [r.replace("Electoral ward", "Parliamentary constituency") for r in ALTRINCHAM],
        "line 2: geography 'Parliamentary constituency' is not one of Electoral ward, "
        "Local authority",
        id="unknown-geography",
    ),
    pytest.param(
        replace_row(ALTRINCHAM, 22, "Female", "Women"),
        "line 24: sex 'Women' is not one of All persons, Female, Male",
        id="unknown-sex",
    ),
    pytest.param(
        replace_row(ALTRINCHAM, 21, ",5", ",6"),
        "line 23: area E05000819, 'Aged 7 years': Female 3 + Male 2 = 5 but All persons is 6",
        id="female-plus-male-is-not-all-persons",
    ),
    pytest.param(
        [*ALTRINCHAM, ALTRINCHAM[22]],
        "line 275: a second value for area E05000819, Aged 7 years, Female (first on line 24)",
        id="duplicate-row",
    ),
    pytest.param(
        ALTRINCHAM[:22] + ALTRINCHAM[23:],
        "line 24: area E05000819 has no Female count for 'Aged 7 years'",
        id="missing-sex",
    ),
    pytest.param(
        ALTRINCHAM[:21] + ALTRINCHAM[27:],
        "line 2: area E05000819 has no counts for age(s) 7-8",
        id="missing-ages",
    ),
    pytest.param(
        ALTRINCHAM[:-3],
        "line 2: area E05000819 has no open-ended top age such as 'Aged 90 years and over'",
        id="no-open-ended-age",
    ),
    pytest.param(
        replace_row(ALTRINCHAM, 22, "Altrincham", "Altrincham East"),
        "line 24: area_name 'Altrincham East' differs from 'Altrincham' on line 2",
        id="inconsistent-name",
    ),
    pytest.param(
        [r.replace("E05000819", "E05000819E05000819E05000819") for r in ALTRINCHAM],
        "line 2: area_code 'E05000819E05000819E05000819' is too long",
        id="code-too-long",
    ),
    pytest.param(
        [r.replace("Altrincham", "") for r in ALTRINCHAM],
        "line 2: area_name is empty",
        id="empty-name",
    ),
    pytest.param(
        [
            r.replace("E05000819", "E11000001").replace("Electoral ward", "Local authority")
            for r in ALTRINCHAM
        ],
        "line 2: area E11000001 cannot become a district: existing area E08000009, "
        "a district, is part of it",
        id="level-change-strands-an-existing-child",
    ),
    pytest.param([], "the file has a header but no rows", id="header-only"),
]


@pytest.mark.parametrize(("rows", "expected"), BAD_CENSUS)
def test_a_bad_census_file_names_the_line_and_problem_and_writes_nothing(
    trafford: Area, rows: list[str], expected: str
) -> None:
    before = snapshot()

    with pytest.raises(AreaImportError) as caught:
        areas_import_census(population=census_text(rows))

    assert any(error.startswith(expected) for error in caught.value.errors), caught.value.errors
    assert snapshot() == before


def test_a_census_file_missing_columns_names_them(trafford: Area) -> None:
    with pytest.raises(AreaImportError) as caught:
        areas_import_census(population=io.StringIO("area_code,value\nE05000819,3\n"))

    assert caught.value.errors == [
        "line 1: missing required column(s): area_name, geography, age, sex"
    ]


def test_a_parent_that_does_not_exist_is_an_error(trafford: Area) -> None:
    before = snapshot()

    with pytest.raises(AreaImportError) as caught:
        areas_import_census(population=census_text(census_rows()), parent_code="E99999999")

    assert caught.value.errors == [
        "the parent area 'E99999999' does not exist; import or create it first"
    ]
    assert snapshot() == before


def test_a_parent_not_above_the_imported_level_is_an_error(trafford: Area) -> None:
    with pytest.raises(AreaImportError) as caught:
        areas_import_census(
            population=census_text(census_rows("E08000001", "Bolton", "Local authority")),
            parent_code="E08000009",
        )

    assert caught.value.errors[0].startswith(
        "line 2: a district cannot be part of E08000009, which is a district"
    )


def test_households_for_areas_missing_from_either_file_are_errors(
    trafford: Area, tmp_path: Path
) -> None:
    households = tmp_path / "households.csv"
    households.write_text(
        HOUSEHOLD_HEADER
        + "\n"
        + "E05000820,Ashton,Electoral ward,2021-03-21,1 person in household,Count,Households,4\n"
        + "E05000820,Ashton,Electoral ward,2021-03-21,2 people in household,Count,Households,x\n"
    )
    before = snapshot()

    with pytest.raises(AreaImportError) as caught:
        areas_import_census(population=census_text(census_rows()), households=households)

    assert caught.value.errors == [
        f"{households}: area E05000819 (population file line 2) has no households",
        f"{households}, line 2: area E05000820 is not in the population file",
        f"{households}, line 3: value 'x' is not a whole number of 0 or more",
    ]
    assert snapshot() == before


def test_problems_in_the_population_file_name_that_file(trafford: Area, tmp_path: Path) -> None:
    population = tmp_path / "population.csv"
    population.write_text(
        "\n".join([HEADER, *replace_row(ALTRINCHAM, 22, "Aged 7 years", "Aged 7")]) + "\n"
    )

    with pytest.raises(CommandError) as caught:
        call_command("import_census", str(population))

    assert str(caught.value) == (
        "Nothing was imported: 1 problem(s) found.\n"
        f"  {population}, line 24: age 'Aged 7' is not a census age such as 'Aged 7 years'"
    )
