"""Start-up: the real `psr --db demo` against a bare Textual app, same run.

Each sample is a fresh `python` process on a real pseudo-terminal (Textual's Linux driver,
not headless), timed from just before the process is spawned. The psr child runs
`psr_tui.cli.main(["--db", demo])`, the console script's path, and records: **first
frame**, the app's `Ready` event (sent once the first frame has been written to the
terminal); **home**, the first frame with Home's figures in it (the first frame itself when
Home was composed with the figures the child forked at start worked out, else the refresh
after its panels were filled, by those figures or by the app's own reading of the file);
**ahead**, when those figures reached the UI thread after the first frame, if they did;
and **loaded**, the refresh after the app's own reading. **alone** is the same `psr` with
no child (as before it had one), to its home. The bare child is a Textual `App` with a
Header, a Static and a Footer, timed to its `Ready`. The **sync** child is the way `psr`
opened at first: the file read and validated first, then `PsrApp(store)` with Home (and
its figures) as the first frame.

    .venv/bin/python bench/startup_bench.py [--runs 10]
    .venv/bin/python bench/startup_bench.py --risks 10000   # the demo and 10,000 more risks
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
kind, db, out = sys.argv[1:4]

def mark(name):
    with open(out, "a") as handle:
        handle.write(f"{name} {time.time()!r}\n")

if kind == "bare":
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Bench(App):
        def compose(self):
            yield Header()
            yield Static("hello")
            yield Footer()

        def on_ready(self):
            mark("frame")
            self.exit()

    Bench().run()
elif kind == "sync":
    from psr_tui.app import PsrApp
    from psr_tui.store import Store

    def on_ready(self):
        mark("frame")
        self.exit()

    PsrApp.on_ready = on_ready
    store = Store(db)
    store.snapshot()  # what `psr` did before the app started, until the worker took it over
    PsrApp(store).run()
else:
    from psr_tui import cli, early_figures  # what the console script imports

    def instrument():
        # Imported where `psr` imports it (after the fork): marks the three moments.
        from psr_tui.app import PsrApp
        from psr_tui.screens.home import HomeScreen

        ready = PsrApp.on_ready  # starts the loading worker

        def on_ready(self):
            mark("frame")
            if getattr(PsrApp, "figures_shown", False):  # composed with them: in this frame
                mark("home")
            ready(self)

        composing = PsrApp.figures_ahead_now

        def figures_ahead_now(self):
            figures = composing(self)
            PsrApp.figures_shown = figures is not None
            return figures

        show = HomeScreen.show_figures  # Home's panels filled: ahead of the read, or from it

        def show_figures(self, figures):
            show(self, figures)
            mark("shown")
            if not getattr(PsrApp, "figures_shown", False):
                PsrApp.figures_shown = True
                self.app.call_after_refresh(lambda: mark("home"))

        loaded = PsrApp.on_psr_app_loaded

        def on_loaded(self, message):
            loaded(self, message)
            self.call_after_refresh(lambda: (mark("loaded"), self.exit()))

        ahead = PsrApp.on_psr_app_figures_ahead

        def on_figures_ahead(self, message):
            mark("ahead")  # the child's figures reached the UI thread
            ahead(self, message)

        HomeScreen.show_figures = show_figures
        PsrApp.figures_ahead_now = figures_ahead_now
        PsrApp.on_psr_app_figures_ahead = on_figures_ahead
        PsrApp.on_ready = on_ready
        PsrApp.on_psr_app_loaded = on_loaded

    fork = early_figures.EarlyFigures.start

    def start(path):
        # "alone": psr with no child working out Home's figures ahead, as before
        early = fork(path) if kind == "psr" else None
        instrument()
        return early

    early_figures.EarlyFigures.start = start
    sys.exit(cli.main(["--db", db]))
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


def one_run(kind: str, db: Path) -> dict[str, float]:
    """Seconds from the spawn to each moment the child marked."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "marks"
        start = time.time()
        process, master = spawn_on_pty([sys.executable, "-c", CHILD, kind, str(db), str(out)])
        try:
            while process.poll() is None:
                drain(master, 0.05)
            drain(master, 0.05)
        finally:
            os.close(master)
        marks = dict(line.split() for line in out.read_text().splitlines()) if out.exists() else {}
        wanted = {"frame", "home", "loaded"} if kind in ("psr", "alone") else {"frame"}
        if not wanted <= marks.keys():
            raise SystemExit(f"{kind} child exited with {process.returncode}, marks {marks}")
        return {name: float(at) - start for name, at in marks.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--risks", type=int, default=0, help="risks added to the demo's")
    args = parser.parse_args()
    from risk_bench import bench_risks

    from psr_tui.demo import build_demo
    from psr_tui.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.json"
        store = Store(db)
        build_demo(store)
        if args.risks:
            with store.transaction() as tx:
                matrix = tx.matrix()
                assert matrix is not None
                tx.insert_many("risks", bench_risks(matrix, args.risks, prefix="B"))
        times: dict[str, list[float]] = {
            "bare": [],
            "psr first frame": [],
            "psr ahead": [],
            "psr home": [],
            "psr loaded": [],
            "alone home": [],
            "sync home": [],
        }
        for kind in ("bare", "psr", "alone", "sync"):  # warm the file cache and .pyc files
            one_run(kind, db)
        for _ in range(args.runs):  # interleaved, so drift in machine load hits all
            times["bare"].append(one_run("bare", db)["frame"])
            times["sync home"].append(one_run("sync", db)["frame"])
            marks = one_run("psr", db)
            times["psr first frame"].append(marks["frame"])
            if "ahead" in marks:
                times["psr ahead"].append(marks["ahead"])
            times["psr home"].append(marks["home"])
            times["psr loaded"].append(marks["loaded"])
            times["alone home"].append(one_run("alone", db)["home"])
    print(machine(), f"load average {os.getloadavg()[0]:.1f}; {args.risks} risks added to the demo")
    for what, samples in times.items():
        if not samples:
            continue
        print(
            f"{what:15} median {statistics.median(samples) * 1000:6.0f} ms, "
            f"min {min(samples) * 1000:6.0f} ms, max {max(samples) * 1000:6.0f} ms "
            f"({len(samples)} runs)"
        )
    bare = statistics.median(times["bare"])
    for what in ("psr first frame", "psr home", "psr loaded", "alone home", "sync home"):
        ratio = statistics.median(times[what]) / bare
        print(
            f"{what} / bare (medians): {ratio:.2f}x"
            + ("  (goal <= 1.5x on the demo, <= 2x on a big file)" if what == "psr home" else "")
        )


if __name__ == "__main__":
    main()
