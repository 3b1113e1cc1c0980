"""Key press to repaint in the scoring grid, with 2,000 responses in the file.

psr runs in a child process on a real pseudo-terminal, on the scoring screen of the demo
round padded to 2,000 responses. The bench types a score or a cursor move every
`--gap` ms (someone typing scores as they are called out: every score is saved on the
writer thread meanwhile) and times each key from the write to the pty until the end of
the next complete frame (Textual's synchronised-output end marker). The saves run while
later keys are timed, so a save that held up the UI would show here.

    .venv/bin/python bench/scoring_bench.py [--keys 200] [--gap 150]
"""

from __future__ import annotations

import argparse
import os
import select
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from machine import machine
from startup_bench import drain, spawn_on_pty

RESPONSES = 2000
SYNC_END = b"\x1b[?2026l"

CHILD = r"""
import sys
from pathlib import Path
from psr_tui import cli
from psr_tui.app import PsrApp
from psr_tui.screens.scoring import ScoringScreen, round_respondents
from psr_tui.store import Store

db, ready = sys.argv[1:3]

class Bench(PsrApp):
    CSS_PATH = str(Path(cli.__file__).with_name("app.tcss"))

    def on_ready(self):
        round_name = self.snapshot.latest_round().model.name
        first = round_respondents(self.snapshot, round_name)[0]
        self.push_screen(ScoringScreen(round_name, first.doc_id))
        self.set_timer(1.0, lambda: Path(ready).write_text("ok"))

Bench(Store(db)).run()
"""


def build(path: Path) -> None:
    from psr_tui.demo import build_demo
    from psr_tui.models import Response
    from psr_tui.store import Store

    store = Store(path)
    build_demo(store)
    snap = store.snapshot()
    round_ = snap.latest_round()
    assert round_ is not None
    framework = snap.framework(round_.model.framework)
    assert framework is not None
    have = len(snap.responses(round_.model.name))
    with store.transaction() as tx:
        for n in range(RESPONSES - have):
            scores = {
                d.key: 1 + (n + i) % framework.top_level for i, d in enumerate(framework.domains)
            }
            tx.insert(
                "responses",
                Response(
                    round=round_.model.name,
                    name=f"Respondent {n:04}",
                    organisation="Bench",
                    group=round_.model.groups[n % len(round_.model.groups)],
                    scores=scores,
                ),
            )


def time_key(master: int, key: bytes, timeout: float = 2.0) -> float | None:
    """Seconds from writing `key` until the next frame has been written in full."""
    drain(master, 0)
    start = time.perf_counter()
    os.write(master, key)
    seen = b""
    end = start + timeout
    while (left := end - time.perf_counter()) > 0:
        ready, _, _ = select.select([master], [], [], left)
        if not ready:
            break
        seen += os.read(master, 65536)
        if SYNC_END in seen:
            return time.perf_counter() - start
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--gap", type=float, default=150, help="ms between keys")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.json"
        ready = Path(tmp) / "ready"
        build(db)
        size = db.stat().st_size
        process, master = spawn_on_pty([sys.executable, "-c", CHILD, str(db), str(ready)])
        try:
            deadline = time.monotonic() + 60
            while not ready.exists() and time.monotonic() < deadline and process.poll() is None:
                drain(master, 0.1)
            if not ready.exists():
                raise SystemExit(f"the scoring screen did not open: {drain(master, 0.5)[-2000:]!r}")
            # A score moves to the next domain, so a move up after each keeps the cursor
            # inside the grid: every other key is a save, and every score a change.
            sequence = [b"1", b"k", b"2", b"k", b"3", b"k", b"4", b"k"]
            samples: dict[str, list[float]] = {"score": [], "move": []}
            missed: list[str] = []
            for n in range(args.keys):
                key = sequence[n % len(sequence)]
                took = time_key(master, key)
                if took is None:
                    missed.append(key.decode())
                else:
                    samples["move" if key in (b"j", b"k") else "score"].append(took)
                drain(master, args.gap / 1000)
            os.write(master, b"q")
            drain(master, 2)
        finally:
            process.kill()
            os.close(master)
        store_after = None
        from psr_tui.store import Store

        store_after = Store(db).snapshot()
    print(machine())
    print(f"{RESPONSES} responses, file {size / 1e6:.1f} MB, a key every {args.gap:g} ms")
    every = samples["score"] + samples["move"]
    for name, values in [*samples.items(), ("all", every)]:
        values = sorted(values)
        p95 = values[int(0.95 * (len(values) - 1))]
        print(
            f"{name:5} key to repaint: median {statistics.median(values) * 1000:5.1f} ms, "
            f"p95 {p95 * 1000:5.1f} ms, max {values[-1] * 1000:5.1f} ms ({len(values)} keys)"
        )
    if missed:
        print(f"{len(missed)} keys produced no frame within 2 s: {' '.join(missed)}")
    print(f"responses in the file afterwards: {len(store_after.responses())} (target p95 < 50 ms)")


if __name__ == "__main__":
    main()
