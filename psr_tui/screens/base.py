"""The base of every top-level section screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen

from psr_tui.widgets.footer import KeysFooter
from psr_tui.widgets.header import PsrHeader

if TYPE_CHECKING:
    from psr_tui.app import PsrApp
    from psr_tui.errors import ConflictError, StoreError
    from psr_tui.models import Framework
    from psr_tui.store import Transaction

T = TypeVar("T")
# A named change with the transaction and whether to put this session's values over a
# clash (the user's answer to the conflict dialog).
Change = Callable[["Transaction", bool], T]


class SectionScreen(Screen[None]):
    """A screen that shows data from the store.

    Subclasses compose their body in `compose_body` and redraw from `self.psr.snapshot` in
    `refresh_data`, which runs on mount, when the data changes (any session's write) and
    when the screen is shown again after a change it missed.
    """

    SECTION = ""
    # What a date looked back to (`t`) changes here, as the header says it: the rounds and
    # risks as they stood then; screens of the programme, actions and meetings say what
    # stays as today (`psr_tui.analysis.as_at`).
    LOOKING_BACK = "rounds, risks as then"

    def __init__(self) -> None:
        super().__init__()
        self._seen_generation = -1

    @property
    def psr(self) -> PsrApp:
        return cast("PsrApp", self.app)

    def compose(self) -> ComposeResult:
        yield PsrHeader()
        yield from self.compose_body()
        yield KeysFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.update_header()
        self.data_changed()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        self.update_header()
        self.data_changed()

    def update_header(self) -> None:
        header = self.query_one(PsrHeader)
        header.section = self.SECTION
        if not self.psr.loaded:
            # Drawn while the file is read in the background: the partnership once Home's
            # figures came ahead, else the file's path; no date or user yet.
            ahead = self.psr.figures_ahead
            header.partnership = ahead.partnership if ahead else str(self.psr.opening_path)
            return
        header.partnership = self.psr.snapshot.meta.partnership
        header.as_at = self.psr.as_at_text
        header.user = self.psr.store.user
        header.pinned = self.psr.as_at_pinned
        header.looking_back = self.LOOKING_BACK if self.psr.as_at_override else ""

    def data_changed(self) -> None:
        """Called by the app after any change; redraws only if this screen has not seen it."""
        if not self.psr.loaded:
            return
        if self._seen_generation != self.psr.data_generation:
            self._seen_generation = self.psr.data_generation
            self.update_header()
            self.refresh_data()
            self.psr.freeze_what_is_kept()

    def refresh_data(self) -> None:
        """Redraw from `self.psr.snapshot`, keeping the cursor and any edit in progress."""

    def save_change(
        self,
        change: Change[T],
        what: str,
        *,
        done: Callable[[T], None] | None = None,
        failed: Callable[[StoreError], None] | None = None,
        framework: Framework | None = None,
        reloaded: Callable[[], None] | None = None,
    ) -> None:
        """Run `change` in one transaction. When another session changed the same fields
        meanwhile, the conflict dialog shows both values and asks: overwrite runs the change
        again over theirs, reload drops it and shows theirs. `what` names the change there
        ("edited Phase 1"); `framework` names an assessment record's domains in it. A
        refusal goes to `failed`, else to a notification; `reloaded` is told when the user
        dropped the change for theirs.
        """

        # The app calls back from its own message loop, outside this screen, where a
        # dialog cannot be composed: each callback runs from this screen's queue.
        def later(callback: Callable[[Any], None]) -> Callable[[Any], None]:
            def queued(value: Any) -> None:
                self.call_later(callback, value)

            return queued

        finished = later(done) if done else None

        def refused(error: StoreError) -> None:
            self.notify(f"Not saved: {error}", severity="error", timeout=10)

        def conflict(error: ConflictError) -> None:
            # Here, not at the top: the dialog brings the models (pydantic), which the
            # first frame of `psr` is drawn without.
            from psr_tui.dialogs.conflict import ConflictDialog

            def answered(overwrite: bool | None) -> None:
                if overwrite:
                    self.psr.save(
                        lambda tx: change(tx, True),
                        done=finished,
                        failed=later(failed or refused),
                    )
                else:
                    self.notify(f"Reloaded: your change ({what}) was not saved")
                    self.psr.reload()
                    if reloaded is not None:
                        reloaded()

            self.app.push_screen(ConflictDialog(error, what, framework=framework), answered)

        self.psr.save(
            lambda tx: change(tx, False),
            done=finished,
            conflict=later(conflict),
            failed=later(failed or refused),
        )
