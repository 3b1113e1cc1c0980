"""The export dialog: where a paper goes and how it is issued (status, version,
classification), what members are asked to do, and which risks the register lists.

It returns an ExportRequest, or None when cancelled. The same checks as `psr export`
(psr_tui.exports.options) say what is wrong beside the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Select, TextArea

from psr_tui.dialogs.form import FieldErrors, FormDialog
from psr_tui.errors import ExportError
from psr_tui.exports.context import TITLES
from psr_tui.exports.options import (
    CLASSIFICATIONS,
    STATUSES,
    PaperOptions,
    RegisterLimits,
    clean_recommendations,
    document_control,
)
from psr_tui.widgets.text import literal

ANY_BAND = "any band"


@dataclass(frozen=True)
class ExportRequest:
    path: Path
    options: PaperOptions


class ExportDialog(FormDialog[ExportRequest]):
    """`recommendations` are each paper's defaults, in print order; `bands` the matrix's
    band names (lowest first) when the export has a register, else empty."""

    # A form this long moves on with enter; ctrl+s (or Export) writes the PDF.
    SAVE_ON_ENTER = False
    SAVE_LABEL = "Export (ctrl+s)"
    DEFAULT_CSS = """
    ExportDialog TextArea { height: 6; }
    ExportDialog Checkbox { margin-top: 1; }
    """

    def __init__(
        self,
        kind: str,
        default_path: str,
        *,
        recommendations: Mapping[str, Sequence[str]],
        bands: Sequence[str] = (),
        check_path: Callable[[str], str | None],
        title: str = "",
    ) -> None:
        # `title` names the paper when its kind does not say enough ("Minutes of ...").
        super().__init__(f"Export the {title or TITLES[kind].lower()} as PDF")
        self.kind = kind
        self.default_path = default_path
        self.defaults = {paper: list(lines) for paper, lines in recommendations.items()}
        self.bands = list(bands)
        self.check_path = check_path

    def on_mount(self) -> None:
        # FormDialog.on_mount focuses the first field of the focus chain as it is at mount,
        # which here is the first Checkbox (the Input, Select and TextArea above it join the
        # chain later): the file comes first once the form is laid out.
        self.call_after_refresh(self._focus_path)

    def _focus_path(self) -> None:
        self.query_one("#path", Input).focus()
        self.query_one("#fields").scroll_home(animate=False)

    @property
    def has_register(self) -> bool:
        return self.kind in ("risks", "pack") and bool(self.bands)

    def compose_fields(self) -> ComposeResult:
        yield from self.field("File (.pdf)", Input(self.default_path, id="path"))
        yield from self.field(
            "Status",
            Select([(s, s) for s in STATUSES], value=STATUSES[0], allow_blank=False, id="status"),
        )
        yield from self.field("Version", Input("1", id="version"))
        yield from self.field(
            "Security classification (printed on every page)",
            Select(
                [(c, c) for c in CLASSIFICATIONS],
                value=CLASSIFICATIONS[0],
                allow_blank=False,
                id="classification",
            ),
        )
        for paper, lines in self.defaults.items():
            label = f"{TITLES[paper]}: recommendations, one a line"
            yield from self.field(label, TextArea("\n".join(lines), id=f"rec-{paper}"))
        if self.has_register:
            yield Checkbox("Register: open risks only", id="open")
            yield Checkbox("Register: overdue actions only", id="overdue")
            yield from self.field(
                "Register: band at least",
                Select(
                    [(ANY_BAND, ANY_BAND), *((literal(b), b) for b in self.bands)],
                    value=ANY_BAND,
                    allow_blank=False,
                    id="band",
                ),
            )
            yield from self.field(
                "Register: the N highest scores only (empty: every risk)", Input(id="top")
            )

    def validate(self) -> ExportRequest | str | FieldErrors:
        errors = FieldErrors()
        path_text = self.text("path")
        problem = self.check_path(path_text)
        if problem:
            errors["path"] = problem
        top: int | None = None
        if self.has_register and self.text("top"):
            try:
                top = int(self.text("top"))
            except ValueError:
                top = 0
            if top < 1:
                errors["top"] = f"{self.text('top')!r}: give a whole number, 1 or more"
        try:
            control = document_control(
                self.choice("status") or STATUSES[0],
                self.text("version"),
                self.choice("classification") or CLASSIFICATIONS[0],
            )
        except ExportError as exc:
            errors["version"] = str(exc)
            control = None
        recommendations: dict[str, list[str]] = {}
        for paper, defaults in self.defaults.items():
            typed = self.query_one(f"#rec-{paper}", TextArea).text.splitlines()
            try:
                lines = clean_recommendations(typed, paper)
            except ExportError as exc:
                errors[f"rec-{paper}"] = str(exc)
                continue
            if not lines:
                errors[f"rec-{paper}"] = "Give at least one, e.g. note the report"
                continue
            if lines != clean_recommendations(defaults, paper):
                recommendations[paper] = lines
        if errors or control is None:
            return errors
        return ExportRequest(
            Path(path_text).expanduser(),
            PaperOptions(
                control=control, limits=self._limits(top), recommendations=recommendations
            ),
        )

    def _limits(self, top: int | None) -> RegisterLimits:
        if not self.has_register:
            return RegisterLimits()
        band = self.choice("band")
        return RegisterLimits(
            open_only=self.query_one("#open", Checkbox).value,
            band_at_least=band if band and band != ANY_BAND else None,
            overdue_only=self.query_one("#overdue", Checkbox).value,
            top=top,
        )
