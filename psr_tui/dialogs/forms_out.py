"""Where to write a round's forms, and whether to add a printable PDF per respondent."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input

from psr_tui.dialogs.form import FieldErrors, FormDialog


@dataclass(frozen=True)
class FormsOutRequest:
    folder: Path
    pdf: bool


class FormsOutDialog(FormDialog[FormsOutRequest]):
    SAVE_LABEL = "Write forms (ctrl+s)"

    def __init__(self, title: str, folder: str) -> None:
        super().__init__(title)
        self.folder = folder

    def compose_fields(self) -> ComposeResult:
        yield from self.field(
            "Folder (made if missing; a respondent's earlier form there is replaced)",
            Input(self.folder, id="folder"),
        )
        yield Checkbox("Also a printable A4 PDF per respondent", id="pdf")

    def validate(self) -> FormsOutRequest | FieldErrors:
        text = self.text("folder")
        if not text:
            return FieldErrors(folder="Type the folder to write the forms to")
        folder = Path(text).expanduser().absolute()
        if folder.exists() and not folder.is_dir():
            return FieldErrors(folder=f"{folder} is a file, not a folder")
        return FormsOutRequest(folder, self.query_one("#pdf", Checkbox).value)
