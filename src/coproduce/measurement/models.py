"""Co-production surveys: the instrument asked, the waves run, the answers and results.

An **instrument** is a versioned questionnaire: sectors, each with frequency items tagged
individual or collective (DOMAIN.md, "Measuring co-production"). The standard ones ship
with the product as JSON (``data/instruments/``, owner ``None``); an organisation makes
its own by copying one into a new version. A published version is never edited: answers
already collected refer to its items, so changing them would change what was asked.

A **wave** is one round of fieldwork with an instrument in an area. Respondents are
keyed by the pseudonymous id of the survey file, never a name (DOMAIN.md, "Ethics").
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.models import EmploymentStatus, Gender
from coproduce.core.choices import AgeBand
from coproduce.core.models import TimeStampedModel


class Audience(models.TextChoices):
    CITIZEN = "citizen", _("Citizens")
    OFFICIAL = "official", _("Public officials")


class ItemTag(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual (done alone)")
    COLLECTIVE = "collective", _("Collective (done with others)")


class Instrument(TimeStampedModel):
    slug = models.SlugField(_("short name"), max_length=80)
    version = models.PositiveSmallIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(_("asked of"), max_length=10, choices=Audience.choices)
    scale_max = models.PositiveSmallIntegerField(
        _("top of the scale"), help_text=_("K: answers run from 0 to K, e.g. 3 for always.")
    )
    scale_labels = models.JSONField(_("scale labels"), default=list, blank=True)
    questions = models.JSONField(
        _("other questions"),
        default=list,
        blank=True,
        help_text=_("Willingness, self-efficacy, satisfaction and demographics."),
    )
    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instruments",
        help_text=_("Empty for the standard instruments shipped with Coproduce."),
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("based on"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="derived",
    )
    published = models.BooleanField(
        _("published"), default=False, help_text=_("A published version can no longer change.")
    )

    class Meta:
        ordering = ["slug", "version"]
        verbose_name = _("survey instrument")
        verbose_name_plural = _("survey instruments")
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="instrument_slug_version"),
            models.CheckConstraint(condition=Q(scale_max__gte=1), name="instrument_scale_max"),
            models.CheckConstraint(condition=Q(version__gte=1), name="instrument_version_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def is_standard(self) -> bool:
        return self.owner_id is None


class InstrumentSector(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="sectors")
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["instrument", "order", "code"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="instrument_sector_code"),
        ]

    def __str__(self) -> str:
        return self.label


class InstrumentItem(models.Model):
    # ``instrument`` repeats ``sector.instrument`` so that an item code is unique in the
    # whole instrument (a survey file names items without their sector) in the database.
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    sector = models.ForeignKey(InstrumentSector, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=40)
    text = models.CharField(_("question"), max_length=300)
    tag = models.CharField(_("kind"), max_length=10, choices=ItemTag.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sector__order", "order", "code"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="instrument_item_code"),
        ]

    def __str__(self) -> str:
        return self.code


class SurveyWave(TimeStampedModel):
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="waves"
    )
    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("run by"),
        on_delete=models.PROTECT,
        related_name="survey_waves",
    )
    area = models.ForeignKey(
        "places.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    service = models.ForeignKey(
        "organisations.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_waves",
    )
    label = models.CharField(_("label"), max_length=200)
    fieldwork_start = models.DateField(_("fieldwork started"), null=True, blank=True)
    fieldwork_end = models.DateField(_("fieldwork ended"), null=True, blank=True)
    # The design columns of the survey file: empty means "not in the file" (weight 1,
    # one stratum, each respondent its own PSU).
    weight_column = models.CharField(_("weight column"), max_length=60, blank=True)
    strata_column = models.CharField(_("strata column"), max_length=60, blank=True)
    psu_column = models.CharField(_("PSU column"), max_length=60, blank=True)

    class Meta:
        ordering = ["-fieldwork_start", "label"]
        verbose_name = _("survey wave")
        verbose_name_plural = _("survey waves")
        constraints = [
            models.CheckConstraint(
                condition=Q(fieldwork_end__isnull=True)
                | Q(fieldwork_start__isnull=True)
                | Q(fieldwork_end__gte=F("fieldwork_start")),
                name="wave_fieldwork_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Respondent(models.Model):
    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="respondents")
    key = models.CharField(
        _("respondent id"), max_length=64, help_text=_("The file's pseudonymous id, never a name.")
    )
    participant = models.ForeignKey(
        "accounts.Participant",
        verbose_name=_("participant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    weight = models.FloatField(_("weight"), default=1.0)
    stratum = models.CharField(_("stratum"), max_length=60, blank=True)
    psu = models.CharField(_("PSU"), max_length=60, blank=True)
    age_band = models.CharField(_("age"), max_length=8, choices=AgeBand.choices, blank=True)
    sex = models.CharField(_("sex or gender"), max_length=10, choices=Gender.choices, blank=True)
    employment_status = models.CharField(
        _("employment"), max_length=20, choices=EmploymentStatus.choices, blank=True
    )
    self_efficacy = models.PositiveSmallIntegerField(_("self-efficacy"), null=True, blank=True)
    willing_to_do_more = models.BooleanField(_("willing to do more"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    extra = models.JSONField(_("other answers"), default=dict, blank=True)

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        constraints = [
            models.UniqueConstraint(fields=["wave", "key"], name="respondent_key_per_wave"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="respondent_weight_positive"),
            models.CheckConstraint(
                condition=Q(self_efficacy__isnull=True) | Q(self_efficacy__range=(1, 5)),
                name="respondent_self_efficacy_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__range=(1, 5)),
                name="respondent_satisfaction_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.key


class Answer(models.Model):
    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(InstrumentItem, on_delete=models.PROTECT, related_name="answers")
    # Null is "not answered", which the index leaves out (not a zero).
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["respondent", "item"], name="answer_one_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.respondent_id} {self.item_id}: {self.score}"


class OfficialEstimate(models.Model):
    """What one official believes citizens do in one sector (the perception gap)."""

    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="officials")
    key = models.CharField(_("official's id"), max_length=64)
    sector = models.ForeignKey(InstrumentSector, on_delete=models.PROTECT, related_name="+")
    expected_index = models.FloatField(_("expected index"), null=True, blank=True)

    class Meta:
        verbose_name = _("official's estimate")
        verbose_name_plural = _("officials' estimates")
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "key", "sector"], name="official_estimate_one_per_sector"
            ),
            models.CheckConstraint(
                condition=Q(expected_index__isnull=True) | Q(expected_index__range=(0, 100)),
                name="official_estimate_0_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.sector_id}: {self.expected_index}"


class ResultStatus(models.TextChoices):
    OK = "ok", _("Computed")
    FAILED = "failed", _("Failed")


class WaveResult(models.Model):
    """One computation of a wave's figures; the newest one is what pages show."""

    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="results")
    computed_at = models.DateTimeField(_("computed"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=ResultStatus.choices)
    message = models.TextField(_("message"), blank=True)
    results = models.JSONField(_("results"), default=dict, blank=True)

    class Meta:
        ordering = ["-computed_at", "-pk"]
        get_latest_by = ["computed_at", "pk"]
        verbose_name = _("wave result")
        verbose_name_plural = _("wave results")
        indexes = [models.Index(fields=["wave", "-computed_at"], name="wave_result_latest")]

    def __str__(self) -> str:
        return f"{self.wave_id} {self.computed_at:%Y-%m-%d %H:%M} {self.status}"
