"""The Textual application: sections, global keys, live refresh and the one writer thread."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from typing import Any, ClassVar, TypeVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from psr_tui.formatting import format_date, parse_date
from psr_tui.models import AuditEntry
from psr_tui.screens.base import SectionScreen
from psr_tui.screens.dialogs import TextInputDialog
from psr_tui.store import ConflictError, Snapshot, Store, StoreError, Transaction
from psr_tui.store import audit as audit_log
from psr_tui.widgets.text import literal

T = TypeVar("T")

POLL_SECONDS = 0.5

# (mode, key, label, tooltip); the screen classes are imported lazily in _section_screen.
SECTIONS: list[tuple[str, str, str, str]] = [
    ("home", "d", "Home", "The dashboard: assessment, risks, programme, recent changes"),
    ("assessment", "a", "Assessment", "Rounds, scoring, summary, trends and charts"),
    ("risks", "r", "Risks", "The risk register and its matrix"),
    ("programme", "p", "Programme", "Phase board, themes and timeline"),
    ("development", "v", "Development", "Development actions and offers"),
    ("history", "y", "History", "Who changed what, and when"),
]

REPORTS = [
    ("assessment", "Assessment report"),
    ("risks", "Risk register"),
    ("programme", "Programme plan"),
    ("pack", "Meeting pack"),
]


def _section_screen(mode: str) -> Callable[[], Screen[Any]]:
    def make() -> Screen[Any]:
        if mode == "home":
            from psr_tui.screens.home import HomeScreen

            return HomeScreen()
        if mode == "assessment":
            from psr_tui.screens.assessment import AssessmentScreen

            return AssessmentScreen()
        if mode == "risks":
            from psr_tui.screens.risks import RiskRegisterScreen

            return RiskRegisterScreen()
        if mode == "programme":
            from psr_tui.screens.programme import ProgrammeScreen

            return ProgrammeScreen()
        if mode == "development":
            from psr_tui.screens.development import DevelopmentScreen

            return DevelopmentScreen()
        from psr_tui.screens.history import HistoryScreen

        return HistoryScreen()

    return make


class PsrApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "psr"
    MODES: ClassVar[dict[str, Any]] = {mode: _section_screen(mode) for mode, *_ in SECTIONS}
    DEFAULT_MODE = "home"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(key, f"section('{mode}')", label, tooltip=tip, id=f"app.{mode}")
            for mode, key, label, tip in SECTIONS
        ),
        Binding("t", "as_at", "As at", tooltip="View the data as at another date", id="app.as_at"),
        Binding("question_mark", "keys", "Keys", tooltip="Keys of this screen", id="app.keys"),
        Binding("escape", "back", "Back", show=False, id="app.back"),
        Binding("q", "quit", "Quit", tooltip="Quit (everything is already saved)", id="app.quit"),
    ]

    def __init__(self, store: Store, *, watch: bool = True) -> None:
        super().__init__()
        self.store = store
        self.snapshot: Snapshot = store.snapshot()
        self.data_generation = 0
        self.as_at_override: date | None = None
        self._watch = watch
        self._signature = store.signature()
        self._audit_offset = audit_log.end_offset(store.path)
        # Audit entries of this session's own saves, so they are not announced as others'.
        self._own_entries: list[AuditEntry] = []
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="psr-writer")

    # --- as-at date ---------------------------------------------------------------------

    @property
    def as_at(self) -> date:
        return self.as_at_override or self.snapshot.as_at

    @property
    def as_at_pinned(self) -> bool:
        return self.as_at_override is not None or self.snapshot.meta.as_at is not None

    @property
    def as_at_text(self) -> str:
        return format_date(self.as_at)

    def action_as_at(self) -> None:
        def check(text: str) -> str | None:
            if not text.strip():
                return None
            try:
                parse_date(text)
            except ValueError as exc:
                return str(exc)
            return None

        def chosen(text: str | None) -> None:
            if text is None:
                return
            self.as_at_override = parse_date(text) if text.strip() else None
            self.notify(f"Showing the data as at {self.as_at_text}")
            self._data_changed()

        self.push_screen(
            TextInputDialog(
                "View as at (empty = the database's date, or today):",
                self.as_at.isoformat(),
                check=check,
            ),
            chosen,
        )

    # --- navigation ---------------------------------------------------------------------

    def on_mount(self) -> None:
        self.title = self.snapshot.meta.partnership
        if self._watch:
            self.set_interval(POLL_SECONDS, self._poll_file)

    def action_section(self, mode: str) -> None:
        if self.current_mode == mode:
            # Pressing the section's key again returns to its first screen.
            while len(self.screen_stack) > 1:
                self.pop_screen()
            return
        self.switch_mode(mode)

    def action_back(self) -> None:
        if len(self.screen_stack) > 1:
            self.pop_screen()
        elif self.current_mode != "home":
            self.switch_mode("home")

    def action_keys(self) -> None:
        from psr_tui.screens.keys import KeysScreen

        self.push_screen(KeysScreen(self.screen))

    def action_export(self, kind: str) -> None:
        from psr_tui.screens.export import start_export

        start_export(self, kind)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for mode, _key, label, tip in SECTIONS:
            yield SystemCommand(f"Go to {label}", tip, lambda m=mode: self.action_section(m))
        for kind, label in REPORTS:
            yield SystemCommand(
                f"Export {label} (PDF)",
                f"Write the {label.lower()} as an A4 PDF",
                lambda k=kind: self.action_export(k),
            )
        yield SystemCommand(
            "Set the as-at date", "View the data as at another date", self.action_as_at
        )

    # --- data: reading, live refresh ----------------------------------------------------

    def _poll_file(self) -> None:
        signature = self.store.signature()
        if signature != self._signature:
            self._signature = signature
            self.run_worker(self._reload, thread=True, exclusive=True, group="reload")

    def _reload(self) -> None:
        try:
            snapshot = self.store.snapshot()
        except StoreError as exc:
            self.call_from_thread(self.notify, literal(str(exc)), severity="error", timeout=10)
            return
        entries, self._audit_offset = audit_log.read_since(self.store.path, self._audit_offset)
        self.call_from_thread(self._apply_snapshot, snapshot, entries)

    def _apply_snapshot(self, snapshot: Snapshot, entries: list[AuditEntry]) -> None:
        self.snapshot = snapshot
        self.title = snapshot.meta.partnership
        self._announce_others(entries)
        self._data_changed()

    def _announce_others(self, entries: list[AuditEntry]) -> None:
        others = []
        for entry in entries:
            if entry in self._own_entries:
                self._own_entries.remove(entry)
            else:
                others.append(entry)
        if others:
            self.notify(literal(describe_changes(others)), title="Changed in another session")

    def _data_changed(self) -> None:
        self.data_generation += 1
        for screen in self.screen_stack:
            if isinstance(screen, SectionScreen):
                screen.data_changed()

    # --- data: writing -------------------------------------------------------------------

    def save(
        self,
        change: Callable[[Transaction], T],
        *,
        done: Callable[[T], None] | None = None,
        conflict: Callable[[ConflictError], None] | None = None,
        failed: Callable[[StoreError], None] | None = None,
    ) -> Future[T]:
        """Apply `change` in one transaction on the writer thread, in the order asked.

        The UI never waits for the disk. `done` gets the change's result on the UI thread;
        a conflict goes to `conflict` (or a notification), other errors to `failed`.
        """

        def run() -> tuple[T, Snapshot]:
            with self.store.transaction() as tx:
                result = change(tx)
                # Recorded before the commit, so a poll that sees the new file knows them.
                self._own_entries.extend(tx.audit)
            return result, self.store.snapshot()

        def finished(future: Future[tuple[T, Snapshot]]) -> None:
            error = future.exception()
            if error is None:
                result, snapshot = future.result()
                self.call_from_thread(self._saved, snapshot, result, done)
            else:
                self.call_from_thread(self._save_failed, error, conflict, failed)

        future: Future[Any] = self._writer.submit(run)
        future.add_done_callback(finished)
        return future

    def _saved(self, snapshot: Snapshot, result: T, done: Callable[[T], None] | None) -> None:
        self._signature = self.store.signature()
        entries, self._audit_offset = audit_log.read_since(self.store.path, self._audit_offset)
        self._announce_others(entries)
        self.snapshot = snapshot
        if done is not None:
            done(result)
        self._data_changed()

    def _save_failed(
        self,
        error: BaseException,
        conflict: Callable[[ConflictError], None] | None,
        failed: Callable[[StoreError], None] | None,
    ) -> None:
        if isinstance(error, ConflictError) and conflict is not None:
            conflict(error)
        elif isinstance(error, StoreError) and failed is not None:
            failed(error)
        elif isinstance(error, StoreError):
            self.notify(literal(f"Not saved: {error}"), severity="error", timeout=10)
        else:
            raise error

    def flush_writes(self) -> None:
        """Wait for queued saves (used on quit and by tests)."""
        self._writer.submit(lambda: None).result()

    async def action_quit(self) -> None:
        self.flush_writes()
        self._writer.shutdown(wait=True)
        self.exit()


_PAST_TENSE = {"add": "added", "edit": "edited", "delete": "deleted", "create": "created"}


def describe_changes(entries: list[AuditEntry]) -> str:
    """'vwillett edited risk R3 at 14:02' for one change; a count for many."""
    last = entries[-1]
    when = last.at.astimezone().strftime("%H:%M")
    done = _PAST_TENSE.get(last.action, last.action)
    text = f"{last.user} {done} {last.table} {last.record} at {when}"
    if len(entries) > 1:
        text += f" (and {len(entries) - 1} more change{'s' if len(entries) > 2 else ''})"
    return text
