"""Scores per participant and wave, paired by reference, and the change per indicator."""

from django.utils.crypto import get_random_string

from coproduce.accounts.services import participant_create
from coproduce.consultations.models import Answer, ResponseChannel
from coproduce.consultations.services import paper_response_enter
from coproduce.impact.instruments import ONS4
from coproduce.impact.models import Collection, Wave
from coproduce.impact.selectors import indicator_results, pairing, wave_answers
from coproduce.impact.services import IndicatorPlan, OutcomePlan, indicator_create, outcome_create
from tests.conftest import World
from tests.impact.conftest import pairs, wave_form


def _indicator(world: World, measure: str = "ons4:satisfied") -> None:
    outcome = outcome_create(
        service=world.service_a, plan=OutcomePlan(title="Wellbeing"), created_by=None
    )
    indicator_create(
        outcome=outcome,
        plan=IndicatorPlan(title="Life satisfaction", measure=measure),
        created_by=None,
    )


def test_scores_are_paired_by_the_participants_reference(world: World, ons4: Collection) -> None:
    people = pairs(ons4, 3)
    paired = pairing(ONS4, ONS4.measure("satisfied"), wave_answers(ons4, ONS4))
    assert paired.baseline == {person.reference: 5.0 for person in people}
    assert paired.follow_up == {p.reference: 7.0 + i % 3 for i, p in enumerate(people)}
    assert paired.follow_up_without_baseline == []


def test_a_follow_up_without_a_baseline_is_reported_not_dropped(
    world: World, ons4: Collection
) -> None:
    # Answered online through the form's own page, which knows nothing of waves.
    form = wave_form(ons4, Wave.FOLLOW_UP)
    keys = {item: key for key, item in form.items.items()}
    person = participant_create(user=None)
    paper_response_enter(
        questionnaire=form.questionnaire,
        raw={keys[item]: "6" for item in ("satisfied", "worthwhile", "happy", "anxious")},
        channel=ResponseChannel.ASSISTED,
        entry_key=get_random_string(24),
        recorded_by=None,
        participant_reference=person.reference,
    )
    paired = pairing(ONS4, ONS4.measure("satisfied"), wave_answers(ons4, ONS4))
    assert paired.follow_up_without_baseline == [person.reference]
    assert paired.follow_up == {person.reference: 6.0}


def test_a_stored_answer_outside_the_scale_is_reported_naming_the_item(
    world: World, ons4: Collection
) -> None:
    [person] = pairs(ons4, 1)
    Answer.objects.filter(
        response__participant=person,
        response__questionnaire__impact_wave__wave=Wave.BASELINE,
        question__text__startswith="Overall, how satisfied",
    ).update(value=12)
    paired = pairing(ONS4, ONS4.measure("satisfied"), wave_answers(ons4, ONS4))
    assert [(u.wave, u.reason) for u in paired.unscored] == [
        (Wave.BASELINE, "satisfied: 12 is outside 0–10")
    ]
    assert paired.baseline == {}


def test_the_change_is_suppressed_under_10_pairs(world: World, ons4: Collection) -> None:
    _indicator(world)
    pairs(ons4, 9)
    [result] = indicator_results(world.service_a)
    assert result.change is not None
    assert result.change.suppressed
    assert result.change.attrition.paired == 9
    assert result.change.mean_change is None


def test_the_change_of_10_pairs_is_published_with_its_test(
    world: World, ons4: Collection, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    _indicator(world)
    pairs(ons4, 10)
    with django_assert_max_num_queries(4):
        [result] = indicator_results(world.service_a)
    change = result.change
    assert change is not None
    assert not change.suppressed
    assert change.mean_before == 5.0
    # after = 7 + index % 3 for indexes 0..9: 7, 8, 9, 7, 8, 9, 7, 8, 9, 7 → mean 7.9
    assert round(change.mean_change or 0, 6) == 2.9
    assert change.improved == 1.0


def test_anxiety_improves_when_it_falls(world: World, ons4: Collection) -> None:
    _indicator(world, "ons4:anxious")
    pairs(ons4, 10)  # anxiety 4 → 3 for everyone
    [result] = indicator_results(world.service_a)
    assert result.change is not None
    assert result.change.mean_change == -1.0
    assert result.change.improved == 1.0


def test_an_indicator_whose_instrument_is_off_has_no_pairing(world: World) -> None:
    _indicator(world, "loneliness:total")
    [result] = indicator_results(world.service_a)
    assert result.pairing is None
