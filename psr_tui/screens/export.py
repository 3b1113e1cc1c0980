"""Export a PDF from the TUI: the export dialog (file, document control, recommendations,
the register's limits), then the render in a thread worker, and where it went."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.notifications import SeverityLevel
from textual.widgets import Label, LoadingIndicator

from psr_tui.dialogs.confirm import ConfirmDialog
from psr_tui.dialogs.export_form import ExportDialog, ExportRequest
from psr_tui.exports.context import TITLES
from psr_tui.exports.options import PaperOptions
from psr_tui.meetings import meeting_name
from psr_tui.models import Meeting
from psr_tui.widgets.text import literal

if TYPE_CHECKING:
    from psr_tui.app import PsrApp


class ExportIndicator(Horizontal):
    """A small box in the corner that spins while a PDF renders."""

    DEFAULT_CSS = """
    ExportIndicator {
        dock: bottom;
        layer: overlay;
        width: auto;
        max-width: 60;
        height: 3;
        margin: 0 0 1 2;
        padding: 0 1;
        background: $panel;
        border: round $accent;
    }
    ExportIndicator LoadingIndicator { width: 6; height: 1; min-height: 1; color: $accent; }
    ExportIndicator Label { width: auto; }
    """

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        yield LoadingIndicator()
        yield Label(literal(self.message))


def check_pdf_path(text: str) -> str | None:
    """The error message for a path the export cannot write, or None."""
    if not text.strip():
        return "Type a file name ending in .pdf"
    path = Path(text.strip()).expanduser()
    if path.suffix.lower() != ".pdf":
        return f"{path.name or text.strip()}: the file name must end in .pdf"
    if not path.parent.is_dir():
        return f"The folder {path.parent} does not exist"
    if path.is_dir():
        return f"{path} is a folder"
    return None


def start_export(app: PsrApp, kind: str, meeting: Meeting | None = None) -> None:
    """Ask where and how to issue the `kind` paper, then render it in a worker; with a
    `meeting`, that meeting's pack or minutes (their recommendations are the agenda
    items', set on the meeting's screen)."""
    from psr_tui.errorlog import one_line
    from psr_tui.exports.context import default_recommendations
    from psr_tui.exports.pdf import default_filename

    # What the messages call the paper: "risk register", "minutes of Executive 19 Jan 2016".
    title = TITLES[kind].lower() + (f" of {meeting_name(meeting)}" if meeting else "")
    round_name = (
        app.round_name if kind in ("assessment", "development", "pack") and not meeting else None
    )
    snapshot = app.snapshot
    try:
        defaults = (
            {}
            if meeting
            else default_recommendations(
                snapshot, kind, as_at=app.as_at_override, round_name=round_name
            )
        )
    except Exception as exc:  # e.g. no rounds yet: say why there is nothing to export
        app.notify(
            f"The {title} cannot be exported: {one_line(exc, f'exporting the {title}')}",
            title="PDF export",
            severity="error",
        )
        return
    matrix = snapshot.matrix()
    key = meeting.key if meeting else None

    def chosen(request: ExportRequest | None) -> None:
        if request is None:
            return
        path = request.path
        if path.exists():
            app.push_screen(
                ConfirmDialog(f"{path} exists. Replace it?", "Replace"),
                lambda yes: (
                    _run_export(app, kind, path, title, round_name, request.options, key)
                    if yes
                    else None
                ),
            )
        else:
            _run_export(app, kind, path, title, round_name, request.options, key)

    app.push_screen(
        ExportDialog(
            kind,
            f"./{default_filename(snapshot, kind, app.as_at, meeting)}",
            recommendations=defaults,
            bands=[band.name for band in matrix.bands] if matrix else [],
            check_path=check_pdf_path,
            title=title,
        ),
        chosen,
    )


def _run_export(
    app: PsrApp,
    kind: str,
    path: Path,
    title: str,
    round_name: str | None,
    options: PaperOptions | None = None,
    meeting: str | None = None,
) -> None:
    from psr_tui.exports.pdf import export_pdf

    # The date looked back to (`t`), if any: the papers then count only what existed by it.
    snapshot, as_at, user = app.stored, app.as_at_override, app.store.user
    indicator = ExportIndicator(f"Exporting the {title}…")
    app.screen.mount(indicator)
    app.notify(f"Exporting the {title} to {path}…", title="PDF export")

    def finished(message: str, severity: SeverityLevel) -> None:
        indicator.remove()
        app.notify(
            message,
            title="PDF export",
            severity=severity,
            timeout=10 if severity == "error" else 6,
        )

    def work() -> None:
        try:
            written = export_pdf(
                snapshot,
                kind,
                path,
                round_name=round_name,
                user=user,
                as_at=as_at,
                options=options,
                meeting=meeting,
            )
        except Exception as exc:  # any failure is reported (a bug logged); the app carries on
            from psr_tui.errorlog import one_line

            reason = one_line(exc, f"exporting the {title} to {path}")
            app.call_from_thread(finished, f"The {title} was not exported: {reason}", "error")
        else:
            app.call_from_thread(finished, f"Wrote {written.resolve()}", "information")

    app.run_worker(
        work,
        thread=True,
        exclusive=True,
        group="export",
        exit_on_error=False,
        description=f"Export {title}",
    )
