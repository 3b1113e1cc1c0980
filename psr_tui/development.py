"""Development offers and actions: reading them from a snapshot, measures as text, JSON.

The models live in `psr_tui.models` (DevelopmentOffer, DevelopmentAction, Evidence, Measure)
and their tables ("offers", "actions") in the store's table list, so every snapshot knows
them. This module is core: no Textual, shared by the screens, the CLI and the exports.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from psr_tui import analysis
from psr_tui.formatting import abbreviate, format_date, format_mean
from psr_tui.models import (
    ActionStatus,
    DevelopmentAction,
    DevelopmentOffer,
    Domain,
    Evidence,
    Framework,
    Measure,
    Round,
)
from psr_tui.store import Record, Snapshot

MEASURE_HINT = "write a measure as: 95% agree coaching helped (n=37), the n is optional"

_MEASURE = re.compile(
    r"^\s*(?P<percent>\d+(?:\.\d+)?)\s*%\s*(?P<label>.*?)\s*(?:\(\s*n\s*=\s*(?P<n>\d+)\s*\))?\s*$",
    re.IGNORECASE,
)


def offers(snap: Snapshot) -> list[Record[DevelopmentOffer]]:
    return sorted(snap.records("offers"), key=lambda r: r.model.name.lower())


def offer(snap: Snapshot, name: str) -> Record[DevelopmentOffer] | None:
    wanted = name.strip().lower()
    return next((r for r in offers(snap) if r.model.name.lower() == wanted), None)


def actions(snap: Snapshot) -> list[Record[DevelopmentAction]]:
    """Actions in framework domain order, then by target date (undated last)."""
    order: dict[tuple[str, str], int] = {}
    for framework in snap.frameworks():
        for index, domain in enumerate(framework.model.domains):
            order[(framework.model.name, domain.key)] = index
    return sorted(
        snap.records("actions"),
        key=lambda r: (
            r.model.framework,
            order.get((r.model.framework, r.model.domain), len(order)),
            r.model.target_date is None,
            r.model.target_date,
            r.doc_id,
        ),
    )


def current_framework(snap: Snapshot, round_name: str | None = None) -> Framework | None:
    """The framework of the named round, else of the latest round, else the first one."""
    record = snap.round_or_latest(round_name)
    if record is not None:
        found = snap.framework(record.model.framework)
        if found is not None:
            return found
    frameworks = snap.frameworks()
    return frameworks[0].model if frameworks else None


def domain_of(snap: Snapshot, action: DevelopmentAction) -> Domain | None:
    framework = snap.framework(action.framework)
    return framework.domain(action.domain) if framework else None


def domain_name(snap: Snapshot, action: DevelopmentAction) -> str:
    domain = domain_of(snap, action)
    return domain.name if domain else action.domain


# --- measures as one line of text ------------------------------------------------------


def format_measure(measure: Measure) -> str:
    """'95% agree coaching helped (n=37)': the same form parse_measure reads."""
    n = f" (n={measure.n})" if measure.n is not None else ""
    return f"{format_mean(measure.percent, 1)}% {measure.label}{n}"


def parse_measure(text: str) -> Measure:
    match = _MEASURE.match(text)
    if match is None:
        raise ValueError(f"{text.strip()!r} is not a measure: {MEASURE_HINT}")
    percent = float(match.group("percent"))
    if percent > 100:
        raise ValueError(f"{percent:g}% is more than 100%")
    label = match.group("label").strip()
    if not label:
        raise ValueError(f"{text.strip()!r} has no label: {MEASURE_HINT}")
    n = int(match.group("n")) if match.group("n") else None
    if n == 0:
        raise ValueError(f"{text.strip()!r}: n must be at least 1")
    return Measure(label=label, percent=percent, n=n)


def parse_measures(text: str) -> list[Measure]:
    """One measure per non-empty line; the error names the line."""
    measures = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            measures.append(parse_measure(line))
        except ValueError as exc:
            raise ValueError(f"measure line {number}: {exc}") from None
    return measures


def evidence_summary(evidence: Evidence) -> str:
    """'12 participants, 3 sessions, 2 measures' (empty when nothing is recorded)."""
    parts = []
    if evidence.participants is not None:
        parts.append(_count(evidence.participants, "participant"))
    if evidence.sessions is not None:
        parts.append(_count(evidence.sessions, "session"))
    if evidence.measures:
        parts.append(_count(len(evidence.measures), "measure"))
    return ", ".join(parts)


def _count(value: int, noun: str) -> str:
    return f"{value} {noun}{'' if value == 1 else 's'}"


def target_text(action: DevelopmentAction) -> str:
    """'31 Jul 2016 / Re-assessment, Aug 2016', either part alone, or empty."""
    parts = [format_date(action.target_date), action.target_round]
    return " / ".join(p for p in parts if p)


# --- actions beside score changes -------------------------------------------------------

_STATUS_WORDS = {
    ActionStatus.COMPLETE: "completed",
    ActionStatus.IN_PROGRESS: "in progress",
    ActionStatus.PLANNED: "planned",
    ActionStatus.DROPPED: "dropped",
}


def framework_rounds(snap: Snapshot, framework: str) -> list[Round]:
    """The framework's rounds, oldest first."""
    return [r.model for r in snap.rounds() if r.model.framework == framework]


def default_pair(rounds: Sequence[Round]) -> tuple[Round, Round] | None:
    """The last two rounds: the usual 'what changed since last time'."""
    return (rounds[-2], rounds[-1]) if len(rounds) >= 2 else None


def development_between(
    snap: Snapshot, earlier: Round, later: Round
) -> list[analysis.DomainDevelopment]:
    """Per domain, the change between two rounds beside the actions that ran in between."""
    summaries = []
    for round_ in (earlier, later):
        framework = snap.framework(round_.framework)
        if framework is None:
            raise ValueError(f"round {round_.name!r} uses unknown framework {round_.framework!r}")
        responses = [r.model for r in snap.responses(round_.name)]
        summaries.append(analysis.summarise(framework, round_, responses))
    return analysis.pair_actions(
        summaries[0], summaries[1], earlier, later, [r.model for r in actions(snap)]
    )


def actions_text(item: analysis.DomainDevelopment) -> str:
    """'2 actions completed, 1 in progress', or 'no actions'."""
    counts = item.status_counts
    if not counts:
        return "no actions"
    shown = [(n, word) for status, word in _STATUS_WORDS.items() if (n := counts.get(status))]
    parts = [f"{n} {word}" for n, word in shown]
    first = shown[0][0]
    parts[0] = parts[0].replace(" ", f" action{'' if first == 1 else 's'} ", 1)
    return ", ".join(parts)


def describe_development(item: analysis.DomainDevelopment, groups: Sequence[str]) -> str:
    """'Workforce: Exec 1 -> 1.5, IG 2 -> 2.5; 2 actions completed'."""
    return f"{item.change.name}: {score_change_text(item.change, groups)}; {actions_text(item)}"


def score_change_text(change: analysis.DomainChange, groups: Sequence[str]) -> str:
    """'Exec 1 -> 1.5, IG 2 -> 2.25'."""
    return ", ".join(
        f"{abbreviate(g)} {format_mean(change.before_by_group.get(g))} -> "
        f"{format_mean(change.after_by_group.get(g))}"
        for g in groups
    )


# --- the report's "Areas for development" ----------------------------------------------


@dataclass(frozen=True)
class ActionLine:
    title: str
    offer: str
    owner: str
    target: str
    status: str
    evidence: str
    measures: list[str]


@dataclass(frozen=True)
class AreaForDevelopment:
    domain: str
    combined: str  # the round's combined mean
    lowest: bool
    change: str  # "Exec 1 -> 1.5, IG 2 -> 2.25" since the previous round, or ""
    actions: list[ActionLine]


def areas_for_development(
    snap: Snapshot,
    summary: analysis.AssessmentSummary,
    round_: Round,
    previous: Round | None,
) -> list[AreaForDevelopment]:
    """The round's lowest domains and every domain with actions on record (not dropped),
    in framework order, each with its actions and, given a previous round, its change."""
    on_record = [
        r.model
        for r in actions(snap)
        if r.model.framework == summary.framework and r.model.status != ActionStatus.DROPPED
    ]
    lowest = {d.key for d in summary.lowest}
    changes = (
        {item.change.key: item.change for item in development_between(snap, previous, round_)}
        if previous
        else {}
    )
    areas = []
    for domain in summary.domains:
        mine = [a for a in on_record if a.domain == domain.key]
        if domain.key not in lowest and not mine:
            continue
        change = changes.get(domain.key)
        areas.append(
            AreaForDevelopment(
                domain=domain.name,
                combined=format_mean(domain.combined),
                lowest=domain.key in lowest,
                change=score_change_text(change, summary.groups) if change else "",
                actions=[
                    ActionLine(
                        title=a.title + (f" ({a.group})" if a.group else ""),
                        offer=a.offer,
                        owner=a.owner,
                        target=target_text(a),
                        status=a.status.value,
                        evidence=evidence_summary(a.evidence),
                        measures=[format_measure(m) for m in a.evidence.measures],
                    )
                    for a in mine
                ],
            )
        )
    return areas


# --- JSON ------------------------------------------------------------------------------


def evidence_json(evidence: Evidence) -> dict[str, Any]:
    return {
        "participants": evidence.participants,
        "sessions": evidence.sessions,
        "measures": [{"label": m.label, "percent": m.percent, "n": m.n} for m in evidence.measures],
        "note": evidence.note,
    }


def action_json(snap: Snapshot, action: DevelopmentAction) -> dict[str, Any]:
    return {
        "framework": action.framework,
        "domain": {"key": action.domain, "name": domain_name(snap, action)},
        "group": action.group or None,
        "title": action.title,
        "offer": action.offer or None,
        "owner": action.owner,
        "from_round": action.from_round or None,
        "start": action.start.isoformat() if action.start else None,
        "target": {
            "date": action.target_date.isoformat() if action.target_date else None,
            "round": action.target_round or None,
        },
        "completed": action.completed.isoformat() if action.completed else None,
        "status": action.status.value,
        "evidence": evidence_json(action.evidence),
    }
