"""A database as a hostile colleague's script would leave it: every piece of user text
carries markup and terminal escape sequences, written to the file directly (no form or
import in between to refuse them).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

CLEAR_SCREEN = "\x1b[2J"
WINDOW_TITLE = "\x1b]0;pwned\x07"
CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07"  # OSC 52: set the clipboard to "rm -rf ~"
C1_CLEAR = "\x9b2J"  # the 8-bit CSI form
RIGHT_TO_LEFT_OVERRIDE = "\u202e"  # what follows it reads backwards, figures included
ESCAPES = CLEAR_SCREEN + WINDOW_TITLE + CLIPBOARD + C1_CLEAR + "\x7f" + RIGHT_TO_LEFT_OVERRIDE

CLICK = "[@click=app.quit]x[/]"
MARKUP = f"{CLICK} a [/] b [red] [$accent]"
HOSTILE = f"{MARKUP} {ESCAPES}z"

# Not user text: structural keys, enumerations, the matrix's style names; a meeting's time;
# the keys an agenda item, a decision or an action refer to their meeting or item by.
_STRUCTURAL = {
    "key",
    "domain",
    "status",
    "kind",
    "colour",
    "updated_at",
    "achieved_level",
    "time",
    "purpose",
    "standard",
    "meeting",
    "item",
}
# Dates as the file stores them: to the day, or to the month.
_ISO_DATE = re.compile(r"\d{4}-\d{2}(-\d{2})?$")


def hostile(text: str) -> str:
    return f"{HOSTILE} {text}" if text else text


def _poison(value: Any, field: str = "") -> Any:
    if isinstance(value, dict):
        # Keys are domain keys and record ids: structure, kept as they are.
        return {k: _poison(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v, field) for v in value]
    if isinstance(value, str) and field not in _STRUCTURAL and not _ISO_DATE.match(value):
        # The same text becomes the same hostile text everywhere, so references between
        # records (a risk's likelihood label, a response's round) still resolve.
        return hostile(value)
    return value


def make_hostile(path: Path) -> None:
    """Rewrite the database at `path` (and its audit log) with hostile user text."""
    path.write_text(json.dumps(_poison(json.loads(path.read_text()))))
    audit = path.with_name(path.name + ".audit.jsonl")
    lines = audit.read_text().splitlines() if audit.exists() else []
    audit.write_text("".join(json.dumps(_poison(json.loads(line))) + "\n" for line in lines))


def edit_first_risk(path: Path, **fields: str) -> None:
    """Put `fields` into the first risk of the database at `path`, as an older version or
    an editor could have (not typed, not imported: no check stands in the way)."""
    data = json.loads(path.read_text())
    next(iter(data["risks"].values())).update(fields)
    path.write_text(json.dumps(data))
