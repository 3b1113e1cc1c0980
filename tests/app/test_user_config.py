"""The user's own files in the config dir: a keymap that moves keys, and the theme remembered.

Each test starts the real app with a config dir ($PSR_CONFIG_DIR, set per test by conftest)
holding the file, and uses it as a person would: the remapped key does the action, the
theme chosen in the palette is there in the next session, a bad file is one warning.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from textual.command import CommandPalette

from psr_tui.app import PsrApp, default_theme
from psr_tui.dialogs.risk_forms import RiskForm
from psr_tui.keymap import binding_ids, read_keymap
from psr_tui.screens.history import HistoryScreen
from psr_tui.screens.risks import RiskRegisterScreen
from psr_tui.store import Store

README = Path(__file__).parents[2] / "README.md"


def config_dir() -> Path:
    path = Path(os.environ["PSR_CONFIG_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def warnings(app: PsrApp) -> list[str]:
    return [str(n.message) for n in app._notifications if n.severity == "warning"]


async def test_keymap_moves_an_app_key_and_a_screen_key(demo_store: Store) -> None:
    (config_dir() / "keymap.toml").write_text(
        '# the register adds with n; history moves to H\n"risks.add" = "n"\n[app]\nhistory = "H"\n'
    )
    app = PsrApp(demo_store, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("y")  # no longer history's key
        await pilot.pause()
        assert app.current_mode == "home"
        await pilot.press("H")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)

        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RiskRegisterScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, RiskForm)
        await pilot.press("escape")
        await pilot.pause()
        # `a` is the app's again (Assessment) now that the register's add is on n.
        await pilot.press("a")
        await pilot.pause()
        assert app.current_mode == "assessment"
        await app.workers.wait_for_complete()
        assert warnings(app) == []


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b'"risks.add" = n\n', "not valid TOML"),
        (b'"risks.ad" = "n"\n"app.history" = "H"\n', "no key has the id risks.ad (did you mean"),
        (b'"risks.add" = "ctrl+nope"\n"app.history" = "H"\n', "'ctrl+nope' is not a key"),
        (b'"risks.add" = 3\n"app.history" = "H"\n', "give a key in quotes"),
        (b'"risks.add" = ""\n"app.history" = "H"\n', "no key given"),
        (b'"risks.add" = "\xff"\n', "not UTF-8"),
    ],
)
async def test_a_bad_keymap_is_one_warning_naming_the_file(
    demo_store: Store, content: bytes, problem: str
) -> None:
    path = config_dir() / "keymap.toml"
    path.write_bytes(content)
    app = PsrApp(demo_store, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        [warning] = warnings(app)
        assert warning.startswith(f"{path}: ") and problem in warning
        assert "\n" not in warning
        # The good entries apply; a skipped one keeps its own key.
        good = b"app.history" in content and "not valid" not in problem
        await pilot.press("H" if good else "y")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, RiskForm)


@pytest.mark.parametrize(
    ("value", "keys"),
    [
        ('"n"', "n"),
        ('"ctrl+q, q"', "ctrl+q,q"),
        ('["f5", "question_mark", "?", "N"]', "f5,question_mark,?,N"),
        ('"shift+pagedown"', "shift+pagedown"),
    ],
)
def test_keymap_values_a_person_writes(tmp_path: Path, value: str, keys: str) -> None:
    path = tmp_path / "keymap.toml"
    path.write_text(f'"app.quit" = {value}\n')
    keymap = read_keymap(path)
    assert keymap.problems == []
    assert keymap.keys == {"app.quit": keys}


async def test_the_theme_chosen_in_the_palette_is_there_next_session(demo_store: Store) -> None:
    app = PsrApp(demo_store, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.theme != "textual-light"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"theme")
        await pilot.pause(0.3)
        await pilot.press("enter")  # "Theme: change the current theme" opens the theme list
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"textual-light")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "textual-light"
    saved = json.loads((config_dir() / "settings.json").read_text())
    assert saved["theme"] == "textual-light"

    again = PsrApp(demo_store, watch=False)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert again.theme == "textual-light"
        assert warnings(again) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{not json", "not valid JSON"),
        ('["textual-light"]', "expected a JSON object"),
        ('{"theme": "no-such-theme"}', "there is no theme no-such-theme"),
    ],
)
async def test_a_broken_settings_file_is_ignored_with_a_warning(
    demo_store: Store, text: str, problem: str
) -> None:
    path = config_dir() / "settings.json"
    path.write_text(text)
    app = PsrApp(demo_store, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        [warning] = warnings(app)
        assert warning.startswith(f"{path}: ") and problem in warning
        assert app.theme == default_theme(app.available_themes)
        assert path.read_text() == text  # kept as it was until a theme is chosen
        app.action_next_theme()
        await pilot.pause()
        chosen = app.theme
    assert json.loads(path.read_text()) == {"theme": chosen}


def test_the_readme_lists_every_binding_id_with_its_keys() -> None:
    """The README's keymap table is the one list of ids a person can use: it must match."""
    section = README.read_text().split("### Binding ids", 1)[1].split("\n## ", 1)[0]
    row = re.compile(r"^\| `(?P<id>[a-z_]+\.[a-z_0-9]+)` \| `(?P<keys>[^`]+)` \|", re.M)
    listed = {m["id"]: m["keys"] for m in row.finditer(section)}
    defined = {binding_id: b.key for binding_id, b in binding_ids(PsrApp).items()}
    missing = sorted(defined.keys() - listed.keys())
    stale = sorted(listed.keys() - defined.keys())
    assert not missing and not stale, f"README binding ids: add {missing}, remove {stale}"
    changed = {i: (listed[i], k) for i, k in defined.items() if listed[i] != k}
    assert not changed, f"README binding keys differ (README, code): {changed}"


async def test_a_theme_that_cannot_be_saved_is_a_warning(
    demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the config dir should be")
    monkeypatch.setenv("PSR_CONFIG_DIR", str(blocked))
    app = PsrApp(demo_store, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_next_theme()
        await pilot.pause()
        # Reading the files there was a warning each at start; the failed save is one more.
        *_, warning = warnings(app)
        assert warning.startswith(f"The theme is not remembered: {blocked / 'settings.json'}: ")
        assert "\n" not in warning
    assert blocked.read_text() == "a file where the config dir should be"
