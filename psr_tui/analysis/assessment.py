"""Assessment summaries: means per group and domain, achieved levels, changes, trends."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from psr_tui.analysis.consensus import Consensus, Verdict, consensus
from psr_tui.formatting import format_mean, plural
from psr_tui.models import (
    AchievedRule,
    ConsensusRule,
    Framework,
    Response,
    Round,
)

GROUP_GAP_LEVELS = 1.0
# A mean within this of a level (or of a half) is on it: 1.9999999 is 2.
_ON_LEVEL = 1e-9


def achieved_level(total: int | float, count: int, rule: AchievedRule, top: int) -> int | None:
    """The level `total / count` achieves by `rule` (floor: the highest level at or below
    it; nearest: a half rounds up), kept within 1..top; None without a count."""
    if count == 0:
        return None
    if isinstance(total, int):  # integer sums stay exact: no float rounding at x.0 or x.5
        level = (
            (2 * total + count) // (2 * count) if rule is AchievedRule.NEAREST else total // count
        )
    else:
        shift = 0.5 if rule is AchievedRule.NEAREST else 0.0
        level = int(total / count + shift + _ON_LEVEL)
    return max(1, min(top, level))


# A domain stands out, among the highest or the lowest, when its combined average is at
# least this far from the average across domains (seed 000's lists, on the demo round).
STANDOUT_LEVELS = 0.25
STANDOUT_RULE = (
    "a domain is named among the highest (or lowest) when its combined average is a quarter "
    "of a level or more above (or below) the average across all domains"
)


def mean(values: Sequence[int | float]) -> float | None:
    return sum(values) / len(values) if values else None


def _present(values: Iterable[float | None]) -> list[float]:
    return [v for v in values if v is not None]


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
    consensus: dict[str, Consensus]  # per group
    agreement: Consensus  # every rating
    target: int | None = None

    @property
    def scored_by(self) -> int:
        """How many respondents scored the domain (the n of its combined mean)."""
        return sum(self.counts.values())

    @property
    def disagreement(self) -> bool:
        """Every rating together is divided by the framework's consensus rule."""
        return self.agreement.verdict is Verdict.DIVIDED

    @property
    def divided_groups(self) -> list[str]:
        return [g for g, c in self.consensus.items() if c.verdict is Verdict.DIVIDED]

    @property
    def group_range(self) -> tuple[float, float] | None:
        """The lowest and highest group means, given two groups with a mean."""
        present = [m for m in self.means.values() if m is not None]
        return (min(present), max(present)) if len(present) >= 2 else None

    @property
    def group_gap(self) -> float | None:
        found = self.group_range
        return found[1] - found[0] if found else None

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
class RespondentCounts:
    """How many respondents scored every domain, some, or none."""

    total: int
    complete: int
    partial: int
    unscored: int

    @property
    def text(self) -> str:
        """ "10 respondents, all complete", or "5/10 complete, 1 partial, 4 not started"."""
        if not self.total:
            return "no respondents yet"
        if self.complete == self.total:
            return f"{plural(self.total, 'respondent')}, all complete"
        parts = [f"{self.complete}/{self.total} complete"]
        if self.partial:
            parts.append(f"{self.partial} partial")
        if self.unscored:
            parts.append(f"{self.unscored} not started")
        return ", ".join(parts)


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
    top_level: int
    achieved_rule: AchievedRule = AchievedRule.FLOOR
    consensus_rule: ConsensusRule = field(default_factory=ConsensusRule)

    @property
    def scored_domains(self) -> list[DomainSummary]:
        return [d for d in self.domains if d.combined is not None]

    @property
    def highest(self) -> list[DomainSummary]:
        """The domains that stand out above the average across domains (STANDOUT_RULE)."""
        return _standing_out(self.scored_domains, self.overall_combined, above=True)

    @property
    def lowest(self) -> list[DomainSummary]:
        """The domains that stand out below the average across domains (STANDOUT_RULE)."""
        return _standing_out(self.scored_domains, self.overall_combined, above=False)

    @property
    def incomplete(self) -> list[RespondentProgress]:
        return [r for r in self.respondents if not r.complete]

    @property
    def respondent_counts(self) -> RespondentCounts:
        return count_respondents(self.respondents)

    def partial_count(self, domain: DomainSummary, group: str) -> int | None:
        """How many of the group scored the domain, when that is not the whole group
        (None when all did): the n to show beside a mean made from fewer people."""
        scored, members = domain.counts.get(group, 0), self.responses_by_group.get(group, 0)
        return scored if scored < members else None

    @property
    def overall_level(self) -> int | None:
        if self.overall_combined is None:
            return None
        return achieved_level(self.overall_combined, 1, self.achieved_rule, self.top_level)

    @property
    def divided(self) -> list[DomainSummary]:
        """The domains whose ratings, taken together, are divided."""
        return [d for d in self.domains if d.disagreement]

    @property
    def agreed(self) -> list[DomainSummary]:
        return [d for d in self.domains if d.agreement.verdict is Verdict.AGREED]

    def domain(self, key: str) -> DomainSummary | None:
        return next((d for d in self.domains if d.key == key), None)


def _standing_out(
    domains: list[DomainSummary], average: float | None, *, above: bool
) -> list[DomainSummary]:
    """In framework order; the tolerance keeps an exact quarter (2.1375 - 1.8875) in."""
    if average is None:
        return []
    sign = 1 if above else -1
    return [
        d
        for d in domains
        if d.combined is not None and sign * (d.combined - average) >= STANDOUT_LEVELS - 1e-9
    ]


def position_text(framework: Framework, achieved: int | None) -> str:
    """The position as seed 000 words it: the level being worked towards, having achieved
    the one below ("level 2 'Enabling', having achieved level 1 'Commitment'").

    The one wording of an overall position: the PDF, Home and the summary screen use it.
    """
    if achieved is None:
        return "not yet scored"
    if achieved < 1:
        return f"level 1 '{framework.level_name(1)}', not yet achieved"
    if achieved >= framework.top_level:
        return f"level {achieved} '{framework.level_name(achieved)}' achieved, the top level"
    return (
        f"level {achieved + 1} '{framework.level_name(achieved + 1)}', "
        f"having achieved level {achieved} '{framework.level_name(achieved)}'"
    )


def headline(framework: Framework, summary: AssessmentSummary) -> str:
    """The overall result in one sentence: the average across domains, per group, and the
    position (`position_text`)."""
    if summary.overall_combined is None:
        return "No domain has been scored yet."
    by_group = ", ".join(
        f"{g} {format_mean(m)}" for g, m in summary.overall_means.items() if m is not None
    )
    return (
        f"The average score across all domains was {format_mean(summary.overall_combined)}"
        f" ({by_group}), which places the position at "
        f"{position_text(framework, summary.overall_level)}."
    )


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
    overall_means = {g: mean(_present(d.means[g] for d in domains)) for g in groups}
    overall_combined = mean(_present(d.combined for d in domains))
    by_group = Counter(r.group for r in responses)
    by_org: dict[str, dict[str, int]] = {}
    for response in responses:
        org = by_org.setdefault(
            response.organisation or "(no organisation)", dict.fromkeys(groups, 0)
        )
        org[response.group] += 1
    respondents = respondent_progress(framework, responses)
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
        top_level=framework.top_level,
        achieved_rule=framework.achieved_level,
        consensus_rule=framework.consensus,
    )


def respondent_progress(
    framework: Framework, responses: Iterable[Response]
) -> list[RespondentProgress]:
    """Each respondent with how many of the framework's domains they scored."""
    total = len(framework.domains)
    return [
        RespondentProgress(
            r.name,
            r.organisation,
            r.group,
            sum(1 for d in framework.domains if r.scores.get(d.key) is not None),
            total,
        )
        for r in responses
    ]


def count_respondents(respondents: Sequence[RespondentProgress]) -> RespondentCounts:
    complete = sum(1 for r in respondents if r.complete)
    unscored = sum(1 for r in respondents if r.scored == 0 and not r.complete)
    return RespondentCounts(
        total=len(respondents),
        complete=complete,
        partial=len(respondents) - complete - unscored,
        unscored=unscored,
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
    achieved = achieved_level(sum(every), len(every), framework.achieved_level, framework.top_level)
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
        consensus={g: consensus(s, framework.consensus) for g, s in scores_by_group.items()},
        agreement=consensus(every, framework.consensus),
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
    before_n: int = 0
    after_n: int = 0

    @property
    def n_differs(self) -> bool:
        """Scored by a different number of respondents in the two rounds: a change may
        come from who answered rather than from what they said."""
        return self.before_n != self.after_n

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
                before_n=old.scored_by if old else 0,
                after_n=domain.scored_by,
            )
        )
    return changes


@dataclass(frozen=True)
class TrendRow:
    key: str
    name: str
    combined: list[float | None]  # one per round, oldest first
    scored_by: list[int]  # the n of each of those means

    def n_changed(self, index: int) -> bool:
        """The round at `index` had a different n for this domain than the round before."""
        return index > 0 and self.scored_by[index] != self.scored_by[index - 1]


def trend(summaries: Sequence[AssessmentSummary]) -> list[TrendRow]:
    """A domain x round table of combined means (rounds of one framework, oldest first)."""
    if not summaries:
        return []
    rows = []
    for domain in summaries[-1].domains:
        values, counts = [], []
        for summary in summaries:
            found = summary.domain(domain.key)
            values.append(found.combined if found else None)
            counts.append(found.scored_by if found else 0)
        rows.append(TrendRow(domain.key, domain.name, values, counts))
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
