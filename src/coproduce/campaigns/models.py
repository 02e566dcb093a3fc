"""Informing campaigns: a message, its short links per outreach channel, and their visits.

A visit is counted per link per day in ``LinkVisitDay`` and nothing else is kept about
it: no cookie, no IP address, no browser. See docs/campaigns.md for why the counts are
visits, not people.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from coproduce.core.models import TimeStampedModel
from coproduce.core.references import new_reference
from coproduce.engagement.ladder import OutreachChannel

CODE_LENGTH = 8


def new_campaign_reference() -> str:
    return new_reference("C")


class Campaign(TimeStampedModel):
    """A one-way message (the *informing* form of engagement) with a destination.

    Web addresses use the random ``reference``, like services, so that a staff page's
    address says nothing about the campaign in a browser's history.
    """

    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_campaign_reference, editable=False
    )
    activity = models.ForeignKey(
        "engagement.Activity",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    title = models.CharField(_("title"), max_length=120)
    message = models.TextField(_("message"), max_length=600)
    # A path of this platform ("/services/S-…/") or an external https address; checked by
    # the service that writes it (see services.check_destination).
    destination = models.CharField(_("destination"), max_length=500)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CampaignLink(TimeStampedModel):
    """The short link of one campaign on one outreach channel (the poster, the leaflet…)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="links"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=OutreachChannel.choices)
    # Random Crockford base-32 (coproduce.core.references.ALPHABET): 40 bits, so codes
    # cannot be guessed or enumerated, and can be read aloud or typed from paper.
    code = models.CharField(_("code"), max_length=CODE_LENGTH, unique=True, editable=False)

    class Meta:
        ordering = ["campaign", "channel"]
        verbose_name = _("campaign link")
        verbose_name_plural = _("campaign links")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "channel"], name="campaign_link_one_per_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.channel})"


class LinkVisitDay(models.Model):
    """How many times a link was followed on one day: the only trace a visit leaves."""

    link = models.ForeignKey(CampaignLink, on_delete=models.CASCADE, related_name="visit_days")
    day = models.DateField(_("day"))
    visits = models.PositiveIntegerField(_("visits"), default=0)

    class Meta:
        ordering = ["link", "day"]
        verbose_name = _("visits on a day")
        verbose_name_plural = _("visits per day")
        constraints = [
            models.UniqueConstraint(fields=["link", "day"], name="link_visit_day_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.link_id} {self.day}: {self.visits}"
