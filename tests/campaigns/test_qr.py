"""QR codes and the printable poster: made locally, encoding the short link exactly."""

import io

import segno
from django.test import Client

from coproduce.campaigns import qr
from coproduce.campaigns.models import CampaignLink
from tests.conftest import World


def staff_client(world: World) -> Client:
    client = Client()
    client.force_login(world.users["staff of A"])  # type: ignore[arg-type]
    return client


def short_url(link: CampaignLink) -> str:
    return f"http://testserver/campaigns/c/{link.code}/"


def expected(link: CampaignLink, kind: str, **options: object) -> bytes:
    """The QR code of the short link, made independently of the app's helpers."""
    buffer = io.BytesIO()
    code = segno.make_qr(short_url(link), error="q", boost_error=False)
    assert code.error == "Q"
    code.save(buffer, kind=kind, border=4, dark="#0b0c0c", **options)
    return buffer.getvalue()


def test_the_png_qr_code_encodes_the_short_link(world: World, leaflet: CampaignLink) -> None:
    response = staff_client(world).get(f"/campaigns/links/{leaflet.code}/qr.png")
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert response.content == expected(leaflet, "png", scale=qr.PNG_SCALE)


def test_the_svg_qr_code_encodes_the_short_link(world: World, leaflet: CampaignLink) -> None:
    response = staff_client(world).get(f"/campaigns/links/{leaflet.code}/qr.svg")
    assert response["Content-Type"] == "image/svg+xml"
    title = f"QR code of the link {leaflet.code}"
    assert response.content == expected(leaflet, "svg", title=title, omitsize=True, xmldecl=True)


def test_each_channel_has_its_own_qr_code(
    world: World, leaflet: CampaignLink, poster: CampaignLink
) -> None:
    client = staff_client(world)
    one = client.get(f"/campaigns/links/{leaflet.code}/qr.png").content
    other = client.get(f"/campaigns/links/{poster.code}/qr.png").content
    assert one != other


def test_the_poster_has_the_title_message_qr_code_and_short_link(
    world: World, leaflet: CampaignLink
) -> None:
    page = staff_client(world).get(f"/campaigns/links/{leaflet.code}/poster/").content.decode()
    campaign = leaflet.campaign
    assert campaign.title in page
    assert campaign.message in page
    assert short_url(leaflet) in page
    assert qr.svg_inline(short_url(leaflet), title=f"QR code of the link {leaflet.code}") in page
    # The print styles leave the menus off; a file, since the CSP allows no inline style.
    assert 'href="/static/coproduce/printable.css"' in page
    assert "@media print" in Client().get("/static/coproduce/printable.css").getvalue().decode()


def test_qr_codes_and_posters_of_unknown_links_are_not_found(world: World) -> None:
    client = staff_client(world)
    for path in ("/campaigns/links/ZZZZZZZZ/qr.svg", "/campaigns/links/nope/poster/"):
        assert client.get(path).status_code == 404
