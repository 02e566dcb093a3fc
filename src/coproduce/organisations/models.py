"""Who provides, commissions and funds public services, and how they work together."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coproduce.core.models import TimeStampedModel, WebsiteField
from coproduce.core.references import new_reference


class OrganisationKind(models.TextChoices):
    CHARITY = "charity", _("Charity")
    SOCIAL_ENTERPRISE = "social-enterprise", _("Social enterprise")
    COMMUNITY_GROUP = "community-group", _("Community group")
    MUTUAL = "mutual", _("Mutual")
    PUBLIC_BODY = "public-body", _("Public body")
    POLICE_AND_CRIME_COMMISSIONER = "pcc", _("Police and crime commissioner")
    PRIVATE_PROVIDER = "private-provider", _("Private provider")
    SCHOOL = "school", _("School")
    BUSINESS = "business", _("Business")
    UNIVERSITY = "university", _("University")

    @property
    def is_public_body(self) -> bool:
        return self in {
            OrganisationKind.PUBLIC_BODY,
            OrganisationKind.POLICE_AND_CRIME_COMMISSIONER,
        }


class GovernmentLevel(models.TextChoices):
    PARISH = "parish", _("Parish or commune")
    COUNTY = "county", _("County or province")
    NATIONAL = "national", _("National")


class Organisation(TimeStampedModel):
    slug = models.SlugField(_("short name in web addresses"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    level = models.CharField(
        _("level of government"),
        max_length=10,
        choices=GovernmentLevel.choices,
        blank=True,
        help_text=_("Public bodies only."),
    )
    area = models.ForeignKey(
        "places.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    description = models.TextField(_("description"), blank=True)
    website = WebsiteField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    LIBRARY = "library", _("Library")
    DOMESTIC_VIOLENCE = "domestic-violence", _("Domestic-violence support")
    COMMUNITY_SAFETY = "community-safety", _("Community safety")
    LOCAL_ENVIRONMENT = "local-environment", _("Local environment")
    PUBLIC_HEALTH = "public-health", _("Public health")
    EDUCATION = "education", _("Education")
    HOUSING = "housing", _("Housing")
    EMPLOYMENT = "employment", _("Employment")
    CROSS_CUTTING = "cross-cutting", _("Cross-cutting")


def new_service_reference() -> str:
    return new_reference("S")


class Service(TimeStampedModel):
    """A public service: funded from taxation, non-profit, delivered by a provider.

    Web addresses use the random ``reference``, never the name, so that the address
    of a sensitive service (a refuge) says nothing in a browser's history.
    """

    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_service_reference, editable=False
    )
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    provider = models.ForeignKey(
        Organisation, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="services"
    )
    area = models.ForeignKey(
        "places.Area",
        verbose_name=_("area served"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    description = models.TextField(_("description"), blank=True)
    sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_("Its users must not be traceable, as in a refuge for survivors of abuse."),
    )
    backers: "models.ManyToManyField[Organisation, ServiceBacking]" = models.ManyToManyField(
        Organisation,
        through="ServiceBacking",
        related_name="backed_services",
        verbose_name=_("commissioned or funded by"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name


class BackingKind(models.TextChoices):
    COMMISSIONS = "commissions", _("Commissions")
    FUNDS = "funds", _("Funds")


class ServiceBacking(models.Model):
    """A body that commissions or funds a service."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="backings")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="backings"
    )
    kind = models.CharField(_("how"), max_length=12, choices=BackingKind.choices)

    class Meta:
        verbose_name = _("commissioner or funder")
        verbose_name_plural = _("commissioners and funders")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "organisation", "kind"], name="service_backing_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.kind} {self.service}"


class PartnershipKind(models.TextChoices):
    FUNDING = "funding", _("Funding")
    CONTRACT = "contract", _("Contract")
    TRAINING = "training", _("Training")
    HELPLINE = "helpline", _("Helpline or support")
    RESOURCE_SHARING = "resource-sharing", _("Stock or resource sharing")
    REFERRALS = "referrals", _("Referrals")
    JOINT_EVENTS = "joint-events", _("Joint events")
    CO_RESEARCH = "co-research", _("Co-research")


class Partnership(models.Model):
    """One kind of working relationship from one organisation to another, over time.

    Two organisations with several kinds of relationship (a grant and a training
    agreement) have one row per kind, each with its own dates. The direction matters for
    funding, contracts, training and referrals (who gives to whom).
    """

    source = models.ForeignKey(
        Organisation, verbose_name=_("from"), on_delete=models.CASCADE, related_name="+"
    )
    target = models.ForeignKey(
        Organisation, verbose_name=_("to"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PartnershipKind.choices)
    started_on = models.DateField(_("started"))
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="partnership_two_organisations"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="partnership_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}: {self.kind}"


class Role(models.TextChoices):
    MANAGER = "manager", _("Manager")
    STAFF = "staff", _("Staff")
    VOLUNTEER = "volunteer", _("Volunteer")
    COMMISSIONER = "commissioner", _("Commissioner or policymaker")
    ANALYST = "analyst", _("Analyst")


class Membership(TimeStampedModel):
    """A login's role in one organisation: the basis of every permission check."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["organisation__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_one_role_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.role})"
