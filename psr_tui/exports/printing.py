"""How user text reaches the page: its control characters spelt out.

`psr_tui.text.visible` draws a control character as its Unicode picture (ESC as ␛); the
fonts a PDF may use (DejaVu) have no such glyphs and would print an empty box. On paper each
control character (the ones `visible` draws) is written as its name between single
guillemets instead: ESC as ‹ESC›, DEL as ‹DEL›, a C1 character as ‹U+009B›.
"""

from __future__ import annotations

from psr_tui.text import visible

_NAMES = [
    "NUL",
    "SOH",
    "STX",
    "ETX",
    "EOT",
    "ENQ",
    "ACK",
    "BEL",
    "BS",
    "HT",
    "LF",
    "VT",
    "FF",
    "CR",
    "SO",
    "SI",
    "DLE",
    "DC1",
    "DC2",
    "DC3",
    "DC4",
    "NAK",
    "SYN",
    "ETB",
    "CAN",
    "EM",
    "SUB",
    "ESC",
    "FS",
    "GS",
    "RS",
    "US",
]


def _name(character: str) -> str:
    code = ord(character)
    if code < len(_NAMES):
        return f"‹{_NAMES[code]}›"
    return "‹DEL›" if code == 0x7F else f"‹U+{code:04X}›"


def printable(text: str) -> str:
    """`text` as the papers print it: each control character as ‹NAME›."""
    if visible(text) == text:
        return text
    return "".join(_name(c) if visible(c) != c else c for c in text)
