"""Forms of the volunteering pages: they parse and check input; the services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.forms import GovukFormMixin

from .models import ApplicationSource, Capability, CapabilityKind
from .services import OpportunityDetails, PatternDetails

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class ApplicationForm(GovukFormMixin, forms.Form):
    source = forms.ChoiceField(
        label=_("How did you hear about this role?"),
        choices=ApplicationSource.choices,
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Anything you would like us to know"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )


class OpportunityForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label=_("Role"), max_length=200)
    description = forms.CharField(
        label=_("What the role involves"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    time_commitment = forms.CharField(
        label=_("Time it takes"),
        max_length=200,
        required=False,
        help_text=_("Such as: one Saturday morning a month"),
    )
    wanted = forms.ModelMultipleChoiceField(
        label=_("Skills wanted"),
        queryset=Capability.objects.exclude(kind=CapabilityKind.CHECK),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    checks = forms.ModelMultipleChoiceField(
        label=_("Checks required"),
        queryset=Capability.objects.filter(kind=CapabilityKind.CHECK),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Such as a DBS check for a role with children or vulnerable adults."),
    )

    def details(self) -> OpportunityDetails:
        data = self.cleaned_data
        return OpportunityDetails(
            title=data["title"],
            description=data["description"],
            time_commitment=data["time_commitment"],
            wanted=data["wanted"],
            checks=data["checks"],
        )


class PatternForm(GovukFormMixin, forms.Form):
    weekday = forms.TypedChoiceField(label=_("Day"), choices=WEEKDAYS, coerce=int)
    starts = forms.TimeField(label=_("Starts"), widget=_TIME)
    ends = forms.TimeField(label=_("Ends"), widget=_TIME)
    needed = forms.IntegerField(label=_("Volunteers needed"), min_value=1, max_value=50)
    needs = forms.ModelMultipleChoiceField(
        label=_("Someone on the shift with"),
        queryset=Capability.objects.exclude(kind=CapabilityKind.CHECK),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    valid_from = forms.DateField(label=_("From"), widget=_DATE)
    valid_until = forms.DateField(label=_("Until"), widget=_DATE, required=False)

    def details(self) -> PatternDetails:
        data = self.cleaned_data
        return PatternDetails(
            weekday=data["weekday"],
            starts=data["starts"],
            ends=data["ends"],
            needed=data["needed"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            needs=data["needs"],
        )


class HoursForm(GovukFormMixin, forms.Form):
    role = forms.TypedChoiceField(label=_("Role"), coerce=int)
    worked_on = forms.DateField(label=_("Day"), widget=_DATE)
    hours = forms.DecimalField(
        label=_("Hours"), min_value=0.25, max_value=24, decimal_places=2, max_digits=4
    )
    note = forms.CharField(label=_("What you did"), max_length=300, required=False)

    def __init__(self, *args: Any, roles: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles  # type: ignore[attr-defined]


class ClosureForm(GovukFormMixin, forms.Form):
    day = forms.DateField(label=_("Day"), widget=_DATE)
    reason = forms.CharField(label=_("Why"), max_length=300)


class CapabilityRecordForm(GovukFormMixin, forms.Form):
    reference = forms.CharField(
        label=_("The person's reference"),
        max_length=12,
        help_text=_("Such as P-7KQ2-9XD3"),
    )
    capability = forms.ModelChoiceField(
        label=_("Skill, training or check"), queryset=Capability.objects.all()
    )
    obtained_on = forms.DateField(label=_("Gained on"), widget=_DATE)
    expires_on = forms.DateField(label=_("Expires on"), widget=_DATE, required=False)
    provider = forms.CharField(
        label=_("Given by"),
        max_length=200,
        required=False,
        help_text=_("Such as Eastmere County Council"),
    )


class TrainingSessionForm(GovukFormMixin, forms.Form):
    capability = forms.ModelChoiceField(
        label=_("Course"), queryset=Capability.objects.filter(kind=CapabilityKind.TRAINING)
    )
    held_on = forms.DateField(label=_("Held on"), widget=_DATE)
    provider = forms.CharField(
        label=_("Given by"),
        max_length=200,
        required=False,
        help_text=_("Such as Eastmere County Council"),
    )
    valid_for_months = forms.IntegerField(
        label=_("Valid for (months)"),
        min_value=1,
        max_value=120,
        required=False,
        help_text=_("Leave empty if it does not expire."),
    )
    references = forms.CharField(
        label=_("Who came"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Their references, one a line or separated by commas."),
    )

    def clean_references(self) -> list[str]:
        raw: str = self.cleaned_data["references"]
        return [part for part in raw.replace(",", "\n").split() if part]


class SwapForm(GovukFormMixin, forms.Form):
    reference = forms.CharField(
        label=_("The reference of the volunteer taking your shift"),
        max_length=12,
        help_text=_("They find it on their account page, such as P-7KQ2-9XD3."),
    )
