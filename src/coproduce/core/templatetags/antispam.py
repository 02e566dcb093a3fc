"""``{% antispam_fields %}``: the honeypot and the signed time a form is shown at
(core/antispam.py), drawn afresh each time the form is."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from coproduce.core import antispam

register = template.Library()


@register.simple_tag
def antispam_fields() -> SafeString:
    context = {
        "honeypot": antispam.HONEYPOT,
        "shown_at": antispam.SHOWN_AT,
        "token": antispam.shown_at_token(),
    }
    return render_to_string("core/antispam_fields.html", context)
