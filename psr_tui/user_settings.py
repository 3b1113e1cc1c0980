"""What psr remembers for one user between sessions: `settings.json` in the config dir.

Today that is the theme. The file is psr's own (written when the user chooses a theme), so
a file that cannot be read is never a reason to stop: it is ignored with a one-line warning
naming it, and the next choice replaces it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

SETTINGS_FILE = "settings.json"


@dataclass(frozen=True)
class Settings:
    theme: str | None = None


def settings_path(config_dir: Path) -> Path:
    return config_dir / SETTINGS_FILE


def read_settings(path: Path) -> tuple[Settings, str | None]:
    """The settings in `path` (the defaults if there is no file) and the problem, if any."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings(), None
    except (OSError, UnicodeDecodeError) as exc:
        return Settings(), _ignored(path, f"cannot be read ({_reason(exc)})")
    try:
        data = json.loads(text)
    except ValueError as exc:
        return Settings(), _ignored(path, f"not valid JSON ({exc})")
    if not isinstance(data, dict):
        return Settings(), _ignored(path, "expected a JSON object")
    theme = data.get("theme")
    if theme is not None and not isinstance(theme, str):
        return Settings(), _ignored(path, "the theme must be a name in quotes")
    return Settings(theme=theme), None


def write_settings(path: Path, settings: Settings) -> None:
    """Replace `path` atomically (a second session never reads half a file); raises OSError."""
    import tempfile  # only when a theme is chosen, not at start-up

    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"theme": settings.theme}, indent=2) + "\n"
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _ignored(path: Path, problem: str) -> str:
    return f"{path}: {problem}; it is ignored (choosing a theme replaces it)"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    return str(exc)
