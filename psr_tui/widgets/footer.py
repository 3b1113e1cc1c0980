"""The footer, showing only the keys that fit whole.

Textual's footer cuts the last key it has room for in the middle of its word (`I Impo`).
This one leaves out, from the end, the keys that would not fit, and always keeps `?`
(which lists every key of the screen) and the command palette's key.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import Footer

# Not exported by textual.widgets, but it is what a Footer is made of.
from textual.widgets._footer import FooterKey

KEYS_KEY = "question_mark"


def _width(key: FooterKey) -> int:
    content = key.get_content_width(Size(0, 0), Size(0, 0))
    return content + key.styles.gutter.width + key.styles.margin.width


class KeysFooter(Footer):
    fitted_width = 0
    """The width the keys were last fitted to (0: not yet)."""

    async def recompose(self) -> None:
        self.fitted_width = 0
        await super().recompose()
        # The new keys take their style (compact or not) once they are mounted and bound.
        self.call_after_refresh(self.fit)

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        """Show the keys, in order, that fit whole beside `?` and the palette's key."""
        keys = [child for child in self.children if isinstance(child, FooterKey)]
        kept = [k for k in keys if k.key == KEYS_KEY or k.has_class("-command-palette")]
        room = self.content_size.width - sum(_width(k) for k in kept)
        full = False
        for key in keys:
            if key in kept:
                continue
            width = _width(key)
            key.display = not full and width <= room
            if key.display:
                room -= width
            else:
                full = True  # the keys after one left out are left out too, keeping the order
        self.fitted_width = self.content_size.width
