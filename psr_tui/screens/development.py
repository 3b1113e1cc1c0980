"""The Development section."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from psr_tui.screens.base import SectionScreen


class DevelopmentScreen(SectionScreen):
    SECTION = "Development"

    def compose_body(self) -> ComposeResult:
        yield Static("", id="body")

    def refresh_data(self) -> None:
        snap = self.psr.snapshot
        self.query_one("#body", Static).update(
            f"{len(snap.rounds())} rounds, {len(snap.risks())} risks, "
            f"{len(snap.activities())} activities"
        )
