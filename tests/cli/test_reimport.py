"""Re-importing an export with the real `psr` (issue 12 item 3): a row equal to the stored
record changes nothing; a row whose record changed since the export is a conflict named
by its record, and the whole import is refused unless --overwrite."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from psr_tui.models import RiskStatus
from psr_tui.store import Store
from tests.conftest import run_psr

ROUND = "Baseline, Feb 2016"


def _audit_lines(db: Path) -> int:
    audit = db.with_name(db.name + ".audit.jsonl")
    return len(audit.read_text().splitlines())


def _edit_risk(db: Path, user: str, ref: str, **changes: object) -> None:
    with Store(db, user=user).transaction() as tx:
        record = tx.risk(ref)
        assert record is not None
        tx.update("risks", record.doc_id, record.model.model_copy(update=changes))


def _edit_rows(path: Path, ref: str, **cells: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["ref"] == ref:
            row.update(cells)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_reimporting_an_unchanged_export_changes_nothing(demo_path: Path, tmp_path: Path) -> None:
    export = tmp_path / "register.csv"
    assert run_psr("export", "register", "-o", export, "--db", demo_path).returncode == 0
    before, audited = demo_path.read_bytes(), _audit_lines(demo_path)
    result = run_psr("import", "risks", export, "--db", demo_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "imported 8 risks (0 new, 0 updated, 8 unchanged)"
    assert demo_path.read_bytes() == before  # no rev bumped
    assert _audit_lines(demo_path) == audited  # no empty edits logged


def test_an_older_export_never_reverts_newer_work(demo_path: Path, tmp_path: Path) -> None:
    """Bob exports at 09:00, Alice edits R3, Bob re-imports his 09:00 file."""
    export = tmp_path / "bob-0900.csv"
    assert run_psr("export", "register", "-o", export, "--db", demo_path).returncode == 0
    exported = Store(demo_path).snapshot().risk("R3")
    assert exported is not None
    _edit_risk(demo_path, "alice", "R3", likelihood="High", owner="Alice")
    _edit_rows(export, "R5", owner="Bob in the file")  # R5 itself is unchanged since
    before, audited = demo_path.read_bytes(), _audit_lines(demo_path)

    result = run_psr("import", "risks", export, "--db", demo_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "1 record changed since the file was exported" in result.stderr
    assert "R3 was changed by alice" in result.stderr
    assert "nothing was imported" in result.stderr and "--overwrite" in result.stderr
    assert demo_path.read_bytes() == before and _audit_lines(demo_path) == audited

    result = run_psr("import", "risks", export, "--overwrite", "--db", demo_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "imported 8 risks (0 new, 2 updated, 6 unchanged)"
    snap = Store(demo_path).snapshot()
    r3, r5 = snap.risk("R3"), snap.risk("R5")
    assert r3 is not None and r5 is not None
    assert (r3.model.likelihood, r3.model.owner) == (
        exported.model.likelihood,
        exported.model.owner,
    )
    assert r5.model.owner == "Bob in the file"
    assert _audit_lines(demo_path) == audited + 2  # the two rows that changed a record


def test_a_row_edited_in_the_file_updates_only_what_it_changed(
    demo_path: Path, tmp_path: Path
) -> None:
    export = tmp_path / "register.csv"
    assert run_psr("export", "register", "-o", export, "--db", demo_path).returncode == 0
    _edit_rows(export, "R2", actions="New actions from the file")
    result = run_psr("import", "risks", export, "--db", demo_path)
    assert result.returncode == 0, result.stderr
    assert "1 updated, 7 unchanged" in result.stdout
    r2 = Store(demo_path).snapshot().risk("R2")
    assert r2 is not None and r2.model.actions == "New actions from the file"
    assert r2.model.rev == 2


def test_closing_a_risk_by_import_keeps_why_in_its_history(demo_path: Path, tmp_path: Path) -> None:
    export = tmp_path / "register.csv"
    assert run_psr("export", "register", "-o", export, "--db", demo_path).returncode == 0
    _edit_rows(export, "R4", status="closed")
    assert run_psr("import", "risks", export, "--db", demo_path).returncode == 0
    r4 = Store(demo_path).snapshot().risk("R4")
    assert r4 is not None and r4.model.status == RiskStatus.CLOSED
    assert r4.model.reviews[-1].note == "Closed: imported from register.csv"


def test_an_older_responses_export_is_a_conflict_named_by_respondent(
    demo_path: Path, tmp_path: Path
) -> None:
    export = tmp_path / "responses.csv"
    result = run_psr("export", "responses", "-o", export, "--round", ROUND, "--db", demo_path)
    assert result.returncode == 0, result.stderr
    with Store(demo_path, user="alice").transaction() as tx:
        chief = next(r for r in tx.responses(ROUND) if r.model.name == "Chief Executive")
        scores = {**chief.model.scores, "governance": 5}
        tx.update("responses", chief.doc_id, chief.model.model_copy(update={"scores": scores}))
    before = demo_path.read_bytes()
    result = run_psr("import", "responses", export, "--round", ROUND, "--db", demo_path)
    assert result.returncode == 1
    assert f"{ROUND}: Chief Executive was changed by alice" in result.stderr
    assert demo_path.read_bytes() == before
    result = run_psr(
        "import", "responses", export, "--round", ROUND, "--overwrite", "--db", demo_path
    )
    assert result.returncode == 0, result.stderr
    assert "(0 new, 1 updated, 9 unchanged)" in result.stdout
    chief = next(
        r.model
        for r in Store(demo_path).snapshot().responses(ROUND)
        if r.model.name == "Chief Executive"
    )
    assert chief.scores["governance"] == 2  # as exported


def test_a_matrix_lacking_a_label_a_closed_risk_uses_is_refused(
    demo_path: Path, tmp_path: Path
) -> None:
    _edit_risk(demo_path, "alice", "R1", status=RiskStatus.CLOSED)  # R1: Low / Noticeable
    matrix = {
        "name": "Renamed impact",
        "likelihood": ["Low", "Medium", "High"],
        "impact": ["Minor", "Significant", "Critical"],
        "scores": [[1, 3, 6], [2, 5, 8], [4, 7, 9]],
        "bands": [
            {"name": "Low", "max": 3, "colour": "green"},
            {"name": "Medium", "max": 6, "colour": "amber"},
            {"name": "High", "max": 9, "colour": "red"},
        ],
    }
    path = tmp_path / "matrix.json"
    path.write_text(json.dumps(matrix))
    before = demo_path.read_bytes()
    result = run_psr("import", "matrix", path, "--db", demo_path)
    assert result.returncode == 1
    assert "impact 'Noticeable' (closed R1)" in result.stderr
    assert demo_path.read_bytes() == before
    assert run_psr("check", "--db", demo_path).returncode == 0
