"""The impact pages as the library's staff and its commissioner use them, bad input included."""

from django.test import Client
from pytest_django import DjangoAssertNumQueries

from coproduce.accounts.services import participant_create
from coproduce.engagement.models import Activity
from coproduce.impact.models import Collection, Indicator, Outcome, Wave
from coproduce.impact.services import IndicatorPlan, OutcomePlan, indicator_create, outcome_create
from coproduce.organisations.models import Sector
from coproduce.organisations.services import service_create
from tests.conftest import World
from tests.impact.conftest import answer_ons4, pairs, wave_form


def client_for(world: World, persona: str) -> Client:
    client = Client()
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    return client


def test_staff_build_the_chain_and_see_it_on_the_framework_page(
    world: World, activity: Activity
) -> None:
    staff = client_for(world, "staff of A")
    service = f"/impact/services/{world.service_a.reference}"
    response = staff.post(
        f"{service}/outcomes/new/",
        {
            "standard": "less-isolation",
            "activities": [activity.pk],
            "outputs": "40 sessions a year",
            "impact": "A village where nobody is alone",
        },
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get()
    staff.post(
        f"/impact/outcomes/{outcome.pk}/indicators/new/",
        {"title": "Loneliness score", "measure": "loneliness:total"},
    )
    page = staff.get(f"{service}/").content.decode()
    for text in ("Wellbeing check-ins", "40 sessions a year", "Less isolation",
                 "Loneliness score", "A village where nobody is alone"):  # fmt: skip
        assert text in page


def test_an_outcome_with_another_services_activity_is_refused_on_the_page(
    world: World, activity: Activity
) -> None:
    other = service_create(
        name="Library B lending", sector=Sector.LIBRARY, provider=world.library_b, area=world.county
    )
    foreign = Activity.objects.create(
        service=other, title="B", form=activity.form, rung=activity.rung,
        co_stage=activity.co_stage, citizen_role=activity.citizen_role,
        starts_on=activity.starts_on,
    )  # fmt: skip
    response = client_for(world, "manager of A").post(
        f"/impact/services/{world.service_a.reference}/outcomes/new/",
        {"title": "Belonging", "activities": [foreign.pk]},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Outcome.objects.exists()


def test_swemwbs_without_a_licence_is_refused_on_the_page(world: World, activity: Activity) -> None:
    url = f"/impact/services/{world.service_a.reference}/instruments/swemwbs/"
    response = client_for(world, "manager of A").post(url, {"activity": activity.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "A manager of Library A must confirm the licence" in page
    assert not Collection.objects.exists()


def test_a_manager_confirms_the_licence_then_switches_swemwbs_on(
    world: World, activity: Activity
) -> None:
    manager = client_for(world, "manager of A")
    service = f"/impact/services/{world.service_a.reference}"
    manager.post(
        f"{service}/instruments/swemwbs/licence/",
        {"holder": "Library A", "reference": "WMS-2026-0042"},
    )
    assert (
        "Licence held by Library A"
        in manager.get(f"{service}/instruments/swemwbs/").content.decode()
    )
    assert (
        manager.post(f"{service}/instruments/swemwbs/", {"activity": activity.pk}).status_code
        == 302
    )
    assert Collection.objects.filter(instrument="swemwbs").exists()


def test_a_follow_up_without_a_baseline_is_refused_on_the_entry_page(
    world: World, ons4: Collection
) -> None:
    person = participant_create(user=None)
    response = client_for(world, "staff of A").post(
        f"/impact/wave-forms/{wave_form(ons4, Wave.FOLLOW_UP).pk}/enter/",
        {
            "participant_reference": person.reference,
            "satisfied": "7", "worthwhile": "7", "happy": "7", "anxious": "2",
            "entry_key": "k" * 24,
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert f"{person.reference} has no baseline answers" in response.content.decode()


def test_the_results_page_shows_the_paired_change_and_pins_its_queries(
    world: World, ons4: Collection, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    outcome = outcome_create(
        service=world.service_a, plan=OutcomePlan(title="Wellbeing"), created_by=None
    )
    for measure in ("satisfied", "anxious"):
        indicator_create(
            outcome=outcome,
            plan=IndicatorPlan(title=f"ONS4 {measure}", measure=f"ons4:{measure}"),
            created_by=None,
        )
    pairs(ons4, 10)
    answer_ons4(ons4, Wave.BASELINE, participant_create(user=None), (3, 3, 3, 8))
    commissioner = client_for(world, "commissioner")
    with django_assert_max_num_queries(11):
        page = commissioner.get(f"/impact/services/{world.service_a.reference}/results/")
    text = page.content.decode()
    assert "Mean change (95% confidence interval)" in text
    assert "2.90" in text  # life satisfaction 5 → 7.9
    assert "-1.00" in text  # anxiety 4 → 3
    assert Indicator.objects.count() == 2


def test_the_framework_page_pins_its_queries(
    world: World, ons4: Collection, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for n in range(5):
        outcome = outcome_create(
            service=world.service_a, plan=OutcomePlan(title=f"Outcome {n}"), created_by=None
        )
        indicator_create(
            outcome=outcome, plan=IndicatorPlan(title="I", measure="ons4:happy"), created_by=None
        )
    staff = client_for(world, "staff of A")
    with django_assert_max_num_queries(11):
        staff.get(f"/impact/services/{world.service_a.reference}/")


def test_a_sensitive_services_results_are_only_for_its_own_staff(world: World) -> None:
    world.service_a.sensitive = True
    world.service_a.save(update_fields=["sensitive"])
    url = f"/impact/services/{world.service_a.reference}/results/"
    assert client_for(world, "commissioner").get(url).status_code == 403
    assert client_for(world, "staff of A").get(url).status_code == 200
