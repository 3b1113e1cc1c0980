"""A snapshot seen as at a past date: what the screens, the CLI and the papers read when
an officer looks back (`t`, `--as-at`). The rule of what existed then is
`psr_tui.analysis.as_at`; this gives it the Snapshot's shape, so every view that reads
rounds and risks from a snapshot shows them as they stood, by the same rule.
"""

from __future__ import annotations

from datetime import date

from psr_tui.analysis.as_at import nothing_then, risks_as_at, rounds_as_at
from psr_tui.errors import NotFoundError
from psr_tui.formatting import format_date
from psr_tui.models import Framework, Record, Risk, Round
from psr_tui.store import Snapshot


class SnapshotAsAt(Snapshot):
    """`snapshot` as at `day`: rounds and risks as they stood then (see
    `analysis.as_at`), everything else as it is; `as_at` is `day`. Never written."""

    def __init__(self, snapshot: Snapshot, day: date) -> None:
        # The same file read: its data and the tables already validated are shared.
        vars(self).update(vars(snapshot))
        self.looking_back = day
        self.seen_from = snapshot
        self._rounds: list[Record[Round]] | None = None
        self._risks: list[Record[Risk]] | None = None

    @property
    def as_at(self) -> date:
        return self.looking_back

    def rounds(self) -> list[Record[Round]]:
        if self._rounds is None:
            self._rounds = rounds_as_at(self.seen_from.rounds(), self.looking_back)
        return self._rounds

    def assessment_round(self, name: str | None) -> tuple[Round, Framework]:
        try:
            return super().assessment_round(name)
        except NotFoundError:
            day = self.looking_back
            if name and self.seen_from.round(name) is not None:
                raise NotFoundError(
                    f"round {name!r} is dated after {format_date(day)}, the date looked back to"
                ) from None
            if not self.rounds():
                raise NotFoundError(" ".join(nothing_then("rounds", day))) from None
            raise

    def risks(self) -> list[Record[Risk]]:
        # The same list each time: the app's kept facts know an unchanged read by it.
        if self._risks is None:
            self._risks = risks_as_at(self.seen_from.risks(), self.looking_back)
        return self._risks


def as_at(snapshot: Snapshot, day: date | None) -> Snapshot:
    """`snapshot` as at `day` (a date looked back to), or as it is when `day` is None."""
    if day is None:
        return snapshot
    if isinstance(snapshot, SnapshotAsAt):
        snapshot = snapshot.seen_from
    return SnapshotAsAt(snapshot, day)


def looked_back(snapshot: Snapshot) -> date | None:
    """The date `snapshot` looks back to, or None when it is the data as it is."""
    return snapshot.looking_back if isinstance(snapshot, SnapshotAsAt) else None


def none_then(snapshot: Snapshot, what: str) -> tuple[str, str] | None:
    """For a view with no `what` ("rounds" or "risks") to show: the words saying none
    existed yet when `snapshot` looks back to a date ("No round was dated", "on or before
    1 Oct 2015"), else None (the view says what it says when there are none at all)."""
    day = looked_back(snapshot)
    return None if day is None else nothing_then(what, day)


def none_then_text(snapshot: Snapshot, what: str) -> str | None:
    """`none_then` in one line: "No round was dated on or before 1 Oct 2015"."""
    words = none_then(snapshot, what)
    return None if words is None else " ".join(words)
