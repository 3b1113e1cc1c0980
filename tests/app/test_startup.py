"""`psr` paints Home first, saying "Opening <path>…", reads the file in a worker and fills in."""

from __future__ import annotations

import pickle
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Footer, Static
from textual.widgets._footer import FooterKey

from psr_tui import app as app_module
from psr_tui.app import Opened, PsrApp
from psr_tui.screens.home import HomeScreen
from psr_tui.store import Store
from psr_tui.widgets.header import PsrHeader


def _panels(app: PsrApp) -> list[str]:
    return [
        str(app.screen.query_one(f"#{name}-panel", Static).render())
        for name in ("assessment", "risks", "programme", "history")
    ]


def _held_open(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Make the loading worker wait until the returned event is set."""
    release = threading.Event()
    real = app_module.open_store

    def held(store: Store | Path) -> Opened:
        release.wait(10)
        return real(store)

    monkeypatch.setattr(app_module, "open_store", held)
    return release


async def test_home_says_opening_then_fills_in_with_the_demo_figures(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = _held_open(monkeypatch)
    snap = Store(demo_path).snapshot()
    round_ = snap.latest_round()
    assert round_ is not None

    app = PsrApp(demo_path, load_in_background=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        home = app.screen
        assert all(panel == f"Opening {demo_path}…" for panel in _panels(app))
        assert str(demo_path) in str(home.query_one(PsrHeader).render())
        assert not app.loaded
        # The poll and the palette don't fail.
        app.reload()
        assert list(app.get_system_commands(app.screen))
        assert app.screen is home
        assert app.current_mode == "home"
        with pytest.raises(RuntimeError):
            app.save(lambda tx: None)

        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.loaded
        # The same screen, filled in place: no mode switch.
        assert app.screen is home
        shown = _panels(app)
        assert round_.model.name in shown[0]
        assert not any("Opening" in panel for panel in shown)
        header = str(home.query_one(PsrHeader).render())
        assert snap.meta.partnership in header and "as at" in header
        assert app.title == snap.meta.partnership
        # The footer offers the section keys it hid while the file was read.
        footer_keys = {key.key for key in home.query_one(Footer).query(FooterKey)}
        assert {"a", "r", "p", "y"} <= footer_keys, footer_keys
        await pilot.press("r")
        await pilot.pause()
        assert app.current_mode == "risks"

    # The same figures as the dashboard of a file read before the app starts.
    sync = PsrApp(Store(demo_path), watch=False)
    async with sync.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert _panels(sync) == shown


async def test_keys_typed_while_the_file_is_read_apply_once_it_is_in_order(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = _held_open(monkeypatch)
    app = PsrApp(demo_path, load_in_background=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        # a (assessment), r (the risks), t (the as-at dialog), 1 Oct 2015 and enter.
        await pilot.press("a", "r", "t", *"1 Oct 2015", "enter")
        await pilot.pause()
        assert not app.loaded and app.current_mode == "home"
        release.set()
        await app.workers.wait_for_complete()
        await app.input_queue.wait_until_handled()
        await pilot.pause()
        assert app.current_mode == "risks"
        assert app.as_at_override == date(2015, 10, 1)


async def test_a_corrupt_file_ends_the_app_with_one_line_and_is_left_alone(
    tmp_path: Path,
) -> None:
    path = tmp_path / "corrupt.json"
    path.write_bytes(b'{"_meta": {"1": ')
    app = PsrApp(path, load_in_background=True)
    # Returns only when the app ends itself.
    await app.run_async(headless=True, size=(120, 40))
    assert app.return_code == 1
    assert app.load_error is not None
    assert str(path) in app.load_error and "\n" not in app.load_error
    assert path.read_bytes() == b'{"_meta": {"1": '


def test_the_open_path_and_home_do_not_import_pydantic_or_the_store(demo_path: Path) -> None:
    # Home's figures from the child come pickled: taking them in imports none of it either.
    from psr_tui import analysis, home_figures

    snap = Store(demo_path).snapshot()
    latest = snap.latest_round()
    assert latest is not None
    figures = home_figures.work_out(
        snap,
        latest.model.name,
        snap.as_at,
        lambda: analysis.register_facts(snap.matrix(), snap.risks(), snap.as_at),
        list,
    )
    code = (
        "import pickle, sys, psr_tui.cli, psr_tui.app, psr_tui.screens.home\n"
        "from psr_tui.screens.home import panel_contents\n"
        f"panel_contents(pickle.loads({pickle.dumps(figures)!r}))\n"
        "print(sorted(m for m in ('pydantic', 'psr_tui.models', 'psr_tui.store', "
        "'psr_tui.analysis') "
        "if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
