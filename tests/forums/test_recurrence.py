from datetime import date

import pytest

from coproduce.forums.recurrence import DAYS, LAST, MONTHLY, WEEKS, Rule, nth_weekday, occurrences

THURSDAY = 3


def test_every_three_weeks_steps_21_days_from_the_first_meeting() -> None:
    dates = list(occurrences(Rule(WEEKS, 3), date(2026, 1, 6), date(2026, 3, 31)))
    assert dates == [
        date(2026, 1, 6),
        date(2026, 1, 27),
        date(2026, 2, 17),
        date(2026, 3, 10),
        date(2026, 3, 31),
    ]


def test_every_n_days() -> None:
    assert list(occurrences(Rule(DAYS, 10), date(2026, 1, 1), date(2026, 1, 25))) == [
        date(2026, 1, 1),
        date(2026, 1, 11),
        date(2026, 1, 21),
    ]


def test_monthly_on_the_second_thursday() -> None:
    rule = Rule(MONTHLY, 1, weekday=THURSDAY, week_of_month=2)
    dates = list(occurrences(rule, date(2025, 11, 1), date(2026, 2, 28)))
    assert dates == [date(2025, 11, 13), date(2025, 12, 11), date(2026, 1, 8), date(2026, 2, 12)]
    assert all(day.weekday() == THURSDAY for day in dates)


def test_a_monthly_date_before_the_first_meeting_is_skipped() -> None:
    rule = Rule(MONTHLY, 1, weekday=THURSDAY, week_of_month=2)
    assert next(occurrences(rule, date(2025, 11, 20), date(2026, 1, 31))) == date(2025, 12, 11)


def test_the_last_weekday_and_every_other_month_across_a_year_end() -> None:
    rule = Rule(MONTHLY, 2, weekday=THURSDAY, week_of_month=LAST)
    dates = list(occurrences(rule, date(2025, 11, 1), date(2026, 5, 31)))
    assert dates == [date(2025, 11, 27), date(2026, 1, 29), date(2026, 3, 26), date(2026, 5, 28)]
    assert nth_weekday(2026, 2, THURSDAY, LAST) == date(2026, 2, 26)


def test_a_monthly_rule_without_a_weekday_is_refused() -> None:
    with pytest.raises(ValueError, match="weekday"):
        list(occurrences(Rule(MONTHLY), date(2026, 1, 1), date(2026, 2, 1)))
