"""A long paper laid out in pieces: which sections, and which of their rows, each piece
holds, and where a laid-out piece is cut so that the next one goes on seamlessly.

WeasyPrint keeps every laid-out page of a document in memory until the PDF is written
(~2.5 MiB a register page: 3,000 risks took 1.7 GiB), and its maintainers say a document
cannot be written incrementally (Kozea/WeasyPrint#1824). So a paper whose register is long
is cut into pieces of about `ROWS_PER_PIECE` rows, each its own HTML document, laid out and
written on its own, then joined (exports/join.py); memory is then bounded by one piece.

Each piece is laid out once, without its page numbers: "Page N of M" needs the total
before a piece is laid out, and the `pages` counter cannot be set (Kozea/WeasyPrint#857).
When every piece is laid out the total is known, and exports/page_numbers.py prints the
numbers in the same margin box on blank pages that the join lays over the pieces' pages. A
pack's cover, which prints every section's page range, is laid out on its own, twice: once
to count its pages, once with the ranges (it is one or two pages).

A piece that ends inside the register (its rows, then the table of their movements since
the last review, one run after the other) is cut before the page where a row begins cleanly
(its row starts that page, the row before ended on an earlier page): that page and those
after it are dropped and the next piece begins with that row, so every page but the
document's last is as full as one laid out whole, and no row is split across two pieces
(a piece none of whose pages starts with a whole row is laid out again with twice the
rows). No piece starts inside a section other than at a cut row; a section boundary is a
page break anyway (papers start on a new page). With the body's margins only at the
document's ends (`seam_css`), the pieces make the very pages the whole layout makes, word
for word and point for point (tests/cli/test_pdf_pieces.py).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from psr_tui.errors import ExportError
from psr_tui.exports.context import Section

# A piece of 250 rows (~55 pages) peaks at ~300 MiB with a 10,000-risk snapshot held
# (bench/README.md, "PDF export memory"); more rows, more memory, for little less time.
ROWS_PER_PIECE = 250
# Set smaller to see a short register laid out in pieces (the tests do); never needed else.
ROWS_PER_PIECE_VARIABLE = "PSR_PDF_ROWS_PER_PIECE"
ROW_MARK = re.compile(r"section-.+-row-[0-9]+(-end)?")
# The templates that lay out runs of their section's rows (`part`), and the runs, in the
# order they come; every other section is laid out whole, in one piece.
SPLIT_TEMPLATES = {"_risks.html": ("rows", "movements")}

Row = TypeVar("Row")


@dataclass(frozen=True)
class Part:
    """What of one section a piece shows: its opening (`first`), its rows from `start` to
    `stop`, its end (`last`). A section's rows are its runs one after the other (the
    register's rows, then its movements): row `n` is the nth of them all. `marks` puts an
    anchor on each row's start and end, for the first layout to find where to cut."""

    first: bool = True
    last: bool = True
    start: int = 0
    stop: int | None = None
    marks: bool = False

    def run(self, rows: Sequence[Row], offset: int = 0) -> list[tuple[int, Row]]:
        """The rows of one run that this part holds, each with its number among the
        section's rows (the run's first is number `offset`)."""
        stop = len(rows) if self.stop is None else min(self.stop - offset, len(rows))
        return [(offset + n, rows[n]) for n in range(max(self.start - offset, 0), stop)]

    def holds(self, row: int) -> bool:
        return self.start <= row and (self.stop is None or row < self.stop)


WHOLE = Part()


@dataclass(frozen=True)
class Piece:
    """One HTML document of a paper: the cover or not, and its sections' parts.
    `pages` is the first page of every anchor of the document, for a cover laid out
    apart from the sections it lists; None in a document laid out whole."""

    cover: bool
    parts: list[tuple[Section, Part]]
    pages: dict[str, int] | None = None


def whole(sections: Sequence[Section], cover: bool) -> Piece:
    return Piece(cover, [(section, WHOLE) for section in sections])


def split_rows(section: Section) -> Sequence[object] | None:
    """The rows of a section that may be laid out over several pieces (its runs one after
    the other), else None."""
    runs = SPLIT_TEMPLATES.get(section.template)
    if runs is None:
        return None
    return [row for run in runs for row in getattr(section.data, run)]


def rows_per_piece() -> int:
    """How many register rows a piece holds: ROWS_PER_PIECE, unless the environment says."""
    given = os.environ.get(ROWS_PER_PIECE_VARIABLE, "").strip()
    if not given:
        return ROWS_PER_PIECE
    if not given.isdigit() or int(given) < 1:
        raise ExportError(
            f"{ROWS_PER_PIECE_VARIABLE} must be a whole number of rows, not {given!r}"
        )
    return int(given)


def needs_pieces(sections: Sequence[Section], rows_per_piece: int) -> bool:
    return any(len(split_rows(s) or ()) > rows_per_piece for s in sections)


def row_anchor(section: Section, row: int) -> str:
    return f"{section.anchor}-row-{row}"


def row_end_anchor(section: Section, row: int) -> str:
    return f"{row_anchor(section, row)}-end"


def is_row_mark(anchor: str) -> bool:
    """An anchor put on a row only to find where to cut: no link points to it."""
    return ROW_MARK.fullmatch(anchor) is not None


@dataclass(frozen=True)
class Cursor:
    """Where the next piece begins: section `section`, row `row` of it."""

    section: int = 0
    row: int = 0


def next_piece(
    sections: Sequence[Section], at: Cursor, rows_per_piece: int, cover: bool
) -> tuple[Piece, Cursor | None]:
    """The piece that begins `at`, of about `rows_per_piece` rows, and where the one after
    it begins (None: this one ends the document). Row anchors are marked only where the
    piece may be cut (its last part, when it stops inside its section)."""
    parts: list[tuple[Section, Part]] = []
    budget = rows_per_piece
    index, row = at.section, at.row
    while index < len(sections):
        section = sections[index]
        rows = split_rows(section)
        left = len(rows) - row if rows is not None else 0
        if left <= budget:
            parts.append((section, Part(first=row == 0, start=row)))
            budget -= left
            index, row = index + 1, 0
            continue
        if budget == 0 and parts:
            return Piece(cover, parts), Cursor(index, row)
        stop = row + max(budget, 1)
        parts.append((section, Part(first=row == 0, last=False, start=row, stop=stop, marks=True)))
        return Piece(cover, parts), Cursor(index, stop)
    return Piece(cover, parts), None


def cut(
    section: Section, part: Part, anchors: dict[str, tuple[int, int]], pages: int
) -> tuple[int, int] | None:
    """Where to cut a piece laid out in `pages` pages whose last part is `part` (of
    `section`): (pages to keep, the row the next piece begins with), or None to keep it
    all. `anchors` are the first and last page (from 1) of each anchor of the piece."""
    assert part.stop is not None
    start_page = {n: anchors[row_anchor(section, n)][0] for n in range(part.start, part.stop)}
    end_page = {n: anchors[row_end_anchor(section, n)][0] for n in range(part.start, part.stop)}
    first_row_page = start_page[part.start]
    for page in range(pages, first_row_page, -1):
        for n in range(part.start + 1, part.stop):
            if start_page[n] == page and end_page[n - 1] < page:
                return page - 1, n
    return None


def seam_css(first: bool, last: bool) -> str:
    """The rules that make a piece's edges those of the whole document: the body's own
    margins (the 8px every browser gives it) fall only at the document's start and end,
    so a piece that does not start it, or does not end it, has none there."""
    rules = [] if first else ["margin-top: 0;"]
    rules += [] if last else ["margin-bottom: 0;"]
    return f"body {{ {' '.join(rules)} }}\n" if rules else ""
