from __future__ import annotations

import copy
import pickle
import re
from datetime import date, datetime, timedelta

import pytest

from psr_tui.formatting import (
    Month,
    abbreviate,
    format_change,
    format_date,
    format_mean,
    months_after,
    parse_date,
    stored_date,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-05-01", date(2016, 5, 1)),
        ("01/05/2016", date(2016, 5, 1)),
        ("16 Feb 2016", date(2016, 2, 16)),
        ("1 May 16", date(2016, 5, 1)),
    ],
)
def test_parse_date_accepts_the_ways_officers_write_dates(text: str, expected: date) -> None:
    day = parse_date(text)
    assert day == expected
    assert not isinstance(day, Month)


@pytest.mark.parametrize(
    ("text", "last_day"),
    [
        ("May 2016", date(2016, 5, 31)),
        ("may 16", date(2016, 5, 31)),
        ("Feb 2016", date(2016, 2, 29)),
        ("February 16", date(2016, 2, 29)),  # seed 001's register
        ("August 15", date(2015, 8, 31)),
        ("Sept 2016", date(2016, 9, 30)),
        ("2016-02", date(2016, 2, 29)),  # as the file stores it
        ("02/2016", date(2016, 2, 29)),
    ],
)
def test_a_month_only_date_is_due_at_the_end_of_the_month(text: str, last_day: date) -> None:
    month = parse_date(text)
    assert isinstance(month, Month)
    # It compares as the month's last day: not overdue until the month is out ...
    assert month <= last_day < month + timedelta(days=1)
    assert not month < last_day
    # ... JSON carries that day, the file keeps the month, people see the month.
    assert month.isoformat() == last_day.isoformat()
    assert stored_date(month) == f"{last_day:%Y-%m}"
    assert parse_date(stored_date(month)) == month
    assert format_date(month) == f"{last_day:%b %Y}"


def test_a_month_is_not_the_day_it_stands_for() -> None:
    """Typing "Feb 2016" over "29 Feb 2016" is a change the store must see."""
    assert parse_date("Feb 2016") != date(2016, 2, 29)
    assert parse_date("Feb 2016") == Month(2016, 2)
    assert Month.first(2016, 3) != Month(2016, 3)
    assert {Month(2016, 2): "x"}[parse_date("February 16")] == "x"
    # A sum gives an ordinary day; a copy is still the month.
    assert type(Month(2016, 2) + timedelta(days=1)) is date
    assert copy.deepcopy(Month(2016, 2)) == Month(2016, 2)
    assert pickle.loads(pickle.dumps(Month.first(2016, 3))) == Month.first(2016, 3)


@pytest.mark.parametrize("text", ["31/12/9999", "9999-12-31", "1 Jan 1899", "Dec 2201", "12/2201"])
def test_dates_outside_1900_to_2200_are_refused_saying_how_to_write_no_date(text: str) -> None:
    with pytest.raises(
        ValueError, match="outside the years 1900-2200: no date is written as an empty field"
    ):
        parse_date(text)
    assert parse_date(text, bounded=False).year in (9999, 1899, 2201)


@pytest.mark.parametrize("text", ["", "soon", "31/02/2016", "Smarch 2016", "2016-13-01"])
def test_parse_date_refuses_with_a_hint(text: str) -> None:
    with pytest.raises(ValueError, match="date"):
        parse_date(text)


# Stored dates take a quicker road than typed ones: it must read exactly what strptime's
# "%Y-%m-%d" reads, and leave everything else to the patterns and their message.
@pytest.mark.parametrize(
    "text", ["2016-05-01", "2016-02-29", "1899-12-31", "9999-12-31", "２０１６-05-01", "2016-5-1"]
)
def test_a_date_in_the_stored_form_reads_as_strptime_reads_it(text: str) -> None:
    assert parse_date(text, bounded=False) == datetime.strptime(text, "%Y-%m-%d").date()


@pytest.mark.parametrize(
    "text",
    [
        "2016-02-30",
        "2015-02-29",
        "2016-13-01",
        "2016-00-10",
        "0000-01-01",
        "2016-+5-01",
        "2016-0_-01",
        "2016-W01-1",
        "20160501",
    ],
)
def test_a_date_of_the_stored_shape_that_is_no_date_is_refused_with_the_hint(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"{text!r} is not a date: use 2016-05-01")):
        parse_date(text, bounded=False)


def test_format_helpers() -> None:
    assert format_date(date(2016, 2, 5)) == "5 Feb 2016"
    assert format_date(None) == ""
    assert [format_mean(v) for v in (2.0, 1.5, 7 / 3, None, 0.0)] == ["2", "1.5", "2.33", "-", "0"]
    assert abbreviate("Executive") == "Exec"
    assert abbreviate("Implementation Group") == "IG"
    assert abbreviate("Staff") == "Staff"
    assert format_change(1.5, 2.0) == "+0.5"
    assert format_change(2.0, 1.0) == "-1"
    assert format_change(2.0, 2.0) == "0"


def test_means_round_half_up_as_spreadsheets_do() -> None:
    # Python's own rounding gives 1.62, 2.67 and (to one place) 2.2 for these.
    assert format_mean(1.625) == "1.63"
    assert format_mean(2.675) == "2.68"
    assert format_mean(2.25) == "2.25"
    assert format_mean(2.25, 1) == "2.3"
    assert format_mean(13 / 8) == "1.63"
    # 2.675 is held as 2.67499999...: read to 12 figures, as a spreadsheet reads it.
    assert format_mean(1.6249999999999998) == "1.63"
    assert format_mean(-0.001) == "0"


def test_changes_are_computed_from_the_shown_figures() -> None:
    # 1.625 shows 1.63 and 1.75 shows 1.75: the change reads +0.12, as a reader would add up.
    assert format_change(1.625, 1.75) == "+0.12"
    assert format_change(1.625, 3, sign=False) == "1.37"


def test_month_sums_never_overflow() -> None:
    assert months_after(date(2016, 1, 31), 1) == date(2016, 2, 29)
    assert months_after(date(9999, 12, 31), 3) == date.max
    assert months_after(date(2016, 1, 31), 100000) == date.max
