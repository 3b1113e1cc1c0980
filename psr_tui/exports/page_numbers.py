""" "Page N of M" for a paper laid out in pieces (exports/pieces.py).

A piece is laid out before the document's total is known, so its pages leave the number
out (`UNNUMBERED_CSS`); once every piece is laid out, a document of blank pages, one for
each page of a piece and of the same size, prints the numbers in report.css's own footer
box (same font, size and place as on a paper laid out whole), and the join lays each of
its pages over the piece's page. Blank pages are cheap to lay out: hundreds a second.
"""

from __future__ import annotations

from collections.abc import Sequence

# No footer box for the number (its neighbours have widths of their own: they stay put).
UNNUMBERED_CSS = "@page { @bottom-right { content: none; } }\n"


def numbers_html(landscape: Sequence[bool]) -> str:
    """Blank pages, portrait or landscape as the pages they number."""
    pages = "".join(
        '<div class="page-number landscape"></div>' if wide else '<div class="page-number"></div>'
        for wide in landscape
    )
    return f'<!DOCTYPE html><html lang="en-GB"><body>{pages}</body></html>'


def numbers_css(first_page: int, total: int) -> str:
    """The numbers of pages `first_page` on, of `total`, as report.css prints them."""
    return (
        f"@page :first {{ counter-reset: page {int(first_page)}; }}\n"
        f'@page {{ @bottom-right {{ content: "Page " counter(page) " of {int(total)}"; }} }}\n'
    )
