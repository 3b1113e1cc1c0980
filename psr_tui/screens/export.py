"""Export a PDF from the TUI: ask for the file, render in a thread worker, say where it went."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.notifications import SeverityLevel
from textual.widgets import Label, LoadingIndicator

from psr_tui.dialogs.confirm import ConfirmDialog
from psr_tui.dialogs.text_input import TextInputDialog
from psr_tui.exports.context import TITLES
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


def start_export(app: PsrApp, kind: str, *, round_name: str | None = None) -> None:
    """Ask where to write the `kind` report, then render it in a worker."""
    from psr_tui.exports.pdf import default_filename

    title = TITLES[kind]

    def chosen(text: str | None) -> None:
        if text is None:
            return
        path = Path(text.strip()).expanduser()
        if path.exists():
            app.push_screen(
                ConfirmDialog(f"{path} exists. Replace it?", "Replace"),
                lambda yes: _run_export(app, kind, path, title, round_name) if yes else None,
            )
        else:
            _run_export(app, kind, path, title, round_name)

    app.push_screen(
        TextInputDialog(
            f"Export the {title.lower()} as PDF to:",
            f"./{default_filename(app.snapshot, kind, app.as_at)}",
            check=check_pdf_path,
        ),
        chosen,
    )


def _run_export(app: PsrApp, kind: str, path: Path, title: str, round_name: str | None) -> None:
    from psr_tui.exports.pdf import export_pdf

    snapshot, as_at, user = app.snapshot, app.as_at, app.store.user
    indicator = ExportIndicator(f"Exporting the {title.lower()}…")
    app.screen.mount(indicator)
    app.notify(f"Exporting the {title.lower()} to {path}…", title="PDF export")

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
                snapshot, kind, path, round_name=round_name, user=user, as_at=as_at
            )
        except Exception as exc:  # any failure is reported (a bug logged); the app carries on
            from psr_tui.errorlog import one_line

            reason = one_line(exc, f"exporting the {title.lower()} to {path}")
            app.call_from_thread(
                finished, f"The {title.lower()} was not exported: {reason}", "error"
            )
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
