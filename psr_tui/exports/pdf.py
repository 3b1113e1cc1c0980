"""PDF reports and the meeting pack: Jinja2 templates (autoescaped) rendered by WeasyPrint.

WeasyPrint is imported inside the functions that render: its import alone costs ~0.4 s and
`psr summary` must not pay for it.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape

from psr_tui.errors import ExportError
from psr_tui.exports.context import KINDS, ReportContext, report_context
from psr_tui.models import slugify
from psr_tui.store import Snapshot
from psr_tui.store.files import atomic_write

EXPORTS_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = EXPORTS_DIR / "templates"
STYLESHEET = EXPORTS_DIR / "report.css"


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def template(name: str) -> Template:
    """A template of the one autoescaped environment (every PDF's HTML comes from here)."""
    return _environment().get_template(name)


def render_html(context: ReportContext) -> str:
    """The report's HTML: every piece of user text escaped by autoescape."""
    return _environment().get_template("report.html").render(r=context)


def html_to_pdf(html: str) -> bytes:
    """Render HTML with our stylesheet; every fetch goes through the package-only fetcher."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import FatalURLFetchingError

    from psr_tui.exports.fetcher import PackageAssetFetcher

    fetcher = PackageAssetFetcher()
    try:
        document = HTML(string=html, base_url=TEMPLATES_DIR.as_uri() + "/", url_fetcher=fetcher)
        stylesheet = CSS(filename=str(STYLESHEET), url_fetcher=fetcher)
        pdf = document.write_pdf(stylesheets=[stylesheet])
    except FatalURLFetchingError as exc:
        # A BaseException in WeasyPrint: turn it into the one-line error users see.
        raise ExportError(f"the report was stopped: {exc.__cause__ or exc}") from None
    assert isinstance(pdf, bytes)
    return pdf


def export_pdf(
    snapshot: Snapshot,
    kind: str,
    out_path: Path,
    *,
    round_name: str | None = None,
    user: str,
    as_at: date | None = None,
    exported: date | None = None,
) -> Path:
    """Write one report (assessment, risks, programme) or the whole meeting pack as A4 PDF.

    The PDF is rendered in memory and then written to a temp file beside the target and
    renamed over it: the target is never a half-written file, and a failed render leaves
    whatever was there before.
    """
    if kind not in KINDS:
        raise ExportError(f"unknown report {kind!r} (choose from {', '.join(KINDS)})")
    out = Path(out_path).expanduser()
    if not out.parent.is_dir():
        raise ExportError(f"{out}: the folder {out.parent} does not exist")
    context = report_context(
        snapshot,
        kind,
        user=user,
        exported=exported or date.today(),
        as_at=as_at,
        round_name=round_name,
    )
    pdf = html_to_pdf(render_html(context))
    try:
        atomic_write(out, pdf)
    except OSError as exc:
        raise ExportError(f"{out}: cannot write it ({exc.strerror or exc})") from None
    return out


def default_filename(snapshot: Snapshot, kind: str, as_at: date | None = None) -> str:
    """e.g. chorley-public-service-reform-partnership-risks-2016-02-16.pdf"""
    slug = slugify(snapshot.meta.partnership).replace("_", "-") or "psr"
    return f"{slug}-{kind}-{(as_at or snapshot.as_at).isoformat()}.pdf"


__all__ = ["ExportError", "default_filename", "export_pdf", "html_to_pdf", "render_html"]
