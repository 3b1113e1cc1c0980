"""The top line: partnership, section, as-at date and user."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget


class PsrHeader(Widget):
    DEFAULT_CSS = """
    PsrHeader { height: 1; background: $panel; color: $foreground; padding: 0 1; }
    """

    partnership: reactive[str] = reactive("")
    section: reactive[str] = reactive("")
    as_at: reactive[str] = reactive("")
    user: reactive[str] = reactive("")
    pinned: reactive[bool] = reactive(False)

    def render(self) -> Content:
        title = Content.assemble((self.partnership, "bold"), "  ›  ", (self.section, "$accent"))
        if not self.as_at:
            # The file is still being read: no date or user to show yet.
            return title
        as_at = f"as at {self.as_at}" + (" (pinned)" if self.pinned else "")
        return Content.assemble(
            title,
            "  ·  ",
            (as_at, "$warning" if self.pinned else ""),
            "  ·  ",
            (self.user, "dim"),
        )
