"""The Textual application: sections, global keys, live refresh and the one writer thread."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.filter import LineFilter
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme

from psr_tui.commands import LiteralSystemCommands, ScreenKeysProvider
from psr_tui.dialogs.text_input import TextInputDialog
from psr_tui.formatting import format_date, parse_date
from psr_tui.input_queue import InputQueue
from psr_tui.keymap import binding_ids, keymap_path, read_keymap, unknown_ids
from psr_tui.paths import config_dir
from psr_tui.screens.base import SectionScreen
from psr_tui.text import visible
from psr_tui.user_settings import Settings, read_settings, settings_path, write_settings
from psr_tui.widgets.text import NoControlCharacters

# The store and the models bring pydantic (~70 ms): `psr` draws its first frame without
# them and imports them in the loading worker (see PsrApp's load_in_background).
if TYPE_CHECKING:
    from psr_tui.analysis import KeptFacts, RiskFacts
    from psr_tui.early_figures import EarlyFigures
    from psr_tui.home_figures import HomeFigures
    from psr_tui.models import AuditEntry
    from psr_tui.store import (
        ConflictError,
        FileSignature,
        Snapshot,
        Store,
        StoreError,
        Transaction,
    )

T = TypeVar("T")

POLL_SECONDS = 0.5
# How long the first frame may wait for Home's figures from the child
# (`psr_tui.early_figures`): on the demo they are there by then, or nearly.
FIRST_FRAME_WAIT_SECONDS = 0.1
# How long after the first frame the file's own reading waits for them (its imports would
# share the GIL with drawing them): a file of 10,000 risks takes the child ~0.2 s more, and
# one much bigger is read here meanwhile.
FIGURES_AHEAD_WAIT_SECONDS = 0.3

# (mode, key, label, tooltip); the screen classes are imported lazily in _section_screen.
SECTIONS: list[tuple[str, str, str, str]] = [
    ("home", "d", "Home", "The dashboard: assessment, risks, programme, recent changes"),
    ("assessment", "a", "Assessment", "Rounds, scoring, summary, trends and charts"),
    ("risks", "r", "Risks", "The risk register and its matrix"),
    ("programme", "p", "Programme", "Phase board, themes and timeline"),
    ("development", "v", "Development", "Development actions and offers"),
    ("meetings", "w", "Meetings", "Meetings: agenda, minutes, the action and decision logs"),
    ("history", "y", "History", "Who changed what, and when"),
]

REPORTS = [
    ("assessment", "Assessment report"),
    ("risks", "Risk register"),
    ("programme", "Programme plan"),
    ("development", "Development plan"),
    ("pack", "Meeting pack"),
]

# Dark and light first; the ANSI pair uses the terminal's own 16 colours, so it reads on a
# terminal without 256 colours. Named themes are checked against `available_themes` because
# Textual has removed built-in themes between releases.
THEMES = ("textual-dark", "textual-light", "ansi-dark", "ansi-light")


def default_theme(available: Iterable[str]) -> str | None:
    """The theme for a user who has not chosen one: dark, in 16 colours if that is all."""
    if full_colour_terminal():
        return "textual-dark"
    return "ansi-dark" if "ansi-dark" in available else None


def full_colour_terminal() -> bool:
    """True unless the terminal looks limited to 16 colours."""
    forced = os.environ.get("TEXTUAL_COLOR_SYSTEM", "")
    if forced and forced != "auto":
        return forced in ("256", "truecolor")
    return os.environ.get("COLORTERM", "") in ("truecolor", "24bit") or "256" in os.environ.get(
        "TERM", ""
    )


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
        if mode == "meetings":
            from psr_tui.screens.meetings import MeetingsScreen

            return MeetingsScreen()
        from psr_tui.screens.history import HistoryScreen

        return HistoryScreen()

    return make


@dataclass(frozen=True)
class Opened:
    """What the app needs from the file before any section screen can show it."""

    store: Store
    snapshot: Snapshot
    signature: FileSignature | None
    audit_offset: int


def open_store(store: Store | Path) -> Opened:
    """Read the file (any thread); raises StoreError if it is missing, corrupt or too new."""
    from psr_tui.store import Store
    from psr_tui.store import audit as audit_log

    if not isinstance(store, Store):
        store = Store(store)
    # The signature before the read: the snapshot is at least that new.
    signature = store.signature()
    snapshot = store.snapshot()
    snapshot.read_every_table()
    return Opened(store, snapshot, signature, audit_log.end_offset(store.path))


def _entry_key(entry: AuditEntry) -> tuple[float, str, str, str, str]:
    # Compared by value: the entry read back from the log is a new object whose datetime
    # has a different (but equal) tzinfo.
    return (entry.at.timestamp(), entry.user, entry.action, entry.table, entry.record)


class PsrApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "psr"
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {
        LiteralSystemCommands,
        ScreenKeysProvider,
    }
    MODES: ClassVar[dict[str, Any]] = {mode: _section_screen(mode) for mode, *_ in SECTIONS}
    DEFAULT_MODE = "home"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(key, f"section('{mode}')", label, tooltip=tip, id=f"app.{mode}")
            for mode, key, label, tip in SECTIONS
        ),
        Binding("t", "as_at", "As at", tooltip="View the data as at another date", id="app.as_at"),
        Binding("question_mark", "keys", "Keys", tooltip="Keys of this screen", id="app.keys"),
        Binding("escape", "back", "Back", show=False, tooltip="Go back", id="app.back"),
        Binding("q", "quit", "Quit", tooltip="Quit (everything is already saved)", id="app.quit"),
        Binding(
            "ctrl+x",
            "cancel_export",
            "Cancel export",
            tooltip="Stop the PDF export that is running (no file is written)",
            id="app.cancel_export",
        ),
    ]

    class Loaded(Message):
        """The loading worker has read the file."""

        def __init__(self, opened: Opened) -> None:
            super().__init__()
            self.opened = opened

    class LoadFailed(Message):
        """The file could not be opened; `reason` is the store's one-line message."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    # Set once the file is read: in __init__, or by the loading worker in the background.
    store: Store
    # The file as last read; `snapshot` is it as at the date looked back to, if any.
    stored: Snapshot

    class FiguresAhead(Message):
        """Home's figures, worked out by the child `psr` forked at start, before the file
        is read here; None if the child could not."""

        def __init__(self, figures: HomeFigures | None) -> None:
            super().__init__()
            self.figures = figures

    def __init__(
        self,
        store: Store | Path,
        *,
        watch: bool = True,
        load_in_background: bool = False,
        early_figures: EarlyFigures | None = None,
    ) -> None:
        """`store` may be a path: with `load_in_background` the first frame (Home, saying
        "Opening <path>…") is drawn before the file is read and validated, Home fills in
        place when it is, and a file that cannot be opened ends the app with `load_error`
        set. Otherwise the file is read here. `early_figures`: the child at work on Home's
        figures meanwhile; Home shows them if they come before the file is read here.
        """
        # The file being opened in the background, shown until it is read; None otherwise.
        self.opening_path: Path | None = None
        if load_in_background:
            self.opening_path = store if isinstance(store, Path) else store.path
        super().__init__()
        self.loaded = False
        self.load_error: str | None = None
        self.data_generation = 0
        # The date looked back to with `t` (None: the database's date, or today).
        self._as_at_override: date | None = None
        self._view: Snapshot | None = None
        # The round the assessment screens and the dashboard show; None means the latest.
        self.current_round: str | None = None
        self._watch = watch
        self._signature: FileSignature | None = None
        self._applied_mtime = 0
        # The writer thread and reload workers both read the audit log and match this
        # session's own entries, so the offset and the entries share one lock.
        self._audit_lock = threading.Lock()
        self._audit_offset = 0
        self._own_entries: set[tuple[float, str, str, str, str]] = set()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="psr-writer")
        self._frozen = False
        self._kept_facts: KeptFacts | None = None
        self.input_queue = InputQueue(self)
        if load_in_background:
            # Keys typed before the file is read (Home may show its figures already) wait
            # for it, then apply in order.
            self.input_queue.hold_until_resumed()
        self._no_control_characters = NoControlCharacters()
        # The user's keymap and remembered theme; their problems are shown once mounted.
        self._user_keymap = read_keymap(keymap_path(config_dir()))
        self.set_keymap(self._user_keymap.keys)
        self._start_warnings = list(self._user_keymap.problems)
        self._settings_path = settings_path(config_dir())
        self._remembered_theme = self._choose_theme()
        self._store_or_path = store
        self._early_figures = early_figures
        # Whether Home's figures from the child came, or are no longer waited for.
        self._figures_settled = early_figures is None
        self._first_frame_out = False
        self._loading = False
        # Home's figures from that child, shown until the file is read here.
        self.figures_ahead: HomeFigures | None = None
        if not load_in_background:
            self._adopt(open_store(store))

    def _choose_theme(self) -> str:
        """Apply the remembered theme, else the default; returns the theme applied."""
        settings, problem = read_settings(self._settings_path)
        if problem is not None:
            self._start_warnings.append(problem)
        theme = settings.theme
        if theme is not None and theme not in self.available_themes:
            self._start_warnings.append(
                f"{self._settings_path}: there is no theme {theme}; the default is used"
            )
            theme = None
        theme = theme or default_theme(self.available_themes)
        if theme is not None:
            self.theme = theme
        return self.theme

    def _remember_theme(self, theme: Theme) -> None:
        if theme.name == self._remembered_theme:
            return
        self._remembered_theme = theme.name
        try:
            write_settings(self._settings_path, Settings(theme=theme.name))
        except OSError as exc:
            reason = (exc.strerror or str(exc)).lower()
            self.notify(
                f"The theme is not remembered: {self._settings_path}: {reason}",
                severity="warning",
            )

    def _check_keymap_ids(self) -> None:
        """Warn about keymap ids no binding has (a thread: it imports every screen)."""
        for problem in unknown_ids(self._user_keymap, binding_ids(type(self))):
            self.call_from_thread(self.notify, problem, severity="warning", timeout=10)

    def _adopt(self, opened: Opened) -> None:
        self.store = opened.store
        self.snapshot = opened.snapshot
        self._signature = opened.signature
        self._applied_mtime = opened.signature.mtime_ns if opened.signature else 0
        self._audit_offset = opened.audit_offset
        self.title = opened.snapshot.meta.partnership
        self.loaded = True

    async def on_event(self, event: events.Event) -> None:
        # Keys and pastes wait their turn: see psr_tui/input_queue.py.
        if not await self.input_queue.hold(event):
            await super().on_event(event)

    def on_unmount(self) -> None:
        self.input_queue.stop()
        if self.loaded:
            self.store.close()
        if self._early_figures is not None:
            self._early_figures.stop()

    def on_ready(self) -> None:
        self._first_frame_out = True
        self._start_loading()
        if not self._figures_settled:
            # Home's figures are on their way: the file is read here once they are shown,
            # or after a while if they are slow (a big file takes the child as long).
            self.set_timer(FIGURES_AHEAD_WAIT_SECONDS, self._stop_waiting_for_figures)
        if self._user_keymap.keys:
            self.run_worker(self._check_keymap_ids, thread=True, name="keymap", group="keymap")

    def _start_loading(self) -> None:
        """Read the file, once the first frame is out (this thread's imports, pydantic and
        the models, would share the GIL with drawing it) and Home's figures from the child
        are drawn or no longer waited for (likewise)."""
        if self.loaded or self._loading or not (self._first_frame_out and self._figures_settled):
            return
        self._loading = True
        self.run_worker(self._load, thread=True, name="open", group="open")

    def _stop_waiting_for_figures(self) -> None:
        self._figures_settled = True
        self._start_loading()

    def _load(self) -> None:
        from psr_tui.store import StoreError

        # Reading and validating the file makes hundreds of thousands of objects and no
        # cycles: with the collector off meanwhile and all of it frozen before it runs again,
        # none of its passes walk them (a third of validating 10,000 risks went on them).
        paused = self._frozen and gc.isenabled()
        if paused:
            gc.disable()
        try:
            opened = open_store(self._store_or_path)
        except StoreError as exc:
            self.post_message(self.LoadFailed(str(exc)))
            return
        finally:
            if self._frozen:
                # As in run(): the models, their schemas and the first snapshot live as long
                # as the process, so the collector need not walk them (later full passes
                # stall keys).
                gc.freeze()
            if paused:
                gc.enable()
        self.post_message(self.Loaded(opened))

    def _await_figures_ahead(self) -> None:
        assert self._early_figures is not None
        self.post_message(self.FiguresAhead(self._early_figures.wait()))

    def figures_ahead_now(self) -> HomeFigures | None:
        """Home's figures from the child, if they come within FIRST_FRAME_WAIT_SECONDS (Home
        asks as it is first composed: they are drawn in the first frame)."""
        early = self._early_figures
        if (
            early is not None
            and not (self._figures_settled or self.loaded)
            and early.ready_within(FIRST_FRAME_WAIT_SECONDS)
        ):
            self._take_figures_ahead(early.wait())
        return self.figures_ahead

    def _take_figures_ahead(self, figures: HomeFigures | None) -> None:
        self._figures_settled = True
        if figures is not None and not self.loaded:  # else the app's own are on screen
            self.figures_ahead = figures
            self.title = figures.partnership

    def on_psr_app_figures_ahead(self, message: FiguresAhead) -> None:
        from psr_tui.screens.home import HomeScreen

        self._take_figures_ahead(message.figures)
        if self.figures_ahead is not None and isinstance(self.screen, HomeScreen):
            self.screen.update_header()
            self.screen.show_figures(self.figures_ahead)
        # Read the file here once the figures are drawn.
        self.call_after_refresh(self._start_loading)

    def on_psr_app_loaded(self, message: Loaded) -> None:
        # Home is already on screen, waiting: it fills in place (no second screen to style).
        self.figures_ahead = None
        if self._early_figures is not None:
            self._early_figures.stop()
        self._adopt(message.opened)
        self._data_changed()
        # check_action hid the keys that need the data: the footer shows them again.
        self.refresh_bindings()
        self._start_polling()
        self.input_queue.resume()

    def on_psr_app_load_failed(self, message: LoadFailed) -> None:
        self.load_error = message.reason
        self.exit(return_code=1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_export":
            # Offered (in the footer too) only while an export runs.
            return any(w.group == "export" and not w.is_finished for w in self.workers)
        # Until the file is read there is nothing to show: only keys, theme and quit work.
        return self.loaded or action not in ("section", "as_at", "back", "export")

    def run(self, **kwargs: Any) -> None:
        # What is loaded by now (modules, and unless loading in the background, pydantic
        # schemas and the first snapshot) lives as long as the process. Frozen, the cyclic
        # collector stops walking it: a full collection of it cost ~28 ms before the first
        # frame, and would again at every later one. The loading worker freezes the rest.
        gc.freeze()
        self._frozen = True
        # The exit value goes back to the caller, as App.run's does (screenshots use it).
        return super().run(**kwargs)

    def get_line_filters(self) -> Sequence[LineFilter]:
        # Every line of every widget passes here on its way to the terminal.
        return [*super().get_line_filters(), self._no_control_characters]

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification is literal text: messages quote user text (names, refs, file
        paths), so markup is never read from them and control characters are drawn visibly.
        """
        super().notify(
            visible(message), title=visible(title), severity=severity, timeout=timeout, markup=False
        )

    # --- as-at date ---------------------------------------------------------------------

    @property
    def snapshot(self) -> Snapshot:
        """The data on view: as the file was last read, or as at the date looked back to
        (rounds and risks as they stood then, `psr_tui.as_at`)."""
        if self._as_at_override is None:
            return self.stored
        if self._view is None:
            from psr_tui.as_at import as_at

            self._view = as_at(self.stored, self._as_at_override)
        return self._view

    @snapshot.setter
    def snapshot(self, snapshot: Snapshot) -> None:
        self.stored = snapshot
        self._view = None

    @property
    def as_at_override(self) -> date | None:
        """The date looked back to with `t`, or None."""
        return self._as_at_override

    @as_at_override.setter
    def as_at_override(self, day: date | None) -> None:
        self._as_at_override = day
        self._view = None

    @property
    def as_at(self) -> date:
        return self.as_at_override or self.snapshot.as_at

    def register_facts(self) -> list[RiskFacts]:
        """Each risk's facts for the data and the as-at date on view, in ref order; worked
        out once per risk and kept while it is unchanged (`analysis.KeptFacts`)."""
        if self._kept_facts is None:
            from psr_tui.analysis import KeptFacts

            self._kept_facts = KeptFacts()
        snap = self.snapshot
        return self._kept_facts.facts(snap.matrix(), snap.risks(), self.as_at)

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
            if self.as_at_override is None:
                self.notify(f"Showing the data as at {self.as_at_text}")
            else:
                from psr_tui.analysis.as_at import LOOKING_BACK

                self.notify(f"Showing the data as at {self.as_at_text}: {LOOKING_BACK}")
            self._data_changed()

        self.push_screen(
            TextInputDialog(
                "View as at (empty = the database's date, or today):",
                format_date(self.as_at),
                check=check,
            ),
            chosen,
        )

    # --- current round -----------------------------------------------------------------

    @property
    def round_name(self) -> str | None:
        """The current round if it still exists, else the latest round (None: no rounds)."""
        if self.current_round and self.snapshot.round(self.current_round):
            return self.current_round
        latest = self.snapshot.latest_round()
        return latest.model.name if latest else None

    def set_current_round(self, name: str | None) -> None:
        self.current_round = name
        shown = self.round_name
        self.notify(f"Showing round {shown}" if shown else "No rounds yet")
        self._data_changed()

    # --- navigation ---------------------------------------------------------------------

    def on_mount(self) -> None:
        if not self._figures_settled and not self.loaded:
            # Waits on a pipe, holding no lock: the first frame is drawn meanwhile.
            self.run_worker(self._await_figures_ahead, thread=True, name="early", group="early")
        for warning in self._start_warnings:
            self.notify(warning, severity="warning", timeout=10)
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        if self.loaded:
            self._start_polling()

    def _start_polling(self) -> None:
        if self._watch:
            self.set_interval(POLL_SECONDS, self.reload)

    def action_section(self, mode: str) -> None:
        if self.current_mode == mode:
            # Pressing the section's key again returns to its first screen.
            while len(self.screen_stack) > 1:
                self.pop_screen()
            return
        self.switch_mode(mode)

    async def action_back(self) -> None:
        self.go_back()

    def go_back(self) -> None:
        """Close the screen on top, or from a section's first screen return Home."""
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

    def action_cancel_export(self) -> None:
        self.workers.cancel_group(self, "export")

    def action_next_theme(self) -> None:
        themes = [t for t in THEMES if t in self.available_themes]
        current = themes.index(self.theme) if self.theme in themes else -1
        self.theme = themes[(current + 1) % len(themes)]
        self.notify(f"Theme: {self.theme}")

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if not self.loaded:
            return
        for mode, key, label, tip in SECTIONS:
            yield SystemCommand(
                f"Go to {label} ({key})", tip, lambda m=mode: self.action_section(m)
            )
        for kind, label in REPORTS:
            yield SystemCommand(
                f"Export {label} (PDF)",
                f"Write the {label.lower()} as an A4 PDF",
                lambda k=kind: self.action_export(k),
            )
        yield SystemCommand(
            "Set the as-at date (t)", "View the data as at another date", self.action_as_at
        )
        yield SystemCommand(
            "Next theme: dark, light, 16-colour",
            "Cycle the dark, light and 16-colour (ANSI) themes",
            self.action_next_theme,
        )
        rounds = self.snapshot.rounds()
        for record in reversed(rounds):
            name = record.model.name
            yield SystemCommand(
                f"Switch round: {name}",
                f"Show round {name} ({record.model.framework}) in the assessment screens",
                lambda n=name: self.set_current_round(n),
                discover=False,
            )
        if rounds:
            yield SystemCommand(
                "Switch round: the latest",
                "Always show the most recent round",
                lambda: self.set_current_round(None),
                discover=False,
            )

    # --- data: reading, live refresh ----------------------------------------------------

    def reload(self) -> None:
        """Read the file again in a worker if it changed since this session last read it.

        The live refresh calls this every POLL_SECONDS; a screen calls it to show another
        session's version at once (after a conflict), without waiting for the next poll.
        """
        if not self.loaded:
            return
        signature = self.store.signature()
        if signature != self._signature:
            self._signature = signature
            self.run_worker(self._reload, thread=True, exclusive=True, group="reload")

    def _reload(self) -> None:
        from psr_tui.store import StoreError

        # The signature before the read: the snapshot is at least that new.
        signature = self.store.signature()
        try:
            # A large file is parsed and compared in a child process: only the rows that
            # changed come back, so the keys typed meanwhile do not wait on this thread.
            snapshot = self.store.snapshot_after(self.stored)
            # Validated here, not on the UI thread when a screen first reads a table.
            snapshot.read_every_table()
        except StoreError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", timeout=10)
            return
        others = self._entries_from_others()
        self.call_from_thread(self._apply_snapshot, snapshot, signature, others)

    def _entries_from_others(self) -> list[AuditEntry]:
        """New audit entries that this session did not write (any thread)."""
        from psr_tui.store import audit as audit_log

        with self._audit_lock:
            entries, self._audit_offset = audit_log.read_since(self.store.path, self._audit_offset)
            others = []
            for entry in entries:
                key = _entry_key(entry)
                if key in self._own_entries:
                    self._own_entries.discard(key)
                else:
                    others.append(entry)
            return others

    def _apply_snapshot(
        self, snapshot: Snapshot, signature: FileSignature | None, others: list[AuditEntry]
    ) -> None:
        self._announce(others)
        if self._take(snapshot, signature):
            self._data_changed()

    def _take(self, snapshot: Snapshot, signature: FileSignature | None) -> bool:
        """Make `snapshot` current unless newer data is already shown."""
        mtime = signature.mtime_ns if signature else 0
        # A reload and a save can finish out of order; never go back to older data.
        if mtime < self._applied_mtime:
            return False
        self._applied_mtime = mtime
        self.snapshot = snapshot
        self.title = snapshot.meta.partnership
        return True

    def _announce(self, others: list[AuditEntry]) -> None:
        if others:
            self.notify(describe_changes(others), title="Changed in another session", timeout=6)

    def _data_changed(self) -> None:
        self.data_generation += 1
        # Only the screen on view redraws now: the others catch up when shown again
        # (SectionScreen.on_screen_resume), so a save never pays for hidden screens.
        if isinstance(self.screen, SectionScreen):
            self.screen.data_changed()

    def freeze_what_is_kept(self) -> None:
        """After a screen has drawn new data: as at load, the snapshot and the rows drawn
        from it live until the next change, so the collector's full passes need not walk
        them (at 10,000 risks each stalled the screen 70-370 ms); what they replace is
        freed by reference counts, frozen or not."""
        if self._frozen:
            gc.freeze()

    # --- data: writing -------------------------------------------------------------------

    def _to_ui(self, callback: Callable[..., Any], *args: Any) -> None:
        """Run `callback` on the UI thread, inside the app's context, without waiting.

        `call_from_thread` would wait, and deadlock with `flush_writes` called on the UI
        thread while a save is finishing. A Callback message (thread-safe to post) runs in
        the app's message loop, so the callback can push screens and dialogs.
        """
        self.call_later(callback, *args)

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
        a conflict goes to `conflict` (or a notification), any other failure to `failed`
        (or a notification naming what was not saved and why): a full disk, a file this
        user may not write, and a bug in the change alike, so that every screen keeps its
        edit on show and the app carries on. A bug's traceback goes to the error log.
        """
        if not self.loaded:
            raise RuntimeError("save() before the file is loaded")

        def run() -> tuple[T, Snapshot, FileSignature | None, list[AuditEntry]]:
            from psr_tui.store import NotSavedError, StoreError
            from psr_tui.store.store import describe_entries

            keys: list[tuple[float, str, str, str, str]] = []
            entries: list[AuditEntry] = []
            try:
                with self.store.transaction() as tx:
                    entries = tx.audit
                    result = change(tx)
                    # Recorded before the commit, so a poll that sees the new file knows them.
                    keys = [_entry_key(e) for e in tx.audit]
                    with self._audit_lock:
                        self._own_entries.update(keys)
            except BaseException as exc:
                with self._audit_lock:
                    self._own_entries.difference_update(keys)
                if isinstance(exc, StoreError) or not isinstance(exc, Exception):
                    raise
                from psr_tui import errorlog

                reason = errorlog.one_line(exc, f"saving in {self.store.path}")
                raise NotSavedError(reason, describe_entries(entries)) from exc
            # The signature before the read: the snapshot is at least that new, so another
            # process's write in between is never taken for this one.
            signature = self.store.signature()
            # Read back as the reload worker reads: in a child process for a large file.
            snapshot = self.store.snapshot_after(self.stored)
            # Validated here, not on the UI thread; a table the rules refuse (another
            # process wrote it) is reported as before, by the screen that reads it.
            with contextlib.suppress(StoreError):
                snapshot.read_every_table()
            return result, snapshot, signature, self._entries_from_others()

        def finished(future: Future[Any]) -> None:
            error = future.exception()
            if error is None:
                self._to_ui(self._saved, *future.result(), done)
            else:
                self._to_ui(self._save_failed, error, conflict, failed)

        future: Future[Any] = self._writer.submit(run)
        future.add_done_callback(finished)
        return future

    def _saved(
        self,
        result: T,
        snapshot: Snapshot,
        signature: FileSignature | None,
        others: list[AuditEntry],
        done: Callable[[T], None] | None,
    ) -> None:
        # Our own write is not a change to reload; a later one by another process is.
        if signature is not None and signature == self.store.signature():
            self._signature = signature
        self._announce(others)
        self._take(snapshot, signature)
        if done is not None:
            done(result)
        self._data_changed()

    def _save_failed(
        self,
        error: BaseException,
        conflict: Callable[[ConflictError], None] | None,
        failed: Callable[[StoreError], None] | None,
    ) -> None:
        from psr_tui.store import ConflictError, StoreError

        if isinstance(error, ConflictError) and conflict is not None:
            conflict(error)
        elif isinstance(error, StoreError) and failed is not None:
            failed(error)
        elif isinstance(error, StoreError):
            self.notify(f"Not saved: {error}", severity="error", timeout=10)
        else:
            raise error

    def flush_writes(self) -> None:
        """Wait until every queued save is on disk (used on quit and by tests)."""
        self._writer.submit(lambda: None).result()

    async def action_quit(self) -> None:
        # Wait in a thread so the screen keeps drawing while the last saves land.
        await asyncio.to_thread(self._writer.shutdown, wait=True)
        self.exit()


def describe_changes(entries: list[AuditEntry]) -> str:
    """'vwillett edited risks R3 at 14:02' for one change; a count for many."""
    from psr_tui.audit_words import past_tense

    last = entries[-1]
    done = past_tense(last.action)
    text = f"{last.user} {done} {last.table} {last.record} at {_clock(last.at)}"
    if len(entries) > 1:
        text += f" (and {len(entries) - 1} more change{'s' if len(entries) > 2 else ''})"
    return text


def _clock(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M")
