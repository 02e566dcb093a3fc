"""The demo public consultations: one decided, with the loop closed, and one open now.

* Ashmere Parva's library asked how to use its Saturday mornings. It closed two months
  ago: residents commented (one comment kept back, with the reason), proposed and
  supported a homework club, the library replied, answered a theme on the "You said,
  we did" board, published the outcome, and residents said whether their input made a
  difference.
* Fennick Green's library asks what its new children's corner should have: open now,
  with a few comments and a proposal waiting for moderation.

Dates are relative to today (as the demo events are). Deterministic (one
``random.Random(seed)``), idempotent, and written through the services, so the ledger
has its records.
"""

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from coproduce.accounts.models import Participant, User
from coproduce.accounts.services import participant_for
from coproduce.organisations.models import Service

from .models import Comment, Consultation, Difference, DifferenceAnswer, Proposal
from .services import (
    ConsultationDetails,
    comment_add,
    consultation_create,
    consultation_publish,
    moderate,
    outcome_publish,
    proposal_add,
    proposal_support,
    theme_respond,
)

LIBRARY_A = "Ashmere Parva Community Library"
LIBRARY_B = "Fennick Green Community Library"
MANAGER = "library-manager"
OTHER_MANAGER = "other-library-manager"

SATURDAY_COMMENTS = [
    ("Jo", "Three hours is not enough for families: could it open until 1pm?"),
    ("A parent", "Story time on Saturday mornings would bring children in."),
    ("Ray", "Somewhere quiet to read the papers. The weekday mornings are full."),
    ("Mo", "My daughter needs a computer for homework and we have none at home."),
    ("A resident", "Please keep the large-print shelf by the door."),
    ("Taz", "The bus from Fennick Green arrives at 10:40, so opening at 9 is no use."),
]
KEPT_BACK = ("Pat", "The council should fix the potholes on Mill Lane first.")


def load_demo_deliberation(*, seed: int) -> None:
    with transaction.atomic():
        services = {s.name: s for s in Service.objects.filter(name__in=[LIBRARY_A, LIBRARY_B])}
        logins = User.objects.filter(username__in=[MANAGER, OTHER_MANAGER])
        managers = {user.username: user for user in logins}
        if len(services) < 2 or len(managers) < 2:
            return
        if Consultation.objects.filter(activity__service__in=services.values()).exists():
            return
        rng = random.Random(seed)  # noqa: S311 - demo data, not security # nosec B311
        residents = list(Participant.objects.filter(user=None).order_by("reference"))
        _saturdays(rng, services[LIBRARY_A], managers[MANAGER], residents)
        _childrens_corner(rng, services[LIBRARY_B], managers[OTHER_MANAGER], residents)


def _backdate(model: type[Comment] | type[Proposal], pk: int, when: datetime) -> None:
    model.objects.filter(pk=pk).update(created_at=when, updated_at=when)


def _saturdays(
    rng: random.Random, service: Service, manager: User, residents: list[Participant]
) -> None:
    now = timezone.now()
    opens, closes = now - timedelta(days=95), now - timedelta(days=60)
    consultation = consultation_create(
        service=service,
        details=ConsultationDetails(
            title="Saturday mornings at the library",
            question="How should the library use its Saturday mornings?",
            background=(
                "The library opens from 9 to 12 on Saturdays with two volunteers. The "
                "volunteers' rota can cover one more hour, or a different three hours."
            ),
            opens_at=opens,
            closes_at=now + timedelta(days=1),
        ),
        created_by=manager,
        rng=rng,
    )
    consultation = consultation_publish(consultation=consultation, published_by=manager)
    people = rng.sample(residents, 24)
    when = [opens + timedelta(days=1 + 4 * n, hours=rng.randint(8, 20)) for n in range(8)]
    for n, (name, text) in enumerate([*SATURDAY_COMMENTS, KEPT_BACK]):
        comment = comment_add(
            consultation=consultation,
            author=None,
            participant=people[n],
            display_name=name,
            text=text,
            submission_key=f"demo-saturdays-comment-{n}",
            now=when[n],
        )
        _backdate(Comment, comment.pk, when[n])
        kept = (name, text) == KEPT_BACK
        moderate(
            item=comment,
            publish=not kept,
            note="This consultation is about the library; we passed it to the parish."
            if kept
            else "",
            moderated_by=manager,
        )
    first = Comment.objects.filter(consultation=consultation, display_name="Jo").get()
    comment_add(
        consultation=consultation,
        author=manager,
        participant=participant_for(manager),
        parent=first,
        text="Thank you: the rota can cover until 1pm if two more volunteers join.",
        submission_key="demo-saturdays-reply",
        now=when[7],
    )
    proposal = proposal_add(
        consultation=consultation,
        participant=people[3],
        display_name="Mo",
        title="A Saturday homework club",
        text="Two laptops and a volunteer from the university, 10 to 12, for schoolchildren.",
        submission_key="demo-saturdays-proposal",
        now=when[4],
    )
    _backdate(Proposal, proposal.pk, when[4])
    moderate(item=proposal, publish=True, note="", moderated_by=manager)
    supporters = people[8:24]
    for n, person in enumerate(supporters):
        proposal_support(proposal=proposal, participant=person, now=when[4] + timedelta(days=n))
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=closes)
    consultation.refresh_from_db()
    theme_respond(
        consultation=consultation,
        said="Saturday mornings are too short, and the first bus arrives at 10:40.",
        we_did="From the spring the library opens 10 to 1 on Saturdays.",
        responded_by=manager,
    )
    outcome_publish(
        consultation=consultation,
        outcome=(
            "From the spring the library opens from 10 to 1 on Saturdays, and a homework "
            "club with two laptops runs from 10 to 12 with volunteers from the university. "
            "Story time moves to Saturdays at 11. Opening until 1 needs two more volunteers "
            "on the rota: we are recruiting."
        ),
        published_by=manager,
    )
    answers = [Difference.YES] * 9 + [Difference.PARTLY] * 5 + [Difference.NO] * 2
    answers += [Difference.NOT_SURE] * 2
    for person, answer in zip(
        rng.sample(people[:7] + supporters, len(answers)), answers, strict=True
    ):
        DifferenceAnswer.objects.create(
            consultation=consultation, participant=person, answer=answer
        )


def _childrens_corner(
    rng: random.Random, service: Service, manager: User, residents: list[Participant]
) -> None:
    now = timezone.now()
    consultation = consultation_create(
        service=service,
        details=ConsultationDetails(
            title="A children's corner at Fennick Green",
            question="What should the library's new children's corner have?",
            background=(
                "The parish council has given £1,500 for a children's corner by the "
                "window. Tell us what it should have, or propose something."
            ),
            opens_at=now - timedelta(days=10),
            closes_at=now + timedelta(days=20),
        ),
        created_by=manager,
        rng=rng,
    )
    consultation = consultation_publish(consultation=consultation, published_by=manager)
    people = rng.sample(residents, 4)
    texts = [
        ("A grandparent", "Low shelves, so small children can choose their own books."),
        ("Lee", "Beanbags and a rug for story time."),
        ("A resident", "Books in Polish and Urdu: many families here speak them at home."),
    ]
    for n, (name, text) in enumerate(texts):
        comment = comment_add(
            consultation=consultation,
            author=None,
            participant=people[n],
            display_name=name,
            text=text,
            submission_key=f"demo-corner-comment-{n}",
            now=now - timedelta(days=9 - 3 * n),
        )
        moderate(item=comment, publish=True, note="", moderated_by=manager)
    proposal_add(
        consultation=consultation,
        participant=people[3],
        display_name="Sam",
        title="A baby-changing table",
        text="There is nowhere to change a baby in the library.",
        submission_key="demo-corner-proposal",
        now=now - timedelta(days=1),
    )
