"""Every write about organisations, services, partnerships and memberships.

One function per use case, keyword-only, in a transaction. Callers (views, commands,
the demo loader) never save these models themselves.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.organisations.models import (
    BackingKind,
    GovernmentLevel,
    Membership,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipKind,
    Role,
    Sector,
    Service,
    ServiceBacking,
)
from coproduce.organisations.permissions import require_manager
from coproduce.places.models import Area


@transaction.atomic
def organisation_create(
    *,
    slug: str,
    name: str,
    kind: OrganisationKind,
    area: Area,
    level: GovernmentLevel | str = "",
    description: str = "",
    website: str = "",
) -> Organisation:
    if Organisation.objects.filter(slug=slug).exists():
        raise ValidationError(
            {
                "slug": _("An organisation with the short name “%(slug)s” already exists.")
                % {"slug": slug}
            }
        )
    organisation = Organisation(
        slug=slug,
        name=name,
        kind=kind,
        area=area,
        level=level,
        description=description,
        website=website,
    )
    _check_level_matches_kind(organisation)
    organisation.full_clean()
    organisation.save()
    return organisation


def _check_level_matches_kind(organisation: Organisation) -> None:
    is_public = OrganisationKind(organisation.kind).is_public_body
    if is_public and not organisation.level:
        raise ValidationError({"level": _("A public body needs a level of government.")})
    if not is_public and organisation.level:
        raise ValidationError({"level": _("Only public bodies have a level of government.")})


@transaction.atomic
def service_create(
    *,
    name: str,
    sector: Sector,
    provider: Organisation,
    area: Area,
    sensitive: bool = False,
    description: str = "",
    commissioned_by: list[Organisation] | None = None,
    funded_by: list[Organisation] | None = None,
    reference: str | None = None,
) -> Service:
    service = Service(
        name=name,
        sector=sector,
        provider=provider,
        area=area,
        sensitive=sensitive,
        description=description,
    )
    if reference is not None:
        service.reference = reference
    service.full_clean()
    service.save()
    backings = [
        ServiceBacking(service=service, organisation=body, kind=BackingKind.COMMISSIONS)
        for body in commissioned_by or []
    ] + [
        ServiceBacking(service=service, organisation=body, kind=BackingKind.FUNDS)
        for body in funded_by or []
    ]
    ServiceBacking.objects.bulk_create(backings)
    return service


@transaction.atomic
def partnership_create(
    *,
    source: Organisation,
    target: Organisation,
    kind: PartnershipKind,
    started_on: date,
    ended_on: date | None = None,
    description: str = "",
) -> Partnership:
    partnership = Partnership(
        source=source,
        target=target,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
        description=description,
    )
    partnership.full_clean()
    partnership.save()
    return partnership


@transaction.atomic
def membership_add(
    *, organisation: Organisation, username: str, role: Role, added_by: User | None
) -> Membership:
    """Give a login a role in an organisation; only its managers (or the system) may.

    ``added_by=None`` is for trusted callers without a person behind them (the demo
    loader, commands run by an operator).
    """
    if added_by is not None:
        require_manager(added_by, organisation)
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ValidationError(
            {
                "username": _("There is no account with the username “%(username)s”.")
                % {"username": username}
            }
        )
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError(
            {
                "username": _("“%(username)s” is already a member of %(organisation)s.")
                % {"username": username, "organisation": organisation.name}
            }
        )
    return Membership.objects.create(user=user, organisation=organisation, role=role)


@transaction.atomic
def membership_remove(*, membership: Membership, removed_by: User) -> None:
    require_manager(removed_by, membership.organisation)
    if membership.user_id == removed_by.pk:
        raise ValidationError(_("You cannot remove your own membership."))
    membership.delete()
