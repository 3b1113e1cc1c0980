"""A big risks CSV is checked before the lock is taken (issue 12 item 14): while another
process holds the lock, `psr import risks` still reads every row and names the bad one,
instead of waiting behind the lock to find it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from psr_tui.exports.register_io import COLUMNS
from tests.conftest import run_psr

HOLD_THE_LOCK = """
import sys
from psr_tui.store import Store
with Store(sys.argv[1], user="colleague").transaction():
    print("held", flush=True)
    sys.stdin.readline()
"""


def test_a_bad_row_is_found_while_another_session_holds_the_lock(
    demo_path: Path, tmp_path: Path
) -> None:
    big = tmp_path / "big.csv"
    rows = [",".join(COLUMNS)]
    rows += [f"B{n},Bulk risk {n},,,,Low,Noticeable,,,,open" for n in range(2_000)]
    rows.append("B-last,The bad one,,,,Huge,Noticeable,,,,open")
    big.write_text("\n".join(rows) + "\n", encoding="utf-8")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, str(demo_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        result = run_psr("import", "risks", big, "--db", demo_path)
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=30)
    assert result.returncode == 1
    assert "row 2002, likelihood: 'Huge' is not in the matrix" in result.stderr
    assert "locked" not in result.stderr
