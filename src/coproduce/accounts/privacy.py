"""Subject access (everything held about a person) and erasure (identity removed).

The export is built from the models themselves: every row of every model with a foreign
key to the participant, so that a model added later is exported without anyone
remembering to list it. Left out, on purpose: secrets that prove nothing to the person
(token digests, one-time keys), the staff who handled a row, and how a vote was cast —
a ballot is secret, so the export says that the person voted, never for what (an export
can be demanded by someone standing over them).

Erasure keeps every pseudonymous row (the participation ledger, votes, responses, hours)
and every count, so that each dashboard reads exactly the same afterwards; it removes
what identifies the person: the login's name and contact, contact details of replies,
demographics, and the free text they wrote.
"""

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from coproduce.accounts.models import (
    CONSENT_VERSION,
    Consent,
    ConsentPurpose,
    Demographics,
    Participant,
    User,
)
from coproduce.core.retention import REMOVED

# Columns that mean nothing to the person and would only help someone misuse a copy.
_WITHHELD = frozenset(
    {"token_hash", "submission_key", "entry_key", "act_key", "voter", "code", "participant"}
)


LOGIN_LABELS = {
    "username": gettext_lazy("Username"),
    "email": gettext_lazy("Email address"),
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "joined": gettext_lazy("Account created"),
    "last_signed_in": gettext_lazy("Last signed in"),
    "roles": gettext_lazy("Roles"),
}


@dataclass
class Section:
    """One kind of thing held: a model's rows about the person, as label → value."""

    key: str
    title: str
    rows: list[dict[str, str]] = field(default_factory=list)


@dataclass
class SubjectAccess:
    reference: str
    login: dict[str, str]
    sections: list[Section]

    def login_rows(self) -> list[tuple[str, str]]:
        """The login's details with their labels in the page's language."""
        return [(str(LOGIN_LABELS[name]), value) for name, value in self.login.items()]

    def as_json(self) -> dict[str, Any]:
        return {
            "participant_reference": self.reference,
            "login": self.login,
            **{section.key: section.rows for section in self.sections},
        }


def subject_access(participant: Participant) -> SubjectAccess:
    """Everything Coproduce holds about one person, in the order of the apps."""
    sections = [
        Section(
            key=model._meta.label_lower,
            title=str(model._meta.verbose_name_plural),
            rows=_rows(model, participant),
        )
        for model in _models_about_participants()
    ]
    answers = Section("consultations.answer", gettext("answers to forms"), _answers(participant))
    return SubjectAccess(
        reference=participant.reference,
        login=_login(participant.user),
        sections=[section for section in [*sections, answers] if section.rows],
    )


def _models_about_participants() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if any(_points_to(f, Participant) for f in model._meta.concrete_fields)
    ]


def _points_to(model_field: models.Field[Any, Any], target: type[models.Model]) -> bool:
    return isinstance(model_field, models.ForeignKey) and model_field.related_model is target


def _shown(model_field: models.Field[Any, Any]) -> bool:
    return model_field.name not in _WITHHELD and not _points_to(model_field, get_user_model())


def _rows(model: type[models.Model], participant: Participant) -> list[dict[str, str]]:
    shown = [f for f in model._meta.concrete_fields if _shown(f)]
    related = [f.name for f in shown if isinstance(f, models.ForeignKey)]
    links = [f.name for f in model._meta.concrete_fields if _points_to(f, Participant)]
    query = models.Q()
    for name in links:
        query |= models.Q(**{name: participant})
    rows = model._default_manager.filter(query).select_related(*related).order_by("pk")
    return [{str(f.verbose_name): _display(row, f) for f in shown} for row in rows]


def _display(row: models.Model, model_field: models.Field[Any, Any]) -> str:
    if model_field.choices:
        return str(getattr(row, f"get_{model_field.name}_display")())
    if isinstance(model_field, models.ForeignKey) and model_field.related_model is type(row):
        # A reply's parent is someone else's comment: its number, never its text.
        return str(getattr(row, model_field.attname) or "")
    value = getattr(row, model_field.name)
    return "" if value is None else str(value)


def _answers(participant: Participant) -> list[dict[str, str]]:
    answer_model = apps.get_model("consultations", "Answer")
    answers = answer_model.objects.filter(response__participant=participant).select_related(
        "question", "response__questionnaire"
    )
    return [
        {
            "form": str(answer.response.questionnaire),
            "question": str(answer.question),
            "answer": str(answer.value),
        }
        for answer in answers.order_by("response_id", "pk")
    ]


def _login(user: User | None) -> dict[str, str]:
    if user is None:
        return {}
    memberships = user.memberships.select_related("organisation")
    return {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "joined": user.date_joined.isoformat(),
        "last_signed_in": user.last_login.isoformat() if user.last_login else "",
        "roles": "; ".join(f"{m.get_role_display()}: {m.organisation}" for m in memberships),
    }


def participant_by_username_or_reference(name: str) -> Participant | None:
    """The participant a paper request names, by login username or by reference."""
    return (
        Participant.objects.filter(models.Q(reference=name) | models.Q(user__username=name))
        .select_related("user")
        .first()
    )


# Free text a person wrote, by model: replaced, never deleted, so that counts stay right.
_FREE_TEXT = {
    "deliberation.Comment": ("text", "display_name"),
    "deliberation.Proposal": ("title", "text", "display_name"),
    "forums.ActionPoint": ("said",),
    "volunteering.Application": ("message",),
}
_TEXT_KINDS = ("short-text", "long-text")


@transaction.atomic
def erase_person(participant: Participant) -> None:
    """Remove what identifies a person; keep the pseudonymous records and every count.

    The login is kept as an empty, disabled shell (username random, no password, no
    name, no email) because staff records point to it; the participant keeps its
    reference, so the ledger, votes and responses still count exactly as before.
    """
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.user is not None:
        _scrub_login(participant.user)
        participant.user = None
        participant.save(update_fields=["user"])
    Demographics.objects.filter(participant=participant).delete()
    Consent.objects.filter(participant=participant, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    apps.get_model("events", "Rsvp").objects.filter(participant=participant).update(
        nickname="", email="", phone="", remind=False
    )
    for label, names in _FREE_TEXT.items():
        model = apps.get_model(label)
        links = [f.name for f in model._meta.concrete_fields if _points_to(f, Participant)]
        model._default_manager.filter(**{links[0]: participant}).update(
            **dict.fromkeys(names, REMOVED)
        )
    apps.get_model("consultations", "Answer").objects.filter(
        response__participant=participant, question__kind__in=_TEXT_KINDS
    ).update(value=REMOVED)


def _scrub_login(user: User) -> None:
    user.username = f"erased-{secrets.token_hex(8)}"
    user.email = user.first_name = user.last_name = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.memberships.all().delete()
    _end_sessions(user)


def _end_sessions(user: User) -> None:
    """Sign the person out everywhere: their sessions carry their login's id."""
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()


@dataclass(frozen=True)
class ConsentEntry:
    consent: Consent
    # When it stopped applying: withdrawn, or replaced by consent to a newer wording.
    ended_at: datetime | None


def consent_history(participant: Participant) -> list[ConsentEntry]:
    """Every consent the person gave, oldest first, with when each ended (if it has)."""
    consents = list(participant.consents.order_by("given_at", "pk"))
    entries = []
    for index, consent in enumerate(consents):
        later = [c.given_at for c in consents[index + 1 :] if c.purpose == consent.purpose]
        entries.append(ConsentEntry(consent, consent.withdrawn_at or min(later, default=None)))
    return entries


def consent_needs_renewal(participant: Participant) -> bool:
    """Whether the person agreed only to an earlier wording: they are asked again."""
    in_force = participant.consents.filter(
        purpose=ConsentPurpose.DEMOGRAPHICS, withdrawn_at__isnull=True
    )
    return in_force.exists() and not in_force.filter(version=CONSENT_VERSION).exists()
