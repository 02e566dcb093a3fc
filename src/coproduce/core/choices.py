"""Demographic categories shared by places (population) and participants (who took part).

One definition, so that reach can compare participants with the population group by
group. Age bands follow the ONS groupings used for survey weighting of adults (18+),
with one band for children.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgeBand(models.TextChoices):
    UNDER_18 = "0-17", _("Under 18")
    AGE_18_24 = "18-24", _("18 to 24")
    AGE_25_34 = "25-34", _("25 to 34")
    AGE_35_44 = "35-44", _("35 to 44")
    AGE_45_54 = "45-54", _("45 to 54")
    AGE_55_64 = "55-64", _("55 to 64")
    AGE_65_74 = "65-74", _("65 to 74")
    AGE_75_PLUS = "75+", _("75 and over")

    @classmethod
    def for_age(cls, age: int) -> "AgeBand":
        """The band that contains an age in whole years (90+ counts as 90)."""
        if age < 0:
            raise ValueError(f"an age cannot be negative: {age}")
        for band in cls:
            low, _sep, high = band.value.replace("+", "-").partition("-")
            if int(low) <= age and (not high or age <= int(high)):
                return band
        raise AssertionError("the bands cover every age")  # pragma: no cover


class Sex(models.TextChoices):
    """Sex as recorded by the census, for population margins."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
