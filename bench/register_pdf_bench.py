"""Time and peak memory of the risk register PDF at 300 and 1,000 risks.

    .venv/bin/python bench/register_pdf_bench.py                 # 300 and 1000 risks
    .venv/bin/python bench/register_pdf_bench.py --sizes 300     # one size
    .venv/bin/python bench/register_pdf_bench.py --code /tmp/old # another checkout's psr_tui

Each size is the demo plus that many risks (texts of the length the seed's register has,
a third of them reviewed), written once; then a fresh `python` process runs
`export_pdf(snapshot, "risks", ...)`, the path `psr export risks` takes, and reports its
wall time, its peak resident memory (`ru_maxrss`, the whole process: interpreter, imports,
the snapshot and WeasyPrint) and the pages written. `--code DIR` puts DIR first on the
child's path, so the same data can be rendered by an older checkout for a before/after.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import machine

from psr_tui.demo import build_demo
from psr_tui.models import Review, Risk
from psr_tui.store import Store

LEVELS = ["Low", "Medium", "High"]
IMPACTS = ["Noticeable", "Significant", "Critical"]

CHILD = """
import json, resource, sys, time
from datetime import date
from pathlib import Path
start = time.perf_counter()
from psr_tui.exports.pdf import export_pdf
from psr_tui.store import Store
db, out = Path(sys.argv[1]), Path(sys.argv[2])
export_pdf(Store(db).snapshot(), "risks", out, user="bench", exported=date(2016, 2, 16))
seconds = time.perf_counter() - start
from pypdf import PdfReader
print(json.dumps({
    "seconds": seconds,
    "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "pages": len(PdfReader(out).pages),
}))
"""


def add_risks(store: Store, count: int) -> None:
    rng = random.Random(18)
    with store.transaction() as tx:
        matrix = tx.matrix()
        assert matrix is not None
        for n in range(count):
            likelihood, impact = rng.choice(LEVELS), rng.choice(IMPACTS)
            reviews = []
            if n % 3 == 0:
                before = rng.choice(LEVELS)
                reviews.append(
                    Review(
                        date=date(2016, 1, 5),
                        likelihood=before,
                        impact=impact,
                        score=matrix.score(before, impact),
                        note="Reviewed by the Implementation Group.",
                        by="Programme Office",
                    )
                )
            tx.insert(
                "risks",
                Risk(
                    ref=f"B{n + 1}",
                    description=f"Benchmark risk {n + 1}: "
                    + "risk of not having the capacity and funding to deliver " * 2,
                    category=rng.choice(LEVELS),
                    date_identified=date(2015, 1 + n % 12, 1),
                    controls="Controls in place, reviewed monthly by the programme office "
                    "with the partners who own the work.",
                    likelihood=likelihood,
                    impact=impact,
                    actions="Actions planned and owned by the Implementation Group, "
                    "reported to the Executive each quarter.",
                    owner="Programme Manager",
                    action_date=date(2016, 1 + n % 12, 1),
                    status="closed" if n % 10 == 9 else "open",
                    reviews=reviews,
                ),
            )


def register_database(folder: Path, size: int) -> Path:
    """The demo plus `size` risks, written once in `folder`."""
    db = folder / f"r{size}.json"
    store = Store(db, user="bench")
    build_demo(store)
    add_risks(store, size)
    return db


def measure(db: Path, out: Path, code: Path | None) -> dict[str, float]:
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(db), str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        # `-c` puts the working directory first on the path: from a checkout it would
        # import that checkout's psr_tui, not --code's.
        cwd=out.parent,
    )
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 1000])
    parser.add_argument("--code", type=Path, help="a checkout whose psr_tui renders")
    args = parser.parse_args()
    print(f"# Register PDF ({machine()}, load {os.getloadavg()[0]:.1f})")
    print("| risks | pages | time | peak memory |")
    print("| ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            db = register_database(Path(tmp), size)
            figures = measure(db, Path(tmp) / f"r{size}.pdf", args.code)
            print(
                f"| {size} | {figures['pages']:.0f} | {figures['seconds']:.1f} s "
                f"| {figures['maxrss_kb'] / 1024:.0f} MiB |",
                flush=True,
            )


if __name__ == "__main__":
    main()
