"""Every URL of impact, with the status each persona gets for a GET."""

from decimal import Decimal

from coproduce.impact.models import (
    Collection,
    CollectionForm,
    FinancialProxy,
    Outcome,
    Valuation,
    Wave,
)
from coproduce.impact.services import OutcomePlan, collection_switch_on, outcome_create
from coproduce.impact.value_services import ProxyPlan, ValuationPlan, proxy_save, valuation_save
from tests.conftest import World
from tests.impact.conftest import an_activity
from tests.matrix import BACKERS, Expectations, only

RUNNERS = ("staff of A", "manager of A", "superuser")
# The provider's staff and the officers of the council that funds the service
# (co-assessment).
VIEWERS = ("staff of A", "manager of A", *BACKERS, "superuser")
OUTCOME = "Permission matrix outcome"
MANAGERS = ("manager of A", "superuser")
# The provider's own staff read its proxies and price index; its managers change them.
PROVIDER = ("staff of A", "manager of A", "superuser")


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


def matrix_valuation(world: World, outcome: Outcome) -> Valuation:
    found = Valuation.objects.filter(outcome=outcome).select_related("proxy").first()
    if found is not None:
        return found
    manager = world.users["manager of A"]
    assert manager is not None
    proxy = proxy_save(
        organisation=world.library_a,
        proxy=None,
        plan=ProxyPlan(
            name="Matrix proxy", unit="one person", value=Decimal("100"), currency="GBP",
            price_year=2026, source="Matrix, 2026",
        ),
        by=manager,
    )  # fmt: skip
    return valuation_save(
        service=world.service_a,
        year=2026,
        valuation=None,
        plan=ValuationPlan(outcome=outcome, proxy=proxy, quantity=Decimal("3"), quantity_note="n"),
        by=manager,
    )


def expectations(world: World) -> Expectations:
    outcome, wave_form = matrix_impact(world)
    valuation = matrix_valuation(world, outcome)
    proxy: FinancialProxy = valuation.proxy
    service = f"/impact/services/{world.service_a.reference}"
    organisation = f"/impact/organisations/{world.library_a.slug}"
    return {
        "impact:proxies": (f"{organisation}/proxies/", only(*PROVIDER)),
        "impact:proxy_new": (f"{organisation}/proxies/new/", only(*MANAGERS)),
        "impact:proxy_edit": (f"/impact/proxies/{proxy.pk}/", only(*MANAGERS)),
        "impact:price_index": (f"{organisation}/price-index/", only(*PROVIDER), MANAGERS),
        "impact:hour_rates": (f"{organisation}/hour-rates/", only(*MANAGERS)),
        # The figures: like the results, a sensitive service's only to its provider.
        "impact:costs": (f"{service}/costs/?year=2026", only(*VIEWERS)),
        # Read by the funders, recorded by the provider's managers.
        "impact:income": (f"{service}/income/?year=2026", only(*VIEWERS), MANAGERS),
        "impact:social_value": (f"{service}/social-value/?year=2026", only(*VIEWERS)),
        "impact:analysis_settings": (f"{service}/social-value/2026/rate/", only(*MANAGERS)),
        "impact:valuation_new": (f"{service}/social-value/2026/outcomes/new/", only(*MANAGERS)),
        "impact:valuation_edit": (f"/impact/valuations/{valuation.pk}/", only(*MANAGERS)),
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
