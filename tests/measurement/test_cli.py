"""The analysts' command line: coproduce index, rake and gap, checked against hand computations.

No test here has database access: the commands must work without one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from scipy import stats

with warnings.catch_warnings():
    # samplics announces on import that it is archived; it is only our reference here.
    warnings.simplefilter("ignore", FutureWarning)
    from samplics.estimation import TaylorEstimator
    from samplics.utils.types import PopParam

SECTORS = {"safety": ["s1", "s2", "s3"], "health": ["h1", "h2"]}
K = 3


def survey(seed: int = 0, n: int = 40) -> pd.DataFrame:
    """A long file: every respondent answers every item (some blanks), with a design."""
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(n):
        weight = round(float(rng.uniform(0.5, 3)), 3)
        stratum, psu = r % 3, (r // 3) % 4
        age = ["18-34", "35-54", "55+"][int(rng.integers(0, 3))]
        sex = ["f", "m"][r % 2]
        for sector, items in SECTORS.items():
            for item in items:
                score = float(rng.integers(0, K + 1)) if rng.random() > 0.1 else np.nan
                rows.append((f"R{r:03d}", sector, item, score, weight, stratum, psu, age, sex))
    columns = ["respondent_id", "sector", "item", "score", "weight", "stratum", "psu", "age", "sex"]
    return pd.DataFrame(rows, columns=columns)


def respondent_index(frame: pd.DataFrame) -> pd.DataFrame:
    """Each respondent's index per sector, computed directly from the formula."""
    answered = frame.dropna(subset=["score"])
    table = answered.groupby(["respondent_id", "sector"])["score"].mean().mul(100 / K)
    design = frame.drop_duplicates("respondent_id").set_index("respondent_id")
    design = design.drop(columns=["sector", "item", "score"])
    return (
        table.rename("index").reset_index().merge(design, left_on="respondent_id", right_index=True)
    )


def save(frame: pd.DataFrame, tmp_path: Path, name: str = "answers.csv") -> Path:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


def run(*args: Any) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_json(*args: Any) -> list[dict[str, Any]]:
    out, _ = run(*args, "--format", "json")
    result: list[dict[str, Any]] = json.loads(out)
    return result


def fails(*args: Any) -> str:
    with pytest.raises(CommandError) as caught:
        run(*args)
    return str(caught.value)


# --- index -----------------------------------------------------------------------------


def test_index_of_an_unweighted_sample_is_the_mean_with_sd_over_root_n(tmp_path: Path) -> None:
    frame = survey()
    result = run_json("index", save(frame, tmp_path), "--scale-max", K)
    expected = respondent_index(frame)
    assert [row["sector"] for row in result] == ["health", "safety"]
    for row in result:
        y = expected.loc[expected["sector"] == row["sector"], "index"].to_numpy()
        se = y.std(ddof=1) / np.sqrt(y.size)
        t = stats.t.ppf(0.975, y.size - 1)
        assert set(row) == {"sector", "estimate", "se", "ci_low", "ci_high", "n", "weight_sum"}
        assert row["estimate"] == pytest.approx(y.mean(), rel=1e-12)
        assert row["se"] == pytest.approx(se, rel=1e-10)
        assert row["ci_low"] == pytest.approx(y.mean() - t * se, rel=1e-10)
        assert row["ci_high"] == pytest.approx(y.mean() + t * se, rel=1e-10)
        assert row["n"] == y.size
        assert row["weight_sum"] == pytest.approx(y.size)


def test_index_with_a_complex_design_agrees_with_samplics(tmp_path: Path) -> None:
    frame = survey(seed=1, n=60)
    path = save(frame, tmp_path)
    design = ["--weight", "weight", "--strata", "stratum", "--psu", "psu"]
    result = run_json("index", path, "--scale-max", K, *design)
    expected = respondent_index(frame)
    for row in result:
        sector = expected[expected["sector"] == row["sector"]]
        # Every respondent answered this sector, so the domain is the whole design.
        assert len(sector) == frame["respondent_id"].nunique()
        reference = TaylorEstimator(PopParam.mean)
        reference.estimate(
            y=sector["index"].to_numpy(),
            samp_weight=sector["weight"].to_numpy(),
            stratum=sector["stratum"].to_numpy(),
            psu=sector["psu"].to_numpy(),
        )
        assert row["estimate"] == pytest.approx(reference.point_est, rel=1e-10)
        assert row["se"] == pytest.approx(reference.stderror, rel=1e-8)
        assert row["ci_low"] == pytest.approx(reference.lower_ci, rel=1e-8)
        assert row["ci_high"] == pytest.approx(reference.upper_ci, rel=1e-8)
        assert row["weight_sum"] == pytest.approx(sector["weight"].sum())


def test_index_by_domain_uses_the_whole_sample_for_the_variance(tmp_path: Path) -> None:
    frame = survey(seed=2)
    result = run_json("index", save(frame, tmp_path), "--scale-max", K, "--by", "sex")
    expected = respondent_index(frame)
    n = frame["respondent_id"].nunique()
    assert [(row["sex"], row["sector"]) for row in result] == [
        ("f", "health"),
        ("f", "safety"),
        ("m", "health"),
        ("m", "safety"),
    ]
    for row in result:
        y = expected.query("sector == @row['sector'] and sex == @row['sex']")["index"].to_numpy()
        # Domain as a subpopulation: z_i = (y_i - mean)/n_d inside, 0 outside; n/(n-1) Σ z².
        variance = n / (n - 1) * np.sum((y - y.mean()) ** 2) / y.size**2
        assert row["estimate"] == pytest.approx(y.mean(), rel=1e-12)
        assert row["se"] == pytest.approx(np.sqrt(variance), rel=1e-10)
        assert row["n"] == y.size


def test_index_writes_a_readable_table_and_csv(tmp_path: Path) -> None:
    path = save(survey(), tmp_path)
    table, _ = run("index", path, "--scale-max", K)
    lines = table.splitlines()
    assert lines[0].split() == ["sector", "estimate", "se", "ci_low", "ci_high", "n", "weight_sum"]
    assert len({len(line) for line in lines}) == 1  # aligned
    csv, _ = run("index", path, "--scale-max", K, "--format", "csv")
    frame = pd.read_csv(StringIO(csv))
    assert frame.columns.tolist() == [
        "sector",
        "estimate",
        "se",
        "ci_low",
        "ci_high",
        "n",
        "weight_sum",
    ]
    assert frame["n"].tolist() == [40, 40]


def test_index_reads_xlsx_and_parquet_too(tmp_path: Path) -> None:
    frame = survey()
    csv = run_json("index", save(frame, tmp_path), "--scale-max", K, "--weight", "weight")
    frame.to_excel(tmp_path / "a.xlsx", index=False)
    frame.to_parquet(tmp_path / "a.parquet")
    for name in ("a.xlsx", "a.parquet"):
        other = run_json("index", tmp_path / name, "--scale-max", K, "--weight", "weight")
        assert [row["sector"] for row in other] == [row["sector"] for row in csv]
        for mine, reference in zip(other, csv, strict=True):
            assert mine["estimate"] == pytest.approx(reference["estimate"])
            assert mine["se"] == pytest.approx(reference["se"])


def test_index_ignores_blank_and_nan_scores_as_not_answered(tmp_path: Path) -> None:
    text = "respondent_id,sector,item,score\nA,s,a,3\nA,s,b,NaN\nB,s,a,\nB,s,b,0\nC,s,a,NaN\n"
    path = tmp_path / "a.csv"
    path.write_text(text)
    (row,) = run_json("index", path, "--scale-max", 3)
    assert row["estimate"] == pytest.approx(50.0)  # A: 100, B: 0; C answered nothing
    assert row["n"] == 2


def test_index_refuses_a_file_where_no_score_was_answered(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("respondent_id,sector,item,score\nA,s,a,\nB,s,a,NaN\n")
    assert "no score was answered" in fails("index", path, "--scale-max", 3)


def test_index_flags_a_domain_with_a_single_respondent(tmp_path: Path) -> None:
    frame = survey()
    frame.loc[frame["respondent_id"] == "R000", "age"] = "90+"
    path = save(frame, tmp_path)
    out, err = run("index", path, "--scale-max", K, "--by", "age", "--format", "json")
    lonely = [row for row in json.loads(out) if row["age"] == "90+"]
    assert [row["n"] for row in lonely] == [1, 1]
    assert all(row["se"] is None and row["ci_low"] is None for row in lonely)
    assert "age=90+, sector=health: a single respondent" in err


def test_index_stops_on_a_stratum_with_one_psu_and_says_what_to_do(tmp_path: Path) -> None:
    frame = survey()
    frame.loc[frame["stratum"] == 2, "psu"] = 0
    path = save(frame, tmp_path)
    design = ["--strata", "stratum", "--psu", "psu"]
    message = fails("index", path, "--scale-max", K, *design)
    assert "single PSU: [2]" in message
    assert "--single-psu certainty" in message
    certain = run_json("index", path, "--scale-max", K, *design, "--single-psu", "certainty")
    adjusted = run_json("index", path, "--scale-max", K, *design, "--single-psu", "adjust")
    assert all(a["se"] > c["se"] for a, c in zip(adjusted, certain, strict=True))


@pytest.mark.parametrize(
    ("weight", "problem"),
    [
        ("0", "line 2: weight 0 must be a finite number greater than 0"),
        ("-2", "line 2: weight -2 must be a finite number greater than 0"),
        ("", "line 2: weight is empty"),
        ("heavy", "line 2: weight 'heavy' is not a number"),
    ],
)
def test_index_refuses_weights_that_are_not_positive_numbers(
    tmp_path: Path, weight: str, problem: str
) -> None:
    path = tmp_path / "a.csv"
    path.write_text(f"respondent_id,sector,item,score,weight\nA,s,a,1,{weight}\nB,s,a,2,1\n")
    message = fails("index", path, "--scale-max", 3, "--weight", "weight")
    assert message.splitlines() == [
        f"{path}: 1 problem(s) found; nothing was computed.",
        f"  {problem}",
    ]


def test_index_refuses_empty_files_and_missing_columns(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert "the file is empty" in fails("index", empty, "--scale-max", 3)
    lacking = tmp_path / "lacking.csv"
    lacking.write_text("respondent_id,sector,score\nA,s,1\n")
    assert "lacks the column(s) item" in fails("index", lacking, "--scale-max", 3)
    assert "there is no file" in fails("index", tmp_path / "nowhere.csv", "--scale-max", 3)


def test_index_refuses_columns_that_are_not_respondent_level(tmp_path: Path) -> None:
    path = save(survey(), tmp_path)
    assert "--by region: not a column of the file" in fails(
        "index", path, "--scale-max", K, "--by", "region"
    )
    assert "--by item: an answer column" in fails("index", path, "--scale-max", K, "--by", "item")
    assert "lacks the column(s) wt" in fails("index", path, "--scale-max", K, "--weight", "wt")


def test_index_requires_a_positive_scale_max(tmp_path: Path) -> None:
    path = save(survey(), tmp_path)
    assert "must be greater than 0" in fails("index", path, "--scale-max", 0)
    assert "is outside 0..2" in fails("index", path, "--scale-max", 2)


# --- rake ------------------------------------------------------------------------------


def margins_file(tmp_path: Path, rows: list[tuple[str, str, float]]) -> Path:
    path = tmp_path / "margins.csv"
    pd.DataFrame(rows, columns=["variable", "category", "target"]).to_csv(path, index=False)
    return path


def test_rake_reproduces_the_margins(tmp_path: Path) -> None:
    frame = survey(n=60)
    path = save(frame, tmp_path)
    margins = margins_file(
        tmp_path,
        [
            ("sex", "f", 520),
            ("sex", "m", 480),
            ("age", "18-34", 300),
            ("age", "35-54", 350),
            ("age", "55+", 350),
        ],
    )
    out = tmp_path / "weights.csv"
    stdout, stderr = run("rake", path, "--margins", margins, "--weight", "weight", "--out", out)
    weights = pd.read_csv(out)
    assert weights.columns.tolist() == ["respondent_id", "raked_weight"]
    assert weights["respondent_id"].tolist() == sorted(frame["respondent_id"].unique())
    people = frame.drop_duplicates("respondent_id").merge(weights, on="respondent_id")
    assert people.groupby("sex")["raked_weight"].sum().to_dict() == pytest.approx(
        {"f": 520, "m": 480}
    )
    assert people.groupby("age")["raked_weight"].sum().to_dict() == pytest.approx(
        {"18-34": 300, "35-54": 350, "55+": 350}
    )
    assert "converged: yes" in stderr
    assert "Wrote 60 raked weights" in stdout


def test_rake_takes_shares_and_numeric_categories_and_reports_json(tmp_path: Path) -> None:
    frame = survey()
    path = save(frame, tmp_path)
    margins = margins_file(
        tmp_path, [("stratum", "0", 0.5), ("stratum", "1", 0.3), ("stratum", "2", 0.2)]
    )
    out = tmp_path / "w.csv"
    _, stderr = run("rake", path, "--margins", margins, "--out", out, "--format", "json")
    report = json.loads(stderr)
    assert report["converged"] is True
    assert report["respondents"] == 40
    people = frame.drop_duplicates("respondent_id").merge(pd.read_csv(out), on="respondent_id")
    shares = people.groupby("stratum")["raked_weight"].sum() / 40  # shares of the base total
    assert shares.to_dict() == pytest.approx({0: 0.5, 1: 0.3, 2: 0.2})


def test_rake_that_does_not_converge_fails_and_writes_nothing(tmp_path: Path) -> None:
    path = save(survey(), tmp_path)
    margins = margins_file(
        tmp_path,
        [
            ("sex", "f", 600),
            ("sex", "m", 400),
            ("age", "18-34", 100),
            ("age", "35-54", 450),
            ("age", "55+", 450),
        ],
    )
    out = tmp_path / "w.csv"
    message = fails("rake", path, "--margins", margins, "--out", out, "--max-iter", 1)
    assert "did not converge in 1 cycles" in message
    assert not out.exists()


def test_rake_refuses_margins_with_different_totals(tmp_path: Path) -> None:
    path = save(survey(), tmp_path)
    margins = margins_file(
        tmp_path,
        [
            ("sex", "f", 500),
            ("sex", "m", 500),
            ("age", "18-34", 300),
            ("age", "35-54", 300),
            ("age", "55+", 300),
        ],
    )
    message = fails("rake", path, "--margins", margins, "--out", tmp_path / "w.csv")
    assert "same total" in message


def test_rake_reports_bad_margin_lines_and_unknown_variables(tmp_path: Path) -> None:
    path = save(survey(), tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("variable,category,target\nsex,f,lots\nsex,m,-1\n")
    message = fails("rake", path, "--margins", bad, "--out", tmp_path / "w.csv")
    assert "line 2: target 'lots' is not a number" in message
    assert "line 3: target -1 must be a number greater than 0" in message
    other = margins_file(tmp_path, [("region", "north", 0.5), ("region", "south", 0.5)])
    assert "margin variable region: not a column" in fails(
        "rake", path, "--margins", other, "--out", tmp_path / "w.csv"
    )


def test_rake_names_categories_without_respondents(tmp_path: Path) -> None:
    path = save(survey(), tmp_path)
    margins = margins_file(tmp_path, [("sex", "f", 0.4), ("sex", "m", 0.4), ("sex", "x", 0.2)])
    assert "no respondent: ['x']" in fails(
        "rake", path, "--margins", margins, "--out", tmp_path / "w.csv"
    )


# --- gap -------------------------------------------------------------------------------


def test_gap_compares_officials_with_the_citizens_interval(tmp_path: Path) -> None:
    frame = survey(seed=3)
    citizens = save(frame, tmp_path)
    expected = respondent_index(frame)
    health = expected.loc[expected["sector"] == "health", "index"].to_numpy()
    safety = expected.loc[expected["sector"] == "safety", "index"].to_numpy()
    officials = tmp_path / "officials.csv"
    # Health: officials agree with citizens; safety: they expect far less.
    pd.DataFrame(
        {
            "respondent_id": ["o1", "o2", "o1", "o2"],
            "sector": ["health", "health", "safety", "safety"],
            "expected_index": [health.mean() - 1, health.mean() + 1, 2, 4],
        }
    ).to_csv(officials, index=False)
    result = run_json("gap", citizens, officials, "--scale-max", K)
    assert [row["sector"] for row in result] == ["health", "safety"]
    by_sector = {row["sector"]: row for row in result}
    assert by_sector["health"]["outside_ci"] is False
    assert by_sector["health"]["gap"] == pytest.approx(0, abs=1e-9)
    assert by_sector["safety"]["outside_ci"] is True
    assert by_sector["safety"]["officials_mean"] == 3
    assert by_sector["safety"]["officials_n"] == 2
    assert by_sector["safety"]["gap"] == pytest.approx(3 - safety.mean())
    se = safety.std(ddof=1) / np.sqrt(safety.size)
    t = stats.t.ppf(0.975, safety.size - 1)
    assert by_sector["safety"]["ci_low"] == pytest.approx(safety.mean() - t * se)
    assert set(result[0]) == {
        "sector",
        "citizens_estimate",
        "ci_low",
        "ci_high",
        "officials_mean",
        "officials_n",
        "gap",
        "outside_ci",
    }


def test_gap_flags_sectors_it_cannot_judge(tmp_path: Path) -> None:
    text = "respondent_id,sector,item,score\nA,s,a,3\nB,s,a,3\nD,s,a,2\nE,s,a,3\nC,t,a,2\n"
    citizens = tmp_path / "c.csv"
    citizens.write_text(text)
    officials = tmp_path / "o.csv"
    officials.write_text("respondent_id,sector,expected_index\no1,s,10\no1,t,20\no1,u,30\n")
    out, err = run("gap", citizens, officials, "--scale-max", 3, "--format", "json")
    rows = {row["sector"]: row for row in json.loads(out)}
    assert rows["s"]["outside_ci"] is True
    assert rows["t"]["citizens_estimate"] == pytest.approx(200 / 3)
    assert rows["t"]["outside_ci"] is None
    assert rows["t"]["gap"] == pytest.approx(20 - 200 / 3)
    assert rows["u"]["gap"] is None
    assert "sector t: a single citizen answered" in err
    assert "sector u: officials gave estimates, but no citizen answered" in err


def test_gap_reports_bad_official_lines(tmp_path: Path) -> None:
    citizens = save(survey(), tmp_path)
    officials = tmp_path / "o.csv"
    officials.write_text("respondent_id,sector,expected_index\no1,safety,0.4\no1,health,140\n")
    message = fails("gap", citizens, officials, "--scale-max", K)
    assert "line 3: expected_index 140 is outside 0..100" in message
    officials.write_text("")
    assert "the file is empty" in fails("gap", citizens, officials, "--scale-max", K)


def test_gap_csv_writes_booleans_as_true_and_false(tmp_path: Path) -> None:
    citizens = save(survey(), tmp_path)
    officials = tmp_path / "o.csv"
    officials.write_text("respondent_id,sector,expected_index\no1,safety,1\no1,health,2\n")
    out, _ = run("gap", citizens, officials, "--scale-max", K, "--format", "csv")
    assert pd.read_csv(StringIO(out), dtype=str)["outside_ci"].tolist() == ["true", "true"]


# --- as a script -----------------------------------------------------------------------


def test_the_command_line_runs_as_a_script_without_a_database(tmp_path: Path) -> None:
    path = save(survey(), tmp_path)
    environment = os.environ | {"DATABASE_URL": "sqlite:////nonexistent/dir/x.sqlite3"}
    command = [sys.executable, "-m", "coproduce.cli", "index", str(path), "--scale-max", "3"]
    done = subprocess.run(
        [*command, "--format", "json"], capture_output=True, text=True, env=environment, check=False
    )
    assert done.returncode == 0, done.stderr
    assert [row["sector"] for row in json.loads(done.stdout)] == ["health", "safety"]
    failed = subprocess.run(
        [*command, "--weight", "age"], capture_output=True, text=True, env=environment, check=False
    )
    assert failed.returncode != 0
    assert "line 2: age '" in failed.stderr
    assert "is not a number" in failed.stderr
    assert "Traceback" not in failed.stderr
