"""Benchmark the risk register screen with a large register.

    .venv/bin/python bench/risk_bench.py              # 10,000 risks
    .venv/bin/python bench/risk_bench.py --risks 2000

Builds a database of N risks with the store (one transaction), then in a headless
`run_test` times: opening the register (from pressing r until the table holds every row),
one filter keystroke (from the key until the table shows the matching rows; above 2,000
risks the screen waits for a 0.15 s pause in the typing, included in the figure), clearing the
filter again, and one sort (s). Figures are printed; nothing here is a test threshold.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from psr_tui.app import PsrApp
from psr_tui.demo import load_matrix
from psr_tui.models import Risk
from psr_tui.store import Store
from psr_tui.widgets.risk_table import RiskTable

OWNERS = ["Programme Manager", "Executive Group", "Chief Executive", "Finance lead", "Police"]
WORDS = ["funding", "capacity", "data", "estates", "workforce", "governance", "digital"]


def build(path: Path, count: int) -> None:
    store = Store(path)
    store.create("Bench")
    matrix = load_matrix()
    with store.transaction() as tx:
        tx.insert("matrix", matrix)
        for n in range(1, count + 1):
            tx.insert(
                "risks",
                Risk(
                    ref=f"R{n}",
                    description=f"Risk {n}: {WORDS[n % len(WORDS)]} and {WORDS[n % 5]}",
                    owner=OWNERS[n % len(OWNERS)],
                    likelihood=matrix.likelihood[n % 3],
                    impact=matrix.impact[(n // 3) % 3],
                    action_date=f"2016-0{1 + n % 9}-01",
                    date_identified="2015-08-01",
                ),
            )


async def wait_rows(app: PsrApp, pilot: object, predicate: object) -> None:
    while True:
        tables = app.screen.query(RiskTable)
        if tables and predicate(tables.first().row_count):  # type: ignore[operator]
            return
        await pilot.pause()  # type: ignore[attr-defined]


async def filtered(app: PsrApp, pilot: object) -> None:
    """Until the register has applied the typed filter (it waits for a pause in typing)."""
    await pilot.pause()  # type: ignore[attr-defined]
    while getattr(app.screen, "_pending_filter", None) is not None:
        await pilot.pause()  # type: ignore[attr-defined]


async def measure(path: Path, count: int) -> dict[str, float]:
    app = PsrApp(Store(path), watch=False)
    figures: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        start = time.perf_counter()
        await pilot.press("r")
        await wait_rows(app, pilot, lambda n: n == count)
        figures["open register"] = time.perf_counter() - start

        await pilot.press("slash")
        start = time.perf_counter()
        await pilot.press("w")  # about a third of the risks match
        await wait_rows(app, pilot, lambda n: n < count)
        figures["filter keystroke 'w'"] = time.perf_counter() - start
        start = time.perf_counter()
        await pilot.press("o", "r")
        await filtered(app, pilot)
        figures["2 more keystrokes 'or'"] = time.perf_counter() - start

        start = time.perf_counter()
        # Every row comes back: the table's worst case.
        await pilot.press("backspace", "backspace", "backspace")
        await wait_rows(app, pilot, lambda n: n == count)
        figures["clear filter (3 backspaces)"] = time.perf_counter() - start

        await pilot.press("enter")
        start = time.perf_counter()
        await pilot.press("s")
        await pilot.pause()
        figures["sort (s)"] = time.perf_counter() - start
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--risks", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.json"
        start = time.perf_counter()
        build(path, args.risks)
        print(f"built {args.risks:,} risks in {time.perf_counter() - start:.2f} s")
        for name, seconds in asyncio.run(measure(path, args.risks)).items():
            print(f"{name:32} {seconds * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
