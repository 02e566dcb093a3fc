"""The worked examples of docs/impact-methods.md, read from the page and recomputed.

The SWEMWBS answers and the twelve pairs are taken from the page's tables, run through
the product's own functions, and every figure the page prints in bold on a "- **label**"
line is compared, rounded as printed. A figure added to the page without a check here,
or a check whose figure left the page, fails, so the page and the code cannot drift.
"""

import math
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
from django.utils import translation
from scipy import stats

from coproduce.analysis.change import paired_change
from coproduce.analysis.instruments import swemwbs_raw
from coproduce.impact.instruments import INSTRUMENTS, item_scores

METHODS = Path(__file__).resolve().parents[2] / "docs" / "impact-methods.md"
FIGURE = re.compile(r"^- \*\*(?P<label>[^*]+)\*\*(?P<rest>.*(?:\n  .*)*)", re.MULTILINE)
BOLD = re.compile(r"\*\*([^*]+)\*\*")


def section(heading: str) -> str:
    text = METHODS.read_text(encoding="utf-8")
    start = text.index(f"\n## {heading}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def table(text: str) -> list[list[str]]:
    """The body rows of the section's table, cell by cell (minus signs made ASCII)."""
    lines = [line for line in text.splitlines() if line.startswith("|")]
    return [
        [cell.strip().replace("−", "-") for cell in line.strip("|").split("|")]
        for line in lines[2:]
    ]


def figures(text: str) -> dict[str, str]:
    """{label: the last bold figure of its line} for each "- **label** ..." line."""
    return {match["label"]: BOLD.findall(match["rest"])[-1] for match in FIGURE.finditer(text)}


def printed(value: float, figure: str) -> str:
    """``value`` as the page prints ``figure``: its decimals, and per cent if it is one."""
    number = figure.removesuffix(" %")
    decimals = len(number.partition(".")[2])
    scaled = value * 100 if figure.endswith(" %") else value
    return f"{scaled:.{decimals}f}" + (" %" if figure.endswith(" %") else "")


def check(page: dict[str, str], expected: dict[str, Callable[[str], str]]) -> None:
    assert set(page) == set(expected), "every figure on the page is checked, and only those"
    for label, figure in page.items():
        assert expected[label](figure) == figure, label


def number(value: float) -> Callable[[str], str]:
    return lambda figure: printed(value, figure)


def words(value: str | None) -> Callable[[str], str]:
    return lambda _figure: str(value)


# ---------------------------------------------------------------------------------------


def test_the_swemwbs_example_is_scored_as_the_page_says() -> None:
    text = section("A SWEMWBS score, by hand")
    swemwbs = INSTRUMENTS["swemwbs"]
    rows = table(text)
    with translation.override("en"):
        statements = [str(item.text).replace("’", "'") for item in swemwbs.items]
    assert [row[1] for row in rows] == statements
    # As the forms store them: each answer's position among the options (1 to 5).
    answers = {item.key: row[2] for item, row in zip(swemwbs.items, rows, strict=True)}
    scores = item_scores(swemwbs, answers)
    (metric,) = swemwbs.measures
    check(
        figures(text),
        {"raw score": number(swemwbs_raw(scores)), "metric score": number(metric.score(scores))},
    )


def test_the_paired_change_example_gives_every_printed_figure() -> None:
    text = section("A paired change with its 95 % confidence interval, by hand")
    rows = table(text)
    before = {row[0]: float(row[1]) for row in rows}
    after = {row[0]: float(row[2]) for row in rows}
    for person, _b, _a, change in rows:
        assert float(change) == after[person] - before[person], person
    result = paired_change(before, after)
    assert not result.suppressed
    assert result.mean_change is not None
    assert result.effect_size is not None
    assert result.ci_low is not None
    assert result.ci_high is not None
    interval = (result.ci_low, result.ci_high)
    changes = np.array([after[p] - before[p] for p in before])
    n = len(changes)
    t_critical = float(stats.t.ppf(0.975, n - 1))
    half_width = result.ci_high - result.mean_change
    sd = result.mean_change / result.effect_size
    # The page's hand-computed standard deviation and standard error are the function's.
    assert math.isclose(sd, float(changes.std(ddof=1)))
    assert math.isclose(half_width / t_critical, sd / math.sqrt(n))
    check(
        figures(text),
        {
            "mean before": number(result.mean_before or 0.0),
            "mean after": number(result.mean_after or 0.0),
            "sum of the changes": number(float(changes.sum())),
            "mean change": number(result.mean_change),
            "sum of squared deviations": number(float(((changes - changes.mean()) ** 2).sum())),
            "standard deviation of the changes": number(sd),
            "standard error": number(half_width / t_critical),
            "t critical value": number(t_critical),
            "half-width": number(half_width),
            "95 % confidence interval": lambda figure: " to ".join(
                printed(value, part)
                for value, part in zip(interval, figure.split(" to "), strict=True)
            ),
            "Cohen's d_z": number(result.effect_size),
            "normality of the changes": number(float(stats.shapiro(changes).pvalue)),
            "test chosen": words(result.test),
            "t statistic": number(result.statistic or 0.0),
            "p-value": number(result.p_value or 0.0),
            "improved": number(result.improved or 0.0),
            "the same": number(result.same or 0.0),
            "worse": number(result.worse or 0.0),
            "WELLBYs": number(result.mean_change * result.attrition.paired),
        },
    )
