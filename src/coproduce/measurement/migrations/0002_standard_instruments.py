"""Load the standard instruments, so that every database has them after migrate.

Self-contained on purpose: it reads the JSON files it names with historical models
(apps.get_model), never the app's current models or services, which may change later.
A version already present is left alone, so running it on a database where
``load_instruments`` ran first changes nothing.
"""

import json
from pathlib import Path

from django.db import migrations

FILES = ("coproduction-in-your-area.v1.json", "officials-perceptions.v1.json")
DIRECTORY = Path(__file__).resolve().parent.parent / "data" / "instruments"


def load(apps, schema_editor):
    Instrument = apps.get_model("measurement", "Instrument")
    Sector = apps.get_model("measurement", "InstrumentSector")
    Item = apps.get_model("measurement", "InstrumentItem")
    for name in FILES:
        data = json.loads((DIRECTORY / name).read_text(encoding="utf-8"))
        if Instrument.objects.filter(slug=data["slug"], version=data["version"]).exists():
            continue
        instrument = Instrument.objects.create(
            slug=data["slug"],
            version=data["version"],
            name=data["name"],
            description=data.get("description", ""),
            audience=data["audience"],
            scale_max=data["scale_max"],
            scale_labels=data.get("scale_labels", []),
            questions=data.get("questions", []),
            published=True,
        )
        for position, sector_data in enumerate(data["sectors"]):
            sector = Sector.objects.create(
                instrument=instrument,
                code=sector_data["code"],
                label=sector_data["label"],
                order=position,
            )
            Item.objects.bulk_create(
                Item(
                    instrument=instrument,
                    sector=sector,
                    code=item["code"],
                    text=item["text"],
                    tag=item["tag"],
                    order=order,
                )
                for order, item in enumerate(sector_data.get("items", []))
            )


class Migration(migrations.Migration):
    dependencies = [("measurement", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
