"""The demo world's places: a fictional county, Eastmere, read from ``data/areas.csv``.

The file is in Coproduce's own area format and goes through the same importer as any
user's file, so the demo also exercises it. Where its numbers come from is told in
``README.md`` beside this module.
"""

import csv
from pathlib import Path

from coproduce.core.choices import AgeBand, Sex
from coproduce.places.models import Area, AreaLevel, AreaPopulation
from coproduce.places.services import areas_import_csv

AREAS_CSV = Path(__file__).resolve().parent / "data" / "areas.csv"

# Demo codes start with DEMO- so they can never collide with an official ONS code
# (E05…, E92…) if real areas are imported into the same database.
COUNTY = "DEMO-EASTMERE"
BRACKENHOLT_CENTRAL = "DEMO-W-BRACKENHOLT"
KESTREL_FIELDS = "DEMO-W-KESTREL"
ASHMERE_PARVA = "DEMO-P-ASHMERE"
FENNICK_GREEN = "DEMO-P-FENNICK"

# The first half of a postcode for each place where residents live. "EM" is not a real
# postcode area, so no resident can be placed in a real neighbourhood.
POSTCODE_DISTRICTS: dict[str, str] = {
    BRACKENHOLT_CENTRAL: "EM1",
    "DEMO-W-MILLBROOK": "EM2",
    KESTREL_FIELDS: "EM3",
    "DEMO-W-PELLHAM": "EM4",
    ASHMERE_PARVA: "EM5",
    FENNICK_GREEN: "EM6",
    "DEMO-P-SALTLEIGH": "EM7",
    "DEMO-P-WENLOW": "EM8",
}

# A town and a rural district: the town's wards are more ethnically diverse.
URBAN_AREAS = frozenset({BRACKENHOLT_CENTRAL, "DEMO-W-MILLBROOK", KESTREL_FIELDS, "DEMO-W-PELLHAM"})

Group = tuple[str, AgeBand, Sex]
"""Where residents of one age band and sex live: (area code, band, sex)."""


def import_demo_areas() -> dict[str, Area]:
    """Import the demo areas and return every one of them by code."""
    areas_import_csv(source=AREAS_CSV)
    return {area.code: area for area in Area.objects.filter(code__in=demo_area_codes())}


def demo_area_codes() -> list[str]:
    """Every code in the demo file, read from the file itself so the two never disagree."""
    with AREAS_CSV.open(encoding="utf-8", newline="") as file:
        return [row["code"] for row in csv.DictReader(file)]


def resident_groups(*, adults_only: bool) -> dict[Group, int]:
    """The population of every place where residents live, by age band and sex.

    These counts are what residents are drawn from, and what tests compare them with.
    """
    rows = AreaPopulation.objects.filter(
        area__code__in=POSTCODE_DISTRICTS, area__level__in=[AreaLevel.WARD, AreaLevel.PARISH]
    ).values_list("area__code", "age_band", "sex", "count")
    groups = {
        (code, AgeBand(band), Sex(sex)): count
        for code, band, sex, count in rows
        if not (adults_only and band == AgeBand.UNDER_18)
    }
    # Sorted in Python, in the bands' own order: the order of draws from these weights
    # must not depend on the database's collation, or a seed would not repeat.
    bands, sexes = list(AgeBand), list(Sex)
    return dict(
        sorted(
            groups.items(),
            key=lambda item: (item[0][0], bands.index(item[0][1]), sexes.index(item[0][2])),
        )
    )
