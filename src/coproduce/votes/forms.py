"""Forms of the vote pages: they parse and check input; the services decide."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.forms import GovukFormMixin, datetime_field

from .models import Ballot, BallotKind, Option
from .services import MAX_CODES, BallotDetails, OptionDetails


class BallotForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    question = forms.CharField(
        label=_("What is being decided"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Say what happens with the result, and who decides if it is a tie."),
    )
    kind = forms.ChoiceField(
        label=_("Kind of vote"), choices=BallotKind.choices, widget=forms.RadioSelect
    )
    budget = forms.DecimalField(
        label=_("Budget (£)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
        help_text=_("For a participatory budget: the money residents share out."),
    )
    opens_at = datetime_field(_("Opens"), _("For example, 2026-05-14 09:00"))
    closes_at = datetime_field(_("Closes"), _("For example, 2026-06-14 17:00"))
    districts = forms.CharField(
        label=_("Postcode districts"),
        required=False,
        help_text=_(
            "Signed-in residents of these districts vote without a code, such as EM4, EM5. "
            "Leave empty if everyone votes with a code."
        ),
    )
    options = forms.CharField(
        label=_("Options"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One option a line. For a participatory budget, put its cost after a vertical "
            "bar, such as: New benches on the green | 3000"
        ),
    )

    @staticmethod
    def initial_for(ballot: Ballot) -> dict[str, Any]:
        lines = [
            f"{o.title} | {o.cost}" if ballot.kind == BallotKind.BUDGET else o.title
            for o in ballot.options.all()
        ]
        return {
            "title": ballot.title,
            "question": ballot.question,
            "kind": ballot.kind,
            "budget": ballot.budget,
            "opens_at": ballot.opens_at,
            "closes_at": ballot.closes_at,
            "districts": ", ".join(ballot.districts),
            "options": "\n".join(lines),
        }

    def clean_districts(self) -> list[str]:
        raw: str = self.cleaned_data["districts"]
        return [part.strip().upper() for part in raw.replace(";", ",").split(",") if part.strip()]

    def clean_options(self) -> list[OptionDetails]:
        options = []
        for number, line in enumerate(self.cleaned_data["options"].splitlines(), start=1):
            if not line.strip():
                continue
            title, _bar, cost = line.partition("|")
            try:
                amount = Decimal(cost.strip().replace(",", "").lstrip("£") or "0")
            except InvalidOperation:
                raise forms.ValidationError(
                    _("Line %(n)s: the cost after the bar must be a number.") % {"n": number}
                ) from None
            if not title.strip():
                raise forms.ValidationError(_("Line %(n)s has no title.") % {"n": number})
            if len(title.strip()) > 200:
                raise forms.ValidationError(
                    _("Line %(n)s: keep a title under 200 characters.") % {"n": number}
                )
            options.append(OptionDetails(title=title.strip(), cost=amount))
        return options

    def details(self) -> BallotDetails:
        data = self.cleaned_data
        return BallotDetails(
            title=data["title"],
            question=data["question"],
            kind=BallotKind(data["kind"]),
            budget=data["budget"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            districts=data["districts"],
            options=data["options"],
        )


class VoteForm(GovukFormMixin, forms.Form):
    """A ballot paper: one option (a vote) or projects within the budget."""

    code = forms.CharField(
        label=_("Voting code"),
        max_length=20,
        required=False,
        help_text=_("From your letter or the card you were given, such as V-7KQ2-9XD3."),
    )

    def __init__(self, *args: Any, ballot: Ballot, needs_code: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options: list[Option] = list(ballot.options.all())
        choices = [(str(o.pk), o.title) for o in options]
        if ballot.kind == BallotKind.BUDGET:
            self.fields["options"] = forms.TypedMultipleChoiceField(
                label=_("Projects"),
                choices=choices,
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": _("Choose at least one project.")},
            )
        else:
            self.fields["options"] = forms.TypedChoiceField(
                label=_("Your choice"),
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose one option.")},
            )
        self.fields["options"].error_messages["invalid_choice"] = _(
            "Choose from the options of this vote."
        )
        code = self.fields["code"]
        if needs_code:
            code.required = True
            code.error_messages["required"] = _("Enter your voting code.")
        else:
            code.help_text = _(
                "Only if your postcode district is not one of those listed: the code from "
                "your letter or card."
            )

    def option_ids(self) -> list[int]:
        chosen = self.cleaned_data["options"]
        return list(chosen) if isinstance(chosen, list) else [chosen]


class CodesForm(GovukFormMixin, forms.Form):
    count = forms.IntegerField(
        label=_("How many codes"),
        min_value=1,
        max_value=MAX_CODES,
        help_text=_("One for each household letter or each person at the meeting."),
    )
    batch = forms.CharField(
        label=_("What they are for"),
        max_length=100,
        help_text=_("Such as: Letters to Ashmere Parva households, or Parish meeting 12 May."),
    )
