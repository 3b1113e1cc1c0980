"""`psr check` applies the app's own rules: a file passes it exactly when the app opens it.

Each case below takes the demo database and breaks one thing in the file, as a hand edit,
a script or an older psr might. For every case, `psr check` fails if and only if opening the
file the way the app does (every table read and checked) refuses it; a value only today's
input rules refuse (a "no date" 9999, a review every 100,000 months) opens, and the check
names it as a warning.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from psr_tui.app import open_store
from psr_tui.cli import main
from psr_tui.errors import StoreError
from tests.conftest import run_psr

Data = dict[str, Any]


def _row(data: Data, table: str, **match: Any) -> dict[str, Any]:
    return next(r for r in data[table].values() if all(r.get(k) == v for k, v in match.items()))


def _first(data: Data, table: str) -> dict[str, Any]:
    return next(iter(data[table].values()))


def _copy_row(data: Data, table: str, row: dict[str, Any], **changes: Any) -> None:
    data[table][str(max(map(int, data[table])) + 1)] = {**row, **changes}


def _close_r3_on_a_label_the_matrix_drops(data: Data) -> None:
    r3 = _row(data, "risks", ref="R3")
    r3.update(status="closed", likelihood="Medium")
    _first(data, "matrix")["likelihood"] = ["Low", "Possible", "High"]


def _blank(data: Data, table: str, field: str) -> None:
    _first(data, table)[field] = ""


BROKEN: dict[str, Callable[[Data], None]] = {
    "risk likelihood not in the matrix": lambda d: _row(d, "risks", ref="R2").update(
        likelihood="Enormous"
    ),
    "closed risk on a label the matrix dropped": _close_r3_on_a_label_the_matrix_drops,
    "inherent label not in the matrix": lambda d: _row(d, "risks", ref="R4").update(
        inherent_likelihood="Huge", inherent_impact="Critical"
    ),
    "inherent likelihood without impact": lambda d: _row(d, "risks", ref="R4").update(
        inherent_likelihood="High"
    ),
    "risks but no matrix": lambda d: d.update(matrix={}),
    "two matrices": lambda d: _copy_row(d, "matrix", _first(d, "matrix")),
    "duplicate risk ref, other case": lambda d: _copy_row(
        d, "risks", _row(d, "risks", ref="R2"), ref="r2"
    ),
    "risk without a description": lambda d: _blank(d, "risks", "description"),
    "response in an unknown round": lambda d: _first(d, "responses").update(round="Nope"),
    "response scoring an unknown domain": lambda d: _first(d, "responses")["scores"].update(
        {"astrology": 2}
    ),
    "response score above the levels": lambda d: _first(d, "responses")["scores"].update(
        {"governance": 7}
    ),
    "same respondent twice in a round": lambda d: _copy_row(d, "responses", _first(d, "responses")),
    "round on an unknown framework": lambda d: _first(d, "rounds").update(framework="Nope"),
    "round target for an unknown domain": lambda d: _first(d, "rounds").update(
        targets={"astrology": 3}
    ),
    "round target above the levels": lambda d: _first(d, "rounds").update(
        targets={"governance": 9}
    ),
    "duplicate round name": lambda d: _copy_row(d, "rounds", _first(d, "rounds")),
    "framework descriptors do not match its levels": lambda d: _first(d, "frameworks")["domains"][
        0
    ]["descriptors"].pop(),
    "matrix scores row too short": lambda d: _first(d, "matrix")["scores"][0].pop(),
    "phase ends before it starts": lambda d: _first(d, "phases").update(end="2000-01-01"),
    "duplicate phase name": lambda d: _copy_row(d, "phases", _first(d, "phases")),
    "duplicate theme name": lambda d: _copy_row(d, "themes", _first(d, "themes")),
    "activity in an unknown phase": lambda d: _first(d, "activities").update(phase="Phase 9"),
    "activity in an unknown theme": lambda d: _first(d, "activities").update(theme="Nope"),
    "action on an unknown framework": lambda d: _first(d, "actions").update(framework="Nope"),
    "action on an unknown domain": lambda d: _first(d, "actions").update(domain="astrology"),
    "action taking up an unknown offer": lambda d: _first(d, "actions").update(offer="Nope"),
    "duplicate offer name, other case": lambda d: _copy_row(
        d, "offers", _first(d, "offers"), name=_first(d, "offers")["name"].upper()
    ),
    "a record id that is not a number": lambda d: d["themes"].update(
        {"x": _first(d, "themes") | {"name": "Another"}}
    ),
    "a table that is not a set of records": lambda d: d.update(activities=[]),
    "a date that is not a date": lambda d: _first(d, "rounds").update(date="soon"),
    "a score that is text": lambda d: _first(d, "responses")["scores"].update(
        {"governance": "two"}
    ),
}

# What an older psr let through: today's input rules refuse these, yet the file opens.
# Printable ASCII to its full-width form (Ａ for A): the same letters on screen.
FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}
ACCEPTED_WITH_A_WARNING: dict[str, Callable[[Data], None]] = {
    "a no-date 9999 action date": lambda d: _row(d, "risks", ref="R5").update(
        action_date="9999-12-31"
    ),
    "a risk identified in 1850": lambda d: _row(d, "risks", ref="R1").update(
        date_identified="1850-01-01"
    ),
    "a review every 100,000 months": lambda d: _first(d, "matrix")["bands"][0].update(
        review_months=100000
    ),
    "a negative matrix score": lambda d: _first(d, "matrix")["scores"][0].__setitem__(0, -1),
    "two bands of one name": lambda d: _first(d, "matrix")["bands"][1].update(name="Low"),
    "a blank level name": lambda d: _first(d, "frameworks")["levels"].__setitem__(1, ""),
    "two levels of one name": lambda d: _first(d, "frameworks")["levels"].__setitem__(
        1, "commitment"
    ),
    "an empty partnership name": lambda d: _first(d, "meta").update(partnership=""),
    "an as-at date in 9999": lambda d: _first(d, "meta").update(as_at="9999-12-31"),
    "sessions beyond a million": lambda d: _first(d, "actions")["evidence"].update(sessions=10**7),
    "an activity due outside its phase": lambda d: _row(d, "activities", phase="Phase 1").update(
        due="2016-10-31"
    ),
    "a ref that only looks like another": lambda d: _copy_row(
        d, "risks", _first(d, "risks"), ref=f"{_first(d, 'risks')['ref']}\u200b"
    ),
    "a theme's name in full-width letters": lambda d: _copy_row(
        d, "themes", _first(d, "themes"), name=_first(d, "themes")["name"].translate(FULL_WIDTH)
    ),
}


def _write(path: Path, data: Data) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _check(path: Path) -> tuple[int, str]:
    """`psr check` through the command line's own entry point (in this process: fast)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["check", "--db", str(path)])
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue() + err.getvalue()


def _app_refuses(path: Path) -> str | None:
    """Open the file as the app does; the one-line reason it refuses, or None."""
    try:
        open_store(path)
    except StoreError as exc:
        return str(exc)
    return None


@pytest.mark.parametrize("defect", list(BROKEN))
def test_a_broken_file_fails_the_check_and_the_app_refuses_it(
    defect: str, demo_path: Path, tmp_path: Path
) -> None:
    data = json.loads(demo_path.read_text())
    BROKEN[defect](data)
    path = _write(tmp_path / "broken.json", data)
    code, output = _check(path)
    refusal = _app_refuses(path)
    assert code == 1, output
    assert refusal is not None, defect
    assert "Traceback" not in output
    # The app's one line names the same first problem the check lists.
    first = output.splitlines()[0]
    assert first in refusal or first.removeprefix("psr: ") in refusal, (first, refusal)


@pytest.mark.parametrize("case", list(ACCEPTED_WITH_A_WARNING))
def test_a_value_an_older_psr_let_in_opens_and_the_check_names_it(
    case: str, demo_path: Path, tmp_path: Path
) -> None:
    data = json.loads(demo_path.read_text())
    ACCEPTED_WITH_A_WARNING[case](data)
    path = _write(tmp_path / "older.json", data)
    code, output = _check(path)
    assert code == 0, output
    assert _app_refuses(path) is None
    warnings = [line for line in output.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1, output
    assert "1 warning" in output


def test_the_demo_passes_with_no_problems(demo_path: Path) -> None:
    assert _check(demo_path) == (0, f"{demo_path}: no problems found\n")
    assert _app_refuses(demo_path) is None


def test_check_lists_every_problem_by_table_and_record(demo_path: Path, tmp_path: Path) -> None:
    data = json.loads(demo_path.read_text())
    for defect in (
        "duplicate risk ref, other case",
        "risk likelihood not in the matrix",
        "action on an unknown domain",
        "round target above the levels",
    ):
        BROKEN[defect](data)
    ACCEPTED_WITH_A_WARNING["a no-date 9999 action date"](data)
    ACCEPTED_WITH_A_WARNING["an activity due outside its phase"](data)
    path = _write(tmp_path / "many.json", data)
    result = run_psr("check", "--db", path)  # the real command, once
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert (
        "risks 'R2': likelihood 'Enormous' is not in the matrix (choose from Low, Medium, High)"
        in lines
    )
    assert "risks 'r2': there is another risk 'R2' (record 2)" in lines
    assert any(
        line.startswith("actions ") and "unknown domain 'astrology'" in line for line in lines
    )
    assert (
        "rounds 'Baseline, Feb 2016': target 9 for 'governance' is outside the framework's "
        "levels 1-5" in lines
    )
    assert any(
        line.startswith("warning: risks 'R5': action date: 31 Dec 9999 is outside the years")
        and "no date is written as an empty field" in line
        for line in lines
    )
    assert any(
        line.startswith("warning: activities ") and "is outside Phase 1" in line for line in lines
    )
    assert lines[-1] == f"{path}: 4 problems (2 warnings)"
    assert "Traceback" not in result.stderr
