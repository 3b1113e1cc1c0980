"""Scoring one respondent after another: the grid, the cell's full text, save state.

Every change is shown at once and queued to the app's writer thread; the screen counts
the saves still on their way. Each save is a named change (`changes.assessment.set_cell`)
carrying the value this screen showed before the key, so another officer scoring another
domain of the same respondent never conflicts; only their change to the same domain does,
and the conflict dialog asks: reload theirs, or overwrite, which puts this session's
changed domains over theirs and leaves every other domain as they saved it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from psr_tui.changes import assessment as changes
from psr_tui.changes.assessment import Cell
from psr_tui.dialogs.conflict import ConflictDialog
from psr_tui.dialogs.text_input import TextInputDialog
from psr_tui.models import Framework, Response, RoundStatus
from psr_tui.screens.base import SectionScreen
from psr_tui.store import (
    ConflictError,
    NotFoundError,
    Record,
    Snapshot,
    StoreError,
    Transaction,
)
from psr_tui.widgets.score_grid import ScoreGrid
from psr_tui.widgets.text import literal

WIDE_LAYOUT_COLUMNS = 150


def round_respondents(snapshot: Snapshot, round_name: str) -> list[Record[Response]]:
    """A round's responses in the order both the respondents list and n/p use."""
    return sorted(snapshot.responses(round_name), key=lambda r: r.doc_id)


@dataclass
class Sheet:
    """One respondent as this screen knows it: what is stored, and what is shown.

    `stored` is the record as last read, with this session's saves applied as they land;
    `response`, what is shown, adds the saves still on their way: where they differ,
    something is not saved yet.
    """

    doc_id: int
    stored: Response
    response: Response
    pending: int = 0
    problem: str | None = None  # a conflict or failed save: edits wait for reload/overwrite
    # Who last changed it in another session, when the screen took their version.
    changed_by: str | None = None

    @classmethod
    def read(cls, record: Record[Response]) -> Sheet:
        return cls(record.doc_id, record.model, record.model)

    @property
    def unsaved(self) -> bool:
        return (self.response.scores, self.response.comments) != (
            self.stored.scores,
            self.stored.comments,
        )


@dataclass(frozen=True)
class Change:
    doc_id: int
    key: str
    cell: Cell
    before: int | str | None
    after: int | str | None


def _level_binding(level: int) -> Binding:
    """Digit `level` sets that level; the footer and the keys list show the nine as one
    "1-9" key."""
    return Binding(
        str(level),
        f"set_level({level})",
        "Score",
        show=level == 1,
        key_display="1-9" if level == 1 else None,
        tooltip="Set the level of this domain and go to the next",
        id=f"scoring.level_{level}",
    )


class ScoringScreen(SectionScreen):
    SECTION = "Assessment › Scoring"
    CSS_PATH = "scoring.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(_level_binding(level) for level in range(1, 10)),
        Binding(
            "0,backspace",
            "set_level(0)",
            "Clear",
            tooltip="Clear this domain's score",
            id="scoring.clear",
        ),
        Binding("c", "comment", "Evidence", tooltip="Edit the evidence note", id="scoring.comment"),
        Binding(
            "u", "undo", "Undo", tooltip="Undo the last change of this session", id="scoring.undo"
        ),
        Binding("n", "step(1)", "Next", tooltip="Next respondent in the round", id="scoring.next"),
        Binding("p", "step(-1)", "Previous", tooltip="Previous respondent", id="scoring.previous"),
        Binding(
            "r",
            "reload",
            "Reload",
            tooltip="Discard what was not saved and show the stored scores",
            id="scoring.reload",
        ),
        Binding(
            "o",
            "overwrite",
            "Overwrite",
            tooltip="Save the scores on screen over the other session's change",
            id="scoring.overwrite",
        ),
    ]

    def __init__(self, round_name: str, doc_id: int) -> None:
        super().__init__()
        snap = self.psr.snapshot
        round_record = snap.round(round_name)
        if round_record is None:
            raise NotFoundError(f"no round {round_name!r}")
        framework = snap.framework(round_record.model.framework)
        if framework is None:
            raise NotFoundError(f"round {round_name!r} uses an unknown framework")
        self.round_name = round_record.model.name
        self.framework: Framework = framework
        self.closed = round_record.model.status == RoundStatus.CLOSED
        self.doc_ids = [r.doc_id for r in round_respondents(snap, self.round_name)]
        self.sheets: dict[int, Sheet] = {}
        self.sheet = self._sheet_for(snap.get("responses", doc_id))
        self.undo_stack: list[Change] = []
        self.saved_at: datetime | None = None

    # --- layout --------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="scoring-bar"):
            yield Static(id="who")
            yield Static(id="save-state")
        with Horizontal(id="scoring-body"):
            yield ScoreGrid(self.framework, id="grid")
            with VerticalScroll(id="details"):
                yield Static(id="question")
                yield Static(id="descriptor")
                yield Static(id="evidence")

    def on_mount(self) -> None:
        super().on_mount()
        grid = self.query_one(ScoreGrid)
        self._show_sheet()
        grid.focus()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width >= WIDE_LAYOUT_COLUMNS, "-wide")

    # --- showing -------------------------------------------------------------------------

    def _sheet_for(self, record: Record[Response]) -> Sheet:
        sheet = self.sheets.get(record.doc_id)
        # Keep what is still on its way or in conflict; otherwise take the stored version.
        if sheet is None or (sheet.pending == 0 and sheet.problem is None):
            sheet = Sheet.read(record)
            self.sheets[record.doc_id] = sheet
        return sheet

    def _show_sheet(self) -> None:
        grid = self.query_one(ScoreGrid)
        response = self.sheet.response
        grid.show(response.scores, response.comments)
        level = response.scores.get(self.framework.domains[grid.cursor_row].key)
        if level is not None:
            grid.move_to(grid.cursor_row, level - 1)
        self._show_who()
        self._show_details()
        self._show_state()

    def _show_who(self) -> None:
        response = self.sheet.response
        position = (
            self.doc_ids.index(self.sheet.doc_id) + 1 if self.sheet.doc_id in self.doc_ids else 0
        )
        parts = [response.name, response.organisation, response.group]
        self.query_one("#who", Static).update(
            Content.assemble(
                (" · ".join(p for p in parts if p), "bold"),
                # A no-break space keeps each "·" with the words before it when the bar wraps.
                f"  {response.scored_count()}/{len(self.framework.domains)} scored\u00a0·",
                f"  {position} of {len(self.doc_ids)} in ",
                (self.round_name, "$accent"),
            )
        )

    def _show_details(self) -> None:
        grid = self.query_one(ScoreGrid)
        domain = self.framework.domains[grid.cursor_row]
        level = grid.cursor_col + 1
        chosen = self.sheet.response.scores.get(domain.key)
        self.query_one("#question", Static).update(
            Content.assemble((domain.name, "bold $accent"), "  ", literal(domain.question))
        )
        marker = "  (chosen)" if chosen == level else ""
        self.query_one("#descriptor", Static).update(
            Content.assemble(
                (f"Level {level} · {self.framework.level_name(level)}{marker}: ", "bold"),
                literal(domain.descriptors[level - 1]),
            )
        )
        score = (
            f"{chosen} {self.framework.level_name(chosen)}" if chosen is not None else "not scored"
        )
        comment = self.sheet.response.comments.get(domain.key)
        self.query_one("#evidence", Static).update(
            Content.assemble(
                ("Score: ", "bold"),
                score,
                ("   Evidence: ", "bold"),
                literal(comment) if comment else ("none (c adds a note)", "dim"),
            )
        )

    def _show_state(self) -> None:
        state = self.query_one("#save-state", Static)
        sheet = self.sheet
        state.set_classes("")
        if self.closed:
            text = "Round closed: read-only (reopen it with x on the Assessment screen)"
            state.add_class("-closed")
        elif sheet.problem is not None:
            text = f"{sheet.problem}: r reload theirs, o overwrite with yours"
            state.add_class("-error")
        elif sheet.pending or sheet.unsaved:
            text = "Saving…"
            state.add_class("-saving")
        elif sheet.changed_by is not None:
            text = f"Shows {sheet.changed_by}'s change from another session"
        elif self.saved_at is not None:
            # Only when the stored record holds every value on screen.
            text = f"Saved {self.saved_at:%H:%M:%S}"
            state.add_class("-saved")
        else:
            text = "Saves as you type"
        state.update(literal(text))

    def on_score_grid_cursor_moved(self, event: ScoreGrid.CursorMoved) -> None:
        self._show_details()

    # --- data from elsewhere -------------------------------------------------------------

    def refresh_data(self) -> None:
        snap = self.psr.snapshot
        round_record = snap.round(self.round_name)
        if round_record is None:
            self.notify(f"Round {self.round_name!r} was deleted", severity="warning")
            self.dismiss()
            return
        self.closed = round_record.model.status == RoundStatus.CLOSED
        sheet = self.sheet
        if sheet.pending == 0 and sheet.problem is None:
            try:
                record = snap.get("responses", sheet.doc_id)
            except NotFoundError:
                sheet.problem = f"{sheet.response.name} was deleted in another session"
                self._show_state()
                return
            if record.model.rev != sheet.stored.rev:
                # Nothing of ours is unsaved: show their version.
                self._take_theirs(sheet, record.model)
                return
        self._show_state()

    def _take_theirs(self, sheet: Sheet, latest: Response) -> None:
        """Show another session's newer version of a sheet with nothing of ours unsaved."""
        changed = (latest.scores, latest.comments) != (
            sheet.response.scores,
            sheet.response.comments,
        )
        sheet.stored = sheet.response = latest
        if changed and latest.updated_by != self.psr.store.user:
            sheet.changed_by = latest.updated_by or "someone"
            self.notify(
                f"{latest.name}'s scores were changed by {sheet.changed_by}",
                title="Changed in another session",
            )
        if sheet is self.sheet:
            self._show_sheet()

    # --- changing ------------------------------------------------------------------------

    def _refusal(self) -> str | None:
        if self.closed:
            return (
                f"Round {self.round_name!r} is closed, so its scores are read-only: "
                "reopen it with x on the Assessment screen"
            )
        if self.sheet.problem is not None:
            return f"{self.sheet.problem}: press r to reload or o to overwrite first"
        return None

    def _apply(self, key: str, cell: Cell, value: int | str | None, *, undoable: bool) -> bool:
        if (refusal := self._refusal()) is not None:
            self.notify(refusal, severity="warning")
            return False
        sheet = self.sheet
        before = (sheet.response.scores if cell == "score" else sheet.response.comments).get(key)
        if before == (value or None):
            return True
        base = sheet.response
        sheet.response = changes.with_cell(base, cell, key, value)
        if undoable:
            self.undo_stack.append(Change(sheet.doc_id, key, cell, before, value))
        self.query_one(ScoreGrid).set_row(
            key, sheet.response.scores.get(key), sheet.response.comments.get(key)
        )
        self._queue_save(sheet, base, key, cell, value)
        self._show_who()
        self._show_details()
        return True

    def _queue_save(
        self, sheet: Sheet, base: Response, key: str, cell: Cell, value: int | str | None
    ) -> None:
        """Save one cell; `base` is the response as shown before this key."""
        doc_id = sheet.doc_id

        def landed(_saved: Response) -> None:
            sheet.stored = changes.with_cell(sheet.stored, cell, key, value)

        self._save(
            sheet,
            lambda tx: changes.set_cell(tx, doc_id, base, cell, key, value),
            landed,
        )

    def _save(
        self,
        sheet: Sheet,
        change: Callable[[Transaction], Response],
        landed: Callable[[Response], None],
    ) -> None:
        def done(saved: Response) -> None:
            sheet.pending -= 1
            landed(saved)
            sheet.changed_by = None
            if sheet.pending == 0 and sheet.problem is None:
                # The merge returns the record as now stored: other sessions' changes to
                # other domains included, and ours all landed. Show that.
                self._take_theirs(sheet, saved)
            self.saved_at = datetime.now()
            self._show_state()

        def conflict(error: ConflictError) -> None:
            sheet.pending -= 1
            if sheet.problem is None:
                sheet.problem = f"Not saved: {error}"
                self._ask(sheet, error)
            self._show_state()

        def failed(error: StoreError) -> None:
            sheet.pending -= 1
            if sheet.problem is None:
                sheet.problem = f"Not saved: {error}"
                self.notify(f"Not saved: {error}", severity="error", timeout=15)
            self._show_state()

        sheet.pending += 1
        self.psr.save(change, done=done, conflict=conflict, failed=failed)
        self._show_state()

    def _ask(self, sheet: Sheet, error: ConflictError) -> None:
        """The conflict dialog: their value and ours for each domain both changed."""

        def chosen(overwrite: bool | None) -> None:
            if sheet is not self.sheet:
                self._go_to(sheet.doc_id)
            if overwrite:
                self.action_overwrite()
            else:
                self.action_reload()

        dialog = ConflictDialog(
            error, f"your scores for {sheet.response.name}", framework=self.framework
        )
        # Pushed from this screen's message loop: the save callback comes from the writer's.
        self.call_later(self.app.push_screen, dialog, chosen)

    def action_set_level(self, level: int) -> None:
        grid = self.query_one(ScoreGrid)
        top = self.framework.top_level
        if level > top:
            self.notify(
                f"{level} is not a level of {self.framework.name}: use 1-{top} (0 clears)",
                severity="warning",
            )
            return
        key = self.framework.domains[grid.cursor_row].key
        if not self._apply(key, "score", level or None, undoable=True):
            return
        if level:
            grid.move_to(grid.cursor_row, level - 1)
            self._next_domain(grid)

    def _next_domain(self, grid: ScoreGrid) -> None:
        if grid.cursor_row + 1 >= len(self.framework.domains):
            return
        row = grid.cursor_row + 1
        chosen = self.sheet.response.scores.get(self.framework.domains[row].key)
        grid.move_to(row, chosen - 1 if chosen is not None else None)

    def action_comment(self) -> None:
        if (refusal := self._refusal()) is not None:
            self.notify(refusal, severity="warning")
            return
        domain = self.framework.domains[self.query_one(ScoreGrid).cursor_row]
        doc_id = self.sheet.doc_id

        def chosen(text: str | None) -> None:
            if text is not None and self.sheet.doc_id == doc_id:
                self._apply(domain.key, "comment", text.strip(), undoable=True)

        self.app.push_screen(
            TextInputDialog(
                f"Evidence for {domain.name} ({self.sheet.response.name}); empty removes it:",
                self.sheet.response.comments.get(domain.key, ""),
            ),
            chosen,
        )

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo in this session")
            return
        change = self.undo_stack[-1]
        if change.doc_id != self.sheet.doc_id:
            if change.doc_id not in self.doc_ids:
                self.undo_stack.pop()
                self.notify("That respondent was deleted: nothing to undo", severity="warning")
                return
            self._go_to(change.doc_id)
        if self._apply(change.key, change.cell, change.before, undoable=False):
            self.undo_stack.pop()
            grid = self.query_one(ScoreGrid)
            row = next(i for i, d in enumerate(self.framework.domains) if d.key == change.key)
            grid.move_to(row)
            domain = self.framework.domains[row]
            self.notify(f"Undone: {domain.name} for {self.sheet.response.name}")

    def action_step(self, step: int) -> None:
        self.doc_ids = [r.doc_id for r in round_respondents(self.psr.snapshot, self.round_name)]
        for doc_id in self.sheets:
            if self.sheets[doc_id].pending and doc_id not in self.doc_ids:
                self.doc_ids.append(doc_id)
        if not self.doc_ids:
            return
        index = self.doc_ids.index(self.sheet.doc_id) if self.sheet.doc_id in self.doc_ids else -1
        if self._go_to(self.doc_ids[(index + step) % len(self.doc_ids)]):
            self.query_one(ScoreGrid).move_to_first_unscored()

    def _go_to(self, doc_id: int) -> bool:
        try:
            record = self.psr.snapshot.get("responses", doc_id)
        except NotFoundError as exc:
            self.notify(str(exc), severity="warning")
            return False
        self.sheet = self._sheet_for(record)
        self._show_sheet()
        return True

    def action_reload(self) -> None:
        if self.sheet.pending:
            self.notify("Still saving: press r again in a moment")
            return
        try:
            record = self.psr.store.snapshot().get("responses", self.sheet.doc_id)
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        self.sheet = self.sheets[record.doc_id] = Sheet.read(record)
        self.undo_stack = [c for c in self.undo_stack if c.doc_id != record.doc_id]
        self.saved_at = None  # what is shown now is theirs, not a save of ours
        self._show_sheet()
        self.notify(f"Reloaded {record.model.name}'s scores")

    def action_overwrite(self) -> None:
        """Save this session's changed domains over the other session's; theirs elsewhere stay."""
        sheet = self.sheet
        if self.closed:
            self.notify(self._refusal() or "", severity="warning")
            return
        base, mine = sheet.stored, sheet.response

        def landed(saved: Response) -> None:
            sheet.problem = None
            sheet.stored = saved

        # Queued after any save still on its way; edits wait until it has landed.
        sheet.problem = "Saving your version over theirs"
        self._save(
            sheet,
            lambda tx: changes.save_scores(tx, sheet.doc_id, base, mine, overwrite=True),
            landed,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("reload", "overwrite"):
            return self.sheet.problem is not None
        return True
