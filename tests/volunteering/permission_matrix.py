"""Every URL of volunteering, with the status each persona gets for a GET."""

from datetime import time, timedelta
from decimal import Decimal

from django.utils import timezone

from coproduce.accounts.services import participant_create
from coproduce.volunteering.models import (
    Application,
    ApplicationSource,
    HoursEntry,
    Opportunity,
    Signup,
)
from coproduce.volunteering.services import (
    OpportunityDetails,
    PatternDetails,
    application_review,
    application_submit,
    hours_log,
    opportunity_create,
    pattern_create,
    shift_book,
    shifts_generate,
)
from tests.conftest import World
from tests.matrix import (
    BACKERS,
    EVERYONE,
    PERSONAS,
    SIGN_IN,
    SIGNED_IN,
    Expectations,
    only,
    post_only,
)

RUNNERS = ("staff of A", "manager of A", "superuser")
VIEWERS = ("staff of A", "manager of A", *BACKERS, "superuser")
ROLE = "Permission matrix role"


def matrix_role(world: World) -> tuple[Opportunity, Signup, HoursEntry, Application]:
    role = Opportunity.objects.filter(title=ROLE).first()
    if role is None:
        role = opportunity_create(
            service=world.service_a, details=OpportunityDetails(title=ROLE), created_by=None
        )
        pattern = pattern_create(
            opportunity=role,
            details=PatternDetails(
                weekday=(timezone.localdate() + timedelta(days=1)).weekday(),
                starts=time(10),
                ends=time(12),
                needed=2,
                valid_from=timezone.localdate(),
            ),
            created_by=None,
        )
        shifts_generate(pattern=pattern, until=timezone.localdate() + timedelta(days=7))
        person = participant_create(user=None)
        application_review(
            application=application_submit(
                opportunity=role, participant=person, source=ApplicationSource.FAIR
            ),
            accept=True,
            reviewed_by=None,
        )
        shift_book(shift=role.shifts.first(), participant=person)  # type: ignore[arg-type]
        hours_log(
            participant=person,
            opportunity=role,
            worked_on=timezone.localdate(),
            hours=Decimal(2),
        )
        application_submit(
            opportunity=role,
            participant=participant_create(user=None),
            source=ApplicationSource.WORD_OF_MOUTH,
        )
    return (
        role,
        Signup.objects.filter(shift__opportunity=role).first(),  # type: ignore[return-value]
        HoursEntry.objects.filter(opportunity=role).first(),  # type: ignore[return-value]
        Application.objects.filter(opportunity=role, status="applied").first(),  # type: ignore[return-value]
    )


def expectations(world: World) -> Expectations:
    role, signup, hours, application = matrix_role(world)
    service = world.service_a.reference
    manage = f"/volunteering/manage/services/{service}"
    return {
        "volunteering:roles": (f"/volunteering/services/{service}/", EVERYONE),
        "volunteering:apply": (f"/volunteering/roles/{role.pk}/apply/", SIGNED_IN),
        "volunteering:my_shifts": ("/volunteering/my-shifts/", SIGNED_IN),
        # Booking, cancelling and logging hours are the role's accepted volunteers' own:
        # none of the personas is one, so each of their POSTs is refused.
        "volunteering:book": post_only(f"/volunteering/shifts/{signup.shift_id}/book/"),
        "volunteering:cancel": post_only(f"/volunteering/bookings/{signup.pk}/cancel/"),
        # Only the volunteer who booked it may swap it: everyone else is told it is not there.
        "volunteering:swap": (
            f"/volunteering/bookings/{signup.pk}/swap/",
            {**dict.fromkeys(PERSONAS, 404), "anonymous": SIGN_IN},
        ),
        "volunteering:log_hours": post_only("/volunteering/hours/"),
        "volunteering:manage": (f"{manage}/", only(*RUNNERS)),
        "volunteering:role_new": (f"{manage}/roles/new/", only(*RUNNERS)),
        "volunteering:pattern_new": (
            f"/volunteering/manage/roles/{role.pk}/shifts/new/",
            only(*RUNNERS),
        ),
        "volunteering:application_review": post_only(
            f"/volunteering/manage/applications/{application.pk}/", *RUNNERS
        ),
        "volunteering:hours_review": post_only(f"/volunteering/manage/hours/{hours.pk}/", *RUNNERS),
        "volunteering:attendance": post_only(
            f"/volunteering/manage/bookings/{signup.pk}/attendance/", *RUNNERS
        ),
        "volunteering:capability": (f"{manage}/capability/", only(*RUNNERS)),
        "volunteering:closures": (f"{manage}/closures/", only(*RUNNERS)),
        # The closure schedule goes to the council that funds the service too.
        "volunteering:closures_csv": (f"{manage}/closures.csv", only(*VIEWERS)),
    }
