"""The activity form: what staff say about an activity, as a ``services.ActivityPlan``.

The form only parses; the ladder rules (rung in the form's range, a reason for an
unusual rung, dates in order, no negative cost) live in ``services`` and come back as
``ValidationError``s that the view puts on the form, so nothing typed is lost.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coproduce.core.forms import GovukFormMixin
from coproduce.engagement.ladder import (
    ALLOWED_RUNGS,
    DEFAULT_RUNG,
    CitizenRole,
    CoStage,
    EngagementForm,
    OutreachChannel,
    Rung,
)
from coproduce.engagement.models import Activity
from coproduce.engagement.services import ActivityPlan


@dataclass(frozen=True)
class RungGuide:
    form: str
    usual: str
    low: str
    high: str


def rung_guide() -> list[RungGuide]:
    """Each form's usual rung and the rungs it may be moved to (ladder.py's table)."""
    return [
        RungGuide(
            form=str(form.label),
            usual=str(DEFAULT_RUNG[form].label),
            low=str(Rung(ALLOWED_RUNGS[form].start).label),
            high=str(Rung(ALLOWED_RUNGS[form].stop - 1).label),
        )
        for form in EngagementForm
    ]


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class ActivityForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    form = forms.ChoiceField(label=_("Form of engagement"), choices=EngagementForm.choices)
    rung = forms.TypedChoiceField(
        label=_("Rung on the ladder of participation"),
        choices=[("", _("The usual rung for the form")), *Rung.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Each form has a usual rung, and can be moved within a range if you say why."),
    )
    rung_reason = forms.CharField(
        label=_("Why this rung"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the rung is not the usual one for the form."),
    )
    co_stage = forms.ChoiceField(label=_("Stage of the service cycle"), choices=CoStage.choices)
    citizen_role = forms.ChoiceField(label=_("Citizens' role"), choices=CitizenRole.choices)
    channels = forms.MultipleChoiceField(
        label=_("How it reaches people"),
        choices=OutreachChannel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply."),
    )
    audience = forms.CharField(label=_("Audience"), max_length=300, required=False)
    starts_on = forms.DateField(
        label=_("Starts"), widget=_DateInput(), help_text=_("For example, 2026-03-27")
    )
    ends_on = forms.DateField(
        label=_("Ends"),
        widget=_DateInput(),
        required=False,
        help_text=_("Leave empty for an activity that goes on."),
    )
    # No minimum here: the service's own check says what is wrong with a negative cost.
    cost_amount = forms.DecimalField(
        label=_("Cost"), max_digits=14, decimal_places=2, initial=Decimal("0")
    )
    cost_currency = forms.CharField(
        label=_("Currency"),
        max_length=3,
        initial="GBP",
        help_text=_("Three letters, such as GBP or EUR."),
    )
    staff_hours = forms.DecimalField(
        label=_("Staff hours"), max_digits=9, decimal_places=2, initial=Decimal("0")
    )
    volunteer_hours = forms.DecimalField(
        label=_("Volunteer hours"), max_digits=9, decimal_places=2, initial=Decimal("0")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("cost_amount", "staff_hours", "volunteer_hours"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal"})
        self.fields["channels"].widget.attrs.pop("class", None)
        self.fields["cost_currency"].widget.attrs["class"] = "govuk-input govuk-input--width-3"

    @property
    def rung_guide(self) -> list[RungGuide]:
        return rung_guide()

    @classmethod
    def initial_for(cls, activity: Activity) -> dict[str, Any]:
        return {
            name: getattr(activity, name)
            for name in (
                "title",
                "description",
                "form",
                "rung",
                "rung_reason",
                "co_stage",
                "citizen_role",
                "channels",
                "audience",
                "starts_on",
                "ends_on",
                "cost_amount",
                "cost_currency",
                "staff_hours",
                "volunteer_hours",
            )
        }

    def plan(self) -> ActivityPlan:
        data = self.cleaned_data
        return ActivityPlan(
            title=data["title"],
            form=EngagementForm(data["form"]),
            co_stage=CoStage(data["co_stage"]),
            citizen_role=CitizenRole(data["citizen_role"]),
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            rung=Rung(data["rung"]) if data["rung"] is not None else None,
            rung_reason=data["rung_reason"],
            channels=tuple(OutreachChannel(c) for c in data["channels"]),
            audience=data["audience"],
            description=data["description"],
            cost_amount=data["cost_amount"],
            cost_currency=data["cost_currency"].upper(),
            staff_hours=data["staff_hours"],
            volunteer_hours=data["volunteer_hours"],
        )

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's ValidationError on the fields it names (the rest on the form)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "aria-invalid" not in attrs:
                    described = f"{attrs.get('aria-describedby', '')} id_{name}-error".strip()
                    attrs["aria-describedby"] = described
                    attrs["aria-invalid"] = "true"
