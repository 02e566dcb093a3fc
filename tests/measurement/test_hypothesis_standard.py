"""Property tests of the standard instrument files (measurement/standard.py): every
shipped file reads, and an instrument written back as JSON reads as the same."""

import dataclasses
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coproduce.measurement.standard import (
    InstrumentSpec,
    ItemSpec,
    SectorSpec,
    read_instrument_file,
    standard_instrument_files,
)

TEXT = st.text(max_size=30)
ITEMS = st.builds(ItemSpec, code=TEXT, text=TEXT, tag=st.sampled_from(["individual", "collective"]))
SECTORS = st.builds(SectorSpec, code=TEXT, label=TEXT, items=st.lists(ITEMS, max_size=3).map(tuple))
INSTRUMENTS = st.builds(
    InstrumentSpec,
    slug=TEXT,
    version=st.integers(1, 99),
    name=TEXT,
    description=TEXT,
    audience=TEXT,
    scale_max=st.integers(1, 10),
    scale_labels=st.lists(TEXT, max_size=5),
    questions=st.lists(st.dictionaries(TEXT, TEXT, max_size=3), max_size=3),
    sectors=st.lists(SECTORS, max_size=3).map(tuple),
)


def test_every_shipped_instrument_reads() -> None:
    files = standard_instrument_files()
    assert files
    for path in files:
        spec = read_instrument_file(path)
        assert spec.sectors
        assert path.name.startswith(f"{spec.slug}.v{spec.version}")


@settings(max_examples=60, deadline=None)
@given(spec=INSTRUMENTS)
def test_an_instrument_written_as_json_reads_back_the_same(
    spec: InstrumentSpec, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("instruments") / "x.v1.json"
    path.write_text(json.dumps(dataclasses.asdict(spec)), encoding="utf-8")
    assert read_instrument_file(path) == spec
