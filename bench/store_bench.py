"""Benchmark the shared store: write latency and throughput against the bare-file floor.

    .venv/bin/python bench/store_bench.py            # ~1-2 minutes on 2 cores
    .venv/bin/python bench/store_bench.py --quick    # a few seconds, fewer samples

For 100, 1,000 and 10,000 risks already in the file it runs 1, 4 and 8 writer processes,
each write one `Store.transaction()` inserting one risk (lock, read, validate, TinyDB,
write temp, fsync, rename, fsync dir, append + fsync audit). Latency is per transaction as
the writer sees it, lock wait included. The floor is the least any whole-file JSON store
can do: in one process, read + orjson load + add the row + orjson dump + write + fsync +
os.replace. "x floor" is store time per write / floor time per write (1.0 is ideal).

It also times a single writer's edit (read a record, update it with its rev), and stdlib
json against orjson for the parse and dump the store does on every write.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import orjson
from machine import machine

from psr_tui.store import Store

# The store's process tests write the same records: the seed's 3x3 matrix and R3-shaped risks.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.helpers.store_worker import default_matrix, make_risk

SIZES = (100, 1_000, 10_000)
WRITERS = (1, 4, 8)
# Writes per configuration (shared among its writers), by file size.
TOTAL_WRITES = {100: 400, 1_000: 240, 10_000: 80}
WRITE_HEADERS = [
    "records",
    "MB",
    "what",
    "writers",
    "p50 ms",
    "p95 ms",
    "max ms",
    "writes/s",
    "x floor",
]


def build(path: Path, size: int) -> None:
    store = Store(path, user="bench")
    store.create("Bench partnership")
    with store.transaction() as tx:
        tx.insert("matrix", default_matrix())
        for n in range(size):
            tx.insert("risks", make_risk(f"R{n + 1}"))


@dataclass
class Result:
    latencies: list[float]  # seconds
    wall: float  # seconds from first start to last end

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies)

    @property
    def p95(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def worst(self) -> float:
        return max(self.latencies)

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.wall

    @property
    def per_write(self) -> float:
        return self.wall / len(self.latencies)


def timed(count: int, write: Callable[[int], None]) -> list[tuple[float, float]]:
    spans = []
    for n in range(count):
        start = time.perf_counter()
        write(n)
        spans.append((start, time.perf_counter()))
    return spans


def result(spans: list[tuple[float, float]]) -> Result:
    return Result(
        [end - start for start, end in spans],
        max(end for _, end in spans) - min(start for start, _ in spans),
    )


# --- the floor: bare whole-file JSON in one process ------------------------------------


def floor(
    path: Path, count: int, loads: Callable[[bytes], Any], dumps: Callable[[Any], bytes]
) -> Result:
    row = make_risk("F").model_dump(mode="json")
    tmp = path.with_name(path.name + ".floor.tmp")

    def write(n: int) -> None:
        data = loads(path.read_bytes())
        data["risks"][str(1_000_000 + n)] = row
        with open(tmp, "wb") as handle:
            handle.write(dumps(data))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)

    return result(timed(count, write))


def std_dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


# --- the store: N writer processes -----------------------------------------------------


def _writer(path: Path, name: str, count: int, barrier: Barrier, out: Any) -> None:
    store = Store(path, user=name)
    barrier.wait()

    def write(n: int) -> None:
        with store.transaction() as tx:
            tx.insert("risks", make_risk(f"{name}-{n}"))

    out.put(timed(count, write))


def store_writes(path: Path, writers: int, per_writer: int) -> Result:
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(writers)
    out = ctx.Queue()
    procs = [
        ctx.Process(target=_writer, args=(path, f"w{n}", per_writer, barrier, out))
        for n in range(writers)
    ]
    for proc in procs:
        proc.start()
    spans = [span for _ in procs for span in out.get(timeout=600)]
    for proc in procs:
        proc.join()
        if proc.exitcode != 0:
            raise SystemExit(f"writer exited with {proc.exitcode}")
    return result(spans)


def store_edits(path: Path, count: int) -> Result:
    store = Store(path, user="editor")

    def write(n: int) -> None:
        with store.transaction() as tx:
            current = tx.get("risks", 1).model
            changed = current.model_copy(update={"owner": f"Owner {n}"})
            tx.update("risks", 1, changed, expected_rev=current.rev)

    return result(timed(count, write))


def profile(directory: Path, size: int, count: int) -> None:
    """Where a single writer's transaction spends its time (cProfile, by own time)."""
    import cProfile
    import pstats

    path = directory / f"profile-{size}.json"
    build(path, size)
    store = Store(path, user="profiler")

    def write(n: int) -> None:
        with store.transaction() as tx:
            tx.insert("risks", make_risk(f"P-{n}"))

    write(-1)  # warm up
    profiler = cProfile.Profile()
    profiler.runcall(timed, count, write)
    print(f"\n# profile: {count} inserts at {size:,} records")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(14)


# --- parse / dump ----------------------------------------------------------------------


def best_of(repeat: int, action: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return best


# --- report ----------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def _cell(text: str, width: int) -> str:
    return text.rjust(width) if text[:1].isdigit() else text.ljust(width)


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |",
        "| " + " | ".join("-" * w for w in widths) + " |",
    ]
    lines += [
        "| " + " | ".join(_cell(c, w) for c, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a quarter of the samples")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--writers", default=",".join(map(str, WRITERS)))
    parser.add_argument("--dir", type=Path, help="where to put the files (default: a temp dir)")
    parser.add_argument(
        "--profile", type=int, metavar="SIZE", help="only profile one writer at SIZE records"
    )
    args = parser.parse_args(argv)
    if args.profile is not None:
        with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
            profile(Path(tmp), args.profile, 50)
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    writer_counts = [int(w) for w in args.writers.split(",")]
    scale = 4 if args.quick else 1

    print(f"# store benchmark: {machine()}", flush=True)
    write_rows: list[list[str]] = []
    parse_rows: list[list[str]] = []
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        for size in sizes:
            base = Path(tmp) / f"base-{size}.json"
            build(base, size)
            raw = base.read_bytes()
            total = max(40, TOTAL_WRITES.get(size, 80) // scale)

            def fresh(name: str, base: Path = base, raw: bytes = raw) -> Path:
                path = base.with_name(name)
                path.write_bytes(raw)
                return path

            floor_result = floor(fresh("floor.json"), total, orjson.loads, orjson.dumps)

            def row(
                what: str,
                writers: int,
                got: Result,
                size: int = size,
                raw: bytes = raw,
                floor_result: Result = floor_result,
            ) -> list[str]:
                return [
                    f"{size:,}",
                    f"{len(raw) / 1e6:.2f}",
                    what,
                    str(writers),
                    ms(got.p50),
                    ms(got.p95),
                    ms(got.worst),
                    f"{got.per_second:.0f}",
                    f"{got.per_write / floor_result.per_write:.2f}",
                ]

            write_rows.append(row("floor (orjson)", 1, floor_result))
            std_floor = floor(fresh("std-floor.json"), max(20, total // 4), json.loads, std_dumps)
            write_rows.append(row("floor (json)", 1, std_floor))
            for writers in writer_counts:
                per_writer = max(5, total // writers)
                got = store_writes(fresh(f"store-{writers}.json"), writers, per_writer)
                write_rows.append(row("store insert", writers, got))
                print(table_line(write_rows[-1]), flush=True)
            write_rows.append(row("store edit", 1, store_edits(fresh("edit.json"), total)))
            repeat = max(5, 20 // scale)
            data = orjson.loads(raw)
            parse_rows.append(
                [
                    f"{size:,}",
                    ms(best_of(repeat, lambda raw=raw: json.loads(raw))),
                    ms(best_of(repeat, lambda raw=raw: orjson.loads(raw))),
                    ms(best_of(repeat, lambda data=data: std_dumps(data))),
                    ms(best_of(repeat, lambda data=data: orjson.dumps(data))),
                ]
            )

    print()
    print(
        table(
            WRITE_HEADERS,
            write_rows,
        )
    )
    print()
    print(
        table(
            ["records", "json.loads ms", "orjson.loads ms", "json.dumps ms", "orjson.dumps ms"],
            parse_rows,
        )
    )
    return 0


def table_line(row: list[str]) -> str:
    return "  " + "  ".join(row)


if __name__ == "__main__":
    sys.exit(main())
