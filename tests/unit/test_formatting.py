from __future__ import annotations

from datetime import date

import pytest

from psr_tui.formatting import abbreviate, format_date, format_mean, parse_date, signed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-05-01", date(2016, 5, 1)),
        ("01/05/2016", date(2016, 5, 1)),
        ("May 2016", date(2016, 5, 1)),
        ("may 16", date(2016, 5, 1)),
        ("August 15", date(2015, 8, 1)),
        ("16 Feb 2016", date(2016, 2, 16)),
        ("Sept 2016", date(2016, 9, 1)),
    ],
)
def test_parse_date_accepts_the_ways_officers_write_dates(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "31/02/2016", "Smarch 2016", "2016-13-01"])
def test_parse_date_refuses_with_a_hint(text: str) -> None:
    with pytest.raises(ValueError, match="date"):
        parse_date(text)


def test_format_helpers() -> None:
    assert format_date(date(2016, 2, 5)) == "5 Feb 2016"
    assert format_date(None) == ""
    assert [format_mean(v) for v in (2.0, 1.5, 7 / 3, None, 0.0)] == ["2", "1.5", "2.33", "-", "0"]
    assert abbreviate("Executive") == "Exec"
    assert abbreviate("Implementation Group") == "IG"
    assert abbreviate("Staff") == "Staff"
    assert signed(0.5) == "+0.5"
    assert signed(-1.0) == "-1"
