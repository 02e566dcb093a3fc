"""A service's theory of change, its indicators, and the instruments it collects.

The chain reads activities → outputs → outcomes → impact. An ``Outcome`` is the change a
service wants for people (one of the standard outcomes of the study and the UK review,
or its own); it names the engagement activities that lead to it, what those activities
produce (their outputs) and the longer-term impact it serves. Each outcome has
``Indicator`` s: how the change is seen, either a measure of a validated instrument or
a custom description.

Switching an instrument on for a service makes a ``Collection``: two published
pseudonymous forms (``CollectionForm``), one for the baseline and one for the
follow-up, whose answers are scored by the instrument's rule and paired by the
participant's reference. An instrument whose licence asks users to register (SWEMWBS)
needs the organisation's recorded ``InstrumentLicence`` first.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from coproduce.core.models import TimeStampedModel

from .instruments import InstrumentSlug


class StandardOutcome(models.TextChoices):
    # From the study (seed 000): what engagement changed for people.
    BELONGING = "belonging", _("Sense of belonging")
    SOCIAL_BONDS = "social-bonds", _("Social bonds and networks")
    LESS_ISOLATION = "less-isolation", _("Less isolation")
    CONFIDENCE = "confidence", _("Confidence and self-esteem")
    SKILLS = "skills", _("Skills and knowledge")
    WELLBEING = "wellbeing", _("Wellbeing")
    # From the UK review (seed 003).
    SATISFACTION = "satisfaction", _("Satisfaction with the service")
    ACCESS = "access", _("Easier access to the service")
    FEAR_OF_CRIME = "fear-of-crime", _("Less crime and fear of crime")
    HEALTH = "health", _("Better health")
    EMPLOYMENT = "employment", _("Better employment prospects")


class Outcome(TimeStampedModel):
    service = models.ForeignKey(
        "organisations.Service",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="outcomes",
    )
    standard = models.CharField(
        _("standard outcome"), max_length=20, choices=StandardOutcome.choices, blank=True
    )
    title = models.CharField(_("outcome"), max_length=200)
    activities = models.ManyToManyField(
        "engagement.Activity",
        verbose_name=_("activities that lead to it"),
        related_name="outcomes",
        blank=True,
    )
    outputs = models.TextField(_("outputs: what the activities produce"), blank=True)
    impact = models.TextField(_("impact: the longer-term change it serves"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["service", "title", "pk"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.UniqueConstraint(fields=["service", "title"], name="outcome_title_once")
        ]

    def __str__(self) -> str:
        return self.title


class Indicator(TimeStampedModel):
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="indicators")
    title = models.CharField(_("indicator"), max_length=200)
    # Blank for a custom indicator, described in words.
    instrument = models.CharField(
        _("instrument"), max_length=12, choices=InstrumentSlug.choices, blank=True
    )
    measure = models.CharField(_("measure"), max_length=20, blank=True)
    description = models.TextField(_("how it is measured"), blank=True)

    class Meta:
        ordering = ["outcome", "title", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(instrument="", measure="")
                | (~models.Q(instrument="") & ~models.Q(measure="")),
                name="indicator_instrument_has_measure",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class InstrumentLicence(models.Model):
    """An organisation's record that it holds the licence an instrument asks for."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="instrument_licences"
    )
    instrument = models.CharField(_("instrument"), max_length=12, choices=InstrumentSlug.choices)
    holder = models.CharField(_("who holds the licence"), max_length=200)
    reference = models.CharField(_("registration or licence reference"), max_length=100)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed"))

    class Meta:
        verbose_name = _("instrument licence")
        verbose_name_plural = _("instrument licences")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "instrument"], name="instrument_licence_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.instrument}"


class Collection(TimeStampedModel):
    """An instrument switched on for a service: asked at baseline and at follow-up."""

    service = models.ForeignKey(
        "organisations.Service", on_delete=models.PROTECT, related_name="collections"
    )
    instrument = models.CharField(_("instrument"), max_length=12, choices=InstrumentSlug.choices)
    licence = models.ForeignKey(
        InstrumentLicence, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    switched_on_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("instrument collection")
        verbose_name_plural = _("instrument collections")
        constraints = [
            models.UniqueConstraint(fields=["service", "instrument"], name="collection_once")
        ]

    def __str__(self) -> str:
        return f"{self.service_id}: {self.instrument}"


class Wave(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    FOLLOW_UP = "follow-up", _("Follow-up")


class CollectionForm(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="forms")
    wave = models.CharField(_("wave"), max_length=10, choices=Wave.choices)
    questionnaire = models.OneToOneField(
        "consultations.Questionnaire", on_delete=models.PROTECT, related_name="impact_wave"
    )
    # {question key: instrument item key}: question keys stay the same in every version
    # of a form, so answers to a later version are still scored against the right item.
    items = models.JSONField(default=dict)

    class Meta:
        ordering = ["collection", "wave"]
        verbose_name = _("wave form")
        verbose_name_plural = _("wave forms")
        constraints = [
            models.UniqueConstraint(fields=["collection", "wave"], name="collection_wave_once")
        ]

    def __str__(self) -> str:
        return f"{self.collection_id} {self.wave}"


# ---------------------------------------------------------------------------------------
# Social value: financial proxies, a price index, hour rates, and analyses per year


def _percent(name: StrOrPromise) -> "models.DecimalField[Decimal, Decimal]":
    return models.DecimalField(
        name,
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )


class FinancialProxy(TimeStampedModel):
    """What one unit of an outcome is worth, with where the figure comes from.

    ``organisation`` empty: a product-wide default shipped as data (only what can be cited
    and bundled). ``measure`` ("ons4:satisfied") lets the quantity come from the results.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="financial_proxies",
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("what one unit is"), max_length=300)
    value = models.DecimalField(
        _("value of one unit"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    low = models.DecimalField(
        _("low value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    high = models.DecimalField(
        _("high value"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3)
    price_year = models.PositiveSmallIntegerField(_("price year"))
    source = models.TextField(_("source"))
    source_url = models.URLField(_("source address"), blank=True)
    licence_note = models.CharField(_("licence note"), max_length=300, blank=True)
    measure = models.CharField(_("measure it values"), max_length=40, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("financial proxy")
        verbose_name_plural = _("financial proxies")
        constraints = [
            models.CheckConstraint(condition=~models.Q(source=""), name="proxy_has_a_source"),
            models.CheckConstraint(condition=models.Q(value__gte=0), name="proxy_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class PriceIndexPoint(models.Model):
    """One year of an organisation's price index (such as the GDP deflator)."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="price_index"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("index value"), max_digits=10, decimal_places=4)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["organisation", "year"]
        verbose_name = _("price index year")
        verbose_name_plural = _("price index years")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="price_index_year_once"),
            models.CheckConstraint(condition=models.Q(value__gt=0), name="price_index_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.year}"


class HourRates(models.Model):
    """What an hour of staff and of volunteer time is worth to an organisation."""

    organisation = models.OneToOneField(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="hour_rates"
    )
    currency = models.CharField(_("currency"), max_length=3, default="GBP")
    staff = models.DecimalField(
        _("staff hour"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    volunteer = models.DecimalField(
        _("volunteer hour"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("hour rates")
        verbose_name_plural = _("hour rates")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.staff}/{self.volunteer} {self.currency}"


class SocialValueAnalysis(TimeStampedModel):
    """A service's social value for one year: the year of its costs and base prices."""

    service = models.ForeignKey(
        "organisations.Service", on_delete=models.PROTECT, related_name="social_value_analyses"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    discount_rate = models.DecimalField(
        _("discount rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("3.5"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        verbose_name = _("social value analysis")
        verbose_name_plural = _("social value analyses")
        constraints = [
            models.UniqueConstraint(fields=["service", "year"], name="social_value_year_once")
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.year}"


class Valuation(TimeStampedModel):
    """One outcome valued in an analysis: how many, at which proxy, how honestly."""

    analysis = models.ForeignKey(
        SocialValueAnalysis, on_delete=models.CASCADE, related_name="valuations"
    )
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="valuations")
    proxy = models.ForeignKey(FinancialProxy, on_delete=models.PROTECT, related_name="+")
    # Empty: from the results (mean change x pairs of the proxy's measure).
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    quantity_note = models.CharField(_("where the quantity comes from"), max_length=300, blank=True)
    deadweight = _percent(_("deadweight (%)"))
    attribution = _percent(_("attribution (%)"))
    displacement = _percent(_("displacement (%)"))
    drop_off = _percent(_("drop-off (%)"))
    duration = models.PositiveSmallIntegerField(
        _("duration (years)"), default=1, validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["analysis", "outcome__title", "pk"]
        verbose_name = _("valued outcome")
        verbose_name_plural = _("valued outcomes")
        constraints = [
            models.UniqueConstraint(fields=["analysis", "outcome"], name="valuation_once"),
            models.CheckConstraint(
                condition=models.Q(deadweight__gte=0, deadweight__lte=100)
                & models.Q(attribution__gte=0, attribution__lte=100)
                & models.Q(displacement__gte=0, displacement__lte=100)
                & models.Q(drop_off__gte=0, drop_off__lte=100),
                name="valuation_shares_0_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.analysis_id}: {self.outcome_id}"


class IncomeKind(models.TextChoices):
    GRANT = "grant", _("Grant")
    CONTRACT = "contract", _("Contract or commission")
    DONATION = "donation", _("Donation")
    EARNED = "earned", _("Earned income (fees, sales, hire)")
    OTHER = "other", _("Other income")


class Income(models.Model):
    """Money a service received, with who it came from: its reports show the year's
    income and grants from these records (issue #7, point 6)."""

    service = models.ForeignKey(
        "organisations.Service", on_delete=models.PROTECT, related_name="income"
    )
    received_on = models.DateField(_("received on"))
    source = models.CharField(_("from"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=IncomeKind.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("income")
        verbose_name_plural = _("income")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="income_more_than_0")
        ]
        indexes = [models.Index(fields=["service", "received_on"], name="income_by_service_day")]

    def __str__(self) -> str:
        return f"{self.received_on} {self.source}: {self.amount} {self.currency}"
