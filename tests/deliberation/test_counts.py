"""The counts kept on each proposal match its rows after every write, and under races.

The races are PostgreSQL's to decide (``tests.concurrency``).
"""

from collections.abc import Callable
from typing import Any

import pytest

from coproduce.accounts.models import Participant
from coproduce.accounts.services import participant_for
from coproduce.core.references import new_reference
from coproduce.deliberation.models import Comment, Consultation, Moderation, Proposal, Support
from coproduce.deliberation.services import (
    comment_add,
    moderate,
    proposal_add,
    proposal_counts_recount,
    proposal_support,
)
from tests.concurrency import at_once, on_postgresql
from tests.conftest import World
from tests.deliberation.conftest import make_consultation, person


def counts(proposal: Proposal) -> tuple[int, int]:
    proposal.refresh_from_db()
    return proposal.supports_count, proposal.comments_count


def counted(proposal: Proposal) -> tuple[int, int]:
    """What the rows say."""
    shown = Comment.objects.filter(proposal=proposal, status=Moderation.PUBLISHED)
    return Support.objects.filter(proposal=proposal).count(), shown.count()


def published_proposal(world: World, consultation: Consultation) -> Proposal:
    _user, author = person(world, "volunteer of A")
    proposal = proposal_add(
        consultation=consultation,
        participant=author,
        title="Homework club",
        text="On Saturdays",
        submission_key="proposal",
    )
    moderate(item=proposal, publish=True, note="", moderated_by=world.users["staff of A"])
    return Proposal.objects.select_related("consultation__activity__service").get(pk=proposal.pk)


def residents(count: int) -> list[Participant]:
    return Participant.objects.bulk_create(
        Participant(reference=new_reference("P")) for _ in range(count)
    )


def test_every_write_keeps_the_counts_and_bumps_the_revision(
    world: World, consultation: Consultation
) -> None:
    staff = world.users["staff of A"]
    proposal = published_proposal(world, consultation)
    _user, resident = person(world)

    def revision() -> int:
        return Consultation.objects.get(pk=consultation.pk).revision

    def comment(key: str, *, author: Any = None, parent: Comment | None = None) -> Comment:
        return comment_add(
            consultation=consultation,
            author=author,
            participant=participant_for(author) if author else resident,
            text="Yes please",
            proposal=None if parent else proposal,
            parent=parent,
            submission_key=key,
        )

    def judge(key: str, publish: bool, note: str = "") -> None:
        item = Comment.objects.get(submission_key=key)
        moderate(item=item, publish=publish, note=note, moderated_by=staff)

    steps: list[tuple[Callable[[], object], tuple[int, int]]] = [
        (lambda: proposal_support(proposal=proposal, participant=resident), (1, 0)),
        (lambda: proposal_support(proposal=proposal, participant=resident), (1, 0)),  # again
        (lambda: comment("waits"), (1, 0)),  # waits for moderation
        (lambda: comment("waits"), (1, 0)),  # the same form sent again
        (lambda: judge("waits", True), (1, 1)),
        (lambda: judge("waits", True), (1, 1)),  # published twice: counted once
        (lambda: comment("staff", author=staff), (1, 2)),  # staff's: published at once
        (
            lambda: comment(
                "reply", author=staff, parent=Comment.objects.get(submission_key="waits")
            ),
            (1, 3),
        ),
        (lambda: judge("waits", False, "Off topic"), (1, 2)),  # hidden again
        (lambda: judge("waits", False, "Still off topic"), (1, 2)),
    ]
    for step, expected in steps:
        before = revision()
        step()
        assert counts(proposal) == counted(proposal) == expected
        assert revision() >= before
    assert revision() > 0


def test_the_recount_matches_what_the_services_kept(
    world: World, consultation: Consultation
) -> None:
    proposal = published_proposal(world, consultation)
    for resident in residents(3):
        proposal_support(proposal=proposal, participant=resident)
    comment_add(
        consultation=consultation,
        author=world.users["staff of A"],
        participant=participant_for(world.users["staff of A"]),  # type: ignore[arg-type]
        text="Thank you",
        proposal=proposal,
        submission_key="staff",
    )
    kept = counts(proposal)
    before = Consultation.objects.get(pk=consultation.pk).revision
    Proposal.objects.filter(pk=proposal.pk).update(supports_count=0, comments_count=0)
    proposal_counts_recount(consultation)
    assert counts(proposal) == kept == (3, 1)
    assert Consultation.objects.get(pk=consultation.pk).revision == before + 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_supports_sent_at_once_are_all_counted(world: World) -> None:
    consultation = make_consultation(world)
    proposal = published_proposal(world, consultation)
    crowd = residents(30)
    before = Consultation.objects.get(pk=consultation.pk).revision
    added = at_once(len(crowd), lambda n: proposal_support(proposal=proposal, participant=crowd[n]))
    # Each supporter twice at once too: the second is refused, not counted.
    again = at_once(
        len(crowd), lambda n: proposal_support(proposal=proposal, participant=crowd[n // 2])
    )
    assert added == [True] * 30
    assert not any(again)
    assert counts(proposal) == counted(proposal) == (30, 0)
    assert Consultation.objects.get(pk=consultation.pk).revision == before + 30


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_comment_published_by_two_moderators_at_once_counts_once(world: World) -> None:
    consultation = make_consultation(world)
    proposal = published_proposal(world, consultation)
    _user, resident = person(world)
    comment = comment_add(
        consultation=consultation,
        author=None,
        participant=resident,
        text="Yes please",
        proposal=proposal,
        submission_key="comment",
    )
    moderators = [world.users["staff of A"], world.users["manager of A"]] * 4
    at_once(
        len(moderators),
        lambda n: moderate(
            item=Comment.objects.select_related("consultation__activity__service").get(
                pk=comment.pk
            ),
            publish=True,
            note="",
            moderated_by=moderators[n],
        ),
    )
    assert counts(proposal) == counted(proposal) == (0, 1)
