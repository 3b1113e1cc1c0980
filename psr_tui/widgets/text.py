"""User text, shown literally.

Textual reads plain strings as markup in Static, Label, Button, OptionList, notify and
DataTable cells: a stray "[/]" crashes the app and "[@click=app.quit]" runs an action.
Everything a user typed goes through these helpers instead, which also draw control
characters visibly (`psr_tui.text.visible`).

Behind them, `NoControlCharacters` filters every line of every widget the app draws, so a
control character in text that reached a widget some other way (a Text or Content built
from a record) is removed before the terminal gets it: it cannot clear a screen, set a
window title or write a clipboard (OSC 52), whichever screen shows it.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.color import Color
from textual.content import Content
from textual.filter import LineFilter
from textual.widgets import Static

from psr_tui.text import visible, without_line_controls


def literal(text: str, style: str = "") -> Content:
    """User text as Content: no markup is interpreted, control characters are visible."""
    return Content.styled(visible(text), style) if style else Content(visible(text))


def literal_text(text: str, style: str = "") -> Text:
    """User text as a Rich Text (for DataTable cells and Rich renderables): on one line, and
    ending in "…" where a column is too narrow for it, so a cut cell never reads as whole
    (wrapped, a one-line cell showed only its first words: "Financial and")."""
    return Text(visible(text), style=style, no_wrap=True, overflow="ellipsis")


class NoControlCharacters(LineFilter):
    """Removes control characters from every drawn line (PsrApp.get_line_filters).

    Removed rather than drawn as symbols: they take no cells, so each line keeps the width
    it was laid out with. Text placed with `literal` shows them as symbols before this.
    """

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        drawn = []
        for segment in segments:
            if segment.control:
                drawn.append(segment)
                continue
            text = without_line_controls(segment.text)
            if text is segment.text:
                drawn.append(segment)
            elif text:
                drawn.append(Segment(text, segment.style))
        return drawn


def show_in(widget: Static, content: Content | str) -> None:
    """Put `content` in `widget` unless it shows that already: every `Static.update` lays out
    the whole screen again, which a live refresh that changes no count need not pay."""
    if widget.content != content:
        widget.update(content)


def clipped_text(text: str, width: int) -> Text:
    """User text for a table cell, cut to `width` cells with an ellipsis."""
    cell = literal_text(text)
    cell.truncate(width, overflow="ellipsis")
    return cell
