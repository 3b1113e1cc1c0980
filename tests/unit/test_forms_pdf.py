"""The printable form: every domain, question and descriptor on the page, the name filled in,
A4 landscape, and hostile text shown as typed (through the one template environment)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pdfplumber
import pytest

from psr_tui.exports.forms import form_details
from psr_tui.exports.forms_pdf import form_pdf
from psr_tui.models import Framework, Response
from psr_tui.store import Store
from tests.helpers.forms import six_by_four_store


def _flat(text: str | None) -> str:
    """Text as one line: a line broken after a hyphen ("co-\nordination") joined again."""
    return " ".join((text or "").replace("-\n", "-").split())


def _read(pdf: bytes, path: Path) -> tuple[list[list[str]], str, list[tuple[float, float]]]:
    """Every table cell's text, all the text, and each page's size."""
    path.write_bytes(pdf)
    cells: list[list[str]] = []
    with pdfplumber.open(path) as document:
        sizes = [(page.width, page.height) for page in document.pages]
        text = " ".join(_flat(page.extract_text()) for page in document.pages)
        for page in document.pages:
            for table in page.extract_tables():
                cells += [[_flat(c) for c in row] for row in table]
    return cells, text, sizes


def _check_form(
    framework: Framework, response: Response, cells: list[list[str]], text: str
) -> None:
    levels = [f"{n} {name}" for n, name in enumerate(framework.levels, start=1)]
    assert ["Domain", "Your score", *levels] in cells
    rows = {row[0]: row for row in cells if row and row[0]}
    for domain in framework.domains:
        heading = _flat(f"{domain.name} {domain.question}")
        assert heading in rows, domain.name
        assert rows[heading][2:] == [_flat(d) for d in domain.descriptors]
    assert f"Name: {response.name}" in text
    assert f"Organisation: {response.organisation}" in text
    assert f"Group: {response.group}" in text


def test_the_demo_form_has_every_domain_and_descriptor(demo_store: Store, tmp_path: Path) -> None:
    snap = demo_store.snapshot()
    framework = snap.frameworks()[0].model
    response = Response(
        round="r", name="Chief Executive", organisation="Chorley Council", group="Executive"
    )
    details = form_details(
        snap.meta.partnership, "Review, Aug 2016", framework, response, date(2016, 8, 2)
    )
    cells, text, sizes = _read(form_pdf(details, framework), tmp_path / "form.pdf")
    _check_form(framework, response, cells, text)
    assert "Review, Aug 2016" in text and "sent 2 Aug 2016" in text
    assert all(width > height for width, height in sizes)  # A4 landscape
    assert all(abs(width - 841.9) < 1 and abs(height - 595.3) < 1 for width, height in sizes)


def test_a_six_by_four_form(tmp_path: Path) -> None:
    store, framework = six_by_four_store(tmp_path / "six.json")
    snap = store.snapshot()
    response = snap.responses("Spring")[0].model
    details = form_details(snap.meta.partnership, "Spring", framework, response, snap.as_at)
    cells, text, _ = _read(form_pdf(details, framework), tmp_path / "form.pdf")
    _check_form(framework, response, cells, text)


@pytest.mark.parametrize("hostile", ['<img src="file:///etc/hostname">', "[b]x[/] & <i>"])
def test_hostile_names_are_printed_as_typed(
    demo_store: Store, tmp_path: Path, hostile: str
) -> None:
    snap = demo_store.snapshot()
    framework = snap.frameworks()[0].model
    response = Response(
        round="r",
        name=hostile,
        organisation=hostile,
        group="Executive",
        scores={"leadership": 2},
        comments={"leadership": hostile},
    )
    details = form_details(snap.meta.partnership, "r", framework, response, snap.as_at)
    cells, text, _ = _read(form_pdf(details, framework), tmp_path / "form.pdf")
    assert f"Name: {hostile}" in text
    leadership = next(row for row in cells if row and row[0].startswith("Leadership"))
    assert leadership[1] == "2 Enabling"  # what was already scored is printed in the box
    assert f"Comment (optional): {hostile}" in [row[0] for row in cells]
