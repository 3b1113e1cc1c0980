"""Home's figures worked out ahead: `psr` forks a child before Textual loads that reads the
file and works out Home's figures, and Home shows them before the app's own reading is done.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from textual.widgets import Static

from psr_tui import app as app_module
from psr_tui.app import PsrApp
from psr_tui.home_figures import HomeFigures, Notice
from psr_tui.screens.home import HomeScreen
from psr_tui.store import Store
from psr_tui.widgets.header import PsrHeader
from tests.helpers.terminal import Terminal

# `psr --db DB` through psr's own main, with the app's own reading of the file held until
# the file RELEASE exists: whatever Home shows before that came from the forked child.
HELD = r"""
import pathlib, sys, time
from psr_tui import cli, early_figures

db, release = sys.argv[1:3]
fork = early_figures.EarlyFigures.start

def start(path):
    early = fork(path)  # forked where psr forks it: before Textual is imported
    from psr_tui import app as app_module

    real_open = app_module.open_store

    def held(store):
        while not pathlib.Path(release).exists():
            time.sleep(0.02)
        return real_open(store)

    app_module.open_store = held
    return early

early_figures.EarlyFigures.start = start
sys.exit(cli.main(["--db", db]))
"""


def _children(pid: int) -> list[str]:
    found = subprocess.run(["ps", "--ppid", str(pid), "-o", "pid=,stat="], capture_output=True)
    return found.stdout.decode().split("\n")[:-1]


def test_psr_shows_homes_figures_from_its_child_before_reading_the_file_itself(
    demo_path: Path, tmp_path: Path
) -> None:
    before = demo_path.read_bytes()
    snap = Store(demo_path).snapshot()
    release = tmp_path / "release"
    command = [sys.executable, "-c", HELD, str(demo_path), str(release)]
    with Terminal(demo_path, command=command) as terminal:
        # The app's own reading is held: these came from the child.
        terminal.wait_for("10 respondents, all complete")
        terminal.wait_for("8 open of 8 risks")
        terminal.wait_for("3.4% complete (2 of 58)")
        terminal.wait_for(snap.meta.partnership)
        assert "as at" not in terminal.text()  # the header's date comes with the app's read
        # The child has ended and been reaped: no zombie left behind.
        assert _children(terminal.process.pid) == []
        release.touch()
        terminal.wait_for("as at 16 Feb 2016")
        terminal.send(b"q")
        assert terminal.wait_for_exit() == 0
    # The child only read.
    assert demo_path.read_bytes() == before


class _Child:
    """Stands in for the forked child: answers with `figures` when `answer` is set, or
    never; records whether the app stopped it."""

    def __init__(self, figures: HomeFigures | None) -> None:
        self.figures = figures
        self.answer = threading.Event()
        self.stopped = threading.Event()

    def ready_within(self, seconds: float) -> bool:
        return self.answer.wait(seconds)

    def wait(self) -> HomeFigures | None:
        # Figures already sent when the app stops the child still come through the pipe.
        self.answer.wait(10)
        return self.figures

    def stop(self) -> None:
        self.stopped.set()


def _stale(partnership: str) -> HomeFigures:
    notice = Notice(("stale figures",))
    return HomeFigures(partnership, notice, notice, notice, notice)


def _panels(app: PsrApp) -> str:
    return " ".join(
        str(app.screen.query_one(f"#{name}-panel", Static).render())
        for name in ("assessment", "risks", "programme", "history")
    )


async def test_figures_that_come_after_the_file_was_read_here_are_not_shown(
    demo_path: Path,
) -> None:
    child = _Child(_stale("Figures from an older read"))
    app = PsrApp(demo_path, load_in_background=True, early_figures=child)  # type: ignore[arg-type]
    async with app.run_test(size=(120, 40)) as pilot:
        # Not waited for for ever: the file is read here meanwhile.
        await pilot.pause(app_module.FIGURES_AHEAD_WAIT_SECONDS + 0.2)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.loaded
        assert child.stopped.is_set()  # the app stopped its child once it had read the file
        child.answer.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "stale figures" not in _panels(app)
        assert "10 respondents, all complete" in _panels(app)
        header = str(app.screen.query_one(PsrHeader).render())
        assert "older read" not in header and "Chorley" in header


async def test_a_child_that_fails_leaves_home_to_the_apps_own_reading(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    child = _Child(None)
    child.answer.set()  # done at once, with nothing
    app = PsrApp(demo_path, load_in_background=True, early_figures=child)  # type: ignore[arg-type]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.loaded
        assert "10 respondents, all complete" in _panels(app)


async def test_figures_ahead_fill_home_and_its_header_until_the_file_is_read(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real_open = app_module.open_store
    monkeypatch.setattr(app_module, "open_store", lambda s: (release.wait(10), real_open(s))[1])
    child = _Child(_stale("Ahead Partnership"))
    app = PsrApp(demo_path, load_in_background=True, early_figures=child)  # type: ignore[arg-type]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "Opening" in _panels(app)
        child.answer.set()
        await pilot.pause(0.2)
        assert not app.loaded
        assert "stale figures" in _panels(app) and "Opening" not in _panels(app)
        assert "Ahead Partnership" in str(app.screen.query_one(PsrHeader).render())
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.loaded
        assert "stale figures" not in _panels(app)
        assert "Chorley" in str(app.screen.query_one(PsrHeader).render())
