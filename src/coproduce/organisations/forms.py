from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.forms import GovukFormMixin
from coproduce.organisations.models import Role


class MembershipAddForm(GovukFormMixin, forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("The person creates their own account first, then tells you its username."),
        error_messages={"required": _("Enter the username of the person to add.")},
    )
    # No preselected role: giving someone a manager's rights must be a deliberate choice.
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[("", _("Choose a role")), *Role.choices],
        error_messages={"required": _("Choose the role this person will have.")},
    )
