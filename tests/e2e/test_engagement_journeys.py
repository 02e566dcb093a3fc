"""Engagement journeys in a real browser: activities and the ladder, the roll-up and
reach, an event reply without an account, a toilet-door poster and its short link, and
the "You said, we did" board with a library's volunteer meeting and action log.

Each journey is made by the person who makes it, on the demo world, and every page it
visits is checked with axe. Addresses come from the demo data, never from fixed ids.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from coproduce.campaigns.models import CampaignLink
from coproduce.demo.logins import DEMO_PASSPHRASE
from coproduce.engagement.ladder import OutreachChannel
from coproduce.events.models import Event
from coproduce.forums.models import ForumKind, Meeting
from coproduce.organisations.models import Service
from coproduce.places.models import Area
from tests.e2e.conftest import assert_accessible, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LIBRARY = "Ashmere Parva Community Library"
REFUGE = "Haven refuge"
REFERENCE = re.compile(r"^P-\w{4}-\w{4}$")


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/account/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSPHRASE)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Sign in")


def assert_fits_a_small_phone(page: Page) -> None:
    """At 320 CSS pixels (WCAG reflow) wide tables scroll in their own focusable region
    and the page itself never scrolls sideways."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{page.url}: the page is {width}px wide on a 320px screen"
        for region in page.locator(".cp-table-scroll").all():
            expect(region).to_have_attribute("tabindex", "0")
            expect(region).to_have_accessible_name(re.compile(r"\w"))
    finally:
        if size is not None:
            page.set_viewport_size(size)


def test_a_library_manager_plans_an_activity_and_reads_the_ladder_profile(
    page: Page, demo: str
) -> None:
    sign_in(page, demo, "library-manager")
    expect(page.get_by_role("heading", level=1)).to_have_text(LIBRARY)
    page.get_by_role("link", name=f"activities – {LIBRARY}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activities")
    expect(page.get_by_role("table")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Plan an activity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan an activity")
    assert_accessible(page)
    title = "Local history reading group"
    page.get_by_label("Title").fill(title)
    page.get_by_label("Form of engagement").select_option(label="Inform")
    # Partnership is beyond what "inform" can be (manipulation to informing).
    page.get_by_label("Rung on the ladder of participation").select_option(label="Partnership")
    page.get_by_label("Stage of the service cycle").select_option(label="Co-delivery")
    page.get_by_label("Citizens' role").select_option(label="Co-implementer")
    page.get_by_label("Noticeboard").check()
    page.get_by_label("Starts", exact=True).fill("2026-12-02")
    page.get_by_role("button", name="Save the activity").click()

    expect(page).to_have_title(re.compile("^Error:"))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("“Partnership” is outside what “Inform” can be")
    expect(page.get_by_label("Title")).to_have_value(title)
    expect(page.get_by_label("Form of engagement")).to_have_value("inform")
    expect(page.get_by_label("Noticeboard")).to_be_checked()
    expect(page.get_by_label("Starts", exact=True)).to_have_value("2026-12-02")
    rung = page.get_by_label("Rung on the ladder of participation")
    expect(rung).to_have_attribute("aria-invalid", "true")
    # The error link in the summary takes the keyboard to the field.
    summary.get_by_role("link").first.click()
    expect(rung).to_be_focused()
    assert_accessible(page)
    screenshot(page, "activity-form")

    # A rung the form allows, but not its usual one, needs a reason.
    page.get_by_label("Form of engagement").select_option(label="Involve")
    rung.select_option(label="Partnership")
    page.get_by_role("button", name="Save the activity").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Say why this activity is “Partnership” rather than the usual “Placation”."
    )
    expect(page.get_by_label("Title")).to_have_value(title)
    expect(rung).to_have_value("6")
    assert_accessible(page)

    page.get_by_label("Why this rung").fill("The group chooses its own books and speakers.")
    page.get_by_role("button", name="Save the activity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text("The activity is saved.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Activities").first.click()
    expect(page.get_by_role("rowheader", name=title)).to_be_visible()

    page.get_by_role("link", name="Ladder profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ladder profile")
    figures = page.get_by_role("figure")
    expect(figures.first).to_be_visible()
    assert figures.count() >= 1
    for index in range(figures.count()):
        figure = figures.nth(index)
        # Once the interactive view has drawn, the chart is still one image named by its
        # title and summary (Vega names the element it draws into "Vega visualization").
        expect(figure.locator(".vega-embed svg")).to_be_attached()
        title = figure.get_by_role("heading").inner_text()
        expect(figure.get_by_role("img")).to_have_accessible_name(
            re.compile(f"^{re.escape(title)}\\. ")
        )
        expect(figure.get_by_role("table")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "ladder")


def test_the_county_commissioner_reads_the_roll_up_and_a_librarys_reach(
    page: Page, demo: str
) -> None:
    county = Area.objects.get(organisations__slug="eastmere-county-council")
    sign_in(page, demo, "county-commissioner")
    expect(page.get_by_role("heading", level=1)).to_have_text("Eastmere County Council")

    page.get_by_role("link", name=f"Engagement roll-up for {county.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(county.name)
    expect(page.get_by_role("table").first).to_be_visible()
    expect(page.get_by_role("rowheader", name=LIBRARY).first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "roll-up")
    assert_fits_a_small_phone(page)

    page.goto(f"{demo}/dashboard/eastmere-county-council/")
    page.get_by_role("link", name=f"reach – {LIBRARY}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reach")
    expect(page.get_by_role("table").first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "reach")
    assert_fits_a_small_phone(page)


def test_a_resident_without_an_account_replies_to_a_library_event(page: Page, demo: str) -> None:
    library = Service.objects.get(name=LIBRARY)
    event = (
        Event.objects.filter(
            activity__service=library,
            status="published",
            starts_at__gt=timezone.now(),
            title__in=["Talks by local speakers", "Knit and natter"],
        )
        .order_by("starts_at")
        .first()
    )
    assert event is not None, "the demo world has an upcoming library event"

    page.goto(f"{demo}/events/services/{library.reference}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Coming events")
    assert_accessible(page)
    page.locator(f"a[href='/events/{event.pk}/']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(event.title)
    expect(page.get_by_text("You do not need an account.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Name to give at the door").fill("Robin")
    page.get_by_role("button", name=re.compile("Reply: I am coming|Join the waiting list")).click()
    expect(page).to_have_url(re.compile(r"/events/replies/[^/]+/$"))
    expect(
        page.get_by_role("heading", level=2, name=re.compile("You have a place|waiting list"))
    ).to_be_visible()
    panel = page.locator(".govuk-panel")
    expect(panel.locator("strong")).to_have_text(REFERENCE)
    expect(page.locator("code")).to_have_text(page.url)
    expect(page.get_by_role("button", name="Cancel my reply")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "event-rsvp")
    assert_fits_a_small_phone(page)

    page.goto(f"{demo}/events/{event.pk}/")
    page.get_by_label("Name to give at the door").fill("Robin")
    page.get_by_role("button", name=re.compile("Reply: I am coming|Join the waiting list")).click()
    expect(page.get_by_role("alert")).to_contain_text("You have already replied to this event")
    expect(page.get_by_label("Name to give at the door")).to_have_value("Robin")
    assert_accessible(page)


def test_the_refuge_manager_prints_a_toilet_door_poster_whose_link_sets_no_cookie(
    page: Page, browser: Browser, demo: str
) -> None:
    link = CampaignLink.objects.select_related("campaign").get(
        channel=OutreachChannel.PRIVATE_POSTER,
        campaign__activity__service__provider__slug="eastmere-haven-trust",
    )
    campaign = link.campaign
    sign_in(page, demo, "refuge-manager")
    page.goto(f"{demo}/campaigns/{campaign.reference}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(campaign.title)
    short = f"{demo}/campaigns/c/{link.code}/"
    expect(page.get_by_role("row").filter(has_text=short)).to_be_visible()
    assert_accessible(page)
    assert_fits_a_small_phone(page)

    page.get_by_role("link", name=f"Poster ({link.get_channel_display()})").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(campaign.title)
    poster = page.get_by_role("article")
    expect(poster.locator("svg")).to_be_visible()
    expect(poster.get_by_text(short, exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot(page, "poster")

    visitor = browser.new_context(locale="en-GB")
    try:
        # The short link alone: a redirect, with nothing set on the visitor's phone.
        answer = visitor.request.get(short, max_redirects=0)
        assert answer.status == 302
        assert answer.headers["location"] == campaign.destination
        assert "set-cookie" not in answer.headers
        assert visitor.cookies() == []

        # Followed in the browser, it lands on the campaign's destination, and the hop
        # through the short link sets nothing either. (The destination is an ordinary
        # page of the site, outside the short link's promise.)
        tab = visitor.new_page()
        landed = tab.goto(short)
        assert landed is not None
        assert landed.ok
        assert tab.url == f"{demo}{campaign.destination}"
        first = landed.request.redirected_from
        assert first is not None
        assert first.url == short
        hop = first.response()
        assert hop is not None
        assert hop.status == 302
        assert "set-cookie" not in hop.headers
        assert hop.headers.get("cache-control") == "no-store"
        assert hop.headers.get("referrer-policy") == "no-referrer"
    finally:
        visitor.close()


def test_the_you_said_we_did_board_and_a_library_volunteer_meeting(page: Page, demo: str) -> None:
    refuge = Service.objects.get(name=REFUGE)
    page.goto(f"{demo}/forums/services/{refuge.reference}/you-said-we-did/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You said, we did")
    expect(page).to_have_title(re.compile("Support service"))
    title = page.title()
    assert "Haven" not in title
    assert "refuge" not in title.lower()
    expect(page.get_by_text("Wi-Fi in the shared lounge.")).to_be_visible()
    main = page.locator("main").inner_text()
    assert REFUGE not in main
    assert not re.search(r"P-\w{4}-\w{4}", main), "no raiser's reference on the public board"
    assert "anonymous" not in main.lower()
    assert "refuge-manager" not in main, "no staff names either"
    assert "Share the forum minutes" not in main, "an unpublished point stays off the board"
    assert_accessible(page)
    screenshot(page, "you-said-we-did")

    library = Service.objects.get(name=LIBRARY)
    meeting = (
        Meeting.objects.filter(
            forum__service=library,
            forum__kind=ForumKind.VOLUNTEER_MEETING,
            action_points__isnull=False,
        )
        .order_by("starts_at")
        .first()
    )
    assert meeting is not None
    sign_in(page, demo, "library-manager")
    page.goto(f"{demo}/forums/services/{library.reference}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Forums and meetings")
    assert_accessible(page)
    page.get_by_role("link", name=meeting.forum.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(meeting.forum.name)
    assert_accessible(page)
    page.locator(f"a[href='/forums/meetings/{meeting.pk}/']").click()
    expect(page.get_by_role("heading", level=2, name="Points raised")).to_be_visible()
    expect(page.get_by_role("link", name="Rota gaps on Saturday mornings.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Forums").click()
    page.get_by_role("link", name="See the action log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Action log")
    expect(page.get_by_role("link", name="Rota gaps on Saturday mornings.")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "action-log")
    assert_fits_a_small_phone(page)
