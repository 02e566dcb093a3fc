"""The words of the emails the events app sends.

An email may be read by someone else. For a sensitive service the subject and body are
neutral: no service name, no event title, no place.
"""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import Rsvp


def _when(rsvp: Rsvp) -> str:
    return str(formats.date_format(timezone.localtime(rsvp.event.starts_at), "DATETIME_FORMAT"))


def _sensitive(rsvp: Rsvp) -> bool:
    return bool(rsvp.event.activity.service.sensitive)


def _details(rsvp: Rsvp) -> str:
    if _sensitive(rsvp):
        return _("When: %(when)s") % {"when": _when(rsvp)}
    lines = [
        _("Event: %(title)s") % {"title": rsvp.event.title},
        _("When: %(when)s") % {"when": _when(rsvp)},
    ]
    if rsvp.event.place:
        lines.append(_("Where: %(place)s") % {"place": rsvp.event.place})
    return "\n".join(lines)


def _signature(rsvp: Rsvp) -> str:
    return _("Your reference: %(reference)s") % {"reference": rsvp.participant.reference}


def reminder_message(rsvp: Rsvp) -> tuple[str, str]:
    subject = (
        _("Reminder")
        if _sensitive(rsvp)
        else _("Reminder: %(title)s") % {"title": rsvp.event.title}
    )
    body = "\n\n".join(
        [
            _("Hello %(nickname)s, this is a reminder that you have a place.")
            % {"nickname": rsvp.nickname},
            _details(rsvp),
            _("If you cannot come, please cancel with the private link you were given."),
            _signature(rsvp),
        ]
    )
    return subject, body


def promoted_message(rsvp: Rsvp) -> tuple[str, str]:
    subject = (
        _("You have a place")
        if _sensitive(rsvp)
        else _("You have a place: %(title)s") % {"title": rsvp.event.title}
    )
    body = "\n\n".join(
        [
            _("Hello %(nickname)s, a place came free and it is now yours.")
            % {"nickname": rsvp.nickname},
            _details(rsvp),
            _("If you cannot come, please cancel with the private link you were given."),
            _signature(rsvp),
        ]
    )
    return subject, body


def cancelled_message(rsvp: Rsvp) -> tuple[str, str]:
    subject = (
        _("Cancelled")
        if _sensitive(rsvp)
        else _("Cancelled: %(title)s") % {"title": rsvp.event.title}
    )
    body = "\n\n".join(
        [
            _("Hello %(nickname)s, we are sorry: this event has been cancelled.")
            % {"nickname": rsvp.nickname},
            _details(rsvp),
            _signature(rsvp),
        ]
    )
    return subject, body
