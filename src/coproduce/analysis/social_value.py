"""Social value and the social return on investment (issue #7, point 4).

Pure functions (no Django). Each outcome is valued with a financial proxy, made honest
by the four standard adjustments, spread over the years it lasts and discounted:

    value in year t = quantity x proxy (uprated to the base year)
                      x (1 - deadweight) x (1 - attribution) x (1 - displacement)
                      x (1 - drop-off) ** (t - 1)                       t = 1 .. duration
    present value   = sum over t of  value in year t / (1 + r) ** t

* **deadweight**: the share that would have happened anyway;
* **attribution**: the share due to others (other services, family, friends);
* **displacement**: the share that only moved a benefit from elsewhere;
* **drop-off**: the share of the outcome lost each year after the first;
* **uprating**: a proxy of price year ``y`` is multiplied by ``index[base] / index[y]``
  (a price index such as the GDP deflator, supplied by the caller with its source);
* **discounting** at ``r`` (default 3.5 %, the HM Treasury Green Book rate), from the
  end of the first year, as SROI guidance does.

    SROI ratio = total present value / investment

**Sensitivity**: each assumption of each outcome is moved alone (shares by ±10 points,
clipped to 0..1; the proxy by ±25 %; the duration by ±1 year, at least 1) and the
discount rate to 1.5 % and 5 %; the ratio is recomputed each time. The assumption whose
range moves the ratio most is the *most uncertain*. The **break-even** value of an
assumption is the value at which the ratio would be exactly 1, the others as they are
(see ``break_even``: exact for the proxy and for a share the present value is
proportional to one minus, by bisection for drop-off and the discount rate, the fewest
whole years for the duration).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

GREEN_BOOK_RATE = 0.035
SHARE_STEP = 0.10
PROXY_STEP = 0.25

Share = Literal["deadweight", "attribution", "displacement", "drop_off"]
SHARES: tuple[Share, ...] = ("deadweight", "attribution", "displacement", "drop_off")


@dataclass(frozen=True)
class Outcome:
    name: str
    quantity: float  # people (or units, such as WELLBYs) who gained the outcome
    proxy: float  # money a unit is worth, in ``price_year`` prices
    price_year: int
    deadweight: float = 0.0
    attribution: float = 0.0
    displacement: float = 0.0
    drop_off: float = 0.0
    duration: int = 1  # years the outcome lasts


def _check(outcome: Outcome) -> None:
    if outcome.quantity < 0 or outcome.proxy < 0:
        raise ValueError(f"{outcome.name}: quantity and proxy cannot be negative")
    if outcome.duration < 1:
        raise ValueError(f"{outcome.name}: an outcome lasts at least one year")
    for share in SHARES:
        value = getattr(outcome, share)
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"{outcome.name}: {share} must be between 0 and 1, not {value}")


def uprate(value: float, from_year: int, to_year: int, index: Mapping[int, float]) -> float:
    """``value`` in ``from_year`` prices, in ``to_year`` prices."""
    for year in (from_year, to_year):
        if year not in index:
            raise ValueError(f"the price index has no value for {year}")
    return value * index[to_year] / index[from_year]


def yearly_values(outcome: Outcome, *, base_year: int, index: Mapping[int, float]) -> list[float]:
    """The outcome's value in each year it lasts, after the four adjustments."""
    _check(outcome)
    first = (
        outcome.quantity
        * uprate(outcome.proxy, outcome.price_year, base_year, index)
        * (1 - outcome.deadweight)
        * (1 - outcome.attribution)
        * (1 - outcome.displacement)
    )
    return [first * (1 - outcome.drop_off) ** year for year in range(outcome.duration)]


def present_value(
    outcome: Outcome,
    *,
    base_year: int,
    index: Mapping[int, float],
    rate: float = GREEN_BOOK_RATE,
) -> float:
    values = yearly_values(outcome, base_year=base_year, index=index)
    return sum(value / (1 + rate) ** year for year, value in enumerate(values, start=1))


@dataclass(frozen=True)
class Sroi:
    present_values: dict[str, float]
    total: float
    investment: float

    @property
    def ratio(self) -> float:
        return self.total / self.investment


def sroi(
    outcomes: Sequence[Outcome],
    investment: float,
    *,
    base_year: int,
    index: Mapping[int, float],
    rate: float = GREEN_BOOK_RATE,
) -> Sroi:
    if investment <= 0:
        raise ValueError("the investment must be more than 0")
    if len({o.name for o in outcomes}) != len(outcomes):
        raise ValueError("each outcome must have its own name")
    values = {
        o.name: present_value(o, base_year=base_year, index=index, rate=rate) for o in outcomes
    }
    return Sroi(present_values=values, total=sum(values.values()), investment=investment)


@dataclass(frozen=True)
class Variation:
    outcome: str  # "" for the discount rate, which applies to every outcome
    assumption: str
    low: float
    high: float
    ratio_low: float
    ratio_high: float

    @property
    def swing(self) -> float:
        return abs(self.ratio_high - self.ratio_low)


def _varied(outcomes: Sequence[Outcome], name: str, field: str, value: float) -> list[Outcome]:
    """The outcomes with one assumption of one of them changed."""
    change: dict[str, Any] = {field: value}
    return [replace(o, **change) if o.name == name else o for o in outcomes]


def sensitivity(
    outcomes: Sequence[Outcome],
    investment: float,
    *,
    base_year: int,
    index: Mapping[int, float],
    rate: float = GREEN_BOOK_RATE,
) -> list[Variation]:
    """Every assumption moved alone, the largest swing first."""

    def ratio(varied: Sequence[Outcome], at: float = rate) -> float:
        return sroi(varied, investment, base_year=base_year, index=index, rate=at).ratio

    rows = []
    for o in outcomes:
        for share in SHARES:
            now = getattr(o, share)
            low, high = max(0.0, now - SHARE_STEP), min(1.0, now + SHARE_STEP)
            rows.append(
                Variation(
                    o.name,
                    share,
                    low,
                    high,
                    ratio(_varied(outcomes, o.name, share, low)),
                    ratio(_varied(outcomes, o.name, share, high)),
                )
            )
        low_proxy, high_proxy = o.proxy * (1 - PROXY_STEP), o.proxy * (1 + PROXY_STEP)
        rows.append(
            Variation(
                o.name,
                "proxy",
                low_proxy,
                high_proxy,
                ratio(_varied(outcomes, o.name, "proxy", low_proxy)),
                ratio(_varied(outcomes, o.name, "proxy", high_proxy)),
            )
        )
        shorter, longer = max(1, o.duration - 1), o.duration + 1
        rows.append(
            Variation(
                o.name,
                "duration",
                shorter,
                longer,
                ratio(_varied(outcomes, o.name, "duration", shorter)),
                ratio(_varied(outcomes, o.name, "duration", longer)),
            )
        )
    rows.append(
        Variation("", "discount rate", 0.015, 0.05, ratio(outcomes, 0.015), ratio(outcomes, 0.05))
    )
    return sorted(rows, key=lambda row: -row.swing)


def break_even(
    outcomes: Sequence[Outcome],
    investment: float,
    *,
    outcome: str,
    assumption: str,
    base_year: int,
    index: Mapping[int, float],
    rate: float = GREEN_BOOK_RATE,
) -> float | None:
    """The value of one assumption at which the ratio is exactly 1 (the others as they
    are); None when no value in the assumption's range gets there.

    * a share of ``outcome`` (deadweight, attribution, displacement: the present value
      is proportional to one minus it, so it is solved exactly; drop-off, a polynomial
      in the years, by bisection), between 0 and 1;
    * its ``"proxy"``: the present value is proportional to it, solved exactly, 0 or more;
    * its ``"duration"``: whole years, the fewest (from 1 to 100) that bring the ratio
      to 1 or more; None if even 1 year does (no shorter outcome is valued);
    * the ``"discount rate"`` (``outcome`` ""), between 0 and 1, by bisection.
    """
    if assumption == "discount rate":
        return _rate_break_even(outcomes, investment, base_year=base_year, index=index)
    if outcome not in {o.name for o in outcomes}:
        raise ValueError(f"no outcome is named {outcome!r}")

    def total_at(value: float) -> float:
        varied = _varied(outcomes, outcome, assumption, value)
        return sroi(varied, investment, base_year=base_year, index=index, rate=rate).total

    if assumption == "duration":
        years = next((d for d in range(1, 101) if total_at(d) >= investment), None)
        return None if years in (None, 1) else float(years)  # type: ignore[arg-type]
    if assumption in ("proxy", "deadweight", "attribution", "displacement"):
        # Linear: the outcome's own present value at the assumption's zero-effect point,
        # and the rest, which the assumption does not touch.
        neutral = 1.0 if assumption == "proxy" else 0.0
        own = total_at(neutral) - total_at(0.0 if assumption == "proxy" else 1.0)
        others = total_at(0.0 if assumption == "proxy" else 1.0)
        if own <= 0:
            return None
        needed = (investment - others) / own
        value = needed if assumption == "proxy" else 1 - needed
        low, high = (0.0, float("inf")) if assumption == "proxy" else (0.0, 1.0)
        return value if low <= value <= high else None
    if assumption != "drop_off":
        raise ValueError(f"no assumption is named {assumption!r}")
    return _bisect(lambda value: total_at(value) - investment, 0.0, 1.0)


def _rate_break_even(
    outcomes: Sequence[Outcome], investment: float, *, base_year: int, index: Mapping[int, float]
) -> float | None:
    def gap(value: float) -> float:
        return (
            sroi(outcomes, investment, base_year=base_year, index=index, rate=value).total
            - investment
        )

    return _bisect(gap, 0.0, 1.0)


def _bisect(gap: Callable[[float], float], low: float, high: float) -> float | None:
    """Where ``gap`` (monotonic) crosses 0 between ``low`` and ``high``; None if it does not."""
    if gap(low) * gap(high) > 0:
        return None
    for _step in range(60):
        middle = (low + high) / 2
        if gap(low) * gap(middle) <= 0:
            high = middle
        else:
            low = middle
    return (low + high) / 2
