from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.forms import GovukFormMixin
from coproduce.organisations.models import Role


class MembershipAddForm(GovukFormMixin, forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("The person creates their own account first, then tells you its username."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
