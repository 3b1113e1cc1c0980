"""The first screen of `psr`: drawn at once while a worker reads and validates the file."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, LoadingIndicator, Static

from psr_tui.widgets.text import literal


class OpeningScreen(Screen[None]):
    # Inline rather than a .tcss file: this screen exists for the first frame, and its few
    # rules need no file read before it.
    DEFAULT_CSS = """
    OpeningScreen #opening-header { height: 1; background: $panel; padding: 0 1; }
    OpeningScreen #opening-body { align: center middle; }
    OpeningScreen #opening-message { width: auto; color: $text-muted; }
    OpeningScreen LoadingIndicator { height: 1; }
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        yield Static(literal(f"psr  ›  {self.path}"), id="opening-header")
        with Vertical(id="opening-body"):
            yield Static(literal(f"Opening {self.path}…"), id="opening-message")
            yield LoadingIndicator()
        yield Footer()
