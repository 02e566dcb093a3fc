"""The volunteering pages as volunteers and managers use them, bad input included."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from coproduce.accounts.services import participant_for
from coproduce.volunteering.models import (
    Application,
    ApplicationStatus,
    Closure,
    HoursEntry,
    Signup,
    SignupStatus,
)
from tests.conftest import World
from tests.volunteering.conftest import Rota, holds


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
