"""Reading rendered papers back with pdfplumber: where each character is, how big, which
lines are headings, how full each page is."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber

MM = 72 / 25.4
# The page furniture (running header and footer) sits in the margins: body text lies between.
MARGINS = {"portrait": (24 * MM, 22 * MM), "landscape": (20 * MM, 18 * MM)}


@dataclass(frozen=True)
class Line:
    top: float
    bottom: float
    text: str
    size: float
    font: str

    @property
    def heading(self) -> bool:
        """A section heading (h2, h3): DejaVu Serif bold, at least 10.5 pt."""
        return "Serif" in self.font and "Bold" in self.font and self.size >= 10.4


@dataclass(frozen=True)
class Page:
    number: int  # from 1
    width: float
    height: float
    chars: list[dict[str, Any]]
    text: str
    lines: list[Line]  # the body's lines, top to bottom

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def body_top(self) -> float:
        return MARGINS["landscape" if self.landscape else "portrait"][0]

    @property
    def body_bottom(self) -> float:
        return self.height - MARGINS["landscape" if self.landscape else "portrait"][1]

    @property
    def filled(self) -> float:
        """How far down the body the lowest line reaches, 0 to 1."""
        if not self.lines:
            return 0.0
        return (self.lines[-1].bottom - self.body_top) / (self.body_bottom - self.body_top)


def _lines(chars: list[dict[str, Any]]) -> list[Line]:
    rows: dict[int, list[dict[str, Any]]] = {}
    for char in chars:
        rows.setdefault(round(char["top"]), []).append(char)
    lines = []
    for top in sorted(rows):
        row = sorted(rows[top], key=lambda c: c["x0"])
        biggest = max(row, key=lambda c: c["size"])
        lines.append(
            Line(
                top=min(c["top"] for c in row),
                bottom=max(c["bottom"] for c in row),
                text="".join(c["text"] for c in row),
                size=biggest["size"],
                font=biggest["fontname"],
            )
        )
    return lines


def read_pages(path: Path) -> list[Page]:
    pages = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            chars = list(page.chars)
            landscape = page.width > page.height
            top, bottom = MARGINS["landscape" if landscape else "portrait"]
            body = [
                c for c in chars if top - 2 < c["top"] and c["bottom"] < page.height - bottom + 2
            ]
            pages.append(
                Page(
                    number,
                    float(page.width),
                    float(page.height),
                    chars,
                    page.extract_text() or "",
                    _lines(body),
                )
            )
    return pages


def outside(page: Page) -> list[str]:
    """The characters whose box is not wholly inside the page's box."""
    return [
        c["text"]
        for c in page.chars
        if c["x0"] < -0.01
        or c["top"] < -0.01
        or c["x1"] > page.width + 0.01
        or c["bottom"] > page.height + 0.01
    ]


def sizes_under(page: Page, points: float) -> list[tuple[str, float]]:
    return [(c["text"], round(c["size"], 2)) for c in page.chars if c["size"] < points - 0.01]


def overlaps(page: Page) -> list[str]:
    """Text drawn over text: two characters on one line overlapping by more than half the
    narrower one (kerning, as in "To", overlaps far less), e.g. a word run out of its cell
    into the next. Returns the lines where it happens."""
    found = []
    rows: dict[int, list[dict[str, Any]]] = {}
    for char in page.chars:
        if char["text"].strip():
            rows.setdefault(round(char["top"]), []).append(char)
    for row in rows.values():
        row.sort(key=lambda c: c["x0"])
        for before, after in itertools.pairwise(row):
            narrower = min(before["x1"] - before["x0"], after["x1"] - after["x0"])
            if before["x1"] - after["x0"] > narrower / 2:
                found.append("".join(c["text"] for c in row))
                break
    return found


def figure_alternates(path: Path) -> list[str]:
    """The alternate text of every Figure in the PDF's structure tree (its tags)."""
    from pypdf import PdfReader

    found: list[str] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if not isinstance(node, dict):
            return
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt", "")))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if hasattr(kid, "get_object"):
                walk(kid)

    walk(PdfReader(path).trailer["/Root"]["/StructTreeRoot"])
    return found
