"""Moving an audit trail back in time, for tests of what changed between two meetings."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from psr_tui.store.audit import audit_path


def backdate_audit(db: Path, day: date) -> None:
    """Every change recorded so far, as if made at noon on `day`."""
    log = audit_path(db)
    at = f"{day}T12:00:00Z"
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    log.write_text("".join(json.dumps({**e, "at": at}) + "\n" for e in entries))
