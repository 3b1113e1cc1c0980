"""Shared text formatting and parsing for the CLI, the screens and the exports."""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

_MONTHS = {
    name.lower(): number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

DATE_HINT = "use 2016-05-01, 01/05/2016 or May 2016"

# Dates psr accepts. A "no date" marker such as 31/12/9999 is outside them on purpose: an
# empty field is how no date is written, and a far-off year breaks every date sum after it.
FIRST_YEAR, LAST_YEAR = 1900, 2200


class Month(date):
    """A date known only to its month: "Feb 2016", seed 001's "February 16".

    It stands for a day of that month, and compares, sorts and subtracts as that day, so
    overdue and phase checks need nothing of their own: the last day for a due date (a
    month-only date is due at the end of its month), the first for a start (`Month.first`).
    It is shown as the month, stored as "2016-02" (`stored_date`), and `isoformat()` gives
    the day it stands for, the ISO date the JSON output carries. Date arithmetic on it gives
    an ordinary date. It equals only the same Month, not the day it stands for: changing
    "29 Feb 2016" to "Feb 2016" is a change.
    """

    def __new__(cls, year: Any, month: int | None = None, day: int | None = None) -> Month:
        if month is None:  # copy and pickle rebuild a date from its state bytes
            return super().__new__(cls, year)  # type: ignore[call-arg]
        if day is not None:
            # `date + timedelta` and friends build their result as cls(year, month, day):
            # a sum is an ordinary day, not a month.
            return date(year, month, day)  # type: ignore[return-value]
        return super().__new__(cls, year, month, calendar.monthrange(year, month)[1])

    @classmethod
    def first(cls, year: int, month: int) -> Month:
        """The month standing for its first day: the start of something."""
        return date.__new__(cls, year, month, 1)

    @property
    def is_first(self) -> bool:
        return self.day == 1

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Month):
            return date.__eq__(self, other)
        if isinstance(other, date):
            return False
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return date.__hash__(self)

    def __repr__(self) -> str:
        if self.is_first:
            return f"Month.first({self.year}, {self.month})"
        return f"Month({self.year}, {self.month})"


def as_month_start(day: date) -> date:
    """A month-only date as the start of its month (a phase that starts "Mar 2016")."""
    if isinstance(day, Month) and not day.is_first:
        return Month.first(day.year, day.month)
    return day


def as_month_end(day: date) -> date:
    """A month-only date as the end of its month (due "Feb 2016": by 29 Feb)."""
    if isinstance(day, Month) and day.is_first:
        return Month(day.year, day.month)
    return day


def date_in_range(day: date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def out_of_range(day: date | str) -> str:
    """The one message for a date outside the years psr accepts."""
    shown = day if isinstance(day, str) else format_date(day)
    return (
        f"{shown} is outside the years {FIRST_YEAR}-{LAST_YEAR}: "
        "no date is written as an empty field"
    )


def parse_date(text: str, *, bounded: bool = True) -> date:
    """Read a date typed the ways officers write them.

    Accepts 2016-05-01, 01/05/2016 (day first, the British way), 1 May 2016, and month-only
    dates: May 2016, the register's "May 16" / "February 16" (two-digit years are 20xx),
    2016-05 (as dates known to the month are stored) and 05/2016; those give a Month, due
    at the end of the month. Years outside 1900-2200 are refused unless `bounded` is False
    (only for reading what an older psr stored).
    """
    cleaned = text.strip()
    if not cleaned:
        raise ValueError(f"empty date: {DATE_HINT}")
    day = _read_date(cleaned)
    if bounded and not date_in_range(day):
        raise ValueError(out_of_range(cleaned))
    return day


def _read_date(cleaned: str) -> date:
    if len(cleaned) == 10 and cleaned[4] == cleaned[7] == "-":
        # As every date is stored (2016-05-01), read by the C parser: a third of the time
        # strptime takes, paid for every date of a 10,000-risk file. Anything it refuses,
        # a wrong day included, is left to the patterns below and their messages.
        try:
            return date.fromisoformat(cleaned)
        except ValueError:
            pass
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    numeric = re.fullmatch(r"(\d{4})-(\d{1,2})|(\d{1,2})/(\d{4})", cleaned)
    if numeric:
        year, month = (
            (numeric.group(1), numeric.group(2))
            if numeric.group(1)
            else (numeric.group(4), numeric.group(3))
        )
        return _month(cleaned, int(year), int(month))
    match = re.fullmatch(r"(?:(\d{1,2})\s+)?([A-Za-z]+)\.?,?\s+(\d{2}|\d{4})", cleaned)
    if match and match.group(2).lower() in _MONTHS:
        year = int(match.group(3))
        if year < 100:
            year += 2000
        month = _MONTHS[match.group(2).lower()]
        if match.group(1) is None:
            return _month(cleaned, year, month)
        try:
            return date(year, month, int(match.group(1)))
        except ValueError as exc:
            raise ValueError(f"{cleaned!r} is not a real date ({exc})") from None
    raise ValueError(f"{cleaned!r} is not a date: {DATE_HINT}")


def _month(cleaned: str, year: int, month: int) -> Month:
    try:
        return Month(year, month)
    except (ValueError, calendar.IllegalMonthError):
        raise ValueError(f"{cleaned!r} is not a real month: {DATE_HINT}") from None


def format_date(day: date | None) -> str:
    """The British way: 5 Feb 2016; a date known only to its month as Feb 2016."""
    if day is None:
        return ""
    if isinstance(day, Month):
        return f"{day:%b} {day.year}"
    return f"{day.day} {day:%b} {day.year}"


def format_period(start: date, end: date) -> str:
    """'1 Mar–31 May 2016', the year once when both ends share it; months as months."""
    if start.year == end.year:
        first = f"{start:%b}" if isinstance(start, Month) else f"{start.day} {start:%b}"
        return f"{first}–{format_date(end)}"
    return f"{format_date(start)}–{format_date(end)}"


def stored_date(day: date) -> str:
    """How a date is written in the file and in CSV exports: 2016-02-05, or 2016-02 for a
    date known only to its month (so that it reads back as one)."""
    if isinstance(day, Month):
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def months_after(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter); never past
    the last date Python has, whatever an older psr stored."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > date.max.year:
        return date.max
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def days_after(day: date, days: int) -> date:
    """`day` plus `days`, never past the last date Python has."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max


# --- numbers ---------------------------------------------------------------------------


def rounded(value: float, places: int = 2) -> Decimal:
    """`value` rounded half up, as officers' spreadsheets round: 1.625 -> 1.63, 2.25 stays.

    The float is read to 12 significant figures first, as a spreadsheet does, so a mean
    that float arithmetic left at 1.6249999999999998 rounds as the 1.625 it is.
    """
    exact = Decimal(f"{value:.12g}")
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _decimal_text(value: Decimal, sign: str = "") -> str:
    text = f"{value:{sign}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "+0", "") else text


def format_mean(value: float | None, places: int = 2) -> str:
    """2, 1.5, 2.33, 1.63: rounded half up, as few decimals as the value needs; a dash when
    there is none. Every figure psr shows goes through here (or `format_change`)."""
    if value is None:
        return "-"
    return _decimal_text(rounded(value, places))


def format_change(
    before: float | None, after: float | None, places: int = 2, *, sign: bool = True
) -> str:
    """The change between two figures as they are shown, so that the three agree:
    1.63 -> 1.75 reads +0.12 (not the +0.13 of the unrounded means); 0 for no change.
    Without `sign`, a distance (a gap to a target): 1.37."""
    if before is None or after is None:
        return "-"
    return _decimal_text(rounded(after, places) - rounded(before, places), "+" if sign else "")


def mean_with_n(value: float | None, n: int | None) -> str:
    """A group's mean, with its n when fewer than the whole group scored it: '2 (1)'."""
    text = format_mean(value)
    return f"{text} ({n})" if n is not None and value is not None else text


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 level', '2 levels'; '1 activity', '2 activities' given the plural."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def every_months(months: int) -> str:
    """'every month', 'every 3 months'."""
    return "every month" if months == 1 else f"every {months} months"


def abbreviate(group: str) -> str:
    """A short column heading for a group: Executive -> Exec, Implementation Group -> IG."""
    words = group.split()
    if len(words) > 1:
        return "".join(w[0].upper() for w in words)
    return group if len(group) <= 5 else group[:4]


def parse_share(text: str) -> float:
    """A share of a whole as typed: "2/3", "0.75" or "75%"; ValueError saying what is
    wrong otherwise (a share is more than 0 and at most 1)."""
    from fractions import Fraction

    cleaned = text.strip()
    try:
        value = float(cleaned[:-1]) / 100 if cleaned.endswith("%") else float(Fraction(cleaned))
    except (ValueError, ZeroDivisionError):
        raise ValueError(
            f"{text.strip()!r}: give a fraction (2/3), a decimal (0.75) or 75%"
        ) from None
    if not 0 < value <= 1:
        raise ValueError(f"{text.strip()!r}: a share is more than 0 and at most 1 (all)")
    return value


def cell_width(text: str) -> int:
    """The terminal cells `text` takes: two for a wide character (CJK, most emoji), none
    for a combining mark or an invisible format character, one for the rest."""
    if text.isascii():
        return len(text)
    return sum(map(_character_width, text))


def _character_width(character: str) -> int:
    if unicodedata.combining(character) or unicodedata.category(character) in _NO_WIDTH:
        return 0
    return 2 if unicodedata.east_asian_width(character) in _WIDE else 1


_NO_WIDTH = frozenset({"Mn", "Me", "Cf"})
_WIDE = frozenset({"W", "F"})


def ljust_cells(text: str, width: int) -> str:
    """`text` padded with spaces to `width` cells (as str.ljust does to characters)."""
    return text + " " * (width - cell_width(text))


def clip(text: str, width: int) -> str:
    """Text on one line, cut to `width` cells with an ellipsis if longer."""
    text = " ".join(text.split())
    if cell_width(text) <= width:
        return text
    kept, used = [], 0
    for character in text:
        used += _character_width(character)
        if used > width - 1:
            break
        kept.append(character)
    return "".join(kept) + "…"


TIME_HINT = "use 16:00, 16.00 or 4pm"


def parse_time(text: str) -> time:
    """Read a time of day as agendas write it: 16:00, 16.00, 4pm, 4.30 pm."""
    cleaned = text.strip().lower().replace(" ", "")
    match = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?(am|pm)?", cleaned)
    if match is None or (match.group(2) is None and match.group(3) is None):
        raise ValueError(f"{text.strip()!r} is not a time: {TIME_HINT}")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if match.group(3):
        if not 1 <= hour <= 12:
            raise ValueError(f"{text.strip()!r} is not a time: {TIME_HINT}")
        hour = hour % 12 + (12 if match.group(3) == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"{text.strip()!r} is not a time of day: {TIME_HINT}")
    return time(hour, minute)
