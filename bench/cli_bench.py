"""Benchmark the CLI's write path and a small read against their floors, as whole processes.

    .venv/bin/python bench/cli_bench.py                  # 100, 1,000 and 10,000 risks
    .venv/bin/python bench/cli_bench.py --sizes 10000 --runs 5

Each sample is a fresh process, timed from spawn to exit, as a user running `psr` pays:

- `psr risk add` into a file of N risks (bench/risk_bench.py's register), a new ref each run;
- the floor for that write: `python` reading the same file, `orjson` load, one row added,
  dump, write a temp file, fsync, `os.replace` (what any whole-file JSON store must do);
- `psr summary` on the demo database, against `python -c 'import pydantic'`.

Runs alternate so that machine load hits each column alike. Figures are printed; nothing
here is a test threshold.
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
    args = parser.parse_args()
    # As installed: bytecode is written and reused (a shell that sets
    # PYTHONDONTWRITEBYTECODE would make every run compile psr_tui from source again).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PSR_USER"] = "bench"
    print(machine(), f"load average {os.getloadavg()[0]:.1f}")
    print("| risks | MB | psr risk add ms | floor ms | x floor |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for size in args.sizes:
            source = base / f"r{size}.json"
            build(source, size)
            db, floor_db = base / f"db{size}.json", base / f"floor{size}.json"
            shutil.copy(source, db)
            shutil.copy(source, floor_db)
            adds: list[float] = []
            floors: list[float] = []
            for run in range(args.runs):
                ref = f"BENCH{run}"
                adds.append(
                    timed(
                        [
                            *PSR,
                            "--db",
                            str(db),
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
                        ],
                        env,
                    )
                )
                floors.append(timed([sys.executable, "-c", FLOOR, str(floor_db), ref], env))
            ratio = statistics.median(adds) / statistics.median(floors)
            mb = source.stat().st_size / 1e6
            print(f"| {size:,} | {mb:.2f} | {ms(adds)} | {ms(floors)} | {ratio:.2f} |")
        demo = base / "demo.json"
        subprocess.run([*PSR, "--db", str(demo), "demo"], env=env, check=True, capture_output=True)
        summaries: list[float] = []
        pydantic: list[float] = []
        for _ in range(args.runs):
            summaries.append(timed([*PSR, "--db", str(demo), "summary"], env))
            pydantic.append(timed([sys.executable, "-c", "import pydantic"], env))
        ratio = statistics.median(summaries) / statistics.median(pydantic)
        print()
        print("| demo | psr summary ms | python -c 'import pydantic' ms | x |")
        print("| --- | ---: | ---: | ---: |")
        print(f"| demo | {ms(summaries)} | {ms(pydantic)} | {ratio:.2f} |")


if __name__ == "__main__":
    main()
