"""The top line: partnership, section, as-at date (and, looking back, what it changes) and user.

On a narrow terminal the partnership's name gives way first, a whole word at a time, then
the section's leading steps (`Assessment › Scoring` becomes `… › Scoring`): the as-at date
(what every figure on screen depends on) and the user always stay whole, and nothing is cut
in the middle of a word while whole words can fit.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from psr_tui.text import visible
from psr_tui.widgets.text import literal

SEPARATOR = "  ·  "
CRUMB = " › "
ELLIPSIS = "…"


def fit_words(text: str, width: int) -> str:
    """`text`, or as many of its leading words as fit in `width` with an ellipsis after
    them; the first word cut only when not even it fits; "" when nothing does."""
    if cell_len(text) <= width:
        return text
    words = text.split(" ")
    for count in range(len(words) - 1, 0, -1):
        start = " ".join(words[:count]).rstrip(",;:-–")
        if cell_len(start) + 1 <= width:
            return start + ELLIPSIS
    return set_cell_size(text, width - 1) + ELLIPSIS if width > 1 else ""


def fit_section(section: str, width: int) -> str:
    """The section's path (`Risks › Matrix`), its leading steps given way first."""
    steps = section.split(CRUMB)
    tries = [CRUMB.join([ELLIPSIS, *steps[n:]]) for n in range(1, len(steps))]
    for text in [section, *tries, steps[-1]]:
        if cell_len(text) <= width:
            return text
    return fit_words(steps[-1], width)


class PsrHeader(Widget):
    DEFAULT_CSS = """
    PsrHeader { height: 1; background: $panel; color: $foreground; padding: 0 1; }
    """

    partnership: reactive[str] = reactive("")
    section: reactive[str] = reactive("")
    as_at: reactive[str] = reactive("")
    user: reactive[str] = reactive("")
    pinned: reactive[bool] = reactive(False)
    # What a date looked back to changes on this screen ("rounds, risks as then"); "" when
    # the date on view is the database's own, or today.
    looking_back: reactive[str] = reactive("")

    def render(self) -> Content:
        lead = "  ›  "
        partnership = visible(self.partnership)
        if not self.as_at:
            # The file is still being read: no date or user to show yet.
            return Content.assemble(literal(partnership, "bold"), lead, (self.section, "$accent"))
        note = self.looking_back or ("pinned" if self.pinned else "")
        as_at = f"as at {self.as_at}" + (f" ({note})" if note else "")
        tail = Content.assemble(
            SEPARATOR,
            (as_at, "$warning" if self.pinned else ""),
            SEPARATOR,
            literal(self.user, "dim"),
        )
        room = self.content_size.width - tail.cell_length
        name, section = partnership, self.section
        if cell_len(name + lead + section) > room:
            # The name keeps its first word if it can; the section keeps its last step.
            first_word = fit_words(name, cell_len(name.split(" ")[0]) + 1)
            section = fit_section(section, max(0, room - cell_len(lead + first_word)))
            name = fit_words(name, max(0, room - cell_len(lead + section)))
        return Content.assemble(literal(name, "bold"), lead, (section, "$accent"), tail)
