"""Forms of the impact pages: they parse input; the services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.forms import GovukFormMixin, new_submission_key, submission_key_field
from coproduce.engagement.models import Activity
from coproduce.organisations.models import Service

from .instruments import Instrument, measure_choices
from .models import Outcome, StandardOutcome
from .services import IndicatorPlan, OutcomePlan, WaveEntry


def _activities(service: Service) -> "forms.ModelMultipleChoiceField[Activity]":
    return forms.ModelMultipleChoiceField(
        label=_("Activities that lead to it"),
        queryset=Activity.objects.filter(service=service).order_by("title"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class OutcomeForm(GovukFormMixin, forms.Form):
    standard = forms.ChoiceField(
        label=_("Standard outcome"),
        choices=[("", _("None: the service’s own outcome")), *StandardOutcome.choices],
        required=False,
        help_text=_(
            "The outcomes found in the study and in the UK review of community involvement."
        ),
    )
    title = forms.CharField(
        label=_("Name of the outcome"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the standard outcome’s name."),
    )
    outputs = forms.CharField(
        label=_("Outputs: what the activities produce"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Such as: 40 knit and natter sessions a year, 15 regulars"),
    )
    impact = forms.CharField(
        label=_("Impact: the longer-term change it serves"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activities"] = _activities(service)

    @classmethod
    def initial_of(cls, outcome: Outcome) -> dict[str, Any]:
        return {
            "standard": outcome.standard,
            "title": outcome.title,
            "outputs": outcome.outputs,
            "impact": outcome.impact,
            "activities": list(outcome.activities.all()),
        }

    def plan(self) -> OutcomePlan:
        data = self.cleaned_data
        return OutcomePlan(
            title=data["title"],
            standard=data["standard"],
            activities=list(data["activities"]),
            outputs=data["outputs"],
            impact=data["impact"],
        )


class IndicatorForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label=_("Indicator"), max_length=200)
    measure = forms.ChoiceField(
        label=_("Measured by"),
        required=False,
        help_text=_("A validated instrument’s measure, or a custom indicator."),
    )
    description = forms.CharField(
        label=_("How it is measured"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "Needed for a custom indicator, such as: former users who come back as volunteers"
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        custom = ("", _("Custom: described in words"))
        self.fields["measure"].choices = [custom, *measure_choices()]  # type: ignore[attr-defined]

    def plan(self) -> IndicatorPlan:
        data = self.cleaned_data
        return IndicatorPlan(
            title=data["title"], measure=data["measure"], description=data["description"]
        )


class SwitchOnForm(GovukFormMixin, forms.Form):
    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"] = forms.ModelChoiceField(
            label=_("Activity the answers count under"),
            queryset=Activity.objects.filter(service=service).order_by("title"),
            help_text=_("Each completed form is one participation record of this activity."),
        )


class LicenceForm(GovukFormMixin, forms.Form):
    holder = forms.CharField(
        label=_("Who holds the licence"),
        max_length=200,
        help_text=_("The organisation or person registered with the instrument’s owner."),
    )
    reference = forms.CharField(label=_("Registration or licence reference"), max_length=100)


class WaveEntryForm(GovukFormMixin, forms.Form):
    """One person's paper answers to an instrument: a radio group per item."""

    participant_reference = forms.CharField(
        label=_("The person’s reference"),
        max_length=12,
        help_text=_("The reference on their sheet, such as P-7KQ2-M9XD: it pairs their answers."),
    )
    entry_key = submission_key_field()

    def __init__(self, *args: Any, instrument: Instrument, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"entry_key": new_submission_key()})
        super().__init__(*args, **kwargs)
        for item in instrument.items:
            choices = (
                [(str(n), str(n)) for n in range(11)]
                if item.options is None
                else [(str(n), str(option.label)) for n, option in enumerate(item.options, start=1)]
            )
            self.fields[item.key] = forms.ChoiceField(
                label=item.text, help_text=item.hint, choices=choices, widget=forms.RadioSelect
            )
        self.items = [item.key for item in instrument.items]

    def entry(self) -> WaveEntry:
        data = self.cleaned_data
        return WaveEntry(
            participant_reference=data["participant_reference"],
            answers={item: data[item] for item in self.items},
            entry_key=data["entry_key"],
        )
