"""The shape of what staff type; what it means (dates, addresses) is checked by services."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from coproduce.core.forms import GovukFormMixin
from coproduce.engagement.ladder import OutreachChannel
from coproduce.engagement.models import Activity

_DATE_ERRORS = {"invalid": _("Enter a real date, for example 2026-03-31.")}
_CHANNEL_ERRORS = {
    "invalid_choice": _("“%(value)s” is not a channel. Choose from the list."),
}


def _date_field(
    label: StrOrPromise, *, required: bool, help_text: StrOrPromise = ""
) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={**_DATE_ERRORS, "required": _("Enter the date the campaign starts.")},
    )


class CampaignForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        help_text=_("The headline of the poster or leaflet."),
        error_messages={"required": _("Enter a title.")},
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few sentences; they are printed under the title."),
        error_messages={"required": _("Enter the message.")},
    )
    destination = forms.CharField(
        label=_("Where the link goes"),
        max_length=500,
        help_text=_(
            "A page of this site, such as /services/S-7KQ2-9XD3/, or a web address "
            "starting with https://."
        ),
        error_messages={"required": _("Enter where the link goes.")},
    )
    starts_on = _date_field(_("Starts"), required=True, help_text=_("For example, 2026-03-31."))
    ends_on = _date_field(
        _("Ends"),
        required=False,
        help_text=_("After this day the links show that the campaign has ended."),
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=OutreachChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each channel gets its own short link and QR code, counted separately."),
        error_messages={**_CHANNEL_ERRORS, "required": _("Choose at least one channel.")},
    )
    activity = forms.TypedChoiceField(
        label=_("Part of an activity"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose an activity from the list.")},
    )

    def __init__(self, *args: Any, activities: list[Activity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._activities = {activity.pk: activity for activity in activities}
        cast(forms.ChoiceField, self.fields["activity"]).choices = [
            ("", _("A new informing activity, named after the campaign")),
            *((activity.pk, activity.title) for activity in activities),
        ]

    def chosen_activity(self) -> Activity | None:
        pk = self.cleaned_data.get("activity")
        return self._activities.get(pk) if pk is not None else None

    def clean_destination(self) -> str:
        value: str = self.cleaned_data["destination"].strip()
        if not value:
            raise ValidationError(_("Enter where the link goes."))
        return value


class LinkAddForm(GovukFormMixin, forms.Form):
    channel = forms.ChoiceField(
        label=_("Channel"),
        error_messages={**_CHANNEL_ERRORS, "required": _("Choose a channel.")},
    )

    def __init__(self, *args: Any, taken: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["channel"]).choices = [
            ("", _("Choose a channel")),
            *((value, label) for value, label in OutreachChannel.choices if value not in taken),
        ]
