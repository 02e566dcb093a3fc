"""The impact report and the annual report to the council: their figures are what the
records say, the PDF is a real PDF in the language its link carries, a sensitive
service's figures reach only its provider, and bad input gets a clear answer."""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries
from weasyprint.document import Document

from coproduce.accounts.models import Participant
from coproduce.accounts.services import participant_create
from coproduce.engagement.ladder import CitizenRole, CoStage, EngagementForm
from coproduce.engagement.models import Activity, ArrivalChannel, ParticipationKind
from coproduce.engagement.services import ActivityPlan, activity_create, participation_record
from coproduce.impact.models import Collection
from coproduce.impact.services import IndicatorPlan, OutcomePlan, indicator_create, outcome_create
from coproduce.impact.value_services import IncomePlan, hour_rates_set, income_record
from coproduce.reports import views
from coproduce.reports.pdf import document_of
from coproduce.reports.selectors import service_year
from tests.conftest import World
from tests.impact.conftest import pairs

YEAR = 2025


def client_for(world: World, persona: str) -> Client:
    client = Client()
    user = world.users[persona]
    assert user is not None
    client.force_login(user)
    return client


def _activity(
    world: World, title: str, form: EngagementForm, starts_on: date, **money: Decimal
) -> Activity:
    return activity_create(
        service=world.service_a,
        plan=ActivityPlan(title=title, form=form, co_stage=CoStage.ASSESS,
                          citizen_role=CitizenRole.CO_DESIGNER, starts_on=starts_on, **money),
        created_by=None,
    )  # fmt: skip


def _took_part(
    activity: Activity,
    key: str,
    when: date,
    channel: ArrivalChannel,
    person: Participant | None = None,
    people: int = 1,
) -> None:
    participation_record(
        activity=activity, kind=ParticipationKind.ATTENDED_EVENT, channel=channel,
        act_key=key, participant=person, people=people,
        occurred_at=datetime(when.year, when.month, when.day, 12, tzinfo=UTC),
    )  # fmt: skip


@pytest.fixture
def year_of_records(world: World) -> None:
    """Library A's 2025: two activities started in it, one from 2024 still running,
    three known people (one came twice, one two ways) and twelve counted at the door;
    and a 2024 activity whose people do not count."""
    knit = _activity(world, "Knit and natter", EngagementForm.CONSULT, date(YEAR, 3, 1),
                     cost_amount=Decimal("1000"), staff_hours=Decimal("40"),
                     volunteer_hours=Decimal("10"))  # fmt: skip
    _activity(world, "Newsletter", EngagementForm.INFORM, date(YEAR, 1, 10))
    club = _activity(world, "Reading club", EngagementForm.INVOLVE, date(YEAR - 1, 9, 1))
    old = _activity(world, "Old fair", EngagementForm.INFORM, date(YEAR - 1, 6, 1))
    first, second, third = (participant_create(user=None) for _ in range(3))
    in_person, online = ArrivalChannel.IN_PERSON, ArrivalChannel.ONLINE
    _took_part(knit, "k1", date(YEAR, 3, 1), in_person, first)
    _took_part(knit, "k2", date(YEAR, 4, 1), in_person, first)
    _took_part(knit, "k3", date(YEAR, 4, 1), in_person, second)
    _took_part(club, "c1", date(YEAR, 2, 1), online, second)
    _took_part(club, "c2", date(YEAR, 2, 1), online, third)
    _took_part(knit, "door", date(YEAR, 5, 1), in_person, people=12)
    _took_part(old, "o1", date(YEAR - 1, 6, 1), in_person, first)
    manager = world.users["manager of A"]
    assert manager is not None
    hour_rates_set(organisation=world.library_a, currency="GBP", staff=Decimal("20"),
                   volunteer=Decimal("10"), by=manager)  # fmt: skip
    for received, amount in ((date(YEAR, 4, 1), "2500"), (date(YEAR - 1, 12, 31), "999")):
        income_record(
            service=world.service_a,
            plan=IncomePlan(received_on=received, source="Testshire County Council",
                            kind="grant", amount=Decimal(amount), currency="GBP"),
            by=manager,
        )  # fmt: skip


# ---------------------------------------------------------------------------------------
# The figures are the records'


def test_the_year_counts_its_activities_people_channels_and_hours(
    world: World, year_of_records: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(14):  # 13, and the year's income
        report = service_year(world.service_a, YEAR)
    assert report.activities == 3  # knit, newsletter, and the club that ran on
    assert report.costs.participants == 3 + 12
    assert [(c.channel, c.known, c.anonymous) for c in report.channels] == [
        ("in-person", 2, 12),
        ("online", 2, 0),
    ]
    by_form = {group.key: (group.activities, group.people) for group in report.ladder.by_form}
    assert by_form == {"consult": (1, 15), "inform": (1, 0), "involve": (1, 2)}
    assert (report.costs.hours.staff, report.costs.hours.volunteer) == (40, 10)
    assert report.costs.cost is not None
    assert report.costs.cost.total == Decimal("1900.00")  # 1,000 + 40 × 20 + 10 × 10
    assert [b.organisation.name for b in report.backers] == ["Testshire County Council"]
    # Only the year's income: the grant received on the last day of the year before is not.
    assert [(i.source, i.amount) for i in report.income.rows] == [
        ("Testshire County Council", Decimal("2500.00"))
    ]
    assert report.income.totals == {"GBP": Decimal("2500.00")}
    assert not report.recorded_nothing


def test_the_impact_report_page_shows_them_in_pinned_queries(
    world: World, year_of_records: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for(world, "commissioner")
    with django_assert_num_queries(21):
        page = client.get(f"/reports/services/{world.service_a.reference}/{YEAR}/impact/")
    text = page.content.decode()
    for expected in ("Impact report 2025", "15 people took part in 2025", "GBP 1900.00",
                     "3 activities in 2025", "By rung of the ladder", "<svg",
                     "The numbers: By form of engagement", "Income and grants",
                     "Income received in 2025", "GBP 2500.00", "indicative, not a target",
                     "Methods and caveats", "?lang=vi"):  # fmt: skip
        assert expected in text, expected


def test_the_annual_report_is_addressed_to_the_council(world: World, year_of_records: None) -> None:
    page = client_for(world, "manager of A").get(
        f"/reports/services/{world.service_a.reference}/{YEAR}/council/"
    )
    text = page.content.decode()
    assert "Annual report to the council 2025" in text
    assert "To: Testshire County Council (funds)" in text
    # Its order: what the provider did before what it changed.
    assert text.index("Activities and the ladder profile") < text.index("Outcomes and their")


def test_outcomes_show_their_change_from_10_pairs_and_hide_it_below(
    world: World, ons4: Collection
) -> None:
    outcome = outcome_create(
        service=world.service_a, plan=OutcomePlan(title="Wellbeing"), created_by=None
    )
    for title, measure in (("Life satisfaction", "satisfied"), ("Anxiety", "anxious")):
        indicator_create(
            outcome=outcome,
            plan=IndicatorPlan(title=title, measure=f"ons4:{measure}"),
            created_by=None,
        )
    pairs(ons4, 9)
    url = f"/reports/services/{world.service_a.reference}/2026/impact/"
    page = client_for(world, "manager of A").get(url).content.decode()
    assert "not shown under 10 pairs" in page
    pairs(ons4, 3)
    page = client_for(world, "manager of A").get(url).content.decode()
    assert "not shown under 10 pairs" not in page
    assert "Wellbeing: Life satisfaction" in page


# ---------------------------------------------------------------------------------------
# The PDF


@pytest.fixture
def printed(monkeypatch: pytest.MonkeyPatch) -> list[Document]:
    """Each PDF the view makes, also as laid-out pages whose text the test reads."""
    documents: list[Document] = []

    def spy(html: str) -> bytes:
        documents.append(document_of(html))
        return documents[-1].write_pdf()  # type: ignore[no-any-return]

    monkeypatch.setattr(views, "pdf_of", spy)
    return documents


def _text(document: Document) -> str:
    def texts(box: object) -> Iterator[str]:
        if hasattr(box, "text"):
            yield box.text
        for child in getattr(box, "children", []):
            yield from texts(child)

    return " ".join(t for page in document.pages for t in texts(page._page_box))


@pytest.mark.parametrize(
    ("language", "headings"),
    [
        ("en", ["Impact report 2025", "Social value and SROI", "Cost of engagement"]),
        ("vi", ["Giá trị xã hội và SROI", "Chi phí tham gia", "Theo bậc của thang tham gia"]),
    ],
)
def test_the_pdf_is_a_pdf_in_the_language_of_its_link(
    world: World, year_of_records: None, printed: list[Document], language: str,
    headings: list[str],
) -> None:  # fmt: skip
    response = client_for(world, "commissioner").get(
        f"/reports/services/{world.service_a.reference}/{YEAR}/impact.pdf?lang={language}"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"-{YEAR}-{language}.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    text = _text(printed[0])
    for heading in headings:
        assert heading in text, heading
    assert len(printed[0].pages) > 1


def test_the_pdf_fetches_nothing(caplog: pytest.LogCaptureFixture) -> None:
    document = document_of('<p>x</p><img src="http://127.0.0.1:9/tracker.png" alt="">')
    assert "x" in _text(document)  # the image is skipped, the report still made
    assert "disallowed protocol: http://127.0.0.1:9/tracker.png" in caplog.text


# ---------------------------------------------------------------------------------------
# Who may read it, and bad input


def test_a_sensitive_services_report_is_for_its_providers_staff_only(
    world: World, year_of_records: None
) -> None:
    world.service_a.sensitive = True
    world.service_a.save()
    report = f"/reports/services/{world.service_a.reference}/{YEAR}"
    for path in (f"{report}/impact/", f"{report}/council.pdf"):
        assert client_for(world, "commissioner").get(path).status_code == 403
        assert client_for(world, "staff of A").get(path).status_code == 200


def test_a_year_with_nothing_says_so(world: World) -> None:
    page = client_for(world, "manager of A").get(
        f"/reports/services/{world.service_a.reference}/2015/impact/"
    )
    assert page.status_code == 200
    assert "Nothing is recorded for Library A lending in 2015" in page.content.decode()


@pytest.mark.parametrize("year", [1999, "next", 9999])
def test_a_year_out_of_range_is_refused_with_the_range(world: World, year: int | str) -> None:
    this_year = timezone.localdate().year
    if year == "next":
        year = this_year + 1
    for suffix in ("impact/", "council.pdf"):
        page = client_for(world, "manager of A").get(
            f"/reports/services/{world.service_a.reference}/{year}/{suffix}"
        )
        assert page.status_code == 400
        assert f"choose a year from 2000 to {this_year}" in page.content.decode()


def test_a_pdf_in_an_unknown_language_is_refused(world: World) -> None:
    page = client_for(world, "manager of A").get(
        f"/reports/services/{world.service_a.reference}/2026/impact.pdf?lang=xx"
    )
    assert page.status_code == 400
    assert "There is no PDF in the language “xx”" in page.content.decode()
