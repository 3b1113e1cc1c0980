"""User text, shown literally.

Textual reads plain strings as markup in Static, Label, Button, OptionList, notify and
DataTable cells: a stray "[/]" crashes the app and "[@click=app.quit]" runs an action.
Everything a user typed goes through these helpers instead, which also draw control
characters visibly (`psr_tui.text.visible`) so that none reaches the terminal.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from psr_tui.text import visible


def literal(text: str, style: str = "") -> Content:
    """User text as Content: no markup is interpreted, control characters are visible."""
    return Content.styled(visible(text), style) if style else Content(visible(text))


def literal_text(text: str, style: str = "") -> Text:
    """User text as a Rich Text (for DataTable cells and Rich renderables)."""
    return Text(visible(text), style=style, no_wrap=False)
