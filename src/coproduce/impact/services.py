"""Every write about impact: the theory of change, indicators, licences and collections.

Each function checks permission first, validates everything before it writes, and runs
in one transaction, so a refusal leaves nothing half-saved. Switching an instrument on
builds its two forms through the consultations app's own services (create, add the
questions, publish), so those forms obey every rule any other form does.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from coproduce.accounts.models import User
from coproduce.consultations import services as consultations
from coproduce.consultations.answers import Raw
from coproduce.consultations.models import (
    QuestionKind,
    Questionnaire,
    ResponseChannel,
    ResponseMode,
    ResponseStatus,
)
from coproduce.engagement.models import Activity
from coproduce.organisations.models import Organisation, Service
from coproduce.organisations.permissions import require_manager, require_service_runner

from .instruments import INSTRUMENTS, Instrument, Item
from .models import (
    Collection,
    CollectionForm,
    Indicator,
    InstrumentLicence,
    Outcome,
    StandardOutcome,
    Wave,
)

# ---------------------------------------------------------------------------------------
# The theory of change


@dataclass(frozen=True)
class OutcomePlan:
    title: str = ""
    standard: str = ""
    activities: Iterable[Activity] = ()
    outputs: str = ""
    impact: str = ""


def _title_taken(service: Service, title: str, outcome: Outcome | None) -> bool:
    others = Outcome.objects.filter(service=service, title__iexact=title)
    if outcome is not None:
        others = others.exclude(pk=outcome.pk)
    return others.exists()


def _check_outcome(service: Service, plan: OutcomePlan, outcome: Outcome | None) -> str:
    """The outcome's title, checked with the rest of the plan; ValidationError by field."""
    errors: dict[str, str] = {}
    if plan.standard and plan.standard not in StandardOutcome.values:
        errors["standard"] = _("Choose one of the standard outcomes, or none.")
    title = plan.title.strip() or (
        str(StandardOutcome(plan.standard).label) if plan.standard in StandardOutcome.values else ""
    )
    if not title:
        errors["title"] = _("Name the outcome, or choose a standard one.")
    elif _title_taken(service, title, outcome):
        errors["title"] = _("This service already has an outcome with this name.")
    foreign = [activity.title for activity in plan.activities if activity.service_id != service.pk]
    if foreign:
        errors["activities"] = _(
            "These activities belong to another service: %(activities)s. Choose activities "
            "of this service."
        ) % {"activities": ", ".join(foreign)}
    if errors:
        raise ValidationError(errors)
    return title


def _apply_outcome(outcome: Outcome, plan: OutcomePlan, title: str) -> Outcome:
    outcome.title = title
    outcome.standard = plan.standard
    outcome.outputs = plan.outputs.strip()
    outcome.impact = plan.impact.strip()
    outcome.full_clean(exclude=["service", "created_by"], validate_unique=False)
    outcome.save()
    outcome.activities.set(list(plan.activities))
    return outcome


@transaction.atomic
def outcome_create(*, service: Service, plan: OutcomePlan, created_by: User | None) -> Outcome:
    if created_by is not None:
        require_service_runner(created_by, service)
    title = _check_outcome(service, plan, None)
    return _apply_outcome(Outcome(service=service, created_by=created_by), plan, title)


@transaction.atomic
def outcome_update(*, outcome: Outcome, plan: OutcomePlan, updated_by: User | None) -> Outcome:
    if updated_by is not None:
        require_service_runner(updated_by, outcome.service)
    title = _check_outcome(outcome.service, plan, outcome)
    return _apply_outcome(outcome, plan, title)


@dataclass(frozen=True)
class IndicatorPlan:
    title: str
    # "slug:measure" of an instrument's measure, or "" for a custom indicator.
    measure: str = ""
    description: str = ""


def _measure(plan: IndicatorPlan) -> tuple[str, str]:
    if not plan.measure:
        if not plan.description.strip():
            raise ValidationError(
                {"description": _("Say how a custom indicator is measured, or choose a measure.")}
            )
        return "", ""
    slug, _sep, key = plan.measure.partition(":")
    instrument = INSTRUMENTS.get(slug)
    if instrument is None or key not in {measure.key for measure in instrument.measures}:
        raise ValidationError({"measure": _("Choose one of the instruments’ measures.")})
    return slug, key


@transaction.atomic
def indicator_create(
    *, outcome: Outcome, plan: IndicatorPlan, created_by: User | None
) -> Indicator:
    if created_by is not None:
        require_service_runner(created_by, outcome.service)
    if not plan.title.strip():
        raise ValidationError({"title": _("Name the indicator.")})
    instrument, measure = _measure(plan)
    indicator = Indicator(
        outcome=outcome,
        title=plan.title.strip(),
        instrument=instrument,
        measure=measure,
        description=plan.description.strip(),
    )
    indicator.full_clean(exclude=["outcome"])
    indicator.save()
    return indicator


# ---------------------------------------------------------------------------------------
# Licences and collections


def _instrument(slug: str) -> Instrument:
    instrument = INSTRUMENTS.get(slug)
    if instrument is None:
        raise ValidationError({"instrument": _("There is no such instrument.")})
    return instrument


@transaction.atomic
def licence_confirm(
    *, organisation: Organisation, instrument: str, holder: str, reference: str, confirmed_by: User
) -> InstrumentLicence:
    """Record that the organisation holds the instrument's licence: who, and when."""
    require_manager(confirmed_by, organisation)
    if not _instrument(instrument).needs_licence:
        raise ValidationError({"instrument": _("This instrument needs no licence.")})
    errors = {}
    if not holder.strip():
        errors["holder"] = _("Say who holds the licence.")
    if not reference.strip():
        errors["reference"] = _("Enter the registration or licence reference.")
    if errors:
        raise ValidationError(errors)
    licence, _created = InstrumentLicence.objects.update_or_create(
        organisation=organisation,
        instrument=instrument,
        defaults={
            "holder": holder.strip(),
            "reference": reference.strip(),
            "confirmed_by": confirmed_by,
            "confirmed_at": timezone.now(),
        },
    )
    return licence


def licence_of(organisation: Organisation, instrument: str) -> InstrumentLicence | None:
    return InstrumentLicence.objects.filter(
        organisation=organisation, instrument=instrument
    ).first()


def _check_switch_on(service: Service, instrument: Instrument, activity: Activity) -> None:
    errors = {}
    if activity.service_id != service.pk:
        errors["activity"] = _("Choose an activity of this service.")
    if Collection.objects.filter(service=service, instrument=instrument.slug).exists():
        errors["instrument"] = _("%(instrument)s is already switched on for this service.") % {
            "instrument": instrument.name
        }
    if instrument.needs_licence and licence_of(service.provider, instrument.slug) is None:
        errors["licence"] = _(
            "%(instrument)s asks each organisation to register for a licence. A manager of "
            "%(provider)s must confirm the licence before it can be switched on."
        ) % {"instrument": instrument.name, "provider": service.provider.name}
    if errors:
        raise ValidationError(errors)


def _in_languages(text: StrOrPromise) -> consultations.Texts:
    """The text in English, and in Vietnamese and Welsh where it is translated (a form
    shows English where a translation is empty)."""
    with translation.override("en"):
        english = str(text)
    translated = []
    for code in ("vi", "cy"):
        with translation.override(code):
            other = str(text)
        translated.append(other if other != english else "")
    return consultations.Texts(english, *translated)


def _question_spec(item: Item) -> consultations.QuestionSpec:
    text, hint = _in_languages(item.text), _in_languages(item.hint)
    if item.options is None:
        return consultations.QuestionSpec(
            kind=QuestionKind.SCALE, text=text, help_text=hint, required=True
        )
    return consultations.QuestionSpec(
        kind=QuestionKind.SINGLE_CHOICE,
        text=text,
        help_text=hint,
        required=True,
        options=tuple(_in_languages(option.label) for option in item.options),
    )


WAVE_TITLES = {
    Wave.BASELINE: gettext_lazy("%(instrument)s: at the start"),
    Wave.FOLLOW_UP: gettext_lazy("%(instrument)s: later"),
}


def _wave_form(
    collection: Collection, instrument: Instrument, activity: Activity, wave: Wave, by: User | None
) -> CollectionForm:
    """One published pseudonymous form asking the instrument's items, for one wave."""
    with translation.override("en"):
        title = WAVE_TITLES[wave] % {"instrument": instrument.name}
        introduction = str(instrument.introduction)
    questionnaire = consultations.questionnaire_create(
        service=collection.service,
        plan=consultations.QuestionnairePlan(
            title=title,
            public_title=title,
            mode=ResponseMode.PSEUDONYMOUS,
            activity=activity,
            introduction=introduction,
        ),
        created_by=by,
    )
    section = consultations.section_add(
        questionnaire=questionnaire, title=_in_languages(instrument.slug.label), added_by=by
    )
    items = {}
    for item in instrument.items:
        question = consultations.question_add(
            section=section, spec=_question_spec(item), added_by=by
        )
        items[question.key] = item.key
    consultations.version_publish(questionnaire=questionnaire, published_by=by)
    return CollectionForm.objects.create(
        collection=collection, wave=wave, questionnaire=questionnaire, items=items
    )


@transaction.atomic
def collection_switch_on(
    *, service: Service, instrument: str, activity: Activity, switched_on_by: User | None
) -> Collection:
    """Ask the instrument at baseline and follow-up: two published forms, pseudonymous,
    counted under ``activity``."""
    if switched_on_by is not None:
        require_service_runner(switched_on_by, service)
    definition = _instrument(instrument)
    _check_switch_on(service, definition, activity)
    collection = Collection.objects.create(
        service=service,
        instrument=definition.slug,
        licence=licence_of(service.provider, definition.slug),
        switched_on_by=switched_on_by,
    )
    for wave in (Wave.BASELINE, Wave.FOLLOW_UP):
        _wave_form(collection, definition, activity, wave, switched_on_by)
    return collection


# ---------------------------------------------------------------------------------------
# Entering a wave's answers from paper


@dataclass(frozen=True)
class WaveEntry:
    participant_reference: str
    # What was written, by instrument item key.
    answers: Mapping[str, Raw] = field(default_factory=dict)
    entry_key: str = ""


def _has_baseline(collection: Collection, reference: str) -> bool:
    return Questionnaire.objects.filter(
        impact_wave__collection=collection,
        impact_wave__wave=Wave.BASELINE,
        responses__participant__reference=reference,
        responses__status=ResponseStatus.COMPLETE,
    ).exists()


def _by_item(error: ValidationError, form: CollectionForm) -> ValidationError:
    """The consultations' errors (keyed by question field) keyed by instrument item."""
    if not hasattr(error, "error_dict"):
        return error
    items = {f"q_{key}": item for key, item in form.items.items()}
    return ValidationError(
        {items.get(name, name): messages for name, messages in error.error_dict.items()}
    )


@transaction.atomic
def wave_answers_enter(
    *, form: CollectionForm, entry: WaveEntry, recorded_by: User | None
) -> tuple[int, bool]:
    """Type in one person's paper answers for a wave; (response id, False) if this entry
    was saved before. A follow-up needs the same person's baseline."""
    collection = form.collection
    if recorded_by is not None:
        require_service_runner(recorded_by, collection.service)
    reference = entry.participant_reference.strip().upper()
    if not reference:
        raise ValidationError(
            {"participant_reference": _("Enter the person’s reference: it pairs their answers.")}
        )
    if form.wave == Wave.FOLLOW_UP and not _has_baseline(collection, reference):
        raise ValidationError(
            {
                "participant_reference": _(
                    "%(reference)s has no baseline answers for this instrument: enter their "
                    "baseline first, or check the reference."
                )
                % {"reference": reference}
            }
        )
    keys = {item: key for key, item in form.items.items()}
    raw = {keys[item]: value for item, value in entry.answers.items() if item in keys}
    try:
        response, created = consultations.paper_response_enter(
            questionnaire=form.questionnaire,
            raw=raw,
            channel=ResponseChannel.PAPER,
            entry_key=entry.entry_key,
            recorded_by=recorded_by,
            participant_reference=reference,
        )
    except ValidationError as error:
        raise _by_item(error, form) from error
    return response.pk, created
