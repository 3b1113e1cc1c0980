"""Charts of the assessment: domain means per group, domains across rounds, score spread."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Static

from psr_tui import analysis
from psr_tui.formatting import abbreviate, plural
from psr_tui.models import Framework, Response
from psr_tui.screens.base import SectionScreen
from psr_tui.screens.summary import round_summary
from psr_tui.screens.trends import framework_summaries
from psr_tui.widgets.charts import Chart, Draw, grouped_bars, lines, series_key, stacked_bars
from psr_tui.widgets.text import literal

CHARTS = ("bars", "lines", "distribution")
LABEL_WIDTH = 22


def short(text: str, width: int = LABEL_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class AssessmentChartsScreen(SectionScreen):
    """Pushed from the Assessment screen for one round."""

    SECTION = "Assessment › Charts"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "chart('bars')", "Means", tooltip="Domain means per group", id="charts.bars"),
        Binding(
            "2", "chart('lines')", "Trend", tooltip="Each domain across rounds", id="charts.lines"
        ),
        Binding(
            "3",
            "chart('distribution')",
            "Distribution",
            tooltip="How many respondents chose each level, for one domain",
            id="charts.distribution",
        ),
        Binding("tab", "next_chart", "Next chart", tooltip="Cycle the charts", id="charts.next"),
        Binding(
            "j",
            "domain(1)",
            "Next domain",
            show=False,
            tooltip="The next domain's trend or distribution",
            id="charts.next_domain",
        ),
        Binding(
            "k",
            "domain(-1)",
            "Previous domain",
            show=False,
            tooltip="The previous domain's trend or distribution",
            id="charts.previous_domain",
        ),
    ]

    def __init__(self, round_name: str) -> None:
        super().__init__()
        self.round_name = round_name
        self.chart = "bars"
        self.domain_index = 0

    def compose_body(self) -> ComposeResult:
        yield Static("", id="chart-title", classes="panel-title")
        yield Chart(id="chart")

    def refresh_data(self) -> None:
        title, draw, key = self._build()
        line = literal(title)
        if key:
            line = Content.assemble(line, "\n", series_key(key))
        self.query_one("#chart-title", Static).update(line)
        self.query_one(Chart).show(draw)

    def _build(self) -> tuple[str, Draw, list[str]]:
        """The title, the chart, and the names of its series for the key under the title."""
        snap = self.psr.snapshot
        found = round_summary(snap, self.round_name)
        if isinstance(found, str):
            return found, lambda plt: None, []
        record, framework, summary = found
        if self.chart == "lines":
            return self._lines(framework)
        if self.chart == "distribution":
            responses = [r.model for r in snap.responses(record.model.name)]
            return self._distribution(framework, summary, responses)
        names = [short(d.name) for d in summary.domains]
        series = {
            abbreviate(g): [d.means[g] or 0.0 for d in summary.domains] for g in summary.groups
        }
        title = f"1 Means  2 Trend  3 Distribution | Domain means per group: {summary.round}"
        # The bars go along the levels, so the scale is always the framework's.
        draw = grouped_bars(names, series, ymax=framework.top_level, horizontal=True)
        return title, draw, list(series)

    def _lines(self, framework: Framework) -> tuple[str, Draw, list[str]]:
        """One domain at a time (j/k), beside the overall mean: eight lines in one chart
        could not be told apart."""
        summaries = framework_summaries(self.psr.snapshot, self.round_name)
        rounds = [short(s.round, 16) for s in summaries]
        rows = analysis.trend(summaries)
        self.domain_index %= len(rows)
        row = rows[self.domain_index]
        series = {short(row.name): row.combined, "Overall": [s.overall_combined for s in summaries]}
        title = (
            f"1 Means  2 Trend  3 Distribution | Combined mean of {row.name} across "
            f"{plural(len(rounds), 'round')} ({self.domain_index + 1}/{len(rows)}, "
            "j/k: other domains)"
        )
        if len(summaries) < 2:
            title += ": one round so far, a point and no line yet"
        return title, lines(rounds, series, ymax=framework.top_level), list(series)

    def _distribution(
        self,
        framework: Framework,
        summary: analysis.AssessmentSummary,
        responses: list[Response],
    ) -> tuple[str, Draw, list[str]]:
        self.domain_index %= len(summary.domains)
        domain = summary.domains[self.domain_index]
        levels = [f"{n} {short(name, 14)}" for n, name in enumerate(framework.levels, start=1)]
        series = {
            abbreviate(g): analysis.score_distribution(
                framework, [r for r in responses if r.group == g], domain.key
            )
            for g in summary.groups
        }
        title = (
            f"1 Means  2 Trend  3 Distribution | Respondents per level: {domain.name} "
            f"({self.domain_index + 1}/{len(summary.domains)}, j/k: other domains)"
        )
        return title, stacked_bars(levels, series), list(series)

    def action_chart(self, chart: str) -> None:
        self.chart = chart
        self.refresh_data()

    def action_next_chart(self) -> None:
        self.action_chart(CHARTS[(CHARTS.index(self.chart) + 1) % len(CHARTS)])

    def action_domain(self, step: int) -> None:
        if self.chart == "bars":
            self.chart = "distribution"
        else:
            self.domain_index += step
        self.refresh_data()
