"""The standard instruments shipped with Coproduce, read from ``data/instruments/*.json``.

Each file is one published version (``<slug>.v<version>.json``). A file is never changed
once released: a new wording is a new file with the next version, so that every
database that loaded the old one keeps answers tied to what was actually asked.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "data" / "instruments"


@dataclass(frozen=True)
class ItemSpec:
    code: str
    text: str
    tag: str


@dataclass(frozen=True)
class SectorSpec:
    code: str
    label: str
    items: tuple[ItemSpec, ...]


@dataclass(frozen=True)
class InstrumentSpec:
    slug: str
    version: int
    name: str
    description: str
    audience: str
    scale_max: int
    scale_labels: list[str]
    questions: list[dict[str, Any]]
    sectors: tuple[SectorSpec, ...]


def standard_instrument_files() -> list[Path]:
    return sorted(INSTRUMENTS_DIR.glob("*.json"))


def read_instrument_file(path: Path) -> InstrumentSpec:
    data = json.loads(path.read_text(encoding="utf-8"))
    return InstrumentSpec(
        slug=data["slug"],
        version=int(data["version"]),
        name=data["name"],
        description=data.get("description", ""),
        audience=data["audience"],
        scale_max=int(data["scale_max"]),
        scale_labels=list(data.get("scale_labels", [])),
        questions=list(data.get("questions", [])),
        sectors=tuple(
            SectorSpec(
                code=sector["code"],
                label=sector["label"],
                items=tuple(
                    ItemSpec(code=item["code"], text=item["text"], tag=item["tag"])
                    for item in sector.get("items", [])
                ),
            )
            for sector in data["sectors"]
        ),
    )
