"""Public consultations: a question, its documents, comments, proposals and the outcome.

Residents take part signed in, under their pseudonymous participant and a display name
of their choosing (never their login or reference). What they write waits for a
moderator before the public sees it; what staff write in reply is published at once.
When the consultation closes, no more comments, proposals or supports are taken. When
its outcome is published, the people who asked to be told are told, and everyone who
took part is asked whether their input made a difference.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coproduce.core.encryption import EncryptedTextField
from coproduce.core.models import TimeStampedModel
from coproduce.core.references import new_reference


def new_consultation_code() -> str:
    return new_reference("C")


class Consultation(TimeStampedModel):
    # Web addresses use this random code, never the service's name.
    code = models.CharField(
        max_length=12, unique=True, default=new_consultation_code, editable=False
    )
    activity = models.ForeignKey(
        "engagement.Activity", on_delete=models.PROTECT, related_name="public_consultations"
    )
    title = models.CharField(_("title"), max_length=200)
    question = models.CharField(_("the question"), max_length=300)
    background = models.TextField(_("background"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    takes_proposals = models.BooleanField(_("residents may make proposals"), default=True)
    published = models.BooleanField(_("published"), default=False)
    outcome = models.TextField(_("what was decided and why"), blank=True)
    outcome_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # One more at every write through the services (the consultation, its documents,
    # comments, proposals and supports, in the write's transaction): the public page's
    # cached part is keyed by it, so no web server serves it stale after a write.
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-opens_at", "title"]
        verbose_name = _("public consultation")
        verbose_name_plural = _("public consultations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_it_opens",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Document(models.Model):
    """A PDF kept in the database, so every web server can serve it."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    data = models.BinaryField()
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


class Moderation(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not published")


class Contribution(TimeStampedModel):
    """What a resident (or staff member) writes: moderated, keyed against double sending."""

    participant = models.ForeignKey(
        "accounts.Participant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    display_name = models.CharField(_("name shown"), max_length=60)
    status = models.CharField(max_length=10, choices=Moderation.choices)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.CharField(_("why not published"), max_length=300, blank=True)
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        abstract = True


class Comment(Contribution):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # A comment on a resident's proposal rather than on the consultation's question.
    proposal = models.ForeignKey(
        "Proposal", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    text = EncryptedTextField(_("comment"))
    from_staff = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.text[:60]


class Proposal(Contribution):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="proposals"
    )
    title = models.CharField(_("title"), max_length=150)
    text = EncryptedTextField(_("what you propose"))
    # Kept by the services in the write's transaction (``F()`` updates), so that the
    # page sorts and shows a page of 20 without counting every proposal's rows;
    # ``services.proposal_counts_recount`` recounts them after a bulk load. Comments are
    # the published comments and replies on the proposal.
    supports_count = models.PositiveIntegerField(default=0, editable=False)
    comments_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            # The page's order, most supported first, read 20 at a time.
            models.Index(
                fields=["consultation", "status", "-supports_count", "created_at", "id"],
                name="proposal_most_supported",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    participant = models.ForeignKey(
        "accounts.Participant", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "participant"], name="support_once"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} supports {self.proposal_id}"


class FollowUp(models.Model):
    """A participant asked to be told the outcome (by email, if their login has one)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="follow_ups"
    )
    participant = models.ForeignKey(
        "accounts.Participant", on_delete=models.CASCADE, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "participant"], name="follow_up_once"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} follows {self.consultation_id}"


class Difference(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    NOT_SURE = "not-sure", _("I am not sure")


class DifferenceAnswer(models.Model):
    """ "Did your input make a difference?": one answer per person who took part."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="difference_answers"
    )
    participant = models.ForeignKey(
        "accounts.Participant", on_delete=models.CASCADE, related_name="+"
    )
    answer = models.CharField(
        _("did your input make a difference?"), max_length=10, choices=Difference.choices
    )
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "participant"], name="difference_answer_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id}: {self.answer}"
