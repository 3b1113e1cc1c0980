"""Home's figures: what each dashboard panel says, worked out from a snapshot as plain
values (text, numbers, tones).

Plain so that they can be worked out in another process and handed over pickled:
`psr` forks a child that works them out while the parent imports Textual and draws its
first frame (`psr_tui.early_figures`), and Home shows them before its own reading of the
file is done. So this module imports nothing heavy until `work_out` runs: unpickling its
figures must not import pydantic or the models on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from psr_tui.tone import Tone

if TYPE_CHECKING:
    from psr_tui import analysis
    from psr_tui.analysis import RiskFacts
    from psr_tui.models import AuditEntry
    from psr_tui.store import Snapshot

DUE_SOON_WEEKS = 4
RECENT_CHANGES = 6
DUE_SOON_SHOWN = 3


@dataclass(frozen=True)
class Notice:
    """A panel with nothing to count: its lines, shown as they are."""

    lines: tuple[str, ...]


@dataclass(frozen=True)
class RoundChange:
    """How the round shown moved since the one before it of the same framework."""

    since: str  # the earlier round's name
    change: str  # "2.1 → 2.4 (+0.3)"
    arrow: str
    direction: int  # 1 rose, -1 fell, 0 level
    fell_most: tuple[str, str] | None  # the domain that fell most, and its change
    n_differs: bool  # scored by different numbers of people


@dataclass(frozen=True)
class AssessmentFigures:
    round_name: str
    respondents: str  # "10 respondents, all complete"
    complete: bool
    position: str | None  # None: no scores yet
    average: str
    lowest: str  # "" when none stands out
    change: RoundChange | None  # None: the framework's first round


@dataclass(frozen=True)
class RiskFigures:
    open: int
    total: int
    bands: tuple[tuple[str, int, Tone], ...]  # name, risks in it, tone; highest first
    actions_overdue: int
    reviews_overdue: int


@dataclass(frozen=True)
class PhaseBar:
    name: str
    percent: float


@dataclass(frozen=True)
class ProgrammeFigures:
    percent: float
    complete: int
    activities: int
    phases: tuple[PhaseBar, ...]
    due_soon: int
    late: int
    due_shown: tuple[tuple[date, str], ...]  # due date and title of the first few
    as_today: bool  # looking back: the status is as it stands today


@dataclass(frozen=True)
class ChangeLine:
    when: str  # "14:02" today, else "16 Feb"
    user: str
    done: str  # "edited"
    what: str  # the record, in words


@dataclass(frozen=True)
class HomeFigures:
    partnership: str
    assessment: AssessmentFigures | Notice
    risks: RiskFigures | Notice
    programme: ProgrammeFigures | Notice
    changes: tuple[ChangeLine, ...] | Notice


def work_out(
    snap: Snapshot,
    round_name: str | None,
    as_at: date,
    register_facts: Callable[[], Sequence[RiskFacts]],
    history: Callable[[], list[AuditEntry]],
) -> HomeFigures:
    """Every panel's figures for the data on view (`snap`), the round chosen (None: there is
    none), the as-at date, each risk's facts and the latest audit entries (a StoreError
    from `history` is shown in the changes panel, the rest still shown)."""
    from psr_tui.errors import StoreError

    try:
        changes: tuple[ChangeLine, ...] | Notice = _changes(snap, history())
    except StoreError as exc:  # the audit file cannot be read: say so, show the rest
        changes = Notice((str(exc),))
    return HomeFigures(
        partnership=snap.meta.partnership,
        assessment=_assessment(snap, round_name),
        risks=_risks(snap, register_facts),
        programme=_programme(snap, as_at),
        changes=changes,
    )


def _summary(snap: Snapshot, round_name: str) -> analysis.AssessmentSummary | None:
    from psr_tui import analysis

    record = snap.round(round_name)
    if record is None:
        return None
    framework = snap.framework(record.model.framework)
    if framework is None:
        return None
    responses = [r.model for r in snap.responses(record.model.name)]
    return analysis.summarise(framework, record.model, responses)


def _none_then(snap: Snapshot, what: str) -> Notice | None:
    from psr_tui.as_at import none_then

    then = none_then(snap, what)
    return None if then is None else Notice((then[0], f"{then[1]}.", "t sets another date."))


def _assessment(snap: Snapshot, round_name: str | None) -> AssessmentFigures | Notice:
    from psr_tui import analysis
    from psr_tui.formatting import format_change, format_mean

    record = snap.round(round_name) if round_name else None
    summary = _summary(snap, round_name) if round_name else None
    if record is None or summary is None:
        then = _none_then(snap, "rounds") if not snap.rounds() else None
        return then or Notice(("No assessment rounds yet.", "Press a to start one."))
    framework = snap.framework(record.model.framework)
    assert framework is not None
    counts = summary.respondent_counts
    level = summary.overall_level
    if level is None:
        return AssessmentFigures(
            record.model.name, counts.text, counts.complete == counts.total, None, "", "", None
        )
    earlier = [
        r
        for r in snap.rounds()
        if r.model.framework == record.model.framework and r.model.date < record.model.date
    ]
    previous = _summary(snap, earlier[-1].model.name) if earlier else None
    change = None
    if previous is not None and previous.overall_combined is not None:
        delta = summary.overall_combined - previous.overall_combined  # type: ignore[operator]
        moved = [c for c in analysis.compare(previous, summary) if c.delta is not None]
        worst = min(moved, key=lambda c: c.delta or 0.0) if moved else None
        change = RoundChange(
            since=earlier[-1].model.name,
            change=format_change(previous.overall_combined, summary.overall_combined),
            arrow=analysis.arrow(delta),
            direction=(delta > 0) - (delta < 0),
            fell_most=(
                (worst.name, format_change(worst.before, worst.after))
                if worst is not None and (worst.delta or 0) < 0
                else None
            ),
            n_differs=any(c.n_differs for c in moved),
        )
    return AssessmentFigures(
        round_name=record.model.name,
        respondents=counts.text,
        complete=counts.complete == counts.total,
        position=analysis.position_text(framework, level),
        average=format_mean(summary.overall_combined),
        lowest=", ".join(f"{d.name} {format_mean(d.combined)}" for d in summary.lowest),
        change=change,
    )


def _risks(
    snap: Snapshot, register_facts: Callable[[], Sequence[RiskFacts]]
) -> RiskFigures | Notice:
    from psr_tui import analysis

    matrix = snap.matrix()
    if matrix is None:
        return Notice(("No risk matrix yet.", "Import one with `psr import matrix FILE`."))
    facts = register_facts()
    if not facts and (then := _none_then(snap, "risks")) is not None:
        return then
    counts = analysis.band_counts(matrix, list(facts))
    return RiskFigures(
        open=sum(f.is_open for f in facts),
        total=len(facts),
        bands=tuple(
            (band.name, counts[band.name], analysis.band_tone(band))
            for band in reversed(matrix.bands)
        ),
        actions_overdue=sum(f.overdue for f in facts),
        reviews_overdue=sum(f.review_overdue for f in facts),
    )


def _programme(snap: Snapshot, as_at: date) -> ProgrammeFigures | Notice:
    from psr_tui import analysis
    from psr_tui.as_at import looked_back

    activities = [a.model for a in snap.activities()]
    if not activities:
        return Notice(("No programme activities yet.",))
    overall = analysis.overall_progress(activities)
    phases = analysis.phase_progress([p.model for p in snap.phases()], activities)
    due = analysis.due_within(activities, as_at, DUE_SOON_WEEKS)
    return ProgrammeFigures(
        percent=overall.percent,
        complete=overall.complete,
        activities=overall.activities,
        phases=tuple(PhaseBar(phase.name, phase.percent) for phase in phases),
        due_soon=len(due),
        late=len(analysis.slipped(activities, as_at)),
        due_shown=tuple((a.due, a.title) for a in due[:DUE_SOON_SHOWN] if a.due is not None),
        as_today=looked_back(snap) is not None,
    )


def _changes(snap: Snapshot, entries: list[AuditEntry]) -> tuple[ChangeLine, ...] | Notice:
    from psr_tui.audit_words import domain_names, past_tense, record_words

    if not entries:
        return Notice(("No changes recorded yet.",))
    domains = domain_names(snap)
    today = datetime.now().astimezone().date()
    lines = []
    for entry in reversed(entries):
        local = entry.at.astimezone()
        lines.append(
            ChangeLine(
                when=local.strftime("%H:%M") if local.date() == today else f"{local:%d %b}",
                user=entry.user,
                done=past_tense(entry.action),
                what=record_words(entry, domains, kind=False),
            )
        )
    return tuple(lines)
