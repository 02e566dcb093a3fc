"""Forms of the public consultation pages: they parse and check input; the services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coproduce.core.antispam import AntispamFormMixin
from coproduce.core.forms import GovukFormMixin, datetime_field, submission_key_field

from .models import Consultation, Difference
from .services import DOCUMENT_MAX_BYTES, TEXT_MAX, ConsultationDetails

_NAME_HELP = _(
    "How your name shows next to what you write, such as Sam or A parent. "
    "Leave empty for “A resident”."
)
_TELL_ME = _("Tell me what was decided (by email, if your account has an email address)")


class ConsultationForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    question = forms.CharField(
        label=_("The question"),
        max_length=300,
        help_text=_(
            "One question people can answer, such as: "
            "How should the library use its Saturday mornings?"
        ),
    )
    background = forms.CharField(
        label=_("Background"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("What people need to know to answer: the choices, the money, what is fixed."),
    )
    opens_at = datetime_field(_("Opens"), _("For example, 2026-05-14 09:00"))
    closes_at = datetime_field(_("Closes"), _("For example, 2026-06-14 17:00"))
    takes_proposals = forms.BooleanField(
        label=_("Residents may make proposals that others support"), required=False
    )

    @staticmethod
    def initial_for(consultation: Consultation) -> dict[str, Any]:
        return {
            "title": consultation.title,
            "question": consultation.question,
            "background": consultation.background,
            "opens_at": consultation.opens_at,
            "closes_at": consultation.closes_at,
            "takes_proposals": consultation.takes_proposals,
        }

    def details(self) -> ConsultationDetails:
        data = self.cleaned_data
        return ConsultationDetails(
            title=data["title"],
            question=data["question"],
            background=data["background"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            takes_proposals=data["takes_proposals"],
        )


class DocumentForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label=_("Document title"), max_length=200)
    file = forms.FileField(label=_("PDF file"), help_text=_("A PDF of 10 MB or less."))

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > DOCUMENT_MAX_BYTES:
            raise forms.ValidationError(_("The file must be 10 MB or smaller."))
        data: bytes = upload.read()
        return data


class CommentForm(AntispamFormMixin, GovukFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 5}), max_length=TEXT_MAX
    )
    display_name = forms.CharField(
        label=_("Name shown"), max_length=60, required=False, help_text=_NAME_HELP
    )
    tell_me = forms.BooleanField(label=_TELL_ME, required=False)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)
    proposal = forms.IntegerField(widget=forms.HiddenInput, required=False)
    submission_key = submission_key_field()


class ReplyForm(CommentForm):
    text = forms.CharField(
        label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX
    )


class ProposalForm(AntispamFormMixin, GovukFormMixin, forms.Form):
    title = forms.CharField(label=_("Your proposal in a few words"), max_length=150)
    text = forms.CharField(
        label=_("What you propose, and why"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT_MAX,
    )
    display_name = forms.CharField(
        label=_("Name shown"), max_length=60, required=False, help_text=_NAME_HELP
    )
    tell_me = forms.BooleanField(label=_TELL_ME, required=False)
    submission_key = submission_key_field()


class ModerationForm(GovukFormMixin, forms.Form):
    publish = forms.TypedChoiceField(
        label=_("Publish it?"),
        choices=[("yes", _("Publish")), ("no", _("Do not publish"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Why not (the author sees this)"), max_length=300, required=False
    )


class ThemeForm(GovukFormMixin, forms.Form):
    said = forms.CharField(
        label=_("You said"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX,
        help_text=_("A theme from what people said, in their words where you can."),
    )
    we_did = forms.CharField(
        label=_("We did"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX,
        help_text=_("What the service did, or will do, or why it cannot."),
    )


class OutcomeForm(GovukFormMixin, forms.Form):
    outcome = forms.CharField(
        label=_("What was decided, and why"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT_MAX,
    )


class DifferenceForm(GovukFormMixin, forms.Form):
    answer = forms.ChoiceField(
        label=_("Did your input make a difference?"),
        choices=Difference.choices,
        widget=forms.RadioSelect,
    )
