from collections.abc import Iterator
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.models import (
    Demographics,
    Disability,
    EmploymentStatus,
    Ethnicity,
    Gender,
    User,
)
from coproduce.accounts.selectors import logins_with_email
from coproduce.core.antispam import AntispamFormMixin
from coproduce.core.choices import AgeBand
from coproduce.core.forms import GovukFormMixin


class SignInForm(GovukFormMixin, AuthenticationForm):
    pass


class SignUpForm(AntispamFormMixin, GovukFormMixin, forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_(
            "Anything you like: it need not be your name. Letters, digits and @ . + - _ only."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        help_text=_("Only if you want to. You can take part without one."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Passphrase"),
        strip=False,
        help_text=_("At least 12 characters. Three random words are easy to remember."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Passphrase again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        user_model = get_user_model()
        user_model.username_validator(username)
        if user_model.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("That username is taken. Choose another."))
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password, again = cleaned.get("password"), cleaned.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", _("The two passphrases are not the same."))
        elif password:
            candidate = get_user_model()(username=cleaned.get("username", ""))
            try:
                validate_password(password, candidate)
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned


_DEMOGRAPHIC_CHOICES: dict[str, type[models.TextChoices]] = {
    "age_band": AgeBand,
    "gender": Gender,
    "employment_status": EmploymentStatus,
    "disability": Disability,
    "ethnicity": Ethnicity,
}


class DemographicsForm(GovukFormMixin, forms.ModelForm):
    consent = forms.BooleanField(
        label=_("I agree that Coproduce keeps these answers to see who takes part"),
        required=False,
        help_text=_(
            "They are kept apart from your login and shown only as totals. Untick this to "
            "delete them."
        ),
    )

    # Longer than the model allows, so that a full postcode gets the helpful message below
    # rather than a bare "at most 4 characters".
    postcode_district = forms.CharField(
        label=_("Postcode district"),
        max_length=10,
        required=False,
        help_text=_("The first half of a postcode only, such as EM4: never the full postcode."),
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, options in _DEMOGRAPHIC_CHOICES.items():
            field = cast(forms.ChoiceField, self.fields[name])  # model choices make one
            field.choices = [("", _("Not answered")), *options.choices]

    class Meta:
        model = Demographics
        fields = [
            "age_band",
            "gender",
            "employment_status",
            "disability",
            "ethnicity",
            "postcode_district",
        ]

    def clean_postcode_district(self) -> str:
        value: str = self.cleaned_data["postcode_district"].strip().upper().replace(" ", "")
        if value and not (2 <= len(value) <= 4 and value[0].isalpha() and value.isalnum()):
            raise ValidationError(
                _("Enter the first half of a postcode only, such as EM4 or SW1A.")
            )
        return value

    def answers(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TwoFactorCodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The 6-digit code your authenticator app shows now, or a backup code."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input govuk-input--width-10",
            }
        ),
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        return "".join(code.split())


class PassphraseResetForm(GovukFormMixin, PasswordResetForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def get_users(self, email: str) -> Iterator[User]:
        # Addresses are encrypted: found by their digest, not by SQL's ``iexact``.
        yield from (user for user in logins_with_email(email) if user.has_usable_password())


class NewPassphraseForm(GovukFormMixin, SetPasswordForm):
    new_password1 = forms.CharField(
        label=_("New passphrase"),
        strip=False,
        help_text=_("At least 12 characters. Three random words are easy to remember."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New passphrase again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
