"""Two-factor sign-in (TOTP): required for staff roles and superusers, open to anyone."""

import re
import time
from base64 import b32decode

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from coproduce.accounts.models import User
from tests.conftest import PASSPHRASE, World

pytestmark = pytest.mark.django_db

ENROL = "/account/two-factor/"
VERIFY = "/account/two-factor/code/"
WRONG = "That code is not right"
FORCED = ["staff of A", "manager of A", "manager of B", "commissioner", "superuser"]


@pytest.fixture
def required(settings: pytest.FixtureRequest) -> None:
    settings.COPRODUCE_TWO_FACTOR_REQUIRED = True  # type: ignore[attr-defined]


def signed_in(user: User | None) -> Client:
    assert user is not None
    client = Client()
    assert (
        client.post(
            "/account/sign-in/", {"username": user.username, "password": PASSPHRASE}
        ).status_code
        == 302
    )
    return client


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or that many 30-second steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def key_on_page(page: str) -> bytes:
    """The secret as the enrolment page shows it, read back as an app would."""
    found = re.search(r'id="two-factor-key">([A-Z2-7 ]+)<', page)
    assert found is not None
    return b32decode(found.group(1).replace(" ", ""))


def enrol(client: Client) -> tuple[TOTPDevice, list[str]]:
    page = client.get(ENROL).content.decode()
    device = TOTPDevice.objects.get(confirmed=False)
    assert key_on_page(page) == device.bin_key
    response = client.post(ENROL, {"code": code(device)})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    return device, response.context["codes"]


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize("persona", FORCED)
def test_staff_roles_and_superusers_must_set_up_two_factor_before_any_page(
    world: World, persona: str
) -> None:
    client = signed_in(world.users[persona])
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == f"{ENROL}?next=%2Fdashboard%2F"
    assert client.get("/account/").status_code == 302
    assert client.get("/admin/").status_code == 302
    assert client.get(ENROL).status_code == 200


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize("persona", ["resident", "volunteer of A"])
def test_residents_and_volunteers_are_never_forced(world: World, persona: str) -> None:
    client = signed_in(world.users[persona])
    assert client.get("/account/").status_code == 200


@pytest.mark.parametrize("persona", FORCED)
def test_without_the_setting_nobody_is_forced(world: World, persona: str) -> None:
    client = signed_in(world.users[persona])
    assert client.get("/account/").status_code == 200


@pytest.mark.usefixtures("required")
def test_before_the_code_a_person_can_still_sign_out_choose_a_language_and_load_styles(
    world: World,
) -> None:
    client = signed_in(world.users["manager of A"])
    assert client.get("/language/cy/?next=/").status_code == 302
    assert client.get("/language/cy/?next=/")["Location"] == "/"
    assert client.get("/static/dist/coproduce.css").status_code in {200, 404}
    assert client.post("/account/sign-out/").status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("required")
def test_the_enrolment_page_shows_the_secret_as_a_qr_code_and_as_text(world: World) -> None:
    client = signed_in(world.users["manager of A"])
    page = client.get(ENROL).content.decode()
    assert "<svg" in page
    assert "QR code for your authenticator app" in page
    device = TOTPDevice.objects.get(user=world.users["manager of A"])
    assert key_on_page(page) == device.bin_key
    # Reloading the page keeps the same secret: the app set up from it still works.
    assert key_on_page(client.get(ENROL).content.decode()) == device.bin_key


@pytest.mark.usefixtures("required")
def test_enrolling_gives_ten_backup_codes_once_and_opens_the_site(world: World) -> None:
    client = signed_in(world.users["manager of A"])
    _device, codes = enrol(client)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert client.get("/account/").status_code == 200
    # Shown once: the enrolment page now sends people to give a code instead.
    assert client.get(ENROL)["Location"] == VERIFY


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize("wrong", ["000000", "abcdef", "", "1" * 16, "12 34 5６"])
def test_a_wrong_code_at_enrolment_is_a_clear_form_error(world: World, wrong: str) -> None:
    client = signed_in(world.users["manager of A"])
    client.get(ENROL)
    response = client.post(ENROL, {"code": wrong})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert client.get("/account/").status_code == 302


@pytest.mark.usefixtures("required")
def test_signing_in_again_asks_for_a_code_and_accepts_the_next_one(world: World) -> None:
    device, _codes = enrol(signed_in(world.users["manager of A"]))
    client = signed_in(world.users["manager of A"])
    response = client.get("/dashboard/")
    assert response["Location"] == f"{VERIFY}?next=%2Fdashboard%2F"
    response = client.post(f"{VERIFY}?next=%2Fdashboard%2F", {"code": code(device, 1)})
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert client.get("/account/").status_code == 200


@pytest.mark.usefixtures("required")
def test_a_replayed_code_is_refused(world: World) -> None:
    device, _codes = enrol(signed_in(world.users["manager of A"]))
    used = code(device)  # the code that confirmed the app, seen by a shoulder-surfer
    client = signed_in(world.users["manager of A"])
    response = client.post(VERIFY, {"code": used})
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert client.get("/account/").status_code == 302


@pytest.mark.usefixtures("required")
def test_repeated_wrong_codes_make_the_next_try_wait(world: World) -> None:
    device, _codes = enrol(signed_in(world.users["manager of A"]))
    client = signed_in(world.users["manager of A"])
    assert WRONG in client.post(VERIFY, {"code": "000000"}).content.decode()
    # Straight after a wrong code, even the right one waits (django-otp's throttling).
    response = client.post(VERIFY, {"code": code(device, 1)})
    assert "Too many wrong codes" in response.content.decode()
    assert client.get("/account/").status_code == 302


@pytest.mark.usefixtures("required")
def test_a_backup_code_works_once(world: World) -> None:
    _device, codes = enrol(signed_in(world.users["manager of A"]))
    first = signed_in(world.users["manager of A"])
    assert first.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert first.get("/account/").status_code == 200
    assert StaticToken.objects.count() == 9
    second = signed_in(world.users["manager of A"])
    assert WRONG in second.post(VERIFY, {"code": codes[0]}).content.decode()


@pytest.mark.usefixtures("required")
def test_a_code_given_for_one_session_does_not_carry_to_the_next(world: World) -> None:
    device, _codes = enrol(signed_in(world.users["manager of A"]))
    client = signed_in(world.users["manager of A"])
    client.post(VERIFY, {"code": code(device, 1)})
    client.post("/account/sign-out/")
    client.post("/account/sign-in/", {"username": "manager-of-A", "password": PASSPHRASE})
    assert client.get("/account/").status_code == 302


@pytest.mark.usefixtures("required")
def test_the_next_page_after_the_code_is_never_another_site(world: World) -> None:
    device, _codes = enrol(signed_in(world.users["manager of A"]))
    client = signed_in(world.users["manager of A"])
    response = client.post(f"{VERIFY}?next=https://evil.example/", {"code": code(device, 1)})
    assert response["Location"] == "/dashboard/"


def test_a_resident_may_switch_two_factor_on_from_their_account_and_is_then_asked(
    world: World,
) -> None:
    client = signed_in(world.users["resident"])
    page = client.get("/account/").content.decode()
    assert ENROL in page
    device, _codes = enrol(client)
    assert "On: you enter a code" in client.get("/account/").content.decode()
    again = signed_in(world.users["resident"])
    assert again.get("/account/")["Location"] == f"{VERIFY}?next=%2Faccount%2F"
    assert again.post(VERIFY, {"code": code(device, 1)}).status_code == 302


def test_the_code_page_without_an_app_leads_to_setting_one_up(world: World) -> None:
    client = signed_in(world.users["resident"])
    assert client.get(VERIFY)["Location"] == ENROL
