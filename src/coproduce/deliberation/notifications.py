"""The words of the email that tells people the outcome of a consultation.

An email may be read by someone else: for a sensitive service it names neither the
service nor the consultation, and only points to the page.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.accounts.models import Participant

from .models import Consultation


def outcome_message(consultation: Consultation, participant: Participant) -> tuple[str, str]:
    link = settings.COPRODUCE_BASE_URL + reverse(
        "deliberation:consultation", args=[consultation.code]
    )
    if consultation.activity.service.sensitive:
        subject = _("An update for you")
        lines = [_("There is an update on something you took part in: %(link)s") % {"link": link}]
    else:
        subject = _("What was decided: %(title)s") % {"title": consultation.title}
        lines = [
            _("Thank you for taking part in “%(title)s”. This is what was decided, and why:")
            % {"title": consultation.title},
            consultation.outcome,
            _("Did your input make a difference? Tell us in one click: %(link)s") % {"link": link},
        ]
    lines.append(_("Your reference: %(reference)s") % {"reference": participant.reference})
    return subject, "\n\n".join(lines)
