"""Reading survey answers, officials' estimates and margins: every problem, with its line."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from coproduce.analysis.responses import (
    ResponsesError,
    as_labels,
    read_margins,
    read_officials,
    read_responses,
)

GOOD = """respondent_id,sector,item,score,weight,stratum,age_band
r1,safety,s1,3,1.5,1,18-34
r1,safety,s2,,1.5,1,18-34
r1,health,h1,NaN,1.5,1,18-34
r2,safety,s1,0,2,2,35+
r2,health,h1,2,2,2,35+
"""
HEADER = "respondent_id,sector,item,score,weight,age_band\n"


def write(tmp_path: Path, text: str, name: str = "answers.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path | io.BytesIO, **kwargs: object) -> list[str]:
    options: dict[str, object] = {"scale_max": 3} | kwargs
    with pytest.raises(ResponsesError) as caught:
        read_responses(path, **options)  # type: ignore[arg-type]
    return caught.value.errors


def test_a_good_file_gives_answers_with_lines_and_one_row_per_respondent(tmp_path: Path) -> None:
    responses = read_responses(write(tmp_path, GOOD), scale_max=3, weight_column="weight")
    answers, respondents = responses.answers, responses.respondents
    assert list(answers.columns) == ["respondent_id", "sector", "item", "score", "line"]
    assert answers["line"].tolist() == [2, 3, 4, 5, 6]
    np.testing.assert_array_equal(answers["score"], [3, np.nan, np.nan, 0, 2])
    assert answers["score"].dtype == np.float64
    assert answers["respondent_id"].tolist() == ["r1", "r1", "r1", "r2", "r2"]
    assert list(respondents.columns) == ["respondent_id", "weight", "stratum", "age_band"]
    assert respondents["respondent_id"].tolist() == ["r1", "r2"]
    assert respondents["weight"].tolist() == [1.5, 2.0]
    assert respondents["stratum"].dtype == np.int64
    assert respondents["age_band"].tolist() == ["18-34", "35+"]


def test_identifiers_stay_text_even_when_they_look_like_numbers(tmp_path: Path) -> None:
    text = "respondent_id,sector,item,score\n007,1,01,2\n7,1,01,1\n"
    answers = read_responses(write(tmp_path, text), scale_max=3).answers
    assert answers["respondent_id"].tolist() == ["007", "7"]
    assert answers["item"].tolist() == ["01", "01"]


def test_headers_match_without_case_or_spaces_and_cells_are_trimmed(tmp_path: Path) -> None:
    text = "\ufeff Respondent_ID ,SECTOR,Item,Score\n r1 , safety ,s1, 2 \n"
    answers = read_responses(write(tmp_path, text), scale_max=3).answers
    assert answers.loc[0, ["respondent_id", "sector", "score"]].tolist() == ["r1", "safety", 2.0]


def test_blank_lines_are_skipped_but_still_counted_in_line_numbers(tmp_path: Path) -> None:
    text = HEADER + "r1,safety,s1,1,1,a\n\n,,,,,\nr2,safety,s1,9,1,a\n"
    assert problems(write(tmp_path, text)) == ["line 5: score 9 is outside 0..3"]


def test_every_problem_is_reported_at_once_in_line_order(tmp_path: Path) -> None:
    text = HEADER + (
        "r1,safety,s1,3,1.5,18-34\n"  # 2: fine
        "r1,safety,s2,x,1.5,35+\n"  # 3: not a number; age_band conflicts with line 2
        "r2,safety,s1,2.5,0,35+\n"  # 4: not whole; weight 0
        "r3,bogus,h1,4,abc,35+\n"  # 5: unknown sector; outside; weight not a number
        ",safety,s3,1,1,35+\n"  # 6: no respondent
        "r4,safety,s1,1,-1,35+\n"  # 7: negative weight
        "r4,safety,s1,1,-1,35+\n"  # 8: the same answer again (and the weight again)
        "r5,safety,,1,,35+\n"  # 9: no item; empty weight
        "r6,safety,s1,1,inf,35+\n"  # 10: infinite weight
    )
    errors = problems(write(tmp_path, text), weight_column="weight", sectors={"safety", "health"})
    assert errors == [
        "line 3: score 'x' is not a number",
        "line 3: respondent 'r1' has different values of age_band: '18-34' on line 2; "
        "'35+' on line 3 (a respondent-level column must be the same on all of a "
        "respondent's rows)",
        "line 4: score 2.5 is not a whole number",
        "line 4: weight 0 must be a finite number greater than 0",
        "line 5: unknown sector 'bogus' (known: health, safety)",
        "line 5: score 4 is outside 0..3",
        "line 5: weight 'abc' is not a number",
        "line 6: respondent_id is empty",
        "line 7: weight -1 must be a finite number greater than 0",
        "line 8: weight -1 must be a finite number greater than 0",
        "line 8: respondent 'r4' answers sector 'safety', item 's1' again (first on line 7)",
        "line 9: item is empty",
        "line 9: weight is empty",
        "line 10: weight inf must be a finite number greater than 0",
    ]


def test_a_conflict_names_the_respondent_the_column_and_every_line(tmp_path: Path) -> None:
    text = HEADER + "r1,s,a,1,1,x\nr1,s,b,1,1,x\nr1,s,c,1,1,y\nr1,s,d,1,1,\n"
    (error,) = problems(write(tmp_path, text))
    assert error.startswith(
        "line 4: respondent 'r1' has different values of age_band: 'x' on lines 2, 3; "
        "'y' on line 4; (empty) on line 5"
    )


def test_unknown_items_are_checked_per_sector(tmp_path: Path) -> None:
    text = HEADER + "r1,safety,s1,1,1,a\nr1,safety,h1,1,1,a\nr1,health,h1,1,1,a\n"
    errors = problems(write(tmp_path, text), items={"safety": ["s1"], "health": ["h1"]})
    assert errors == ["line 3: unknown item 'h1' for sector 'safety'"]


def test_numeric_columns_must_hold_numbers_but_may_be_blank(tmp_path: Path) -> None:
    text = "respondent_id,sector,item,score,income\nr1,s,a,1,12.5\nr2,s,a,1,\nr3,s,a,1,lots\n"
    errors = problems(write(tmp_path, text), numeric_columns=["income"])
    assert errors == ["line 4: income 'lots' is not a number"]


def test_the_empty_file_and_the_header_alone_are_refused(tmp_path: Path) -> None:
    assert problems(write(tmp_path, "")) == ["the file is empty"]
    assert problems(write(tmp_path, HEADER)) == [
        "the file has no answers: it holds a header and nothing else"
    ]


def test_missing_columns_are_named(tmp_path: Path) -> None:
    (error,) = problems(write(tmp_path, "respondent_id,item\nr1,a\n"), weight_column="w")
    assert error.startswith("the file lacks the column(s) sector, score, w")


def test_a_file_that_is_not_utf8_or_of_unknown_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "answers.csv"
    path.write_bytes(HEADER.encode() + "r1,s,a,1,1,\xe9t\xe9\n".encode("latin-1"))
    assert problems(path) == ["the file is not UTF-8 text"]
    (error,) = problems(write(tmp_path, GOOD, "answers.dat"))
    assert "name it .csv, .xlsx or .parquet" in error


def test_without_a_scale_max_scores_need_only_be_whole_and_not_negative(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "r1,s,a,12,1,x\nr1,s,b,-1,1,x\n")
    assert problems(path, scale_max=None) == ["line 3: score -1 is outside 0 or more"]


def test_a_tag_column_stays_with_the_answers(tmp_path: Path) -> None:
    text = "respondent_id,sector,item,tag,score\nr1,s,a,Individual,1\nr1,s,b,,1\nr1,s,c,both,1\n"
    assert problems(write(tmp_path, text)) == [
        "line 4: tag 'both' is not individual or collective (or empty)"
    ]
    good = write(tmp_path, text.replace("both", "collective"))
    answers = read_responses(good, scale_max=3).answers
    assert answers["tag"].tolist()[::2] == ["individual", "collective"]
    assert pd.isna(answers["tag"].iloc[1])


def test_another_respondent_column_can_be_named(tmp_path: Path) -> None:
    text = "id,sector,item,score,sex\nA,s,a,1,f\nB,s,a,2,m\n"
    responses = read_responses(write(tmp_path, text), scale_max=3, respondent_column="ID")
    assert responses.respondents.columns.tolist() == ["respondent_id", "sex"]
    assert responses.answers["respondent_id"].tolist() == ["A", "B"]


def test_xlsx_lines_are_spreadsheet_rows(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "respondent_id": [1, 2, None, 3],
            "sector": ["safety", "safety", None, "safety"],
            "item": ["s1", "s1", None, "s1"],
            "score": [1, 2, None, 7],
            "weight": [1.0, 2.5, None, 1.0],
        }
    )
    path = tmp_path / "answers.xlsx"
    frame.to_excel(path, index=False)
    assert problems(path) == ["line 5: score 7 is outside 0..3"]
    frame.loc[3, "score"] = 3
    frame.to_excel(path, index=False)
    responses = read_responses(path, scale_max=3, weight_column="weight")
    assert responses.answers["respondent_id"].tolist() == ["1", "2", "3"]
    assert responses.answers["line"].tolist() == [2, 3, 5]
    assert responses.respondents["weight"].tolist() == [1.0, 2.5, 1.0]


def test_parquet_lines_are_the_row_position_plus_two(tmp_path: Path) -> None:
    frame = pd.read_csv(io.StringIO(GOOD), dtype={"respondent_id": str})
    frame.loc[3, "score"] = -2
    path = tmp_path / "answers.parquet"
    frame.to_parquet(path)
    assert problems(path) == ["line 5: score -2 is outside 0..3"]


def test_csv_xlsx_and_parquet_read_the_same(tmp_path: Path) -> None:
    frame = pd.read_csv(io.StringIO(GOOD), dtype={"respondent_id": str})
    frame.to_excel(tmp_path / "a.xlsx", index=False)
    frame.to_parquet(tmp_path / "a.parquet")
    results = [
        read_responses(path, scale_max=3, weight_column="weight")
        for path in (write(tmp_path, GOOD), tmp_path / "a.xlsx", tmp_path / "a.parquet")
    ]
    for other in results[1:]:
        pd.testing.assert_frame_equal(other.answers, results[0].answers)
        pd.testing.assert_frame_equal(other.respondents, results[0].respondents)


def test_an_open_binary_file_can_be_read_with_its_format_given() -> None:
    source = io.BytesIO(GOOD.encode())
    responses = read_responses(source, scale_max=3, file_format="csv")
    assert len(responses.answers) == 5


def test_a_large_file_is_read_with_vectorised_checks(tmp_path: Path) -> None:
    n = 100_000
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "respondent_id": np.repeat(np.arange(n // 4), 4).astype(str),
            "sector": np.tile(["safety", "safety", "health", "health"], n // 4),
            "item": np.tile(["s1", "s2", "h1", "h2"], n // 4),
            "score": rng.integers(0, 4, n),
            "weight": np.repeat(rng.uniform(0.5, 2, n // 4), 4),
        }
    )
    path = tmp_path / "large.csv"
    frame.to_csv(path, index=False)
    # Its speed is measured in benchmarks/, never asserted here.
    responses = read_responses(path, scale_max=3, weight_column="weight")
    assert len(responses.respondents) == n // 4


def test_officials_estimates_are_read_and_checked(tmp_path: Path) -> None:
    good = "respondent_id,sector,expected_index,comment\no1,safety,40,x\no1,health,,y\n"
    officials = read_officials(write(tmp_path, good, "o.csv"))
    assert officials.columns.tolist() == ["respondent_id", "sector", "expected_index", "line"]
    np.testing.assert_array_equal(officials["expected_index"], [40, np.nan])
    bad = (
        "respondent_id,sector,expected_index\n"
        "o1,safety,0.45\no1,safety,40\no2,health,140\no3,,x\no4,transport,10\n"
    )
    with pytest.raises(ResponsesError) as caught:
        read_officials(write(tmp_path, bad, "o.csv"), sectors=["safety", "health"])
    assert caught.value.errors == [
        "line 3: official 'o1' gives sector 'safety' again (first on line 2)",
        "line 4: expected_index 140 is outside 0..100 (it is an index value, not a share)",
        "line 5: sector is empty",
        "line 5: expected_index 'x' is not a number",
        "line 6: unknown sector 'transport' (known: health, safety)",
    ]


def test_officials_without_their_columns_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ResponsesError, match="lacks the column"):
        read_officials(write(tmp_path, "respondent_id,sector\no1,safety\n", "o.csv"))


def test_margins_are_read_as_variable_category_target(tmp_path: Path) -> None:
    text = "variable,category,target\nAge_Band,18-34,0.4\nage_band,35+,0.6\nsex,1,50\nsex,2,50\n"
    assert read_margins(write(tmp_path, text, "m.csv")) == {
        "age_band": {"18-34": 0.4, "35+": 0.6},
        "sex": {"1": 50.0, "2": 50.0},
    }


def test_margins_report_bad_targets_and_repeats_with_their_lines(tmp_path: Path) -> None:
    text = "variable,category,target\nsex,f,50\nsex,f,40\nsex,m,many\nage,old,-3\nage,,3\nage,y,\n"
    with pytest.raises(ResponsesError) as caught:
        read_margins(write(tmp_path, text, "m.csv"))
    assert caught.value.errors == [
        "line 3: variable 'sex', category 'f' is given again (first on line 2)",
        "line 4: target 'many' is not a number",
        "line 5: target -3 must be a number greater than 0",
        "line 6: category is empty",
        "line 7: target '' is not a number",
    ]
    with pytest.raises(ResponsesError, match="the file is empty"):
        read_margins(write(tmp_path, "", "m.csv"))


def test_labels_write_whole_numbers_without_decimals() -> None:
    labels = as_labels(pd.Series([1.0, 2.5, np.nan, 3]))
    assert labels.tolist()[:2] == ["1", "2.5"]
    assert pd.isna(labels.iloc[2])
