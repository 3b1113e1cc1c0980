"""Start-up to first frame: psr on the demo database vs a bare Textual app, same run.

Each sample is a fresh `python` process on a real pseudo-terminal (Textual's Linux driver,
not headless), timed from just before the process is spawned to the app's `Ready` event,
which Textual sends once the first frame has been written to the terminal. The psr child
imports `psr_tui.cli` first, as the `psr` command does, and opens the demo database.
The floor child is the bare app after what `psr` must do before any screen of its own:
import `psr_tui.cli` (pydantic and the models with it) and read the database.

    .venv/bin/python bench/startup_bench.py [--runs 10]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from machine import machine

SIZE = (120, 40)

CHILD = r"""
import sys, time
from pathlib import Path
kind, db, out = sys.argv[1:4]

def ready(app):
    with open(out, "w") as handle:
        handle.write(repr(time.time()))
    app.exit()

if kind == "floor":
    import gc
    from psr_tui import cli
    from psr_tui.store import Store

    Store(db).snapshot()
    gc.freeze()  # as PsrApp.run does

if kind in ("bare", "floor"):
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Bench(App):
        def compose(self):
            yield Header()
            yield Static("hello")
            yield Footer()

        def on_ready(self):
            ready(self)

    Bench().run()
else:
    from psr_tui import cli
    from psr_tui.app import PsrApp
    from psr_tui.store import Store

    class Bench(PsrApp):
        # Absolute: a relative CSS_PATH is resolved against the subclass's source file.
        CSS_PATH = str(Path(cli.__file__).with_name("app.tcss"))

        def on_ready(self):
            ready(self)

    store = Store(db)
    store.snapshot()
    Bench(store).run()
"""


def spawn_on_pty(
    argv: list[str], env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], int]:
    """Start `argv` with a pty of SIZE as its terminal; returns the process and the master fd."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    process = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
        env={**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor", **(env or {})},
    )
    os.close(slave)
    return process, master


def drain(master: int, timeout: float) -> bytes:
    """Read what the child wrote within `timeout` seconds (answers Textual's sync query)."""
    data = b""
    end = time.monotonic() + timeout
    while (left := end - time.monotonic()) > 0:
        ready, _, _ = select.select([master], [], [], left)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        if b"\x1b[?2026$p" in chunk:
            # Say the terminal supports synchronised output, so frames are delimited.
            os.write(master, b"\x1b[?2026;2$y")
        data += chunk
    return data


def one_run(kind: str, db: Path) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ready"
        start = time.time()
        process, master = spawn_on_pty([sys.executable, "-c", CHILD, kind, str(db), str(out)])
        try:
            while process.poll() is None:
                drain(master, 0.05)
            drain(master, 0.05)
        finally:
            os.close(master)
        if not out.exists():
            raise SystemExit(
                f"{kind} child exited with {process.returncode} before its first frame"
            )
        return float(out.read_text()) - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    from psr_tui.demo import build_demo
    from psr_tui.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.json"
        build_demo(Store(db))
        times: dict[str, list[float]] = {"bare": [], "floor": [], "psr": []}
        for kind in times:  # warm the file cache and .pyc files
            one_run(kind, db)
        for _ in range(args.runs):  # interleaved, so drift in machine load hits all three
            for kind in times:
                times[kind].append(one_run(kind, db))
    print(machine())
    for kind, samples in times.items():
        print(
            f"{kind:5} first frame: median {statistics.median(samples) * 1000:6.0f} ms, "
            f"min {min(samples) * 1000:6.0f} ms, max {max(samples) * 1000:6.0f} ms "
            f"({len(samples)} runs)"
        )
    bare = statistics.median(times["bare"])
    print(f"floor / bare (medians): {statistics.median(times['floor']) / bare:.2f}x")
    print(f"psr / bare (medians): {statistics.median(times['psr']) / bare:.2f}x  (target < 1.5x)")


if __name__ == "__main__":
    main()
