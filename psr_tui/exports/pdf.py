"""PDF reports and the meeting pack: Jinja2 templates (autoescaped) rendered by WeasyPrint.

WeasyPrint is imported inside the functions that render: its import alone costs ~0.4 s and
`psr summary` must not pay for it.

A register too long to lay out at once (its pages would take gigabytes) is laid out in
pieces and joined: see exports/pieces.py.

Every PDF is tagged as PDF/UA-1 (structure tags, the language, the title shown as the
window title), with the partnership and the report in its title, the officer as author,
a bookmark per paper and per section, and contents that link to their pages.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape
from markupsafe import Markup

from psr_tui.errors import ExportError
from psr_tui.exports import pieces
from psr_tui.exports.context import KINDS, ReportContext, report_context
from psr_tui.exports.meeting_pack import meeting_context
from psr_tui.exports.options import PaperOptions
from psr_tui.exports.pieces import Piece
from psr_tui.exports.printing import printable
from psr_tui.models import Meeting, slugify
from psr_tui.store import Snapshot
from psr_tui.store.files import atomic_write

if TYPE_CHECKING:
    from weasyprint.document import Document

    from psr_tui.exports.join import Bookmark

EXPORTS_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = EXPORTS_DIR / "templates"
STYLESHEET = EXPORTS_DIR / "report.css"
PDF_VARIANT = "pdf/ua-1"

# Told what the export is doing, in words for the officer waiting ("page 12 laid out").
Progress = Callable[[str], None]


class _ProgressHandler(logging.Handler):
    """WeasyPrint's progress log ("Step 5 - Creating layout - Page 12") as our words; a
    piece's pages are numbered after the pieces before it (`pages_before`)."""

    def __init__(self, progress: Progress, what: str, pages_before: int) -> None:
        super().__init__(logging.INFO)
        self.progress = progress
        self.what = what
        self.pages_before = pages_before

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("Step 5 - Creating layout - Page "):
            page = int(message.removeprefix("Step 5 - Creating layout - Page ").split()[0])
            self.progress(f"{self.what}: laying out page {self.pages_before + page}")
        elif message.startswith(("Step 3", "Step 4")):
            self.progress(f"{self.what}: preparing the layout")
        elif message.startswith("Step 6"):
            self.progress(f"{self.what}: writing the PDF")


@contextmanager
def _reporting(progress: Progress | None, what: str, pages_before: int = 0) -> Iterator[None]:
    if progress is None:
        yield
        return
    logger = logging.getLogger("weasyprint.progress")
    handler = _ProgressHandler(progress, what, pages_before)
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _printable(value: Any) -> Any:
    """Every value a template prints: text with its control characters spelt out (ESC as
    ‹ESC›), so none reaches the PDF as an invisible or missing glyph. Our own markup (the
    SVG charts, escaped where they are drawn) passes as it is."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return printable(value)
    return value


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_printable,
    )


def template(name: str) -> Template:
    """A template of the one autoescaped environment (every PDF's HTML comes from here)."""
    return _environment().get_template(name)


def render_html(context: ReportContext, piece: Piece | None = None) -> str:
    """The report's HTML (or one piece's, for a paper laid out in pieces): every piece of
    user text escaped by autoescape."""
    piece = piece or pieces.whole(context.sections, context.cover)
    return _environment().get_template("report.html").render(r=context, piece=piece)


@dataclass(frozen=True)
class SectionPages:
    """Where one paper of a pack lies in the rendered PDF (pages count from 1)."""

    number: int | str | None
    kind: str
    title: str
    first: int
    last: int
    anchor: str = ""


@dataclass(frozen=True)
class RenderedPaper:
    pdf: bytes
    pages: int
    sections: list[SectionPages]


def render_document(html: str, extra_css: str = "") -> Document:
    """Lay the HTML out with our stylesheet (and `extra_css`, our own rules, after it);
    every fetch goes through the package-only fetcher."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import FatalURLFetchingError

    from psr_tui.exports.fetcher import PackageAssetFetcher

    fetcher = PackageAssetFetcher()
    try:
        document = HTML(string=html, base_url=TEMPLATES_DIR.as_uri() + "/", url_fetcher=fetcher)
        stylesheets = [CSS(filename=str(STYLESHEET), url_fetcher=fetcher)]
        if extra_css:
            stylesheets.append(CSS(string=extra_css, url_fetcher=fetcher))
        return document.render(stylesheets=stylesheets, pdf_variant=PDF_VARIANT)
    except FatalURLFetchingError as exc:
        # A BaseException in WeasyPrint: turn it into the one-line error users see.
        raise ExportError(f"the report was stopped: {exc.__cause__ or exc}") from None


def anchor_pages(document: Document) -> dict[str, tuple[int, int]]:
    """The first and last page (from 1) each anchor of the laid-out document is on."""
    found: dict[str, tuple[int, int]] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            first = found.get(anchor, (number, number))[0]
            found[anchor] = (first, number)
    return found


def write_document(document: Document) -> bytes:
    from weasyprint.urls import FatalURLFetchingError

    try:
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    except FatalURLFetchingError as exc:
        raise ExportError(f"the report was stopped: {exc.__cause__ or exc}") from None
    assert isinstance(pdf, bytes)
    return pdf


def html_to_pdf(html: str) -> bytes:
    """Render HTML with our stylesheet as a tagged PDF."""
    return write_document(render_document(html))


def _section_pages(context: ReportContext, first_pages: dict[str, int]) -> list[SectionPages]:
    return [
        SectionPages(
            section.number,
            section.kind,
            section.title,
            first_pages[section.anchor],
            first_pages[section.end_anchor],
            section.anchor,
        )
        for section in context.sections
    ]


def render_paper(
    context: ReportContext, progress: Progress | None = None, rows_per_piece: int | None = None
) -> RenderedPaper:
    """The PDF of a paper or pack, with where each section starts and ends as laid out
    (a pack's cover prints the same pages from the same layout). A register longer than
    `rows_per_piece` rows (pieces.rows_per_piece() unless given) is laid out in pieces
    (exports/pieces.py), so that memory stays bounded whatever its length."""
    rows = pieces.rows_per_piece() if rows_per_piece is None else rows_per_piece
    if pieces.needs_pieces(context.sections, rows):
        return _render_in_pieces(context, progress, rows)
    with _reporting(progress, context.title):
        document = render_document(render_html(context))
        pdf = write_document(document)
    first_pages = {name: first for name, (first, _) in anchor_pages(document).items()}
    return RenderedPaper(pdf, len(document.pages), _section_pages(context, first_pages))


@dataclass
class _Laid:
    """The pieces laid out so far: their files, whether each page is landscape (its number
    is printed on a page of the same shape), the outline's headings and the first page of
    every anchor, counted from the document's first page."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    landscape: list[list[bool]] = field(default_factory=list)
    bookmarks: list[Bookmark] = field(default_factory=list)
    first_pages: dict[str, int] = field(default_factory=dict)
    pages: int = 0

    def keep(self, document: Document, kept: int) -> None:
        """The first `kept` pages of a piece laid out in `document`, written to its file."""
        from psr_tui.exports.join import Bookmark

        for name, (first, _) in anchor_pages(document).items():
            if first <= kept and not pieces.is_row_mark(name):
                self.first_pages.setdefault(name, self.pages + first)
        shown = document.pages[:kept]
        for index, page in enumerate(shown):
            for level, label, (x, y), state in page.bookmarks:
                # WeasyPrint's points are CSS pixels from the top left; PDF's from the bottom.
                top = (page.height - y) * 0.75
                at = self.pages + index
                self.bookmarks.append(Bookmark(level, label, at, x * 0.75, top, state == "open"))
        path = self.folder / f"piece-{len(self.files)}.pdf"
        whole = kept == len(document.pages)
        path.write_bytes(write_document(document if whole else document.copy(shown)))
        self.files.append(path)
        self.landscape.append([page.width > page.height for page in shown])
        self.pages += kept


def _lay_out(
    html: str, extra_css: str, progress: Progress | None, what: str, before: int
) -> Document:
    with _reporting(progress, what, before):
        return render_document(html, extra_css)


def _lay_out_piece(
    context: ReportContext,
    at: pieces.Cursor,
    rows_per_piece: int,
    laid: _Laid,
    progress: Progress | None,
) -> pieces.Cursor | None:
    """Lay out the piece that begins `at` and keep its pages up to where the next piece
    goes on (pieces.cut); returns where that is, None at the document's end. A piece none
    of whose pages starts with a whole row (rows longer than a page each) cannot be cut
    seamlessly: it is laid out again with twice the rows, until one can."""
    from psr_tui.exports.page_numbers import UNNUMBERED_CSS

    rows = rows_per_piece
    while True:
        piece, after = pieces.next_piece(context.sections, at, rows, cover=False)
        css = UNNUMBERED_CSS + pieces.seam_css(first=laid.pages == 0, last=after is None)
        document = _lay_out(render_html(context, piece), css, progress, context.title, laid.pages)
        kept = len(document.pages)
        section, part = piece.parts[-1]
        # A piece that ends with its section ends on a page of its own: papers start on a
        # new page. One that ends inside the register is cut where the next goes on.
        cut = (
            None
            if after is None or part.last
            else pieces.cut(section, part, anchor_pages(document), kept)
        )
        if after is None or part.last or cut is not None:
            break
        del document
        gc.collect()
        rows *= 2
    if cut is not None and after is not None:
        kept, row = cut
        after = pieces.Cursor(after.section, row)
    laid.keep(document, kept)
    del document
    gc.collect()  # WeasyPrint's boxes are cyclic: free this piece before the next
    return after


def _render_in_pieces(
    context: ReportContext, progress: Progress | None, rows_per_piece: int
) -> RenderedPaper:
    """Lay the paper out piece by piece, each once and without its page numbers (see
    exports/pieces.py), a pack's cover apart; then number the pages and join the pieces
    (exports/page_numbers.py, exports/join.py)."""
    import tempfile
    from collections import defaultdict

    from psr_tui.exports.join import PieceFiles, join_pdfs
    from psr_tui.exports.page_numbers import UNNUMBERED_CSS, numbers_css, numbers_html

    what = context.title
    with tempfile.TemporaryDirectory(prefix="psr-pieces-") as folder:
        laid = _Laid(Path(folder))
        cover_pages = 0
        if context.cover:
            # Counted with the widest page numbers it may print; laid out again at the end.
            widest: dict[str, int] = defaultdict(lambda: 9999)
            cover = Piece(True, [], widest)
            css = UNNUMBERED_CSS + pieces.seam_css(first=True, last=False)
            cover_pages = len(render_document(render_html(context, cover), css).pages)
            laid.pages = cover_pages
        at: pieces.Cursor | None = pieces.Cursor()
        while at is not None:
            at = _lay_out_piece(context, at, rows_per_piece, laid, progress)
        if context.cover:
            laid = _with_cover(context, laid, cover_pages)
        files: list[PieceFiles] = []
        first = 1
        for index, (path, landscape) in enumerate(zip(laid.files, laid.landscape, strict=True)):
            if progress is not None:
                progress(f"{what}: numbering pages {first} to {first + len(landscape) - 1}")
            numbers = render_document(numbers_html(landscape), numbers_css(first, laid.pages))
            numbers_path = laid.folder / f"numbers-{index}.pdf"
            numbers_path.write_bytes(write_document(numbers))
            files.append(PieceFiles(path, numbers_path))
            first += len(landscape)
            del numbers
        if progress is not None:
            progress(f"{what}: joining {len(files)} pieces")
        joined = laid.folder / "joined.pdf"
        with joined.open("wb") as out:
            join_pdfs(
                files,
                sorted(laid.bookmarks, key=lambda b: b.page),
                out,
                keep=lambda name: not pieces.is_row_mark(name),
            )
        pdf = joined.read_bytes()
    return RenderedPaper(pdf, laid.pages, _section_pages(context, laid.first_pages))


def _with_cover(context: ReportContext, laid: _Laid, cover_pages: int) -> _Laid:
    """The pieces with the cover first, laid out now that it can print every section's
    pages. Its contents link to sections it does not hold: it names them on its first page
    so that WeasyPrint keeps the links, and the join points the names at the sections."""
    from psr_tui.exports.page_numbers import UNNUMBERED_CSS

    css = UNNUMBERED_CSS + pieces.seam_css(first=True, last=False)
    document = render_document(render_html(context, Piece(True, [], laid.first_pages)), css)
    if len(document.pages) != cover_pages:
        # Cannot happen while every digit is as wide as a 9 (DejaVu's are).
        raise ExportError(
            f"the cover of the {context.title.lower()} took {len(document.pages)} pages "
            f"with its page ranges, not the {cover_pages} counted"
        )
    here = {name for page in document.pages for name in page.anchors}
    for page in document.pages:
        for kind, target, *_ in page.links:
            if kind == "internal" and target not in here:
                document.pages[0].anchors[target] = (0, 0, 0, 0)
                here.add(target)
    cover = _Laid(laid.folder / "cover")
    cover.folder.mkdir()
    cover.keep(document, cover_pages)
    return _Laid(
        laid.folder,
        cover.files + laid.files,
        cover.landscape + laid.landscape,
        cover.bookmarks + laid.bookmarks,
        {**cover.first_pages, **laid.first_pages},
        laid.pages,
    )


def export_pdf(
    snapshot: Snapshot,
    kind: str,
    out_path: Path,
    *,
    round_name: str | None = None,
    user: str,
    as_at: date | None = None,
    exported: date | None = None,
    options: PaperOptions | None = None,
    meeting: str | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write one report (assessment, risks, programme, development) or the whole meeting
    pack as an A4 PDF; with `meeting` (a meeting's key), that meeting's pack or minutes.

    The PDF is rendered in memory and then written to a temp file beside the target and
    renamed over it: the target is never a half-written file, and a failed render leaves
    whatever was there before. `progress` is told how far the render has gone.
    """
    if meeting is None and kind not in KINDS:
        raise ExportError(f"unknown report {kind!r} (choose from {', '.join(KINDS)})")
    out = Path(out_path).expanduser()
    if not out.parent.is_dir():
        raise ExportError(f"{out}: the folder {out.parent} does not exist")
    if meeting is not None:
        context = meeting_context(
            snapshot,
            kind,
            meeting,
            user=user,
            exported=exported or date.today(),
            as_at=as_at,
            options=options,
        )
    else:
        context = report_context(
            snapshot,
            kind,
            user=user,
            exported=exported or date.today(),
            as_at=as_at,
            round_name=round_name,
            options=options,
        )
    paper = render_paper(context, progress)
    try:
        atomic_write(out, paper.pdf)
    except OSError as exc:
        raise ExportError(f"{out}: cannot write it ({exc.strerror or exc})") from None
    return out


def default_filename(
    snapshot: Snapshot, kind: str, as_at: date | None = None, meeting: Meeting | None = None
) -> str:
    """e.g. chorley-public-service-reform-partnership-risks-2016-02-16.pdf; a meeting's pack
    or minutes are named by its body and day (...-executive-pack-2016-02-16.pdf)."""
    name = f"{snapshot.meta.partnership} {meeting.body}" if meeting else snapshot.meta.partnership
    slug = slugify(name).replace("_", "-") or "psr"
    day = meeting.date if meeting else (as_at or snapshot.as_at)
    return f"{slug}-{kind}-{day.isoformat()}.pdf"


__all__ = [
    "ExportError",
    "RenderedPaper",
    "SectionPages",
    "default_filename",
    "export_pdf",
    "html_to_pdf",
    "render_html",
    "render_paper",
]
