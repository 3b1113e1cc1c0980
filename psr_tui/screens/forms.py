"""Forms from a screen: write a round's forms, and import the returned ones.

Both do their file work in a thread worker (the UI stays responsive, a box in the corner
says it is working) and write to the database through the same named changes as
`psr form` and `psr import forms` (psr_tui.changes.forms), by the app's writer thread;
the returned forms go the way of every import (psr_tui.screens.importing).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.notifications import SeverityLevel
from textual.widgets import Label

from psr_tui.dialogs.forms_out import FormsOutDialog, FormsOutRequest
from psr_tui.dialogs.text_input import TextInputDialog
from psr_tui.models import slugify
from psr_tui.screens.export import ExportIndicator
from psr_tui.screens.importing import import_file
from psr_tui.widgets.text import literal

if TYPE_CHECKING:
    from psr_tui.changes.forms import FormsOut
    from psr_tui.screens.base import SectionScreen


def default_folder(round_name: str) -> str:
    return f"{slugify(round_name).replace('_', '-') or 'round'}-forms"


def send_forms(screen: SectionScreen, round_name: str) -> None:
    """Ask for the folder, then write one form per respondent and record them as sent."""

    def chosen(request: FormsOutRequest | None) -> None:
        if request is not None:
            _write_forms(screen, round_name, request)

    screen.app.push_screen(
        FormsOutDialog(f"Forms for the respondents of {round_name}", default_folder(round_name)),
        chosen,
    )


def _busy(screen: SectionScreen, message: str) -> ExportIndicator:
    indicator = ExportIndicator(message)
    screen.mount(indicator)
    return indicator


def _write_forms(screen: SectionScreen, round_name: str, request: FormsOutRequest) -> None:
    from psr_tui.changes.forms import forms_written_text, mark_forms_sent, write_forms

    app = screen.psr
    snapshot = app.snapshot
    indicator = _busy(screen, f"Writing the forms for {round_name}…")

    def finished(message: str, severity: SeverityLevel = "information") -> None:
        indicator.remove()
        app.notify(message, title="Forms", severity=severity, timeout=15)

    def record(written: FormsOut) -> None:
        wrote = forms_written_text(written)
        app.save(
            lambda tx: mark_forms_sent(tx, written),
            done=lambda _: finished(wrote[:1].upper() + wrote[1:]),
            failed=lambda error: finished(
                f"{wrote}, but 'form sent' was not recorded: {error}", "error"
            ),
        )

    def progress(done: int, total: int) -> None:
        label = f"Writing the forms for {round_name}: {done} of {total}…"
        app.call_from_thread(indicator.query_one(Label).update, literal(label))

    def work() -> None:
        try:
            written = write_forms(
                snapshot, round_name, request.folder, pdf=request.pdf, progress=progress
            )
        except Exception as exc:  # any failure is told (a bug logged); the app carries on
            from psr_tui.errorlog import one_line

            reason = one_line(exc, f"writing the forms of {round_name} to {request.folder}")
            app.call_from_thread(finished, f"No forms were recorded as sent: {reason}", "error")
            return
        app.call_from_thread(record, written)

    screen.run_worker(work, thread=True, exclusive=True, group="forms", exit_on_error=False)


def import_returns(screen: SectionScreen, round_name: str) -> None:
    """Ask for the returned forms (a folder or a file), check them all, then store them."""

    def check(text: str) -> str | None:
        path = Path(text.strip()).expanduser()
        return None if path.exists() else f"There is no file or folder {text.strip()!r}"

    def chosen(text: str | None) -> None:
        if text is not None:
            _import(screen, round_name, Path(text.strip()).expanduser())

    screen.app.push_screen(
        TextInputDialog(
            f"Import the returned forms of {round_name!r} from (a folder of .xlsx forms, or "
            "one form):",
            default_folder(round_name),
            check=check,
        ),
        chosen,
    )


def _import(screen: SectionScreen, round_name: str, path: Path) -> None:
    from psr_tui.changes.forms import apply_returns, prepare_returns

    import_file(
        screen,
        "forms",
        lambda snapshot: prepare_returns(snapshot, [path], round_name),
        apply_returns,
    )
