"""`psr risks --json`, the TUI's register and the register PDF list an awkward register in
the same order with the same overdue flags, and the register sorts in the matrix's order."""

from __future__ import annotations

import json
from pathlib import Path

import pdfplumber

from psr_tui.app import PsrApp
from psr_tui.store import Store
from psr_tui.widgets.risk_table import GAP, RiskTable
from tests.conftest import run_psr
from tests.helpers.awkward_register import FLAGS, ORDER, build

Flags = dict[str, tuple[bool, bool]]


def _cli(path: Path) -> tuple[list[str], Flags]:
    result = run_psr("risks", "--json", "--db", path)
    assert result.returncode == 0, result.stderr
    risks = json.loads(result.stdout)
    return [r["ref"] for r in risks], {r["ref"]: (r["overdue"], r["review_overdue"]) for r in risks}


def screen_rows(table: RiskTable) -> list[tuple[str, str]]:
    """Each shown row's ref and the marks beside it, read from the lines on screen."""
    width = table.render_line(0).text[GAP:].index("Description")
    rows = []
    for y in range(1, table.row_count + 1):
        ref, _, marks = table.render_line(y).text[GAP : GAP + width].strip().partition(" ")
        rows.append((ref, marks))
    return rows


async def _tui(path: Path) -> tuple[list[str], Flags]:
    app = PsrApp(Store(path), watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        rows = screen_rows(app.screen.query_one(RiskTable))
    return [ref for ref, _ in rows], {ref: ("!" in marks, "↻" in marks) for ref, marks in rows}


def _pdf(path: Path, out: Path) -> tuple[list[str], Flags]:
    result = run_psr("export", "risks", "-o", out, "--db", path)
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(out) as pdf:
        tables = [table for page in pdf.pages for table in page.extract_tables()]
    # The register (its heading repeats on every page it spans), not the movement table;
    # each risk is two rows, its ratings (ref first) and its texts (no ref).
    register = [t for t in tables if t[0][0] == "Risk" and "Risk\ncategory" in t[0]]
    header = register[0][0]
    columns = [(cell or "").replace("\n", " ") for cell in header]
    action, review = columns.index("Action date"), columns.index("Next review")
    rows = [row for t in register for row in t[1:] if row[0] and row[0] != "Risk"]
    return [row[0] for row in rows], {
        row[0]: ("OVERDUE" in row[action], "OVERDUE" in row[review]) for row in rows
    }


async def test_cli_tui_and_pdf_list_the_same_order_and_flags(tmp_path: Path) -> None:
    path = tmp_path / "awkward.json"
    build(path)
    for refs, flags in (
        _cli(path),
        await _tui(path),
        _pdf(path, tmp_path / "register.pdf"),
    ):
        assert refs == ORDER
        assert flags == FLAGS


async def test_sort_key_chooses_the_column_and_shift_reverses_it(tmp_path: Path) -> None:
    path = tmp_path / "awkward.json"
    build(path)
    app = PsrApp(Store(path), watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        table = app.screen.query_one(RiskTable)
        await pilot.press("s")  # the columns: Ref, Description, Category, Likelihood, ...
        await pilot.pause()
        await pilot.press("j", "j", "j", "enter")
        await pilot.pause()
        # Rare, Possible, Likely: the matrix's order, not the alphabet's; ties in ref order.
        assert table.refs == ["R2a", "RISK-1", "R1", "r3", "R2", "R10"]
        assert "Likelihood ▲" in table.render_line(0).text
        filters = str(app.screen.query_one("#filters").render())
        assert "sort Likelihood ▲ lowest first" in filters

        await pilot.press("S")
        await pilot.pause()
        assert table.refs == ["R2", "R10", "R1", "r3", "R2a", "RISK-1"]
        assert "Likelihood ▼" in table.render_line(0).text
        assert "highest first" in str(app.screen.query_one("#filters").render())

        await pilot.press("s")  # the picker starts on the sorted column: enter reverses it
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert table.refs[:2] == ["R2a", "RISK-1"]

        await pilot.press("s")
        await pilot.pause()
        await pilot.press("j", "enter")  # Impact: Negligible, Moderate, Catastrophic
        await pilot.pause()
        assert table.refs == ["R1", "RISK-1", "R2", "r3", "R2a", "R10"]
