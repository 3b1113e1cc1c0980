"""History: the audit log, newest first, filtered by text, user and date."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Static

from psr_tui.audit_words import (
    change_words,
    domain_names,
    field_words,
    named,
    past_tense,
    record_words,
)
from psr_tui.errors import StoreError
from psr_tui.formatting import clip, format_date, parse_date
from psr_tui.models import AuditEntry
from psr_tui.screens.base import SectionScreen
from psr_tui.widgets.nav_table import NavTable
from psr_tui.widgets.text import literal, literal_text

# The newest entries read on each refresh: the log only grows, and a screenful of
# the latest changes is what the screen is for (the whole log stays in the file).
HISTORY_LIMIT = 5000
RECORD_WIDTH = 44
CHANGE_WIDTH = 60


def entry_matches(entry: AuditEntry, text: str, user: str | None, since: date | None) -> bool:
    """The filter: text anywhere in table, record, before or after; exact user; on or after."""
    if user is not None and entry.user != user:
        return False
    if since is not None and entry.at.astimezone().date() < since:
        return False
    if text:
        needle = text.casefold()
        fields = " ".join(f"{f.field} {f.before} {f.after}" for f in entry.fields)
        haystack = " ".join(
            (entry.table, entry.record, entry.action, entry.before, entry.after, fields)
        )
        return needle in haystack.casefold()
    return True


class HistoryScreen(SectionScreen):
    LOOKING_BACK = "every change to date"
    SECTION = "History"
    CSS_PATH = "history.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "find", "Filter", tooltip="Filter by record or text", id="history.find"),
        Binding(
            "u", "next_user", "User", tooltip="Show one user's changes in turn", id="history.user"
        ),
        Binding(
            "s", "since", "Since", tooltip="Only changes on or after a date", id="history.since"
        ),
        Binding("c", "clear", "Clear", tooltip="Clear every filter", id="history.clear"),
        Binding(
            "escape",
            "leave",
            "Back",
            show=False,
            tooltip="Leave the filter, or go back",
            id="history.back",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[AuditEntry] = []
        self.user: str | None = None
        self.by_key: dict[str, AuditEntry] = {}
        self.domains: dict[str, str] = {}

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="filters"):
            yield Input(placeholder="/ filter: record, table or text", id="text-filter")
            yield Input(placeholder="s since: date", id="since-filter")
        yield Static(id="filter-state")
        yield NavTable(id="log")
        yield Static(id="detail")

    def on_mount(self) -> None:
        table = self.query_one("#log", NavTable)
        table.add_columns("When", "Who", "Action", "Record", "Before → after")
        super().on_mount()
        table.focus()

    def refresh_data(self) -> None:
        self.domains = domain_names(self.psr.snapshot)
        try:
            self.entries = self.psr.store.history(limit=HISTORY_LIMIT)
        except StoreError as exc:
            self.entries = []
            self.notify(str(exc), severity="error", timeout=10)
        self.show()

    @property
    def since(self) -> date | None:
        text = self.query_one("#since-filter", Input).value.strip()
        try:
            return parse_date(text) if text else None
        except ValueError:
            return None

    def show(self) -> None:
        """Fill the table from the entries and the filters, keeping the selected entry."""
        table = self.query_one("#log", NavTable)
        selected = table.selected_key()
        text = self.query_one("#text-filter", Input).value.strip()
        since = self.since
        table.clear()
        shown = 0
        self.by_key = {}
        for entry in reversed(self.entries):
            if not entry_matches(entry, text, self.user, since):
                continue
            shown += 1
            key = _row_key(entry)
            while key in self.by_key:
                key += "+"
            self.by_key[key] = entry
            table.add_row(
                entry.at.astimezone().strftime("%d %b %Y %H:%M"),
                literal_text(entry.user),
                literal_text(past_tense(entry.action)),
                literal_text(clip(record_words(entry, self.domains), RECORD_WIDTH)),
                literal_text(clip(change_words(entry, self.domains, CHANGE_WIDTH), CHANGE_WIDTH)),
                key=key,
            )
        table.select_key(selected)
        self._show_state(shown)

    def _show_state(self, shown: int) -> None:
        parts = [f"{shown} of {len(self.entries)} changes"]
        if self.user is not None:
            parts.append(f"by {self.user}")
        since_text = self.query_one("#since-filter", Input).value.strip()
        if since_text:
            since = self.since
            parts.append(f"since {format_date(since)}" if since else f"(not a date: {since_text})")
        self.query_one("#filter-state", Static).update(
            literal("  ".join(parts) + "   u user · / filter · s since · c clear")
        )

    @on(DataTable.RowHighlighted)
    def _show_detail(self, event: DataTable.RowHighlighted) -> None:
        entry = self.by_key.get(str(event.row_key.value))
        detail = self.query_one("#detail", Static)
        if entry is None:
            detail.update("")
            return
        record = record_words(entry, self.domains)
        if entry.fields:
            lines = [field_words(f, self.domains) for f in entry.fields]
            detail.update(literal("\n".join([record, *lines])))
            return
        before, after = (named(text, self.domains) or "-" for text in (entry.before, entry.after))
        detail.update(literal(f"{record}\nbefore: {before}\nafter:  {after}"))

    @on(Input.Changed)
    def _filter_changed(self) -> None:
        self.show()

    @on(Input.Submitted)
    def _filter_done(self) -> None:
        self.query_one("#log", NavTable).focus()

    def action_find(self) -> None:
        self.query_one("#text-filter", Input).focus()

    def action_since(self) -> None:
        self.query_one("#since-filter", Input).focus()

    def action_next_user(self) -> None:
        users = sorted({e.user for e in self.entries})
        choices: list[str | None] = [None, *users]
        self.user = (
            choices[(choices.index(self.user) + 1) % len(choices)] if self.user in choices else None
        )
        self.show()

    def action_clear(self) -> None:
        self.user = None
        for box in self.query(Input):
            box.value = ""
        self.show()

    def action_leave(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#log", NavTable).focus()
        else:
            self.psr.go_back()


def _row_key(entry: AuditEntry) -> str:
    # By content, so the selected entry stays selected when newer ones arrive on top.
    return "|".join((entry.at.isoformat(), entry.user, entry.action, entry.table, entry.record))
