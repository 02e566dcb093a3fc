"""Public consultations: moderation, proposals and support, closing, and closing the loop."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from coproduce.deliberation.models import (
    Comment,
    Consultation,
    Difference,
    FollowUp,
    Moderation,
    Proposal,
)
from coproduce.deliberation.selectors import (
    difference_report,
    published_comments,
    published_proposals,
    service_difference_report,
)
from coproduce.deliberation.services import (
    comment_add,
    consultation_create,
    consultation_update,
    difference_answer,
    document_add,
    moderate,
    outcome_publish,
    proposal_add,
    proposal_support,
    theme_respond,
)
from coproduce.engagement.ladder import EngagementForm
from coproduce.engagement.models import ParticipationKind, ParticipationRecord
from coproduce.forums.models import ActionPoint, ActionSource
from tests.conftest import CaptureOnCommit, World
from tests.deliberation.conftest import close, details, make_consultation, person


def test_a_resident_comment_waits_for_moderation_and_a_staff_reply_does_not(
    world: World, consultation: Consultation
) -> None:
    user, participant = person(world)
    comment = comment_add(
        consultation=consultation,
        author=user,
        participant=participant,
        text="Story time on Saturdays, please.",
        display_name="Sam",
        submission_key="k1",
    )
    assert comment.status == Moderation.PENDING
    assert list(published_comments(consultation)) == []
    moderate(item=comment, publish=True, note="", moderated_by=world.users["staff of A"])
    staff, staff_participant = person(world, "staff of A")
    reply = comment_add(
        consultation=consultation,
        author=staff,
        participant=staff_participant,
        text="We will try it in March.",
        parent=comment,
        submission_key="k2",
    )
    assert (reply.status, reply.from_staff, reply.display_name) == (
        Moderation.PUBLISHED,
        True,
        "The service",
    )
    [shown] = published_comments(consultation)
    assert list(shown.replies.all()) == [reply]
    # The resident's comment is one ledger record; the staff reply is not participation.
    assert ParticipationRecord.objects.get().kind == ParticipationKind.COMMENTED


def test_sending_the_same_comment_twice_keeps_one(world: World, consultation: Consultation) -> None:
    user, participant = person(world)
    for _ in range(2):
        comment_add(
            consultation=consultation,
            author=user,
            participant=participant,
            text="Twice",
            submission_key="same",
        )
    assert Comment.objects.count() == 1
    assert ParticipationRecord.objects.count() == 1


def test_bad_comments_are_refused(world: World, consultation: Consultation) -> None:
    user, participant = person(world)
    for text, message in (("   ", "Write something"), ("x" * 2001, "under 2000")):
        with pytest.raises(ValidationError, match=message):
            comment_add(
                consultation=consultation,
                author=user,
                participant=participant,
                text=text,
                submission_key=f"bad-{len(text)}",
            )
    pending = comment_add(
        consultation=consultation,
        author=user,
        participant=participant,
        text="Not yet published",
        submission_key="pending",
    )
    with pytest.raises(ValidationError, match="published comment"):
        comment_add(
            consultation=consultation,
            author=user,
            participant=participant,
            text="A reply to something nobody can see",
            parent=pending,
            submission_key="reply",
        )


def test_rejecting_needs_a_reason_the_author_will_see(
    world: World, consultation: Consultation
) -> None:
    user, participant = person(world)
    comment = comment_add(
        consultation=consultation,
        author=user,
        participant=participant,
        text="Off topic",
        submission_key="k",
    )
    with pytest.raises(ValidationError, match="Say why"):
        moderate(item=comment, publish=False, note=" ", moderated_by=world.users["staff of A"])
    with pytest.raises(PermissionDenied):
        moderate(item=comment, publish=True, note="", moderated_by=world.users["volunteer of A"])
    moderate(
        item=comment,
        publish=False,
        note="It is about the bus, not the library.",
        moderated_by=world.users["staff of A"],
    )
    comment.refresh_from_db()
    assert (comment.status, comment.moderation_note) == (
        Moderation.REJECTED,
        "It is about the bus, not the library.",
    )


def test_proposals_are_supported_once_and_not_by_their_author(
    world: World, consultation: Consultation
) -> None:
    _user, author = person(world)
    proposal = proposal_add(
        consultation=consultation,
        participant=author,
        title="A Saturday homework club",
        text="Volunteers from the university could help.",
        submission_key="p",
    )
    _staff, supporter = person(world, "volunteer of A")
    with pytest.raises(ValidationError, match="published proposal"):
        proposal_support(proposal=proposal, participant=supporter)
    moderate(item=proposal, publish=True, note="", moderated_by=world.users["staff of A"])
    assert proposal_support(proposal=proposal, participant=supporter)
    assert not proposal_support(proposal=proposal, participant=supporter)
    with pytest.raises(ValidationError, match="your own"):
        proposal_support(proposal=proposal, participant=author)
    [shown] = published_proposals(consultation)
    assert shown.supports_count == 1
    kinds = sorted(ParticipationRecord.objects.values_list("kind", flat=True))
    assert kinds == [ParticipationKind.PROPOSED, ParticipationKind.VOTED]
    assert consultation.activity.form == EngagementForm.CONSULT


def test_closing_freezes_every_input(world: World, consultation: Consultation) -> None:
    user, participant = person(world)
    proposal = proposal_add(
        consultation=consultation,
        participant=participant,
        title="Later opening",
        text="10 to 1",
        submission_key="p",
    )
    moderate(item=proposal, publish=True, note="", moderated_by=world.users["staff of A"])
    close(consultation)
    _other, supporter = person(world, "volunteer of A")
    with pytest.raises(ValidationError, match="not open"):
        comment_add(
            consultation=consultation,
            author=user,
            participant=participant,
            text="Too late",
            submission_key="late",
        )
    with pytest.raises(ValidationError, match="not open"):
        proposal_add(
            consultation=consultation,
            participant=participant,
            title="Too late",
            text="x",
            submission_key="late-p",
        )
    with pytest.raises(ValidationError, match="not open"):
        proposal_support(proposal=Proposal.objects.get(), participant=supporter)
    with pytest.raises(ValidationError, match="closed"):
        consultation_update(
            consultation=consultation, details=details(), updated_by=world.users["staff of A"]
        )


def test_an_open_consultation_keeps_its_question(world: World, consultation: Consultation) -> None:
    with pytest.raises(ValidationError, match="question"):
        consultation_update(
            consultation=consultation,
            details=details(question="A different question?", opens_at=consultation.opens_at),
            updated_by=world.users["staff of A"],
        )
    changed = consultation_update(
        consultation=consultation,
        details=details(
            opens_at=consultation.opens_at,
            closes_at=consultation.closes_at + timedelta(days=7),
        ),
        updated_by=world.users["staff of A"],
    )
    assert changed.closes_at > consultation.closes_at


def test_a_consultation_must_close_after_it_opens(world: World) -> None:
    with pytest.raises(ValidationError, match="close after it opens"):
        consultation_create(
            service=world.service_a,
            details=details(closes_at=timezone.now() - timedelta(days=1)),
            created_by=world.users["staff of A"],
        )


def test_only_pdfs_of_10_mb_or_less_are_attached(world: World, consultation: Consultation) -> None:
    staff = world.users["staff of A"]
    with pytest.raises(ValidationError, match="PDF"):
        document_add(consultation=consultation, title="x", data=b"<html>", added_by=staff)
    with pytest.raises(ValidationError, match="10 MB"):
        document_add(
            consultation=consultation,
            title="x",
            data=b"%PDF-" + b"0" * (10 * 1024 * 1024),
            added_by=staff,
        )
    document = document_add(
        consultation=consultation, title="Options", data=b"%PDF-1.7 ...", added_by=staff
    )
    assert document.size == 12


def test_a_theme_response_goes_on_the_you_said_we_did_board(
    world: World, consultation: Consultation
) -> None:
    theme_respond(
        consultation=consultation,
        said="Saturday mornings are too short for families.",
        we_did="From March the library opens until 1pm on Saturdays.",
        responded_by=world.users["staff of A"],
    )
    action = ActionPoint.objects.get()
    assert (action.source, action.published, action.source_detail) == (
        ActionSource.CONSULTATION,
        True,
        consultation.title,
    )
    with pytest.raises(ValidationError, match="what the service did"):
        theme_respond(
            consultation=consultation,
            said="Something",
            we_did=" ",
            responded_by=world.users["staff of A"],
        )


def test_the_outcome_tells_the_people_who_asked_and_asks_if_it_made_a_difference(
    world: World, consultation: Consultation, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    user, participant = person(world)
    user.email = "resident@example.org"
    user.save()
    comment_add(
        consultation=consultation,
        author=user,
        participant=participant,
        text="Story time, please",
        tell_me_the_outcome=True,
        submission_key="c",
    )
    _volunteer, bystander = person(world, "volunteer of A")
    with pytest.raises(ValidationError, match="once the consultation has closed"):
        outcome_publish(
            consultation=consultation, outcome="Early", published_by=world.users["staff of A"]
        )
    close(consultation)
    with pytest.raises(ValidationError, match="not been published"):
        difference_answer(consultation=consultation, participant=participant, answer=Difference.YES)
    with django_capture_on_commit_callbacks(execute=True):
        outcome_publish(
            consultation=consultation,
            outcome="Story time moves to Saturdays at 10, as many of you asked.",
            published_by=world.users["staff of A"],
        )
    [sent] = mail.outbox
    assert sent.to == ["resident@example.org"]
    assert "Story time moves to Saturdays" in sent.body
    assert participant.reference in sent.body
    assert FollowUp.objects.get().notified_at is not None
    consultation.refresh_from_db()
    difference_answer(consultation=consultation, participant=participant, answer=Difference.NO)
    difference_answer(consultation=consultation, participant=participant, answer=Difference.YES)
    with pytest.raises(PermissionDenied):
        difference_answer(consultation=consultation, participant=bystander, answer=Difference.NO)
    report = difference_report(consultation)
    assert (report.answers, report.took_part, report.percent_yes_or_partly) == (1, 1, 100)
    assert service_difference_report(world.service_a).counts[Difference.YES] == 1


def test_the_outcome_email_of_a_sensitive_service_names_nothing(
    world: World, consultation: Consultation, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    service = world.service_a
    service.sensitive = True
    service.save()
    user, participant = person(world)
    user.email = "survivor@example.org"
    user.save()
    comment_add(
        consultation=consultation,
        author=user,
        participant=participant,
        text="Quieter rooms",
        tell_me_the_outcome=True,
        submission_key="c",
    )
    close(consultation)
    with django_capture_on_commit_callbacks(execute=True):
        outcome_publish(
            consultation=consultation,
            outcome="Quiet room agreed.",
            published_by=world.users["staff of A"],
        )
    [sent] = mail.outbox
    for secret in (consultation.title, service.name, "Quiet room agreed."):
        assert secret not in sent.subject
        assert secret not in sent.body


def test_a_second_consultation_is_its_own_activity(world: World) -> None:
    first, second = make_consultation(world), make_consultation(world, title="Another")
    assert first.activity_id != second.activity_id
    assert Comment.objects.count() == 0
