"""The demo consultations: one decided with the loop closed, one open with input waiting."""

import pytest

from coproduce.deliberation.models import Consultation, Moderation, Proposal
from coproduce.deliberation.selectors import difference_report, published_comments
from coproduce.deliberation.services import is_closed, is_open
from coproduce.forums.models import ActionPoint, ActionSource

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_decided_consultation_and_an_open_one(demo_world: None) -> None:
    saturdays = Consultation.objects.get(title="Saturday mornings at the library")
    corner = Consultation.objects.get(title="A children's corner at Fennick Green")
    assert is_closed(saturdays)
    assert saturdays.outcome_published_at is not None
    assert is_open(corner)
    assert len(published_comments(saturdays)) == 6
    assert published_comments(saturdays)[0].replies.get().from_staff
    report = difference_report(saturdays)
    assert report.answers == 18
    assert report.percent_yes_or_partly == 88  # 14 of the 16 who were sure
    assert ActionPoint.objects.filter(source=ActionSource.CONSULTATION, published=True).exists()
    assert Proposal.objects.filter(consultation=corner, status=Moderation.PENDING).count() == 1
