"""The assessment report and the pack carry an "Areas for development" section."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pypdf
import pytest

from psr_tui.exports.pdf import export_pdf
from psr_tui.models import DevelopmentAction, Evidence, Measure, Response, Round
from psr_tui.store import Store

FW = "AQuA System Integration"


def pdf_text(path: Path) -> str:
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    return " ".join(text.split())


@pytest.mark.parametrize("kind", ["assessment", "pack"])
def test_areas_for_development_in_the_report(demo_path: Path, tmp_path: Path, kind: str) -> None:
    store = Store(demo_path)
    with store.transaction() as tx:
        tx.insert(
            "actions",
            DevelopmentAction(
                framework=FW,
                domain="governance",
                title="<b>Governance</b> & [red]workshop[/red]",
                owner="Chair",
                status="complete",
                completed=date(2016, 2, 1),
                evidence=Evidence(
                    participants=12, measures=[Measure(label="agree it helped", percent=90, n=11)]
                ),
            ),
        )
    out = tmp_path / f"{kind}.pdf"
    export_pdf(store.snapshot(), kind, out, user="tester")
    text = pdf_text(out)
    section = text[text.index("Areas for development") :]
    assert "Making Every Contact Count" in section
    assert "Lowest score" in section  # Financial and contractual mechanisms, 1.5
    # User text is escaped, never read as markup.
    assert "<b>Governance</b> & [red]workshop[/red]" in section
    assert "12 participants, 1 measure" in section
    assert "90% agree it helped (n=11)" in section


def test_change_since_the_previous_round(demo_path: Path, tmp_path: Path) -> None:
    store = Store(demo_path)
    review = "Re-assessment, Aug 2016"
    with store.transaction() as tx:
        tx.insert("rounds", Round(name=review, date=date(2016, 8, 16), framework=FW))
        tx.insert(
            "responses",
            Response(round=review, name="p", group="Executive", scores={"workforce": 2}),
        )
    out = tmp_path / "a.pdf"
    export_pdf(store.snapshot(), "assessment", out, user="tester")
    section = pdf_text(out)[pdf_text(out).index("Areas for development") :]
    assert "Exec 1 -> 2" in section
