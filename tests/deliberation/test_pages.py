"""The public consultation pages as residents and staff use them, bad input included."""

from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from pytest_django import DjangoAssertNumQueries

from coproduce.accounts.services import participant_for
from coproduce.deliberation import views
from coproduce.deliberation.models import Comment, Consultation, Moderation, Proposal, Support
from coproduce.deliberation.services import (
    comment_add,
    moderate,
    proposal_add,
    proposal_counts_recount,
    proposal_support,
)
from tests.conftest import World
from tests.deliberation.conftest import close, make_consultation, person


def client_for(world: World, persona: str) -> Client:
    client = Client()
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    return client


def key(page: str) -> str:
    marker = 'name="submission_key" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_a_resident_comments_and_sees_it_wait_for_moderation(
    world: World, consultation: Consultation
) -> None:
    client = client_for(world, "resident")
    url = f"/have-your-say/{consultation.code}/"
    page = client.get(url).content.decode()
    assert consultation.question in page
    submission = key(page)
    empty = client.post(f"{url}comment/", {"text": "  ", "submission_key": submission})
    assert empty.status_code == 200
    assert "This field is required." in empty.content.decode()
    sent = {"text": "Story time, please.", "display_name": "Sam", "submission_key": submission}
    response = client.post(f"{url}comment/", sent, follow=True)
    assert "once a moderator has read it" in response.content.decode()
    assert "Your comment: Waiting for moderation." in response.content.decode()
    client.post(f"{url}comment/", sent)  # sent again: still one
    assert Comment.objects.count() == 1
    assert "Story time, please." not in Client().get(url).content.decode()


def test_visitors_read_but_must_sign_in_to_take_part(
    world: World, consultation: Consultation
) -> None:
    page = Client().get(f"/have-your-say/{consultation.code}/").content.decode()
    assert "Sign in to comment, propose or support" in page
    response = Client().post(f"/have-your-say/{consultation.code}/comment/", {"text": "Hi"})
    assert response.status_code == 302
    assert Comment.objects.count() == 0


def test_a_draft_or_unknown_consultation_is_not_found(world: World) -> None:
    draft = make_consultation(world, publish=False)
    assert Client().get(f"/have-your-say/{draft.code}/").status_code == 404
    assert Client().get("/have-your-say/C-NONE-NONE/").status_code == 404


def test_proposals_are_made_supported_and_listed_by_support(
    world: World, consultation: Consultation, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for(world, "resident")
    url = f"/have-your-say/{consultation.code}/"
    bad = client.post(f"{url}propose/", {"title": "", "text": "x", "submission_key": "k"})
    assert "This field is required." in bad.content.decode()
    client.post(
        f"{url}propose/",
        {"title": "Homework club", "text": "On Saturday mornings", "submission_key": "k"},
    )
    proposal = Proposal.objects.get()
    moderate(item=proposal, publish=True, note="", moderated_by=world.users["staff of A"])
    supporter = client_for(world, "volunteer of A")
    supporter.post(f"{url}proposals/{proposal.pk}/support/")
    again = supporter.post(f"{url}proposals/{proposal.pk}/support/", follow=True)
    assert "You support this proposal." in again.content.decode()
    own = client.post(f"{url}proposals/{proposal.pk}/support/", follow=True)
    assert "You cannot support your own proposal." in own.content.decode()
    with django_assert_max_num_queries(14):
        page = Client().get(url).content.decode()
    assert "By A resident. 1 person supports it." in page


def test_staff_moderate_answer_themes_and_publish_the_outcome(
    world: World, consultation: Consultation
) -> None:
    _user, participant = person(world)
    proposal = proposal_add(
        consultation=consultation,
        participant=participant,
        title="Later opening",
        text="10 to 1",
        submission_key="p",
    )
    staff = client_for(world, "staff of A")
    manage = f"/have-your-say/{consultation.code}/manage/"
    assert "Later opening" in staff.get(manage).content.decode()
    refused = staff.post(
        f"/have-your-say/{consultation.code}/moderate/proposal/{proposal.pk}/",
        {"publish": "no", "note": ""},
    )
    assert "Say why it is not published" in refused.content.decode()
    staff.post(
        f"/have-your-say/{consultation.code}/moderate/proposal/{proposal.pk}/",
        {"publish": "yes"},
    )
    proposal.refresh_from_db()
    assert proposal.status == Moderation.PUBLISHED
    early = staff.post(f"/have-your-say/{consultation.code}/outcome/", {"outcome": "Decided"})
    assert "once the consultation has closed" in early.content.decode()
    close(consultation)
    staff.post(f"/have-your-say/{consultation.code}/outcome/", {"outcome": "Open until 1pm."})
    page = client_for(world, "resident").get(f"/have-your-say/{consultation.code}/")
    body = page.content.decode()
    assert "Open until 1pm." in body
    assert "Did your input make a difference?" in body


def test_staff_attach_a_pdf_and_anyone_can_read_it(
    world: World, consultation: Consultation
) -> None:
    staff = client_for(world, "staff of A")
    url = f"/have-your-say/{consultation.code}/documents/"
    not_pdf = SimpleUploadedFile("plan.html", b"<html>", content_type="text/html")
    refused = staff.post(url, {"title": "Plan", "file": not_pdf})
    assert "Choose a PDF file." in refused.content.decode()
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.7 plan", content_type="application/pdf")
    staff.post(url, {"title": "The options", "file": pdf})
    document = consultation.documents.get()
    response = Client().get(f"/have-your-say/{consultation.code}/documents/{document.pk}/")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 plan"  # type: ignore[arg-type]


def test_staff_create_a_consultation_with_a_clear_error_for_bad_dates(world: World) -> None:
    staff = client_for(world, "manager of A")
    url = f"/have-your-say/services/{world.service_a.reference}/new/"
    form = {
        "title": "Saturday mornings",
        "question": "What should we do on Saturdays?",
        "opens_at": "2027-01-10T09:00",
        "closes_at": "2027-01-01T09:00",
    }
    bad = staff.post(url, form)
    assert "The consultation must close after it opens." in bad.content.decode()
    assert not Consultation.objects.exists()
    assert staff.post(url, {**form, "closes_at": "2027-02-01T09:00"}).status_code == 302
    consultation = Consultation.objects.get()
    staff.post(f"/have-your-say/{consultation.code}/publish/")
    consultation.refresh_from_db()
    assert consultation.published


def test_the_index_lists_open_consultations_not_drafts(world: World) -> None:
    make_consultation(world, title="Open one")
    make_consultation(world, publish=False, title="A draft")
    page = Client().get("/have-your-say/").content.decode()
    assert "Open one" in page
    assert "A draft" not in page


def test_a_closed_consultation_is_open_data_without_names(
    world: World, consultation: Consultation
) -> None:
    user, participant = person(world)
    comment = comment_add(
        consultation=consultation,
        author=user,
        participant=participant,
        text="Open at ten, please.",
        display_name="Jo Bloggs",
        submission_key="c",
    )
    moderate(item=comment, publish=True, note="", moderated_by=world.users["staff of A"])
    url = f"/have-your-say/{consultation.code}/open-data.json"
    assert Client().get(url).status_code == 404
    close(consultation)
    data = Client().get(url).json()
    assert data["consultation"]["question"] == consultation.question
    assert data["comments"] == [
        {"text": "Open at ten, please.", "from_the_service": False, "replies": []}
    ]
    assert data["did_input_make_a_difference"]["people_who_took_part"] == 1
    for secret in ("Jo Bloggs", participant.reference, user.username):
        assert secret not in str(data)


def _proposals(consultation: Consultation, count: int, supporter: object) -> None:
    for n in range(count):
        made = Proposal.objects.create(
            consultation=consultation,
            display_name="A resident",
            title=f"Proposal {n:03d}",
            text="Something for everyone",
            status=Moderation.PUBLISHED,
            submission_key=f"bulk-{consultation.pk}-{n}",
        )
        if n % 3 == 0:
            Support.objects.create(proposal=made, participant=supporter)
            Comment.objects.create(
                consultation=consultation,
                proposal=made,
                display_name="Jo",
                text="Yes please",
                status=Moderation.PUBLISHED,
                submission_key=f"bulk-comment-{consultation.pk}-{n}",
            )
    Comment.objects.create(
        consultation=consultation,
        display_name="Ray",
        text="On the question",
        status=Moderation.PUBLISHED,
        submission_key=f"bulk-question-{consultation.pk}",
    )
    proposal_counts_recount(consultation)  # written in bulk, as the benchmark does


# Queries of the page: the consultation, its documents, the comments (count, page,
# replies) and the proposals (count, page); signed in, also the session, the login, its
# two-factor device, the participant, what they wrote or support (3) and their answer on
# the difference.
ANONYMOUS_QUERIES = 7
SIGNED_IN_QUERIES = ANONYMOUS_QUERIES + 8
# Anonymous again with nothing written since: only the consultation (its revision); the
# documents and lists come from the cache.
CACHED_QUERIES = 1


def test_the_page_shows_one_page_of_proposals_in_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    _user, supporter = person(world)
    small, large = make_consultation(world), make_consultation(world, title="Large")
    _proposals(small, 25, supporter)
    _proposals(large, 90, supporter)
    for persona, queries in [("resident", SIGNED_IN_QUERIES), ("anonymous", ANONYMOUS_QUERIES)]:
        client = client_for(world, persona)
        for consultation in (small, large):
            with django_assert_num_queries(queries):
                page = client.get(f"/have-your-say/{consultation.code}/").content.decode()
            assert page.count('class="govuk-summary-card"') == 20
            assert "1 person supports it. 1 comment." in page
            assert "Proposal 000" in page  # most supported first, then oldest
        with django_assert_num_queries(queries):
            last = client.get(f"/have-your-say/{large.code}/", {"page": "5"}).content.decode()
        assert "Page 5 of 5" in last
        assert last.count('class="govuk-summary-card"') == 10
    with django_assert_num_queries(CACHED_QUERIES):
        again = Client().get(f"/have-your-say/{large.code}/", {"page": "5"}).content.decode()
    # The same lists; only the language switcher's CSRF token differs.
    assert again.split('id="proposals"')[1] == last.split('id="proposals"')[1]


def test_the_anonymous_page_is_never_stale_after_a_write(
    world: World, consultation: Consultation
) -> None:
    """Every write through the services shows on the next anonymous visit, though the
    page's lists are cached in between."""
    _resident, author = person(world)
    _volunteer, supporter = person(world, "volunteer of A")
    staff = world.users["staff of A"]
    url = f"/have-your-say/{consultation.code}/"
    proposal = proposal_add(
        consultation=consultation, participant=author, title="Homework club", text="Yes",
        submission_key="p",
    )  # fmt: skip
    assert "Homework club" not in Client().get(url).content.decode()
    moderate(item=proposal, publish=True, note="", moderated_by=staff)
    assert "0 people support it. 0 comments." in Client().get(url).content.decode()
    proposal_support(proposal=proposal, participant=supporter)
    assert "1 person supports it. 0 comments." in Client().get(url).content.decode()
    comment = comment_add(
        consultation=consultation, author=None, participant=supporter, text="Good idea",
        proposal=proposal, submission_key="c",
    )  # fmt: skip
    moderate(item=comment, publish=True, note="", moderated_by=staff)
    assert "1 person supports it. 1 comment." in Client().get(url).content.decode()
    moderate(item=comment, publish=False, note="Off topic", moderated_by=staff)
    assert "1 person supports it. 0 comments." in Client().get(url).content.decode()
    comment_add(
        consultation=consultation, author=staff, participant=participant_for(staff),
        text="We are looking into it", submission_key="s",
    )  # fmt: skip
    assert "We are looking into it" in Client().get(url).content.decode()


def test_the_anonymous_page_closes_on_time_though_cached(
    world: World, consultation: Consultation
) -> None:
    url = f"/have-your-say/{consultation.code}/"
    assert "Sign in to comment" in Client().get(url).content.decode()
    close(consultation)  # time passes: no write through the services, no new revision
    closed = Client().get(url).content.decode()
    assert "Sign in to comment" not in closed
    assert "no more comments, proposals or support" in closed
    assert "Open data (JSON)" in closed


def test_the_cache_never_shows_one_persons_page_to_another(
    world: World, consultation: Consultation
) -> None:
    _user, author = person(world, "volunteer of A")
    proposal = proposal_add(
        consultation=consultation, participant=author, title="Homework club", text="Yes",
        submission_key="p",
    )  # fmt: skip
    moderate(item=proposal, publish=True, note="", moderated_by=world.users["staff of A"])
    url = f"/have-your-say/{consultation.code}/"
    resident = client_for(world, "resident")
    resident.post(f"{url}proposals/{proposal.pk}/support/")
    before = Client().get(url).content.decode()  # anonymous: cached from here on
    mine = resident.get(url).content.decode()
    after = Client().get(url).content.decode()
    assert "You support this proposal." in mine
    assert "Send my comment" in mine
    for anonymous in (before, after):
        assert "You support this proposal." not in anonymous
        assert "Send my comment" not in anonymous
        # No form and no CSRF token: the whole page is kept and served to anyone.
        assert "csrfmiddlewaretoken" not in anonymous
    other = client_for(world, "manager of B").get(url).content.decode()
    assert "You support this proposal." not in other
    assert 'action="/have-your-say/' in other.split('id="proposals"')[1]  # their own forms


def test_a_resident_comments_on_a_proposal(world: World, consultation: Consultation) -> None:
    _user, author = person(world, "volunteer of A")
    made = proposal_add(
        consultation=consultation,
        participant=author,
        title="Homework club",
        text="Saturdays",
        submission_key="p",
    )
    client = client_for(world, "resident")
    url = f"/have-your-say/{consultation.code}/"
    sent = {"text": "Great idea", "proposal": made.pk, "submission_key": "k"}
    early = client.post(f"{url}comment/", sent).content.decode()  # not published yet
    assert "Comment on a published proposal of this consultation." in early
    assert not Comment.objects.exists()
    moderate(item=made, publish=True, note="", moderated_by=world.users["staff of A"])
    response = client.post(f"{url}comment/", sent, follow=True)
    assert "Comments on this proposal" in response.content.decode()
    comment = Comment.objects.get()
    assert comment.proposal == made


def test_the_kept_anonymous_page_follows_the_language_and_the_address(
    consultation: Consultation,
) -> None:
    url = f"/have-your-say/{consultation.code}/"
    english = Client().get(url).content.decode()
    assert '<html lang="en"' in english
    reader = Client()
    reader.get(f"/language/vi/?next={url}")
    vietnamese = reader.get(url).content.decode()
    assert '<html lang="vi"' in vietnamese
    # The language links lead back to the address asked for, page numbers and all.
    second = Client().get(f"{url}?comments=2").content.decode()
    assert "next=/have-your-say/" in second
    assert "%3Fcomments%3D2" in second
    assert "%3Fcomments%3D2" not in Client().get(url).content.decode()


def test_a_visitor_with_a_message_waiting_gets_it_on_the_page(
    consultation: Consultation,
) -> None:
    """A kept page has no message in it: a visitor with one gets the page drawn afresh."""
    url = f"/have-your-say/{consultation.code}/"
    Client().get(url)  # kept from here on
    request = RequestFactory().get(url)
    request.user = AnonymousUser()
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    messages.info(request, "Thank you: your answers were sent.")
    page = views.consultation(request, consultation.code).content.decode()
    assert "Thank you: your answers were sent." in page
