"""Reads about areas, done in the database."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Sum

from coproduce.core.choices import AgeBand, Sex
from coproduce.places.models import Area


def area_descendant_ids(area: Area) -> list[int]:
    """The area and every area below it: one query per level (the hierarchy is shallow)."""
    ids, frontier = [area.pk], [area.pk]
    while frontier:
        frontier = list(Area.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.extend(frontier)
    return ids


def area_ancestors(area: Area) -> list[Area]:
    """From the top of the hierarchy down to the area's parent."""
    ancestors: list[Area] = []
    current = area.parent
    while current is not None:
        ancestors.append(current)
        current = current.parent
    return ancestors[::-1]


def home_area() -> Area | None:
    """The area the home page shows: the configured one, else the busiest county."""
    code = settings.COPRODUCE_HOME_AREA
    if code:
        return Area.objects.filter(code=code).first()
    candidates = Area.objects.annotate(n=Count("organisations")).order_by("-n", "name")
    for level in ("county", "district", "nation"):
        area = candidates.filter(level=level, n__gt=0).first()
        if area is not None:
            return area
    return Area.objects.order_by("name").first()


@dataclass(frozen=True)
class PopulationRow:
    label: str
    female: int
    male: int

    @property
    def total(self) -> int:
        return self.female + self.male


def area_population_table(area: Area) -> list[PopulationRow]:
    """Population by age band and sex, summed over the area's own counts (one query)."""
    counts = {
        (row["age_band"], row["sex"]): row["n"]
        for row in area.population.values("age_band", "sex").annotate(n=Sum("count"))
    }
    if not counts:
        return []
    return [
        PopulationRow(
            label=str(band.label),
            female=counts.get((band.value, Sex.FEMALE.value), 0),
            male=counts.get((band.value, Sex.MALE.value), 0),
        )
        for band in AgeBand
    ]
