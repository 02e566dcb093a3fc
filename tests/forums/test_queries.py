from typing import Any

from django.test import Client

from coproduce.accounts.services import participant_create
from coproduce.forums.models import ActionPoint, Meeting
from coproduce.forums.services import RaisedPoint, action_publish, action_raise, meeting_check_in
from tests.conftest import World


def _points(world: World, meeting: Meeting, count: int) -> None:
    for number in range(count):
        person = participant_create(user=None)
        meeting_check_in(meeting=meeting, participant=person, checked_in_by=None)
        action, _created = action_raise(
            service=world.service_a,
            point=RaisedPoint(
                said=f"Point {number}",
                meeting=meeting,
                raised_by=person,
                anonymous=number % 2 == 0,
                owner=world.users["staff of A"],
            ),
            raised_by_user=None,
        )
        action_publish(action=action, published=True, published_by=None)


def _count(
    world: World,
    meeting: Meeting,
    persona: str | None,
    path: str,
    number: int,
    django_assert_max_num_queries: Any,
) -> None:
    _points(world, meeting, number)
    client = Client()
    if persona:
        client.force_login(world.users[persona])  # type: ignore[arg-type]
    with django_assert_max_num_queries(QUERIES[path]) as captured:
        assert client.get(path.format(service=world.service_a.reference)).status_code == 200
    return len(captured)


# Service, count, page; and for staff also session, login, two-factor device and the
# permission check.
QUERIES = {
    "/forums/services/{service}/you-said-we-did/": 3,
    "/forums/services/{service}/actions/": 7,
}


def test_the_board_does_not_grow_with_its_points(
    world: World, meeting: Meeting, django_assert_max_num_queries: Any
) -> None:
    path = "/forums/services/{service}/you-said-we-did/"
    few = _count(world, meeting, None, path, 3, django_assert_max_num_queries)
    many = _count(world, meeting, None, path, 20, django_assert_max_num_queries)
    assert few == many
    assert ActionPoint.objects.count() == 23


def test_the_action_log_does_not_grow_with_its_points(
    world: World, meeting: Meeting, django_assert_max_num_queries: Any
) -> None:
    path = "/forums/services/{service}/actions/"
    few = _count(world, meeting, "staff of A", path, 3, django_assert_max_num_queries)
    many = _count(world, meeting, "staff of A", path, 20, django_assert_max_num_queries)
    assert few == many
