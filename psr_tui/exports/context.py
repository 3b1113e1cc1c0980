"""The data each PDF template shows, built from a Snapshot with `analysis` (pure, no WeasyPrint).

Everything a sentence or a figure in a report says is decided here, so it can be tested
without rendering a PDF; the templates only lay it out. Each paper opens as a council
paper does: purpose, a summary written from the data, and the recommendations members are
asked to agree (defaults here, replaced by what the officer typed, `PaperOptions`).
"""

from __future__ import annotations

import colorsys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from markupsafe import Markup

from psr_tui import analysis
from psr_tui.analysis.as_at import LOOKING_BACK
from psr_tui.as_at import as_at as seen_as_at
from psr_tui.as_at import looked_back
from psr_tui.development import AreaForDevelopment, areas_for_development
from psr_tui.errors import ExportError
from psr_tui.exports.options import PaperOptions, RegisterSelection, select_register
from psr_tui.exports.radar import radar
from psr_tui.exports.svg import SERIES_COLOURS, Series, chart_description, grouped_bars
from psr_tui.formatting import abbreviate, format_change, format_date, format_mean
from psr_tui.models import (
    Activity,
    ActivityStatus,
    Band,
    ConsensusRule,
    Framework,
    Risk,
    RiskMatrix,
    Round,
    Theme,
)
from psr_tui.store import Snapshot

KINDS = ("assessment", "risks", "programme", "development", "pack")
TITLES = {
    "assessment": "System leadership self-assessment",
    "risks": "Risk register",
    "programme": "Programme plan",
    "development": "Development plan",
    "pack": "Meeting pack",
    "minutes": "Minutes",  # of one meeting (`exports.meeting_pack`)
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
# Greyscale lightness (luma, 0-1) of the lowest and the highest band's print colour: each
# band between steps evenly, so a band never prints lighter than the one below it, and
# black text keeps at least 4.5:1 contrast on the darkest.
LIGHTEST_BAND, DARKEST_BAND = 0.93, 0.60

THEME_KIND_HEADINGS = {
    "delivery": "",
    "supporting": "Supporting activity",
    "business case": "Outline business case",
    "recommendation": "Year One evaluation recommendations",
}
# A matrix cell lists this many refs, then says how many more.
CELL_REFS = 8
# A sentence names this many refs, then says how many more.
SENTENCE_REFS = 6
# The register's Overdue list names this many of each kind; the rest are marked in the register.
OVERDUE_LISTED = 12
# A risk moves to the next page whole when it does not fit, unless it is long: a text this
# long takes about a third of a landscape page, and a risk that long splits across pages
# instead (its ratings row with the first lines of its texts, the next page naming it), so
# that no page is left nearly empty before it.
LONG_TEXT = 700
LONG_RATING_TEXT = 150


def band_colour(colour: str) -> str:
    """The print colour of a band's colour: the #rrggbb it names, or its tone's."""
    if analysis.HEX_COLOUR.fullmatch(colour.strip()):
        return colour.strip()
    return PRINT_COLOURS[analysis.colour_tone(colour)]


def _luma(red: float, green: float, blue: float) -> float:
    return 0.299 * red + 0.587 * green + 0.114 * blue


def _with_luma(colour: str, target: float) -> str:
    """`colour`'s hue and saturation at the lightness whose greyscale is `target`."""
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, _, saturation = colorsys.rgb_to_hls(red, green, blue)
    low, high = 0.0, 1.0
    for _ in range(30):  # luma rises with lightness at a fixed hue and saturation
        middle = (low + high) / 2
        if _luma(*colorsys.hls_to_rgb(hue, middle, saturation)) < target:
            low = middle
        else:
            high = middle
    rgb = colorsys.hls_to_rgb(hue, (low + high) / 2, saturation)
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)


def band_print_colours(matrix: RiskMatrix) -> list[str]:
    """Each band's print colour, in band order: its own hue (`band_colour`), at a greyscale
    lightness that steps down from the lowest band to the highest."""
    count = len(matrix.bands)
    colours = []
    for position, band in enumerate(matrix.bands):
        share = position / (count - 1) if count > 1 else 0.0
        target = LIGHTEST_BAND - share * (LIGHTEST_BAND - DARKEST_BAND)
        colours.append(_with_luma(band_colour(band.colour), target))
    return colours


def _join(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _some(names: Sequence[str], limit: int = SENTENCE_REFS) -> str:
    """Names for a sentence: all of them, or the first few and how many more."""
    if len(names) <= limit:
        return _join(names)
    return ", ".join(names[:limit]) + f" and {len(names) - limit} more"


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


@dataclass(frozen=True)
class PageInfo:
    """What every page's header and footer say, and the paper's document control."""

    partnership: str
    as_at: date
    exported: date
    user: str  # the display name of the officer exporting
    status: str = "Draft"
    version: str = "1"
    classification: str = "OFFICIAL"
    # Looking back to a past date: what that date changes in the papers, and what not.
    looking_back: str = ""

    @property
    def as_at_text(self) -> str:
        return format_date(self.as_at)

    @property
    def exported_text(self) -> str:
        return format_date(self.exported)


@dataclass(frozen=True)
class Opening:
    """How each paper opens: why it is here, what it says, what members are asked to do."""

    purpose: str
    summary: list[str]
    recommendations: list[str]


def _opening(
    options: PaperOptions, paper: str, purpose: str, summary: list[str], defaults: list[str]
) -> Opening:
    chosen = options.recommendations.get(paper)
    return Opening(purpose, summary, list(chosen) if chosen else defaults)


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
    levels: list[str]
    groups: list[str]
    group_headings: list[str]
    opening: Opening
    background: str
    update: str
    results: list[str]
    method: list[str]
    rows: list[AssessmentRow]
    overall_means: list[str]
    overall_combined: str
    chart: Markup
    chart_colours: list[str]
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


@dataclass(frozen=True)
class DevelopmentContext:
    """The development plan: the areas for development of one round, as its own paper."""

    title: str
    round: str
    round_date: str
    framework: str
    opening: Opening
    previous_round: str | None
    development: list[AreaForDevelopment]


@dataclass(frozen=True)
class _Round:
    record: Round
    framework: Framework
    summary: analysis.AssessmentSummary
    previous: Round | None
    previous_summary: analysis.AssessmentSummary | None

    def areas(self, snapshot: Snapshot) -> list[AreaForDevelopment]:
        return areas_for_development(snapshot, self.summary, self.record, self.previous)


def _round(snapshot: Snapshot, round_name: str | None) -> _Round:
    round_, framework = snapshot.assessment_round(round_name)
    same = [r.model for r in snapshot.rounds() if r.model.framework == framework.name]
    index = [r.name for r in same].index(round_.name)
    previous = same[index - 1] if index > 0 else None
    return _Round(
        round_,
        framework,
        _summary(snapshot, round_, framework),
        previous,
        _summary(snapshot, previous, framework) if previous else None,
    )


def _summary(snapshot: Snapshot, round_: Round, framework: Framework) -> analysis.AssessmentSummary:
    responses = [r.model for r in snapshot.responses(round_.name)]
    return analysis.summarise(framework, round_, responses)


def assessment_context(
    snapshot: Snapshot, round_name: str | None = None, options: PaperOptions | None = None
) -> AssessmentContext:
    options = options or PaperOptions()
    chosen = _round(snapshot, round_name)
    framework, summary, round_model = chosen.framework, chosen.summary, chosen.record
    groups = summary.groups
    previous = chosen.previous.name if chosen.previous else None
    changes = analysis.compare(chosen.previous_summary, summary) if chosen.previous_summary else []
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
    categories = [d.name for d in summary.domains]
    series = [Series(g, [d.means[g] for d in summary.domains], abbreviate(g)) for g in groups]
    what = "Bar chart of the average score per domain, by group"
    organisations = [
        (org, [counts.get(g, 0) for g in groups], sum(counts.values()))
        for org, counts in summary.responses_by_organisation.items()
    ]
    return AssessmentContext(
        title=TITLES["assessment"],
        round=summary.round,
        round_date=format_date(round_model.date),
        framework=summary.framework,
        levels=list(framework.levels),
        groups=groups,
        group_headings=[abbreviate(g) for g in groups],
        opening=_assessment_opening(options, framework, summary, round_model),
        background=_background(framework, summary, groups),
        update=_update(summary),
        results=_results(framework, summary, changes, previous),
        method=_method(framework, summary),
        rows=rows,
        overall_means=[format_mean(summary.overall_means[g]) for g in groups],
        overall_combined=format_mean(summary.overall_combined),
        chart=grouped_bars(
            categories,
            series,
            top=framework.top_level,
            description=chart_description(what, categories, series, framework.top_level),
        ),
        chart_colours=_series_colours(len(groups)),
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
        radar=radar(
            [d.name for d in summary.domains],
            [Series(g, [d.means[g] for d in summary.domains]) for g in groups],
            top=framework.top_level,
            level_names=framework.levels,
            size=RADAR_SIZE,
        ),
        progress_radar=progress_radar,
        progress_caption=progress_caption,
        development=chosen.areas(snapshot),
    )


def _series_colours(count: int) -> list[str]:
    return [SERIES_COLOURS[i % len(SERIES_COLOURS)] for i in range(count)]


def _assessment_opening(
    options: PaperOptions,
    framework: Framework,
    summary: analysis.AssessmentSummary,
    round_: Round,
) -> Opening:
    groups = _join(["the " + g for g in summary.groups]) or "the partnership"
    purpose = (
        f"To report the results of the {framework.name} self-assessment completed by members "
        f"of {groups} in the round '{summary.round}' ({format_date(round_.date)}), and to "
        "agree the areas for development and the next steps."
    )
    text = [analysis.headline(framework, summary)]
    text += _standouts(summary)
    again = f"{analysis.add_months(round_.date, 6):%B %Y}"
    defaults = []
    if summary.incomplete:
        defaults.append(
            "ask the respondents who left domains unscored to complete them "
            f"({_some([r.name for r in summary.incomplete])}), so that the summary is final"
        )
    if summary.overall_combined is not None:
        defaults.append(
            "note the results of the self-assessment and the position they give: "
            f"{analysis.position_text(framework, summary.overall_level)}"
        )
    lowest = [d.name for d in summary.lowest]
    defaults.append(
        "identify the areas for development"
        + (f", starting with {_join(lowest)}," if lowest else "")
        + " and any further action for the programme office to consider"
    )
    defaults.append(f"agree that the assessment is undertaken again around {again}")
    return _opening(options, "assessment", purpose, text, defaults)


def _standouts(summary: analysis.AssessmentSummary) -> list[str]:
    """The highest and lowest domains by the stated rule, or that none stands out."""
    if summary.overall_combined is None:
        return []
    highest, lowest = summary.highest, summary.lowest
    lines = []
    if highest:
        lines.append(
            f"Scores are highest for {_join([d.name for d in highest])} "
            f"({_join([format_mean(d.combined) for d in highest])})."
        )
    if lowest:
        lines.append(
            f"Lowest scores are given for {_join([d.name for d in lowest])} "
            f"({_join([format_mean(d.combined) for d in lowest])})."
        )
    if not highest and not lowest and len(summary.scored_domains) > 1:
        lines.append(
            "No domain stands out: every domain's average is within a quarter of a level of "
            f"the average across domains ({format_mean(summary.overall_combined)})."
        )
    return lines


def _method(framework: Framework, summary: analysis.AssessmentSummary) -> list[str]:
    average = format_mean(summary.overall_combined)
    return [
        "Averages are the mean of the scores given (an unscored domain is left out), shown "
        "to two decimal places at most, rounded half up.",
        f"Level achieved = {framework.achieved_level.method}.",
        "The position is the level above the level achieved by the average across domains: "
        "the level being worked towards.",
        f"Agreement: {framework.consensus.method}.",
        f"Highest and lowest: {analysis.STANDOUT_RULE} ({average} in this round).",
    ]


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
    """Who replied, counted as everywhere else (`RespondentCounts`): a completed response
    scores every domain, so a round half filled in does not read as all received."""
    counts = summary.respondent_counts
    if not counts.total:
        return "No responses have been received yet."
    per_group = _join([f"{n} from the {g}" for g, n in summary.responses_by_group.items() if n])
    orgs = [o for o in summary.responses_by_organisation if o != "(no organisation)"]
    if counts.complete == counts.total:
        plural = "s have" if counts.total != 1 else " has"
        text = f"{counts.total} completed response{plural} been received ({per_group})."
    else:
        text = (
            f"{counts.complete} of {_count(counts.total, 'respondent')} ({per_group}) "
            f"{'has' if counts.complete == 1 else 'have'} completed the self-assessment"
        )
        if counts.partial:
            text += f"; {counts.partial} partly"
        if counts.unscored:
            text += f"; {counts.unscored} {'has' if counts.unscored == 1 else 'have'} not started"
        text += ". Unscored domains are left out of the averages."
    if orgs:
        text += f" Responses from {_join(orgs)} have been considered in this summary."
    return text


def _results(
    framework: Framework,
    summary: analysis.AssessmentSummary,
    changes: list[analysis.DomainChange],
    previous: str | None,
) -> list[str]:
    if summary.overall_combined is None:
        return ["No domain has been scored yet."]
    results = [analysis.headline(framework, summary)]
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
    results += _standouts(summary)
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
        names = _some([r.name for r in summary.incomplete])
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


def development_context(
    snapshot: Snapshot, round_name: str | None = None, options: PaperOptions | None = None
) -> DevelopmentContext:
    options = options or PaperOptions()
    chosen = _round(snapshot, round_name)
    summary = chosen.summary
    areas = chosen.areas(snapshot)
    actions = [action for area in areas for action in area.actions]
    statuses: dict[str, int] = {}
    for action in actions:
        statuses[action.status] = statuses.get(action.status, 0) + 1
    without = [area.domain for area in areas if not area.actions]
    purpose = (
        f"To set out the development actions for the {chosen.framework.name} domains that "
        f"scored lowest in '{summary.round}', and those already under way, with their progress."
    )
    text = []
    lowest = [d.name for d in summary.lowest]
    if lowest:
        text.append(f"The lowest scores in this round are for {_join(lowest)}.")
    if actions:
        by_status = _join([f"{n} {status}" for status, n in statuses.items()])
        text.append(f"{_count(len(actions), 'action')} on record ({by_status}).")
    else:
        text.append("No development action is on record yet.")
    defaults = ["note the development actions on record and their progress"]
    if without:
        defaults.append(f"agree an action, an owner and a target date for {_some(without)}")
    return DevelopmentContext(
        title=TITLES["development"],
        round=summary.round,
        round_date=format_date(chosen.record.date),
        framework=summary.framework,
        opening=_opening(options, "development", purpose, text, defaults),
        previous_round=chosen.previous.name if chosen.previous else None,
        development=areas,
    )


# --- Risk register -------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    score: int
    band: str
    colour: str
    count: int
    refs: list[str]
    more: int  # refs in the cell beyond those listed


@dataclass(frozen=True)
class BandKey:
    name: str
    colour: str
    scores: str  # "1-3"
    open_count: int
    review_months: int


@dataclass(frozen=True)
class Rating:
    """A score as printed: the number, its band's word and colour."""

    score: str
    band: str
    colour: str


@dataclass(frozen=True)
class RiskRow:
    ref: str
    description: str
    category: str
    identified: str
    controls: str
    likelihood: str
    impact: str
    rating: Rating
    inherent: Rating | None
    actions: str
    owner: str
    action_date: str
    status: str
    next_review: str
    overdue: bool
    review_overdue: bool
    movement: str
    long: bool  # may split across pages (LONG_TEXT)


@dataclass(frozen=True)
class MovementRow:
    ref: str
    change: str  # "↓ -2", "new", "closed"
    when: str
    by: str
    note: str
    score: str


@dataclass(frozen=True)
class RisksContext:
    title: str
    updated: str
    matrix_name: str
    likelihood: list[tuple[str, str]]  # label, what it means: lowest first
    impact: list[tuple[str, str]]
    grid: list[tuple[str, list[MatrixCell]]]  # likelihood rows, highest first
    bands: list[BandKey]
    opening: Opening
    scope: list[str]  # what the listing includes, and what it left out
    rows: list[RiskRow]
    has_inherent: bool
    overdue: list[RiskRow]  # the first OVERDUE_LISTED
    overdue_total: int
    reviews_overdue: list[RiskRow]
    reviews_overdue_total: int
    movements: list[MovementRow]
    unchanged: int  # listed risks reviewed with no change in score
    open_count: int
    closed_count: int


def _movement_text(value: int | None) -> str:
    if value is None:
        return "new"
    if value == 0:
        return "→ no change"
    return f"{'↑' if value > 0 else '↓'} {value:+d}"


def _meanings(labels: list[str], descriptions: list[str], axis: str) -> list[tuple[str, str]]:
    """Each label with what it means: the matrix file's words, else its place on the axis."""
    if descriptions:
        return list(zip(labels, descriptions, strict=True))
    noun = "likely" if axis == "likelihood" else "serious"
    last = len(labels) - 1
    meanings = []
    for position, label in enumerate(labels):
        if position == 0:
            meaning = f"the least {noun} of the {len(labels)} {axis} ratings"
        elif position == last:
            meaning = f"the most {noun} of the {len(labels)} {axis} ratings"
        else:
            meaning = f"more {noun} than {labels[position - 1]}, less than {labels[position + 1]}"
        meanings.append((label, meaning))
    return meanings


def _band_ranges(matrix: RiskMatrix) -> list[str]:
    lowest = min(min(row) for row in matrix.scores)
    ranges, start = [], lowest
    for band in matrix.bands:
        ranges.append(f"{start}-{band.max}" if start < band.max else str(band.max))
        start = band.max + 1
    return ranges


def _rating(score: int | None, band: Band | None, matrix: RiskMatrix, colours: list[str]) -> Rating:
    if score is None or band is None:
        return Rating("-", "not rated", PRINT_COLOURS[analysis.Tone.NEUTRAL])
    return Rating(str(score), band.name, colours[_band_position(matrix, band)])


def _band_position(matrix: RiskMatrix, band: Band) -> int:
    # By identity: `band_for` returns the matrix's own band, and model equality is slow.
    return next(i for i, candidate in enumerate(matrix.bands) if candidate is band)


def _row(fact: analysis.RiskFacts, matrix: RiskMatrix, colours: list[str]) -> RiskRow:
    risk = fact.risk
    inherent = (
        _rating(fact.inherent_score, fact.inherent_band, matrix, colours)
        if fact.inherent_score is not None
        else None
    )
    return RiskRow(
        ref=risk.ref,
        description=risk.description,
        category=risk.category,
        identified=format_date(risk.date_identified),
        controls=risk.controls,
        likelihood=risk.likelihood,
        impact=risk.impact,
        rating=_rating(fact.score, fact.band, matrix, colours),
        inherent=inherent,
        actions=risk.actions,
        owner=risk.owner,
        action_date=format_date(risk.action_date),
        status=risk.status.value,
        next_review=format_date(fact.next_review),
        overdue=fact.overdue,
        review_overdue=fact.review_overdue,
        movement=_movement_text(fact.movement),
        long=max(len(risk.description), len(risk.controls), len(risk.actions)) > LONG_TEXT
        or max(len(risk.ref), len(risk.category), len(risk.owner)) > LONG_RATING_TEXT,
    )


def _movement_row(fact: analysis.RiskFacts, row: RiskRow) -> MovementRow | None:
    """What changed for a listed risk within its review cycle, or None.

    A change is recent while the risk's next review is not yet due (the band's review
    interval from its last review, identification or closure): a risk moved at that review,
    a risk not yet reviewed since it was identified, a risk closed. A risk whose review is
    overdue is listed under Overdue instead; one reviewed without a change is counted.
    """
    risk = fact.risk
    latest = max(risk.reviews, key=lambda r: r.date) if risk.reviews else None
    if not fact.is_open:
        band = fact.band
        if latest is None or band is None:
            return None
        if analysis.add_months(latest.date, band.review_months) < fact.as_at:
            return None
        return MovementRow(
            risk.ref, "closed", format_date(latest.date), latest.by, latest.note, row.rating.score
        )
    if fact.review_overdue:
        return None
    if latest is None:
        when = format_date(risk.date_identified)
        return MovementRow(risk.ref, "new", when, "", "identified", row.rating.score)
    if not fact.movement:
        return None
    return MovementRow(
        risk.ref, row.movement, format_date(latest.date), latest.by, latest.note, row.rating.score
    )


def _unchanged(fact: analysis.RiskFacts) -> bool:
    """Reviewed within its cycle, and the score stayed where it was."""
    return (
        fact.is_open and bool(fact.risk.reviews) and not fact.review_overdue and not fact.movement
    )


def _scope(selection: RegisterSelection) -> list[str]:
    listed, total = len(selection.listed), selection.total
    order = "highest score first" if selection.by_score else "in reference order"
    if not selection.rules:
        return [f"Lists every risk on the register: {_count(total, 'risk')}, {order}."]
    lines = [f"Lists {listed} of {_count(total, 'risk')} ({'; '.join(selection.rules)}), {order}."]
    if selection.left_out:
        reasons = _join([f"{n} {why}" for why, n in selection.left_out.items()])
        lines.append(f"Left out: {total - listed} ({reasons}).")
    lines.append("The matrix and the band counts cover every open risk.")
    return lines


def _risks_opening(
    options: PaperOptions,
    as_at: date,
    facts: list[analysis.RiskFacts],
    per_band: dict[str, int],
    movements: list[MovementRow],
) -> Opening:
    purpose = (
        f"To present the partnership's risk register as at {format_date(as_at)}: the matrix of "
        "open risks, each risk with its controls and actions, and what moved since the last "
        "review."
    )
    open_facts = [f for f in facts if f.is_open]
    closed = len(facts) - len(open_facts)
    bands = _join([f"{n} {name}" for name, n in reversed(per_band.items()) if n])
    text = [
        f"{_count(len(open_facts), 'open risk')}"
        + (f" ({bands})" if bands else "")
        + (f"; {closed} closed" if closed else "")
        + "."
    ]
    overdue = [f.ref for f in open_facts if f.overdue]
    reviews = [f.ref for f in open_facts if f.review_overdue]
    if overdue:
        text.append(
            f"{_count(len(overdue), 'risk has', 'risks have')} an action date that has "
            f"passed ({_some(overdue)})."
        )
    if reviews:
        text.append(
            f"{_count(len(reviews), 'review is', 'reviews are')} overdue ({_some(reviews)})."
        )
    moved = _movement_summary(movements)
    if moved:
        text.append(moved)
    defaults = ["note the risk register and the movement since the last review"]
    if overdue:
        defaults.append(
            f"agree the action on the risks whose action date has passed ({_some(overdue)})"
        )
    if reviews:
        defaults.append(f"ask the owners of {_some(reviews)} to review them")
    return _opening(options, "risks", purpose, text, defaults)


def _movement_summary(movements: list[MovementRow]) -> str:
    kinds: dict[str, list[str]] = {"up": [], "down": [], "new": [], "closed": []}
    for row in movements:
        key = (
            "up"
            if row.change.startswith("↑")
            else "down"
            if row.change.startswith("↓")
            else row.change
        )
        kinds.setdefault(key, []).append(row.ref)
    parts = [
        f"{_count(len(refs), 'risk')} {label} ({_some(refs)})"
        for key, label in (
            ("up", "moved up"),
            ("down", "moved down"),
            ("new", "new"),
            ("closed", "closed"),
        )
        if (refs := kinds[key])
    ]
    return f"Since their last reviews: {_join(parts)}." if parts else ""


def risks_context(
    snapshot: Snapshot, as_at: date, options: PaperOptions | None = None
) -> RisksContext:
    options = options or PaperOptions()
    matrix = snapshot.matrix()
    if matrix is None:
        raise ExportError("no risk matrix: import one with `psr import matrix FILE`")
    risks: list[Risk] = [r.model for r in snapshot.risks()]
    facts = analysis.register_facts(matrix, risks, as_at)
    selection = select_register(matrix, facts, options.limits)
    colours = band_print_colours(matrix)
    counts = analysis.matrix_counts(matrix, facts)
    grid = [
        (
            likelihood,
            [_cell(matrix, likelihood, impact, counts, facts, colours) for impact in matrix.impact],
        )
        for likelihood in reversed(matrix.likelihood)
    ]
    per_band = analysis.band_counts(matrix, facts)
    rows = [_row(fact, matrix, colours) for fact in selection.listed]
    movements = [
        found
        for fact, row in zip(selection.listed, rows, strict=True)
        if (found := _movement_row(fact, row)) is not None
    ]
    updated = analysis.register_updated(risks, as_at, matrix)
    overdue = [r for r in rows if r.overdue]
    reviews = [r for r in rows if r.review_overdue]
    return RisksContext(
        title=TITLES["risks"],
        updated=format_date(updated) if updated else "not yet",
        matrix_name=matrix.name,
        likelihood=_meanings(matrix.likelihood, matrix.likelihood_descriptions, "likelihood"),
        impact=_meanings(matrix.impact, matrix.impact_descriptions, "impact"),
        grid=grid,
        bands=[
            BandKey(b.name, colours[i], scores, per_band.get(b.name, 0), b.review_months)
            for i, (b, scores) in enumerate(zip(matrix.bands, _band_ranges(matrix), strict=True))
        ],
        opening=_risks_opening(options, as_at, facts, per_band, movements),
        scope=_scope(selection),
        rows=rows,
        has_inherent=any(row.inherent is not None for row in rows),
        overdue=overdue[:OVERDUE_LISTED],
        overdue_total=len(overdue),
        reviews_overdue=reviews[:OVERDUE_LISTED],
        reviews_overdue_total=len(reviews),
        movements=movements,
        unchanged=sum(1 for fact in selection.listed if _unchanged(fact)),
        open_count=sum(f.is_open for f in facts),
        closed_count=sum(not f.is_open for f in facts),
    )


def _cell(
    matrix: RiskMatrix,
    likelihood: str,
    impact: str,
    counts: dict[tuple[str, str], int],
    facts: list[analysis.RiskFacts],
    colours: list[str],
) -> MatrixCell:
    score = matrix.score(likelihood, impact)
    band = matrix.band_for(score)
    refs = [f.ref for f in analysis.in_cell(facts, likelihood, impact)]
    return MatrixCell(
        score,
        band.name,
        colours[_band_position(matrix, band)],
        counts[(likelihood, impact)],
        refs[:CELL_REFS],
        max(len(refs) - CELL_REFS, 0),
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
    opening: Opening
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


def _programme_opening(
    options: PaperOptions,
    as_at: date,
    overall: analysis.Progress,
    current: tuple[str, analysis.Progress] | None,
    late: list[ActivityItem],
) -> Opening:
    purpose = (
        f"To update members on progress against the programme plan as at {format_date(as_at)}"
        + (f", in {current[0]}" if current else "")
        + "."
    )
    text = [
        f"{format_mean(overall.percent, 0)}% of the programme's "
        f"{_count(overall.activities, 'activity', 'activities')} are complete "
        f"({overall.complete}); {overall.in_progress} in progress, {overall.slipped} slipped "
        f"and {overall.blocked} blocked."
    ]
    if current:
        name, progress = current
        text.append(
            f"{name}, the current phase: {format_mean(progress.percent, 0)}% of its "
            f"{_count(progress.activities, 'activity', 'activities')} complete."
        )
    if late:
        text.append(
            f"{_count(len(late), 'activity is', 'activities are')} slipped or past their due "
            "date and not complete (listed below)."
        )
    defaults = ["note progress against the programme plan"]
    if late:
        defaults.append(
            f"agree the action on the {_count(len(late), 'activity', 'activities')} that "
            "slipped or are late"
        )
    return _opening(options, "programme", purpose, text, defaults)


def programme_context(
    snapshot: Snapshot, as_at: date, options: PaperOptions | None = None
) -> ProgrammeContext:
    options = options or PaperOptions()
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
    by_phase = analysis.phase_progress(phases, activities)
    overall = analysis.overall_progress(activities)
    late = [_activity_item(a, as_at) for a in analysis.slipped(activities, as_at)]
    current_progress = next(
        ((p.name, p) for p in by_phase if current is not None and p.name == current.name), None
    )
    return ProgrammeContext(
        title=TITLES["programme"],
        opening=_programme_opening(options, as_at, overall, current_progress, late),
        phases=[(p.name, _date_range(p.start, p.end)) for p in phases],
        groups=groups,
        phase_progress=[
            _progress_row(p, current=current is not None and p.name == current.name)
            for p in by_phase
        ],
        theme_progress=[_progress_row(p) for p in analysis.theme_progress(themes, activities)],
        overall=_progress_row(overall),
        current_phase=current.name if current else None,
        late=late,
    )


# --- The whole document --------------------------------------------------------------------

PaperContext = AssessmentContext | DevelopmentContext | RisksContext | ProgrammeContext
# The template that lays out each paper; it reads the paper's context as `s`.
PAPER_TEMPLATES = {
    "assessment": "_assessment.html",
    "development": "_development.html",
    "risks": "_risks.html",
    "programme": "_programme.html",
}
# The papers of the standard pack, in agenda order (seed 001).
PACK_PAPERS = ("assessment", "programme", "risks")


@dataclass(frozen=True)
class Section:
    """One part of a document, laid out by `template` (which reads `data` as `s`).

    A paper exported alone is one section without a number. In a pack every section is
    numbered and the cover prints its real first and last page, from the same layout:
    `anchor` is where it starts, `end_anchor` where it ends (`render_paper` returns both
    pages too). A meeting pack builds its own list (agenda items, minutes, the papers in
    agenda order) of sections like these, each with a template of its own.
    """

    kind: str
    title: str
    template: str
    data: object
    number: int | str | None = None  # 3, or an agenda item's "5a"
    key: str = ""  # unique in the document when a kind comes twice; the kind otherwise

    @property
    def anchor(self) -> str:
        return f"section-{self.key or self.kind}"

    @property
    def end_anchor(self) -> str:
        return f"{self.anchor}-end"


@dataclass(frozen=True)
class ReportContext:
    kind: str
    title: str
    document_title: str  # the PDF's title: the partnership and the report
    page: PageInfo
    sections: list[Section] = field(default_factory=list)
    # A pack opens with a cover listing its sections and their pages (`cover_template`).
    cover: bool = False
    cover_template: str = "_cover.html"

    def paper(self, kind: str) -> PaperContext | None:
        """The context of the first paper of `kind` in the document, if it has one."""
        found = next((s.data for s in self.sections if s.kind == kind), None)
        return found if isinstance(found, PaperContext) else None


def paper_context(
    snapshot: Snapshot,
    kind: str,
    *,
    as_at: date,
    round_name: str | None = None,
    options: PaperOptions | None = None,
) -> PaperContext:
    """What one paper (assessment, development, risks, programme) shows."""
    options = options or PaperOptions()
    if kind == "assessment":
        return assessment_context(snapshot, round_name, options)
    if kind == "development":
        return development_context(snapshot, round_name, options)
    if kind == "risks":
        return risks_context(snapshot, as_at, options)
    if kind == "programme":
        return programme_context(snapshot, as_at, options)
    raise ExportError(f"unknown paper {kind!r} (choose from {', '.join(PAPER_TEMPLATES)})")


def paper_section(
    snapshot: Snapshot,
    kind: str,
    *,
    as_at: date,
    round_name: str | None = None,
    options: PaperOptions | None = None,
    number: int | str | None = None,
    key: str = "",
) -> Section:
    """One paper as a section of a document (numbered when it is part of a pack)."""
    data = paper_context(snapshot, kind, as_at=as_at, round_name=round_name, options=options)
    return Section(kind, TITLES[kind], PAPER_TEMPLATES[kind], data, number, key)


def pack_papers(snapshot: Snapshot, round_name: str | None) -> list[str]:
    """The standard pack's papers that have data, in agenda order: a paper without data is
    left out rather than refusing the whole pack, unless the user named a round."""
    present = {
        "assessment": bool(round_name or snapshot.latest_round()),
        "programme": bool(snapshot.phases()),
        "risks": snapshot.matrix() is not None,
    }
    return [kind for kind in PACK_PAPERS if present[kind]]


def report_context(
    snapshot: Snapshot,
    kind: str,
    *,
    user: str,
    exported: date,
    as_at: date | None = None,
    round_name: str | None = None,
    options: PaperOptions | None = None,
) -> ReportContext:
    """Everything the templates need for one report (or the whole pack).

    `user` is the login exporting: the papers name them by the team list's display name.
    """
    if kind not in KINDS:
        raise ExportError(f"unknown report {kind!r} (choose from {', '.join(KINDS)})")
    options = options or PaperOptions()
    # A date given is one looked back to: the papers count only what existed then.
    snapshot = seen_as_at(snapshot, as_at)
    day = snapshot.as_at
    title = TITLES[kind]
    document_title = f"{snapshot.meta.partnership}: {title}" + (
        f", {day.day} {day:%B %Y}" if kind == "pack" else ""
    )
    base = ReportContext(
        kind, title, document_title, page_info(snapshot, user, exported, day, options)
    )
    papers = pack_papers(snapshot, round_name) if kind == "pack" else [kind]
    sections = [
        paper_section(
            snapshot,
            paper,
            as_at=day,
            round_name=round_name,
            options=options,
            number=number if kind == "pack" else None,
        )
        for number, paper in enumerate(papers, start=1)
    ]
    return replace(base, sections=sections, cover=kind == "pack")


def page_info(
    snapshot: Snapshot, user: str, exported: date, as_at: date, options: PaperOptions
) -> PageInfo:
    """What every page of an export says: the partnership, the as-at date, who exported it
    (by the team list's display name) and the document control."""
    control = options.control
    return PageInfo(
        snapshot.meta.partnership,
        as_at,
        exported,
        snapshot.meta.display_name(user),
        control.status,
        control.version,
        control.classification,
        LOOKING_BACK if looked_back(snapshot) is not None else "",
    )


def default_recommendations(
    snapshot: Snapshot, kind: str, *, as_at: date | None = None, round_name: str | None = None
) -> dict[str, list[str]]:
    """What each paper of an export asks members to do unless the officer says otherwise,
    by paper, in the order the export prints them (for the export dialog to offer)."""
    context = report_context(
        snapshot, kind, user="", exported=date.today(), as_at=as_at, round_name=round_name
    )
    found: dict[str, list[str]] = {}
    for section in context.sections:
        if isinstance(section.data, PaperContext):
            found.setdefault(section.kind, list(section.data.opening.recommendations))
    return found
