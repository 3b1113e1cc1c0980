"""Benchmark the CLI's write path and a small read against their floors, as whole processes.

    .venv/bin/python bench/cli_bench.py                  # 100, 1,000 and 10,000 risks
    .venv/bin/python bench/cli_bench.py --sizes 10000 --runs 5

Each sample is a fresh process, timed from spawn to exit, as a user running `psr` pays:

- `psr risk add` into a file of N risks (bench/risk_bench.py's register), a new ref each run;
- the floor for that write: `python` reading the same file, `orjson` load, one row added,
  dump, write a temp file, fsync, `os.replace` (what any whole-file JSON store must do);
- `psr summary` on the demo database, against `python -c 'import pydantic'`;
- the least any command that validates with pydantic can cost: a process that imports
  `BaseModel`, defines one model of two fields and validates one row (`ONE_MODEL`), and the
  write floor with that done too (`FLOOR_AND_ONE_MODEL`), the new row validated first.

Runs alternate so that machine load hits each column alike; `--before OTHER/.venv/bin/psr`
runs another checkout's `psr` in the same turns (its own copy of each file), for a before
and after under the same load. Figures are printed; nothing here is a test threshold.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from machine import machine
from risk_bench import build

PSR = [str(Path(sys.executable).parent / "psr")]
FLOOR = """
import os, sys, orjson
path = sys.argv[1]
with open(path, "rb") as f:
    data = orjson.loads(f.read())
risks = data.setdefault("risks", {})
risks[str(len(risks) + 10**6)] = {"ref": sys.argv[2], "description": "floor"}
tmp = path + ".floor-tmp"
with open(tmp, "wb") as f:
    f.write(orjson.dumps(data))
    f.flush()
    os.fsync(f.fileno())
os.replace(tmp, path)
"""

ONE_MODEL = """
from pydantic import BaseModel

class Row(BaseModel):
    ref: str
    description: str

row = Row.model_validate({"ref": "R1", "description": "floor"}).model_dump()
"""
FLOOR_AND_ONE_MODEL = ONE_MODEL + FLOOR.replace(
    '{"ref": sys.argv[2], "description": "floor"}', "{**row, 'ref': sys.argv[2]}"
)


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{command[1:]} failed: {done.stderr.decode()[-500:]}")
    return elapsed


def ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--before", metavar="PSR", help="another checkout's psr, run alternately")
    args = parser.parse_args()
    commands = {"psr": PSR, **({"before": [args.before]} if args.before else {})}
    # As installed: bytecode is written and reused (a shell that sets
    # PYTHONDONTWRITEBYTECODE would make every run compile psr_tui from source again).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PSR_USER"] = "bench"
    print(machine(), f"load average {os.getloadavg()[0]:.1f}")
    names = list(commands)
    print(
        "| risks | MB | "
        + " | ".join(f"{n} risk add ms (x floor)" for n in names)
        + " | floor ms | floor + one pydantic model ms (x floor) |"
    )
    print("| ---: | ---: | " + "---: | " * len(names) + "---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for size in args.sizes:
            source = base / f"r{size}.json"
            build(source, size)
            floor_db = base / f"floor{size}.json"
            shutil.copy(source, floor_db)
            modelled_db = base / f"modelled{size}.json"
            shutil.copy(source, modelled_db)
            dbs = {name: base / f"{name}{size}.json" for name in names}
            for db in dbs.values():
                shutil.copy(source, db)
            adds: dict[str, list[float]] = {name: [] for name in names}
            floors: list[float] = []
            modelled: list[float] = []
            for run in range(args.runs):
                ref = f"BENCH{run}"
                for name in names:
                    adds[name].append(
                        timed([*commands[name], "--db", str(dbs[name]), *add(ref)], env)
                    )
                floors.append(timed([sys.executable, "-c", FLOOR, str(floor_db), ref], env))
                modelled.append(
                    timed([sys.executable, "-c", FLOOR_AND_ONE_MODEL, str(modelled_db), ref], env)
                )
            floor = statistics.median(floors)
            mb = source.stat().st_size / 1e6
            cells = [
                f"{ms(samples)} ({statistics.median(samples) / floor:.2f})"
                for samples in [*adds.values(), modelled]
            ]
            cells.insert(len(names), ms(floors))
            print(f"| {size:,} | {mb:.2f} | " + " | ".join(cells) + " |")
        demo = base / "demo.json"
        subprocess.run([*PSR, "--db", str(demo), "demo"], env=env, check=True, capture_output=True)
        summaries: dict[str, list[float]] = {name: [] for name in names}
        pydantic: list[float] = []
        one_model: list[float] = []
        for _ in range(args.runs):
            for name in names:
                summaries[name].append(timed([*commands[name], "--db", str(demo), "summary"], env))
            pydantic.append(timed([sys.executable, "-c", "import pydantic"], env))
            one_model.append(timed([sys.executable, "-c", ONE_MODEL], env))
        floor = statistics.median(pydantic)
        print()
        print(
            "| demo | "
            + " | ".join(f"{n} summary ms (x)" for n in names)
            + " | import pydantic ms | one pydantic model ms (x) |"
        )
        print("| --- | " + "---: | " * len(names) + "---: | ---: |")
        cells = [
            f"{ms(samples)} ({statistics.median(samples) / floor:.2f})"
            for samples in [*summaries.values(), one_model]
        ]
        cells.insert(len(names), ms(pydantic))
        print("| demo | " + " | ".join(cells) + " |")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


def add(ref: str) -> list[str]:
    """`psr risk add` of a new risk `ref`, after `--db PATH`."""
    return [
        "risk",
        "add",
        "--ref",
        ref,
        "--description",
        "Bench risk",
        "--likelihood",
        "Medium",
        "--impact",
        "Significant",
    ]


if __name__ == "__main__":
    main()
