"""Survivor-safe mode, walked over the demo refuge (a sensitive service): every page of
it that a survivor can reach carries the quick exit to the neutral site, and its name is
in no page title, no address, and no email about it."""

import re
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from coproduce.accounts.models import User
from coproduce.campaigns.models import Campaign
from coproduce.consultations.models import Questionnaire
from coproduce.deliberation.models import Consultation
from coproduce.deliberation.notifications import outcome_message
from coproduce.events.models import Event, Rsvp
from coproduce.events.notifications import cancelled_message, promoted_message, reminder_message
from coproduce.forums.models import Forum
from coproduce.organisations.models import Service

REFUGE = "Haven refuge"
NAMED = re.compile(r"haven[\s+_-]*refuge", re.IGNORECASE)
ADDRESSES = re.compile(r'(?:href|action|src)="([^"]*)"')
TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)


@pytest.fixture
def refuge(demo_world: None) -> Service:
    return Service.objects.get(name=REFUGE)


def refuge_pages(refuge: Service) -> list[str]:
    """The refuge's public pages: its own, its events, forms, consultations, forums,
    "you said, we did", volunteering and campaigns."""
    reference = refuge.reference
    pages = [
        reverse(name, args=[reference])
        for name in (
            "organisations:service",
            "events:service_events",
            "forums:board",
            "forums:service_forums",
            "volunteering:roles",
            "deliberation:service_consultations",
            "campaigns:service_campaigns",
        )
    ]
    events = Event.objects.filter(activity__service=refuge).order_by("-starts_at")[:3]
    pages += [reverse("events:event", args=[event.pk]) for event in events]
    pages += [
        reverse("consultations:answer", args=[form.code])
        for form in Questionnaire.objects.filter(service=refuge)
    ]
    pages += [
        reverse("deliberation:consultation", args=[consultation.code])
        for consultation in Consultation.objects.filter(activity__service=refuge)
    ]
    pages += [reverse("forums:forum", args=[f.pk]) for f in Forum.objects.filter(service=refuge)]
    pages += [
        reverse("campaigns:campaign", args=[campaign.reference])
        for campaign in Campaign.objects.filter(activity__service=refuge)
    ]
    return pages


def assert_safe(client: Client, url: str) -> bool:
    """The page, if this visitor may see it, is safe; whether it was seen."""
    response = client.get(url, follow=True)
    assert response.status_code < 500, url
    for address, _ in [(url, None), *response.redirect_chain]:
        assert not NAMED.search(unquote(address)), address
    if response.status_code != 200:
        return False
    html = response.content.decode()
    [title] = TITLE.findall(html)
    assert not NAMED.search(title), f"{url}: {title}"
    for address in ADDRESSES.findall(html):
        assert not NAMED.search(unquote(address)), f"{url} links to {address}"
    exit_link = f'href="{settings.COPRODUCE_QUICK_EXIT_URL}"'
    assert exit_link in html, f"{url} has no quick exit"
    assert 'rel="nofollow noreferrer"' in html
    return True


def test_the_refuge_pages_are_neutral_and_can_be_left_quickly(refuge: Service) -> None:
    resident = Client()
    resident.force_login(User.objects.get(username="resident"))
    pages = refuge_pages(refuge)
    seen = sum(assert_safe(client, url) for client in (Client(), resident) for url in pages)
    assert seen >= 2 * 8, "most of the refuge's pages are public"
    # Sign-in, sign-up and account pages too: a survivor reaches them from the refuge's.
    for client, name in (
        (Client(), "accounts:login"),
        (Client(), "accounts:sign_up"),
        (resident, "accounts:profile"),
    ):
        assert assert_safe(client, reverse(name)), name
    # A service that is not sensitive has none.
    library = Service.objects.filter(sensitive=False).first()
    assert library is not None
    html = Client().get(reverse("organisations:service", args=[library.reference])).content
    assert settings.COPRODUCE_QUICK_EXIT_URL.encode() not in html


def test_no_email_or_calendar_about_the_refuge_names_it(refuge: Service) -> None:
    rsvps = Rsvp.objects.filter(event__activity__service=refuge).select_related("participant")
    assert rsvps.exists()
    messages = [
        message(rsvp)
        for rsvp in rsvps[:20]
        for message in (reminder_message, promoted_message, cancelled_message)
    ]
    consultations = Consultation.objects.filter(activity__service=refuge)
    messages += [outcome_message(c, rsvps[0].participant) for c in consultations]
    for subject, body in messages:
        assert not NAMED.search(subject)
        assert not NAMED.search(body)
    # Nor does its calendar feed, which a phone's calendar shows to anyone holding it.
    calendar = Client().get(reverse("events:service_calendar", args=[refuge.reference]))
    assert calendar.status_code == 200
    assert not NAMED.search(calendar.content.decode())
