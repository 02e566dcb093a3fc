"""Every URL of the events app, with the status each persona gets for a GET."""

from datetime import timedelta

from django.utils import timezone

from coproduce.engagement.ladder import CitizenRole, CoStage, EngagementForm
from coproduce.engagement.models import Activity
from coproduce.engagement.services import ActivityPlan, activity_create
from coproduce.events.models import Event
from coproduce.events.services import Contact, EventDetails, event_create, rsvp_create_anonymous
from tests.conftest import World
from tests.matrix import ANYONE_SIGNED_IN, EVERYONE, PERSONAS, Expectations, only, post_only

MATRIX_EVENT = "Permission matrix talk"
RUNNERS = ("staff of A", "manager of A", "superuser")


def matrix_event(world: World) -> Event:
    found = Event.objects.filter(title=MATRIX_EVENT).first()
    if found is not None:
        return found
    activity = Activity.objects.filter(service=world.service_a, title=MATRIX_EVENT).first()
    if activity is None:
        activity = activity_create(
            service=world.service_a,
            plan=ActivityPlan(
                title=MATRIX_EVENT,
                form=EngagementForm.INFORM,
                co_stage=CoStage.DELIVER,
                citizen_role=CitizenRole.NONE,
                starts_on=timezone.localdate(),
            ),
            created_by=None,
        )
    starts = timezone.now() + timedelta(days=3)
    return event_create(
        activity=activity,
        details=EventDetails(
            title=MATRIX_EVENT, starts_at=starts, ends_at=starts + timedelta(hours=1)
        ),
        created_by=None,
        publish=True,
    )


def expectations(world: World) -> Expectations:
    event = matrix_event(world).pk
    # A fresh anonymous reply each call: its private link is shown only once.
    token = rsvp_create_anonymous(event=Event(pk=event), contact=Contact(nickname="M")).token
    service = world.service_a.reference
    return {
        "events:service_events": (f"/events/services/{service}/", EVERYONE),
        "events:service_calendar": (f"/events/services/{service}/calendar.ics", EVERYONE),
        "events:event": (f"/events/{event}/", EVERYONE),
        # Replying and cancelling are POST only. Anyone may reply; whoever holds a
        # reply's private link may cancel it.
        "events:rsvp": (f"/events/{event}/rsvp/", dict.fromkeys(PERSONAS, 405), tuple(PERSONAS)),
        "events:my_rsvp_cancel": post_only(f"/events/{event}/rsvp/cancel/", *ANYONE_SIGNED_IN),
        # Whoever holds the private link sees the reply: the link is the key.
        "events:rsvp_manage": (f"/events/replies/{token}/", EVERYONE),
        "events:rsvp_cancel": (
            f"/events/replies/{token}/cancel/",
            dict.fromkeys(PERSONAS, 405),
            tuple(PERSONAS),
        ),
        "events:manage_service": (f"/events/manage/services/{service}/", only(*RUNNERS)),
        "events:event_create": (f"/events/manage/services/{service}/new/", only(*RUNNERS)),
        "events:attendees": (f"/events/manage/{event}/", only(*RUNNERS)),
        "events:event_edit": (f"/events/manage/{event}/edit/", only(*RUNNERS)),
        # Staff actions are POST only; a GET is refused before anything else.
        "events:event_publish": post_only(f"/events/manage/{event}/publish/", *RUNNERS),
        "events:event_cancel": post_only(f"/events/manage/{event}/cancel/", *RUNNERS),
        "events:check_in": post_only(f"/events/manage/{event}/check-in/", *RUNNERS),
        "events:walk_ins": post_only(f"/events/manage/{event}/walk-ins/", *RUNNERS),
    }
