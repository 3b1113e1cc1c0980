"""Responses CSV reading and CSV/xlsx export (the contract format in DESIGN.md).

The CSV has a header row `name,organisation,group`, then one column per domain (its key
or name, any case) and optionally a `<domain> comment` column per domain. An empty score
cell means unscored. An export adds `rev`, the revision each response had when exported,
so that a re-import can tell a row edited in the file from a response another session
changed since (`psr_tui.changes.imports`). Rows are numbered as a spreadsheet shows them:
the header is row 1. The whole file is checked at once and every problem listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from psr_tui.exports.tables import TableImportError, read_csv, write_table
from psr_tui.models import Framework
from psr_tui.store import Snapshot, StoreError

IDENTITY_COLUMNS = ("name", "organisation", "group")
COMMENT_SUFFIX = " comment"
REV = "rev"


@dataclass
class _Columns:
    """What each header cell of the file means (by its index)."""

    identity: dict[str, int] = field(default_factory=dict)
    scores: dict[int, str] = field(default_factory=dict)  # column index -> domain key
    comments: dict[int, str] = field(default_factory=dict)
    rev: int | None = None


@dataclass(frozen=True)
class ResponseRow:
    """One checked row: who, the scores and comments of the file's columns, the exported rev."""

    number: int
    name: str
    organisation: str
    group: str
    scores: dict[str, int | None]
    comments: dict[str, str]
    rev: int | None = None


def respondent_identity(name: str, organisation: str) -> tuple[str, str]:
    """Who a respondent is within a round: name and organisation, ignoring case."""
    return name.strip().lower(), organisation.strip().lower()


def _columns(header: list[str], framework: Framework, problems: list[str]) -> _Columns:
    columns = _Columns()
    seen: dict[str, str] = {}  # what a column means -> the header that said so first

    def claim(meaning: str, title: str) -> bool:
        if meaning in seen:
            problems.append(f"columns {seen[meaning]!r} and {title!r} both give {meaning}")
            return False
        seen[meaning] = title
        return True

    for index, raw in enumerate(header):
        title = raw.strip()
        lowered = title.lower()
        if lowered in IDENTITY_COLUMNS:
            if claim(lowered, title):
                columns.identity[lowered] = index
            continue
        if lowered == REV:
            if claim("the revision", title):
                columns.rev = index
            continue
        domain = framework.domain(title)
        if domain is not None:
            if claim(f"the score for {domain.name}", title):
                columns.scores[index] = domain.key
            continue
        if lowered.endswith(COMMENT_SUFFIX):
            domain = framework.domain(title[: -len(COMMENT_SUFFIX)])
            if domain is not None:
                if claim(f"the comment for {domain.name}", title):
                    columns.comments[index] = domain.key
                continue
        if title:
            problems.append(
                f"unknown column {title!r} (expected name, organisation, group, a domain of "
                f"{framework.name!r} by key or name, or '<domain> comment')"
            )
        else:
            problems.append(f"column {index + 1} has no heading")
    for needed in ("name", "group"):
        if needed not in columns.identity:
            problems.append(f"no {needed!r} column")
    return columns


def _cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return cells[index].strip()


def _parse_rows(
    rows: list[list[str]], columns: _Columns, framework: Framework, groups: list[str]
) -> tuple[list[ResponseRow], list[str]]:
    header = rows[0]
    top = framework.top_level
    problems: list[str] = []
    parsed: list[ResponseRow] = []
    seen: dict[tuple[str, str], int] = {}
    group_names = {g.lower(): g for g in groups}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header):
            problems.append(f"row {number} has {len(cells)} cells but the header has {len(header)}")
            continue
        name = _cell(cells, columns.identity.get("name"))
        organisation = _cell(cells, columns.identity.get("organisation"))
        group = _cell(cells, columns.identity.get("group"))
        if not name:
            problems.append(f"row {number}, column name: the name is missing")
        if not group:
            problems.append(f"row {number}, column group: the group is missing")
        scores: dict[str, int | None] = {}
        for index, key in columns.scores.items():
            text = _cell(cells, index)
            where = f"row {number}, column {header[index].strip()}"
            if not text:
                scores[key] = None
            elif not re.fullmatch(r"\d+", text):
                problems.append(f"{where}: {text!r} is not a level (a whole number 1-{top})")
            elif not 1 <= int(text) <= top:
                problems.append(f"{where}: score {text} is outside levels 1-{top}")
            else:
                scores[key] = int(text)
        comments = {key: _cell(cells, index) for index, key in columns.comments.items()}
        rev_text = _cell(cells, columns.rev)
        rev = int(rev_text) if rev_text.isdigit() else None
        if rev_text and rev is None:
            problems.append(f"row {number}, column rev: {rev_text!r} is not a revision number")
        identity = respondent_identity(name, organisation)
        if name and identity in seen:
            problems.append(
                f"row {number}: {name} ({organisation or 'no organisation'}) is already in "
                f"row {seen[identity]}"
            )
        seen[identity] = number
        parsed.append(
            ResponseRow(
                number,
                name,
                organisation,
                group_names.get(group.lower(), group),
                scores,
                comments,
                rev,
            )
        )
    return parsed, problems


def read_responses(path: Path, framework: Framework, groups: list[str]) -> list[ResponseRow]:
    """Every row of a responses CSV, checked against the framework and the round's groups;
    TableImportError lists every problem (nothing is imported from a file with one)."""
    path = Path(path)
    rows = read_csv(path)
    if not rows or not any(c.strip() for c in rows[0]):
        raise StoreError(
            f"{path}: the file is empty; expected a header row name,organisation,group,<domains>"
        )
    problems: list[str] = []
    columns = _columns(rows[0], framework, problems)
    if problems:
        raise TableImportError(path, problems)
    parsed, problems = _parse_rows(rows, columns, framework, groups)
    if problems:
        raise TableImportError(path, problems)
    if not parsed:
        raise StoreError(f"{path}: the header is there but no responses follow it")
    return parsed


# --- export ------------------------------------------------------------------------------


def response_table(snapshot: Snapshot, round_name: str | None) -> tuple[str, list[list[str]]]:
    """The round's name and its responses as rows of cells, header first (the import format)."""
    round_, framework = snapshot.assessment_round(round_name)
    header = [*IDENTITY_COLUMNS]
    header += [d.name for d in framework.domains]
    header += [f"{d.name}{COMMENT_SUFFIX}" for d in framework.domains]
    header.append(REV)
    rows = [header]
    for response in (r.model for r in snapshot.responses(round_.name)):
        scores = [response.scores.get(d.key) for d in framework.domains]
        rows.append(
            [
                response.name,
                response.organisation,
                response.group,
                *("" if s is None else str(s) for s in scores),
                *(response.comments.get(d.key, "") for d in framework.domains),
                str(response.rev),
            ]
        )
    return round_.name, rows


def export_responses(snapshot: Snapshot, round_name: str | None, out_path: Path) -> str:
    """Write the round's responses to .csv (re-importable) or .xlsx; returns the round's name."""
    out_path = Path(out_path)
    name, rows = response_table(snapshot, round_name)
    write_table(out_path, name, rows)
    return name
