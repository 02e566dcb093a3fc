"""Forms of the forum pages: they parse input; the services decide what is allowed."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coproduce.accounts.models import Participant, User
from coproduce.core.forms import GovukFormMixin, submission_key_field
from coproduce.forums.models import (
    ActionSource,
    ActionStatus,
    Forum,
    ForumKind,
    MeetingChannel,
    MeetingStatus,
    RecurrenceKind,
    Weekday,
    WeekOfMonth,
)

_DATE = forms.DateInput(attrs={"type": "date"})


class ForumForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of forum"), choices=ForumKind.choices)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    channel = forms.ChoiceField(label=_("Usually meets"), choices=MeetingChannel.choices)
    recurrence = forms.ChoiceField(label=_("Repeats"), choices=RecurrenceKind.choices)
    interval = forms.IntegerField(
        label=_("Every how many days, weeks or months"),
        min_value=1,
        max_value=12,
        initial=1,
        help_text=_("For example 3 with “Every few weeks” for every three weeks."),
    )
    weekday = forms.TypedChoiceField(
        label=_("Weekday (monthly only)"),
        choices=[("", _("Not monthly")), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    week_of_month = forms.TypedChoiceField(
        label=_("Which one in the month (monthly only)"),
        choices=[("", _("Not monthly")), *WeekOfMonth.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    first_meeting_on = forms.DateField(label=_("Date of the first meeting"), widget=_DATE)
    meets_at = forms.TimeField(
        label=_("Time"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("24-hour clock"),
    )


class ScheduleForm(GovukFormMixin, forms.Form):
    until = forms.DateField(label=_("Plan meetings up to"), widget=_DATE)


class MinutesForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MeetingStatus.choices)
    agenda = forms.CharField(
        label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=_("Use no names: refer to people by their reference if needed."),
    )


def participant_by_reference_or_username(value: str) -> Participant | None:
    value = value.strip()
    return (
        Participant.objects.filter(Q(reference__iexact=value) | Q(user__username=value))
        .order_by("pk")
        .first()
    )


class CheckInForm(GovukFormMixin, forms.Form):
    person = forms.CharField(
        label=_("Reference or username"),
        max_length=150,
        help_text=_("The person's reference, such as P-7KQ2-9XD3, or their username."),
    )

    def clean_person(self) -> Participant:
        participant = participant_by_reference_or_username(self.cleaned_data["person"])
        if participant is None:
            raise forms.ValidationError(_("No one has that reference or username."))
        return participant


class UnregisteredForm(GovukFormMixin, forms.Form):
    people = forms.IntegerField(
        label=_("People who came without an account"), min_value=1, max_value=500
    )
    submission_key = submission_key_field()


class RaiseForm(GovukFormMixin, forms.Form):
    """What a person who came to a meeting fills in."""

    said = forms.CharField(
        label=_("What would you like to raise?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
    )
    anonymous = forms.BooleanField(
        label=_("Raise it anonymously"),
        required=False,
        help_text=_("No one, not even staff, will be able to see that you raised it."),
    )
    submission_key = submission_key_field()


class OwnerChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.username


class StaffActionForm(GovukFormMixin, forms.Form):
    """A point staff record: from a meeting, a consultation theme or elsewhere."""

    said = forms.CharField(
        label=_("You said"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    source = forms.ChoiceField(label=_("Where it came from"), choices=ActionSource.choices)
    forum = forms.ModelChoiceField(
        label=_("Forum"), queryset=Forum.objects.none(), required=False, empty_label=_("None")
    )
    source_detail = forms.CharField(
        label=_("Consultation or theme"),
        max_length=200,
        required=False,
        help_text=_("For a consultation: which one, and the theme its answers raised."),
    )
    raised_by = forms.CharField(
        label=_("Raised by (reference or username)"),
        max_length=150,
        required=False,
        help_text=_("Leave empty if the person did not give it or asked to stay anonymous."),
    )
    anonymous = forms.BooleanField(label=_("Raised anonymously"), required=False)
    owner = OwnerChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, empty_label=_("No one yet")
    )
    due_on = forms.DateField(label=_("Due"), widget=_DATE, required=False)
    submission_key = submission_key_field()

    def __init__(self, *args: Any, forums: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["forum"].queryset = forums  # type: ignore[attr-defined]
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]

    def clean_raised_by(self) -> Participant | None:
        value = self.cleaned_data["raised_by"].strip()
        if not value:
            return None
        participant = participant_by_reference_or_username(value)
        if participant is None:
            raise forms.ValidationError(_("No one has that reference or username."))
        return participant


class ActionUpdateForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    outcome = forms.CharField(
        label=_("We did"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Needed when the point is done or not possible; shown on the public board."),
    )
    owner = OwnerChoiceField(
        label=_("Owner"), queryset=User.objects.none(), required=False, empty_label=_("No one yet")
    )
    due_on = forms.DateField(label=_("Due"), widget=_DATE, required=False)
    note = forms.CharField(
        label=_("Note for the history"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Needed when reopening a point that was closed."),
    )

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]


class BoardFilterForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *ActionStatus.choices], required=False
    )
