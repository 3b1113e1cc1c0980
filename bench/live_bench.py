"""Benchmark the register while a colleague saves: the cost of each remote change.

    .venv/bin/python bench/live_bench.py                   # 10,000 risks, 40 keys each way
    .venv/bin/python bench/live_bench.py --keys 100        # a steadier p95 (the 6th worst)
    .venv/bin/python bench/live_bench.py --risks 2000 --keys 20

Builds N risks (bench/risk_bench.py's register) and opens the register in a headless
`run_test` with the live refresh on (the 0.5 s poll, as `psr` runs). It then types filter
keys ("w", then backspace, in turn; each timed from the key until the table shows its rows
and the frame is drawn) twice: quiet, and while another process edits one risk a second
(a real `Store` transaction, as a colleague's session does). For each remote change it
times what the UI thread spends taking the new snapshot and redrawing the register
(`PsrApp._apply_snapshot`), and it counts full garbage collections and their time. For
the keys slower than the quiet p95 while the colleague saved, it says what ran during
them on average: the reload worker (its read of the file, through `Store.snapshot_after`,
and its validation), the UI thread's `_apply_snapshot`, the collector's passes. With 40
keys the p95 is the 3rd-worst key; `--keys 100` makes it the 6th. Figures are printed;
nothing here is a test threshold.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from machine import machine
from risk_bench import build, wait_rows

from psr_tui.app import PsrApp
from psr_tui.store import Snapshot, Store

COLLEAGUE = """
import sys, time
from psr_tui.store import Store
store = Store(sys.argv[1], user="colleague")
n = 0
while True:
    n += 1
    with store.transaction() as tx:
        doc_id = tx.find_id("risks", "ref", f"R{1 + n % 50}")
        risk = tx.get("risks", doc_id).model
        tx.update("risks", doc_id, risk.model_copy(update={"controls": f"edit {n}"}))
    time.sleep(1.0)
"""


def timed_snapshots(app: PsrApp) -> tuple[list[float], list[float]]:
    """Time what each new snapshot costs the UI thread (taking it and redrawing): wall
    time, and the thread's own CPU time (steadier on a loaded machine: not the waits)."""
    applied: list[float] = []
    cpu: list[float] = []
    apply = app._apply_snapshot

    def timed(*args: Any) -> None:
        start, start_cpu = time.perf_counter(), time.thread_time()
        apply(*args)
        applied.append(time.perf_counter() - start)
        cpu.append(time.thread_time() - start_cpu)

    app._apply_snapshot = timed  # type: ignore[method-assign]
    return applied, cpu


class Steps:
    """When each step of taking a remote change ran (perf_counter intervals, any thread):
    the reload worker's read of the file and its validation, the UI thread's
    `_apply_snapshot`, and the collector's passes; a slow key is explained by what
    overlapped it."""

    def __init__(self) -> None:
        self.spans: dict[str, list[tuple[float, float]]] = {}
        self._collecting = 0.0

    def wrap(self, owner: Any, name: str, label: str) -> None:
        original = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.spans.setdefault(label, []).append((start, time.perf_counter()))

        setattr(owner, name, timed)

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._collecting = time.perf_counter()
        else:
            label = f"collection, generation {info['generation']}"
            self.spans.setdefault(label, []).append((self._collecting, time.perf_counter()))

    def overlaps(self, start: float, end: float) -> dict[str, float]:
        """How long each step ran inside [start, end]."""
        return {
            label: sum(max(0.0, min(end, b) - max(start, a)) for a, b in spans)
            for label, spans in self.spans.items()
        }


def explain(keys: list[tuple[float, float]], steps: Steps, threshold: float) -> None:
    """What ran during the keys slower than `threshold` (seconds), on average."""
    slow = [(a, b) for a, b in keys if b - a > threshold]
    print(
        f"{len(slow)} keys slower than the quiet p95 ({threshold * 1000:.0f} ms); "
        "what ran during them, mean:"
    )
    if not slow:
        return
    totals: dict[str, float] = {}
    for a, b in slow:
        for label, spent in steps.overlaps(a, b).items():
            totals[label] = totals.get(label, 0.0) + spent
    for label, spent in sorted(totals.items()):
        print(f"  {label:40} {spent / len(slow) * 1000:6.1f} ms")
    mean = sum(b - a for a, b in slow) / len(slow)
    print(f"  {'(the keys themselves)':40} {mean * 1000:6.1f} ms")


class FullCollections:
    """Full (generation 2) garbage collections: how many, and how long each took."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.pauses.append(time.perf_counter() - self._start)


async def filter_keys(
    app: PsrApp, pilot: Any, count: int, keys: int, spans: list[tuple[float, float]]
) -> list[float]:
    times = []
    for n in range(keys):
        start = time.perf_counter()
        if n % 2 == 0:
            await pilot.press("w")
            await wait_rows(app, pilot, lambda shown: shown < count)
        else:
            await pilot.press("backspace")
            await wait_rows(app, pilot, lambda shown: shown >= count)
        spans.append((start, time.perf_counter()))
        times.append(spans[-1][1] - start)
    return times


def p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, round(len(samples) * 0.95) - 1)] * 1000


def line(name: str, samples: list[float]) -> str:
    if not samples:
        return f"{name:34} none"
    worst = len(samples) - max(0, round(len(samples) * 0.95) - 1)
    return (
        f"{name:34} n={len(samples):3}  median {statistics.median(samples) * 1000:6.1f}  "
        f"p95 {p95(samples):6.1f} (worst {worst})  max {max(samples) * 1000:6.1f} ms"
    )


async def measure(path: Path, count: int, keys: int) -> None:
    app = PsrApp(Store(path))
    # As `psr` runs the app (PsrApp.run, which run_test does not call): what is loaded at
    # start is frozen, and so is each snapshot the app takes.
    gc.freeze()
    app._frozen = True
    applied, applied_cpu = timed_snapshots(app)
    collections = FullCollections()
    steps = Steps()
    steps.wrap(app, "_reload", "reload worker, in all")
    for name in ("snapshot", "snapshot_after"):
        if hasattr(Store, name):
            steps.wrap(app.store, name, f"  of it Store.{name}")
    steps.wrap(Snapshot, "read_every_table", "  of it read_every_table")
    steps.wrap(app, "_apply_snapshot", "UI thread: _apply_snapshot")
    quiet_spans: list[tuple[float, float]] = []
    busy_spans: list[tuple[float, float]] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")
        await wait_rows(app, pilot, lambda n: n == count)
        await pilot.press("slash")
        gc.callbacks.append(collections)
        gc.callbacks.append(steps)
        cpu = time.process_time()
        wall = time.perf_counter()
        quiet = await filter_keys(app, pilot, count, keys, quiet_spans)
        quiet_cpu = (time.process_time() - cpu, time.perf_counter() - wall)
        quiet_gc = list(collections.pauses)
        collections.pauses.clear()
        applied.clear()
        applied_cpu.clear()
        colleague = subprocess.Popen([sys.executable, "-c", COLLEAGUE, str(path)])
        try:
            await asyncio.sleep(1.5)
            cpu = time.process_time()
            wall = time.perf_counter()
            busy = await filter_keys(app, pilot, count, keys, busy_spans)
            await asyncio.sleep(1.0)
            busy_cpu = (time.process_time() - cpu, time.perf_counter() - wall)
        finally:
            colleague.kill()
            colleague.wait()
        gc.callbacks.remove(collections)
        gc.callbacks.remove(steps)
    print(line("filter key, quiet", quiet))
    print(line("filter key, colleague saving", busy))
    print(f"{'':34} ratio of p95: {p95(busy) / p95(quiet):.2f}")
    print(line("UI thread per remote change", applied))
    print(line("  of it the thread's CPU", applied_cpu))
    print(line("full collections, quiet", quiet_gc))
    print(line("full collections, colleague", collections.pauses))
    for name, (used, spent) in (("quiet", quiet_cpu), ("colleague saving", busy_cpu)):
        print(f"CPU of the TUI, {name}: {used:.1f} s in {spent:.1f} s")
    explain(busy_spans, steps, p95(quiet) / 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--risks", type=int, default=10_000)
    parser.add_argument("--keys", type=int, default=40)
    args = parser.parse_args()
    print(machine(), f"load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.json"
        build(path, args.risks)
        asyncio.run(measure(path, args.risks, args.keys))


if __name__ == "__main__":
    main()
