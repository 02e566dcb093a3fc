"""Bots kept out of public forms without a CAPTCHA, which would shut out people who use
a screen reader, a switch or a slow connection.

Two checks, both invisible to a person:

* a **honeypot**: a text field hidden from sight and from screen readers, out of the tab
  order and never autofilled, which only a program filling every field fills;
* a **signed time** of when the form was shown (``{% antispam_fields %}`` writes it), so
  a form sent faster than ``ANTISPAM_MIN_SECONDS`` after it was shown, or with a time
  forged or older than ``ANTISPAM_MAX_AGE_HOURS``, is refused.

A refused form is shown again with what was typed and one message that does not say
which check failed; the time is issued afresh each time a form is drawn, so sending
again after a moment goes through. Nothing already saved is touched by a refusal.
``ANTISPAM_TIMING`` turns the time check off (the honeypot stays), for tests that are
not about it.
"""

import logging
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.forms import Form
from django.utils.translation import gettext_lazy as _

HONEYPOT = "website"
SHOWN_AT = "form_shown_at"
_SALT = "coproduce.antispam.shown-at"
REFUSAL = _(
    "We could not accept this form. Please check your answers, wait a moment and send it again."
)

logger = logging.getLogger(__name__)


def shown_at_token() -> str:
    """The signed time a form is shown at."""
    return signing.dumps(time.time(), salt=_SALT)


def problem(data: Mapping[str, Any]) -> str:
    """Why a sent form looks sent by a program (for the log), or "" if it does not."""
    if data.get(HONEYPOT):
        return "honeypot filled"
    if not settings.ANTISPAM_TIMING:
        return ""
    max_age = settings.ANTISPAM_MAX_AGE_HOURS * 3600
    try:
        shown = float(signing.loads(str(data.get(SHOWN_AT, "")), salt=_SALT, max_age=max_age))
    except signing.SignatureExpired:
        return "form shown too long ago"
    except (signing.BadSignature, TypeError, ValueError):
        return "form time missing or forged"
    if time.time() - shown < settings.ANTISPAM_MIN_SECONDS:
        return "sent too fast"
    return ""


def _refusal() -> ValidationError:
    return ValidationError(REFUSAL, code="antispam")


def _found(data: Mapping[str, Any]) -> bool:
    found = problem(data)
    if found:
        logger.info("Form refused as sent by a program: %s", found)
    return bool(found)


class AntispamFormMixin:
    """A form that refuses what a program sends (put it before ``forms.Form``); its
    template holds ``{% antispam_fields %}`` inside the ``<form>``."""

    data: Mapping[str, Any]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        if _found(self.data):
            raise _refusal()
        return cleaned


def refuse(form: Form) -> bool:
    """For a view that reads a sent form's values whether or not it is valid: put the
    refusal on the form if a program seems to have sent it, and say whether it did."""
    if not _found(form.data):
        return False
    form.add_error(None, _refusal())
    return True
