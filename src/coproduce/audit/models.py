"""Which records' changes are kept, and the history models that keep them.

Every history model lives in this app (``app="coproduce.audit"``), so no other app's models or
migrations change. Records residents write in volume (form responses and answers, the
participation ledger, replies to events, supports, votes) are not tracked: their writes
must stay as fast as they are. Free text, contact details, encrypted fields and links to
a person are never copied (``records.is_private``).
"""

from dataclasses import dataclass
from typing import Any

import simple_history
from django.db import models

from coproduce.audit.records import ReviewRecords, is_private
from coproduce.campaigns.models import Campaign, CampaignLink
from coproduce.consultations.models import FormVersion, Question, Questionnaire, Section
from coproduce.deliberation.models import Comment, Consultation, Document, Proposal
from coproduce.engagement.models import Activity
from coproduce.events.models import Event
from coproduce.forums.models import ActionPoint, Forum, Meeting
from coproduce.impact.models import (
    Collection,
    FinancialProxy,
    HourRates,
    Income,
    Indicator,
    InstrumentLicence,
    Outcome,
    PriceIndexPoint,
    SocialValueAnalysis,
    Valuation,
)
from coproduce.measurement.models import Instrument, SurveyWave
from coproduce.organisations.models import (
    Membership,
    Organisation,
    Partnership,
    Service,
    ServiceBacking,
)
from coproduce.volunteering.models import (
    Application,
    Closure,
    HoursEntry,
    Opportunity,
    Shift,
    ShiftPattern,
    TrainingSession,
)
from coproduce.votes.models import Ballot, Option

# Never shown as a change: they change with every save.
UNSHOWN_FIELDS = frozenset({"created_at", "updated_at"})


@dataclass(frozen=True)
class Tracked:
    """One kind of record whose staff changes are kept."""

    model: type[models.Model]
    organisation: str  # the lookup from a history row to its organisation
    label: str = ""  # the field that names a record on the audit page ("" for its number)
    kept: tuple[str, ...] = ()  # decisions on residents' records: the only fields kept
    excluded: tuple[str, ...] = ()  # besides the private fields

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    @property
    def history(self) -> Any:
        return self.model.history  # type: ignore[attr-defined]


SERVICE = "service__provider"
ACTIVITY = "activity__service__provider"
REVIEW = ("status", "moderated_by", "moderated_at", "consultation")
APPROVAL = ("status", "reviewed_by", "reviewed_at", "opportunity")

TRACKED = (
    Tracked(Organisation, "id", "name"),
    Tracked(Service, "provider", "name"),
    Tracked(ServiceBacking, SERVICE, "kind"),
    Tracked(Partnership, "source", "kind"),
    Tracked(Membership, "organisation", "role"),
    Tracked(Activity, SERVICE, "title"),
    Tracked(Campaign, ACTIVITY, "title"),
    Tracked(CampaignLink, f"campaign__{ACTIVITY}", "code"),
    Tracked(Event, ACTIVITY, "title"),
    Tracked(Forum, SERVICE, "name"),
    Tracked(Meeting, f"forum__{SERVICE}", "starts_at"),
    Tracked(ActionPoint, SERVICE, excluded=("source_detail", "submission_key")),
    Tracked(Questionnaire, SERVICE, "title"),
    Tracked(FormVersion, f"questionnaire__{SERVICE}", "number"),
    Tracked(Section, f"version__questionnaire__{SERVICE}", "title"),
    Tracked(Question, f"version__questionnaire__{SERVICE}", "key"),
    Tracked(Consultation, ACTIVITY, "title"),
    Tracked(Document, f"consultation__{ACTIVITY}", "title"),
    Tracked(Comment, f"consultation__{ACTIVITY}", kept=REVIEW),
    Tracked(Proposal, f"consultation__{ACTIVITY}", kept=REVIEW),
    Tracked(Ballot, ACTIVITY, "title"),
    Tracked(Option, f"ballot__{ACTIVITY}", "title"),
    Tracked(Opportunity, SERVICE, "title"),
    Tracked(ShiftPattern, f"opportunity__{SERVICE}", "weekday"),
    Tracked(Shift, f"opportunity__{SERVICE}", "starts_at"),
    Tracked(Closure, SERVICE, "day"),
    Tracked(TrainingSession, SERVICE, "held_on"),
    Tracked(Application, f"opportunity__{SERVICE}", kept=APPROVAL),
    Tracked(HoursEntry, f"opportunity__{SERVICE}", kept=(*APPROVAL, "worked_on", "hours")),
    Tracked(Outcome, SERVICE, "title"),
    Tracked(Indicator, f"outcome__{SERVICE}", "title"),
    Tracked(InstrumentLicence, "organisation", "instrument"),
    Tracked(Collection, SERVICE, "instrument"),
    Tracked(FinancialProxy, "organisation", "name"),
    Tracked(PriceIndexPoint, "organisation", "year"),
    Tracked(HourRates, "organisation"),
    Tracked(SocialValueAnalysis, SERVICE, "year"),
    Tracked(Valuation, f"analysis__{SERVICE}"),
    Tracked(Income, SERVICE, "received_on", excluded=("note",)),
    Tracked(Instrument, "owner", "name"),
    Tracked(SurveyWave, "owner", "label"),
)
TRACKED_BY_KEY = {tracked.key: tracked for tracked in TRACKED}


def _excluded(tracked: Tracked) -> list[str]:
    fields = tracked.model._meta.concrete_fields
    if tracked.kept:
        return [f.name for f in fields if f.name not in tracked.kept and not f.primary_key]
    return [f.name for f in fields if is_private(f) or f.name in tracked.excluded]


for _tracked in TRACKED:
    simple_history.register(
        _tracked.model,
        app="coproduce.audit",  # the module that holds the history models
        excluded_fields=_excluded(_tracked),
        records_class=ReviewRecords if _tracked.kept else None,
    )
