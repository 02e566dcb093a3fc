"""The volunteering pages as volunteers and managers use them, bad input included."""

from datetime import timedelta
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from coproduce.accounts.services import participant_for
from coproduce.volunteering.models import (
    Application,
    ApplicationStatus,
    Capability,
    CapabilityRecord,
    Closure,
    HoursEntry,
    Signup,
    SignupStatus,
)
from coproduce.volunteering.services import hours_log, hours_review, shift_book
from tests.conftest import World
from tests.volunteering.conftest import Rota, holds, volunteer


def client_for(world: World, persona: str) -> Client:
    client = Client()
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    return client


def test_a_resident_applies_is_accepted_and_books_a_shift(world: World, rota: Rota) -> None:
    resident = client_for(world, "resident")
    roles = resident.get(f"/volunteering/services/{world.service_a.reference}/").content.decode()
    assert "Library assistant" in roles
    assert "DBS check" in roles
    url = f"/volunteering/roles/{rota.opportunity.pk}/apply/"
    assert "This field is required." in resident.post(url, {"message": "Hi"}).content.decode()
    resident.post(url, {"source": "former-user", "message": "I used the library as a child."})
    application = Application.objects.get()
    manager = client_for(world, "manager of A")
    page = manager.get(f"/volunteering/manage/services/{world.service_a.reference}/")
    assert application.participant.reference in page.content.decode()
    manager.post(f"/volunteering/manage/applications/{application.pk}/", {"answer": "yes"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    shift = rota.shifts[0]
    refused = resident.post(f"/volunteering/shifts/{shift.pk}/book/", follow=True)
    assert "DBS check" in refused.content.decode()  # no check recorded yet
    user = world.users["resident"]
    assert user is not None
    holds(participant_for(user), rota.dbs)
    booked = resident.post(f"/volunteering/shifts/{shift.pk}/book/", follow=True)
    assert "The shift is booked." in booked.content.decode()
    signup = Signup.objects.get()
    resident.post(f"/volunteering/bookings/{signup.pk}/cancel/")
    signup.refresh_from_db()
    assert signup.status == SignupStatus.CANCELLED


def test_hours_for_tomorrow_are_refused_with_the_reason(world: World, rota: Rota) -> None:
    resident = client_for(world, "resident")
    user = world.users["resident"]
    assert user is not None
    Application.objects.create(
        opportunity=rota.opportunity,
        participant=participant_for(user),
        source="fair",
        status=ApplicationStatus.ACCEPTED,
    )
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = resident.post(
        "/volunteering/hours/",
        {"role": rota.opportunity.pk, "worked_on": tomorrow, "hours": "2"},
        follow=True,
    )
    assert "Hours can be logged only for today or earlier." in response.content.decode()
    assert not HoursEntry.objects.exists()


def test_a_manager_records_a_closure_and_the_commissioner_downloads_it(
    world: World, rota: Rota
) -> None:
    manager = client_for(world, "manager of A")
    url = f"/volunteering/manage/services/{world.service_a.reference}/closures/"
    day = timezone.localdate(rota.shifts[0].starts_at)
    empty = manager.post(url, {"day": day.isoformat(), "reason": ""})
    assert "This field is required." in empty.content.decode()
    manager.post(url, {"day": day.isoformat(), "reason": "Volunteers on holiday"})
    assert Closure.objects.get().reason == "Volunteers on holiday"
    csv = client_for(world, "commissioner").get(url.replace("closures/", "closures.csv"))
    assert csv.content.decode().splitlines() == [
        "Day,Why",
        f"{day.isoformat()},Volunteers on holiday",
    ]


def test_a_manager_records_a_check_only_for_someone_of_the_service(
    world: World, rota: Rota
) -> None:
    manager = client_for(world, "manager of A")
    url = f"/volunteering/manage/services/{world.service_a.reference}/capability/"
    form = {
        "reference": "P-0000-0000",
        "capability": rota.dbs.pk,
        "obtained_on": timezone.localdate().isoformat(),
    }
    refused = manager.post(url, form)
    assert "No volunteer or staff member of this service" in refused.content.decode()
    staff = world.users["staff of A"]
    assert staff is not None
    reference = participant_for(staff).reference
    later = (timezone.localdate() - timedelta(days=1)).isoformat()
    bad = manager.post(url, {**form, "reference": reference, "expires_on": later})
    assert "cannot expire before" in bad.content.decode()
    manager.post(url, {**form, "reference": reference.lower()})
    page = manager.get(url).content.decode()
    assert "DBS check" in page


def test_a_volunteer_swaps_a_shift_with_someone_who_can_take_it(world: World, rota: Rota) -> None:
    user = world.users["resident"]
    assert user is not None
    me = participant_for(user)
    for person in (me,):
        Application.objects.create(
            opportunity=rota.opportunity, participant=person, source="fair", status="accepted"
        )
        holds(person, rota.dbs)
    signup = shift_book(shift=rota.shifts[0], participant=me)
    other = volunteer(world, rota.opportunity)
    client = client_for(world, "resident")
    url = f"/volunteering/bookings/{signup.pk}/swap/"
    assert (
        "No volunteer has that reference."
        in client.post(url, {"reference": "P-0000-0000"}).content.decode()
    )
    response = client.post(url, {"reference": other.reference.lower()}, follow=True)
    assert f"The shift is now {other.reference}" in response.content.decode()
    assert Signup.objects.get(status=SignupStatus.BOOKED).participant == other
    # Someone else's booking cannot be swapped by this login.
    mine_now = Signup.objects.get(status=SignupStatus.BOOKED)
    assert client.get(f"/volunteering/bookings/{mine_now.pk}/swap/").status_code == 404


def test_the_manager_sees_the_year_of_hours_and_their_value(
    world: World, rota: Rota, settings: object
) -> None:
    settings.COPRODUCE_VOLUNTEER_HOUR_VALUE = "10.00"  # type: ignore[attr-defined]
    person = volunteer(world, rota.opportunity)
    entry = hours_log(
        participant=person,
        opportunity=rota.opportunity,
        worked_on=timezone.localdate(),
        hours=Decimal("2.5"),
    )
    hours_review(entry=entry, approve=True, reviewed_by=None)
    page = client_for(world, "manager of A").get(
        f"/volunteering/manage/services/{world.service_a.reference}/"
    )
    assert "2.50 approved hours in the last 12 months, worth £25.00 at £10.00 an hour" in (
        page.content.decode()
    )


def test_a_manager_records_a_training_session_for_everyone_who_came(
    world: World, rota: Rota
) -> None:
    lms = Capability.objects.create(name="Library management system", kind="training")
    first, second = volunteer(world, rota.opportunity), volunteer(world, rota.opportunity)
    url = f"/volunteering/manage/services/{world.service_a.reference}/capability/"
    form = {
        "capability": lms.pk,
        "held_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "provider": "Eastmere County Council",
        "valid_for_months": "36",
        "references": f"{first.reference}\nP-0000-0000",
    }
    manager = client_for(world, "manager of A")
    refused = manager.post(url, form).content.decode()
    assert "Not volunteers or staff of this service: P-0000-0000." in refused
    manager.post(url, {**form, "references": f"{first.reference}, {second.reference}"})
    assert CapabilityRecord.objects.filter(capability=lms).count() == 2
