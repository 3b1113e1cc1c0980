"""What an officer sets for one export of a paper: document control, the register's limits,
the recommendations. The CLI's options and the TUI's export dialog both build a PaperOptions;
the context applies it. No WeasyPrint here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from psr_tui import analysis
from psr_tui.errors import ExportError
from psr_tui.models import Band, RiskMatrix
from psr_tui.text import visible

STATUSES = ("Draft", "Final")
# The markings of the Government Security Classifications a partnership's papers carry.
CLASSIFICATIONS = ("OFFICIAL", "OFFICIAL-SENSITIVE")
VERSION_LIMIT = 20
RECOMMENDATION_LIMIT = 600
# The papers that carry recommendations, as `--recommendations FILE` names them.
PAPERS = ("assessment", "risks", "programme", "development")


@dataclass(frozen=True)
class DocumentControl:
    """Printed on every paper: its status, version and security classification."""

    status: str = "Draft"
    version: str = "1"
    classification: str = "OFFICIAL"


@dataclass(frozen=True)
class RegisterLimits:
    """Which risks the register lists; the matrix and band counts always cover all open risks."""

    open_only: bool = False
    band_at_least: str | None = None  # a band name, any case
    overdue_only: bool = False
    top: int | None = None  # the N highest scores, listed highest first

    @property
    def any(self) -> bool:
        return self.open_only or self.overdue_only or bool(self.band_at_least) or bool(self.top)

    def band(self, matrix: RiskMatrix) -> Band | None:
        """The matrix's band `band_at_least` names, or ExportError listing the bands."""
        if not self.band_at_least:
            return None
        wanted = self.band_at_least.strip().casefold()
        for band in matrix.bands:
            if band.name.casefold() == wanted:
                return band
        names = ", ".join(b.name for b in matrix.bands)
        raise ExportError(f"no band named {self.band_at_least!r} (the bands are {names})")


@dataclass(frozen=True)
class RegisterSelection:
    """The risks a register lists, and what it says about the ones it leaves out."""

    listed: list[analysis.RiskFacts]
    total: int
    rules: list[str]  # "open risks only", "band Medium or higher", ...
    left_out: dict[str, int]  # why -> how many, in the order the rules apply
    by_score: bool  # listed highest score first (top N), else in ref order


def select_register(
    matrix: RiskMatrix, facts: list[analysis.RiskFacts], limits: RegisterLimits
) -> RegisterSelection:
    """Apply the limits in a fixed order (status, overdue, band, top N), counting each cut."""
    band = limits.band(matrix)
    rules: list[str] = []
    left_out: dict[str, int] = {}
    kept = list(facts)

    def cut(rule: str, why: str, keep: list[analysis.RiskFacts]) -> None:
        nonlocal kept
        rules.append(rule)
        if len(kept) - len(keep):
            left_out[why] = len(kept) - len(keep)
        kept = keep

    if limits.open_only:
        cut("open risks only", "closed", [f for f in kept if f.is_open])
    if limits.overdue_only:
        cut(
            "overdue actions only",
            "no overdue action",
            [f for f in kept if f.overdue],
        )
    if band is not None:
        position = matrix.bands.index(band)
        cut(
            f"band {band.name} or higher",
            f"below {band.name}",
            [f for f in kept if f.band_position is not None and f.band_position >= position],
        )
    by_score = bool(limits.top)
    if limits.top:
        ranked = analysis.sort_risks(kept, "score", lambda f: f, reverse=True)
        cut(
            f"the {limits.top} highest scores, highest first",
            f"beyond the top {limits.top}",
            ranked[: limits.top],
        )
    return RegisterSelection(kept, len(facts), rules, left_out, by_score)


@dataclass(frozen=True)
class PaperOptions:
    control: DocumentControl = field(default_factory=DocumentControl)
    limits: RegisterLimits = field(default_factory=RegisterLimits)
    # Replaces a paper's default recommendations, by paper (assessment, risks, ...).
    recommendations: Mapping[str, Sequence[str]] = field(default_factory=dict)


def document_control(status: str, version: str, classification: str) -> DocumentControl:
    """Checked values, or ExportError saying in one line what is wrong."""
    found = next((s for s in STATUSES if s.casefold() == status.strip().casefold()), None)
    if found is None:
        raise ExportError(f"status {status!r}: choose {' or '.join(STATUSES)}")
    marking = next(
        (c for c in CLASSIFICATIONS if c.casefold() == classification.strip().casefold()), None
    )
    if marking is None:
        raise ExportError(
            f"classification {classification!r}: choose {' or '.join(CLASSIFICATIONS)}"
        )
    version = version.strip()
    if not version or len(version) > VERSION_LIMIT or visible(version) != version:
        raise ExportError(
            f"version {visible(version)!r}: give up to {VERSION_LIMIT} printable characters, "
            "e.g. 1 or 0.3"
        )
    return DocumentControl(found, version, marking)


def clean_recommendations(lines: Sequence[str], paper: str) -> list[str]:
    """Non-empty lines, whitespace folded; each within RECOMMENDATION_LIMIT characters."""
    cleaned = [" ".join(line.split()) for line in lines]
    kept = [line for line in cleaned if line]
    for line in kept:
        if len(line) > RECOMMENDATION_LIMIT:
            raise ExportError(
                f"a {paper} recommendation is {len(line)} characters; "
                f"keep each within {RECOMMENDATION_LIMIT}"
            )
    return kept


def read_recommendations(path: Path, kind: str) -> dict[str, list[str]]:
    """A recommendations file: a JSON list for the one paper being exported, or an object
    naming papers (`{"risks": ["note the register", ...], ...}`) for any export."""
    try:
        data: Any = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExportError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ExportError(f"{path}: cannot read it ({exc})") from None
    except json.JSONDecodeError as exc:
        raise ExportError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if isinstance(data, list):
        if kind == "pack":
            raise ExportError(
                f"{path}: the pack has several papers: name them, e.g. "
                '{"risks": ["note the register"]}'
            )
        data = {kind: data}
    if not isinstance(data, dict):
        raise ExportError(f"{path}: give a list of recommendations, or an object of lists")
    result: dict[str, list[str]] = {}
    for paper, lines in data.items():
        if paper not in PAPERS:
            raise ExportError(f"{path}: {paper!r} is not a paper (choose from {', '.join(PAPERS)})")
        if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
            raise ExportError(f"{path}: {paper} must be a list of sentences")
        result[paper] = clean_recommendations(lines, paper)
    return result


def limits_for(kind: str, limits: RegisterLimits) -> RegisterLimits:
    """The limits, refused for a paper without a register."""
    if limits.any and kind not in ("risks", "pack"):
        raise ExportError(
            "the register limits (--open, --overdue, --band-at-least, --top) apply to the "
            "risk register: export risks or pack"
        )
    return limits
