"""Every write about public consultations.

Residents' comments, replies and proposals wait for moderation; staff replies are
published at once. Each first sending of a comment, proposal or support writes one
participation record (a support counts as a vote for the proposal); sending the same
form again (same ``submission_key``) returns what the first sending made. From the
closing time, nothing new is taken from the public. The outcome can be published once
the consultation has closed; the people who asked are then told by a background task.

The writes also keep what the public page reads without counting: each proposal's
``supports_count`` and ``comments_count`` (published comments and replies), changed
with ``F()`` in the write's transaction, and the consultation's ``revision``, one more
at every write to the consultation, its documents, comments, proposals or supports
(not the "You said, we did" board nor a person's own answer, which the anonymous page
does not show), which keys the page's cached content (see ``views._content``).
"""

import random
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.accounts.models import Participant, User
from coproduce.core.references import new_reference
from coproduce.engagement.ladder import CitizenRole, CoStage, EngagementForm
from coproduce.engagement.models import ArrivalChannel, ParticipationKind
from coproduce.engagement.services import ActivityPlan, activity_create, participation_record
from coproduce.forums.models import ActionSource, ActionStatus
from coproduce.forums.services import RaisedPoint, action_publish, action_raise, action_update
from coproduce.organisations.models import Service
from coproduce.organisations.permissions import (
    can_run_service_engagement,
    require_service_runner,
)

from .models import (
    Comment,
    Consultation,
    Difference,
    DifferenceAnswer,
    Document,
    FollowUp,
    Moderation,
    Proposal,
    Support,
)

TEXT_MAX = 2000
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class ConsultationDetails:
    title: str
    question: str
    opens_at: datetime
    closes_at: datetime
    background: str = ""
    takes_proposals: bool = True


def _service(consultation: Consultation) -> Service:
    return consultation.activity.service


def is_open(consultation: Consultation, now: datetime | None = None) -> bool:
    moment = now or timezone.now()
    return consultation.published and consultation.opens_at <= moment < consultation.closes_at


def is_closed(consultation: Consultation, now: datetime | None = None) -> bool:
    return consultation.published and (now or timezone.now()) >= consultation.closes_at


def _check(details: ConsultationDetails) -> None:
    if details.closes_at <= details.opens_at:
        raise ValidationError({"closes_at": _("The consultation must close after it opens.")})


def _write(consultation: Consultation, details: ConsultationDetails) -> None:
    consultation.title = details.title
    consultation.question = details.question
    consultation.background = details.background
    consultation.opens_at = details.opens_at
    consultation.closes_at = details.closes_at
    consultation.takes_proposals = details.takes_proposals
    consultation.full_clean(exclude=["activity", "created_by"])
    consultation.save()


@transaction.atomic
def consultation_create(
    *,
    service: Service,
    details: ConsultationDetails,
    created_by: User | None,
    rng: random.Random | None = None,
) -> Consultation:
    """A draft consultation and its engagement activity (consult, design, co-designers)."""
    require_service_runner(created_by, service)
    _check(details)
    activity = activity_create(
        service=service,
        plan=ActivityPlan(
            title=details.title,
            form=EngagementForm.CONSULT,
            co_stage=CoStage.DESIGN,
            citizen_role=(
                CitizenRole.INITIATOR if details.takes_proposals else CitizenRole.CO_DESIGNER
            ),
            starts_on=timezone.localdate(details.opens_at),
            ends_on=timezone.localdate(details.closes_at),
            description=details.question,
        ),
        created_by=created_by,
    )
    consultation = Consultation(activity=activity, created_by=created_by)
    if rng is not None:  # the demo's addresses, the same for the same seed
        consultation.code = new_reference("C", rng=rng)
    _write(consultation, details)
    return consultation


def _touch(consultation_id: int) -> None:
    """The consultation's public page has changed: a new revision (the caller's
    transaction holds the row until it commits, so no reader sees the new revision
    before the new rows)."""
    Consultation.objects.filter(pk=consultation_id).update(revision=F("revision") + 1)


def _add_to(proposal_id: int, count: str, step: int) -> None:
    Proposal.objects.filter(pk=proposal_id).update(**{count: F(count) + step})


def _counted(rows: "QuerySet[Support] | QuerySet[Comment]") -> Coalesce:
    per_proposal = rows.filter(proposal=OuterRef("pk")).order_by().values("proposal")
    return Coalesce(Subquery(per_proposal.annotate(n=Count("pk")).values("n")), 0)


@transaction.atomic
def proposal_counts_recount(consultation: Consultation) -> None:
    """Count every proposal's supports and published comments again from the rows, for
    data written in bulk (``bulk_create`` runs no service)."""
    Proposal.objects.filter(consultation=consultation).update(
        supports_count=_counted(Support.objects.all()),
        comments_count=_counted(Comment.objects.filter(status=Moderation.PUBLISHED)),
    )
    _touch(consultation.pk)


def _lock(consultation: Consultation) -> Consultation:
    return (
        Consultation.objects.select_for_update()
        .select_related("activity__service")
        .get(pk=consultation.pk)
    )


@transaction.atomic
def consultation_update(
    *, consultation: Consultation, details: ConsultationDetails, updated_by: User | None
) -> Consultation:
    """Change a consultation until it closes; the question itself only until it opens."""
    locked = _lock(consultation)
    require_service_runner(updated_by, _service(locked))
    if is_closed(locked):
        raise ValidationError(_("This consultation has closed, so it can no longer be changed."))
    opened = locked.published and locked.opens_at <= timezone.now()
    if opened and (details.question != locked.question or details.opens_at != locked.opens_at):
        raise ValidationError(
            _("The consultation has opened: its question and opening time can no longer change.")
        )
    _check(details)
    locked.revision += 1  # the row is locked: no other write can bump it meanwhile
    _write(locked, details)
    return locked


@transaction.atomic
def consultation_publish(*, consultation: Consultation, published_by: User | None) -> Consultation:
    locked = _lock(consultation)
    require_service_runner(published_by, _service(locked))
    if locked.closes_at <= timezone.now():
        raise ValidationError(_("The closing time has passed: change it first."))
    locked.published = True
    locked.revision += 1
    locked.save(update_fields=["published", "revision", "updated_at"])
    return locked


def document_add(
    *, consultation: Consultation, title: str, data: bytes, added_by: User | None
) -> Document:
    """Attach a PDF (10 MB at most): a format every reader opens without running code."""
    require_service_runner(added_by, _service(consultation))
    if not data.startswith(PDF_MAGIC):
        raise ValidationError({"file": _("Choose a PDF file.")})
    if len(data) > DOCUMENT_MAX_BYTES:
        raise ValidationError({"file": _("The file must be 10 MB or smaller.")})
    document = Document(
        consultation=consultation, title=title, data=data, size=len(data), uploaded_by=added_by
    )
    document.full_clean(exclude=["data", "uploaded_by"])
    with transaction.atomic():
        document.save()
        _touch(consultation.pk)
    return document


# ---------------------------------------------------------------------------------------
# The public's input


def _require_open(consultation: Consultation, now: datetime | None) -> None:
    if not is_open(consultation, now):
        raise ValidationError(_("This consultation is not open for comments."))


def _text(text: str, field: str = "text") -> str:
    cleaned = text.strip()
    if not cleaned:
        raise ValidationError({field: _("Write something first.")})
    if len(cleaned) > TEXT_MAX:
        raise ValidationError({field: _("Keep it under %(max)s characters.") % {"max": TEXT_MAX}})
    return cleaned


def _name(display_name: str) -> str:
    return display_name.strip()[:60] or _("A resident")


def _follow_up(consultation: Consultation, participant: Participant, wanted: bool) -> None:
    if wanted:
        FollowUp.objects.get_or_create(consultation=consultation, participant=participant)


def _record(
    consultation: Consultation,
    kind: ParticipationKind,
    key: str,
    who: Participant,
    now: datetime | None,
) -> None:
    participation_record(
        activity=consultation.activity,
        kind=kind,
        channel=ArrivalChannel.ONLINE,
        act_key=key,
        participant=who,
        occurred_at=now,
    )


@transaction.atomic
def comment_add(
    *,
    consultation: Consultation,
    author: User | None,
    participant: Participant,
    text: str,
    submission_key: str,
    display_name: str = "",
    parent: Comment | None = None,
    proposal: Proposal | None = None,
    tell_me_the_outcome: bool = False,
    now: datetime | None = None,
) -> Comment:
    """A comment or a reply. A resident's waits for moderation; staff's is published."""
    _require_open(consultation, now)
    if parent is not None and (
        parent.consultation_id != consultation.pk or parent.status != Moderation.PUBLISHED
    ):
        raise ValidationError(_("Reply to a published comment of this consultation."))
    if parent is not None:
        proposal = parent.proposal
    if proposal is not None and (
        proposal.consultation_id != consultation.pk or proposal.status != Moderation.PUBLISHED
    ):
        raise ValidationError(_("Comment on a published proposal of this consultation."))
    # ``author`` is None for a resident without a login (a demo resident, say).
    staff = author is not None and can_run_service_engagement(author, _service(consultation))
    existing = Comment.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing
    comment = Comment(
        consultation=consultation,
        parent=parent.parent or parent if parent is not None else None,
        proposal=proposal,
        participant=None if staff else participant,
        display_name=_("The service") if staff else _name(display_name),
        text=_text(text),
        from_staff=staff,
        status=Moderation.PUBLISHED if staff else Moderation.PENDING,
        submission_key=submission_key,
    )
    try:
        with transaction.atomic():
            comment.save()
    except IntegrityError:
        return Comment.objects.get(submission_key=submission_key)
    if staff and proposal is not None:
        _add_to(proposal.pk, "comments_count", 1)
    _touch(consultation.pk)
    if not staff:
        _record(
            consultation, ParticipationKind.COMMENTED, f"comment:{comment.pk}", participant, now
        )
        _follow_up(consultation, participant, tell_me_the_outcome)
    return comment


@transaction.atomic
def proposal_add(
    *,
    consultation: Consultation,
    participant: Participant,
    title: str,
    text: str,
    submission_key: str,
    display_name: str = "",
    tell_me_the_outcome: bool = False,
    now: datetime | None = None,
) -> Proposal:
    """A resident's proposal (citizens as initiators), published after moderation."""
    _require_open(consultation, now)
    if not consultation.takes_proposals:
        raise ValidationError(_("This consultation does not take proposals."))
    existing = Proposal.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give your proposal a title.")})
    proposal = Proposal(
        consultation=consultation,
        participant=participant,
        display_name=_name(display_name),
        title=title[:150],
        text=_text(text),
        status=Moderation.PENDING,
        submission_key=submission_key,
    )
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError:
        return Proposal.objects.get(submission_key=submission_key)
    _touch(consultation.pk)
    _record(consultation, ParticipationKind.PROPOSED, f"proposal:{proposal.pk}", participant, now)
    _follow_up(consultation, participant, tell_me_the_outcome)
    return proposal


@transaction.atomic
def proposal_support(
    *, proposal: Proposal, participant: Participant, now: datetime | None = None
) -> bool:
    """Support a published proposal, once; ``False`` if already supported."""
    consultation = proposal.consultation
    _require_open(consultation, now)
    if proposal.status != Moderation.PUBLISHED:
        raise ValidationError(_("Only a published proposal can be supported."))
    if proposal.participant_id == participant.pk:
        raise ValidationError(_("You cannot support your own proposal."))
    try:
        with transaction.atomic():
            support = Support.objects.create(proposal=proposal, participant=participant)
    except IntegrityError:
        return False
    _add_to(proposal.pk, "supports_count", 1)
    _record(consultation, ParticipationKind.VOTED, f"support:{support.pk}", participant, now)
    _touch(consultation.pk)
    return True


@transaction.atomic
def moderate(
    *,
    item: Comment | Proposal,
    publish: bool,
    note: str,
    moderated_by: User | None,
) -> None:
    """Publish what a resident wrote, or keep it back saying why (the author sees why);
    a published comment may be hidden so too."""
    require_service_runner(moderated_by, _service(item.consultation))
    note = note.strip()
    if not publish and not note:
        raise ValidationError({"note": _("Say why it is not published: the author will see it.")})
    # Locked, so that two moderators at once count a comment once.
    was = type(item).objects.select_for_update().values_list("status", flat=True).get(pk=item.pk)
    if isinstance(item, Comment) and item.proposal_id is not None:
        shown = int(publish) - int(was == Moderation.PUBLISHED)
        if shown:
            _add_to(item.proposal_id, "comments_count", shown)
    _touch(item.consultation_id)
    item.status = Moderation.PUBLISHED if publish else Moderation.REJECTED
    item.moderation_note = "" if publish else note[:300]
    item.moderated_by = moderated_by
    item.moderated_at = timezone.now()
    item.save(
        update_fields=["status", "moderation_note", "moderated_by", "moderated_at", "updated_at"]
    )


# ---------------------------------------------------------------------------------------
# Closing the loop


@transaction.atomic
def theme_respond(
    *, consultation: Consultation, said: str, we_did: str, responded_by: User | None
) -> None:
    """Publish "You said, we did" for a theme of the consultation on the service's board."""
    service = _service(consultation)
    require_service_runner(responded_by, service)
    if not we_did.strip():
        raise ValidationError({"we_did": _("Say what the service did about it.")})
    action, _created = action_raise(
        service=service,
        point=RaisedPoint(
            said=said,
            source=ActionSource.CONSULTATION,
            source_detail=consultation.title,
        ),
        raised_by_user=responded_by,
    )
    action_update(
        action=action,
        status=ActionStatus.DONE,
        outcome=we_did,
        owner=None,
        due_on=None,
        note="",
        updated_by=responded_by,
    )
    action_publish(action=action, published=True, published_by=responded_by)


@transaction.atomic
def outcome_publish(*, consultation: Consultation, outcome: str, published_by: User | None) -> None:
    """Say what was decided and why; the people who asked are told after commit."""
    from .tasks import tell_the_outcome

    locked = _lock(consultation)
    require_service_runner(published_by, _service(locked))
    if not is_closed(locked):
        raise ValidationError(_("Publish the outcome once the consultation has closed."))
    locked.outcome = _text(outcome, "outcome")
    locked.outcome_published_at = timezone.now()
    locked.revision += 1
    locked.save(update_fields=["outcome", "outcome_published_at", "revision", "updated_at"])
    transaction.on_commit(lambda: tell_the_outcome.enqueue(consultation_id=locked.pk))


def took_part(consultation: Consultation, participant: Participant) -> bool:
    return (
        Comment.objects.filter(consultation=consultation, participant=participant).exists()
        or Proposal.objects.filter(consultation=consultation, participant=participant).exists()
        or Support.objects.filter(
            proposal__consultation=consultation, participant=participant
        ).exists()
    )


def difference_answer(
    *, consultation: Consultation, participant: Participant, answer: Difference
) -> DifferenceAnswer:
    """ "Did your input make a difference?", from someone who took part; they may change it."""
    if consultation.outcome_published_at is None:
        raise ValidationError(_("The outcome has not been published yet."))
    if not took_part(consultation, participant):
        raise PermissionDenied
    found, _created = DifferenceAnswer.objects.update_or_create(
        consultation=consultation, participant=participant, defaults={"answer": answer}
    )
    return found
