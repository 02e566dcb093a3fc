"""Forms of the social value and cost pages: they parse input; the services decide (so
a share outside 0–100 % or a proxy without a source is refused there, by field)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.forms import GovukFormMixin, date_field
from coproduce.organisations.models import Service

from .costs import default_volunteer_rate
from .instruments import measure_choices
from .models import FinancialProxy, IncomeKind, Outcome, Valuation
from .value_services import (
    FIRST_YEAR,
    LAST_YEAR,
    IncomePlan,
    ProxyPlan,
    ValuationPlan,
    proxies_usable_by,
)

SOURCE_NEEDED = _("Enter the source: a value without a source is not used.")


def _amount(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=12,
        decimal_places=2,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


def _share(label: Any, help_text: Any) -> forms.DecimalField:
    field = _amount(label, help_text=help_text)
    field.initial = Decimal("0")
    field.widget.attrs["class"] = "govuk-input govuk-input--width-4"
    return field


def _currency() -> forms.CharField:
    return forms.CharField(
        label=_("Currency"),
        max_length=3,
        initial="GBP",
        help_text=_("Three letters (ISO 4217), such as GBP or EUR."),
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-3"}),
    )


class YearForm(forms.Form):
    """The year a page is about (?year=), this year when none is asked."""

    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def chosen(self) -> int:
        if self.is_valid():
            return int(self.cleaned_data["year"])
        return timezone.localdate().year


class ProxyForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    unit = forms.CharField(
        label=_("What one unit is"),
        max_length=300,
        help_text=_("Such as: one person who moved from isolated to not isolated, for a year"),
    )
    value = _amount(_("Value of one unit"))
    low = _amount(_("Low value"), required=False)
    high = _amount(_("High value"), required=False)
    currency = _currency()
    price_year = forms.IntegerField(
        label=_("Price year"), help_text=_("The year whose prices the value is in.")
    )
    source = forms.CharField(
        label=_("Source"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The publication the value comes from: author, title, year, table."),
        error_messages={"required": SOURCE_NEEDED},
    )
    source_url = forms.URLField(
        label=_("Address of the source"), required=False, assume_scheme="https"
    )
    licence_note = forms.CharField(
        label=_("Licence note"),
        max_length=300,
        required=False,
        help_text=_("Such as: HACT Social Value Bank, used under our licence no. 1234"),
    )
    measure = forms.ChoiceField(
        label=_("Measure it values"),
        required=False,
        help_text=_("When set, the quantity can come from the results of this measure."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        none = ("", _("None: the quantity is entered"))
        self.fields["measure"].choices = [none, *measure_choices()]  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(proxy: FinancialProxy) -> dict[str, Any]:
        names = ("name", "unit", "value", "low", "high", "currency", "price_year", "source")
        return {name: getattr(proxy, name) for name in (*names, "source_url", "licence_note")} | {
            "measure": proxy.measure
        }

    def plan(self) -> ProxyPlan:
        return ProxyPlan(**self.cleaned_data)


class PriceIndexForm(GovukFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"))
    value = forms.DecimalField(label=_("Index value"), max_digits=10, decimal_places=4)
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        error_messages={"required": SOURCE_NEEDED},
        help_text=_("Such as: HM Treasury GDP deflator, March 2025 (2022-23 = 100)"),
    )


class HourRatesForm(GovukFormMixin, forms.Form):
    currency = _currency()
    staff = _amount(_("What an hour of staff time is worth"))
    volunteer = _amount(
        _("What an hour of volunteer time is worth"),
        help_text=_("The platform’s default is the setting COPRODUCE_VOLUNTEER_HOUR_VALUE."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The field's own default (read from the settings now), so that a form built with
        # no stored rates (initial=None) still offers it.
        self.fields["volunteer"].initial = default_volunteer_rate()


class AnalysisForm(GovukFormMixin, forms.Form):
    discount_rate = forms.DecimalField(
        label=_("Discount rate (%)"),
        max_digits=5,
        decimal_places=2,
        initial=Decimal("3.5"),
        # xgettext:no-python-format
        help_text=_("3.5 % is the HM Treasury Green Book rate."),
    )


class ValuationForm(GovukFormMixin, forms.Form):
    quantity = _amount(
        _("Quantity"),
        required=False,
        help_text=_(
            "Such as the people who improved. Leave empty to take it from the results: the "
            "mean change times the pairs (for the WELLBY, life satisfaction)."
        ),
    )
    quantity_note = forms.CharField(
        label=_("Where the quantity comes from"), max_length=300, required=False
    )
    deadweight = _share(_("Deadweight (%)"), _("The share that would have happened anyway."))
    attribution = _share(_("Attribution (%)"), _("The share due to others."))
    displacement = _share(_("Displacement (%)"), _("The share only moved from elsewhere."))
    drop_off = _share(_("Drop-off (%)"), _("The share lost each year after the first."))
    duration = forms.IntegerField(label=_("Duration (years)"), initial=1)

    def __init__(self, *args: Any, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {
            "outcome": forms.ModelChoiceField(
                label=_("Outcome"), queryset=Outcome.objects.filter(service=service)
            ),
            "proxy": forms.ModelChoiceField(
                label=_("Financial proxy"),
                queryset=proxies_usable_by(service.provider),
            ),
            **self.fields,
        }
        for name in ("outcome", "proxy"):
            self.fields[name].widget.attrs["class"] = "govuk-select"

    @staticmethod
    def initial_of(valuation: Valuation) -> dict[str, Any]:
        names = ("outcome", "proxy", "quantity", "quantity_note", "duration")
        shares = ("deadweight", "attribution", "displacement", "drop_off")
        return {name: getattr(valuation, name) for name in (*names, *shares)}

    def plan(self) -> ValuationPlan:
        return ValuationPlan(**self.cleaned_data)


class IncomeForm(GovukFormMixin, forms.Form):
    received_on = date_field(_("Received on"), _("The day the money arrived."))
    source = forms.CharField(
        label=_("From"),
        max_length=200,
        help_text=_("Such as: Eastmere County Council, or the National Lottery Community Fund"),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=IncomeKind.choices)
    amount = _amount(_("Amount"))
    currency = _currency()
    note = forms.CharField(
        label=_("Note"), max_length=300, required=False,
        help_text=_("Such as what the grant is for, or the period it covers"),
    )  # fmt: skip

    def plan(self) -> IncomePlan:
        return IncomePlan(**self.cleaned_data)
