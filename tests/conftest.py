"""Shared fixtures: every test runs with its own data dir, config dir, user and database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from psr_tui.store import Store

PSR = Path(sys.executable).with_name("psr")


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PSR_USER", "tester")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("PSR_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("PSR_DB", raising=False)
    # The user's keymap and remembered theme: never the real ones, and none unless a test
    # writes them.
    monkeypatch.setenv("PSR_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    from psr_tui.demo import build_demo

    path = tmp_path / "demo.json"
    build_demo(Store(path))
    return path


@pytest.fixture
def demo_store(demo_path: Path) -> Store:
    return Store(demo_path)


def run_psr(*args: str | Path, input_text: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed `psr` command as a user would."""
    return subprocess.run(
        [str(PSR), *map(str, args)], capture_output=True, text=True, input=input_text, timeout=120
    )
