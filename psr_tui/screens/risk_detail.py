"""One risk in full: its fields, overdue state, next review, and its review history as a
table and a small score-over-time chart."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Label, Static

from psr_tui import analysis
from psr_tui.as_at import looked_back
from psr_tui.changes import risks as risk_changes
from psr_tui.dialogs.confirm import ConfirmDialog
from psr_tui.formatting import format_date
from psr_tui.models import Band, Review, Risk
from psr_tui.screens.risk_base import RiskScreen
from psr_tui.widgets.charts import Chart, lines
from psr_tui.widgets.text import literal, literal_text
from psr_tui.widgets.tones import tone_variable

NARROW_COLUMNS = 110


def _with_band(score: int | None, band: Band | None) -> str:
    """ "3, Low band": the band named as one, so it is not read as the risk's category."""
    return analysis.rating_text(score, None) + (f", {band.name} band" if band else "")


class RiskDetailScreen(RiskScreen):
    CSS_PATH = "risks.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "D",
            "delete_review",
            "Delete review",
            tooltip="Delete the review chosen in the history (tab to it), made by mistake",
            id="risk_detail.delete_review",
        ),
    ]

    def __init__(self, ref: str) -> None:
        super().__init__()
        self.ref = ref
        self.SECTION = f"Risks › {ref}"
        # The reviews in the order the history table lists them.
        self.shown_reviews: list[Review] = []

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="detail"):
            with VerticalScroll(id="detail-fields"):
                yield Static(id="fields")
            with Vertical(id="detail-side"):
                yield Label("Score over time", classes="panel-title")
                yield Chart(id="history-chart")
                yield Label("Reviews", classes="panel-title")
                yield DataTable(id="history", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#history", DataTable).add_columns(
            "Date", "Likelihood", "Impact", "Score", "By", "Note"
        )
        super().on_mount()
        self.query_one("#detail-fields").focus()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW_COLUMNS, "-narrow")

    def selected_ref(self) -> str | None:
        return self.ref

    def refresh_data(self) -> None:
        snap = self.psr.snapshot
        record = snap.risk(self.ref)
        fields = self.query_one("#fields", Static)
        if record is None:
            day = looked_back(snap)
            fields.update(
                literal(
                    f"{self.ref} was identified after {format_date(day)}: t sets another date."
                    if day is not None and self.psr.stored.risk(self.ref) is not None
                    else f"{self.ref} is no longer in the register (another session removed it)."
                )
            )
            return
        risk = record.model
        facts = analysis.risk_facts(snap.matrix(), risk, self.psr.as_at)
        parts: list[Content | str | tuple[str, str]] = [
            (risk.ref, "bold $accent"),
            "  ",
            (
                f"score {_with_band(facts.score, facts.band)}",
                f"bold ${tone_variable(facts.tone)}",
            ),
            f"  · {risk.status.value}",
            "\n\n",
            literal(risk.description, "bold"),
            "\n",
        ]

        def line(name: str, value: str, style: str = "") -> None:
            parts.extend(["\n", (f"{name}: ", "$text-muted"), literal(value or "-", style)])

        line("Risk category", risk.category)
        line("Identified", format_date(risk.date_identified))
        line("Likelihood / impact", f"{risk.likelihood} / {risk.impact} (after controls)")
        if risk.inherent_likelihood:
            inherent = facts.inherent_score
            line(
                "Inherent",
                f"{risk.inherent_likelihood} / {risk.inherent_impact}: score "
                + _with_band(inherent, facts.inherent_band),
            )
        line("Controls", risk.controls)
        line("Actions", risk.actions)
        line("Owner", risk.owner)
        line(
            "Action date",
            format_date(risk.action_date)
            + (f"  {analysis.OVERDUE_MARK} overdue" if facts.overdue else ""),
            "bold $error" if facts.overdue else "",
        )
        line(
            "Next review",
            format_date(facts.next_review)
            + (f"  {analysis.REVIEW_OVERDUE_MARK} review overdue" if facts.review_overdue else ""),
            "bold $warning" if facts.review_overdue else "",
        )
        move = facts.movement
        if move is None:
            line("Since last review", "no earlier review")
        else:
            word = "worse" if move > 0 else "better" if move < 0 else "no change"
            line(
                "Since last review",
                f"{move:+d} ({word})",
                "$error" if move > 0 else "$success" if move < 0 else "",
            )
        parts.append(
            ("\n\ne edit · R review · c close · tab reviews, D delete one · escape back", "dim")
        )
        fields.update(Content.assemble(*parts))
        self._show_history(risk)

    def _show_history(self, risk: Risk) -> None:
        table = self.query_one("#history", DataTable)
        table.clear()
        reviews = sorted(risk.reviews, key=lambda r: r.date)
        self.shown_reviews = list(reversed(reviews))
        for review in self.shown_reviews:
            table.add_row(
                format_date(review.date),
                literal_text(review.likelihood),
                literal_text(review.impact),
                str(review.score),
                literal_text(review.by),
                literal_text(review.note),
            )
        history = analysis.score_history(risk)
        matrix = self.psr.snapshot.matrix()
        top = max((max(row) for row in matrix.scores), default=None) if matrix else None
        # One row of the axis per score the risk has had, each labelled with its band, and
        # the matrix's top score for scale: on a linear axis a short chart drops labels of
        # near scores (3 and 4) and leaves them unreadable.
        shown = sorted({score for _, score in history} | ({top} if top else set()))
        row = {score: position for position, score in enumerate(shown)}
        self.query_one(Chart).show(
            lines(
                [format_date(day) for day, _ in history],
                {"score": [row[score] for _, score in history]},
                yticks=[
                    (
                        row[score],
                        analysis.rating_text(score, matrix.band_for(score) if matrix else None),
                    )
                    for score in shown
                ],
            )
        )

    def action_delete_review(self) -> None:
        record = self.psr.snapshot.risk(self.ref)
        table = self.query_one("#history", DataTable)
        if record is None or not self.shown_reviews:
            self.notify(f"{self.ref} has no review to delete", severity="warning")
            return
        review = self.shown_reviews[min(table.cursor_row, len(self.shown_reviews) - 1)]

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.psr.save(
                    lambda tx: risk_changes.delete_review(tx, record.doc_id, review),
                    done=lambda _: self.notify(f"Deleted the review of {self.ref}"),
                )

        self.app.push_screen(
            ConfirmDialog(
                f"Delete the review of {self.ref} of {risk_changes.review_text(review)}? "
                "The history (y) keeps a note of it.",
                confirm_label="Delete",
            ),
            confirmed,
        )
