"""How long forms take: out (xlsx, and the printable PDF) and back in, per respondent.

    .venv/bin/python bench/forms_bench.py [--respondents N]

Times `write_forms` (the path of `psr form`) for a round of N respondents of the demo
framework, without and with --pdf, and `prepare_returns` + `apply_returns` (the path of
`psr import forms`) for all N forms filled in. Prints seconds in all and per form; CPU
seconds beside wall time, since the host is shared.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from psr_tui.changes.assessment import add_respondent, new_round
from psr_tui.changes.forms import apply_returns, mark_forms_sent, prepare_returns, write_forms
from psr_tui.demo import build_demo
from psr_tui.store import Store


def _timed(label: str, count: int, work: object) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    work()  # type: ignore[operator]
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label:<34} {wall:7.2f} s wall {cpu:7.2f} s cpu  {1000 * wall / count:7.0f} ms/form")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--respondents", type=int, default=30)
    n = parser.parse_args().respondents
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        store = Store(root / "bench.json", user="bench")
        build_demo(store)
        with store.transaction() as tx:
            new_round(tx, "Bench", date(2016, 8, 1), "AQuA System Integration")
            for i in range(n):
                add_respondent(tx, "Bench", f"Person {i}", f"Org {i % 7}", "Executive")
        snapshot = store.snapshot()
        _timed(f"forms out, xlsx ({n})", n, lambda: write_forms(snapshot, "Bench", root / "x"))
        pdfs = max(1, n // 5)
        with store.transaction() as tx:  # a smaller round for the slower PDFs
            new_round(tx, "Bench PDF", date(2016, 8, 2), "AQuA System Integration")
            for i in range(pdfs):
                add_respondent(tx, "Bench PDF", f"Person {i}", "Org", "Executive")
        snapshot = store.snapshot()
        _timed(
            f"forms out, xlsx + pdf ({pdfs})",
            pdfs,
            lambda: write_forms(snapshot, "Bench PDF", root / "p", pdf=True),
        )
        written = write_forms(store.snapshot(), "Bench", root / "x")
        with store.transaction() as tx:
            mark_forms_sent(tx, written)
        for i, path in enumerate(sorted((root / "x").glob("*.xlsx"))):
            workbook = load_workbook(path)
            sheet = workbook["Form"]
            for row in range(11, 19):
                sheet[f"B{row}"] = (i + row) % 5 + 1
            workbook.save(path)

        def back_in() -> None:
            prepared = prepare_returns(store.snapshot(), [root / "x"], "Bench")
            with store.transaction() as tx:
                apply_returns(tx, prepared)

        _timed(f"returns in ({n})", n, back_in)


if __name__ == "__main__":
    main()
