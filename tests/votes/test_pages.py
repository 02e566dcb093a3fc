"""The vote pages as residents and staff use them, bad input included."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from coproduce.votes.models import Ballot, Vote
from coproduce.votes.services import codes_issue, vote_cast
from tests.conftest import World
from tests.votes.conftest import live_in, make_ballot

QueryCounter = DjangoAssertNumQueries


def client_for(world: World, persona: str) -> Client:
    client = Client()
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    return client


def option_id(ballot: Ballot, title: str) -> str:
    return str(ballot.options.get(title=title).pk)


def test_a_resident_of_the_district_votes_on_the_page_and_sees_it_counted(
    world: World, ballot: Ballot
) -> None:
    live_in(world.users["resident"], "TE1")
    client = client_for(world, "resident")
    page = client.get(f"/votes/{ballot.code}/").content.decode()
    assert "Cast my vote" in page
    assert "£6,000.00" in page
    response = client.post(
        f"/votes/{ballot.code}/",
        {
            "options": [
                option_id(ballot, "Benches by the pond"),
                option_id(ballot, "Mural at the station"),
            ]
        },
        follow=True,
    )
    body = response.content.decode()
    assert "Your vote is counted" in body
    assert "You have voted" in body
    assert Vote.objects.count() == 1


def test_a_visitor_votes_with_a_code_and_bad_papers_are_explained(
    world: World, ballot: Ballot, codes: list[str]
) -> None:
    client = Client()
    url = f"/votes/{ballot.code}/"
    too_much = {
        "options": [
            option_id(ballot, "Playground on the green"),
            option_id(ballot, "New library roof"),
        ],
        "code": codes[0],
    }
    cases = [
        (too_much, "more than the budget of £10,000.00"),
        ({"options": [option_id(ballot, "New library roof")]}, "Enter your voting code."),
        ({"code": codes[0]}, "Choose at least one project."),
        ({"options": ["999999"], "code": codes[0]}, "Choose from the options of this vote."),
        ({"options": [option_id(ballot, "New library roof")], "code": "V-NOPE"}, "not a code"),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not Vote.objects.exists()
    response = client.post(
        url, {"options": [option_id(ballot, "New library roof")], "code": codes[0]}
    )
    assert response.status_code == 302
    again = client.post(url, {"options": [option_id(ballot, "New library roof")], "code": codes[0]})
    assert "already been used" in again.content.decode()
    assert Vote.objects.count() == 1


def test_a_draft_is_not_public_and_a_closed_vote_shows_its_results(
    world: World, ballot: Ballot, codes: list[str], django_assert_max_num_queries: QueryCounter
) -> None:
    draft = make_ballot(world, publish=False, title="Draft")
    assert Client().get(f"/votes/{draft.code}/").status_code == 404
    for code in codes[:3]:
        vote_cast(
            ballot=ballot, option_ids=[int(option_id(ballot, "Benches by the pond"))], code=code
        )
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now())
    with django_assert_max_num_queries(6):
        page = Client().get(f"/votes/{ballot.code}/").content.decode()
    assert "3 votes were cast." in page
    assert "Funded" in page
    assert "Cast my vote" not in page
    csv = Client().get(f"/votes/{ballot.code}/results.csv").content.decode()
    assert csv.splitlines()[:2] == [
        "Rank,Option,Votes,Cost,Funded",
        "1,Benches by the pond,3,3000.00,Yes",
    ]


def test_staff_set_up_publish_and_issue_codes_for_a_vote(world: World) -> None:
    client = client_for(world, "staff of A")
    soon = timezone.localtime() + timedelta(days=1)
    form = {
        "title": "Saturday opening",
        "kind": "budget",
        "budget": "5000",
        "opens_at": soon.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (soon + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M"),
        "districts": "te1, TE2",
        "options": "Open Saturday mornings | 2,500\nOpen Saturday afternoons | £2500\n",
    }
    url = f"/votes/services/{world.service_a.reference}/new/"
    bad = client.post(url, {**form, "options": "Only one | 10\nSecond | ten"})
    assert "Line 2: the cost after the bar must be a number." in bad.content.decode()
    early = client.post(url, {**form, "closes_at": form["opens_at"]})
    assert "The vote must close after it opens." in early.content.decode()
    assert not Ballot.objects.exists()
    response = client.post(url, form)
    ballot = Ballot.objects.get()
    assert response.status_code == 302
    assert ballot.districts == ["TE1", "TE2"]
    assert [str(o.cost) for o in ballot.options.all()] == ["2500.00", "2500.00"]
    client.post(f"/votes/{ballot.code}/publish/")
    ballot.refresh_from_db()
    assert ballot.published
    page = client.post(f"/votes/{ballot.code}/codes/", {"count": "3", "batch": "Parish meeting"})
    assert page.content.decode().count("<code>V-") == 3
    refused = client.post(f"/votes/{ballot.code}/codes/", {"count": "0", "batch": "x"})
    assert "greater than or equal to 1" in refused.content.decode()


def test_staff_enter_paper_votes_with_their_codes(world: World, ballot: Ballot) -> None:
    [code] = codes_issue(
        ballot=ballot, count=1, batch="Meeting", issued_by=world.users["staff of A"]
    )
    client = client_for(world, "manager of A")
    url = f"/votes/{ballot.code}/paper/"
    data = {"code": code, "options": [option_id(ballot, "Mural at the station")]}
    assert client.post(url, data).status_code == 302
    again = client.post(url, data)
    assert "already been used" in again.content.decode()
    vote = Vote.objects.get()
    assert (vote.channel, vote.recorded_by) == ("paper", world.users["manager of A"])


def test_the_result_is_open_data_once_closed_with_no_voter_in_it(
    world: World, ballot: Ballot, codes: list[str]
) -> None:
    url = f"/votes/{ballot.code}/results.json"
    vote_cast(ballot=ballot, option_ids=[int(option_id(ballot, "New library roof"))], code=codes[0])
    assert Client().get(url).status_code == 404
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now())
    data = Client().get(url).json()
    assert data["votes"] == 1
    assert data["options"][0] == {
        "title": "New library roof",
        "cost": "7500.00",
        "votes": 1,
        "rank": 1,
        "funded": True,
    }
    assert codes[0] not in str(data)
