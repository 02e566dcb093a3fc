"""Give an existing login a role in an organisation, from the command line."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from coproduce.organisations.models import Organisation, Role
from coproduce.organisations.services import membership_add


class Command(BaseCommand):
    help = "Give an existing login a role (manager, staff, volunteer, commissioner, analyst)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation", help="the organisation's short name (slug)")
        parser.add_argument("username")
        parser.add_argument("role", choices=[role.value for role in Role])

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(
                f"There is no organisation with the slug {options['organisation']!r}."
            )
        try:
            membership = membership_add(
                organisation=organisation,
                username=options["username"],
                role=Role(options["role"]),
                added_by=None,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"{membership.user.username} is now {membership.role} of {organisation}.")
