"""Forms of the events pages: they parse and check input; the services decide."""

import secrets
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.antispam import AntispamFormMixin
from coproduce.core.forms import GovukFormMixin, datetime_field
from coproduce.engagement.ladder import EngagementForm
from coproduce.engagement.models import Activity
from coproduce.organisations.models import Service

from .models import Event, Rsvp
from .services import FORM_TOKEN, Contact, EventDetails


class EventForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    starts_at = datetime_field(_("Starts"), _("For example, 2026-05-14 18:30"))
    ends_at = datetime_field(_("Ends"), _("For example, 2026-05-14 20:00"))
    place = forms.CharField(
        label=_("Place"),
        max_length=300,
        required=False,
        help_text=_("For a sensitive service, only people with a place will see it."),
    )
    capacity = forms.IntegerField(
        label=_("Number of places"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=_(
            "Leave empty for no limit. When the event is full, people join a waiting list."
        ),
        error_messages={"min_value": _("Enter 1 or more places, or leave it empty.")},
    )

    def __init__(self, *args: Any, is_new: bool, **kwargs: Any) -> None:
        self.is_new = is_new
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        if self.is_new and starts and starts <= timezone.now():
            self.add_error("starts_at", _("A new event must start in the future."))
        return data

    def details(self) -> EventDetails:
        data = self.cleaned_data
        return EventDetails(
            title=data["title"],
            description=data["description"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place=data["place"],
            capacity=data["capacity"],
        )

    @staticmethod
    def initial_for(event: Event) -> dict[str, Any]:
        return {
            "title": event.title,
            "description": event.description,
            "starts_at": timezone.localtime(event.starts_at),
            "ends_at": timezone.localtime(event.ends_at),
            "place": event.place,
            "capacity": event.capacity,
        }


class EventCreateForm(EventForm):
    activity = forms.ModelChoiceField(
        label=_("Activity"),
        queryset=Activity.objects.none(),
        required=False,
        empty_label=_("A new activity for this event"),
        help_text=_("A series, such as a weekly group, is one activity with many events."),
    )
    engagement_form = forms.ChoiceField(
        label=_("Form of engagement of a new activity"),
        choices=EngagementForm.choices,
        initial=EngagementForm.INVOLVE,
    )

    field_order = ["activity", "engagement_form"]

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, is_new=True, **kwargs)
        activity = self.fields["activity"]
        if isinstance(activity, forms.ModelChoiceField):
            activity.queryset = Activity.objects.filter(service=service).order_by("title")


class RsvpForm(AntispamFormMixin, GovukFormMixin, forms.Form):
    nickname = forms.CharField(
        label=_("Name to give at the door"),
        max_length=60,
        help_text=_("A first name or a nickname is enough."),
    )
    email = forms.EmailField(label=_("Email address"), required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=20, required=False)
    remind = forms.BooleanField(
        label=_("Email me a reminder the day before, and any news of my place"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("remind") and not data.get("email"):
            self.add_error("email", _("Enter an email address to get a reminder."))
        return data

    def contact(self) -> Contact:
        data = self.cleaned_data
        return Contact(
            nickname=data["nickname"],
            email=data["email"],
            phone=data["phone"],
            remind=data["remind"],
        )


class CheckInForm(forms.Form):
    rsvps = forms.ModelMultipleChoiceField(
        queryset=Rsvp.objects.none(),
        error_messages={"required": _("Tick at least one person who came.")},
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["rsvps"]
        if isinstance(field, forms.ModelMultipleChoiceField):
            field.queryset = (
                Rsvp.objects.filter(event=event)
                .exclude(status="cancelled")
                .select_related("participant")
            )


class WalkInForm(GovukFormMixin, forms.Form):
    people = forms.IntegerField(
        label=_("People who came without replying"),
        min_value=1,
        max_value=1000,
        help_text=_("Counted anonymously: no names."),
        error_messages={"min_value": _("Enter 1 or more people.")},
    )
    form_token = forms.RegexField(
        regex=FORM_TOKEN,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("The form has expired: reload the page and try again.")},
    )

    @staticmethod
    def fresh_token() -> str:
        return secrets.token_urlsafe(16)
