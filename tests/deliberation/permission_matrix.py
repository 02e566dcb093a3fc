"""Every URL of public consultations, with the status each persona gets for a GET."""

from coproduce.deliberation.models import Consultation, Proposal
from coproduce.deliberation.services import document_add, moderate, proposal_add
from tests.conftest import World
from tests.deliberation.conftest import make_consultation, person
from tests.matrix import ANYONE_SIGNED_IN, EVERYONE, PERSONAS, Expectations, only, post_only

RUNNERS = ("staff of A", "manager of A", "superuser")
MATRIX = "Permission matrix consultation"


def matrix_consultation(world: World) -> tuple[Consultation, int, int]:
    found = Consultation.objects.filter(title=MATRIX).first()
    if found is None:
        found = make_consultation(world, title=MATRIX)
        document_add(
            consultation=found,
            title="Options paper",
            data=b"%PDF-1.4 matrix",
            added_by=world.users["staff of A"],
        )
        _user, participant = person(world, "volunteer of A")
        made = proposal_add(
            consultation=found,
            participant=participant,
            title="Open at 8",
            text="Earlier for commuters.",
            submission_key="matrix-proposal",
        )
        moderate(item=made, publish=True, note="", moderated_by=world.users["staff of A"])
    document = found.documents.get().pk
    proposal = Proposal.objects.get(consultation=found).pk
    return found, document, proposal


def expectations(world: World) -> Expectations:
    consultation, document, proposal = matrix_consultation(world)
    code = consultation.code
    service = world.service_a.reference
    return {
        "deliberation:index": ("/have-your-say/", EVERYONE),
        "deliberation:consultation": (f"/have-your-say/{code}/", EVERYONE),
        # Open data exists once the consultation has closed: until then, 404.
        "deliberation:open_data": (
            f"/have-your-say/{code}/open-data.json",
            dict.fromkeys(PERSONAS, 404),
        ),
        "deliberation:document": (f"/have-your-say/{code}/documents/{document}/", EVERYONE),
        "deliberation:service_consultations": (
            f"/have-your-say/services/{service}/",
            only(*RUNNERS),
        ),
        "deliberation:consultation_new": (
            f"/have-your-say/services/{service}/new/",
            only(*RUNNERS),
        ),
        "deliberation:manage": (f"/have-your-say/{code}/manage/", only(*RUNNERS)),
        "deliberation:edit": (f"/have-your-say/{code}/edit/", only(*RUNNERS)),
        # Taking part (anyone signed in) and staff actions are POST only.
        "deliberation:comment": post_only(f"/have-your-say/{code}/comment/", *ANYONE_SIGNED_IN),
        "deliberation:propose": post_only(f"/have-your-say/{code}/propose/", *ANYONE_SIGNED_IN),
        "deliberation:proposal": (f"/have-your-say/{code}/proposals/{proposal}/", EVERYONE),
        "deliberation:support": post_only(
            f"/have-your-say/{code}/proposals/{proposal}/support/", *ANYONE_SIGNED_IN
        ),
        # Whether their input made a difference: asked of the people who took part.
        "deliberation:difference": post_only(
            f"/have-your-say/{code}/difference/", *ANYONE_SIGNED_IN
        ),
        "deliberation:publish": post_only(f"/have-your-say/{code}/publish/", *RUNNERS),
        "deliberation:moderate": post_only(
            f"/have-your-say/{code}/moderate/proposal/{proposal}/", *RUNNERS
        ),
        "deliberation:document_upload": post_only(f"/have-your-say/{code}/documents/", *RUNNERS),
        "deliberation:theme": post_only(f"/have-your-say/{code}/themes/", *RUNNERS),
        "deliberation:outcome": post_only(f"/have-your-say/{code}/outcome/", *RUNNERS),
    }
