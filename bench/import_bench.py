"""Benchmark a large risks CSV import: how long it takes, and how long it holds the lock.

    .venv/bin/python bench/import_bench.py              # 100,000 rows (a few minutes here)
    .venv/bin/python bench/import_bench.py --rows 10000
    .venv/bin/python bench/import_bench.py --profile [cumtime]   # cProfile of both steps

Into a file holding the seed's 3x3 matrix it imports ROWS new risks shaped like R3 of the
demo register, then re-imports the register's own export (every row unchanged), each with
the real `psr import risks` and, in-process, split into its two steps: the check
(`prepare_risks`: read and validate the file, no lock) and the write (`apply_risks` in one
transaction, the lock held from start to end). While each `psr import` runs, a colleague's
process saves one small change every 0.2 s: its slowest save is how long the import made
someone wait.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import multiprocessing as mp
import pstats
import subprocess
import sys
import tempfile
import time
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any

from machine import machine

from psr_tui.changes.imports import apply_risks, prepare_risks
from psr_tui.exports.register_io import COLUMNS, export_register
from psr_tui.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.helpers.store_worker import make_risk, new_database

PSR = Path(sys.executable).with_name("psr")


def write_csv(path: Path, rows: int) -> None:
    risk = make_risk("R").model_dump(mode="json")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for n in range(rows):
            cells = {**risk, "ref": f"R{n + 1}"}
            writer.writerow(["" if cells.get(c) is None else cells[c] for c in COLUMNS])


def _colleague(path: Path, stop: Event, out: Any) -> None:
    """Another officer's small saves during the import: the wait of each."""
    store = Store(path, user="colleague")
    waits = []
    while not stop.is_set():
        start = time.perf_counter()
        with store.transaction() as tx:
            tx.set_meta(partnership=f"Bench partnership {len(waits)}")
        waits.append(time.perf_counter() - start)
        time.sleep(0.2)
    out.put(waits)


def cli_import(db: Path, csv_path: Path) -> tuple[float, float, str]:
    """`psr import risks` beside a colleague saving: seconds, the colleague's worst wait."""
    ctx = mp.get_context("fork")
    stop, out = ctx.Event(), ctx.Queue()
    colleague = ctx.Process(target=_colleague, args=(db, stop, out))
    colleague.start()
    time.sleep(0.5)
    start = time.perf_counter()
    result = subprocess.run(
        [str(PSR), "import", "risks", str(csv_path), "--db", str(db)],
        capture_output=True,
        text=True,
        check=False,
    )
    took = time.perf_counter() - start
    stop.set()
    waits = out.get(timeout=120)
    colleague.join()
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    return took, max(waits), result.stdout.strip()


def steps(db: Path, csv_path: Path) -> tuple[float, float, str]:
    """The check without the lock, then the write holding it: seconds of each."""
    store = Store(db, user="bench")
    start = time.perf_counter()
    prepared = prepare_risks(store.snapshot(), csv_path)
    checked = time.perf_counter()
    with store.transaction() as tx:
        result = apply_risks(tx, prepared)
    return checked - start, time.perf_counter() - checked, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--profile", nargs="?", const="tottime", choices=["tottime", "cumtime"], default=None
    )
    args = parser.parse_args()
    print(f"# {machine()}")
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        source = folder / "risks.csv"
        write_csv(source, args.rows)
        print(f"# {args.rows:,} rows, {source.stat().st_size / 1e6:.1f} MB of CSV")
        if args.profile:
            db = new_database(folder / "profile.json")
            profiler = cProfile.Profile()
            profiler.runcall(steps, db, source)
            pstats.Stats(profiler, stream=sys.stdout).sort_stats(args.profile).print_stats(30)
            return
        print(
            "| import | rows | check, no lock (s) | write, lock held (s) | psr import (s) |"
            " colleague's worst wait (s) | result |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
        for label, db_name in (("new risks", "new"), ("its export again", "again")):
            in_process = new_database(folder / f"{db_name}-steps.json")
            cli_db = new_database(folder / f"{db_name}-cli.json")
            csv_path = source
            if db_name == "again":
                for db in (in_process, cli_db):
                    steps(db, source)
                csv_path = folder / "export.csv"
                export_register(Store(cli_db).snapshot(), csv_path)
            check, write, _ = steps(in_process, csv_path)
            took, worst, result = cli_import(cli_db, csv_path)
            print(
                f"| {label} | {args.rows:,} | {check:.1f} | {write:.1f} | {took:.1f} | "
                f"{worst:.2f} | {result} |"
            )


if __name__ == "__main__":
    main()
