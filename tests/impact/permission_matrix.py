"""Every URL of impact, with the status each persona gets for a GET."""

from coproduce.impact.models import Collection, CollectionForm, Outcome, Wave
from coproduce.impact.services import OutcomePlan, collection_switch_on, outcome_create
from tests.conftest import World
from tests.impact.conftest import an_activity
from tests.matrix import Expectations, only

RUNNERS = ("staff of A", "manager of A", "superuser")
# The provider's staff and the council that funds the service (co-assessment).
VIEWERS = ("staff of A", "manager of A", "commissioner", "superuser")
OUTCOME = "Permission matrix outcome"


def matrix_impact(world: World) -> tuple[Outcome, CollectionForm]:
    outcome = Outcome.objects.filter(title=OUTCOME).first()
    if outcome is None:
        outcome = outcome_create(
            service=world.service_a, plan=OutcomePlan(title=OUTCOME), created_by=None
        )
        collection_switch_on(
            service=world.service_a,
            instrument="ons4",
            activity=an_activity(world.service_a),
            switched_on_by=None,
        )
    collection = Collection.objects.get(service=world.service_a, instrument="ons4")
    return outcome, collection.forms.get(wave=Wave.BASELINE)


def expectations(world: World) -> Expectations:
    outcome, wave_form = matrix_impact(world)
    service = f"/impact/services/{world.service_a.reference}"
    return {
        "impact:framework": (f"{service}/", only(*VIEWERS)),
        "impact:outcome_new": (f"{service}/outcomes/new/", only(*RUNNERS)),
        "impact:outcome_edit": (f"/impact/outcomes/{outcome.pk}/", only(*RUNNERS)),
        "impact:indicator_new": (f"/impact/outcomes/{outcome.pk}/indicators/new/", only(*RUNNERS)),
        "impact:switch_on": (f"{service}/instruments/swemwbs/", only(*RUNNERS)),
        # The licence is the organisation's commitment: its managers confirm it.
        "impact:licence": (
            f"{service}/instruments/swemwbs/licence/",
            only("manager of A", "superuser"),
        ),
        "impact:enter": (f"/impact/wave-forms/{wave_form.pk}/enter/", only(*RUNNERS)),
        "impact:results": (f"{service}/results/", only(*VIEWERS)),
    }
