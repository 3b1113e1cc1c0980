"""Peak memory and time of the register PDF export process at 1,000 / 3,000 / 10,000 risks.

    .venv/bin/python bench/pdf_memory_bench.py                      # 1000 3000 10000
    .venv/bin/python bench/pdf_memory_bench.py --sizes 1000 3000
    .venv/bin/python bench/pdf_memory_bench.py --code /tmp/old      # another checkout

Each size is the demo plus that many risks (register_pdf_bench's: texts of the seed's
length, a third reviewed), written once. Then the export runs as the TUI runs it: a fresh
`python -m psr_tui.exports.job` process given the job on stdin (`export_pdf`, the path
`psr export risks` takes too). Its peak resident memory is the child's own `ru_maxrss`
from `os.wait4` (the whole process: interpreter, imports, the snapshot, WeasyPrint), its
time the wall clock from spawn to exit, and its CPU time (user + system, from the same
`wait4`: on a shared machine the fairer comparison of two versions). A checkout without
the job module (`--code`, before the export ran in a child) runs `export_pdf` in a
`python -c` child.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from machine import machine
from register_pdf_bench import register_database

from psr_tui.exports.job import ExportJob

OLD_CHILD = """
import sys
from pathlib import Path
from psr_tui.exports.pdf import export_pdf
from psr_tui.store import Store
export_pdf(Store(Path(sys.argv[1])).snapshot(), "risks", Path(sys.argv[2]), user="bench",
           exported=date(2016, 2, 16))
"""


def measure(db: Path, out: Path, code: Path | None) -> dict[str, float]:
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    if code is None or (code / "psr_tui" / "exports" / "job.py").exists():
        command = [sys.executable, "-m", "psr_tui.exports.job"]
        job = ExportJob(db=str(db), kind="risks", out=str(out), user="bench")
        given = job.to_json().encode()
    else:
        command = [sys.executable, "-c", OLD_CHILD, str(db), str(out)]
        given = b""
    start = time.perf_counter()
    # Run from the output's folder: `-m` puts the working directory first on the path, and
    # from a checkout it would import that checkout's psr_tui, not --code's.
    child = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=out.parent,
    )
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(given)
    child.stdin.close()
    said = child.stdout.read().decode()
    # Reaped here, not by Popen: wait4 gives this child's own peak memory.
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"the export failed: {said.strip().splitlines()[-1:]}")
    from pypdf import PdfReader

    return {
        "seconds": seconds,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "maxrss_kb": usage.ru_maxrss,
        "pages": len(PdfReader(out).pages),
        "megabytes": out.stat().st_size / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10000])
    parser.add_argument("--code", type=Path, help="a checkout whose psr_tui renders")
    args = parser.parse_args()
    print(f"# Register PDF export process ({machine()}, load {os.getloadavg()[0]:.1f})")
    print("| risks | pages | time | CPU time | peak memory | file |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            db = register_database(Path(tmp), size)
            figures = measure(db, Path(tmp) / f"r{size}.pdf", args.code)
            print(
                f"| {size} | {figures['pages']:.0f} "
                f"| {figures['seconds']:.1f} s | {figures['cpu_seconds']:.1f} s "
                f"| {figures['maxrss_kb'] / 1024:.0f} MiB "
                f"| {figures['megabytes']:.1f} MB |",
                flush=True,
            )


if __name__ == "__main__":
    main()
