"""Clear days' notice of a meeting, counted as a council committee counts them.

The agenda and papers of a council committee are open to inspection at least five clear
days before it (Local Government Act 1972, s. 100B): a clear day is a whole working day
between the day the papers go out and the day of the meeting, neither counted, and
Saturdays, Sundays and bank holidays are not working days. For a partnership it is good
practice; psr counts the same way. Bank holidays are those of England and Wales: the
regular ones with their substitute days, and the days moved or added by proclamation.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

NOTICE_CLEAR_DAYS = 5

# Days moved or added by proclamation (England and Wales): the regular day each replaces
# (None for a day added), and the day itself.
_PROCLAIMED: tuple[tuple[date | None, date], ...] = (
    (date(1995, 5, 1), date(1995, 5, 8)),  # early May moved for VE Day's 50th anniversary
    (date(2002, 5, 27), date(2002, 6, 4)),  # spring moved for the Golden Jubilee
    (None, date(2002, 6, 3)),
    (None, date(2011, 4, 29)),  # royal wedding
    (date(2012, 5, 28), date(2012, 6, 4)),  # spring moved for the Diamond Jubilee
    (None, date(2012, 6, 5)),
    (date(2020, 5, 4), date(2020, 5, 8)),  # early May moved for VE Day's 75th anniversary
    (date(2022, 5, 30), date(2022, 6, 2)),  # spring moved for the Platinum Jubilee
    (None, date(2022, 6, 3)),
    (None, date(2022, 9, 19)),  # the state funeral of Queen Elizabeth II
    (None, date(2023, 5, 8)),  # the coronation of King Charles III
)


def _easter(year: int) -> date:
    """Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    last = (date(year, month + 1, 1) if month < 12 else date(year + 1, 1, 1)) - timedelta(days=1)
    return last - timedelta(days=last.weekday())


@cache
def bank_holidays(year: int) -> frozenset[date]:
    """The bank holidays of England and Wales in `year` (from 1978, when early May began)."""
    easter = _easter(year)
    regular = [
        date(year, 1, 1),
        easter - timedelta(days=2),
        easter + timedelta(days=1),
        _monday_on_or_after(date(year, 5, 1)),
        _last_monday(year, 5),
        _last_monday(year, 8),
        date(year, 12, 25),
        date(year, 12, 26),
    ]
    for replaced, proclaimed in _PROCLAIMED:
        if proclaimed.year == year:
            if replaced is not None:
                regular.remove(replaced)
            regular.append(proclaimed)
    holidays: set[date] = set()
    # A holiday on a weekend gives the next weekday that is not already a holiday.
    for day in sorted(regular):
        while day.weekday() >= 5 or day in holidays:
            day += timedelta(days=1)
        holidays.add(day)
    return frozenset(holidays)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def clear_days(issued: date, meeting: date) -> int:
    """The working days after the day the papers were issued and before the meeting's."""
    count = 0
    day = issued + timedelta(days=1)
    while day < meeting:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count


def latest_issue_date(meeting: date, clear: int = NOTICE_CLEAR_DAYS) -> date:
    """The last day papers can go out and still give `clear` clear days before `meeting`."""
    day = meeting
    counted = 0
    while counted < clear:
        day -= timedelta(days=1)
        counted += is_working_day(day)
    return day - timedelta(days=1)
