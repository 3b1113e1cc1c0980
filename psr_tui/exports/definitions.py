"""Reading the definitions a partnership can bring: assessment frameworks and risk matrices
(JSON). `psr_tui.changes.imports` stores them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from psr_tui.models import Model, describe_validation_error
from psr_tui.store import StoreError
from psr_tui.text import imported_json

M = TypeVar("M", bound=Model)


def read_json(path: Path) -> Any:
    try:
        return imported_json(json.loads(Path(path).read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise StoreError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"{path}: cannot read it ({exc})") from None
    except json.JSONDecodeError as exc:
        raise StoreError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise StoreError(f"{path}: not a definition (its JSON is nested too deeply)") from None


def load_model(path: Path, model: type[M]) -> M:
    try:
        return model.model_validate(read_json(path))
    except ValidationError as exc:
        raise StoreError(f"{path}: {describe_validation_error(exc)}") from None
