"""Whole-file validation for `psr check`: every problem, each named by table and record."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from psr_tui.errors import StoreError
from psr_tui.models import describe_validation_error
from psr_tui.store import files
from psr_tui.store.store import TABLES, read_meta


def check_file(path: Path) -> list[str]:
    """Problems found in the file; an empty list means it is sound."""
    try:
        data = files.read_file(path)
        read_meta(path, data)
    except StoreError as exc:
        return [str(exc)]
    problems: list[str] = []
    models: dict[str, list[Any]] = {}
    for table, spec in TABLES.items():
        models[table] = []
        for doc_id, row in data.get(table, {}).items():
            try:
                models[table].append(spec.model.model_validate(row))
            except ValidationError as exc:
                problems.append(f"{table} record {doc_id}: {describe_validation_error(exc)}")
    problems += _check_references(models)
    return problems


def _duplicates(kind: str, names: list[str]) -> list[str]:
    return [f"{kind} {name!r} appears {n} times" for name, n in Counter(names).items() if n > 1]


def _check_references(models: dict[str, list[Any]]) -> list[str]:
    problems: list[str] = []
    frameworks = {f.name: f for f in models["frameworks"]}
    rounds = {r.name: r for r in models["rounds"]}
    problems += _duplicates("framework", [f.name for f in models["frameworks"]])
    problems += _duplicates("round", [r.name for r in models["rounds"]])
    problems += _duplicates("risk", [r.ref for r in models["risks"]])
    problems += _duplicates("phase", [p.name for p in models["phases"]])
    problems += _duplicates("theme", [t.name for t in models["themes"]])
    for round_ in models["rounds"]:
        if round_.framework not in frameworks:
            problems.append(f"round {round_.name!r} uses unknown framework {round_.framework!r}")
    for response in models["responses"]:
        where = f"response {response.name!r} in round {response.round!r}"
        round_ = rounds.get(response.round)
        if round_ is None:
            problems.append(f"{where}: the round does not exist")
            continue
        framework = frameworks.get(round_.framework)
        if framework is None:
            continue
        for key, level in response.scores.items():
            if framework.domain(key) is None:
                problems.append(f"{where}: unknown domain {key!r}")
            elif level is not None and not 1 <= level <= framework.top_level:
                problems.append(
                    f"{where}: score {level} for {key!r} is outside levels 1-{framework.top_level}"
                )
    matrices = models["matrix"]
    if len(matrices) > 1:
        problems.append(f"there are {len(matrices)} risk matrices; there should be one")
    if matrices:
        matrix = matrices[0]
        for risk in models["risks"]:
            if matrix.find_likelihood(risk.likelihood) is None:
                problems.append(
                    f"risk {risk.ref}: likelihood {risk.likelihood!r} is not in the matrix"
                )
            if matrix.find_impact(risk.impact) is None:
                problems.append(f"risk {risk.ref}: impact {risk.impact!r} is not in the matrix")
    elif models["risks"]:
        problems.append("there are risks but no risk matrix")
    phases = {p.name for p in models["phases"]}
    themes = {t.name for t in models["themes"]}
    for activity in models["activities"]:
        if activity.phase not in phases:
            problems.append(f"activity {activity.title!r}: unknown phase {activity.phase!r}")
        if activity.theme not in themes:
            problems.append(f"activity {activity.title!r}: unknown theme {activity.theme!r}")
    return problems
