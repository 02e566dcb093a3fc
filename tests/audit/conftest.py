from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from coproduce.events.models import Event
from tests.conftest import World
from tests.events.conftest import make_activity, make_event


def client_of(world: World, persona: str) -> Client:
    client = Client()
    user = world.users[persona]
    assert user is not None
    client.force_login(user)
    return client


def edit_capacity(client: Client, event: Event, capacity: int) -> None:
    """The event's edit page, as its staff use it: only the capacity changes."""
    starts = timezone.localtime(event.starts_at)
    response = client.post(
        f"/events/manage/{event.pk}/edit/",
        {
            "title": event.title,
            "description": event.description,
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "place": event.place,
            "capacity": capacity,
        },
    )
    assert response.status_code == 302, response.content


@pytest.fixture
def event(world: World) -> Event:
    return make_event(make_activity(world.service_a), capacity=20)
