"""The words of volunteering emails: a volunteer's reminder, a manager's alert.

A sensitive service's volunteers get no reminder (see ``tasks.remind_volunteers``):
someone else may read it.
"""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import Shift, Signup


def _when(shift: Shift) -> str:
    start = timezone.localtime(shift.starts_at)
    end = timezone.localtime(shift.ends_at)
    return f"{formats.date_format(start, 'DATETIME_FORMAT')} – {formats.time_format(end)}"


def reminder_message(signup: Signup) -> tuple[str, str]:
    shift = signup.shift
    subject = _("Your shift at %(service)s") % {"service": shift.opportunity.service.name}
    lines = [
        _("This is a reminder of your shift: %(when)s.") % {"when": _when(shift)},
        _("If you cannot come, cancel it on your shifts page so someone else can take it."),
        _("Your reference: %(reference)s") % {"reference": signup.participant.reference},
    ]
    return subject, "\n\n".join(lines)


def short_shift_message(shift: Shift, booked: int) -> tuple[str, str]:
    subject = _("A shift is short of volunteers: %(when)s") % {"when": _when(shift)}
    body = _(
        "%(role)s, %(when)s: %(booked)s of %(needed)s volunteers have booked. "
        "See the staffing gaps on the volunteering page."
    ) % {
        "role": shift.opportunity.title,
        "when": _when(shift),
        "booked": booked,
        "needed": shift.needed,
    }
    return subject, body
