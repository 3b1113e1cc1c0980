"""Pure analysis: assessment summaries, risk scoring, programme progress.

No I/O and no Textual here: every function takes models and returns plain data, so the
screens, the CLI and the PDF exports all show the same figures.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from psr_tui.models import (
    ActionStatus,
    Activity,
    ActivityStatus,
    Band,
    DevelopmentAction,
    Framework,
    Phase,
    Response,
    Review,
    Risk,
    RiskMatrix,
    RiskStatus,
    Round,
    Theme,
)

DISAGREEMENT_LEVELS = 2
GROUP_GAP_LEVELS = 1.0

# --- Self-assessment -------------------------------------------------------------------


def mean(values: Sequence[int | float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class DomainSummary:
    key: str
    name: str
    means: dict[str, float | None]
    counts: dict[str, int]
    combined: float | None
    achieved_level: int | None
    current: str | None
    progression: str | None
    lowest_score: int | None
    highest_score: int | None
    unscored: int
    target: int | None = None

    @property
    def spread(self) -> int | None:
        if self.lowest_score is None or self.highest_score is None:
            return None
        return self.highest_score - self.lowest_score

    @property
    def disagreement(self) -> bool:
        """Respondents are 2 or more levels apart."""
        return (self.spread or 0) >= DISAGREEMENT_LEVELS

    @property
    def group_gap(self) -> float | None:
        present = [m for m in self.means.values() if m is not None]
        return max(present) - min(present) if len(present) >= 2 else None

    @property
    def groups_differ(self) -> bool:
        """The groups' means are a whole level or more apart."""
        # 8/3 - 5/3 is 0.999... in floats: without the tolerance an exact 1-level gap is missed.
        return (self.group_gap or 0) >= GROUP_GAP_LEVELS - 1e-9

    @property
    def gap_to_target(self) -> float | None:
        if self.target is None or self.combined is None:
            return None
        return self.target - self.combined


@dataclass(frozen=True)
class RespondentProgress:
    name: str
    organisation: str
    group: str
    scored: int
    total: int

    @property
    def complete(self) -> bool:
        return self.scored == self.total


@dataclass(frozen=True)
class AssessmentSummary:
    round: str
    framework: str
    groups: list[str]
    domains: list[DomainSummary]
    overall_means: dict[str, float | None]
    overall_combined: float | None
    responses_by_group: dict[str, int]
    responses_by_organisation: dict[str, dict[str, int]]
    respondents: list[RespondentProgress]

    @property
    def scored_domains(self) -> list[DomainSummary]:
        return [d for d in self.domains if d.combined is not None]

    @property
    def highest(self) -> list[DomainSummary]:
        return _extremes(self.scored_domains, highest=True)

    @property
    def lowest(self) -> list[DomainSummary]:
        return _extremes(self.scored_domains, highest=False)

    @property
    def incomplete(self) -> list[RespondentProgress]:
        return [r for r in self.respondents if not r.complete]

    @property
    def overall_level(self) -> int | None:
        return int(self.overall_combined) if self.overall_combined is not None else None

    def domain(self, key: str) -> DomainSummary | None:
        return next((d for d in self.domains if d.key == key), None)


def _extremes(domains: list[DomainSummary], *, highest: bool) -> list[DomainSummary]:
    if not domains:
        return []
    values = [d.combined for d in domains if d.combined is not None]
    best = max(values) if highest else min(values)
    return [d for d in domains if d.combined is not None and abs(d.combined - best) < 1e-9]


def round_groups(round_: Round, responses: Iterable[Response]) -> list[str]:
    """The round's groups in order, then any other group a response names."""
    groups = list(round_.groups)
    for response in responses:
        if response.group not in groups:
            groups.append(response.group)
    return groups


def summarise(
    framework: Framework, round_: Round, responses: Sequence[Response]
) -> AssessmentSummary:
    groups = round_groups(round_, responses)
    domains = [
        _summarise_domain(framework, d.key, round_, groups, responses) for d in framework.domains
    ]
    overall_means = {
        g: mean([d.means[g] for d in domains if d.means[g] is not None])
        for g in groups  # type: ignore[misc]
    }
    overall_combined = mean([d.combined for d in domains if d.combined is not None])  # type: ignore[misc]
    by_group = Counter(r.group for r in responses)
    by_org: dict[str, dict[str, int]] = {}
    for response in responses:
        org = by_org.setdefault(
            response.organisation or "(no organisation)", dict.fromkeys(groups, 0)
        )
        org[response.group] += 1
    total = len(framework.domains)
    respondents = [
        RespondentProgress(
            r.name,
            r.organisation,
            r.group,
            sum(1 for d in framework.domains if r.scores.get(d.key) is not None),
            total,
        )
        for r in responses
    ]
    return AssessmentSummary(
        round=round_.name,
        framework=framework.name,
        groups=groups,
        domains=domains,
        overall_means=overall_means,
        overall_combined=overall_combined,
        responses_by_group={g: by_group.get(g, 0) for g in groups},
        responses_by_organisation=dict(sorted(by_org.items())),
        respondents=respondents,
    )


def _summarise_domain(
    framework: Framework, key: str, round_: Round, groups: list[str], responses: Sequence[Response]
) -> DomainSummary:
    domain = framework.domain(key)
    assert domain is not None
    scores_by_group: dict[str, list[int]] = {g: [] for g in groups}
    unscored = 0
    for response in responses:
        level = response.scores.get(key)
        if level is None:
            unscored += 1
        else:
            scores_by_group[response.group].append(level)
    every = [s for scores in scores_by_group.values() for s in scores]
    # Integer floor division keeps the achieved level exact (no float rounding at x.0).
    achieved = sum(every) // len(every) if every else None
    current = domain.descriptors[achieved - 1] if achieved else None
    progression = (
        domain.descriptors[achieved]
        if achieved is not None and achieved < framework.top_level
        else None
    )
    return DomainSummary(
        key=key,
        name=domain.name,
        means={g: mean(s) for g, s in scores_by_group.items()},
        counts={g: len(s) for g, s in scores_by_group.items()},
        combined=mean(every),
        achieved_level=achieved,
        current=current,
        progression=progression,
        lowest_score=min(every) if every else None,
        highest_score=max(every) if every else None,
        unscored=unscored,
        target=round_.targets.get(key),
    )


@dataclass(frozen=True)
class DomainChange:
    key: str
    name: str
    before: float | None
    after: float | None
    before_by_group: dict[str, float | None]
    after_by_group: dict[str, float | None]

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def compare(earlier: AssessmentSummary, later: AssessmentSummary) -> list[DomainChange]:
    """Per domain of the later round, its combined and group means in both rounds."""
    changes = []
    for domain in later.domains:
        old = earlier.domain(domain.key)
        changes.append(
            DomainChange(
                key=domain.key,
                name=domain.name,
                before=old.combined if old else None,
                after=domain.combined,
                before_by_group=dict(old.means) if old else {},
                after_by_group=dict(domain.means),
            )
        )
    return changes


@dataclass(frozen=True)
class TrendRow:
    key: str
    name: str
    combined: list[float | None]  # one per round, oldest first


def trend(summaries: Sequence[AssessmentSummary]) -> list[TrendRow]:
    """A domain x round table of combined means (rounds of one framework, oldest first)."""
    if not summaries:
        return []
    rows = []
    for domain in summaries[-1].domains:
        values = []
        for summary in summaries:
            found = summary.domain(domain.key)
            values.append(found.combined if found else None)
        rows.append(TrendRow(domain.key, domain.name, values))
    return rows


def arrow(delta: float | None, tolerance: float = 0.05) -> str:
    """An arrow for a change in mean: up, down or level."""
    if delta is None:
        return " "
    if delta > tolerance:
        return "↑"
    if delta < -tolerance:
        return "↓"
    return "→"


def score_distribution(framework: Framework, responses: Sequence[Response], key: str) -> list[int]:
    """How many respondents chose each level (index 0 is level 1) for one domain."""
    counts = [0] * framework.top_level
    for response in responses:
        level = response.scores.get(key)
        if level is not None:
            counts[level - 1] += 1
    return counts


# --- Risk register ---------------------------------------------------------------------


def risk_score(matrix: RiskMatrix, risk: Risk, *, inherent: bool = False) -> int | None:
    """The score the matrix gives (residual by default). None when a label is unknown."""
    likelihood, impact = (
        (risk.inherent_likelihood, risk.inherent_impact)
        if inherent
        else (risk.likelihood, risk.impact)
    )
    if likelihood is None or impact is None:
        return None
    found_l, found_i = matrix.find_likelihood(likelihood), matrix.find_impact(impact)
    if found_l is None or found_i is None:
        return None
    return matrix.score(found_l, found_i)


def risk_band(matrix: RiskMatrix, risk: Risk, *, inherent: bool = False) -> Band | None:
    score = risk_score(matrix, risk, inherent=inherent)
    return matrix.band_for(score) if score is not None else None


def is_overdue(risk: Risk, as_at: date) -> bool:
    """An open risk whose action date has passed."""
    return (
        risk.status == RiskStatus.OPEN and risk.action_date is not None and risk.action_date < as_at
    )


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_reviewed(risk: Risk) -> date | None:
    if risk.reviews:
        return max(r.date for r in risk.reviews)
    return risk.date_identified


def next_review(matrix: RiskMatrix, risk: Risk) -> date | None:
    """Last review (or identification) plus the review interval of the risk's band."""
    band = risk_band(matrix, risk)
    start = last_reviewed(risk)
    if band is None or start is None or risk.status != RiskStatus.OPEN:
        return None
    return add_months(start, band.review_months)


def review_overdue(matrix: RiskMatrix, risk: Risk, as_at: date) -> bool:
    due = next_review(matrix, risk)
    return due is not None and due < as_at


def movement(matrix: RiskMatrix, risk: Risk) -> int | None:
    """Change of score since the last review (positive = worse). None without a review."""
    if not risk.reviews:
        return None
    latest = max(risk.reviews, key=lambda r: r.date)
    previous = [r for r in risk.reviews if r is not latest]
    current = risk_score(matrix, risk)
    if current is None:
        return None
    # When the latest review set the current score, movement is against the one before it.
    if (latest.likelihood, latest.impact) == (risk.likelihood, risk.impact) and previous:
        return current - max(previous, key=lambda r: r.date).score
    return current - latest.score


def matrix_counts(
    matrix: RiskMatrix, risks: Iterable[Risk], *, inherent: bool = False
) -> dict[tuple[str, str], int]:
    """Open risks per (likelihood, impact) cell; cells with none are present with 0."""
    counts = {(li, im): 0 for li in matrix.likelihood for im in matrix.impact}
    for risk in risks:
        if risk.status != RiskStatus.OPEN:
            continue
        likelihood, impact = (
            (risk.inherent_likelihood, risk.inherent_impact)
            if inherent
            else (risk.likelihood, risk.impact)
        )
        if likelihood is None or impact is None:
            continue
        cell = (matrix.find_likelihood(likelihood), matrix.find_impact(impact))
        if cell in counts:
            counts[cell] += 1  # type: ignore[index]
    return counts


def band_counts(matrix: RiskMatrix, risks: Iterable[Risk]) -> dict[str, int]:
    """Open risks per band, in band order."""
    counts = {band.name: 0 for band in matrix.bands}
    for risk in risks:
        band = risk_band(matrix, risk)
        if band is not None and risk.status == RiskStatus.OPEN:
            counts[band.name] += 1
    return counts


def labels_in_use(risks: Iterable[Risk]) -> tuple[set[str], set[str]]:
    """Likelihood and impact labels used by open risks (a new matrix must keep them)."""
    likelihoods: set[str] = set()
    impacts: set[str] = set()
    for risk in risks:
        if risk.status != RiskStatus.OPEN:
            continue
        likelihoods.update(x for x in (risk.likelihood, risk.inherent_likelihood) if x)
        impacts.update(x for x in (risk.impact, risk.inherent_impact) if x)
    return likelihoods, impacts


# --- Programme -------------------------------------------------------------------------


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
        return round(100 * self.complete / self.activities, 1) if self.activities else 0.0


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
    horizon = as_at + timedelta(weeks=weeks)
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
    phase = next((p for p in phases if p.name == activity.phase), None)
    return bool(phase and activity.due and not phase.start <= activity.due <= phase.end)


# --- Risk register: views and reviews --------------------------------------------------


def risk_cell(risk: Risk, *, inherent: bool = False) -> tuple[str, str] | None:
    """The (likelihood, impact) cell a risk sits in: residual, or inherent when it has one."""
    if inherent:
        if risk.inherent_likelihood is None or risk.inherent_impact is None:
            return None
        return risk.inherent_likelihood, risk.inherent_impact
    return risk.likelihood, risk.impact


def risks_in_cell(
    matrix: RiskMatrix, risks: Iterable[Risk], likelihood: str, impact: str, *, inherent: bool
) -> list[Risk]:
    """Open risks in one matrix cell (labels compared as the matrix finds them)."""
    found = []
    for risk in risks:
        cell = risk_cell(risk, inherent=inherent)
        if risk.status != RiskStatus.OPEN or cell is None:
            continue
        if (matrix.find_likelihood(cell[0]), matrix.find_impact(cell[1])) == (likelihood, impact):
            found.append(risk)
    return found


def risk_matches(risk: Risk, text: str) -> bool:
    """Whether every word of `text` appears (any case) in the risk's text fields."""
    words = text.lower().split()
    if not words:
        return True
    haystack = " ".join(
        (risk.ref, risk.description, risk.category, risk.controls, risk.actions, risk.owner)
    ).lower()
    return all(word in haystack for word in words)


def with_review(
    matrix: RiskMatrix, risk: Risk, day: date, likelihood: str, impact: str, note: str, by: str
) -> Risk:
    """The risk after a review: the reviewed likelihood/impact become current, history kept."""
    review = Review(
        date=day,
        likelihood=likelihood,
        impact=impact,
        score=matrix.score(likelihood, impact),
        note=note,
        by=by,
    )
    reviews = sorted([*risk.reviews, review], key=lambda r: r.date)
    return risk.model_copy(update={"likelihood": likelihood, "impact": impact, "reviews": reviews})


def score_history(risk: Risk) -> list[tuple[date, int]]:
    """The score at each review, oldest first."""
    return [(r.date, r.score) for r in sorted(risk.reviews, key=lambda r: r.date)]


def ref_order(ref: str) -> tuple[str, int, str]:
    """A sort key putting R2 before R10: the letters, then the number, then the rest."""
    head = ref.rstrip("0123456789")
    digits = ref[len(head) :]
    return (head.lower(), int(digits) if digits else -1, ref)


# --- Development: actions beside score changes -----------------------------------------
#
# An action "ran in the period" between an earlier round (dated a) and a later round
# (dated b) when it was not dropped and either
#   - it names the later round as its target round (it aimed at that re-assessment), or
#   - its dates touch the period: its window, from its start (else its earliest date) to
#     its completion (else its target date, else its start), overlaps a < day <= b.
# So an action completed between the rounds counts, as does one started before the
# earlier round and still running after it. An action with no dates and no target round
# cannot be placed in time and is left out.


def action_ran_between(action: DevelopmentAction, earlier: Round, later: Round) -> bool:
    if action.status == ActionStatus.DROPPED:
        return False
    if action.target_round and action.target_round.strip().lower() == later.name.lower():
        return True
    dates = [d for d in (action.start, action.target_date, action.completed) if d is not None]
    if not dates:
        return False
    begin = action.start or min(dates)
    end = action.completed or action.target_date or begin
    return begin <= later.date and end > earlier.date


@dataclass(frozen=True)
class DomainDevelopment:
    """One domain's change in score between two rounds, beside the actions that ran then."""

    change: DomainChange
    actions: list[DevelopmentAction]

    @property
    def status_counts(self) -> dict[ActionStatus, int]:
        """Actions per status, in the order of ActionStatus, leaving out zero counts."""
        counts = Counter(a.status for a in self.actions)
        return {status: counts[status] for status in ActionStatus if counts[status]}


def pair_actions(
    earlier: AssessmentSummary,
    later: AssessmentSummary,
    earlier_round: Round,
    later_round: Round,
    actions: Iterable[DevelopmentAction],
) -> list[DomainDevelopment]:
    """Per domain of the later round: the change in score and the actions that ran between."""
    ran = [
        a
        for a in actions
        if a.framework == later.framework and action_ran_between(a, earlier_round, later_round)
    ]
    return [
        DomainDevelopment(change, [a for a in ran if a.domain == change.key])
        for change in compare(earlier, later)
    ]


# --- Programme: RAG and the board -------------------------------------------------------

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
