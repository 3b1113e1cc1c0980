"""The foundation commands, run as the real `psr` command."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from psr_tui.models import Risk
from psr_tui.store import Store
from tests.conftest import PSR, run_psr


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    for needle in needles:
        assert needle in result.stderr


def test_init_creates_an_empty_database_and_refuses_an_existing_file(tmp_path: Path) -> None:
    db = tmp_path / "p.json"
    result = run_psr("init", "--name", "Test Partnership", "--db", db)
    assert result.returncode == 0, result.stderr
    before = db.read_bytes()
    data = json.loads(before)
    assert next(iter(data["meta"].values()))["partnership"] == "Test Partnership"
    assert len(data["frameworks"]) == 1
    assert len(data["matrix"]) == 1

    again = run_psr("init", "--name", "Other", "--db", db)
    assert_one_line_error(again, str(db), "already exists")
    assert db.read_bytes() == before


def test_demo_refuses_existing_file_without_force(tmp_path: Path) -> None:
    db = tmp_path / "demo.json"
    assert run_psr("demo", "--db", db).returncode == 0
    db.write_bytes(db.read_bytes())  # same content, fresh mtime
    before = db.read_bytes()
    assert_one_line_error(run_psr("demo", "--db", db), "already exists")
    assert db.read_bytes() == before
    assert run_psr("demo", "--force", "--db", db).returncode == 0


def test_psr_db_environment_variable_is_used(tmp_path: Path) -> None:
    db = tmp_path / "env.json"
    env_result = subprocess.run(
        [str(Path(sys.executable).with_name("psr")), "demo"],
        capture_output=True,
        text=True,
        env={"PSR_DB": str(db), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        timeout=60,
    )
    assert env_result.returncode == 0, env_result.stderr
    assert db.exists()


def test_check_passes_the_demo_and_lists_every_problem(tmp_path: Path, demo_path: Path) -> None:
    ok = run_psr("check", "--db", demo_path)
    assert ok.returncode == 0, ok.stderr
    assert "no problems" in ok.stdout

    data = json.loads(demo_path.read_text())
    first_risk = next(iter(data["risks"].values()))
    first_risk["likelihood"] = "Enormous"
    first_response = next(iter(data["responses"].values()))
    first_response["round"] = "No such round"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data))
    result = run_psr("check", "--db", broken)
    assert result.returncode == 1
    assert "likelihood 'Enormous' is not in the matrix" in result.stderr
    assert "unknown round 'No such round'" in result.stderr
    assert "2 problems" in result.stderr
    assert "Traceback" not in result.stderr


def test_corrupt_file_is_refused_by_every_command_and_left_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "bad.json"
    db.write_bytes(b'{"meta": {"1": {"schema_version": 1')
    before = db.read_bytes()
    for args in (
        ["summary"],
        ["risks"],
        ["check"],
        [
            "risk",
            "add",
            "--ref",
            "R1",
            "--description",
            "d",
            "--likelihood",
            "Low",
            "--impact",
            "Critical",
        ],
    ):
        result = run_psr(*args, "--db", db)
        assert_one_line_error(result, str(db))
    assert db.read_bytes() == before


def test_missing_database_says_how_to_create_one(tmp_path: Path) -> None:
    result = run_psr("summary", "--db", tmp_path / "nope.json")
    assert_one_line_error(result, "no database at", "psr init")


def add_risk(
    db: Path, ref: str, likelihood: str, *options: str, description: str = "x"
) -> subprocess.CompletedProcess[str]:
    return run_psr(
        "risk", "add", "--db", db, "--ref", ref, "--description", description,
        "--likelihood", likelihood, "--impact", "Critical", *options,
    )  # fmt: skip


def test_risk_add_validates_and_stores(demo_path: Path) -> None:
    result = add_risk(
        demo_path,
        "R9",
        "high",
        "--owner",
        "Programme Manager",
        "--action-date",
        "01/05/2016",
        description="Loss of [red]data[/]",
    )
    assert result.returncode == 0, result.stderr
    risks = json.loads(run_psr("risks", "--json", "--db", demo_path).stdout)
    added = next(r for r in risks if r["ref"] == "R9")
    assert added["description"] == "Loss of [red]data[/]"
    assert (added["likelihood"], added["impact"], added["score"], added["band"]) == (
        "High",
        "Critical",
        9,
        "High",
    )
    assert added["action_date"] == "2016-05-01"

    assert_one_line_error(add_risk(demo_path, "R9", "Low"), "R9 already exists")
    assert_one_line_error(
        add_risk(demo_path, "R10", "Huge"), "likelihood 'Huge' is not in the matrix"
    )
    assert_one_line_error(
        add_risk(demo_path, "R10", "Low", "--action-date", "soon"), "'soon' is not a date"
    )


def test_risks_overdue_as_at_the_pinned_demo_date(demo_path: Path) -> None:
    # Seed 001 set R2 and R3 for "February 16": due by the end of February, so not overdue
    # at the Executive of 16 Feb 2016 that set them, and none of R1-R8 is.
    assert json.loads(run_psr("risks", "--overdue", "--json", "--db", demo_path).stdout) == []
    assert run_psr("risks", "--overdue", "--db", demo_path).stdout.startswith("no overdue risks")
    with Store(demo_path).transaction() as tx:
        tx.set_meta(as_at=date(2016, 3, 1))
    overdue = json.loads(run_psr("risks", "--overdue", "--json", "--db", demo_path).stdout)
    assert sorted(r["ref"] for r in overdue) == ["R2", "R3"]
    assert all(r["overdue"] for r in overdue)


def test_commands_without_a_screen_do_not_import_textual_or_weasyprint(demo_path: Path) -> None:
    code = (
        "import sys\nfrom psr_tui.cli import main\n"
        f"for args in (['summary'], ['risks'], ['programme', '--json'], ['check']):\n"
        f"    assert main([*args, '--db', {str(demo_path)!r}]) == 0\n"
        "loaded = [m for m in ('textual', 'weasyprint', 'plotext') if m in sys.modules]\n"
        "print('LOADED', loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "LOADED []" in result.stdout


def test_output_cut_short_by_a_closed_pipe_is_not_a_traceback(demo_store: Store) -> None:
    with demo_store.transaction() as tx:
        for n in range(400):
            tx.insert(
                "risks",
                Risk(ref=f"B{n}", description="x" * 400, likelihood="Low", impact="Critical"),
            )
    # Far more than a pipe holds: psr is still writing when `head` has gone.
    pipeline = subprocess.run(
        f"'{PSR}' risks --json --db '{demo_store.path}' | head -c 10",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert pipeline.stdout == "[\n  {\n    "
    assert "Traceback" not in pipeline.stderr
    assert "BrokenPipeError" not in pipeline.stderr


def test_help_into_a_reader_that_has_gone_is_not_a_traceback(demo_store: Store) -> None:
    # `true` leaves without reading: the help (with the matrix's labels) meets a closed pipe.
    pipeline = subprocess.run(
        f"'{PSR}' risk add --help --db '{demo_store.path}' | true",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in pipeline.stderr
    assert "BrokenPipeError" not in pipeline.stderr
