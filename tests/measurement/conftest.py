"""Survey files and waves for the measurement tests, built on the shared ``world``.

``write_survey`` writes a long-format survey file (docs/data-formats.md) with a known
design: two strata, two PSUs in each, deterministic answers.
"""

import csv
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from coproduce.measurement.models import Instrument, SurveyWave
from coproduce.measurement.services import wave_create
from tests.conftest import World

SECTOR_ITEMS = {
    "community-safety": ["lock-doors", "neighbour-watch-home", "neighbourhood-watch"],
    "local-environment": ["separate-rubbish", "save-energy", "clean-public-space"],
    "public-health": ["healthy-eating", "exercise", "health-group"],
}
LEVELS = {"community-safety": 0.45, "local-environment": 0.61, "public-health": 0.54}
HEADER = [
    "respondent_id",
    "sector",
    "item",
    "score",
    "weight",
    "stratum",
    "psu",
    "age_band",
    "sex",
    "employment_status",
    "self_efficacy",
    "willing_to_do_more",
    "satisfaction",
]
# 40 respondents: only 4 are 18-24, so that group is too small to publish.
AGE_BANDS = ["18-24"] * 4 + ["35-44"] * 18 + ["65-74"] * 18

WriteSurvey = Callable[..., Path]


def survey_rows(n: int = 40, *, seed: int = 7, shift: float = 0.0) -> list[list[str]]:
    rng = random.Random(seed)
    rows = []
    for r in range(n):
        stratum = "north" if r % 2 else "south"
        respondent = [
            f"{1.0 + (r % 5) * 0.25:g}",
            stratum,
            f"{stratum}-{r % 4 // 2}",
            AGE_BANDS[r % len(AGE_BANDS)],
            "woman" if r % 3 else "man",
            "retired" if AGE_BANDS[r % len(AGE_BANDS)] == "65-74" else "employed",
            str(1 + r % 5),
            str(r % 2),
            str(1 + (r * 3) % 5),
        ]
        for sector, items in SECTOR_ITEMS.items():
            for item in items:
                share = min(max(LEVELS[sector] + shift, 0), 1)
                score = "" if rng.random() < 0.05 else str(sum(rng.random() < share for _ in "abc"))
                rows.append([f"R{r:03d}", sector, item, score, *respondent])
    return rows


@pytest.fixture
def write_survey(tmp_path: Path) -> WriteSurvey:
    def write(name: str = "wave.csv", rows: list[list[str]] | None = None) -> Path:
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(HEADER)
            writer.writerows(survey_rows() if rows is None else rows)
        return path

    return write


@pytest.fixture
def officials_file(tmp_path: Path) -> Path:
    path = tmp_path / "officials.csv"
    lines = ["respondent_id,sector,expected_index"]
    for n, (base, sector) in enumerate(
        [(20, "community-safety"), (30, "local-environment"), (25, "public-health")] * 4
    ):
        lines.append(f"O{n // 3},{sector},{base + n % 3}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def standard(db: None) -> Instrument:
    return Instrument.objects.get(slug="coproduction-in-your-area", version=1)


@pytest.fixture
def wave(world: World, standard: Instrument) -> SurveyWave:
    """The county council's wave in Testshire, about library A's service (which it funds)."""
    return wave_create(
        instrument=standard,
        owner=world.council,
        area=world.county,
        label="Testshire 2025",
        service=world.service_a,
        created_by=None,
    )
