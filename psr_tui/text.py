"""The one text-safety rule: control characters in user text never reach a terminal.

Anyone who can add a risk, import a CSV or name a round puts text in front of every other
officer. An ESC in it would let them clear screens, set window titles or write to the
clipboard (OSC 52); a bidi override would make the figures after it read backwards. So:

- where a person types (forms, dialogs, command-line arguments) they are refused
  (`refuse_control_characters`);
- where a file is imported (CSV, JSON) they are kept as visible symbols (`imported`);
- where user text is shown they are drawn as symbols (`visible`: the widgets' `literal`,
  notifications, `echo` for the CLI, `json_for_terminal` for --json), and any that reach a
  screen some other way are removed from the drawn line (`without_line_controls`, applied
  to every line by the app's `NoControlCharacters` filter).
"""

from __future__ import annotations

import re
import sys
from typing import Any, TextIO

# The bidirectional embeddings, overrides and isolates: invisible, they reorder the text
# after them on a terminal or a page that applies the bidi algorithm, so that a figure
# beside them can read backwards ("Trojan Source"). The marks (LRM, RLM, ALM) only give a
# neutral character a direction: text in Arabic or Hebrew carries them, and keeps them.
_BIDI = "\u202a-\u202e\u2066-\u2069"
# C0 except tab and newline, DEL, C1, and the bidi controls.
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
# Within one drawn line of a screen even tab and newline would move the terminal's cursor.
_LINE_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
# What json.dumps leaves raw: it escapes C0 itself.
_CONTROL_AFTER_JSON = re.compile(f"[\x7f-\x9f{_BIDI}]")
_CONTROL_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    # C1 and the bidi controls have no control pictures: the replacement character says
    # something was there.
    return _CONTROL_PICTURES.get(code, "\ufffd")


def visible(text: str) -> str:
    """`text` with each control character drawn as its symbol (ESC as ␛); CR as ␍."""
    return _CONTROL.sub(_picture, text)


def without_line_controls(text: str) -> str:
    """`text` for one line of a screen: every control character (tab and newline too) removed.

    They take no cells, so removing them keeps the line's width.
    """
    return _LINE_CONTROL.sub("", text) if _LINE_CONTROL.search(text) else text


def imported(text: str) -> str:
    """Text read from an imported file: line ends as "\\n", other control characters visible.

    Shown rather than stripped: nothing in the file is silently lost, and whoever reads
    the record sees that something odd was there.
    """
    return visible(text.replace("\r\n", "\n").replace("\r", "\n"))


def imported_json(value: Any) -> Any:
    """A parsed JSON value with `imported` applied to every string in it, keys too."""
    if isinstance(value, str):
        return imported(value)
    if isinstance(value, list):
        return [imported_json(item) for item in value]
    if isinstance(value, dict):
        return {imported_json(key): imported_json(item) for key, item in value.items()}
    return value


def control_characters(text: str) -> list[str]:
    """The control characters in `text`, each shown visibly, by its code point where it
    has no picture (empty when there are none)."""
    return [_named(c) for c in dict.fromkeys(_CONTROL.findall(text))]


def _named(character: str) -> str:
    shown = visible(character)
    return f"U+{ord(character):04X}" if shown == "\ufffd" else shown


def refuse_control_characters(text: str, what: str) -> None:
    """Raise ValueError naming the field when typed text holds a control character."""
    found = control_characters(text)
    if found:
        raise ValueError(
            f"{what} contains control characters ({' '.join(found)}): remove them and type "
            "the text again"
        )


def echo(text: str = "", *, file: TextIO | None = None, flush: bool = False) -> None:
    """Print a line for a terminal (the CLI's one way out): control characters visible."""
    print(visible(text), file=file or sys.stdout, flush=flush)


def json_for_terminal(json_text: str) -> str:
    """JSON with DEL, C1 and the bidi controls written as \\u escapes too: the same value,
    safe on a terminal."""
    return _CONTROL_AFTER_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)
