"""Snapshot tests: each main screen on the demo data, at 80x24 and 120x36.

A snapshot is an SVG of the screen in `__snapshots__/test_screens/`, named after the screen
and the size (`test_screen[register-80x24].svg`). When a screen changes on purpose, run
`.venv/bin/pytest tests/snapshots --snapshot-update`, look at the new pictures (the report
`snapshot_report.html` shows old and new side by side when a snapshot fails) and commit
them with the change.

The pictures must not depend on when or where they are taken: the demo pins its as-at date,
the user is fixed, the audit log's times are fixed and read in UTC, the theme is fixed, text
cursors do not blink and no notification is on screen.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from psr_tui.app import PsrApp
from psr_tui.demo import build_demo
from psr_tui.store import Store
from psr_tui.store.audit import audit_path

# The keys from Home to each screen.
SCREENS: dict[str, tuple[str, ...]] = {
    "home": (),
    "assessment": ("a",),
    "scoring": ("a", "enter", "enter"),
    "summary": ("a", "s"),
    "register": ("r",),
    "matrix": ("r", "m"),
    "programme_board": ("p", "B"),
    "development": ("v",),
    "history": ("y",),
}
SIZES: dict[str, tuple[int, int]] = {"80x24": (80, 24), "120x36": (120, 36)}

USER = "vwillett"
# Every demo change is shown as made at the meeting the demo is pinned to.
CHANGED_AT = "2016-02-16T09:30:00Z"
THEME = "textual-dark"


@pytest.fixture
def steady_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The demo database, built and read so that nothing on screen depends on the clock."""
    monkeypatch.setenv("PSR_USER", USER)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    path = tmp_path / "demo.json"
    build_demo(Store(path))
    log = audit_path(path)
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    log.write_text("".join(json.dumps({**e, "at": CHANGED_AT}) + "\n" for e in entries))
    yield path
    monkeypatch.undo()
    time.tzset()
    # PsrApp.run freezes what is loaded for the life of the process; a test process lives on.
    gc.unfreeze()


def _steady(keys: tuple[str, ...]) -> Callable[[Pilot[None]], object]:
    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await app.workers.wait_for_complete()
        for field in app.screen.query(Input):
            field.cursor_blink = False
        app.clear_notifications()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SCREENS)
def test_screen(
    screen: str, size: str, steady_demo: Path, snap_compare: Callable[..., bool]
) -> None:
    app = PsrApp(Store(steady_demo), watch=False)
    app.theme = THEME
    assert snap_compare(app, terminal_size=SIZES[size], run_before=_steady(SCREENS[screen]))
