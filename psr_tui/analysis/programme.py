"""Programme progress per theme and phase, lateness, RAG."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from psr_tui.formatting import days_after, format_period, rounded
from psr_tui.models import (
    Activity,
    ActivityStatus,
    Phase,
    Theme,
)


@dataclass(frozen=True)
class Progress:
    name: str
    activities: int
    complete: int
    slipped: int
    blocked: int
    in_progress: int
    start: date | None = None
    end: date | None = None

    @property
    def percent(self) -> float:
        return float(rounded(100 * self.complete / self.activities, 1)) if self.activities else 0.0


def _progress(name: str, activities: Sequence[Activity], **dates: date | None) -> Progress:
    statuses = Counter(a.status for a in activities)
    return Progress(
        name=name,
        activities=len(activities),
        complete=statuses[ActivityStatus.COMPLETE],
        slipped=statuses[ActivityStatus.SLIPPED],
        blocked=statuses[ActivityStatus.BLOCKED],
        in_progress=statuses[ActivityStatus.IN_PROGRESS],
        **dates,
    )


def theme_progress(themes: Sequence[Theme], activities: Sequence[Activity]) -> list[Progress]:
    return [_progress(t.name, [a for a in activities if a.theme == t.name]) for t in themes]


def phase_progress(phases: Sequence[Phase], activities: Sequence[Activity]) -> list[Progress]:
    return [
        _progress(p.name, [a for a in activities if a.phase == p.name], start=p.start, end=p.end)
        for p in phases
    ]


def overall_progress(activities: Sequence[Activity]) -> Progress:
    return _progress("Programme", activities)


def is_late(activity: Activity, as_at: date) -> bool:
    """Due before the as-at date and not complete."""
    return (
        activity.due is not None
        and activity.due < as_at
        and activity.status != ActivityStatus.COMPLETE
    )


def due_within(activities: Iterable[Activity], as_at: date, weeks: int) -> list[Activity]:
    """Unfinished activities due from the as-at date up to `weeks` ahead, soonest first."""
    horizon = days_after(as_at, 7 * weeks)
    found = [
        a
        for a in activities
        if a.due is not None and as_at <= a.due <= horizon and a.status != ActivityStatus.COMPLETE
    ]
    return sorted(found, key=lambda a: a.due or as_at)


def slipped(activities: Iterable[Activity], as_at: date) -> list[Activity]:
    """Activities marked slipped or late against their due date."""
    return [a for a in activities if a.status == ActivityStatus.SLIPPED or is_late(a, as_at)]


def current_phase(phases: Sequence[Phase], as_at: date) -> Phase | None:
    return next((p for p in phases if p.start <= as_at <= p.end), None)


def due_outside_phase(activity: Activity, phases: Sequence[Phase]) -> bool:
    """A due date outside its phase's dates: worth a warning, not a refusal."""
    return activity.outside_phase_warning(phases) is not None


def outside_phase_warning(activity: Activity, phases: Sequence[Phase]) -> str | None:
    """'due 15 Jul 2016 is outside Phase 1 (1 Mar–31 May 2016)', or None (the model's rule,
    which `psr check` lists too)."""
    return activity.outside_phase_warning(phases)


def phase_dates(phase: Phase) -> str:
    """'1 Mar–31 May 2016', the year once when both ends share it."""
    return format_period(phase.start, phase.end)


RAG_SOON_WEEKS = 2


def rag(activities: Iterable[Activity], as_at: date, soon_weeks: int = RAG_SOON_WEEKS) -> str:
    """'red' if any activity is blocked or late, 'amber' if any slipped or unfinished and due
    within `soon_weeks`, else 'green' (also for no activities)."""
    items = list(activities)
    if any(a.status == ActivityStatus.BLOCKED or is_late(a, as_at) for a in items):
        return "red"
    if any(a.status == ActivityStatus.SLIPPED for a in items) or due_within(
        items, as_at, soon_weeks
    ):
        return "amber"
    return "green"


def activity_leads(activities: Iterable[Activity]) -> list[str]:
    """The distinct leads named by activities, sorted (no blank lead)."""
    return sorted({a.lead for a in activities if a.lead}, key=str.lower)
