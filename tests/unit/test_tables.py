"""Cells in and out of CSV and XLSX: no formula a spreadsheet would run, and a CSV round
trip gives back the text exactly."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from psr_tui.exports.tables import csv_bytes, neutralise, read_csv, restore, xlsx_bytes

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Text an officer can store: everything but control characters (tab and newline are fine).
# A first cell starting with a byte-order mark is read as the file's mark, as Excel's are.
stored_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufeff").filter(
        lambda c: c in "\t\n" or not (c < " " or "\x7f" <= c <= "\x9f")
    )
)


@given(st.text())
def test_restore_undoes_neutralise_for_any_text(text: str) -> None:
    assert restore(neutralise(text)) == text
    assert not neutralise(text).startswith(FORMULA_STARTS)


@given(st.lists(st.lists(stored_text, min_size=1, max_size=6), min_size=1, max_size=6))
def test_a_csv_written_then_read_holds_the_same_cells(rows: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        path.write_bytes(csv_bytes(rows))
        written = list(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))
        assert not any(cell.startswith(FORMULA_STARTS) for row in written for cell in row)
        assert read_csv(path) == rows


def test_formula_cells_get_one_quote_and_quotes_before_them_one_more() -> None:
    cells = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx"]
    assert [neutralise(c) for c in cells] == [f"'{c}" for c in cells]
    assert neutralise("'=1") == "''=1"
    assert neutralise("'quoted'") == "'quoted'"
    assert neutralise("a=b") == "a=b"
    assert restore("'quoted'") == "'quoted'"


def test_read_csv_shows_control_characters_and_keeps_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(b'name,note\r\nAnn\x1b[2J,"two\r\nlines\x07"\r\n')
    assert read_csv(path) == [["name", "note"], ["Ann␛[2J", "two\nlines␇"]]


def test_xlsx_leaves_out_what_xml_cannot_hold_instead_of_failing() -> None:
    from openpyxl import load_workbook

    every_c0 = "".join(chr(c) for c in range(32))
    rows = [["name", "score"], [f"a{every_c0}z", "3"], ["=1+1", "²"]]
    sheet = load_workbook(io.BytesIO(xlsx_bytes(f"Round{every_c0}", rows))).active
    assert sheet is not None
    assert sheet.title.startswith("Round")
    # XML reads a carriage return back as a newline.
    assert sheet["A2"].value == "a\t\n\nz"
    assert sheet["B2"].value == 3
    assert (sheet["A3"].value, sheet["A3"].data_type) == ("=1+1", "s")
    assert sheet["B3"].value == "²"
