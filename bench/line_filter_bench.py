"""What `NoControlCharacters` (the app's last line filter) costs per frame.

    .venv/bin/python bench/line_filter_bench.py [--runs 200]

Opens the demo (and the demo with every user text hostile) at 120x36 on a few screens,
takes the full frame's lines as the compositor draws them, and times the filter over every
line of the frame, against redrawing the whole frame from scratch (every widget's line
cache cleared, so each line is rendered again, the filter included).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from psr_tui.app import PsrApp
from psr_tui.demo import build_demo
from psr_tui.store import Store
from psr_tui.widgets.text import NoControlCharacters
from tests.helpers.hostile import make_hostile

SCREENS = {"home": [], "scoring": ["a", "enter", "enter"], "register": ["r"]}


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


async def measure(db: Path, keys: list[str], runs: int) -> tuple[float, float, int]:
    app = PsrApp(Store(db), watch=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        compositor = app.screen._compositor
        update = compositor.render_update(full=True)
        lines = [list(strip) for strips in update.strips for strip in strips]  # type: ignore[attr-defined]
        line_filter = NoControlCharacters()
        background = app.screen.background_colors[1]
        filter_times, frame_times = [], []
        for _ in range(runs):
            start = time.perf_counter()
            for segments in lines:
                line_filter.apply(segments, background)
            filter_times.append(time.perf_counter() - start)
            for widget in app.screen.walk_children(with_self=True):
                widget._styles_cache.clear()
            start = time.perf_counter()
            compositor.render_update(full=True)
            frame_times.append(time.perf_counter() - start)
        return _median_ms(filter_times), _median_ms(frame_times), len(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    try:
        demo = folder / "demo.json"
        build_demo(Store(demo))
        hostile = folder / "hostile.json"
        shutil.copy(demo, hostile)
        make_hostile(hostile)
        print("| data | screen | strips | filter per frame | full redraw | share |")
        print("| --- | --- | ---: | ---: | ---: | ---: |")
        for name, db in (("demo", demo), ("hostile", hostile)):
            for screen, keys in SCREENS.items():
                filtered, frame, count = asyncio.run(measure(db, keys, args.runs))
                print(
                    f"| {name} | {screen} | {count} | {filtered:.3f} ms | {frame:.2f} ms "
                    f"| {filtered / frame:.1%} |"
                )
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
