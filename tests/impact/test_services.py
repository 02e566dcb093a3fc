"""Building a service's theory of change, and switching instruments on."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.crypto import get_random_string

from coproduce.accounts.models import User
from coproduce.accounts.services import participant_create
from coproduce.consultations.models import (
    QuestionKind,
    Questionnaire,
    Response,
    ResponseMode,
    VersionStatus,
)
from coproduce.engagement.models import Activity
from coproduce.impact.models import (
    Collection,
    Indicator,
    InstrumentLicence,
    Outcome,
    StandardOutcome,
    Wave,
)
from coproduce.impact.services import (
    IndicatorPlan,
    OutcomePlan,
    WaveEntry,
    collection_switch_on,
    indicator_create,
    licence_confirm,
    outcome_create,
    outcome_update,
    wave_answers_enter,
)
from coproduce.organisations.models import Sector
from coproduce.organisations.services import service_create
from tests.conftest import World
from tests.impact.conftest import an_activity, answer_ons4, wave_form


def user(world: World, persona: str) -> User:
    found = world.users[persona]
    assert found is not None
    return found


# --- the theory of change --------------------------------------------------------------


def test_a_standard_outcome_takes_its_name_and_links_the_service_activities(
    world: World, activity: Activity
) -> None:
    outcome = outcome_create(
        service=world.service_a,
        plan=OutcomePlan(
            standard=StandardOutcome.LESS_ISOLATION,
            activities=[activity],
            outputs="40 knit and natter sessions",
            impact="A stronger village",
        ),
        created_by=user(world, "staff of A"),
    )
    assert outcome.title == "Less isolation"
    assert list(outcome.activities.all()) == [activity]


def test_an_outcome_linked_to_another_services_activity_is_refused_and_nothing_saved(
    world: World, activity: Activity
) -> None:
    other = service_create(
        name="Library B lending", sector=Sector.LIBRARY, provider=world.library_b, area=world.county
    )
    foreign = an_activity(other, "Library B coffee morning")
    with pytest.raises(ValidationError) as caught:
        outcome_create(
            service=world.service_a,
            plan=OutcomePlan(title="Belonging", activities=[activity, foreign]),
            created_by=None,
        )
    assert "Library B coffee morning" in caught.value.message_dict["activities"][0]
    assert not Outcome.objects.exists()


def test_two_outcomes_of_a_service_cannot_share_a_name(world: World) -> None:
    outcome_create(service=world.service_a, plan=OutcomePlan(title="Wellbeing"), created_by=None)
    with pytest.raises(ValidationError) as caught:
        outcome_create(
            service=world.service_a, plan=OutcomePlan(title="wellbeing"), created_by=None
        )
    assert "title" in caught.value.message_dict


def test_an_outcome_needs_a_name_or_a_standard_outcome(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        outcome_create(service=world.service_a, plan=OutcomePlan(), created_by=None)
    assert "title" in caught.value.message_dict


@pytest.mark.parametrize("persona", ["volunteer of A", "manager of B", "commissioner", "resident"])
def test_only_the_services_runners_build_its_outcomes(world: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        outcome_create(
            service=world.service_a,
            plan=OutcomePlan(title="Wellbeing"),
            created_by=user(world, persona),
        )


def test_an_outcome_is_changed_and_keeps_its_own_name(world: World, activity: Activity) -> None:
    outcome = outcome_create(
        service=world.service_a, plan=OutcomePlan(title="Wellbeing"), created_by=None
    )
    outcome_update(
        outcome=outcome,
        plan=OutcomePlan(title="Wellbeing", activities=[activity], impact="Healthier people"),
        updated_by=user(world, "manager of A"),
    )
    outcome.refresh_from_db()
    assert outcome.impact == "Healthier people"
    assert list(outcome.activities.all()) == [activity]


def test_an_indicator_follows_an_instrument_measure_or_is_described(world: World) -> None:
    outcome = outcome_create(
        service=world.service_a, plan=OutcomePlan(title="Wellbeing"), created_by=None
    )
    measured = indicator_create(
        outcome=outcome,
        plan=IndicatorPlan(title="Life satisfaction", measure="ons4:satisfied"),
        created_by=None,
    )
    custom = indicator_create(
        outcome=outcome,
        plan=IndicatorPlan(title="Returning volunteers", description="Former users who volunteer"),
        created_by=None,
    )
    assert (measured.instrument, measured.measure) == ("ons4", "satisfied")
    assert (custom.instrument, custom.measure) == ("", "")


@pytest.mark.parametrize(
    ("plan", "field"),
    [
        (IndicatorPlan(title="X", measure="ons4:nonsense"), "measure"),
        (IndicatorPlan(title="X", measure="gad7:total"), "measure"),
        (IndicatorPlan(title="X"), "description"),
        (IndicatorPlan(title=" ", measure="ons4:happy"), "title"),
    ],
)
def test_a_bad_indicator_is_refused_naming_the_field(
    world: World, plan: IndicatorPlan, field: str
) -> None:
    outcome = outcome_create(
        service=world.service_a, plan=OutcomePlan(title="Wellbeing"), created_by=None
    )
    with pytest.raises(ValidationError) as caught:
        indicator_create(outcome=outcome, plan=plan, created_by=None)
    assert field in caught.value.message_dict
    assert not Indicator.objects.exists()


# --- switching instruments on ----------------------------------------------------------


def test_switching_ons4_on_publishes_a_pseudonymous_form_per_wave(
    world: World, activity: Activity
) -> None:
    collection = collection_switch_on(
        service=world.service_a,
        instrument="ons4",
        activity=activity,
        switched_on_by=user(world, "staff of A"),
    )
    forms = {form.wave: form for form in collection.forms.select_related("questionnaire")}
    assert set(forms) == {Wave.BASELINE, Wave.FOLLOW_UP}
    for form in forms.values():
        questionnaire = form.questionnaire
        assert questionnaire.mode == ResponseMode.PSEUDONYMOUS
        assert questionnaire.activity == activity
        version = questionnaire.versions.get()
        assert version.status == VersionStatus.PUBLISHED
        questions = list(version.questions.order_by("position"))
        assert [q.kind for q in questions] == [QuestionKind.SCALE] * 4
        assert [form.items[q.key] for q in questions] == [
            "satisfied", "worthwhile", "happy", "anxious",
        ]  # fmt: skip
        assert questions[0].text == "Overall, how satisfied are you with your life nowadays?"


def test_a_choice_instrument_gets_its_options_in_order(world: World, activity: Activity) -> None:
    collection = collection_switch_on(
        service=world.service_a, instrument="loneliness", activity=activity, switched_on_by=None
    )
    question = wave_form(collection, Wave.BASELINE).questionnaire.versions.get().questions.first()
    assert question is not None
    assert [(o["value"], o["en"]) for o in question.options] == [
        ("1", "Hardly ever or never"), ("2", "Some of the time"), ("3", "Often"),
    ]  # fmt: skip


def test_swemwbs_cannot_be_switched_on_without_a_licence_and_nothing_is_saved(
    world: World, activity: Activity
) -> None:
    with pytest.raises(ValidationError) as caught:
        collection_switch_on(
            service=world.service_a,
            instrument="swemwbs",
            activity=activity,
            switched_on_by=user(world, "manager of A"),
        )
    assert "licence" in caught.value.message_dict
    assert not Collection.objects.exists()
    assert not Questionnaire.objects.exists()


def test_swemwbs_switches_on_once_a_manager_has_confirmed_the_licence(
    world: World, activity: Activity
) -> None:
    manager = user(world, "manager of A")
    licence = licence_confirm(
        organisation=world.library_a,
        instrument="swemwbs",
        holder="Library A",
        reference="WMS-2026-0042",
        confirmed_by=manager,
    )
    assert (licence.confirmed_by, licence.confirmed_at is not None) == (manager, True)
    collection = collection_switch_on(
        service=world.service_a, instrument="swemwbs", activity=activity, switched_on_by=manager
    )
    assert collection.licence == licence


def test_only_a_manager_confirms_a_licence(world: World) -> None:
    with pytest.raises(PermissionDenied):
        licence_confirm(
            organisation=world.library_a,
            instrument="swemwbs",
            holder="Library A",
            reference="WMS-1",
            confirmed_by=user(world, "staff of A"),
        )
    assert not InstrumentLicence.objects.exists()


def test_a_licence_needs_who_holds_it_and_its_reference(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        licence_confirm(
            organisation=world.library_a,
            instrument="swemwbs",
            holder=" ",
            reference="",
            confirmed_by=user(world, "manager of A"),
        )
    assert set(caught.value.message_dict) == {"holder", "reference"}


def test_an_instrument_is_switched_on_once_per_service(world: World, activity: Activity) -> None:
    collection_switch_on(
        service=world.service_a, instrument="trust", activity=activity, switched_on_by=None
    )
    with pytest.raises(ValidationError) as caught:
        collection_switch_on(
            service=world.service_a, instrument="trust", activity=activity, switched_on_by=None
        )
    assert "instrument" in caught.value.message_dict
    assert Questionnaire.objects.count() == 2


def test_switching_on_with_another_services_activity_is_refused(world: World) -> None:
    other = service_create(
        name="Library B lending", sector=Sector.LIBRARY, provider=world.library_b, area=world.county
    )
    with pytest.raises(ValidationError) as caught:
        collection_switch_on(
            service=world.service_a,
            instrument="ons4",
            activity=an_activity(other),
            switched_on_by=None,
        )
    assert "activity" in caught.value.message_dict


def test_a_volunteer_cannot_switch_an_instrument_on(world: World, activity: Activity) -> None:
    with pytest.raises(PermissionDenied):
        collection_switch_on(
            service=world.service_a,
            instrument="ons4",
            activity=activity,
            switched_on_by=user(world, "volunteer of A"),
        )


# --- paper answers per wave ------------------------------------------------------------


def test_a_follow_up_without_a_baseline_is_refused_and_nothing_saved(
    world: World, ons4: Collection
) -> None:
    person = participant_create(user=None)
    with pytest.raises(ValidationError) as caught:
        answer_ons4(ons4, Wave.FOLLOW_UP, person, (7, 7, 7, 2))
    assert person.reference in caught.value.message_dict["participant_reference"][0]
    assert not Response.objects.exists()


def test_a_follow_up_after_the_baseline_is_saved(world: World, ons4: Collection) -> None:
    person = participant_create(user=None)
    answer_ons4(ons4, Wave.BASELINE, person, (5, 5, 5, 5))
    answer_ons4(ons4, Wave.FOLLOW_UP, person, (7, 7, 7, 2))
    assert Response.objects.filter(participant=person).count() == 2


def test_a_score_outside_the_instruments_range_is_refused_naming_the_item(
    world: World, ons4: Collection
) -> None:
    person = participant_create(user=None)
    with pytest.raises(ValidationError) as caught:
        wave_answers_enter(
            form=wave_form(ons4, Wave.BASELINE),
            entry=WaveEntry(
                participant_reference=person.reference,
                answers={"satisfied": "11", "worthwhile": "5", "happy": "5", "anxious": "5"},
                entry_key=get_random_string(24),
            ),
            recorded_by=None,
        )
    assert set(caught.value.message_dict) == {"satisfied"}
    assert not Response.objects.exists()


def test_paper_answers_need_the_persons_reference(world: World, ons4: Collection) -> None:
    with pytest.raises(ValidationError) as caught:
        wave_answers_enter(
            form=wave_form(ons4, Wave.BASELINE),
            entry=WaveEntry(participant_reference=" ", entry_key=get_random_string(24)),
            recorded_by=None,
        )
    assert "participant_reference" in caught.value.message_dict
