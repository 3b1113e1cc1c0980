"""PDF reports and the meeting pack: Jinja2 templates (autoescaped) rendered by WeasyPrint.

WeasyPrint is imported inside the functions that render: its import alone costs ~0.4 s and
`psr summary` must not pay for it.

Every PDF is tagged as PDF/UA-1 (structure tags, the language, the title shown as the
window title), with the partnership and the report in its title, the officer as author,
a bookmark per paper and per section, and contents that link to their pages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape
from markupsafe import Markup

from psr_tui.errors import ExportError
from psr_tui.exports.context import KINDS, ReportContext, report_context
from psr_tui.exports.meeting_pack import meeting_context
from psr_tui.exports.options import PaperOptions
from psr_tui.exports.printing import printable
from psr_tui.models import Meeting, slugify
from psr_tui.store import Snapshot
from psr_tui.store.files import atomic_write

if TYPE_CHECKING:
    from weasyprint.document import Document

EXPORTS_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = EXPORTS_DIR / "templates"
STYLESHEET = EXPORTS_DIR / "report.css"
PDF_VARIANT = "pdf/ua-1"

# Told what the export is doing, in words for the officer waiting ("page 12 laid out").
Progress = Callable[[str], None]


class _ProgressHandler(logging.Handler):
    """WeasyPrint's progress log ("Step 5 - Creating layout - Page 12") as our words."""

    def __init__(self, progress: Progress, what: str) -> None:
        super().__init__(logging.INFO)
        self.progress = progress
        self.what = what

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("Step 5 - Creating layout - Page "):
            page = message.removeprefix("Step 5 - Creating layout - Page ").split()[0]
            self.progress(f"{self.what}: laying out page {page}")
        elif message.startswith(("Step 3", "Step 4")):
            self.progress(f"{self.what}: preparing the layout")
        elif message.startswith("Step 6"):
            self.progress(f"{self.what}: writing the PDF")


@contextmanager
def _reporting(progress: Progress | None, what: str) -> Iterator[None]:
    if progress is None:
        yield
        return
    logger = logging.getLogger("weasyprint.progress")
    handler = _ProgressHandler(progress, what)
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


def render_html(context: ReportContext) -> str:
    """The report's HTML: every piece of user text escaped by autoescape."""
    return _environment().get_template("report.html").render(r=context)


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


def render_document(html: str) -> Document:
    """Lay the HTML out with our stylesheet; every fetch goes through the package-only fetcher."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import FatalURLFetchingError

    from psr_tui.exports.fetcher import PackageAssetFetcher

    fetcher = PackageAssetFetcher()
    try:
        document = HTML(string=html, base_url=TEMPLATES_DIR.as_uri() + "/", url_fetcher=fetcher)
        stylesheet = CSS(filename=str(STYLESHEET), url_fetcher=fetcher)
        return document.render(stylesheets=[stylesheet], pdf_variant=PDF_VARIANT)
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


def render_paper(context: ReportContext, progress: Progress | None = None) -> RenderedPaper:
    """The PDF of a paper or pack, with where each section starts and ends as laid out
    (a pack's cover prints the same pages from the same layout)."""
    with _reporting(progress, context.title):
        document = render_document(render_html(context))
        pdf = write_document(document)
    anchors = anchor_pages(document)
    sections = [
        SectionPages(
            section.number,
            section.kind,
            section.title,
            anchors[section.anchor][0],
            anchors[section.end_anchor][0],
            section.anchor,
        )
        for section in context.sections
    ]
    return RenderedPaper(pdf, len(document.pages), sections)


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
