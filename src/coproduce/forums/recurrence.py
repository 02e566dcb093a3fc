"""When a forum meets: a simple rule, turned into dates.

Three rules cover the study's cases and most others: every N days, every N weeks (Case
1's volunteer meetings every three weeks) and monthly on the nth weekday (Case 2's
monthly users' forum, e.g. the second Thursday). Pure date arithmetic: no Django.
"""

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

DAYS = "days"
WEEKS = "weeks"
MONTHLY = "monthly"
LAST = -1  # "the last Thursday of the month"


@dataclass(frozen=True)
class Rule:
    kind: str  # DAYS, WEEKS or MONTHLY
    interval: int = 1
    # MONTHLY only: 0 Monday … 6 Sunday, and 1–4 or LAST for which one in the month.
    weekday: int | None = None
    week_of_month: int | None = None


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The nth (1–4, or LAST) given weekday of a month."""
    if nth == LAST:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def occurrences(rule: Rule, start: date, until: date) -> Iterator[date]:
    """The dates of the rule from ``start`` (the first meeting) up to ``until`` inclusive."""
    if rule.interval < 1:
        raise ValueError("interval must be at least 1")
    if rule.kind in (DAYS, WEEKS):
        step = timedelta(days=rule.interval * (7 if rule.kind == WEEKS else 1))
        day = start
        while day <= until:
            yield day
            day += step
        return
    if rule.kind != MONTHLY or rule.weekday is None or rule.week_of_month is None:
        raise ValueError("a monthly rule needs a weekday and which one in the month")
    year, month = start.year, start.month
    while True:
        day = nth_weekday(year, month, rule.weekday, rule.week_of_month)
        if day > until:
            return
        if day >= start:
            yield day
        month += rule.interval
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
