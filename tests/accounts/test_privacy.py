"""Subject access (everything held about a person) and erasure (identity gone, counts kept)."""

import json
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum
from django.test import Client
from django.utils import timezone

from coproduce.accounts.models import Demographics, Participant, User
from coproduce.accounts.privacy import REMOVED, erase_person, subject_access
from coproduce.accounts.services import demographics_record, participant_for
from coproduce.consultations.models import Answer, Response
from coproduce.consultations.services import Respondent, response_save_section, response_submit
from coproduce.deliberation.models import Comment, Proposal
from coproduce.deliberation.services import comment_add, proposal_add
from coproduce.engagement.models import ParticipationRecord
from coproduce.events.models import Rsvp
from coproduce.events.services import Contact, rsvp_create
from coproduce.volunteering.models import ApplicationSource, HoursEntry
from coproduce.volunteering.services import (
    application_review,
    application_submit,
    hours_log,
    shift_book,
)
from coproduce.votes.models import Vote
from coproduce.votes.services import vote_cast
from tests.conftest import PASSPHRASE, World
from tests.consultations.conftest import key, make_form
from tests.deliberation.conftest import make_consultation
from tests.events.conftest import make_activity, make_event
from tests.volunteering.conftest import Rota, holds, rota  # noqa: F401 - a fixture
from tests.votes.conftest import make_ballot

ANSWERS = {
    "age_band": "25-34",
    "gender": "woman",
    "employment_status": "employed",
    "disability": "no",
    "ethnicity": "white",
    "postcode_district": "TE1",
}
COMMENT = "The bins on Elm Road are never emptied"
PROPOSAL = "Open the library on Sunday afternoons"
WISH = "Poetry evenings, please"


@pytest.fixture
def resident(world: World, rota: Rota) -> Participant:  # noqa: F811 - the fixture above
    return a_resident_who_did_everything(world, rota)


def a_resident_who_did_everything(world: World, volunteering: Rota) -> Participant:
    """A resident who has done a bit of everything."""
    user = world.users["resident"]
    assert user is not None
    user.email, user.first_name = "robin@example.org", "Robin"
    user.save()
    participant = participant_for(user)
    demographics_record(participant=participant, consent_given=True, answers=ANSWERS)
    event = make_event(make_activity(world.service_a))
    rsvp_create(
        event=event,
        participant=participant,
        contact=Contact(nickname="Robin", email="robin@example.org", phone="07700 900123"),
    )
    consultation = make_consultation(world)
    comment_add(
        consultation=consultation,
        author=user,
        participant=participant,
        text=COMMENT,
        submission_key="c1",
    )
    proposal_add(
        consultation=consultation,
        participant=participant,
        title="Sunday opening",
        text=PROPOSAL,
        submission_key="p1",
    )
    ballot = make_ballot(world)
    vote_cast(ballot=ballot, option_ids=[ballot.options.first().pk], participant=participant)  # type: ignore[union-attr]
    _answer_a_form(world, user)
    application = application_submit(
        opportunity=volunteering.opportunity,
        participant=participant,
        source=ApplicationSource.FAIR,
        message="I can do Saturdays",
    )
    application_review(application=application, accept=True, reviewed_by=world.users["staff of A"])
    holds(participant, volunteering.key_holder)
    holds(participant, volunteering.dbs)
    shift_book(shift=volunteering.shifts[0], participant=participant)
    hours_log(
        participant=participant,
        opportunity=volunteering.opportunity,
        worked_on=timezone.localdate() - timedelta(days=1),
        hours=Decimal("2.5"),
    )
    return participant


def _answer_a_form(world: World, user: User) -> None:
    questionnaire = make_form(world.service_a)
    first = {
        key(questionnaire, "The talk was interesting"): "4",
        key(questionnaire, "Would you come again?"): "1",
    }
    receipt = response_save_section(
        questionnaire=questionnaire,
        response=None,
        number=1,
        raw=first,
        respondent=Respondent(user=user),
    )
    response_save_section(
        questionnaire=questionnaire,
        response=receipt.response,
        number=2,
        raw={key(questionnaire, "What talks would you like?"): WISH},
        respondent=Respondent(user=user),
    )
    response_submit(response=receipt.response)


def test_the_export_contains_every_kind_of_thing_held(resident: Participant) -> None:
    export = subject_access(resident).as_json()
    assert export["participant_reference"] == resident.reference
    assert export["login"]["email"] == "robin@example.org"
    for kind in [
        "accounts.consent",
        "accounts.demographics",
        "events.rsvp",
        "consultations.response",
        "consultations.answer",
        "deliberation.comment",
        "deliberation.proposal",
        "votes.vote",
        "volunteering.application",
        "volunteering.signup",
        "volunteering.hoursentry",
        "volunteering.capabilityrecord",
        "engagement.participationrecord",
    ]:
        assert export[kind], kind
    text = json.dumps(export)
    for held in [COMMENT, PROPOSAL, WISH, "07700 900123", "I can do Saturdays", "TE1"]:
        assert held in text


def test_the_export_never_says_how_the_person_voted(resident: Participant) -> None:
    export = subject_access(resident).as_json()
    [vote] = export["votes.vote"]
    chosen = Vote.objects.get(participant=resident).options.get().title
    assert chosen not in json.dumps(vote)
    assert "Playground" not in json.dumps(export["votes.vote"])


def test_the_export_withholds_tokens_and_other_peoples_text(resident: Participant) -> None:
    text = json.dumps(subject_access(resident).as_json())
    rsvp = Rsvp.objects.get(participant=resident)
    assert rsvp.token_hash not in text
    assert "c1" not in json.loads(text)["deliberation.comment"][0].values()


def test_a_resident_sees_and_downloads_their_data(world: World, resident: Participant) -> None:
    client = Client()
    client.force_login(world.users["resident"])  # type: ignore[arg-type]
    page = client.get("/account/your-data/").content.decode()
    assert COMMENT in page
    assert resident.reference in page
    download = client.get("/account/your-data/download/")
    assert download["Content-Disposition"].startswith("attachment;")
    assert json.loads(download.content)["participant_reference"] == resident.reference


def test_the_subject_access_command_answers_a_request_on_paper(resident: Participant) -> None:
    out = StringIO()
    call_command("subject_access", resident.reference, stdout=out)
    assert json.loads(out.getvalue())["login"]["username"] == "resident"
    out = StringIO()
    call_command("subject_access", "resident", stdout=out)
    assert json.loads(out.getvalue())["participant_reference"] == resident.reference


def test_the_subject_access_command_refuses_an_unknown_person(db: None) -> None:
    with pytest.raises(CommandError, match="Nobody has"):
        call_command("subject_access", "P-NOPE-NOPE")


# What erasure deletes on purpose: answers about the person, and the login's roles.
ERASED = ("accounts.Demographics", "organisations.Membership")


def aggregates() -> dict[str, object]:
    """What the dashboards count: rows of every kind, the ledger and its snapshot, votes."""
    counts: dict[str, object] = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label not in ERASED and model._meta.app_label not in ("audit", "sessions")
    }
    ledger = ParticipationRecord.objects.values("kind", "gender", "age_band", "postcode_district")
    counts["ledger"] = list(ledger.annotate(n=Count("pk"), people=Sum("people")).order_by())
    counts["votes"] = list(
        Vote.objects.values("options__title").annotate(n=Count("pk")).order_by("options__title")
    )
    counts["hours"] = HoursEntry.objects.aggregate(total=Sum("hours"))["total"]
    counts["responses"] = list(Response.objects.values("status").annotate(n=Count("pk")))
    return counts


def test_erasure_removes_identity_and_keeps_every_count(
    world: World, resident: Participant
) -> None:
    before = aggregates()
    erase_person(resident)
    after = aggregates()
    assert after == before
    assert not Demographics.objects.filter(participant=resident).exists()
    user = User.objects.get(pk=world.users["resident"].pk)  # type: ignore[union-attr]
    assert not user.is_active
    assert user.username.startswith("erased-")
    assert (user.email, user.first_name, user.has_usable_password()) == ("", "", False)
    resident.refresh_from_db()
    assert resident.user is None
    rsvp = Rsvp.objects.get(participant=resident)
    assert (rsvp.nickname, rsvp.email, rsvp.phone) == ("", "", "")
    assert Comment.objects.get(participant=resident).text == REMOVED
    assert Proposal.objects.get(participant=resident).text == REMOVED
    assert WISH not in [a.value for a in Answer.objects.all()]
    assert resident.consents.filter(withdrawn_at__isnull=True).count() == 0


def test_a_resident_erases_their_account_with_their_passphrase(
    world: World, resident: Participant
) -> None:
    client = Client()
    client.force_login(world.users["resident"])  # type: ignore[arg-type]
    wrong = client.post("/account/erase/", {"password": "not my passphrase at all"})
    assert wrong.status_code == 200
    assert "That is not your passphrase" in wrong.content.decode()
    assert Participant.objects.get(pk=resident.pk).user is not None
    done = client.post("/account/erase/", {"password": PASSPHRASE})
    assert done.status_code == 302
    assert Participant.objects.get(pk=resident.pk).user is None
    # Signed out: the account page asks to sign in again.
    assert client.get("/account/").status_code == 302
    assert not Client().login(username="resident", password=PASSPHRASE)


def test_an_empty_erase_form_erases_nothing(world: World, resident: Participant) -> None:
    client = Client()
    client.force_login(world.users["resident"])  # type: ignore[arg-type]
    assert client.post("/account/erase/", {}).status_code == 200
    assert Participant.objects.get(pk=resident.pk).user is not None


def test_the_erase_command_needs_confirmation(resident: Participant) -> None:
    with pytest.raises(CommandError, match="--yes"):
        call_command("erase_person", resident.reference)
    assert Participant.objects.get(pk=resident.pk).user is not None
    call_command("erase_person", resident.reference, "--yes", stdout=StringIO())
    assert Participant.objects.get(pk=resident.pk).user is None
