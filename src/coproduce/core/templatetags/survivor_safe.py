"""Whether a page shows the quick exit, and where it leads.

A page shows it when it belongs to a sensitive service (a refuge): the view's context
holds the service, or something of the service's (a form, an event, a consultation, a
role, a forum, a meeting, a campaign), directly or through its activity, forum or event;
or the view says whether it does (``sensitive`` in the context).
Sign-in, sign-up and account pages show it always: a survivor reaches them from the
refuge's pages. Nothing here names the service: the link leads to a neutral site.
"""

from typing import Any

from django import template
from django.conf import settings

register = template.Library()

# The context names under which views pass a service or something of a service's.
SUBJECTS = (
    "service",
    "questionnaire",
    "event",
    "consultation",
    "opportunity",
    "role",
    "forum",
    "meeting",
    "action",
    "campaign",
    "activity",
)
# Each step from a subject towards its service.
STEPS = ("service", "activity", "forum", "event")
ALWAYS = frozenset({"accounts"})


def is_sensitive(subject: object) -> bool:
    """Whether ``subject`` is a sensitive service or belongs to one (three steps at most)."""
    for _ in range(3):
        sensitive = getattr(subject, "sensitive", None)
        if isinstance(sensitive, bool):
            return sensitive
        subject = next(
            (found for step in STEPS if (found := getattr(subject, step, None)) is not None),
            None,
        )
    return False


@register.simple_tag(takes_context=True)
def quick_exit_url(context: template.Context) -> str:
    """The neutral site when this page needs a quick exit, else an empty string."""
    request: Any = context.get("request")
    match = getattr(request, "resolver_match", None)
    # A view that already knows says so (``sensitive``), sparing the walk's queries.
    known = context.get("sensitive")
    needed = getattr(match, "namespace", None) in ALWAYS or (
        known if isinstance(known, bool) else any(is_sensitive(context.get(n)) for n in SUBJECTS)
    )
    return str(settings.COPRODUCE_QUICK_EXIT_URL) if needed else ""
