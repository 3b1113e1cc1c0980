"""The assessment form as an .xlsx workbook: written for one respondent, read back returned.

The sheet a respondent sees lists every domain with its guiding question, a score cell
(a drop-down of the framework's levels), a comment cell and the level descriptors, wrapped
in sized columns; their name, organisation and group are filled in. The sheet is protected
with only the score and comment cells open, and the workbook's structure is locked. A
second, very hidden sheet carries the form's details (`FormDetails`) and where each domain's
cells are, so a returned copy is read by what the form says about itself, not by guessing at
its layout. No cell is a formula: text is stored as text, whatever it starts with.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from psr_tui.errors import StoreError
from psr_tui.exports.forms import (
    FORM_VERSION,
    FormDetails,
    NotALevelError,
    level_choice,
    level_choices,
    levels_range,
    read_level,
)
from psr_tui.models import Framework
from psr_tui.text import imported

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

FORM_SHEET = "Form"
LEVELS_SHEET = "Levels"
DETAILS_SHEET = "psr form"
LEVELS_NAME = "psr_levels"
SCORE_COLUMN, COMMENT_COLUMN = "B", "C"
FIRST_DESCRIPTOR_COLUMN = 4
HEADER_ROW = 10

# Column widths, in characters of the default font.
DOMAIN_WIDTH, COMMENT_WIDTH, DESCRIPTOR_WIDTH = 30, 36, 34
# Points per wrapped line of 10-point text, and the padding of a row.
LINE_POINTS, ROW_PADDING = 13.0, 4.0
# A returned form larger than this (on disk, or unpacked) is not a form psr made.
LARGEST_FORM_BYTES = 20 * 1024 * 1024

INSTRUCTIONS = (
    "For each domain, read the level descriptors and choose the one that best describes where "
    "the partnership is now: pick it from the drop-down in the Your score column. Add a comment "
    "if you wish. Then save this file and send it back as it is. Your name, organisation and "
    "group are filled in for you: if one is wrong, tell the programme office rather than "
    "changing it."
)
DETAILS_NOTE = (
    "psr reads this sheet to match the returned form to its respondent: leave it as it is."
)
# The details sheet's rows: each field of FormDetails but the domains, by its label.
_DETAIL_FIELDS = (
    "version",
    "partnership",
    "round",
    "framework",
    "shape",
    "name",
    "organisation",
    "group",
    "sent",
)

_FILL_TO_COMPLETE = "FFF4C2"
_HEADER_FILL = "E4EAF1"
_HEADER_COLOUR = "1F3A5F"


def _clean(text: str) -> str:
    """Text as a cell can hold it: XML has no place for most C0 control characters."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return str(ILLEGAL_CHARACTERS_RE.sub("", text))


def _put(cell: Cell, text: str) -> None:
    """Text into a cell as text: "=..." stays what it says, never a formula."""
    cell.value = _clean(text)
    cell.data_type = "s"


def _lines(text: str, width: float) -> int:
    """How many lines `text` wraps to in a column `width` characters wide (an estimate on
    the generous side: a row a little tall reads better than one cut off)."""
    per_line = max(width - 2, 1)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def _row_height(cells: Sequence[tuple[str, float]]) -> float:
    return max(_lines(text, width) for text, width in cells) * LINE_POINTS + ROW_PADDING


def form_xlsx(details: FormDetails, framework: Framework) -> bytes:
    """The form for one respondent as .xlsx bytes."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = FORM_SHEET
    _levels_sheet(workbook, framework)
    _form_sheet(sheet, details, framework)
    _details_sheet(workbook, details)
    workbook.security = WorkbookProtection(lockStructure=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _levels_sheet(workbook: Workbook, framework: Framework) -> None:
    """The drop-down's choices, on a hidden sheet, under a defined name."""
    from openpyxl.workbook.defined_name import DefinedName

    sheet = workbook.create_sheet(LEVELS_SHEET)
    choices = level_choices(framework)
    for row, choice in enumerate(choices, start=1):
        _put(sheet.cell(row=row, column=1), choice)
    sheet.sheet_state = "hidden"
    sheet.protection.sheet = True
    workbook.defined_names[LEVELS_NAME] = DefinedName(
        LEVELS_NAME, attr_text=f"'{LEVELS_SHEET}'!$A$1:$A${len(choices)}"
    )


def _form_sheet(sheet: Worksheet, details: FormDetails, framework: Framework) -> None:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    levels = level_choices(framework)
    score_width = max(14, max(len(c) for c in levels) + 4)
    widths = [DOMAIN_WIDTH, score_width, COMMENT_WIDTH, *[DESCRIPTOR_WIDTH] * len(levels)]
    last_column = get_column_letter(len(widths))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    wrap = Alignment(wrap_text=True, vertical="top")
    thin = Side(style="thin", color="9AA7B5")
    boxed = Border(left=thin, right=thin, top=thin, bottom=thin)
    to_fill = PatternFill("solid", fgColor=_FILL_TO_COMPLETE)
    open_cell = Protection(locked=False)

    _put(sheet["A1"], details.partnership)
    sheet["A1"].font = Font(bold=True, size=12, color=_HEADER_COLOUR)
    _put(sheet["A2"], f"{framework.name}: self-assessment form")
    sheet["A2"].font = Font(bold=True, size=14, color=_HEADER_COLOUR)
    _put(sheet["A3"], f"Round: {details.round}")
    _put(sheet["A4"], INSTRUCTIONS)
    sheet.merge_cells(f"A4:{last_column}4")
    sheet["A4"].alignment = wrap
    sheet.row_dimensions[4].height = _row_height([(INSTRUCTIONS, sum(widths))])

    for row, (label, value) in enumerate(
        (("Name", details.name), ("Organisation", details.organisation), ("Group", details.group)),
        start=6,
    ):
        _put(sheet.cell(row=row, column=1), f"{label}:")
        sheet.cell(row=row, column=1).font = Font(bold=True)
        _put(sheet.cell(row=row, column=2), value)
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=3)

    header = ["Domain", "Your score", "Comment (optional)", *levels]
    for column, title in enumerate(header, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column)
        _put(cell, title)
        cell.font = Font(bold=True, color=_HEADER_COLOUR)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        cell.alignment = wrap
        cell.border = boxed

    choose = DataValidation(
        type="list",
        formula1=LEVELS_NAME,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not a level",
        error=f"Choose one of the levels {levels_range(framework)} from the list.",
        showInputMessage=True,
        promptTitle="Your score",
        prompt=f"Choose a level ({levels_range(framework)}) from the list.",
    )
    sheet.add_data_validation(choose)
    for row, domain in enumerate(framework.domains, start=HEADER_ROW + 1):
        name_cell = sheet.cell(row=row, column=1)
        if domain.question:
            name_cell.value = CellRichText(
                TextBlock(InlineFont(b=True), _clean(domain.name)),
                "\n" + _clean(domain.question),
            )
        else:
            _put(name_cell, domain.name)
            name_cell.font = Font(bold=True)
        score = sheet[f"{SCORE_COLUMN}{row}"]
        comment = sheet[f"{COMMENT_COLUMN}{row}"]
        if domain.key in details.sent_scores:
            _put(score, level_choice(framework, details.sent_scores[domain.key]))
        if domain.key in details.sent_comments:
            _put(comment, details.sent_comments[domain.key])
        choose.add(score)
        for cell in (score, comment):
            cell.protection = open_cell
            cell.fill = to_fill
        for column, descriptor in enumerate(domain.descriptors, start=FIRST_DESCRIPTOR_COLUMN):
            _put(sheet.cell(row=row, column=column), descriptor)
        for column in range(1, len(widths) + 1):
            sheet.cell(row=row, column=column).alignment = wrap
            sheet.cell(row=row, column=column).border = boxed
        texts = [(f"{domain.name}\n{domain.question}".strip(), DOMAIN_WIDTH)]
        texts += [(d, DESCRIPTOR_WIDTH) for d in domain.descriptors]
        sheet.row_dimensions[row].height = _row_height(texts)

    sheet.freeze_panes = f"D{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    # Locked cells stay as they are; the columns and rows may still be resized.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.sheet_view.selection[0].activeCell = f"{SCORE_COLUMN}{HEADER_ROW + 1}"
    sheet.sheet_view.selection[0].sqref = f"{SCORE_COLUMN}{HEADER_ROW + 1}"


def _details_sheet(workbook: Workbook, details: FormDetails) -> None:
    sheet = workbook.create_sheet(DETAILS_SHEET)
    _put(sheet.cell(row=1, column=1), DETAILS_NOTE)
    values: dict[str, str] = {
        "version": str(details.version),
        "partnership": details.partnership,
        "round": details.round,
        "framework": details.framework,
        "shape": details.shape,
        "name": details.name,
        "organisation": details.organisation,
        "group": details.group,
        "sent": details.sent.isoformat(),
    }
    row = 2
    for label in _DETAIL_FIELDS:
        _put(sheet.cell(row=row, column=1), label)
        _put(sheet.cell(row=row, column=2), values[label])
        row += 1
    for label, value in (("score column", SCORE_COLUMN), ("comment column", COMMENT_COLUMN)):
        _put(sheet.cell(row=row, column=1), label)
        _put(sheet.cell(row=row, column=2), value)
        row += 1
    # Each domain: its key, its row on the form, and what the form showed when sent.
    for position, key in enumerate(details.domains):
        _put(sheet.cell(row=row, column=1), "domain")
        _put(sheet.cell(row=row, column=2), key)
        sheet.cell(row=row, column=3, value=HEADER_ROW + 1 + position)
        if key in details.sent_scores:
            sheet.cell(row=row, column=4, value=details.sent_scores[key])
        _put(sheet.cell(row=row, column=5), details.sent_comments.get(key, ""))
        row += 1
    sheet.sheet_state = "veryHidden"
    sheet.protection.sheet = True


# --- returned forms ------------------------------------------------------------------------


class FormFileError(StoreError):
    """A file that is not a form psr can read back."""


@dataclass(frozen=True)
class FilledForm:
    """A returned .xlsx form as read: its details and, per domain key, the raw cell values."""

    path: Path
    details: FormDetails
    scores: dict[str, Any]
    comments: dict[str, Any]


def _guard_size(path: Path) -> None:
    """Refuse what no form of ours is: a huge file, or a small one that unpacks huge."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FormFileError(f"{path.name}: cannot read it ({exc.strerror or exc})") from None
    too_big = FormFileError(f"{path.name}: too large to be a psr form ({size:,} bytes)")
    if size > LARGEST_FORM_BYTES:
        raise too_big
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        raise FormFileError(
            f"{path.name}: not an .xlsx workbook (save the form as Excel .xlsx and try again)"
        ) from None
    if unpacked > LARGEST_FORM_BYTES:
        raise too_big


def _text(value: Any) -> str:
    return "" if value is None else imported(str(value)).strip()


def _details(path: Path, workbook: Workbook) -> tuple[FormDetails, str, str, list[int]]:
    if DETAILS_SHEET not in workbook.sheetnames:
        raise FormFileError(
            f"{path.name}: not a psr assessment form (it has no form details); "
            "forms come from `psr form`"
        )
    sheet = workbook[DETAILS_SHEET]
    fields: dict[str, str] = {}
    keys: list[str] = []
    rows: list[int] = []
    sent_scores: dict[str, int] = {}
    sent_comments: dict[str, str] = {}
    for label, value, row, score, comment in sheet.iter_rows(
        min_row=2, max_col=5, values_only=True
    ):
        name = _text(label)
        if name == "domain":
            key = _text(value)
            keys.append(key)
            rows.append(row if isinstance(row, int) else 0)
            if isinstance(score, int):
                sent_scores[key] = score
            if _text(comment):
                sent_comments[key] = _text(comment)
        elif name:
            fields[name] = _text(value)

    def damaged(what: str) -> FormFileError:
        return FormFileError(
            f"{path.name}: the form's details are damaged ({what}): send the respondent a new "
            "form with `psr form`"
        )

    version = fields.get("version", "")
    if not version.isdigit():
        raise damaged("no form version")
    if int(version) > FORM_VERSION:
        raise FormFileError(
            f"{path.name}: made by a newer psr (form version {version}, this psr reads up to "
            f"{FORM_VERSION}): upgrade psr-tui"
        )
    missing = [f for f in _DETAIL_FIELDS if f not in fields]
    if missing:
        raise damaged(f"no {', '.join(missing)}")
    if not keys or any(not k for k in keys) or any(r <= HEADER_ROW for r in rows):
        raise damaged("its domains")
    try:
        sent = date.fromisoformat(fields["sent"])
    except ValueError:
        raise damaged("the date it was sent") from None
    details = FormDetails(
        version=int(version),
        partnership=fields["partnership"],
        round=fields["round"],
        framework=fields["framework"],
        shape=fields["shape"],
        name=fields["name"],
        organisation=fields["organisation"],
        group=fields["group"],
        sent=sent,
        domains=tuple(keys),
        sent_scores=sent_scores,
        sent_comments=sent_comments,
    )
    score_column = fields.get("score column", SCORE_COLUMN)
    comment_column = fields.get("comment column", COMMENT_COLUMN)
    if not (score_column.isalpha() and comment_column.isalpha()):
        raise damaged("where the scores are")
    return details, score_column.upper(), comment_column.upper(), rows


def read_filled_form(path: Path) -> FilledForm:
    """Read a returned form's details and its score and comment cells, unchecked; a file
    that is not a psr form is FormFileError naming it."""
    from openpyxl import load_workbook

    path = Path(path)
    _guard_size(path)
    try:
        workbook = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise FormFileError(f"{path.name}: not an .xlsx workbook psr can read ({exc})") from None
    details, score_column, comment_column, rows = _details(path, workbook)
    if FORM_SHEET not in workbook.sheetnames:
        raise FormFileError(f"{path.name}: the form's sheet {FORM_SHEET!r} is missing")
    sheet = workbook[FORM_SHEET]
    scores: dict[str, Any] = {}
    comments: dict[str, Any] = {}
    for key, row in zip(details.domains, rows, strict=True):
        scores[key] = sheet[f"{score_column}{row}"].value
        comments[key] = sheet[f"{comment_column}{row}"].value
    return FilledForm(path, details, scores, comments)


def form_values(
    form: FilledForm, framework: Framework
) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """The form's scores and comments by domain key, and every problem with them, each
    naming the file, the domain and the value."""
    scores: dict[str, int] = {}
    comments: dict[str, str] = {}
    problems: list[str] = []
    for key, value in form.scores.items():
        domain = framework.domain(key)
        name = domain.name if domain else key
        try:
            level = read_level(value, framework)
        except NotALevelError as exc:
            problems.append(f"{form.path.name}: {name}: {exc}")
            continue
        if level is not None:
            scores[key] = level
    for key, value in form.comments.items():
        text = _text(value)
        if text:
            comments[key] = text
    return scores, comments, problems
