"""Property tests of the area importers (places/csv_format.py): whatever the file holds,
each parser returns what it read and lists every problem, and a problem is raised only
as the module's AreaImportError, never as another exception."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coproduce.places.csv_format import (
    AREA_OPTIONAL_COLUMNS,
    AREA_REQUIRED_COLUMNS,
    CENSUS_HOUSEHOLD_COLUMNS,
    CENSUS_POPULATION_COLUMNS,
    POPULATION_COLUMNS,
    AreaImportError,
    Problems,
    parse_area_csv,
    parse_census_households,
    parse_census_population,
    raise_if_any,
)
from coproduce.places.models import AreaLevel

CELLS = st.one_of(
    st.text(max_size=12),
    st.integers(-(2**40), 2**40).map(str),
    st.sampled_from(["", " ", "E06000001", "parish", "county", "ward", "Female", "Male",
                     "All persons", "Aged 4 years", "Aged 90 years and over", "1e3", "٣",
                     "2147483648", "-1", '"', "\x00", "\ufeff"]),
)  # fmt: skip
AREA_COLUMNS = [*AREA_REQUIRED_COLUMNS, *AREA_OPTIONAL_COLUMNS, *POPULATION_COLUMNS]


def csv_text(columns: list[str]) -> st.SearchStrategy[str]:
    """A CSV file: a header drawn from the format's columns (some missing, some not
    of the format), then rows of any cells, quoted or not, of any length."""
    header = st.lists(
        st.one_of(st.sampled_from(columns), st.text(max_size=6)), min_size=0, max_size=12
    ).map(lambda names: names or columns)
    return st.tuples(header, st.lists(st.lists(CELLS, max_size=14), max_size=6)).map(
        lambda drawn: "\n".join(
            ",".join(f'"{cell}"' if "," in cell else cell for cell in row)
            for row in [drawn[0], *drawn[1]]
        )
    )


ANY_TEXT = st.one_of(
    csv_text(AREA_COLUMNS),
    csv_text(CENSUS_POPULATION_COLUMNS),
    csv_text(CENSUS_HOUSEHOLD_COLUMNS),
    st.text(max_size=300),
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def only_area_import_errors(problems: Problems) -> None:
    errors: list[str] = []
    try:
        raise_if_any(problems)
    except AreaImportError as error:
        errors = error.errors or ["(an AreaImportError without errors)"]
    assert all(isinstance(message, str) and message for message in errors)


@SETTINGS
@given(text=st.one_of(csv_text(AREA_COLUMNS), st.text(max_size=300)))
def test_any_area_file_is_read_or_its_problems_listed(text: str) -> None:
    problems = Problems()
    planned = parse_area_csv(io.StringIO(text), problems)
    assert isinstance(planned, list)
    only_area_import_errors(problems)


@SETTINGS
@given(text=ANY_TEXT, level=st.one_of(st.none(), st.sampled_from(list(AreaLevel))))
def test_any_census_population_file_is_read_or_its_problems_listed(
    text: str, level: AreaLevel | None
) -> None:
    problems = Problems()
    planned = parse_census_population(io.StringIO(text), level=level, problems=problems)
    assert isinstance(planned, list)
    only_area_import_errors(problems)


@SETTINGS
@given(text=ANY_TEXT)
def test_any_census_households_file_is_read_or_its_problems_listed(text: str) -> None:
    problems = Problems()
    totals = parse_census_households(io.StringIO(text), problems)
    assert isinstance(totals, dict)
    only_area_import_errors(problems)


@SETTINGS
@given(data=st.binary(max_size=200))
def test_any_bytes_on_disk_are_read_or_refused_as_not_utf8(
    data: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("areas") / "areas.csv"
    path.write_bytes(data)
    problems = Problems()
    parse_area_csv(path, problems)
    only_area_import_errors(problems)
