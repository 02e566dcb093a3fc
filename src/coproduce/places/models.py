"""Areas: where services run and whose population engagement should reach."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from coproduce.core.choices import AgeBand, Sex


class AreaLevel(models.TextChoices):
    NATION = "nation", _("Nation")
    COUNTY = "county", _("County or province")
    DISTRICT = "district", _("District or local authority")
    WARD = "ward", _("Electoral ward")
    PARISH = "parish", _("Parish or commune")

    @property
    def rank(self) -> int:
        """Depth in the hierarchy: a parent always has a smaller rank than its child."""
        return _RANKS[self]


_RANKS = {
    AreaLevel.NATION: 0,
    AreaLevel.COUNTY: 1,
    AreaLevel.DISTRICT: 2,
    AreaLevel.WARD: 3,
    AreaLevel.PARISH: 3,
}


class Area(models.Model):
    """A place in the hierarchy nation > county/province > district > ward or parish/commune."""

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("Official code, such as the ONS code E05000819, or a local one."),
    )
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    deprivation_decile = models.PositiveSmallIntegerField(
        _("deprivation decile"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("1 is the most deprived tenth of areas in the nation, 10 the least."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deprivation_decile__isnull=True)
                | models.Q(deprivation_decile__gte=1, deprivation_decile__lte=10),
                name="area_deprivation_decile_1_to_10",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AreaPopulation(models.Model):
    """Usual residents of an area in one age band and sex (a census margin)."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="population")
    age_band = models.CharField(_("age band"), max_length=8, choices=AgeBand.choices)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    count = models.PositiveIntegerField(_("people"))

    class Meta:
        verbose_name = _("population count")
        verbose_name_plural = _("population counts")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "age_band", "sex"], name="area_population_one_count_per_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area.code} {self.age_band} {self.sex}: {self.count}"
