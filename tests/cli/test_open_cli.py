"""`psr` on its own: a file it cannot open ends it with one line on stderr, exit 1."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.conftest import PSR

# Textual draws on stderr and restores the terminal on exit; what follows is ours.
_ESCAPE = re.compile(r"\x1b(\[[0-9;?<>$=]*[a-zA-Z~]|\][^\x07\x1b]*(\x07|\x1b\\)|[=>])")


def _open(db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PSR), "--db", str(db)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _after_the_screen(stderr: str) -> list[str]:
    return _ESCAPE.split(stderr)[-1].strip().splitlines()


def test_psr_on_a_corrupt_file_prints_one_line_and_leaves_it_alone(tmp_path: Path) -> None:
    db = tmp_path / "corrupt.json"
    db.write_bytes(b'{"meta": {"1": {"schema_version": 1')
    before = db.read_bytes()
    result = _open(db)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = _after_the_screen(result.stderr)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"psr: {db} is not a valid psr database")
    assert db.read_bytes() == before


def test_psr_on_a_missing_file_says_how_to_create_one(tmp_path: Path) -> None:
    db = tmp_path / "nope.json"
    result = _open(db)
    assert result.returncode == 1
    lines = _after_the_screen(result.stderr)
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"psr: no database at {db}")
    assert "psr init" in lines[0]
    assert not db.exists()
