from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.audit.models import TRACKED
from coproduce.audit.selectors import Filters
from coproduce.core.forms import GovukFormMixin, date_field

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _kind_choices() -> list[tuple[str, "StrOrPromise"]]:
    kinds = sorted((str(t.model._meta.verbose_name), t.key) for t in TRACKED)
    return [("", _("Every kind")), *((key, name.capitalize()) for name, key in kinds)]


class AuditFilterForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of record"), required=False, choices=_kind_choices)
    person = forms.CharField(
        label=_("Person"),
        help_text=_("The username of the person who made the change."),
        required=False,
        max_length=150,
    )
    since = date_field(_("From"))
    until = date_field(_("To"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["since"].required = False
        self.fields["until"].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date must be the same as or after the start date."))
        return cleaned

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(data["kind"], data["person"].strip(), data["since"], data["until"])
