"""Time the co-production index with standard errors by sector × country: ours vs samplics.

The task: from ``N`` respondents × 3 sectors × 4 items of answers (``12 N`` rows), compute
every respondent's index per sector, then its weighted mean by sector × country with a
Taylor-linearised standard error (strata = countries, clusters = PSUs). Each side runs in
its own subprocess on the same deterministic data, so that peak memory is measured per
side and one side's garbage does not slow the other:

* **ours**: :func:`coproduction_index` → attach the design (a binary search per
  respondent on the design's sorted ids, shared by both sides) → :func:`estimate_mean`;
  peak memory as the process's ``ru_maxrss`` (data included) and as ``tracemalloc``'s
  peak over the pipeline alone (a second, untimed pass, since tracing slows it down);
* **samplics**: the index with a plain pandas ``groupby`` (samplics has none) → the same
  join → ``TaylorEstimator(PopParam.mean).estimate(...)``.

Both wall-clock and CPU (``time.process_time``) seconds are reported; on a shared machine
CPU time is the steadier measure. The results of both sides are compared.

Usage: ``.venv/bin/python -m benchmarks.bench_index --respondents 1000000``
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.generate_survey import COUNTRIES, DEFAULT_SEED, K, generate_survey, item_tags
from coproduce.analysis.index import coproduction_index
from coproduce.analysis.survey import estimate_mean

ROOT = Path(__file__).resolve().parents[1]
MEMORY_TARGET_MB = 2048
SPEED_TARGET = 0.05


class Stopwatch:
    """Wall and CPU seconds of named steps."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def run(self, name: str, step: Callable[[], Any]) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        result = step()
        self.wall[name] = time.perf_counter() - wall
        self.cpu[name] = time.process_time() - cpu
        return result


def attach_design(index: pd.DataFrame, respondents: pd.DataFrame) -> pd.DataFrame:
    """One row per respondent × sector with its index and its respondent's design."""
    ids = respondents["respondent_id"].to_numpy()
    position = _positions(ids, index["respondent_id"].to_numpy())
    country = respondents["country"]
    return pd.DataFrame(
        {
            "sector": index["sector"].array,
            "index": index["index"].to_numpy(),
            "country": pd.Categorical.from_codes(
                country.cat.codes.to_numpy()[position], dtype=country.dtype
            ),
            "psu": respondents["psu"].to_numpy()[position],
            "weight": respondents["weight"].to_numpy()[position],
        },
        copy=False,  # fresh arrays: no need for pandas to copy them again
    )


def _positions(sorted_ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Where each of ``wanted`` sits in ``sorted_ids``: a binary search per run of equal ids.

    The index has one row per respondent and sector, grouped by respondent, so each
    respondent is looked up once rather than once per sector (correct in any order).
    """
    if wanted.size == 0:
        return np.zeros(0, dtype=np.intp)
    starts = np.flatnonzero(np.concatenate(([True], wanted[1:] != wanted[:-1])))
    found = np.searchsorted(sorted_ids, wanted[starts])
    return np.repeat(found, np.diff(np.append(starts, wanted.size)))


def our_pipeline(survey: Any, clock: Stopwatch) -> pd.DataFrame:
    index = clock.run("index", lambda: coproduction_index(survey.answers, K, item_tags=item_tags()))
    frame = clock.run("join", lambda: attach_design(index, survey.respondents))
    return clock.run(
        "estimate",
        lambda: estimate_mean(
            frame,
            "index",
            weight="weight",
            strata="country",
            psu="psu",
            by=["sector", "country"],
        ),
    )


def worker_ours(args: argparse.Namespace) -> dict[str, Any]:
    survey = generate_survey(args.respondents, seed=args.seed)
    rss_data = _maxrss_mb()
    runs = []
    for _ in range(args.repeat):
        clock = Stopwatch()
        result = our_pipeline(survey, clock)
        runs.append(clock)
    rss_peak = _maxrss_mb()
    tracemalloc.start()
    our_pipeline(survey, Stopwatch())
    traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    # The best run by each clock: on a shared machine the fastest run by the wall clock is
    # often not the one that used the least CPU.
    best_wall = min(runs, key=lambda clock: sum(clock.wall.values()))
    best_cpu = min(runs, key=lambda clock: sum(clock.cpu.values()))
    return {
        "first": {"wall": runs[0].wall, "cpu": runs[0].cpu},
        "best": {"wall": best_wall.wall, "cpu": best_cpu.cpu},
        "repeat": args.repeat,
        "rss_after_data_mb": rss_data,
        "rss_peak_mb": rss_peak,
        "traced_peak_mb": traced_peak,
        "estimates": _records(result),
    }


def samplics_index(answers: pd.DataFrame) -> pd.DataFrame:
    """The index the plain pandas way: what one would write without our engine."""
    mean = (
        answers.dropna(subset=["score"])
        .groupby(["respondent_id", "sector"], observed=True)["score"]
        .mean()
    )
    return (mean * 100.0 / K).rename("index").reset_index()


def worker_samplics(args: argparse.Namespace) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # samplics announces that it is archived
        from samplics.estimation import TaylorEstimator
        from samplics.utils.types import PopParam

    survey = generate_survey(args.respondents, seed=args.seed)
    clock = Stopwatch()
    index = clock.run("index", lambda: samplics_index(survey.answers))
    frame = clock.run("join", lambda: attach_design(index, survey.respondents))
    sector = frame["sector"].cat.codes.to_numpy().astype(np.int64)
    country = frame["country"].cat.codes.to_numpy().astype(np.int64)
    estimator = TaylorEstimator(PopParam.mean)

    def estimate() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            estimator.estimate(
                y=frame["index"].to_numpy(),
                samp_weight=frame["weight"].to_numpy(),
                stratum=country,
                psu=frame["psu"].to_numpy(),
                domain=sector * len(COUNTRIES) + country,
            )

    clock.run("estimate", estimate)
    sectors = frame["sector"].cat.categories
    estimates = [
        {
            "sector": sectors[key // len(COUNTRIES)],
            "country": COUNTRIES[key % len(COUNTRIES)],
            "estimate": float(estimator.point_est[key]),
            "se": float(estimator.stderror[key]),
        }
        for key in sorted(estimator.point_est)
    ]
    return {"wall": clock.wall, "cpu": clock.cpu, "estimates": estimates}


def _records(result: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "sector": str(row.sector),
            "country": str(row.country),
            "estimate": float(row.estimate),
            "se": float(row.se),
        }
        for row in result.itertuples()
    ]


def _maxrss_mb() -> float:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_worker(side: str, args: argparse.Namespace, timeout: float) -> dict[str, Any] | None:
    command = [
        sys.executable,
        "-m",
        "benchmarks.bench_index",
        "--worker",
        side,
        "--respondents",
        str(args.respondents),
        "--seed",
        str(args.seed),
        "--repeat",
        str(args.repeat),
    ]
    try:
        done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
            command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=True
        )
    except subprocess.TimeoutExpired:
        print(f"{side}: timed out after {timeout:.0f} s")
        return None
    except subprocess.CalledProcessError as error:
        print(f"{side}: failed\n{error.stderr}")
        return None
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def report(args: argparse.Namespace, ours: dict[str, Any], theirs: dict[str, Any] | None) -> None:
    n = args.respondents
    print(f"{n:,} respondents, {12 * n:,} answers, {3 * n:,} respondent × sector rows")
    runs = [("ours, first run", ours["first"]), (f"ours, best of {ours['repeat']}", ours["best"])]
    if theirs is not None:
        runs.append(("samplics", theirs))
    print(f"{'seconds':<24}" + "".join(f"{s:>10}" for s in ("index", "join", "estimate", "total")))
    for name, run in runs:
        for clock in ("wall", "cpu"):
            steps = [run[clock][step] for step in ("index", "join", "estimate")]
            cells = "".join(f"{value:>10.3f}" for value in [*steps, sum(steps)])
            print(f"{name + ' ' + clock:<24}{cells}")
    if theirs is not None:
        for name, run in runs[:2]:
            _ratios(name, run, theirs)
        _agreement(ours, theirs)
    print(
        f"our peak memory: {ours['rss_peak_mb']:.0f} MB RSS for the whole process "
        f"({ours['rss_after_data_mb']:.0f} MB of it once the data were generated); "
        f"{ours['traced_peak_mb']:.0f} MB traced by tracemalloc for the pipeline alone "
        f"(target <= {MEMORY_TARGET_MB} MB)"
    )


def _ratios(name: str, ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    for clock in ("wall", "cpu"):
        our_total = sum(ours[clock].values())
        their_total = sum(theirs[clock].values())
        print(
            f"ratio, {name} / samplics ({clock}): whole pipeline {our_total / their_total:.1%}, "
            f"estimation {ours[clock]['estimate'] / theirs[clock]['estimate']:.1%}, "
            f"our whole pipeline / samplics' estimation "
            f"{our_total / theirs[clock]['estimate']:.1%} (target <= {SPEED_TARGET:.0%})"
        )


def _agreement(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    mine = pd.DataFrame(ours["estimates"]).set_index(["sector", "country"])
    other = pd.DataFrame(theirs["estimates"]).set_index(["sector", "country"]).loc[mine.index]
    for column in ("estimate", "se"):
        difference = ((mine[column] - other[column]).abs() / other[column].abs()).max()
        print(f"max relative difference in {column}: {difference:.2e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--skip-samplics", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs of our pipeline")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per side")
    parser.add_argument("--worker", choices=["ours", "samplics"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        work = worker_ours if args.worker == "ours" else worker_samplics
        print(json.dumps(work(args)))
        return
    ours = run_worker("ours", args, args.timeout)
    if ours is None:
        raise SystemExit(1)
    theirs = None if args.skip_samplics else run_worker("samplics", args, args.timeout)
    report(args, ours, theirs)


if __name__ == "__main__":
    main()
