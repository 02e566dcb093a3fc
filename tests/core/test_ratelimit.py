"""Rate limits on public writes (core/ratelimit.py): a flood is stopped with a 429 page
saying when to try again; reading, other people and saved answers are untouched."""

from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory
from pytest_django import Settings

from coproduce.accounts.models import User
from coproduce.consultations.models import Questionnaire, Response
from coproduce.core.ratelimit import client_address, parse_rate
from tests.conftest import PASSPHRASE, World
from tests.consultations.conftest import YES, field, make_form
from tests.votes.conftest import make_ballot


def sign_up(client: Client, name: str, **extra: Any) -> Any:
    data = {"username": name, "password": PASSPHRASE, "password_again": PASSPHRASE}
    return client.post("/account/create/", data, **extra)


def test_a_rate_is_posts_over_seconds_and_anything_else_is_refused_at_start() -> None:
    assert parse_rate("30/600") == parse_rate("30/600")
    assert parse_rate("30/600").count == 30
    assert parse_rate("30/600").seconds == 600
    for wrong in ("30", "thirty/600", "30/0", "30/-5", "/600", ""):
        with pytest.raises(ImproperlyConfigured):
            parse_rate(wrong)


def test_sign_ups_beyond_the_limit_get_a_429_page_saying_when_to_try_again(
    db: None, settings: Settings
) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_up": "2/3600"}
    client = Client()
    assert sign_up(client, "first").status_code == 302
    assert sign_up(Client(), "second").status_code == 302
    refused = sign_up(Client(), "third")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    page = refused.content.decode()
    assert "Too many tries in a short time" in page
    assert "Please try again in" in page
    assert "Nothing you saved before is lost" in page
    assert not User.objects.filter(username="third").exists()
    # Reading the form is never limited; another address has its own count.
    assert Client().get("/account/create/").status_code == 200
    assert sign_up(Client(), "fourth", REMOTE_ADDR="192.0.2.7").status_code == 302


def test_the_429_page_is_in_the_visitors_language(db: None, settings: Settings) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_up": "0/3600"}
    client = Client(headers={"accept-language": "vi"})
    refused = sign_up(client, "someone")
    assert refused.status_code == 429
    assert refused.headers["Content-Language"] == "vi"


def test_sign_in_attempts_are_limited_per_address(db: None, settings: Settings) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_in": "3/600"}
    client = Client()
    answers = [
        client.post("/account/sign-in/", {"username": "nobody", "password": "x"}).status_code
        for _attempt in range(4)
    ]
    assert answers[-1] == 429
    assert 429 not in answers[:3]


def test_a_signed_in_person_is_counted_on_their_own_not_with_their_address(
    world: World, settings: Settings
) -> None:
    """Two residents at one library computer: each has their own allowance."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "answer": "1/600"}
    questionnaire = make_form(world.service_a)
    answers = first_part(questionnaire)
    resident, volunteer = Client(), Client()
    resident.force_login(world.users["resident"])  # type: ignore[arg-type]
    volunteer.force_login(world.users["volunteer of A"])  # type: ignore[arg-type]
    assert resident.post(part(questionnaire, 1), answers).status_code == 302
    assert volunteer.post(part(questionnaire, 1), answers).status_code == 302
    assert resident.post(part(questionnaire, 1), answers).status_code == 429


def part(questionnaire: Questionnaire, number: int) -> str:
    return f"/consultations/f/{questionnaire.code}/{number}/"


def first_part(questionnaire: Questionnaire) -> dict[str, str]:
    return {
        field(questionnaire, "The talk was interesting"): "4",
        field(questionnaire, "Would you come again?"): YES,
    }


def test_a_survey_stopped_by_the_limit_keeps_its_saved_part_and_goes_on_later(
    world: World, settings: Settings
) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "answer": "1/600"}
    questionnaire = make_form(world.service_a)
    client = Client()
    assert client.post(part(questionnaire, 1), first_part(questionnaire)).status_code == 302
    later = {field(questionnaire, "What talks would you like?"): "Local history"}
    assert client.post(part(questionnaire, 2), later).status_code == 429
    draft = Response.objects.get(questionnaire=questionnaire)
    assert draft.status == "draft"
    assert draft.sections_saved == 1
    cache.clear()  # the window has passed
    assert client.post(part(questionnaire, 2), later).status_code == 302
    assert Response.objects.get(pk=draft.pk).status == "complete"


def test_each_post_costs_one_cache_operation_once_counting_has_begun(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    questionnaire = make_form(world.service_a)
    client = Client()
    client.post(part(questionnaire, 1), first_part(questionnaire))
    calls: list[str] = []
    for name in ("get", "set", "add", "incr", "get_many", "set_many"):
        original = getattr(cache, name)
        monkeypatch.setattr(
            cache, name, lambda *a, _o=original, _n=name, **k: calls.append(_n) or _o(*a, **k)
        )
    client.post(part(questionnaire, 1), first_part(questionnaire))
    assert calls == ["incr"]


def test_staff_typing_in_paper_answers_are_not_limited(world: World, settings: Settings) -> None:
    """A parish meeting's laptop: the staff page for paper forms carries no limit."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "answer": "0/600"}
    questionnaire = make_form(world.service_a)
    client = Client()
    client.force_login(world.users["staff of A"])  # type: ignore[arg-type]
    page = client.get(f"/consultations/manage/{questionnaire.pk}/enter/")
    assert page.status_code == 200
    assert client.post(part(questionnaire, 1), first_part(questionnaire)).status_code == 429


def test_the_address_behind_proxies_is_the_one_the_nearest_proxy_saw(
    settings: Settings,
) -> None:
    factory = RequestFactory()
    request = factory.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.RATE_LIMIT_PROXIES = 0
    assert client_address(request) == "10.0.0.1"
    settings.RATE_LIMIT_PROXIES = 1
    assert client_address(request) == "203.0.113.9"  # the forged 6.6.6.6 is ignored
    settings.RATE_LIMIT_PROXIES = 3  # fewer entries than proxies: the direct address
    assert client_address(request) == "10.0.0.1"


def test_an_ipv6_household_is_counted_by_its_network() -> None:
    factory = RequestFactory()
    one = factory.post("/", REMOTE_ADDR="2001:db8:1:2::10")
    other = factory.post("/", REMOTE_ADDR="2001:db8:1:2:ffff::1")
    assert client_address(one) == client_address(other) == "2001:db8:1:2::/64"
    assert client_address(factory.post("/", REMOTE_ADDR="not an address")) == "not an address"


def test_guessing_voting_codes_from_one_address_is_stopped(
    world: World, settings: Settings
) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "ballot": "3/600"}
    ballot = make_ballot(world)
    option = ballot.options.first()
    assert option is not None
    client = Client()
    answers = [
        client.post(f"/votes/{ballot.code}/", {"options": option.pk, "code": f"V-GUES-S00{n}"})
        for n in range(4)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert "Retry-After" in answers[-1]
    assert client.get(f"/votes/{ballot.code}/").status_code == 200
