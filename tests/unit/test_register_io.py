"""Risks CSV import (validated whole) and register export to CSV and xlsx."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from psr_tui.changes.imports import import_risks
from psr_tui.exports.register_io import COLUMNS, EXPORT_COLUMNS, export_register
from psr_tui.formatting import Month
from psr_tui.store import Store, StoreError

HEADER = ",".join(COLUMNS) + "\n"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "risks.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_import_adds_new_and_updates_existing_keeping_reviews(
    demo_store: Store, tmp_path: Path
) -> None:
    reviews_before = demo_store.snapshot().risk("R3").model.reviews
    path = _write(
        tmp_path,
        HEADER
        + "R3,Funding changed,Medium,2015-08-01,,High,Critical,,Finance lead,May 2016,open\n"
        + "R9,New risk,Low,01/03/2016,,medium,noticeable,,,2016-06-01,\n",
    )
    assert import_risks(demo_store, path) == "imported 2 risks (1 new, 1 updated, 0 unchanged)"
    snap = demo_store.snapshot()
    r3 = snap.risk("R3").model
    assert (r3.description, r3.likelihood, r3.impact, r3.owner) == (
        "Funding changed",
        "High",
        "Critical",
        "Finance lead",
    )
    assert r3.action_date == Month(2016, 5)  # "May 2016": due by the end of May
    assert r3.reviews == reviews_before
    r9 = snap.risk("R9").model
    assert (r9.likelihood, r9.impact, r9.status.value) == ("Medium", "Noticeable", "open")
    assert r9.date_identified.isoformat() == "2016-03-01"


def test_bad_import_names_row_and_field_and_writes_nothing(
    demo_store: Store, tmp_path: Path
) -> None:
    before = demo_store.path.read_bytes()
    path = _write(
        tmp_path,
        HEADER
        + "R9,Fine,,,,Low,Noticeable,,,,\n"
        + "R10,Bad,,,,Huge,Critical,,,not a date,maybe\n"
        + "R9,Twice,,,,Low,Noticeable,,,,\n",
    )
    with pytest.raises(StoreError) as caught:
        import_risks(demo_store, path)
    message = str(caught.value)
    assert (
        "row 3, likelihood: 'Huge' is not in the matrix (choose from Low, Medium, High)" in message
    )
    assert "row 3, action_date:" in message
    assert "row 3, status: 'maybe' is not open or closed" in message
    assert "row 4: ref R9 is already in row 2" in message
    assert "\n" not in message
    assert demo_store.path.read_bytes() == before


def test_import_refuses_unknown_columns(demo_store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, "ref,description,likelihood,impact,colour\nR9,x,Low,Critical,red\n")
    with pytest.raises(StoreError, match="unknown column 'colour'"):
        import_risks(demo_store, path)


def test_export_csv_round_trips_and_marks_overdue(demo_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "register.csv"
    export_register(demo_store.snapshot(), out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == list(EXPORT_COLUMNS)
    assert [r["ref"] for r in rows] == [f"R{n}" for n in range(1, 9)]
    # Seed 001's "February 16" is due by the end of February: not overdue on the 16th.
    assert {r["ref"] for r in rows if r["overdue"] == "yes"} == set()
    assert rows[1]["action_date"] == "2016-02"  # kept to the month, so it reads back as one
    assert rows[0]["score"] == "1" and rows[0]["band"] == "Low"
    # The export is a valid import: re-importing it changes nothing at all.
    before = demo_store.path.read_bytes()
    assert import_risks(demo_store, out) == "imported 8 risks (0 new, 0 updated, 8 unchanged)"
    assert demo_store.path.read_bytes() == before


def test_export_xlsx(demo_store: Store, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "register.xlsx"
    export_register(demo_store.snapshot(), out)
    sheet = load_workbook(out).active
    assert [c.value for c in sheet[1]] == list(EXPORT_COLUMNS)
    assert sheet.cell(row=2, column=1).value == "R1"
    assert sheet.max_row == 9
