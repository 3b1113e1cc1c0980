"""The user's keymap: `keymap.toml` in the config dir maps binding ids to keys.

```toml
"risks.add" = "n"            # one key
"app.quit" = "ctrl+q,q"      # several, as Textual writes them
[programme]                  # or a table per section: programme.new
new = ["n", "insert"]
```

The app applies it with `App.set_keymap` at start-up. A keymap can never stop the app: a
file that does not parse is ignored, an entry with an unknown id or a bad key is skipped,
and each problem is one line naming the file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import REPLACED_KEYS, Keys, key_to_character

KEYMAP_FILE = "keymap.toml"

# The packages whose classes may declare BINDINGS (the app's own are passed in).
BINDING_PACKAGES = ("psr_tui.screens", "psr_tui.dialogs", "psr_tui.widgets")

_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_KEY_NAMES = frozenset(k.value for k in Keys if "+" not in k.value and not k.value.startswith("<"))


@dataclass(frozen=True)
class UserKeymap:
    """What a keymap file asks for: binding id -> keys (comma-separated), and the problems."""

    path: Path
    keys: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def keymap_path(config_dir: Path) -> Path:
    return config_dir / KEYMAP_FILE


def read_keymap(path: Path) -> UserKeymap:
    """The keymap in `path`; no file is an empty keymap. Ids are checked by `unknown_ids`."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return UserKeymap(path)
    except UnicodeDecodeError:
        return UserKeymap(path, problems=[f"{path}: not UTF-8 text; psr uses its own keys"])
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        return UserKeymap(path, problems=[f"{path}: cannot be read ({reason})"])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return UserKeymap(path, problems=[f"{path}: not valid TOML ({exc}); psr uses its own keys"])
    keymap = UserKeymap(path)
    for binding_id, value in _entries(data):
        keys, problem = _keys(value)
        if problem is not None:
            keymap.problems.append(f"{path}: {binding_id}: {problem}; that entry is skipped")
        else:
            keymap.keys[binding_id] = keys
    return keymap


def unknown_ids(keymap: UserKeymap, known: Collection[str]) -> list[str]:
    """A problem for each id in `keymap` that no binding has (with the nearest one)."""
    import difflib

    problems = []
    for binding_id in keymap.keys:
        if binding_id in known:
            continue
        near = difflib.get_close_matches(binding_id, known, n=1)
        hint = f" (did you mean {near[0]}?)" if near else " (the README lists them)"
        problems.append(f"{keymap.path}: no key has the id {binding_id}{hint}")
    return problems


def key_problem(key: str) -> str | None:
    """Why `key` is not a key Textual can bind ("ctrl+n", "f5", "question_mark", "N"), or None."""
    if key == ",":
        return "write comma for the , key"
    if len(key) == 1:
        return None if key.isprintable() else f"{key!r} is not a key"
    *modifiers, name = key.split("+")
    if name and all(m in _MODIFIERS for m in modifiers) and _is_key_name(name):
        return None
    return f"{key!r} is not a key"


def binding_ids(app: type[DOMNode]) -> dict[str, Binding]:
    """Every binding with an id: the app's and those of each screen, dialog and widget."""
    found: dict[str, Binding] = {}
    for cls in (app, *_node_classes()):
        for binding in cls.__dict__.get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id:
                found.setdefault(binding.id, binding)
    return found


def _is_key_name(name: str) -> bool:
    if len(name) == 1 or name in _KEY_NAMES:
        return True
    return key_to_character(REPLACED_KEYS.get(name, name)) is not None


def _entries(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, object]]:
    """(binding id, value) pairs; a table `[risks]` with `add = "n"` is the id risks.add."""
    for name, value in data.items():
        binding_id = f"{prefix}{name}"
        if isinstance(value, dict):
            yield from _entries(value, f"{binding_id}.")
        else:
            yield binding_id, value


def _keys(value: object) -> tuple[str, str | None]:
    """The keys as Textual's comma-separated string, or the problem with `value`."""
    if isinstance(value, str):
        given = [value] if value.strip() == "," else value.split(",")
    elif isinstance(value, list) and all(isinstance(k, str) for k in value):
        given = value
    else:
        return "", "give a key in quotes, or a list of them"
    keys = [k.strip() for k in given if k.strip()]
    if not keys:
        return "", "no key given"
    for key in keys:
        if (problem := key_problem(key)) is not None:
            return "", problem
    return ",".join(keys), None


def _node_classes() -> Iterator[type[DOMNode]]:
    # Imported here, as is every screen below: this runs after start-up, in a worker.
    import importlib
    import inspect
    import pkgutil

    for package_name in BINDING_PACKAGES:
        package = importlib.import_module(package_name)
        for info in pkgutil.iter_modules(package.__path__, f"{package_name}."):
            module = importlib.import_module(info.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ == info.name and issubclass(cls, DOMNode):
                    yield cls
