"""Ballots (a vote on options, or a participatory budget), their voting codes and votes.

One ballot per eligible voter is kept by the database, not by a check before writing:
a vote's ``voter`` names who cast it (``participant:<id>`` for a signed-in resident,
``code:<id>`` for a one-time code) and is unique per ballot, and a code is used by at
most one vote. Two submissions racing each other cannot both be counted, whatever
the number of web servers.

Voting codes are stored as SHA-256 digests: the codes themselves are shown once, to the
staff member who prints them, so a copy of the database cannot cast votes.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from coproduce.core.models import TimeStampedModel
from coproduce.core.references import new_reference
from coproduce.engagement.models import ArrivalChannel


def new_ballot_code() -> str:
    return new_reference("B")


class BallotKind(models.TextChoices):
    CHOICE = "choice", _("A vote: choose one option")
    BUDGET = "budget", _("A participatory budget: choose projects within the budget")


class Ballot(TimeStampedModel):
    # Web addresses use this random code, never the service's name.
    code = models.CharField(max_length=12, unique=True, default=new_ballot_code, editable=False)
    activity = models.ForeignKey(
        "engagement.Activity", on_delete=models.PROTECT, related_name="ballots"
    )
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("what is being decided"), blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=BallotKind.choices)
    budget = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    currency = models.CharField(_("currency"), max_length=3, default="GBP")
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    # Postcode districts whose signed-in residents may vote without a code; empty: none
    # (everyone votes with a code).
    districts = models.JSONField(_("postcode districts"), default=list, blank=True)
    published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opens_at", "title"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="ballot_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="choice", budget__isnull=True)
                | models.Q(kind="budget", budget__gt=0),
                name="ballot_budget_only_for_budgets",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Option(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    cost = models.DecimalField(
        _("cost"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        ordering = ["position"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "position"], name="option_position_once"),
            models.UniqueConstraint(fields=["ballot", "title"], name="option_title_once"),
        ]

    def __str__(self) -> str:
        return self.title


class VotingCode(models.Model):
    """A one-time code: printed on a letter to a household, or given at a meeting."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)
    batch = models.CharField(_("batch"), max_length=100)
    issued_at = models.DateTimeField(auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("voting code")
        verbose_name_plural = _("voting codes")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "digest"], name="voting_code_once"),
        ]

    def __str__(self) -> str:
        return self.batch


class Vote(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="votes")
    voter = models.CharField(max_length=40)
    code = models.OneToOneField(
        VotingCode, null=True, blank=True, on_delete=models.PROTECT, related_name="vote"
    )
    participant = models.ForeignKey(
        "accounts.Participant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    options = models.ManyToManyField(Option, related_name="votes")
    channel = models.CharField(max_length=10, choices=ArrivalChannel.choices)
    cast_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "voter"], name="one_vote_per_voter"),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}:{self.pk}"
