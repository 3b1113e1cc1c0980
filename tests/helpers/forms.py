"""Forms as a respondent fills them in: open the .xlsx, choose scores, type comments, save.

Cells are found as a person finds them: the row whose Domain cell starts with the domain's
name, the column headed "Your score" or "Comment (optional)".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from psr_tui.changes.assessment import add_respondent, new_round
from psr_tui.models import Framework
from psr_tui.store import Store

FORM_SHEET = "Form"
SIX_BY_FOUR_AS_AT = date(2017, 4, 10)


def _columns(sheet: Worksheet) -> tuple[int, int, int]:
    """The header row, and the score and comment columns, by their headings."""
    for row in sheet.iter_rows(min_row=1, max_row=30):
        titles = {str(c.value): c.column for c in row if c.value is not None}
        if "Your score" in titles:
            return row[0].row, titles["Your score"], titles["Comment (optional)"]
    raise AssertionError("no 'Your score' heading on the form")


def domain_rows(sheet: Worksheet) -> dict[str, int]:
    """Each domain's name (the first line of its cell) -> its row."""
    header, _, _ = _columns(sheet)
    rows: dict[str, int] = {}
    for row in range(header + 1, sheet.max_row + 1):
        value = sheet.cell(row=row, column=1).value
        if value:
            rows[str(value).split("\n")[0]] = row
    return rows


def fill_form(
    path: Path, scores: Mapping[str, Any], comments: Mapping[str, Any] | None = None
) -> None:
    """Choose a score per domain name (a drop-down value, or whatever a person typed) and
    type comments, then save the file as a spreadsheet program would."""
    workbook = load_workbook(path)
    sheet = workbook[FORM_SHEET]
    _, score_column, comment_column = _columns(sheet)
    rows = domain_rows(sheet)
    for name, value in scores.items():
        sheet.cell(row=rows[name], column=score_column).value = value
    for name, value in (comments or {}).items():
        sheet.cell(row=rows[name], column=comment_column).value = value
    workbook.save(path)


def choice(framework: Framework, level: int) -> str:
    """The drop-down's text for a level: "3 Implementation"."""
    return f"{level} {framework.levels[level - 1]}"


SIX_BY_FOUR = {
    "name": "Integration maturity (6 x 4)",
    "levels": ["Starting", "Developing", "Established", "Leading"],
    "domains": [
        {
            "name": name,
            "question": f"How far have we got with {name.lower()}?",
            "descriptors": [f"{name}: {level} descriptor" for level in ("S", "D", "E", "L")],
        }
        for name in (
            "Vision",
            "Governance",
            "People",
            "Data",
            "Money",
            "Residents",
        )
    ],
}


def six_by_four_store(path: Path, respondents: int = 3) -> tuple[Store, Framework]:
    """A database with the 6 x 4 framework and a round 'Spring' of `respondents` people."""
    store = Store(path)
    framework = Framework.model_validate(SIX_BY_FOUR)

    def populate(tx: Any) -> None:
        tx.add("frameworks", [framework])

    store.create("Test Partnership", as_at=SIX_BY_FOUR_AS_AT, populate=populate)
    with store.transaction() as tx:
        new_round(tx, "Spring", date(2017, 4, 1), framework.name)
        for n in range(respondents):
            group = "Executive" if n % 2 == 0 else "Implementation Group"
            add_respondent(tx, "Spring", f"Person {n + 1}", f"Org {n + 1}", group)
    return store, framework


def write_six_by_four(path: Path) -> Path:
    path.write_text(json.dumps(SIX_BY_FOUR))
    return path
