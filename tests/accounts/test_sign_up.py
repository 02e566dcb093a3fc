import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from coproduce.accounts.models import Participant
from coproduce.core.references import is_reference

pytestmark = pytest.mark.django_db

GOOD = {
    "username": "quiet-reader",
    "email": "",
    "password": "lanterns wander softly",
    "password_again": "lanterns wander softly",
}


def test_a_person_can_sign_up_with_a_username_and_passphrase_alone() -> None:
    client = Client()
    response = client.post("/account/create/", GOOD, follow=True)
    assert response.status_code == 200
    user = get_user_model().objects.get(username="quiet-reader")
    assert user.email == ""
    assert user.password.startswith("md5$")  # hashed (tests use the fast hasher)
    participant = Participant.objects.get(user=user)
    assert is_reference(participant.reference)
    assert participant.reference in response.content.decode()
    assert response.context["user"] == user


def test_the_participant_reference_says_nothing_about_the_person() -> None:
    client = Client()
    client.post("/account/create/", GOOD)
    reference = Participant.objects.get().reference
    assert "quiet" not in reference.lower()
    assert reference.startswith("P-")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"username": ""}, "username", "This field is required."),
        ({"username": "has space"}, "username", "Enter a valid username"),
        ({"password": "short", "password_again": "short"}, "password", "too short"),
        ({"password_again": "something else entirely"}, "password_again", "not the same"),
        ({"email": "not-an-email"}, "email", "valid email"),
        (
            {"password": "password1234", "password_again": "password1234"},
            "password",
            "too common",
        ),
    ],
)
def test_bad_sign_up_input_is_explained_and_nothing_is_created(
    change: dict[str, str], field: str, message: str
) -> None:
    response = Client().post("/account/create/", {**GOOD, **change})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert "There is a problem" in response.content.decode()
    assert not get_user_model().objects.exists()
    assert not Participant.objects.exists()


def test_a_taken_username_is_refused_whatever_its_case() -> None:
    Client().post("/account/create/", GOOD)
    response = Client().post("/account/create/", {**GOOD, "username": "Quiet-Reader"})
    assert "That username is taken" in " ".join(response.context["form"].errors["username"])
    assert get_user_model().objects.count() == 1


def test_new_passwords_are_hashed_with_argon2_by_default(settings: object) -> None:
    from django.conf import settings as live

    assert live.PASSWORD_HASHERS  # the fixture swapped in MD5 for speed
    from coproduce import settings as configured

    assert configured.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_sign_in_with_a_wrong_passphrase_is_refused_with_a_message() -> None:
    Client().post("/account/create/", GOOD)
    response = Client().post(
        "/account/sign-in/", {"username": "quiet-reader", "password": "wrong wrong wrong"}
    )
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
