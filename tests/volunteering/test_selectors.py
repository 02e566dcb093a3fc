"""Staffing gaps ranked by risk, and the capability overview."""

from datetime import timedelta

from django.utils import timezone

from coproduce.volunteering.selectors import Risk, capability_overview, staffing_gaps
from coproduce.volunteering.services import shift_book
from tests.conftest import World
from tests.volunteering.conftest import Rota, holds, staff_participant, volunteer


def test_gaps_are_ranked_empty_then_uncovered_then_short(world: World, rota: Rota) -> None:
    first, second, third = rota.shifts[:3]
    key_holder, helper = volunteer(world, rota.opportunity), volunteer(world, rota.opportunity)
    holds(key_holder, rota.key_holder)
    shift_book(shift=first, participant=helper)  # short, and no key-holder
    shift_book(shift=second, participant=key_holder)  # short only
    shift_book(shift=second, participant=helper)  # now full and covered
    shift_book(shift=third, participant=key_holder)  # short only
    gaps = staffing_gaps(world.service_a)
    by_shift = {gap.shift.pk: gap for gap in gaps}
    assert second.pk not in by_shift
    assert by_shift[first.pk].risk == Risk.UNCOVERED
    assert by_shift[first.pk].missing == ["Key-holder"]
    assert by_shift[third.pk].risk == Risk.SHORT
    assert [gap.risk for gap in gaps] == sorted((gap.risk for gap in gaps), reverse=True)
    assert gaps[0].risk == Risk.EMPTY
    assert all(gap.shift.starts_at < timezone.now() + timedelta(weeks=4) for gap in gaps)


def test_capability_overview_finds_the_single_key_holder_and_what_expires(
    world: World, rota: Rota
) -> None:
    only_key_holder = volunteer(world, rota.opportunity)
    holds(only_key_holder, rota.key_holder, until=timezone.localdate() + timedelta(days=20))
    holds(staff_participant(world), rota.dbs)
    covers = {cover.capability.name: cover for cover in capability_overview(world.service_a)}
    key = covers["Key-holder"]
    assert key.single_point_of_failure
    assert key.expiring == [(only_key_holder.reference, timezone.localdate() + timedelta(days=20))]
    assert len(covers["DBS check"].holders) == 2  # the volunteer's and the staff member's
    assert not covers["DBS check"].single_point_of_failure
