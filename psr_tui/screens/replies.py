"""Who has replied in a round: each respondent's state, and the list to chase.

Pushed from the Assessment screen (w). The same states as `psr round status`: returned on
DATE, scored in psr, partial, form sent on DATE, not started.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from psr_tui.analysis.replies import RoundReplies, round_replies
from psr_tui.screens import forms
from psr_tui.screens.base import SectionScreen
from psr_tui.widgets.nav_table import NavTable
from psr_tui.widgets.text import clipped_text, literal, literal_text

FORM_BINDINGS: list[BindingType] = [
    Binding(
        "f",
        "send_forms",
        "Forms",
        tooltip="Write an assessment form (xlsx, PDF to print) per respondent of the round",
        id="forms.send",
    ),
    Binding(
        "F",
        "import_returns",
        "Returned forms",
        tooltip="Import the scores of returned forms (a folder of them, or one)",
        id="forms.import",
    ),
]


def round_replies_of(screen: SectionScreen, round_name: str) -> RoundReplies | None:
    snap = screen.psr.snapshot
    record = snap.round(round_name)
    framework = snap.framework(record.model.framework) if record else None
    if record is None or framework is None:
        return None
    people = sorted(snap.responses(record.model.name), key=lambda r: r.doc_id)
    return round_replies(framework, record.model.name, [r.model for r in people])


class RepliesScreen(SectionScreen):
    SECTION = "Assessment"
    CSS_PATH = "replies.tcss"
    AUTO_FOCUS = "#replies"
    BINDINGS: ClassVar[list[BindingType]] = FORM_BINDINGS

    def __init__(self, round_name: str) -> None:
        super().__init__()
        self.round_name = round_name

    def compose_body(self) -> ComposeResult:
        yield Label("", id="replies-title", classes="panel-title")
        yield Static("", id="replies-line")
        yield NavTable(id="replies")
        yield Label("To chase", classes="panel-title", id="chase-title")
        with VerticalScroll(id="chase-pane"):
            yield Static("", id="chase")

    def on_mount(self) -> None:
        self.query_one("#replies", NavTable).add_columns("Name", "State", "Organisation", "Group")
        super().on_mount()

    def refresh_data(self) -> None:
        table = self.query_one("#replies", NavTable)
        keep = table.selected_key()
        table.clear()
        replies = round_replies_of(self, self.round_name)
        title = self.query_one("#replies-title", Label)
        if replies is None:
            title.update(literal(f"Round {self.round_name!r} is no longer there"))
            self.query_one("#replies-line", Static).update("")
            self.query_one("#chase", Static).update("")
            return
        title.update(literal(f"Who has replied: {replies.round}"))
        self.query_one("#replies-line", Static).update(literal(replies.line))
        for index, reply in enumerate(replies.replies):
            table.add_row(
                clipped_text(reply.name, 24),
                literal_text(reply.text),
                clipped_text(reply.organisation, 30),
                clipped_text(reply.group, 20),
                key=str(index),
            )
        table.select_key(keep)
        chase = [
            f"{r.name} ({r.organisation or 'no organisation'}): {r.text}" for r in replies.to_chase
        ]
        self.query_one("#chase", Static).update(literal("\n".join(chase) or "Nobody: all replied."))

    def action_send_forms(self) -> None:
        forms.send_forms(self, self.round_name)

    def action_import_returns(self) -> None:
        forms.import_returns(self, self.round_name)
