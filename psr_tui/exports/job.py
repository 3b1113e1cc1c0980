"""A PDF export run in a process of its own: `python -m psr_tui.exports.job`.

WeasyPrint's layout holds the GIL for seconds at a time and grows its process by hundreds
of MiB; run inside the TUI it froze the screen (a 1,000-risk register made the filter key's
p95 257 ms, with a 1.45 s stall) and kept the memory after. In a child process the TUI
stays responsive, a cancelled export is a stopped process, and the memory goes back to the
system when it exits.

The parent writes one `ExportJob` as JSON on the child's stdin (no shell, no argument to
quote: the database path travels as it is). The child reads the database itself, renders
through `export_pdf`, the function `psr export` calls, and answers with JSON lines on its
stdout: `{"progress": TEXT}` as it goes, then `{"wrote": PATH}` or `{"error": TEXT}` (one
line naming the problem; an unexpected error goes to errors.log, as everywhere). SIGTERM
stops it cleanly: the temp file beside the target is removed and the target is untouched.
"""

from __future__ import annotations

import json
import signal
import sys
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from types import FrameType
from typing import Any

from psr_tui.exports.options import DocumentControl, PaperOptions, RegisterLimits
from psr_tui.own_python import module_command


@dataclass(frozen=True)
class ExportJob:
    """One PDF export, as the child process is asked to do it."""

    db: str
    kind: str
    out: str
    user: str
    round_name: str | None = None
    as_at: date | None = None
    options: PaperOptions = field(default_factory=PaperOptions)
    meeting: str | None = None  # a meeting's key: its pack or minutes

    def to_json(self) -> str:
        fields = asdict(self)
        fields["as_at"] = self.as_at.isoformat() if self.as_at else None
        return json.dumps(fields)

    @classmethod
    def from_json(cls, text: str) -> ExportJob:
        fields: dict[str, Any] = json.loads(text)
        options = fields.pop("options")
        as_at = fields.pop("as_at")
        return cls(
            **fields,
            as_at=date.fromisoformat(as_at) if as_at else None,
            options=PaperOptions(
                control=DocumentControl(**options["control"]),
                limits=RegisterLimits(**options["limits"]),
                recommendations=options["recommendations"],
            ),
        )


def command() -> list[str]:
    """The child's command line: this interpreter running this module."""
    return module_command(__name__)


def _say(**message: str) -> None:
    print(json.dumps(message), flush=True)


def _stop(signum: int, frame: FrameType | None) -> None:
    # Unwinds through atomic_write, which removes its temp file: no half-written PDF.
    raise SystemExit(128 + signum)


def run(job: ExportJob) -> int:
    from psr_tui.errorlog import one_line
    from psr_tui.exports.pdf import export_pdf
    from psr_tui.store import Store

    title = job.kind
    try:
        from psr_tui.exports.context import TITLES

        title = TITLES[job.kind].lower()
        _say(progress=f"reading {job.db}")
        written = export_pdf(
            Store(Path(job.db), user=job.user).snapshot(),
            job.kind,
            Path(job.out),
            round_name=job.round_name,
            user=job.user,
            as_at=job.as_at,
            options=job.options,
            meeting=job.meeting,
            progress=lambda text: _say(progress=text),
        )
    except Exception as exc:  # told in one line; a bug is logged
        _say(error=one_line(exc, f"exporting the {title} to {job.out}"))
        return 1
    _say(wrote=str(written.resolve()))
    return 0


def main() -> int:
    signal.signal(signal.SIGTERM, _stop)
    return run(ExportJob.from_json(sys.stdin.read()))


if __name__ == "__main__":
    sys.exit(main())
