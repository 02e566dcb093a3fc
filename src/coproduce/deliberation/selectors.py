"""Reads about public consultations, permission checked; counts made in the database."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from coproduce.accounts.models import Participant
from coproduce.organisations.models import Service
from coproduce.organisations.permissions import can_run_service_engagement

from .models import (
    Comment,
    Consultation,
    Difference,
    DifferenceAnswer,
    Document,
    Moderation,
    Proposal,
    Support,
)

User = AbstractBaseUser | AnonymousUser


def _consultations() -> "QuerySet[Consultation]":
    return Consultation.objects.select_related("activity__service__provider")


def consultation_public(code: str) -> Consultation:
    """A published consultation, or 404."""
    return get_object_or_404(_consultations(), code=code, published=True)


def consultation_to_show(code: str) -> Consultation:
    """A published consultation for its public page, or 404: the platform's most read
    page, whose content is cached, so this one row (found by its unique code) is all it
    reads, with whether its service is sensitive (``service_sensitive``: the page then
    has the quick exit). Written as SQL: the ORM's building of the query took a third of
    the page's time (benchmarks/README.md, ``bench_public``)."""
    found = Consultation.objects.raw(
        "SELECT c.*, s.sensitive AS service_sensitive FROM deliberation_consultation c"
        " JOIN engagement_activity a ON a.id = c.activity_id"
        " JOIN organisations_service s ON s.id = a.service_id"
        " WHERE c.code = %s AND c.published",
        [code],
    )
    for consultation in found:
        return consultation
    raise Http404


def consultation_for_runner(user: User, code: str) -> Consultation:
    consultation = get_object_or_404(_consultations(), code=code)
    service = consultation.activity.service
    if not user.is_authenticated or not can_run_service_engagement(user, service):
        raise PermissionDenied
    return consultation


def open_and_recent() -> list[Consultation]:
    """Published consultations open now or closed in the last 90 days, closing first."""
    now = timezone.now()
    return list(
        _consultations()
        .filter(published=True, opens_at__lte=now)
        .filter(closes_at__gte=now - timedelta(days=90))
        .order_by("closes_at", "title")
    )


def service_consultations(service: Service) -> list[Consultation]:
    return list(
        _consultations()
        .filter(activity__service=service)
        .annotate(
            n_comments=Count("comments", distinct=True),
            n_proposals=Count("proposals", distinct=True),
            n_answers=Count("difference_answers", distinct=True),
        )
        .order_by("-opens_at", "title")
    )


def document_public(code: str, pk: int) -> Document:
    return get_object_or_404(Document, pk=pk, consultation__code=code, consultation__published=True)


PROPOSALS_A_PAGE = 20
COMMENTS_A_PAGE = 50


def published_comments(
    consultation: Consultation, *, proposal: Proposal | None = None
) -> "QuerySet[Comment]":
    """The published comments on the question (or on one proposal), oldest first, each
    with its published replies (prefetched: one more query)."""
    replies = Comment.objects.filter(status=Moderation.PUBLISHED).order_by("created_at", "pk")
    return (
        Comment.objects.filter(
            consultation=consultation,
            proposal=proposal,
            parent__isnull=True,
            status=Moderation.PUBLISHED,
        )
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created_at", "pk")
    )


def published_proposals(consultation: Consultation) -> "QuerySet[Proposal]":
    """Published proposals, most supported first, with the counts the services keep on
    each (``supports_count``, ``comments_count``): a page of them is read through the
    index ``proposal_most_supported`` without counting any other proposal's rows."""
    return Proposal.objects.filter(consultation=consultation, status=Moderation.PUBLISHED).order_by(
        "-supports_count", "created_at", "pk"
    )


def page_of(items: "QuerySet[Any]", number: str | int | None, size: int) -> Page[Any]:
    """One page of ``items`` (two queries: the count and the page); a bad number gives
    the first or last page."""
    return Paginator(items, size).get_page(number)


def proposal_public(consultation: Consultation, pk: int) -> Proposal:
    return get_object_or_404(published_proposals(consultation), pk=pk)


def own_contributions(
    consultation: Consultation, participant: Participant | None
) -> tuple[list[Comment], list[Proposal], set[int]]:
    """What this person wrote that is not public (waiting or kept back), and what they
    support."""
    if participant is None:
        return [], [], set()
    hidden = ~Q(status=Moderation.PUBLISHED)
    comments = list(
        Comment.objects.filter(hidden, consultation=consultation, participant=participant)
    )
    proposals = list(
        Proposal.objects.filter(hidden, consultation=consultation, participant=participant)
    )
    supported = set(
        Support.objects.filter(
            proposal__consultation=consultation, participant=participant
        ).values_list("proposal_id", flat=True)
    )
    return comments, proposals, supported


def moderation_queue(consultation: Consultation) -> tuple[list[Comment], list[Proposal]]:
    pending = Q(status=Moderation.PENDING)
    return (
        list(Comment.objects.filter(pending, consultation=consultation).select_related("parent")),
        list(Proposal.objects.filter(pending, consultation=consultation)),
    )


@dataclass(frozen=True)
class DifferenceReport:
    """Answers to "Did your input make a difference?"."""

    counts: dict[str, int]  # every Difference value, 0 when nobody gave it
    took_part: int  # distinct people who commented, proposed or supported

    @property
    def answers(self) -> int:
        return sum(self.counts.values())

    @property
    def rows(self) -> list[tuple[str, int]]:
        return [(str(choice.label), self.counts[choice.value]) for choice in Difference]

    @property
    def percent_yes_or_partly(self) -> int | None:
        """Yes or partly, among those who said yes, partly or no (None: nobody did)."""
        sure = self.answers - self.counts[Difference.NOT_SURE]
        if not sure:
            return None
        return round(100 * (self.counts[Difference.YES] + self.counts[Difference.PARTLY]) / sure)


def _report(consultations: "QuerySet[Consultation]") -> DifferenceReport:
    rows = (
        DifferenceAnswer.objects.filter(consultation__in=consultations)
        .values("answer")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict.fromkeys(Difference.values, 0) | {r["answer"]: r["n"] for r in rows}
    # The same person in two consultations is two people who took part.
    pairs: set[tuple[int, int]] = set()
    for model, consultation in (
        (Comment, "consultation_id"),
        (Proposal, "consultation_id"),
        (Support, "proposal__consultation_id"),
    ):
        pairs |= set(
            model.objects.filter(
                **{f"{consultation}__in": consultations.values("pk")},
                participant__isnull=False,
            ).values_list(consultation, "participant_id")
        )
    return DifferenceReport(counts=counts, took_part=len(pairs))


def difference_report(consultation: Consultation) -> DifferenceReport:
    """Did people's input make a difference, in one consultation (4 queries)."""
    return _report(Consultation.objects.filter(pk=consultation.pk))


def service_difference_report(service: Service) -> DifferenceReport:
    """The same across every consultation of a service: engagement real or tokenistic."""
    return _report(Consultation.objects.filter(activity__service=service))


def open_data(consultation: Consultation, base_url: str) -> dict[str, object]:
    """A closed consultation as open data: what was asked, said and decided.

    No personal data: neither the names people chose to show nor any reference; the
    texts are those already published after moderation. A sensitive service is not
    named.
    """
    if not consultation.published or consultation.closes_at > timezone.now():
        raise Http404
    service = consultation.activity.service
    page = base_url + reverse("deliberation:consultation", args=[consultation.code])
    comments = published_comments(consultation)
    report = difference_report(consultation)
    return {
        "consultation": {
            "code": consultation.code,
            "title": consultation.title,
            "question": consultation.question,
            "background": consultation.background,
            "opens_at": consultation.opens_at.isoformat(),
            "closes_at": consultation.closes_at.isoformat(),
            "page": page,
        },
        "service": None
        if service.sensitive
        else {"name": service.name, "provider": service.provider.name},
        "documents": [
            {
                "title": document.title,
                "bytes": document.size,
                "url": base_url
                + reverse("deliberation:document", args=[consultation.code, document.pk]),
            }
            for document in consultation.documents.defer("data")
        ],
        "comments": [
            {
                "text": comment.text,
                "from_the_service": comment.from_staff,
                "replies": [
                    {"text": reply.text, "from_the_service": reply.from_staff}
                    for reply in comment.replies.all()
                ],
            }
            for comment in comments
        ],
        "proposals": [
            {
                "title": p.title,
                "text": p.text,
                "supports": p.supports_count,
                "comments": p.comments_count,
            }
            for p in published_proposals(consultation)
        ],
        "outcome": None
        if consultation.outcome_published_at is None
        else {
            "text": consultation.outcome,
            "published_at": consultation.outcome_published_at.isoformat(),
        },
        "did_input_make_a_difference": {
            **{value: report.counts[value] for value in Difference.values},
            "people_who_took_part": report.took_part,
        },
    }
