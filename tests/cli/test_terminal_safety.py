"""No escape sequence in user text reaches the terminal through the `psr` command line.

The text is written to the file directly, as a hostile colleague's script would; the real
`psr` process runs and its output bytes are checked.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from psr_tui.text import control_characters
from tests.conftest import PSR
from tests.helpers.hostile import (
    CLEAR_SCREEN,
    CLIPBOARD,
    HOSTILE,
    WINDOW_TITLE,
    edit_first_risk,
    make_hostile,
)

# Each command that prints user text, as a table and as JSON.
COMMANDS = [
    ["risks"],
    ["risks", "--json"],
    ["summary"],
    ["summary", "--json"],
    ["programme"],
    ["programme", "--json"],
    ["actions"],
    ["actions", "--json"],
    # The help of `psr risk add` lists the matrix's labels, read from the file.
    ["risk", "add", "--help"],
]


def _run(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(PSR), *map(str, args)], capture_output=True, timeout=120)


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def _assert_terminal_safe(output: bytes) -> str:
    text = output.decode("utf-8")
    assert control_characters(text) == [], text[:400]
    return text


def test_a_description_with_escape_sequences_is_printed_visibly(demo_path: Path) -> None:
    planted = f"{CLEAR_SCREEN}{WINDOW_TITLE}{CLIPBOARD} funding"
    edit_first_risk(demo_path, description=planted)

    result = _run("risks", "--db", demo_path)
    assert result.returncode == 0, result.stderr
    for raw in (b"\x1b", b"\x07", "\x9b".encode(), b"]52;c;cm0g\x07"):
        assert raw not in result.stdout
    assert "␛[2J␛]0;pwned␇␛]52;c;" in result.stdout.decode()

    as_json = _run("risks", "--json", "--db", demo_path)
    assert b"\x1b" not in as_json.stdout and b"\x07" not in as_json.stdout
    # JSON escapes them instead: a script reads the description exactly as stored.
    assert json.loads(as_json.stdout)[0]["description"] == planted


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_no_command_prints_a_control_character_from_the_file(
    demo_path: Path, command: list[str]
) -> None:
    make_hostile(demo_path)
    result = _run(*command, "--db", demo_path)
    assert result.returncode == 0, result.stderr
    out = _assert_terminal_safe(result.stdout)
    _assert_terminal_safe(result.stderr)
    if "--json" in command:
        # Lossless: C0 as JSON escapes, DEL and C1 as \\u escapes too.
        assert any(HOSTILE in text for text in _strings(json.loads(out)))
    else:
        assert "␛[2J" in out


def _typed_description_refused(db: Path, description: str) -> str:
    """`psr risk add` with `description` typed: refused, the file untouched; what it said."""
    before = db.read_bytes()
    result = _run(
        "risk", "add", "--db", db, "--ref", "R9", "--likelihood", "Low",
        "--impact", "Critical", "--description", description,
    )  # fmt: skip
    assert result.returncode == 1
    assert db.read_bytes() == before
    return _assert_terminal_safe(result.stderr).strip()


def test_text_typed_on_the_command_line_is_refused_with_its_control_characters(
    demo_path: Path,
) -> None:
    assert _typed_description_refused(demo_path, f"Funding{WINDOW_TITLE}") == (
        "psr: description contains control characters (␛ ␇): remove them and type the text again"
    )


def test_a_bidi_override_typed_or_in_the_file_never_reorders_the_terminal(
    demo_path: Path,
) -> None:
    # "Trojan Source": on a terminal that applies the bidi algorithm, an override turns
    # the rest of the line round, so that the score and band beside it read backwards.
    assert _typed_description_refused(demo_path, "Funding \u202e52 hgiH") == (
        "psr: description contains control characters (U+202E): remove them and type the text again"
    )

    planted = "Funding \u202e52 hgiH \u2067isolated\u2069"
    edit_first_risk(demo_path, description=planted)
    table = _run("risks", "--db", demo_path)
    assert table.returncode == 0, table.stderr
    shown = _assert_terminal_safe(table.stdout)
    assert "\u202e" not in shown and "\u2067" not in shown
    assert "Funding \ufffd52 hgiH \ufffdisolated\ufffd" in shown
    as_json = _run("risks", "--json", "--db", demo_path)
    assert "\u202e" not in as_json.stdout.decode() and b"\\u202e" in as_json.stdout
    assert json.loads(as_json.stdout)[0]["description"] == planted
