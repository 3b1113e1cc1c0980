"""The data each PDF template shows, built from a Snapshot with `analysis` (pure, no WeasyPrint).

Everything a sentence or a figure in a report says is decided here, so it can be tested
without rendering a PDF; the templates only lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup

from psr_tui import analysis
from psr_tui.development import AreaForDevelopment, areas_for_development
from psr_tui.errors import ExportError
from psr_tui.exports.radar import radar
from psr_tui.exports.svg import Series, grouped_bars
from psr_tui.formatting import abbreviate, format_change, format_date, format_mean
from psr_tui.models import (
    Activity,
    ActivityStatus,
    ConsensusRule,
    Framework,
    RiskMatrix,
    Theme,
)
from psr_tui.store import Snapshot

KINDS = ("assessment", "risks", "programme", "pack")
TITLES = {
    "assessment": "System leadership self-assessment",
    "risks": "Risk register",
    "programme": "Programme plan",
    "pack": "Meeting pack",
}

# The print colour of each tone. Band colours are user data: only these (or a #rrggbb
# value the matrix names) reach the page's CSS.
PRINT_COLOURS = {
    analysis.Tone.GOOD: "#9fd39b",
    analysis.Tone.MILD: "#f3e27a",
    analysis.Tone.CAUTION: "#f7c86a",
    analysis.Tone.SERIOUS: "#f4a261",
    analysis.Tone.DANGER: "#e8837c",
    analysis.Tone.INFO: "#9cc3e6",
    analysis.Tone.SPECIAL: "#c7b3e5",
    analysis.Tone.NEUTRAL: "#cfcfcf",
}

THEME_KIND_HEADINGS = {
    "delivery": "",
    "supporting": "Supporting activity",
    "business case": "Outline business case",
    "recommendation": "Year One evaluation recommendations",
}


def band_colour(colour: str) -> str:
    """The print colour of a band's colour: the #rrggbb it names, or its tone's."""
    if analysis.HEX_COLOUR.fullmatch(colour.strip()):
        return colour.strip()
    return PRINT_COLOURS[analysis.colour_tone(colour)]


@dataclass(frozen=True)
class PageInfo:
    """What every page's header and footer say."""

    partnership: str
    as_at: date
    exported: date
    user: str

    @property
    def as_at_text(self) -> str:
        return format_date(self.as_at)

    @property
    def exported_text(self) -> str:
        return format_date(self.exported)


# --- Assessment ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentRow:
    name: str
    means: list[str]  # one per group, formatted
    combined: str
    level: str  # "2 Enabling"
    current: str
    progression: str
    flags: list[str]


@dataclass(frozen=True)
class AgreementCell:
    verdict: str  # "agreed", "divided", "too few"
    detail: str  # "n 4, median 1.5; 50% at it, 100% within 1"
    divided: bool


@dataclass(frozen=True)
class AgreementRow:
    name: str
    cells: list[AgreementCell]  # one per group, then everyone


@dataclass(frozen=True)
class ChangeRow:
    name: str
    before: str
    after: str
    delta: str
    arrow: str


@dataclass(frozen=True)
class AssessmentContext:
    title: str
    round: str
    round_date: str
    framework: str
    groups: list[str]
    group_headings: list[str]
    background: str
    update: str
    results: list[str]
    rows: list[AssessmentRow]
    overall_means: list[str]
    overall_combined: str
    chart: Markup
    flags: list[str]
    organisations: list[tuple[str, list[int], int]]
    group_totals: list[int]
    total: int
    previous_round: str | None
    changes: list[ChangeRow]
    next_steps: list[str]
    development: list[AreaForDevelopment] = field(default_factory=list)
    agreement: list[AgreementRow] = field(default_factory=list)
    # Radar charts: the groups' means; this round against its targets and the previous one.
    radar: Markup = field(default_factory=Markup)
    progress_radar: Markup = field(default_factory=Markup)
    progress_caption: str = ""
    method: list[str] = field(default_factory=list)  # how levels and agreement are read


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _level_text(framework: Framework, level: int | None) -> str:
    if not level:
        return "below level 1"
    return f"level {level} '{framework.level_name(level)}'"


def _pick_round(snapshot: Snapshot, round_name: str | None) -> tuple[str, Framework]:
    round_, framework = snapshot.assessment_round(round_name)
    return round_.name, framework


def _summary(snapshot: Snapshot, name: str, framework: Framework) -> analysis.AssessmentSummary:
    record = snapshot.round(name)
    assert record is not None
    responses = [r.model for r in snapshot.responses(record.model.name)]
    return analysis.summarise(framework, record.model, responses)


def assessment_context(snapshot: Snapshot, round_name: str | None = None) -> AssessmentContext:
    name, framework = _pick_round(snapshot, round_name)
    summary = _summary(snapshot, name, framework)
    round_model = snapshot.round(name).model  # type: ignore[union-attr]
    groups = summary.groups
    before = snapshot.previous_round(name)
    previous = before.model.name if before else None
    changes = analysis.compare(_summary(snapshot, previous, framework), summary) if previous else []
    progress_radar, progress_caption = _progress_radar(framework, summary, changes, previous)
    rows = [
        AssessmentRow(
            name=d.name,
            means=[format_mean(d.means[g]) for g in groups],
            combined=format_mean(d.combined),
            level=f"{d.achieved_level} {framework.level_name(d.achieved_level)}"
            if d.achieved_level
            else "-",
            current=d.current or "",
            progression=d.progression or ("Top level reached" if d.achieved_level else ""),
            flags=_domain_flags(d, framework.consensus),
        )
        for d in summary.domains
    ]
    chart = grouped_bars(
        [d.name for d in summary.domains],
        [Series(g, [d.means[g] for d in summary.domains]) for g in groups],
        top=framework.top_level,
        axis_labels=framework.levels,
    )
    organisations = [
        (org, [counts.get(g, 0) for g in groups], sum(counts.values()))
        for org, counts in summary.responses_by_organisation.items()
    ]
    return AssessmentContext(
        title=TITLES["assessment"],
        round=summary.round,
        round_date=format_date(round_model.date),
        framework=summary.framework,
        groups=groups,
        group_headings=[abbreviate(g) for g in groups],
        background=_background(framework, summary, groups),
        update=_update(summary),
        results=_results(framework, summary, changes, previous),
        rows=rows,
        overall_means=[format_mean(summary.overall_means[g]) for g in groups],
        overall_combined=format_mean(summary.overall_combined),
        chart=chart,
        flags=[
            f"{d.name}: {', '.join(_domain_flags(d, framework.consensus))}"
            for d in summary.domains
            if _domain_flags(d, framework.consensus)
        ],
        organisations=organisations,
        group_totals=[summary.responses_by_group.get(g, 0) for g in groups],
        total=len(summary.respondents),
        previous_round=previous,
        changes=[
            ChangeRow(
                c.name,
                format_mean(c.before),
                format_mean(c.after),
                format_change(c.before, c.after),
                analysis.arrow(c.delta),
            )
            for c in changes
        ],
        next_steps=_next_steps(summary, round_model.date),
        agreement=[
            AgreementRow(
                d.name,
                [
                    _agreement_cell(found, framework)
                    for found in [*(d.consensus[g] for g in groups), d.agreement]
                ],
            )
            for d in summary.domains
        ],
        method=[
            f"Level achieved = {framework.achieved_level.method}.",
            f"Agreement: {framework.consensus.method}.",
        ],
        radar=radar(
            [d.name for d in summary.domains],
            [Series(g, [d.means[g] for d in summary.domains]) for g in groups],
            top=framework.top_level,
            level_names=framework.levels,
            size=RADAR_SIZE,
        ),
        progress_radar=progress_radar,
        progress_caption=progress_caption,
        development=areas_for_development(
            snapshot,
            summary,
            round_model,
            snapshot.round(previous).model if previous else None,  # type: ignore[union-attr]
        ),
    )


RADAR_SIZE = 340


def _progress_radar(
    framework: Framework,
    summary: analysis.AssessmentSummary,
    changes: list[analysis.DomainChange],
    previous: str | None,
) -> tuple[Markup, str]:
    """This round's combined means against the targets set and the previous round's, and
    its caption: none when the round has neither."""
    series = [Series(summary.round, [d.combined for d in summary.domains])]
    against = []
    if previous:
        before = {c.key: c.before for c in changes}
        series.append(Series(previous, [before.get(d.key) for d in summary.domains]))
        against.append(f"'{previous}'")
    if any(d.target is not None for d in summary.domains):
        series.append(Series("Target", [d.target for d in summary.domains]))
        against.append("the targets")
    if not against:
        return Markup(""), ""
    chart = radar(
        [d.name for d in summary.domains],
        series,
        top=framework.top_level,
        level_names=framework.levels,
        size=RADAR_SIZE,
    )
    return chart, f"This round's means against {_join(against)}"


def _agreement_cell(found: analysis.Consensus, framework: Framework) -> AgreementCell:
    if not found.n:
        return AgreementCell("-", "", False)
    return AgreementCell(
        found.verdict.text,
        found.detail(framework.consensus.within),
        found.verdict is analysis.Verdict.DIVIDED,
    )


def _domain_flags(domain: analysis.DomainSummary, rule: ConsensusRule) -> list[str]:
    flags = []
    if domain.disagreement:
        levels = f"{rule.within} level{'s' if rule.within != 1 else ''}"
        share = domain.agreement.within or 0
        flags.append(f"ratings divided (only {share:.0%} within {levels} of the median)")
    else:
        flags += [f"the {group}'s ratings divided" for group in domain.divided_groups]
    if domain.groups_differ and domain.group_range:
        lowest, highest = domain.group_range
        flags.append(f"group means {format_change(lowest, highest, sign=False)} apart")
    if domain.unscored:
        flags.append(f"{domain.unscored} unscored")
    return flags


def _background(
    framework: Framework, summary: analysis.AssessmentSummary, groups: list[str]
) -> str:
    return (
        f"Members of {_join(['the ' + g for g in groups]) or 'the partnership'} were asked to "
        f"complete the {framework.name} self-assessment for the round '{summary.round}', "
        f"scoring each of its {len(framework.domains)} domains against "
        f"{framework.top_level} levels, from 1 '{framework.levels[0]}' to "
        f"{framework.top_level} '{framework.levels[-1]}', to establish a benchmark position."
    )


def _update(summary: analysis.AssessmentSummary) -> str:
    total = len(summary.respondents)
    if not total:
        return "No responses have been received yet."
    per_group = _join([f"{n} from the {g}" for g, n in summary.responses_by_group.items() if n])
    orgs = [o for o in summary.responses_by_organisation if o != "(no organisation)"]
    plural = "s have" if total != 1 else " has"
    text = f"{total} completed response{plural} been received ({per_group})."
    if orgs:
        text += f" Responses from {_join(orgs)} have been considered in this summary."
    if summary.incomplete:
        text += (
            f" {len(summary.incomplete)} of them did not score every domain; their unscored "
            "domains are left out of the averages."
        )
    return text


def _results(
    framework: Framework,
    summary: analysis.AssessmentSummary,
    changes: list[analysis.DomainChange],
    previous: str | None,
) -> list[str]:
    if summary.overall_combined is None:
        return ["No domain has been scored yet."]
    results = []
    by_group = _join(
        [f"{g} {format_mean(m)}" for g, m in summary.overall_means.items() if m is not None]
    )
    level = summary.overall_level
    text = (
        f"The average score across all domains was {format_mean(summary.overall_combined)}"
        f" ({by_group}), which places the current position at {_level_text(framework, level)}"
    )
    if level is not None and level < framework.top_level:
        text += f", working towards {_level_text(framework, level + 1)}"
    results.append(text + ".")
    present = {g: m for g, m in summary.overall_means.items() if m is not None}
    if len(present) >= 2:
        ordered = sorted(present.items(), key=lambda item: item[1], reverse=True)
        (high_g, high_m), (low_g, low_m) = ordered[0], ordered[-1]
        if high_m - low_m >= 0.05:
            text = (
                f"Generally the {high_g} scored more highly than the {low_g} "
                f"({format_mean(high_m)} against {format_mean(low_m)} on average)"
            )
        else:
            text = "The groups scored alike on average"
        differ = [d.name for d in summary.domains if d.groups_differ]
        if differ:
            text += f"; their means are a level or more apart for {_join(differ)}"
        results.append(text + ".")
    highest, lowest = summary.highest, summary.lowest
    if highest and lowest and highest != lowest:
        results.append(
            f"Scores are highest for {_join([d.name for d in highest])} "
            f"({format_mean(highest[0].combined)})."
        )
        results.append(
            f"Lowest scores are given for {_join([d.name for d in lowest])} "
            f"({format_mean(lowest[0].combined)})."
        )
    results += _agreement_sentences(framework, summary)
    if previous:
        results.append(_change_sentence(changes, previous))
    return results


def _agreement_sentences(framework: Framework, summary: analysis.AssessmentSummary) -> list[str]:
    """What the framework's consensus rule makes of the ratings, as seed 000 would say it."""
    rule = framework.consensus
    near = f"{rule.share_text} of the ratings lie within {rule.within} level"
    near += "s" if rule.within != 1 else ""
    divided = [d.name for d in summary.divided]
    if divided:
        return [
            f"Ratings were divided on {_join(divided)} (fewer than {near} of their median): "
            "worth discussing before agreeing the position."
        ]
    if summary.agreed and len(summary.agreed) == len(summary.scored_domains):
        return [
            "The responses suggest a fairly consistent interpretation of the current "
            f"position: in every domain at least {near} of their median."
        ]
    return []


def _change_sentence(changes: list[analysis.DomainChange], previous: str) -> str:
    befores = [c.before for c in changes if c.before is not None]
    afters = [c.after for c in changes if c.after is not None]
    before, after = analysis.mean(befores), analysis.mean(afters)
    text = (
        f"Since '{previous}' the average across domains moved from {format_mean(before)} "
        f"to {format_mean(after)}"
    )
    moved = [c for c in changes if c.delta is not None and abs(c.delta) >= 0.05]
    if moved:
        up = max(moved, key=lambda c: c.delta or 0.0)
        down = min(moved, key=lambda c: c.delta or 0.0)
        if (up.delta or 0) > 0:
            text += f"; the largest rise was {up.name} ({format_change(up.before, up.after)})"
        if (down.delta or 0) < 0:
            text += f"; the largest fall was {down.name} ({format_change(down.before, down.after)})"
    return text + "."


def _next_steps(summary: analysis.AssessmentSummary, held: date) -> list[str]:
    steps = []
    if summary.incomplete:
        names = _join([r.name for r in summary.incomplete])
        steps.append(f"Complete the unscored domains ({names}) so the summary is final.")
    steps.append(
        "Areas for development to be identified by the Executive, along with any further "
        "action for the programme office to consider."
    )
    steps.append(
        "The assessment to be undertaken again in six months (around "
        f"{analysis.add_months(held, 6):%B %Y}) with the aim of improving the current scores."
    )
    return steps


# --- Risk register -------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    score: int
    band: str
    colour: str
    count: int
    refs: list[str]


@dataclass(frozen=True)
class RiskRow:
    ref: str
    description: str
    category: str
    identified: str
    controls: str
    likelihood: str
    impact: str
    score: str
    band: str
    colour: str
    actions: str
    owner: str
    action_date: str
    status: str
    next_review: str
    overdue: bool
    review_overdue: bool
    movement: str


@dataclass(frozen=True)
class MovementRow:
    ref: str
    last_review: str
    by: str
    note: str
    movement: str
    score: str


@dataclass(frozen=True)
class RisksContext:
    title: str
    matrix_name: str
    impact: list[str]
    grid: list[tuple[str, list[MatrixCell]]]  # likelihood rows, highest first
    bands: list[tuple[str, str, int, int]]  # name, colour, open count, review months
    rows: list[RiskRow]
    overdue: list[RiskRow]
    reviews_overdue: list[RiskRow]
    movements: list[MovementRow]
    open_count: int
    closed_count: int


def _movement_text(value: int | None) -> str:
    if value is None:
        return "new"
    if value == 0:
        return "→ no change"
    return f"{'↑' if value > 0 else '↓'} {value:+d}"


def risks_context(snapshot: Snapshot, as_at: date) -> RisksContext:
    matrix = snapshot.matrix()
    if matrix is None:
        raise ExportError("no risk matrix: import one with `psr import matrix FILE`")
    facts = analysis.register_facts(matrix, snapshot.risks(), as_at)
    counts = analysis.matrix_counts(matrix, facts)
    grid = [
        (
            likelihood,
            [_cell(matrix, likelihood, impact, counts, facts) for impact in matrix.impact],
        )
        for likelihood in reversed(matrix.likelihood)
    ]
    per_band = analysis.band_counts(matrix, facts)
    rows = []
    for fact in facts:
        risk, band = fact.risk, fact.band
        rows.append(
            RiskRow(
                ref=risk.ref,
                description=risk.description,
                category=risk.category,
                identified=format_date(risk.date_identified),
                controls=risk.controls,
                likelihood=risk.likelihood,
                impact=risk.impact,
                score="-" if fact.score is None else str(fact.score),
                band=band.name if band else "",
                colour=band_colour(band.colour) if band else PRINT_COLOURS[fact.tone],
                actions=risk.actions,
                owner=risk.owner,
                action_date=format_date(risk.action_date),
                status=risk.status.value,
                next_review=format_date(fact.next_review),
                overdue=fact.overdue,
                review_overdue=fact.review_overdue,
                movement=_movement_text(fact.movement),
            )
        )
    movements = []
    for fact, row in zip(facts, rows, strict=True):
        if not fact.risk.reviews:
            continue
        latest = max(fact.risk.reviews, key=lambda r: r.date)
        movements.append(
            MovementRow(
                fact.ref,
                format_date(latest.date),
                latest.by,
                latest.note,
                row.movement,
                row.score,
            )
        )
    return RisksContext(
        title=TITLES["risks"],
        matrix_name=matrix.name,
        impact=list(matrix.impact),
        grid=grid,
        bands=[
            (b.name, band_colour(b.colour), per_band.get(b.name, 0), b.review_months)
            for b in matrix.bands
        ],
        rows=rows,
        overdue=[r for r in rows if r.overdue],
        reviews_overdue=[r for r in rows if r.review_overdue],
        movements=movements,
        open_count=sum(f.is_open for f in facts),
        closed_count=sum(not f.is_open for f in facts),
    )


def _cell(
    matrix: RiskMatrix,
    likelihood: str,
    impact: str,
    counts: dict[tuple[str, str], int],
    facts: list[analysis.RiskFacts],
) -> MatrixCell:
    score = matrix.score(likelihood, impact)
    band = matrix.band_for(score)
    refs = [f.ref for f in analysis.in_cell(facts, likelihood, impact)]
    return MatrixCell(
        score, band.name, band_colour(band.colour), counts[(likelihood, impact)], refs
    )


# --- Programme -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityItem:
    title: str
    status: str
    status_class: str
    due: str
    lead: str
    late: bool


@dataclass(frozen=True)
class ThemeRow:
    name: str
    lead: str
    workstreams: list[tuple[str, bool]]
    objectives: list[str]
    deliverables: list[tuple[str, str, str]]  # text, status, css class
    phases: list[list[ActivityItem]]  # one list per phase


@dataclass(frozen=True)
class ThemeGroup:
    heading: str
    rows: list[ThemeRow]


@dataclass(frozen=True)
class ProgressRow:
    name: str
    dates: str
    activities: int
    complete: int
    in_progress: int
    slipped: int
    blocked: int
    percent: str
    current: bool = False


@dataclass(frozen=True)
class ProgrammeContext:
    title: str
    phases: list[tuple[str, str]]  # name, "Mar-May 2016"
    groups: list[ThemeGroup]
    phase_progress: list[ProgressRow]
    theme_progress: list[ProgressRow]
    overall: ProgressRow
    current_phase: str | None
    late: list[ActivityItem] = field(default_factory=list)


def _status_class(status: ActivityStatus) -> str:
    return "status-" + status.value.replace(" ", "-")


def _date_range(start: date, end: date) -> str:
    if start.year == end.year:
        return f"{start:%b}–{end:%b %Y}"
    return f"{start:%b %Y}–{end:%b %Y}"


def _progress_row(progress: analysis.Progress, *, current: bool = False) -> ProgressRow:
    dates = _date_range(progress.start, progress.end) if progress.start and progress.end else ""
    return ProgressRow(
        progress.name,
        dates,
        progress.activities,
        progress.complete,
        progress.in_progress,
        progress.slipped,
        progress.blocked,
        format_mean(progress.percent, 0) + "%",
        current,
    )


def _activity_item(activity: Activity, as_at: date) -> ActivityItem:
    return ActivityItem(
        activity.title,
        activity.status.value,
        _status_class(activity.status),
        format_date(activity.due),
        activity.lead,
        analysis.is_late(activity, as_at),
    )


def _theme_row(
    theme: Theme, phase_names: list[str], activities: list[Activity], as_at: date
) -> ThemeRow:
    mine = [a for a in activities if a.theme == theme.name]
    return ThemeRow(
        name=theme.name,
        lead=theme.lead,
        workstreams=[(w.name, w.funded) for w in theme.workstreams],
        objectives=list(theme.objectives),
        deliverables=[
            (d.text, d.status.value, _status_class(d.status)) for d in theme.deliverables
        ],
        phases=[
            [
                _activity_item(a, as_at)
                for a in sorted(mine, key=lambda a: a.due or date.max)
                if a.phase == name
            ]
            for name in phase_names
        ],
    )


def programme_context(snapshot: Snapshot, as_at: date) -> ProgrammeContext:
    phases = [r.model for r in snapshot.phases()]
    themes = [r.model for r in snapshot.themes()]
    activities = [r.model for r in snapshot.activities()]
    names = [p.name for p in phases]
    groups = []
    for kind, heading in THEME_KIND_HEADINGS.items():
        rows = [_theme_row(t, names, activities, as_at) for t in themes if t.kind == kind]
        if rows:
            groups.append(ThemeGroup(heading, rows))
    current = analysis.current_phase(phases, as_at)
    return ProgrammeContext(
        title=TITLES["programme"],
        phases=[(p.name, _date_range(p.start, p.end)) for p in phases],
        groups=groups,
        phase_progress=[
            _progress_row(p, current=current is not None and p.name == current.name)
            for p in analysis.phase_progress(phases, activities)
        ],
        theme_progress=[_progress_row(p) for p in analysis.theme_progress(themes, activities)],
        overall=_progress_row(analysis.overall_progress(activities)),
        current_phase=current.name if current else None,
        late=[_activity_item(a, as_at) for a in analysis.slipped(activities, as_at)],
    )


# --- The whole document --------------------------------------------------------------------


@dataclass(frozen=True)
class ReportContext:
    kind: str
    title: str
    page: PageInfo
    assessment: AssessmentContext | None = None
    risks: RisksContext | None = None
    programme: ProgrammeContext | None = None
    # The pack's numbered sections in order: (number, anchor id, title).
    contents: list[tuple[int, str, str]] = field(default_factory=list)


def report_context(
    snapshot: Snapshot,
    kind: str,
    *,
    user: str,
    exported: date,
    as_at: date | None = None,
    round_name: str | None = None,
) -> ReportContext:
    """Everything the templates need for one report (or the whole pack)."""
    if kind not in KINDS:
        raise ExportError(f"unknown report {kind!r} (choose from {', '.join(KINDS)})")
    day = as_at or snapshot.as_at
    page = PageInfo(snapshot.meta.partnership, day, exported, user)
    if kind == "assessment":
        return ReportContext(
            kind, TITLES[kind], page, assessment=assessment_context(snapshot, round_name)
        )
    if kind == "risks":
        return ReportContext(kind, TITLES[kind], page, risks=risks_context(snapshot, day))
    if kind == "programme":
        return ReportContext(kind, TITLES[kind], page, programme=programme_context(snapshot, day))
    # The pack leaves out a report that has no data rather than refusing the whole pack,
    # unless the user named a round that does not exist.
    assessment = (
        assessment_context(snapshot, round_name) if round_name or snapshot.latest_round() else None
    )
    risks = risks_context(snapshot, day) if snapshot.matrix() else None
    programme = programme_context(snapshot, day) if snapshot.phases() else None
    contents: list[tuple[int, str, str]] = []
    for anchor, present in (
        ("assessment", assessment),
        ("programme", programme),
        ("risks", risks),
    ):
        if present is not None:
            contents.append((len(contents) + 1, f"section-{anchor}", TITLES[anchor]))
    return ReportContext(
        kind,
        TITLES[kind],
        page,
        assessment=assessment,
        risks=risks,
        programme=programme,
        contents=contents,
    )
