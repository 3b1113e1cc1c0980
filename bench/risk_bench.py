"""Benchmark the risk register screen with a large register.

    .venv/bin/python bench/risk_bench.py              # 10,000 risks
    .venv/bin/python bench/risk_bench.py --risks 2000

Builds a database of N risks with the store (one transaction), then in a headless
`run_test` times: opening the register (from pressing r until the table holds every row
and the screen has drawn), one filter keystroke (from the key until the table shows the
matching rows), two more keystrokes, clearing the filter again, a sort by description (from
choosing it in the `s` picker), reversing it (S), and moving the cursor a page and to the
end. Each figure ends after a `pilot.pause()`, so it includes the frame Textual draws; it
is given as wall time and as CPU time (the pilot's waiting costs wall time only; an
unbound key shows that floor). Figures are printed; nothing here is a test threshold.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from psr_tui.app import PsrApp
from psr_tui.demo import load_matrix
from psr_tui.models import Risk, RiskMatrix
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
        tx.insert_many("risks", bench_risks(matrix, count))


def bench_risks(matrix: RiskMatrix, count: int, prefix: str = "R") -> list[Risk]:
    """`count` risks of every cell of `matrix`, refs `prefix`1 up."""
    return [
        Risk(
            ref=f"{prefix}{n}",
            description=f"Risk {n}: {WORDS[n % len(WORDS)]} and {WORDS[n % 5]}",
            owner=OWNERS[n % len(OWNERS)],
            likelihood=matrix.likelihood[n % len(matrix.likelihood)],
            impact=matrix.impact[(n // 3) % len(matrix.impact)],
            action_date=f"2016-0{1 + n % 9}-01",
            date_identified="2015-08-01",
        )
        for n in range(1, count + 1)
    ]


async def wait_rows(app: PsrApp, pilot: Pilot[None], predicate: Callable[[int], bool]) -> None:
    while True:
        tables = app.screen.query(RiskTable)
        if tables and predicate(tables.first().row_count):
            await pilot.pause()  # the frame that shows them
            return
        await pilot.pause()


class Figures:
    """Wall-clock and CPU time of each step: the pilot waits for the screen to settle,
    which costs wall time but no CPU, so CPU time is the UI's own work."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[float, float]] = {}
        self._start = (0.0, 0.0)

    def start(self) -> None:
        self._start = (time.perf_counter(), time.process_time())

    def stop(self, name: str) -> None:
        wall, cpu = self._start
        self.rows[name] = (time.perf_counter() - wall, time.process_time() - cpu)


async def measure(path: Path, count: int) -> dict[str, tuple[float, float]]:
    app = PsrApp(Store(path), watch=False)
    figures = Figures()
    async with app.run_test(size=(120, 40)) as pilot:
        figures.start()
        await pilot.press("r")
        await wait_rows(app, pilot, lambda n: n == count)
        figures.stop("open register")

        figures.start()
        await pilot.press("G")  # bound to nothing: what the pilot itself costs
        await pilot.pause()
        figures.stop("unbound key (harness floor)")

        await pilot.press("slash")
        figures.start()
        await pilot.press("w")  # about a third of the risks match
        await wait_rows(app, pilot, lambda n: n < count)
        figures.stop("filter keystroke 'w'")
        figures.start()
        await pilot.press("o", "r")
        await pilot.pause()
        figures.stop("2 more keystrokes 'or'")

        figures.start()
        # Every row comes back: the worst case for a table that builds its rows.
        await pilot.press("backspace", "backspace", "backspace")
        await wait_rows(app, pilot, lambda n: n == count)
        figures.stop("clear filter (3 backspaces)")

        await pilot.press("enter")
        await pilot.press("s", "j")  # the column picker, on Description
        await pilot.pause()
        figures.start()
        await pilot.press("enter")
        await pilot.pause()
        figures.stop("sort by Description (s)")
        figures.start()
        await pilot.press("S")
        await pilot.pause()
        figures.stop("reverse the sort (S)")

        figures.start()
        await pilot.press("pagedown")
        await pilot.pause()
        figures.stop("cursor a page down")
        figures.start()
        await pilot.press("end")
        await pilot.pause()
        figures.stop("cursor to the last row (end)")
    return figures.rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--risks", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.json"
        start = time.perf_counter()
        build(path, args.risks)
        print(f"built {args.risks:,} risks in {time.perf_counter() - start:.2f} s")
        print(f"{'':32} {'wall ms':>8} {'cpu ms':>8}")
        for name, (wall, cpu) in asyncio.run(measure(path, args.risks)).items():
            print(f"{name:32} {wall * 1000:8.0f} {cpu * 1000:8.0f}")


if __name__ == "__main__":
    main()
