"""The summary of one assessment round: seed 000's table and what the seed left out.

The table shows each domain's mean per group, the combined mean and the achieved level
(by the framework's rule), whether the ratings agree (by the framework's consensus rule),
flags for divided ratings and for groups a level apart, and an optional target. The long
current/progression texts of the selected domain are shown in full beside it, with the
round's highest/lowest domains, who responded and what is missing.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Label, Static

from psr_tui import analysis
from psr_tui.as_at import looked_back
from psr_tui.changes import assessment as changes
from psr_tui.dialogs.pick import PickDialog, round_choices
from psr_tui.dialogs.text_input import TextInputDialog
from psr_tui.formatting import abbreviate, format_change, format_date, format_mean, mean_with_n
from psr_tui.models import Framework, Round
from psr_tui.screens.base import SectionScreen
from psr_tui.store import Record, Snapshot, StoreError
from psr_tui.widgets.text import literal, literal_text

OVERALL = "__overall__"
TEXT_COLUMN_WIDTH = 28


def round_summary(
    snap: Snapshot, round_name: str
) -> tuple[Record[Round], Framework, analysis.AssessmentSummary] | str:
    """The round, its framework and summary; or a sentence saying why there is none."""
    record = snap.round(round_name)
    if record is None:
        day = looked_back(snap)
        if day is not None:
            return (
                f"Round {round_name!r} is dated after {format_date(day)}: t sets another "
                "date, r picks another round."
            )
        return (
            f"There is no round named {round_name!r} (it may have been deleted): r picks another."
        )
    framework = snap.framework(record.model.framework)
    if framework is None:
        name, missing = record.model.name, record.model.framework
        return f"Round {name!r} uses framework {missing!r}, which is missing."
    responses = [r.model for r in snap.responses(record.model.name)]
    return record, framework, analysis.summarise(framework, record.model, responses)


def level_text(framework: Framework, level: int | None) -> str:
    return f"{level} {framework.level_name(level)}" if level else "-"


def gap_text(domain: analysis.DomainSummary) -> str:
    gap = domain.gap_to_target
    if gap is None:
        return "-"
    return (
        "met" if gap <= 0 else f"{format_change(domain.combined, domain.target, sign=False)} to go"
    )


class SummaryScreen(SectionScreen):
    """One round's summary; pushed from the Assessment screen."""

    SECTION = "Assessment › Summary"
    CSS_PATH = "summary.tcss"
    AUTO_FOCUS = "#domains"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Not `t`: that is the as-at date on every screen.
        Binding(
            "g",
            "target",
            "Target",
            tooltip="Set or clear the target level of the selected domain",
            id="summary.target",
        ),
        Binding(
            "n",
            "new_action",
            "New action",
            tooltip="A development action for the selected domain",
            id="summary.new_action",
        ),
        Binding(
            "L",
            "rules",
            "Rules",
            tooltip="How the framework reads the scores: the achieved level and agreement",
            id="summary.rules",
        ),
        Binding("r", "switch_round", "Round", tooltip="Show another round", id="summary.round"),
        Binding(
            "E",
            "export_pdf",
            "PDF",
            tooltip="Export the assessment report as PDF",
            id="summary.export_pdf",
        ),
        Binding("j", "cursor('down')", "Down", show=False, id="summary.down"),
        Binding("k", "cursor('up')", "Up", show=False, id="summary.up"),
    ]

    def __init__(self, round_name: str) -> None:
        super().__init__()
        self.round_name = round_name
        self.summary: analysis.AssessmentSummary | None = None
        self.framework: Framework | None = None
        self.record: Record[Round] | None = None
        # The round of the same framework before this one: the detail compares with it.
        self.previous: analysis.AssessmentSummary | None = None

    def compose_body(self) -> ComposeResult:
        yield Label("", id="summary-title", classes="panel-title")
        yield DataTable(id="domains", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="panels"):
            with VerticalScroll(id="detail-pane"):
                yield Static("", id="detail")
            with VerticalScroll(id="facts-pane"):
                yield Static("", id="facts")

    # --- drawing ---------------------------------------------------------------------------

    def refresh_data(self) -> None:
        table = self.query_one("#domains", DataTable)
        selected = self.selected_key()
        found = round_summary(self.psr.snapshot, self.round_name)
        table.clear(columns=True)
        if isinstance(found, str):
            self.summary = self.framework = self.record = None
            self.query_one("#summary-title", Label).update(literal(found))
            self.query_one("#detail", Static).update("")
            self.query_one("#facts", Static).update("")
            return
        self.record, self.framework, self.summary = found
        self.round_name = self.record.model.name
        before = self.psr.snapshot.previous_round(self.round_name)
        earlier = round_summary(self.psr.snapshot, before.model.name) if before else None
        self.previous = earlier[2] if isinstance(earlier, tuple) else None
        self.query_one("#summary-title", Label).update(literal(self._title()))
        self._fill_table(table, self.summary, self.framework)
        if selected is not None and selected in {d.key for d in self.summary.domains} | {OVERALL}:
            table.move_cursor(row=table.get_row_index(selected))
        self.query_one("#facts", Static).update(self._facts())
        self._show_detail()

    def _title(self) -> str:
        assert self.summary is not None and self.record is not None
        counts = ", ".join(f"{n} {g}" for g, n in self.summary.responses_by_group.items())
        title = (
            f"{self.summary.round} ({format_date(self.record.model.date)}, "
            f"{self.summary.framework}): {self.summary.respondent_counts.text} ({counts})"
        )
        if any(self._partial_means()):
            title += "; (n) = how many of the group scored a domain, where not all did"
        return title

    def _partial_means(self) -> list[int]:
        assert self.summary is not None
        found = (
            self.summary.partial_count(d, g)
            for d in self.summary.domains
            for g in self.summary.groups
        )
        return [n for n in found if n is not None]

    def _fill_table(
        self, table: DataTable[object], summary: analysis.AssessmentSummary, fw: Framework
    ) -> None:
        table.add_column("Domain", key="domain")
        for group in summary.groups:
            table.add_column(literal_text(abbreviate(group)), key=f"group:{group}")
        table.add_column("All", key="combined")
        table.add_column("Level", key="level")
        table.add_column("Agreement", key="agreement")
        table.add_column("Flags", key="flags")
        table.add_column("Target", key="target")
        table.add_column("Gap", key="gap")
        table.add_column("Current level", key="current", width=TEXT_COLUMN_WIDTH)
        table.add_column("Progression", key="progression", width=TEXT_COLUMN_WIDTH)
        for d in summary.domains:
            table.add_row(
                literal_text(d.name),
                *(mean_with_n(d.means[g], summary.partial_count(d, g)) for g in summary.groups),
                Text(format_mean(d.combined), style="bold"),
                literal_text(level_text(fw, d.achieved_level)),
                literal_text(analysis.verdicts_text(d.agreement, d.consensus, abbreviate)),
                self._flags(d),
                str(d.target) if d.target is not None else "-",
                gap_text(d),
                literal_text(d.current or "-"),
                literal_text(d.progression or "-"),
                key=d.key,
            )
        table.add_row(
            Text("Overall", style="bold"),
            *(format_mean(summary.overall_means[g]) for g in summary.groups),
            Text(format_mean(summary.overall_combined), style="bold"),
            literal_text(level_text(fw, summary.overall_level)),
            "",
            "",
            "",
            "",
            "",
            "",
            key=OVERALL,
        )

    def _flags(self, domain: analysis.DomainSummary) -> Text:
        warning = self.app.theme_variables.get("warning", "yellow")
        flags = []
        if domain.disagreement:
            flags.append("divided")
        if domain.groups_differ:
            flags.append("groups differ")
        return Text(", ".join(flags), style=warning)

    def _facts(self) -> Content:
        summary = self.summary
        assert summary is not None
        parts: list[str | Content | tuple[str, str]] = []

        def heading(text: str) -> None:
            parts.append((text + "\n", "bold $accent"))

        heading("Highest and lowest")
        highest = ", ".join(d.name for d in summary.highest) or "none stands out"
        lowest = ", ".join(d.name for d in summary.lowest) or "none stands out"
        parts += ["Highest: ", literal(highest), "\nLowest: ", literal(lowest), "\n\n"]
        heading("Responses by organisation")
        short = [abbreviate(g) for g in summary.groups]
        for org, counts in summary.responses_by_organisation.items():
            by_group = ", ".join(f"{n} {s}" for s, n in zip(short, counts.values(), strict=False))
            parts += [literal(org), f": {by_group}\n"]
        if not summary.responses_by_organisation:
            parts.append(("No responses yet\n", "$text-muted"))
        parts.append("\n")
        heading("Missing scores")
        incomplete = summary.incomplete
        for person in incomplete:
            parts += [
                literal(f"{person.name} ({person.organisation or 'no organisation'})"),
                (f": {person.scored}/{person.total} scored\n", "$warning"),
            ]
        unscored = [d for d in summary.domains if d.unscored]
        for d in unscored:
            parts += [literal(d.name), f": {d.unscored} unscored\n"]
        if not incomplete and not unscored:
            parts.append(("Every respondent scored every domain\n", "$success"))
        return Content.assemble(*parts)

    def selected_key(self) -> str | None:
        table = self.query_one("#domains", DataTable)
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def selected_domain(self) -> analysis.DomainSummary | None:
        key = self.selected_key()
        return self.summary.domain(key) if self.summary and key else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#detail", Static)
        summary, fw = self.summary, self.framework
        if summary is None or fw is None:
            return
        domain = self.selected_domain()
        if domain is None:
            detail.update(self._overall_detail(summary, fw))
            return
        parts: list[str | Content | tuple[str, str]] = [(domain.name, "bold $accent"), "\n"]
        question = fw.domain(domain.key)
        if question is not None and question.question:
            parts += [(question.question, "italic"), "\n"]
        parts.append("\n")
        if domain.achieved_level is None:
            parts.append(("Nobody has scored this domain yet.\n", "$text-muted"))
        else:
            parts += [
                (f"Current level: {level_text(fw, domain.achieved_level)}", "bold"),
                f" (combined mean {format_mean(domain.combined)})\n",
                literal(domain.current or ""),
                "\n\n",
            ]
            if domain.progression is None:
                parts.append(("Progression: this is the top level.\n", "bold"))
            else:
                parts += [
                    (f"Progression: {level_text(fw, domain.achieved_level + 1)}", "bold"),
                    "\n",
                    literal(domain.progression),
                    "\n",
                ]
            parts.append(self._agreement_lines(domain))
        if domain.target is not None:
            parts.append(
                f"\nTarget: {level_text(fw, domain.target)}, gap {gap_text(domain)} (t changes it)"
            )
        else:
            parts.append(("\nNo target (t sets one)", "$text-muted"))
        parts.append(self._previous_line(domain.key))
        detail.update(Content.assemble(*parts))

    def _agreement_lines(self, domain: analysis.DomainSummary) -> Content:
        assert self.framework is not None
        rule = self.framework.consensus
        line = Content.styled(f"\nAgreement ({rule.method}):", "bold")
        readings = [*domain.consensus.items(), ("All", domain.agreement)]
        for group, found in readings:
            if not found.n:
                continue
            style = "$warning" if found.verdict is analysis.Verdict.DIVIDED else ""
            line += Content.assemble(
                "\n  ",
                literal(group),
                ": ",
                (found.verdict.text, f"bold {style}".strip()),
                f", {found.detail(rule.within)}",
            )
        if domain.groups_differ and domain.group_range:
            lowest, highest = domain.group_range
            gap = format_change(lowest, highest, sign=False)
            levels = "level" if gap == "1" else "levels"
            line += Content.styled(
                f"\nThe groups' means are {gap} {levels} apart (groups differ)",
                "$warning",
            )
        return line

    def _previous_line(self, key: str | None) -> Content:
        """This round's combined mean against the previous round's (the whole when `key` is
        None): the radar chart's comparison, as text."""
        previous = self.previous
        if previous is None or self.summary is None:
            return Content("")
        if key is None:
            before, now = previous.overall_combined, self.summary.overall_combined
        else:
            earlier, current = previous.domain(key), self.summary.domain(key)
            before = earlier.combined if earlier else None
            now = current.combined if current else None
        delta = None if before is None or now is None else now - before
        change = (
            f" ({analysis.arrow(delta)} {format_change(before, now)})" if delta is not None else ""
        )
        return Content.assemble(
            "\n",
            literal(f"In {previous.round}: {format_mean(before)}, now {format_mean(now)}{change}"),
        )

    def _overall_detail(self, summary: analysis.AssessmentSummary, fw: Framework) -> Content:
        return Content.assemble(
            ("Overall", "bold $accent"),
            "\n\n",
            literal(analysis.headline(fw, summary)),
            "\n\n",
            *(
                f"{g}: {format_mean(summary.overall_means[g])}\n"
                for g in summary.groups
                if summary.overall_means[g] is not None
            ),
            self._previous_line(None),
        )

    # --- actions ---------------------------------------------------------------------------

    def action_cursor(self, direction: str) -> None:
        table = self.query_one("#domains", DataTable)
        if direction == "down":
            table.action_cursor_down()
        else:
            table.action_cursor_up()

    def _domain_or_say(self) -> analysis.DomainSummary | None:
        domain = self.selected_domain()
        if domain is None:
            self.notify("Select a domain first (the Overall row has no target)", severity="warning")
        return domain

    def action_target(self) -> None:
        domain, record, fw = self._domain_or_say(), self.record, self.framework
        if domain is None or record is None or fw is None:
            return
        top = fw.top_level

        def check(text: str) -> str | None:
            if not text.strip():
                return None
            try:
                level = int(text)
            except ValueError:
                level = 0
            if not 1 <= level <= top:
                return f"A target is a level from 1 to {top} ({text.strip()!r} is not)"
            return None

        def chosen(text: str | None) -> None:
            if text is not None:
                self._save_target(record, domain, int(text) if text.strip() else None)

        self.app.push_screen(
            TextInputDialog(
                f"Target level for {domain.name} (1-{top}; empty clears it):",
                str(domain.target) if domain.target is not None else "",
                check=check,
            ),
            chosen,
        )

    def _save_target(
        self, record: Record[Round], domain: analysis.DomainSummary, level: int | None
    ) -> None:
        def done(_: Round) -> None:
            said = f"set to {level}" if level is not None else "cleared"
            self.notify(f"Target for {domain.name} {said}")

        def failed(error: StoreError) -> None:
            self.notify(f"Target not saved: {error}", severity="error", timeout=10)

        self.save_change(
            lambda tx, overwrite: changes.set_target(
                tx, record.doc_id, record.model, domain.key, level, overwrite=overwrite
            ),
            f"the target for {domain.name}",
            done=done,
            failed=failed,
            framework=self.framework,
        )

    def action_new_action(self) -> None:
        domain = self._domain_or_say()
        if domain is None:
            return
        from psr_tui.screens.development import new_action_for_domain

        new_action_for_domain(self.psr, domain.key, self.round_name)

    def action_rules(self) -> None:
        framework = self.framework
        if framework is None:
            self.notify("This round's framework is missing", severity="warning")
            return
        from psr_tui.dialogs.framework_rules import RulesDialog, RulesRequest

        def chosen(request: RulesRequest | None) -> None:
            if request is not None:
                self.save_change(
                    lambda tx, overwrite: changes.set_framework_rules(
                        tx,
                        framework.name,
                        achieved=request.achieved,
                        within=request.within,
                        share=request.share,
                        min_ratings=request.min_ratings,
                        base=framework,
                        overwrite=overwrite,
                    ),
                    f"the rules of {framework.name}",
                    done=lambda saved: self.notify(
                        f"Level achieved: {saved.achieved_level.method}. "
                        f"Agreement: {saved.consensus.method}.",
                        title=f"Rules of {saved.name}",
                    ),
                )

        self.app.push_screen(RulesDialog(framework), chosen)

    def action_switch_round(self) -> None:
        rounds = [r.model for r in reversed(self.psr.snapshot.rounds())]
        if not rounds:
            self.notify("There are no rounds yet", severity="warning")
            return

        def chosen(name: str | None) -> None:
            if name is not None and name != self.round_name:
                self.round_name = name
                self.refresh_data()

        self.app.push_screen(
            PickDialog("Show the summary of:", round_choices(rounds), self.round_name), chosen
        )

    def action_export_pdf(self) -> None:
        self.psr.action_export("assessment")
