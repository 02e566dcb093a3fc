"""The cost of engagement (issue #7, point 5): pure arithmetic in money, no Django.

    cost = money spent + staff hours x staff rate + volunteer hours x volunteer rate
    cost per participant = cost / distinct people who took part
    cost per household   = cost / households in the area     (for one year)

Money is ``Decimal``, rounded to the penny at the end; amounts in different currencies are
never added (no silent conversion). The benchmark of the UK review of community
involvement, £45–£60 per household per year at 2005 prices, is uprated to the year asked
with the caller's price index (``social_value.uprate``), which names any missing year.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from coproduce.analysis.social_value import uprate

PENNY = Decimal("0.01")


class CostError(ValueError):
    """Bad input, naming the field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _pennies(value: Decimal) -> Decimal:
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def _not_negative(**values: Decimal) -> None:
    for field, value in values.items():
        if value < 0:
            raise CostError(field, f"cannot be negative, not {value}")


def _currency(code: str, field: str) -> str:
    if len(code) != 3 or not code.isalpha() or not code.isupper():
        raise CostError(field, f"must be a three-letter ISO 4217 code such as GBP, not {code!r}")
    return code


@dataclass(frozen=True)
class HourRates:
    currency: str
    staff: Decimal  # a staff hour, in ``currency``
    volunteer: Decimal  # a volunteer hour, in ``currency``


@dataclass(frozen=True)
class EngagementInputs:
    # Money spent, summed per currency: {"GBP": Decimal("1200.00")}.
    money: dict[str, Decimal]
    staff_hours: Decimal
    volunteer_hours: Decimal


@dataclass(frozen=True)
class EngagementCost:
    currency: str
    money: Decimal
    staff_hours: Decimal
    staff_value: Decimal
    volunteer_hours: Decimal
    volunteer_value: Decimal

    @property
    def total(self) -> Decimal:
        return self.money + self.staff_value + self.volunteer_value


def engagement_cost(inputs: EngagementInputs, rates: HourRates) -> EngagementCost:
    """The money spent plus the hours valued at the rates, in the rates' currency."""
    currency = _currency(rates.currency, "currency")
    _not_negative(
        staff_rate=rates.staff,
        volunteer_rate=rates.volunteer,
        staff_hours=inputs.staff_hours,
        volunteer_hours=inputs.volunteer_hours,
    )
    spent = {code: amount for code, amount in inputs.money.items() if amount}
    others = sorted(set(spent) - {currency})
    if others:
        raise CostError(
            "cost_currency",
            f"activities were costed in {', '.join(others)}, not {currency}: "
            "amounts in different currencies are not added",
        )
    money = spent.get(currency, Decimal("0"))
    _not_negative(cost=money)
    return EngagementCost(
        currency=currency,
        money=_pennies(money),
        staff_hours=inputs.staff_hours,
        staff_value=_pennies(inputs.staff_hours * rates.staff),
        volunteer_hours=inputs.volunteer_hours,
        volunteer_value=_pennies(inputs.volunteer_hours * rates.volunteer),
    )


def per_head(total: Decimal, count: int | None) -> Decimal | None:
    """``total`` shared among ``count`` people or households; None when there are none."""
    if count is None or count <= 0:
        return None
    return _pennies(total / count)


@dataclass(frozen=True)
class Benchmark:
    low: Decimal
    high: Decimal
    currency: str
    price_year: int


# The UK review of community involvement (seed 003): £45–£60 per household per year.
HOUSEHOLD_BENCHMARK = Benchmark(Decimal("45"), Decimal("60"), "GBP", 2005)


def uprated(benchmark: Benchmark, to_year: int, index: dict[int, Decimal]) -> Benchmark:
    """The benchmark in ``to_year`` prices; ValueError naming a year the index lacks."""
    points = {year: float(value) for year, value in index.items()}

    def one(value: Decimal) -> Decimal:
        return _pennies(Decimal(str(uprate(float(value), benchmark.price_year, to_year, points))))

    return Benchmark(one(benchmark.low), one(benchmark.high), benchmark.currency, to_year)
