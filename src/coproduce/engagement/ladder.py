"""How each form of engagement sits on Arnstein's ladder of citizen participation.

The five forms follow the IAP2 spectrum (inform, consult, involve, collaborate,
empower), which lines up with the study's four forms of engagement plus *empower*.
Each form has a default rung; staff may move an activity to another rung inside the
form's allowed range, recording why (e.g. a "consultation" whose answers change nothing
is placation at best, or an "involvement" with a real vote is partnership). Outside the
range the form itself is wrong: choose another form instead.

| form | default rung | allowed rungs |
|---|---|---|
| inform | 3 informing | 1 manipulation – 3 informing |
| consult | 4 consultation | 2 therapy – 5 placation |
| involve | 5 placation | 4 consultation – 6 partnership |
| collaborate | 6 partnership | 5 placation – 7 delegated power |
| empower | 7 delegated power | 6 partnership – 8 citizen control |
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EngagementForm(models.TextChoices):
    INFORM = "inform", _("Inform")
    CONSULT = "consult", _("Consult")
    INVOLVE = "involve", _("Involve")
    COLLABORATE = "collaborate", _("Collaborate")
    EMPOWER = "empower", _("Empower")


class Rung(models.IntegerChoices):
    """Arnstein (1969), from non-participation through tokenism to citizen power."""

    MANIPULATION = 1, _("Manipulation")
    THERAPY = 2, _("Therapy")
    INFORMING = 3, _("Informing")
    CONSULTATION = 4, _("Consultation")
    PLACATION = 5, _("Placation")
    PARTNERSHIP = 6, _("Partnership")
    DELEGATED_POWER = 7, _("Delegated power")
    CITIZEN_CONTROL = 8, _("Citizen control")

    @property
    def tier(self) -> str:
        if self <= Rung.THERAPY:
            return str(_("Non-participation"))
        if self <= Rung.PLACATION:
            return str(_("Tokenism"))
        return str(_("Citizen power"))


DEFAULT_RUNG: dict[EngagementForm, Rung] = {
    EngagementForm.INFORM: Rung.INFORMING,
    EngagementForm.CONSULT: Rung.CONSULTATION,
    EngagementForm.INVOLVE: Rung.PLACATION,
    EngagementForm.COLLABORATE: Rung.PARTNERSHIP,
    EngagementForm.EMPOWER: Rung.DELEGATED_POWER,
}

ALLOWED_RUNGS: dict[EngagementForm, range] = {
    EngagementForm.INFORM: range(Rung.MANIPULATION, Rung.INFORMING + 1),
    EngagementForm.CONSULT: range(Rung.THERAPY, Rung.PLACATION + 1),
    EngagementForm.INVOLVE: range(Rung.CONSULTATION, Rung.PARTNERSHIP + 1),
    EngagementForm.COLLABORATE: range(Rung.PLACATION, Rung.DELEGATED_POWER + 1),
    EngagementForm.EMPOWER: range(Rung.PARTNERSHIP, Rung.CITIZEN_CONTROL + 1),
}


class CoStage(models.TextChoices):
    """Loeffler's four Co's of the service cycle."""

    COMMISSION = "commission", _("Co-commissioning")
    DESIGN = "design", _("Co-design")
    DELIVER = "deliver", _("Co-delivery")
    ASSESS = "assess", _("Co-assessment")


class CitizenRole(models.TextChoices):
    """Voorberg, Bekkers and Tummers (2015)."""

    CO_IMPLEMENTER = "co-implementer", _("Co-implementer")
    CO_DESIGNER = "co-designer", _("Co-designer")
    INITIATOR = "initiator", _("Initiator")
    NONE = "none", _("None")


class OutreachChannel(models.TextChoices):
    """How an activity reaches people (the study's list of publicity and routes in)."""

    LEAFLET = "leaflet", _("Leaflet")
    WEBSITE = "website", _("Website")
    SOCIAL_MEDIA = "social-media", _("Social media")
    TELEPHONE_HOTLINE = "hotline", _("Telephone hotline")
    COMMUNITY_EVENT = "community-event", _("Community event")
    LOCAL_MAGAZINE = "local-magazine", _("Local magazine")
    WELCOME_PACK = "welcome-pack", _("Welcome pack")
    PRIVATE_POSTER = "private-poster", _("Poster in a private place, such as a toilet door")
    AGENCY_REFERRAL = "agency-referral", _("Referral by another agency")
    SCHOOL = "school", _("School")
    NOTICEBOARD = "noticeboard", _("Noticeboard")
    OTHER = "other", _("Other")
