"""Import of the definitions a partnership can bring: assessment frameworks and risk matrices."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from psr_tui import analysis
from psr_tui.models import Framework, Model, RiskMatrix, describe_validation_error
from psr_tui.store import InvalidRecordError, Store, StoreError

M = TypeVar("M", bound=Model)


def read_json(path: Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
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


def import_framework(store: Store, path: Path) -> Framework:
    """Add a framework; a framework of the same name is replaced only if no round uses it."""
    framework = load_model(path, Framework)
    with store.transaction() as tx:
        existing = next((r for r in tx.frameworks() if r.model.name == framework.name), None)
        if existing is None:
            tx.insert("frameworks", framework)
            return framework
        used_by = [r.model.name for r in tx.rounds() if r.model.framework == framework.name]
        if used_by:
            raise InvalidRecordError(
                f"{path}: framework {framework.name!r} already exists and rounds use it "
                f"({', '.join(used_by)}); give the new one another name"
            )
        tx.update("frameworks", existing.doc_id, framework)
    return framework


def import_matrix(store: Store, path: Path) -> RiskMatrix:
    """Set the risk matrix; refused if an open risk uses a label the new matrix lacks."""
    matrix = load_model(path, RiskMatrix)
    with store.transaction() as tx:
        likelihoods, impacts = analysis.labels_in_use(r.model for r in tx.risks())
        missing = sorted(
            {f"likelihood {x!r}" for x in likelihoods if matrix.find_likelihood(x) is None}
            | {f"impact {x!r}" for x in impacts if matrix.find_impact(x) is None}
        )
        if missing:
            raise InvalidRecordError(
                f"{path}: open risks use {', '.join(missing)}, which the new matrix lacks; "
                "edit or close those risks first"
            )
        current = tx.records("matrix")
        if current:
            tx.update("matrix", current[0].doc_id, matrix)
        else:
            tx.insert("matrix", matrix)
    return matrix
