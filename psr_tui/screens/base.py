"""The base of every top-level section screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from psr_tui.widgets.header import PsrHeader

if TYPE_CHECKING:
    from psr_tui.app import PsrApp

_PAST_TENSE = {
    "add": "added",
    "edit": "edited",
    "delete": "deleted",
    "create": "created",
    "close": "closed",
    "delete review": "deleted a review of",
}


def past_tense(action: str) -> str:
    """An audit action as a verb: add -> added."""
    return _PAST_TENSE.get(action, action)


def clip(text: str, width: int) -> str:
    """Text cut to `width` characters, with an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


class SectionScreen(Screen[None]):
    """A screen that shows data from the store.

    Subclasses compose their body in `compose_body` and redraw from `self.psr.snapshot` in
    `refresh_data`, which runs on mount, when the data changes (any session's write) and
    when the screen is shown again after a change it missed.
    """

    SECTION = ""

    def __init__(self) -> None:
        super().__init__()
        self._seen_generation = -1

    @property
    def psr(self) -> PsrApp:
        return cast("PsrApp", self.app)

    def compose(self) -> ComposeResult:
        yield PsrHeader()
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.update_header()
        self.data_changed()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        self.update_header()
        self.data_changed()

    def update_header(self) -> None:
        header = self.query_one(PsrHeader)
        header.section = self.SECTION
        if not self.psr.loaded:
            # Drawn while the file is read in the background: its path, and no date or user yet.
            header.partnership = str(self.psr.opening_path)
            return
        header.partnership = self.psr.snapshot.meta.partnership
        header.as_at = self.psr.as_at_text
        header.user = self.psr.store.user
        header.pinned = self.psr.as_at_pinned

    def data_changed(self) -> None:
        """Called by the app after any change; redraws only if this screen has not seen it."""
        if not self.psr.loaded:
            return
        if self._seen_generation != self.psr.data_generation:
            self._seen_generation = self.psr.data_generation
            self.update_header()
            self.refresh_data()

    def refresh_data(self) -> None:
        """Redraw from `self.psr.snapshot`, keeping the cursor and any edit in progress."""
