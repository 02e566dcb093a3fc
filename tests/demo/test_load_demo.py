"""The demo world: what it contains, that it repeats with its seed, and that it loads once.

Passwords are hashed with MD5 here, so one load takes about a second. The tests that only
read the world share one load (`world`, made once for this module); the tests of loading
itself start from an empty database inside their own transaction (`empty`).
"""

import csv
from collections import Counter
from collections.abc import Iterator
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from pytest_django import DjangoDbBlocker, Settings
from scipy.stats import chisquare

from coproduce.accounts.models import Consent, Demographics, Participant
from coproduce.analysis.change import MIN_PAIRS, PairedChange
from coproduce.core.choices import AgeBand, Sex
from coproduce.demo.areas import AREAS_CSV, COUNTY, POSTCODE_DISTRICTS, resident_groups
from coproduce.demo.logins import DEMO_LOGINS, DEMO_PASSPHRASE
from coproduce.demo.world import DemoReport, load_demo_world
from coproduce.impact.models import Collection, Outcome, PriceIndexPoint
from coproduce.impact.selectors import IndicatorResult, indicator_results
from coproduce.impact.social_value import social_value_report
from coproduce.measurement.services import instruments_load_standard
from coproduce.organisations.models import (
    Membership,
    Organisation,
    Partnership,
    PartnershipKind,
    Service,
)
from coproduce.places.models import Area, AreaPopulation
from coproduce.places.services import areas_import_csv
from tests.conftest import restore_shipped_data

pytestmark = pytest.mark.django_db

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def loaded(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[DemoReport]:
    """One demo world for every test that only reads it, removed after the module.

    The function-scoped settings fixture does not reach a module-scoped fixture, hence
    override_settings for the hasher here.
    """
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        report = load_demo_world()
        yield report
        delete_everything()


@pytest.fixture
def empty(settings: Settings) -> None:
    """A database without the demo world (deleted inside the test's transaction)."""
    settings.PASSWORD_HASHERS = FAST_HASHER
    delete_everything()


def test_the_world_has_the_organisations_of_both_cases(loaded: DemoReport) -> None:
    kinds = Counter(Organisation.objects.values_list("kind", flat=True))
    assert kinds == {
        "public-body": 3,  # the county council and two parish councils
        "pcc": 1,
        "social-enterprise": 2,  # the two volunteer-run libraries
        "charity": 1,  # the domestic-violence charity
        "university": 1,
        "school": 1,
        "business": 1,
    }
    assert loaded.organisations_by_kind == dict(kinds)
    assert not loaded.already_loaded


def test_the_refuge_is_the_only_sensitive_service(loaded: DemoReport) -> None:
    sensitive = Service.objects.get(sensitive=True)
    assert sensitive.name == "Haven refuge"
    assert sensitive.provider.slug == "eastmere-haven-trust"
    # A refuge's area must not point to a neighbourhood.
    assert sensitive.area.code == COUNTY
    assert Service.objects.filter(provider=sensitive.provider, sensitive=False).count() >= 2


def test_the_county_commissions_the_refuge_and_funds_the_libraries(loaded: DemoReport) -> None:
    refuge = Service.objects.get(name="Haven refuge")
    assert set(refuge.backings.values_list("organisation__slug", "kind")) == {
        ("eastmere-county-council", "commissions"),
        ("eastmere-pcc", "funds"),
    }
    for library in Service.objects.filter(provider__kind="social-enterprise"):
        funders = set(library.backings.values_list("organisation__slug", flat=True))
        assert "eastmere-county-council" in funders
        assert any(slug.endswith("parish-council") for slug in funders)


def test_every_kind_of_partnership_appears_with_dates_in_order(loaded: DemoReport) -> None:
    kinds = set(Partnership.objects.values_list("kind", flat=True))
    assert kinds == set(PartnershipKind.values)
    for partnership in Partnership.objects.all():
        assert 2011 <= partnership.started_on.year <= 2026
        assert partnership.ended_on is None or partnership.ended_on >= partnership.started_on


def test_about_300_residents_most_with_demographics_under_consent(loaded: DemoReport) -> None:
    residents = Participant.objects.filter(user=None)
    assert residents.count() == 300
    answered = Demographics.objects.filter(participant__user=None)
    assert 270 <= answered.count() < 300, "a few residents decline, most answer"
    assert not answered.filter(consent__withdrawn_at__isnull=False).exists()
    declined = residents.filter(demographics__isnull=True)
    assert not Consent.objects.filter(participant__in=declined).exists()
    assert set(answered.values_list("postcode_district", flat=True)) == set(
        POSTCODE_DISTRICTS.values()
    )


def test_every_demo_login_has_its_role_a_participant_and_the_demo_passphrase(
    loaded: DemoReport,
) -> None:
    for login in DEMO_LOGINS:
        user = authenticate(username=login.username, password=DEMO_PASSPHRASE)
        assert user is not None, login.username
        assert Participant.objects.filter(user=user).exists(), login.username
        assert user.is_superuser == login.superuser
        roles = set(Membership.objects.filter(user=user).values_list("organisation__slug", "role"))
        expected = {(login.organisation_slug, login.role)} if login.role else set()
        assert roles == expected, login.username
    assert get_user_model().objects.count() == len(DEMO_LOGINS)


def test_the_demo_passphrase_is_not_accepted_for_a_wrong_username(loaded: DemoReport) -> None:
    assert authenticate(username="nobody", password=DEMO_PASSPHRASE) is None


def test_parent_areas_hold_the_sum_of_their_children() -> None:
    with AREAS_CSV.open(encoding="utf-8") as file:
        rows = {row["code"]: row for row in csv.DictReader(file)}
    first = next(iter(rows.values()))
    counted = ["households", *(c for c in first if c.startswith(("female_", "male_")))]
    for code, row in rows.items():
        children = [child for child in rows.values() if child["parent_code"] == code]
        for column in counted if children else []:
            total = sum(int(child[column]) for child in children)
            assert int(row[column]) == total, (code, column)


# --- deterministic -----------------------------------------------------------------


def fingerprint() -> tuple[object, ...]:
    residents = sorted(
        Participant.objects.filter(user=None).values_list(
            "reference",
            "demographics__age_band",
            "demographics__gender",
            "demographics__employment_status",
            "demographics__disability",
            "demographics__ethnicity",
            "demographics__postcode_district",
        )
    )
    return (
        residents,
        sorted(Participant.objects.exclude(user=None).values_list("user__username", "reference")),
        sorted(Service.objects.values_list("reference", "name", "sensitive")),
        sorted(AreaPopulation.objects.values_list("area__code", "age_band", "sex", "count")),
        sorted(Partnership.objects.values_list("source__slug", "target__slug", "kind")),
        impact_scores(),
    )


def impact_scores() -> list[tuple[object, ...]]:
    """Every scored answer of the demo's collections, by service, indicator and wave."""
    return [
        (name, title, sorted(result.pairing.baseline.items()),
         sorted(result.pairing.follow_up.items()))
        for name in ("Ashmere Parva Community Library", "Haven refuge")
        for title, result in sorted(results_of(name).items())
        if result.pairing is not None
    ]  # fmt: skip


def delete_everything() -> None:
    """Back to the database as the migrations leave it: empty but for the standard
    instruments and the shipped WELLBY.

    Flushing rather than deleting model by model, because every app the demo world
    feeds (events, forums, campaigns, surveys) protects the rows it refers to.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # PostgreSQL refuses to TRUNCATE while foreign-key checks deferred to the end
            # of this test's transaction are pending: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    instruments_load_standard()
    restore_shipped_data()


@pytest.mark.usefixtures("empty")
def test_the_same_seed_gives_the_same_world() -> None:
    load_demo_world(seed=2012)
    first = fingerprint()
    delete_everything()
    load_demo_world(seed=2012)
    assert fingerprint() == first


# --- idempotent -------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_loading_twice_changes_no_table(loaded: DemoReport) -> None:
    before = row_counts()
    again = load_demo_world()
    assert again.already_loaded
    assert row_counts() == before


@pytest.mark.usefixtures("empty")
def test_the_load_demo_command_twice_says_it_is_already_loaded() -> None:
    # Areas imported by hand first: the import is idempotent, so they alone must not
    # make the world look loaded.
    areas_import_csv(source=AREAS_CSV)
    first, second = StringIO(), StringIO()
    call_command("load_demo", stdout=first)
    before = row_counts()
    call_command("load_demo", stdout=second)
    assert "Loaded the demo world" in first.getvalue()
    assert "already loaded" in second.getvalue()
    assert row_counts() == before
    for login in DEMO_LOGINS:
        assert login.username in second.getvalue()
    assert DEMO_PASSPHRASE in second.getvalue()


@pytest.mark.usefixtures("empty")
def test_the_demo_command_without_serving_migrates_and_loads() -> None:
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert Area.objects.filter(code=COUNTY).exists()
    assert "library-manager" in out.getvalue()


# --- realistic demographics ---------------------------------------------------------


def test_the_age_and_sex_of_adult_residents_match_the_adult_population(
    loaded: DemoReport,
) -> None:
    sex_of = {"woman": Sex.FEMALE, "man": Sex.MALE}
    # Demographics are encrypted at rest: read, then filtered in Python.
    observed_pairs = Counter(
        (AgeBand(band), sex_of[gender])
        for band, gender in Demographics.objects.filter(participant__user=None).values_list(
            "age_band", "gender"
        )
        if band != AgeBand.UNDER_18 and gender in sex_of
    )
    population: Counter[tuple[AgeBand, Sex]] = Counter()
    for (_code, band, sex), people in resident_groups(adults_only=True).items():
        population[(band, sex)] += people
    cells = sorted(population, key=lambda key: (list(AgeBand).index(key[0]), key[1]))
    n, total = sum(observed_pairs.values()), sum(population.values())
    expected = [population[cell] / total * n for cell in cells]
    observed = [observed_pairs[cell] for cell in cells]
    assert n > 250
    assert chisquare(observed, expected).pvalue > 0.001
    for cell, seen, wanted in zip(cells, observed, expected, strict=True):
        assert abs(seen - wanted) / n < 0.05, cell


def test_residents_live_where_the_adults_live(loaded: DemoReport) -> None:
    adults: Counter[str] = Counter()
    for (code, _band, _sex), people in resident_groups(adults_only=True).items():
        adults[POSTCODE_DISTRICTS[code]] += people
    seen = Counter(
        district
        for band, district in Demographics.objects.filter(participant__user=None).values_list(
            "age_band", "postcode_district"
        )
        if band != AgeBand.UNDER_18
    )
    districts = sorted(adults)
    n, total = sum(seen.values()), sum(adults.values())
    expected = [adults[district] / total * n for district in districts]
    assert chisquare([seen[district] for district in districts], expected).pvalue > 0.001


def test_employment_and_disability_fit_age(loaded: DemoReport) -> None:
    answers = list(
        Demographics.objects.filter(participant__user=None).values(
            "age_band", "employment_status", "disability", "ethnicity"
        )
    )

    def count(**wanted: object) -> int:
        # Demographics are encrypted at rest, so they are counted in Python.
        return sum(
            all(a[name] in (v if isinstance(v, list) else [v]) for name, v in wanted.items())
            for a in answers
        )

    young = [AgeBand.UNDER_18, AgeBand.AGE_18_24, AgeBand.AGE_25_34, AgeBand.AGE_35_44]
    assert not count(employment_status="retired", age_band=young)
    assert not count(employment_status="student", age_band=AgeBand.AGE_75_PLUS)
    students = count(age_band=AgeBand.AGE_18_24, employment_status="student")
    assert students >= count(age_band=AgeBand.AGE_18_24) / 4
    assert not count(employment_status="sick-or-disabled", disability="no")
    disabled = count(disability=["a-lot", "a-little"])
    assert 0.12 <= disabled / len(answers) <= 0.30
    white = count(ethnicity="white")
    assert 0.75 <= white / len(answers) <= 0.95


# --- outcomes and impact ------------------------------------------------------------


def results_of(name: str) -> dict[str, IndicatorResult]:
    return {r.indicator.title: r for r in indicator_results(Service.objects.get(name=name))}


def change_of(result: IndicatorResult) -> PairedChange:
    assert result.change is not None, result.indicator.title
    return result.change


def test_both_services_have_a_chain_linked_to_their_activities(loaded: DemoReport) -> None:
    for name, titles in (
        ("Ashmere Parva Community Library",
         {"Less isolation", "Sense of belonging", "Skills and knowledge", "Wellbeing"}),
        ("Haven refuge", {"Wellbeing", "Confidence and self-esteem"}),
    ):  # fmt: skip
        outcomes = Outcome.objects.filter(service__name=name)
        assert set(outcomes.values_list("title", flat=True)) == titles
        for outcome in outcomes:
            assert outcome.standard, outcome.title
            assert outcome.activities.exists(), outcome.title
            assert outcome.indicators.exists(), outcome.title
    switched_on = set(Collection.objects.values_list("service__name", "instrument"))
    assert switched_on == {
        ("Ashmere Parva Community Library", "ons4"),
        ("Haven refuge", "ons4"),
        ("Haven refuge", "rosenberg"),
    }


def test_the_library_has_ten_pairs_or_more_and_the_refuges_self_esteem_fewer(
    loaded: DemoReport,
) -> None:
    library = results_of("Ashmere Parva Community Library")
    satisfaction = change_of(library["Life satisfaction"])
    assert satisfaction.attrition.paired >= MIN_PAIRS
    assert not satisfaction.suppressed
    assert satisfaction.mean_change is not None
    assert satisfaction.test is not None
    assert library["Regulars who feel less lonely than a year ago"].change is None  # custom
    self_esteem = change_of(results_of("Haven refuge")["Self-esteem"])
    assert 0 < self_esteem.attrition.paired < MIN_PAIRS
    assert self_esteem.suppressed
    assert self_esteem.mean_change is None


def test_some_are_seen_only_at_baseline_and_some_only_at_follow_up(loaded: DemoReport) -> None:
    for name in ("Ashmere Parva Community Library", "Haven refuge"):
        for result in results_of(name).values():
            if result.pairing is None:
                continue
            assert change_of(result).attrition.lost > 0, result.indicator.title
            assert result.pairing.follow_up_without_baseline, result.indicator.title
            assert not result.pairing.unscored


def test_the_library_manager_sees_a_positive_sroi_and_a_cost_per_household(
    loaded: DemoReport,
) -> None:
    report = social_value_report(
        Service.objects.get(name="Ashmere Parva Community Library"), timezone.localdate().year
    )
    assert report.problems == []
    assert report.result is not None
    assert report.result.total > 0
    assert report.result.ratio > 0
    assert report.break_even is not None
    assert report.costs.per_household is not None
    assert report.costs.per_household > 0
    # The demo invents no price index: the page says which years the benchmark needs.
    assert not PriceIndexPoint.objects.exists()
    assert "2005" in report.costs.benchmark_problem
    (row,) = report.rows
    assert row.valuation.proxy.price_year == report.year
    assert "survey of regulars" in row.valuation.proxy.source


def test_the_refuge_values_wellbeing_in_wellbys_and_names_the_missing_index(
    loaded: DemoReport,
) -> None:
    year = timezone.localdate().year
    report = social_value_report(Service.objects.get(name="Haven refuge"), year)
    (row,) = report.rows
    assert row.valuation.proxy.organisation is None  # the shipped WELLBY
    satisfaction = change_of(results_of("Haven refuge")["Life satisfaction"])
    assert satisfaction.mean_change is not None
    assert row.from_results
    assert row.quantity == pytest.approx(satisfaction.mean_change * satisfaction.attrition.paired)
    assert report.problems == [
        f"Add the price index for 2019, {year}: it uprates WELLBY (wellbeing-adjusted life "
        f"year) from 2019 prices to {year} prices."
    ]
    assert report.result is None
