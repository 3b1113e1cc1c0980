"""Export a PDF from the TUI: the export dialog (file, document control, recommendations,
the register's limits), then the render in a child process with its progress, and where
it went."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
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
    from psr_tui.exports.job import ExportJob


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
        yield Label(literal(self.message), id="message")


class ExportProgress(ExportIndicator):
    """The indicator of an export running in its child process: what it is doing (the
    page being laid out), for how long, and the key that cancels it."""

    DEFAULT_CSS = """
    ExportProgress { height: 4; max-width: 80; }
    ExportProgress Vertical { width: auto; height: 2; }
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.started = time.monotonic()
        self.detail = "starting"

    def compose(self) -> ComposeResult:
        yield LoadingIndicator()
        with Vertical():
            yield Label(literal(self.message), id="message")
            yield Label(self._status(), id="status")

    def on_mount(self) -> None:
        self.set_interval(1, self._refresh_status)

    def show(self, detail: str) -> None:
        self.detail = detail
        self._refresh_status()

    def _status(self) -> Content:
        seconds = int(time.monotonic() - self.started)
        elapsed = f"{seconds // 60}:{seconds % 60:02d}"
        return literal(f"{self.detail} · {elapsed} · ctrl+x cancels")

    def _refresh_status(self) -> None:
        if self.is_mounted:
            self.query_one("#status", Label).update(self._status())


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
    """Render in a child process (psr_tui.exports.job): WeasyPrint's layout would hold this
    process's GIL for seconds and keep its memory. The corner box says how far it has got
    and for how long; ctrl+x (app.cancel_export) stops it, leaving no file behind."""
    from psr_tui.exports.job import ExportJob

    job = ExportJob(
        db=str(app.store.path),
        kind=kind,
        out=str(path),
        user=app.store.user,
        round_name=round_name,
        # The date looked back to (`t`), if any: the papers then count only what existed
        # by it. The child reads the file as stored, as `app.stored` is.
        as_at=app.as_at_override,
        options=options or PaperOptions(),
        meeting=meeting,
    )
    indicator = ExportProgress(f"Exporting the {title}…")
    app.screen.mount(indicator)
    app.notify(f"Exporting the {title} to {path}…", title="PDF export")

    def finished(message: str, severity: SeverityLevel) -> None:
        indicator.remove()
        app.call_later(app.refresh_bindings)  # the footer drops "Cancel export"
        app.notify(
            message,
            title="PDF export",
            severity=severity,
            timeout=10 if severity == "error" else 6,
        )

    async def work() -> None:
        try:
            outcome = await run_job(job, indicator.show)
        except asyncio.CancelledError:
            finished(f"The {title} export was cancelled: {path} was not written", "warning")
            raise
        if outcome.wrote is not None:
            finished(f"Wrote {outcome.wrote}", "information")
        else:
            finished(f"The {title} was not exported: {outcome.error}", "error")

    app.run_worker(
        work(),
        exclusive=True,
        group="export",
        exit_on_error=False,
        description=f"Export {title}",
    )
    app.refresh_bindings()  # the footer offers "Cancel export"


@dataclass(frozen=True)
class JobOutcome:
    wrote: str | None = None
    error: str | None = None


async def run_job(job: ExportJob, progress: Callable[[str], None]) -> JobOutcome:
    """Run `job` in its child process, telling `progress` each step it reports; cancelled,
    the child is stopped (SIGTERM: it removes its temp file) and waited for."""
    from psr_tui.exports.job import command

    child = await asyncio.create_subprocess_exec(
        *command(),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert child.stdin is not None and child.stdout is not None and child.stderr is not None
    errors = asyncio.ensure_future(child.stderr.read())
    outcome = JobOutcome()
    try:
        child.stdin.write(job.to_json().encode())
        await child.stdin.drain()
        child.stdin.close()
        async for line in child.stdout:
            message = json.loads(line)
            if "progress" in message:
                progress(str(message["progress"]))
            else:
                outcome = JobOutcome(message.get("wrote"), message.get("error"))
        await child.wait()
    except BaseException:
        if child.returncode is None:
            child.terminate()
            await child.wait()
        errors.cancel()
        raise
    said = (await errors).decode(errors="replace").strip().splitlines()
    if outcome.wrote is None and outcome.error is None:
        # The child died without a word (killed, out of memory): say what it left.
        last = said[-1] if said else f"the export process ended with code {child.returncode}"
        outcome = JobOutcome(error=last)
    return outcome
