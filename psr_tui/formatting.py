"""Shared text formatting and parsing for the CLI, the screens and the exports."""

from __future__ import annotations

import re
from datetime import date, datetime

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


def parse_date(text: str) -> date:
    """Read a date typed the ways officers write them; month-only dates mean the 1st.

    Accepts 2016-05-01, 01/05/2016 (day first, the British way), 1 May 2016, May 2016
    and the register's "May 16" / "August 15" (two-digit years are 20xx).
    """
    cleaned = text.strip()
    if not cleaned:
        raise ValueError(f"empty date: {DATE_HINT}")
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    match = re.fullmatch(r"(?:(\d{1,2})\s+)?([A-Za-z]+)\.?\s+(\d{2}|\d{4})", cleaned)
    if match and match.group(2).lower() in _MONTHS:
        day = int(match.group(1) or 1)
        year = int(match.group(3))
        if year < 100:
            year += 2000
        try:
            return date(year, _MONTHS[match.group(2).lower()], day)
        except ValueError as exc:
            raise ValueError(f"{cleaned!r} is not a real date ({exc})") from None
    raise ValueError(f"{cleaned!r} is not a date: {DATE_HINT}")


def format_date(day: date | None) -> str:
    """The British way: 5 Feb 2016."""
    return f"{day.day} {day:%b %Y}" if day else ""


def format_mean(value: float | None, places: int = 2) -> str:
    """2, 1.5, 2.33: as few decimals as the value needs; a dash when there is none."""
    if value is None:
        return "-"
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return text or "0"


def abbreviate(group: str) -> str:
    """A short column heading for a group: Executive -> Exec, Implementation Group -> IG."""
    words = group.split()
    if len(words) > 1:
        return "".join(w[0].upper() for w in words)
    return group if len(group) <= 5 else group[:4]


def signed(value: float | None) -> str:
    return "-" if value is None else f"{value:+.2f}".rstrip("0").rstrip(".")
