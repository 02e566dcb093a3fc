"""GOV.UK Frontend styling and accessible error wiring for every form."""

import secrets
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.widgets import Input
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_WIDGET_CLASSES = {
    forms.Select: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.CheckboxInput: "govuk-checkboxes__input",
    Input: "govuk-input",
}


class GovukFormMixin:
    """Give widgets the GOV.UK classes and tie hints and errors to their inputs."""

    fields: dict[str, forms.Field]
    errors: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            for widget_type, css_class in _WIDGET_CLASSES.items():
                if isinstance(widget, widget_type):
                    widget.attrs.setdefault("class", css_class)
                    break
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def is_valid(self) -> bool:
        valid: bool = super().is_valid()  # type: ignore[misc]
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                described = f"{attrs.get('aria-describedby', '')} id_{name}-error".strip()
                attrs["aria-describedby"] = described
                attrs["aria-invalid"] = "true"
        return valid


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when the form has that field,
    otherwise above the form (the error summary shows both)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def datetime_field(label: "StrOrPromise", help_text: "StrOrPromise") -> forms.DateTimeField:
    """A date and time in the browser's own picker, with a plain-words error."""
    return forms.DateTimeField(
        label=label,
        help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        error_messages={"invalid": _("Enter a date and time, such as 2026-05-14 18:30.")},
    )


def date_field(label: "StrOrPromise", help_text: "StrOrPromise" = "") -> forms.DateField:
    """A day in the browser's own picker, with a plain-words error."""
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, such as 2026-05-14.")},
    )


def new_submission_key() -> str:
    """A random key for one sending of a form, so that sending it twice counts once."""
    return secrets.token_urlsafe(24)


def submission_key_field() -> forms.CharField:
    return forms.CharField(widget=forms.HiddenInput, max_length=64)
