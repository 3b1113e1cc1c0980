"""Tables of cells in and out: reading a CSV, and writing rows as .csv or .xlsx.

Shared by the responses and the risk register import/export. A file written here is
replaced atomically, and no cell is a formula a spreadsheet would run:

- in a .csv, a cell that starts with = + - @, tab or carriage return gets a leading ' (as
  OWASP recommends against CSV injection), and `read_csv` takes exactly that ' off again,
  so an export read back holds the text as it was;
- in an .xlsx every cell that is not a whole number below the header is stored as text,
  so a respondent's "=..." stays what was typed. XML cannot hold the C0 control characters
  other than tab, newline and carriage return: those are left out of the cell, and a
  carriage return is written as a newline (what an XML reader makes of it, but openpyxl
  writes it through lxml when lxml is installed, as pikepdf installs it, and keeps it).

Cells read from a CSV have their line ends made "\n" and any other control character drawn
as its symbol (ESC as ␛, `psr_tui.text.imported`).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from psr_tui.store import InvalidRecordError, StoreError
from psr_tui.store.files import atomic_write
from psr_tui.text import imported

# A one-line CLI error lists this many problems, then a count of the rest.
PROBLEMS_SHOWN = 5

# A cell a spreadsheet would read as a formula, with any quotes already before it: those get
# one more quote on the way out, so that the way in can take exactly one off.
_FORMULA_START = re.compile("'*[=+\\-@\t\r]")


def neutralise(cell: str) -> str:
    """The cell as a CSV holds it: a leading ' where a spreadsheet would start a formula."""
    return f"'{cell}" if _FORMULA_START.match(cell) else cell


def restore(cell: str) -> str:
    """The cell `neutralise` was given (any text a CSV holds comes back as it was)."""
    return cell[1:] if cell.startswith("'") and _FORMULA_START.match(cell, 1) else cell


class TableImportError(InvalidRecordError):
    """A file with problems; `problems` lists every one, str() the first few."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        shown = "; ".join(problems[:PROBLEMS_SHOWN])
        more = len(problems) - PROBLEMS_SHOWN
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
        super().__init__(f"{path}: {shown}{suffix}; nothing was imported")
        self.path = path
        self.problems = problems


def read_csv(path: Path) -> list[list[str]]:
    """The file's rows as lists of cells (blank lines dropped); raises StoreError if unreadable."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise StoreError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise StoreError(
            f"{path}: not UTF-8 text (byte {exc.start + 1} is not valid); "
            "save it as 'CSV UTF-8' and try again"
        ) from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read it ({exc.strerror})") from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise StoreError(f"{path}: not a valid CSV file ({exc})") from None
    return [[imported(restore(cell)) for cell in row] for row in rows]


def csv_bytes(rows: list[list[str]]) -> bytes:
    """The rows as UTF-8 CSV with "\\n" line ends, no cell a formula."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(
        [neutralise(cell) for cell in row] for row in rows
    )
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(title: str, rows: list[list[str]]) -> bytes:
    """The rows as a one-sheet workbook: bold frozen header, whole numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    # Sheet titles are at most 31 characters and may not contain []:*?/\.
    title = ILLEGAL_CHARACTERS_RE.sub("", title)
    sheet.title = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Responses"
    for r, cells in enumerate(rows, start=1):
        for c, value in enumerate(cells, start=1):
            is_score = r > 1 and value.isascii() and value.isdigit()
            value = ILLEGAL_CHARACTERS_RE.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
            cell = sheet.cell(row=r, column=c, value=int(value) if is_score else value)
            if not is_score:
                # A respondent's "=..." stays text: never a formula a spreadsheet would run.
                cell.data_type = "s"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_table(out_path: Path, title: str, rows: list[list[str]]) -> None:
    """Write the rows to `out_path` as .csv or .xlsx (by its suffix), atomically."""
    suffix = out_path.suffix.lower()
    if suffix == ".csv":
        payload = csv_bytes(rows)
    elif suffix == ".xlsx":
        from openpyxl.utils.exceptions import IllegalCharacterError

        try:
            payload = xlsx_bytes(title, rows)
        except (ValueError, IllegalCharacterError) as exc:  # a value openpyxl cannot store
            raise StoreError(f"cannot write {out_path}: {exc}") from None
    else:
        raise StoreError(f"{out_path}: the output must end in .csv or .xlsx")
    try:
        atomic_write(out_path, payload)
    except OSError as exc:
        raise StoreError(f"cannot write {out_path}: {exc.strerror}") from None
