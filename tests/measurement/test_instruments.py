"""The standard instruments ship as data, and a published version never changes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from coproduce.measurement.models import Answer, Audience, Instrument, InstrumentItem
from coproduce.measurement.services import (
    instrument_item_add,
    instrument_new_version,
    instrument_publish,
    instrument_sector_add,
    instruments_load_standard,
    wave_create,
    wave_import_responses,
)
from coproduce.measurement.standard import read_instrument_file, standard_instrument_files
from tests.conftest import World
from tests.measurement.conftest import WriteSurvey


def _snapshot() -> list[tuple[object, ...]]:
    return sorted(
        InstrumentItem.objects.values_list(
            "instrument__slug", "instrument__version", "sector__code", "code", "text", "tag"
        )
    )


def test_the_standard_instruments_exist_after_migrate(db: None) -> None:
    citizens = Instrument.objects.get(slug="coproduction-in-your-area", version=1)
    officials = Instrument.objects.get(slug="officials-perceptions", version=1)
    assert citizens.published
    assert citizens.is_standard
    assert citizens.audience == Audience.CITIZEN
    assert citizens.scale_max == 3
    assert citizens.scale_labels == ["Never", "Occasionally", "Often", "Always"]
    assert list(citizens.sectors.values_list("code", flat=True)) == [
        "community-safety",
        "local-environment",
        "public-health",
    ]
    assert officials.audience == Audience.OFFICIAL
    assert officials.sectors.count() == 3
    assert not officials.items.exists()


def test_every_standard_sector_has_individual_and_collective_items(db: None) -> None:
    citizens = Instrument.objects.get(slug="coproduction-in-your-area", version=1)
    for sector in citizens.sectors.all():
        assert set(sector.items.values_list("tag", flat=True)) == {"individual", "collective"}
    questions = {question["code"] for question in citizens.questions}
    assert {"willing_to_do_more", "self_efficacy", "satisfaction", "age_band", "sex"} <= questions


def test_the_database_matches_the_shipped_files(db: None) -> None:
    for path in standard_instrument_files():
        spec = read_instrument_file(path)
        instrument = Instrument.objects.get(slug=spec.slug, version=spec.version)
        assert instrument.items.count() == sum(len(s.items) for s in spec.sectors)
        assert path.name == f"{spec.slug}.v{spec.version}.json"


def test_loading_the_standard_instruments_again_changes_nothing(db: None) -> None:
    before = _snapshot()
    assert instruments_load_standard() == []
    call_command("load_instruments")
    assert _snapshot() == before
    assert Instrument.objects.count() == 2


def test_loading_into_an_empty_database_creates_them(db: None) -> None:
    Instrument.objects.all().delete()
    created = instruments_load_standard()
    assert sorted(i.slug for i in created) == ["coproduction-in-your-area", "officials-perceptions"]
    assert InstrumentItem.objects.count() == 15


def test_a_new_version_copies_the_standard_one_for_the_organisation(
    world: World, standard: Instrument
) -> None:
    copy = instrument_new_version(
        base=standard, owner=world.library_a, created_by=world.users["manager of A"]
    )
    assert copy.slug == "library-a-coproduction-in-your-area"
    assert copy.version == 1
    assert copy.owner == world.library_a
    assert copy.based_on == standard
    assert not copy.published
    assert copy.items.count() == standard.items.count()
    again = instrument_new_version(base=copy, owner=world.library_a, created_by=None)
    assert (again.slug, again.version) == (copy.slug, 2)


def test_an_organisation_adds_sectors_and_items_to_its_draft(
    world: World, standard: Instrument
) -> None:
    manager = world.users["manager of A"]
    draft = instrument_new_version(base=standard, owner=world.library_a, created_by=manager)
    libraries = instrument_sector_add(
        instrument=draft, code="library", label="Libraries", changed_by=manager
    )
    instrument_item_add(
        sector=libraries,
        code="volunteer-shift",
        text="How often do you volunteer at the library?",
        tag="collective",
        changed_by=manager,
    )
    instrument_publish(instrument=draft, published_by=manager)
    assert draft.sectors.count() == 4
    assert draft.items.count() == 16
    assert standard.sectors.count() == 3
    assert standard.items.count() == 15


def test_a_published_version_is_never_edited_in_place(world: World, standard: Instrument) -> None:
    draft = instrument_new_version(base=standard, owner=world.library_a, created_by=None)
    instrument_publish(instrument=draft, published_by=None)
    with pytest.raises(ValidationError, match="new version"):
        instrument_sector_add(instrument=draft, code="library", label="Libraries", changed_by=None)
    with pytest.raises(ValidationError, match="new version"):
        instrument_item_add(
            sector=draft.sectors.first(), code="x", text="x", tag="individual", changed_by=None
        )
    with pytest.raises(PermissionDenied):
        instrument_sector_add(instrument=standard, code="x", label="x", changed_by=None)


def test_item_codes_are_unique_in_an_instrument(world: World, standard: Instrument) -> None:
    draft = instrument_new_version(base=standard, owner=world.library_a, created_by=None)
    with pytest.raises(ValidationError):
        instrument_item_add(
            sector=draft.sectors.first(),
            code="lock-doors",
            text="again",
            tag="individual",
            changed_by=None,
        )


def test_only_the_owners_runners_make_versions(world: World, standard: Instrument) -> None:
    for persona in ("volunteer of A", "manager of B", "resident", "commissioner"):
        with pytest.raises(PermissionDenied):
            instrument_new_version(
                base=standard, owner=world.library_a, created_by=world.users[persona]
            )


def test_a_new_version_leaves_the_old_one_and_its_answers_intact(
    world: World, standard: Instrument, write_survey: WriteSurvey
) -> None:
    old = instrument_new_version(base=standard, owner=world.council, created_by=None)
    instrument_publish(instrument=old, published_by=None)
    wave = wave_create(
        instrument=old, owner=world.council, area=world.county, label="old", created_by=None
    )
    wave_import_responses(wave=wave, source=write_survey(), imported_by=None)
    answers = sorted(Answer.objects.values_list("respondent__key", "item__code", "score"))
    items = sorted(old.items.values_list("pk", "code", "text"))

    new = instrument_new_version(base=old, owner=world.council, created_by=None)
    sector = instrument_sector_add(
        instrument=new, code="library", label="Libraries", changed_by=None
    )
    instrument_item_add(sector=sector, code="borrow", text="?", tag="individual", changed_by=None)

    assert (new.slug, new.version) == (old.slug, 2)
    assert sorted(old.items.values_list("pk", "code", "text")) == items
    assert sorted(Answer.objects.values_list("respondent__key", "item__code", "score")) == answers
    assert all(a.item.instrument_id == old.pk for a in Answer.objects.select_related("item"))


def test_a_wave_needs_a_published_citizens_instrument(world: World, standard: Instrument) -> None:
    draft = instrument_new_version(base=standard, owner=world.council, created_by=None)
    officials = Instrument.objects.get(slug="officials-perceptions")
    for instrument in (draft, officials):
        with pytest.raises(ValidationError):
            wave_create(
                instrument=instrument,
                owner=world.council,
                area=world.county,
                label="w",
                created_by=None,
            )
