"""Every write about survey instruments, waves, their answers and their results.

One function per use case, keyword-only, in a transaction. ``*_by=None`` is a trusted
caller with no person behind it (a management command, the demo loader, a migration).
"""

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

import pandas as pd
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from coproduce.accounts.models import User
from coproduce.analysis.responses import (
    FileFormat,
    ResponsesError,
    SurveyResponses,
    read_officials,
    read_responses,
)
from coproduce.organisations.models import Organisation, Service
from coproduce.places.models import Area

from . import rows
from .models import (
    Answer,
    Audience,
    Instrument,
    InstrumentItem,
    InstrumentSector,
    OfficialEstimate,
    Respondent,
    ResultStatus,
    SurveyWave,
    WaveResult,
)
from .permissions import require_wave_runner
from .results import ResultsError, compute_results
from .standard import InstrumentSpec, read_instrument_file, standard_instrument_files
from .tasks import recompute_wave

logger = logging.getLogger(__name__)


@transaction.atomic
def instruments_load_standard() -> list[Instrument]:
    """Create the standard instruments that are missing; return those created.

    Idempotent: a version already in the database is left exactly as it is, because a
    published version is never edited (a new wording ships as a new version file).
    """
    created = []
    for path in standard_instrument_files():
        spec = read_instrument_file(path)
        if not Instrument.objects.filter(slug=spec.slug, version=spec.version).exists():
            created.append(_instrument_from_spec(spec))
    return created


def _instrument_from_spec(spec: InstrumentSpec) -> Instrument:
    instrument = Instrument.objects.create(
        slug=spec.slug,
        version=spec.version,
        name=spec.name,
        description=spec.description,
        audience=spec.audience,
        scale_max=spec.scale_max,
        scale_labels=spec.scale_labels,
        questions=spec.questions,
        published=True,
    )
    for position, sector_spec in enumerate(spec.sectors):
        sector = InstrumentSector.objects.create(
            instrument=instrument, code=sector_spec.code, label=sector_spec.label, order=position
        )
        InstrumentItem.objects.bulk_create(
            InstrumentItem(
                instrument=instrument,
                sector=sector,
                code=item.code,
                text=item.text,
                tag=item.tag,
                order=order,
            )
            for order, item in enumerate(sector_spec.items)
        )
    return instrument


@transaction.atomic
def instrument_new_version(
    *, base: Instrument, owner: Organisation, created_by: User | None, name: str = ""
) -> Instrument:
    """A draft copy of ``base`` for ``owner``, with all its sectors and items.

    The owner's next version of its own instrument keeps the slug; a copy of the
    standard (or another organisation's) instrument gets the owner's slug in front, so
    that two organisations' copies never compete for the same version number.
    """
    require_wave_runner(created_by, owner)
    slug = base.slug if base.owner_id == owner.pk else f"{owner.slug}-{base.slug}"[:80]
    latest = Instrument.objects.filter(slug=slug).aggregate(v=Max("version"))["v"] or 0
    copy = Instrument.objects.create(
        slug=slug,
        version=latest + 1,
        name=name or base.name,
        description=base.description,
        audience=base.audience,
        scale_max=base.scale_max,
        scale_labels=base.scale_labels,
        questions=base.questions,
        owner=owner,
        based_on=base,
        published=False,
    )
    for sector in base.sectors.prefetch_related("items"):
        new_sector = InstrumentSector.objects.create(
            instrument=copy, code=sector.code, label=sector.label, order=sector.order
        )
        InstrumentItem.objects.bulk_create(
            InstrumentItem(
                instrument=copy,
                sector=new_sector,
                code=item.code,
                text=item.text,
                tag=item.tag,
                order=item.order,
            )
            for item in sector.items.all()
        )
    return copy


def _require_draft(instrument: Instrument, user: User | None) -> None:
    if instrument.owner is None:
        raise PermissionDenied
    require_wave_runner(user, instrument.owner)
    if instrument.published:
        raise ValidationError(
            _("A published instrument cannot change: make a new version of it instead.")
        )


@transaction.atomic
def instrument_sector_add(
    *, instrument: Instrument, code: str, label: str, changed_by: User | None
) -> InstrumentSector:
    _require_draft(instrument, changed_by)
    order = instrument.sectors.aggregate(o=Max("order"))["o"]
    sector = InstrumentSector(
        instrument=instrument, code=code, label=label, order=0 if order is None else order + 1
    )
    sector.full_clean()
    sector.save()
    return sector


@transaction.atomic
def instrument_item_add(
    *, sector: InstrumentSector, code: str, text: str, tag: str, changed_by: User | None
) -> InstrumentItem:
    _require_draft(sector.instrument, changed_by)
    order = sector.items.aggregate(o=Max("order"))["o"]
    item = InstrumentItem(
        instrument=sector.instrument,
        sector=sector,
        code=code,
        text=text,
        tag=tag,
        order=0 if order is None else order + 1,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def instrument_publish(*, instrument: Instrument, published_by: User | None) -> Instrument:
    _require_draft(instrument, published_by)
    instrument.published = True
    instrument.save(update_fields=["published", "updated_at"])
    return instrument


@transaction.atomic
def wave_create(
    *,
    instrument: Instrument,
    owner: Organisation,
    area: Area,
    label: str,
    created_by: User | None,
    service: Service | None = None,
    fieldwork_start: date | None = None,
    fieldwork_end: date | None = None,
    weight_column: str = "weight",
    strata_column: str = "stratum",
    psu_column: str = "psu",
) -> SurveyWave:
    require_wave_runner(created_by, owner)
    if not instrument.published or instrument.audience != Audience.CITIZEN:
        raise ValidationError({"instrument": _("A wave needs a published citizens' instrument.")})
    if instrument.owner_id not in (None, owner.pk):
        raise ValidationError({"instrument": _("This instrument belongs to another organisation.")})
    wave = SurveyWave(
        instrument=instrument,
        owner=owner,
        area=area,
        service=service,
        label=label,
        fieldwork_start=fieldwork_start,
        fieldwork_end=fieldwork_end,
        weight_column=weight_column,
        strata_column=strata_column,
        psu_column=psu_column,
    )
    wave.full_clean()
    wave.save()
    return wave


@dataclass(frozen=True)
class ImportReport:
    respondents: int
    answers: int


def wave_import_responses(
    *,
    wave: SurveyWave,
    source: str | Path | BinaryIO,
    imported_by: User | None,
    file_format: FileFormat | None = None,
) -> ImportReport:
    """Import a survey file into ``wave``, replacing what an earlier import wrote.

    All or nothing: a file with any problem imports nothing and raises ValidationError
    with one message per problem ("line N: …"). Re-importing replaces every respondent
    and answer of the wave (a corrected file is the new truth); officials' estimates are
    kept. The wave's results are recomputed in the background once the import commits.
    """
    require_wave_runner(imported_by, wave.owner)
    sectors = wave.instrument.sectors.prefetch_related("items")
    try:
        responses = read_responses(
            source,
            scale_max=wave.instrument.scale_max,
            file_format=file_format,
            sectors=[sector.code for sector in sectors],
            items={sector.code: [item.code for item in sector.items.all()] for sector in sectors},
            weight_column=wave.weight_column or None,
        )
    except ResponsesError as error:
        raise ValidationError(list(error.errors)) from None
    return wave_store_responses(wave=wave, responses=responses, imported_by=imported_by)


@transaction.atomic
def wave_store_responses(
    *, wave: SurveyWave, responses: SurveyResponses, imported_by: User | None
) -> ImportReport:
    """Write already-read responses (a file's, or the demo's) in one transaction."""
    require_wave_runner(imported_by, wave.owner)
    answers = responses.answers
    lines = answers.groupby("respondent_id")["line"].min().to_dict() if len(answers) else {}
    try:
        new_respondents = rows.respondents_from_frame(
            wave=wave, respondents=responses.respondents, lines=lines
        )
    except rows.RowsError as error:
        raise ValidationError(error.errors) from None
    # Replacing, not merging: a respondent missing from the corrected file must go too.
    Respondent.objects.filter(wave=wave).delete()
    saved = Respondent.objects.bulk_create(new_respondents, batch_size=2000)
    items = {
        (item.sector.code, item.code): item
        for item in InstrumentItem.objects.filter(instrument=wave.instrument).select_related(
            "sector"
        )
    }
    try:
        new_answers = rows.answers_from_frame(
            answers=answers, respondents={r.key: r.pk for r in saved}, items=items
        )
    except rows.RowsError as error:
        raise ValidationError(error.errors) from None
    Answer.objects.bulk_create(new_answers, batch_size=5000)
    _recompute_after_commit(wave)
    return ImportReport(respondents=len(saved), answers=len(new_answers))


def wave_import_officials(
    *, wave: SurveyWave, source: str | Path | BinaryIO, imported_by: User | None
) -> int:
    """Replace the wave's officials' estimates with a file's; return how many were read."""
    require_wave_runner(imported_by, wave.owner)
    sectors = wave.instrument.sectors.values_list("code", flat=True)
    try:
        found = read_officials(source, sectors=list(sectors))
    except ResponsesError as error:
        raise ValidationError(list(error.errors)) from None
    estimates = [
        (str(key), str(sector), None if pd.isna(value) else float(value))
        for key, sector, value in found[["respondent_id", "sector", "expected_index"]].itertuples(
            index=False
        )
    ]
    return wave_store_officials(wave=wave, estimates=estimates, imported_by=imported_by)


@transaction.atomic
def wave_store_officials(
    *,
    wave: SurveyWave,
    estimates: list[tuple[str, str, float | None]],
    imported_by: User | None,
) -> int:
    """``estimates`` are (official's id, sector code, expected index or None)."""
    require_wave_runner(imported_by, wave.owner)
    sectors = dict(wave.instrument.sectors.values_list("code", "pk"))
    OfficialEstimate.objects.filter(wave=wave).delete()
    OfficialEstimate.objects.bulk_create(
        OfficialEstimate(wave=wave, key=key, sector_id=sectors[code], expected_index=value)
        for key, code, value in estimates
    )
    _recompute_after_commit(wave)
    return len(estimates)


def _recompute_after_commit(wave: SurveyWave) -> None:
    wave_id = wave.pk
    # After commit, so that a worker never reads a wave whose import is still open (or
    # was rolled back), and a failing task cannot undo the import.
    transaction.on_commit(lambda: recompute_wave.enqueue(wave_id=wave_id))


def wave_recompute(*, wave: SurveyWave) -> WaveResult:
    """Compute and store the wave's results; a failure is stored, never raised.

    This is the work of the background task: an exception escaping it would only be
    seen in a worker's log, while a failed result tells the wave's owner what to fix.
    """
    try:
        results = compute_results(wave)
    except ResultsError as error:
        return _failed(wave, str(error))
    except Exception as error:
        logger.exception("computing the results of wave %s failed", wave.pk)
        return _failed(
            wave,
            _("The results could not be computed: %(error)s")
            % {"error": f"{type(error).__name__}: {error}"},
        )
    return WaveResult.objects.create(wave=wave, status=ResultStatus.OK, results=results)


def _failed(wave: SurveyWave, message: str) -> WaveResult:
    return WaveResult.objects.create(wave=wave, status=ResultStatus.FAILED, message=message)
