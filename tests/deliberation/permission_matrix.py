"""Every URL of public consultations, with the status each persona gets for a GET."""

from coproduce.deliberation.models import Consultation, Proposal
from coproduce.deliberation.services import document_add, moderate, proposal_add
from tests.conftest import World
from tests.deliberation.conftest import make_consultation, person
from tests.matrix import EVERYONE, PERSONAS, SIGN_IN, Expectations, only

RUNNERS = ("staff of A", "manager of A", "superuser")
MATRIX = "Permission matrix consultation"
POST_ONLY = {**dict.fromkeys(PERSONAS, 405), "anonymous": SIGN_IN}


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
        # Taking part and staff actions are POST only.
        "deliberation:comment": (f"/have-your-say/{code}/comment/", POST_ONLY),
        "deliberation:propose": (f"/have-your-say/{code}/propose/", POST_ONLY),
        "deliberation:proposal": (f"/have-your-say/{code}/proposals/{proposal}/", EVERYONE),
        "deliberation:support": (
            f"/have-your-say/{code}/proposals/{proposal}/support/",
            POST_ONLY,
        ),
        "deliberation:difference": (f"/have-your-say/{code}/difference/", POST_ONLY),
        "deliberation:publish": (f"/have-your-say/{code}/publish/", POST_ONLY),
        "deliberation:moderate": (
            f"/have-your-say/{code}/moderate/proposal/{proposal}/",
            POST_ONLY,
        ),
        "deliberation:document_upload": (f"/have-your-say/{code}/documents/", POST_ONLY),
        "deliberation:theme": (f"/have-your-say/{code}/themes/", POST_ONLY),
        "deliberation:outcome": (f"/have-your-say/{code}/outcome/", POST_ONLY),
    }
