"""The top line: partnership, section, as-at date and user.

On a narrow terminal the partnership's name gives way first, then the section: the as-at
date (what every figure on screen depends on) and the user always stay whole.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from psr_tui.widgets.text import literal

SEPARATOR = "  ·  "
# The partnership keeps at least this much of its name before the section is cut.
MIN_NAME = 12


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
        name = literal(self.partnership, "bold")
        section = Content.assemble("  ›  ", (self.section, "$accent"))
        if not self.as_at:
            # The file is still being read: no date or user to show yet.
            return Content.assemble(name, section)
        as_at = f"as at {self.as_at}" + (" (pinned)" if self.pinned else "")
        tail = Content.assemble(
            SEPARATOR,
            (as_at, "$warning" if self.pinned else ""),
            SEPARATOR,
            literal(self.user, "dim"),
        )
        room = self.content_size.width - tail.cell_length
        if name.cell_length + section.cell_length > room:
            name = name.truncate(max(MIN_NAME, room - section.cell_length), ellipsis=True)
            section = section.truncate(max(0, room - name.cell_length), ellipsis=True)
        return Content.assemble(name, section, tail)
