"""Rendered PDFs: the figures in the text, page furniture, landscape, hostile text, atomicity."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from psr_tui.demo import build_demo
from psr_tui.errors import ExportError
from psr_tui.exports import pdf as pdf_module
from psr_tui.exports.context import ReportContext, page_info, paper_section
from psr_tui.exports.fetcher import PackageAssetFetcher, RefusedURLError
from psr_tui.exports.options import PaperOptions
from psr_tui.exports.pdf import export_pdf, html_to_pdf, render_paper
from psr_tui.models import Response, Risk
from psr_tui.store import Store

HOSTILE_IMG = '<img src="file:///etc/hostname">'
HOSTILE_LINK = '<link rel="attachment" href="file:///etc/passwd">'
EXPORTED = date(2016, 2, 15)


@pytest.fixture(scope="module")
def demo_module_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = Store(tmp_path_factory.mktemp("pdf") / "demo.json", user="tester")
    build_demo(store)
    return store


@pytest.fixture(scope="module")
def pack(demo_module_store: Store, tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    out = tmp_path_factory.mktemp("out") / "pack.pdf"
    export_pdf(demo_module_store.snapshot(), "pack", out, user="tester", exported=EXPORTED)
    return PdfReader(out)


def _texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _landscape(reader: PdfReader, index: int) -> bool:
    box = reader.pages[index].mediabox
    return float(box.width) > float(box.height)


def test_pack_has_cover_contents_and_numbered_sections(pack: PdfReader) -> None:
    texts = _texts(pack)
    cover = texts[0]
    assert "Chorley Public Service Reform Partnership" in cover and "Meeting pack" in cover
    assert "16 February 2016" in cover
    # Contents lines name each section and the pages it takes, first to last.
    starts, ends = {}, {}
    for title in ("System leadership self-assessment", "Programme plan", "Risk register"):
        match = re.search(re.escape(title) + r"[ .]*Pages (\d+) - (\d+)", cover)
        assert match, title
        starts[title], ends[title] = int(match.group(1)), int(match.group(2))
    assert ends["System leadership self-assessment"] == starts["Programme plan"] - 1
    assert ends["Programme plan"] == starts["Risk register"] - 1
    assert ends["Risk register"] == len(texts)
    assert (
        "1. System leadership self-assessment"
        in texts[starts["System leadership self-assessment"] - 1]
    )
    assert "2. Programme plan" in texts[starts["Programme plan"] - 1]
    assert "3. Risk register" in texts[starts["Risk register"] - 1]
    assert not _landscape(pack, 0)
    assert _landscape(pack, starts["Risk register"] - 1)
    assert all(_landscape(pack, i) for i in range(starts["Risk register"] - 1, len(pack.pages)))


def test_every_page_has_header_and_footer(pack: PdfReader) -> None:
    total = len(pack.pages)
    for number, text in enumerate(_texts(pack), start=1):
        assert f"Page {number} of {total}" in text
        assert "Draft v1 · exported 15 Feb 2016 by tester" in text
        assert text.count("OFFICIAL") >= 2  # the classification, top and bottom
    assert "Chorley Public Service Reform Partnership" in _texts(pack)[3]


def test_pack_figures(pack: PdfReader) -> None:
    text = "\n".join(_texts(pack))
    for domain in (
        "Leadership",
        "Governance",
        "Culture",
        "Resident",
        "Workforce",
        "Information and IT",
    ):
        assert domain in text
    assert "1.63" in text and "2.06" in text  # overall means per group, 1.625 half up
    assert re.search(r"Governance\s*Level 1 Commitment\s*1\.5\s+2\s+1\.8", text)
    for ref, score in [("R1", 1), *((f"R{i}", 3) for i in range(2, 9))]:
        # From the ref to its likelihood, impact and score, without running into the next row.
        labels = r"(Low|Medium|High) (Noticeable|Significant|Critical)"
        row = rf"\n{ref} \S+ [A-Z][a-z]{{2}} 20\d\d {labels} {score}\nLOW\n"
        assert re.search(row, text, re.DOTALL), ref
    for phase in ("Phase 1", "Phase 2", "Phase 3", "Foundation"):
        assert phase in text
    assert "Appendix A" in text.title() or "APPENDIX A" in text


def test_risk_register_alone_is_landscape(demo_module_store: Store, tmp_path: Path) -> None:
    out = export_pdf(
        demo_module_store.snapshot(),
        "risks",
        tmp_path / "risks.pdf",
        user="tester",
        as_at=date(2016, 2, 16),
    )
    reader = PdfReader(out)
    assert all(_landscape(reader, i) for i in range(len(reader.pages)))
    text = "\n".join(_texts(reader))
    assert "Page 1 of" in text and "Overdue" in text and "↓ -2" in text


def test_assessment_report_alone(demo_module_store: Store, tmp_path: Path) -> None:
    out = export_pdf(
        demo_module_store.snapshot(),
        "assessment",
        tmp_path / "a.pdf",
        user="tester",
        round_name="Baseline, Feb 2016",
    )
    reader = PdfReader(out)
    text = "\n".join(_texts(reader))
    assert not _landscape(reader, 0)
    assert "Background" in text and "Results" in text and "Next steps" in text
    assert "Exec" in text and "IG" in text and "Page 1 of" in text


def test_hostile_text_is_literal_and_pulls_nothing_in(tmp_path: Path) -> None:
    store = Store(tmp_path / "h.json", user="tester")
    build_demo(store)
    with store.transaction() as tx:
        tx.insert(
            "risks",
            Risk(
                ref="R9",
                description=f"Bad {HOSTILE_IMG} {HOSTILE_LINK}",
                likelihood="High",
                impact="Critical",
                owner=HOSTILE_LINK,
            ),
        )
        tx.insert(
            "responses",
            Response(
                round="Baseline, Feb 2016",
                name=HOSTILE_IMG,
                organisation=HOSTILE_LINK,
                group="Executive",
            ),
        )
    out = export_pdf(store.snapshot(), "pack", tmp_path / "h.pdf", user="tester")
    raw = out.read_bytes()
    reader = PdfReader(out)
    flat = _flat("\n".join(_texts(reader)))
    assert _flat(HOSTILE_IMG) in flat and _flat(HOSTILE_LINK) in flat
    assert reader.attachments == {}
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))
    assert b"/EmbeddedFile" not in raw and b"root:x:0:0" not in raw
    assert all(not page.images for page in reader.pages)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "http://example.com/x.css",
        "https://example.com/x.png",
        f"file://{Path(pdf_module.__file__).parent}/../../../../etc/passwd",
        f"file://{Path(pdf_module.__file__)}",  # our own package, but not an asset type
    ],
)
def test_fetcher_refuses_everything_but_assets(url: str) -> None:
    with pytest.raises(RefusedURLError):
        PackageAssetFetcher().fetch(url)


def test_fetcher_serves_data_and_the_stylesheet() -> None:
    fetcher = PackageAssetFetcher()
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    css = fetcher.fetch(pdf_module.STYLESHEET.as_uri())
    assert b"@page" in css.read()


@pytest.mark.parametrize(
    "markup", [HOSTILE_LINK, HOSTILE_IMG, '<img src="http://127.0.0.1:9/x.png">']
)
def test_unescaped_hostile_markup_stops_the_render(markup: str) -> None:
    # Were autoescape ever bypassed, the fetcher still refuses and the export stops.
    with pytest.raises(ExportError, match="refused to fetch"):
        html_to_pdf(f"<html><head>{markup}</head><body>{markup}<p>x</p></body></html>")


def test_written_atomically_no_temp_files_left(demo_module_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "r.pdf"
    out.parent.mkdir()
    export_pdf(demo_module_store.snapshot(), "programme", out, user="tester")
    assert [p.name for p in out.parent.iterdir()] == ["r.pdf"]
    assert out.read_bytes().startswith(b"%PDF")


def test_failed_render_leaves_the_target_alone(
    demo_module_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r.pdf"
    out.write_bytes(b"previous version")

    def broken(html: str) -> bytes:
        raise ExportError("render failed")

    monkeypatch.setattr(pdf_module, "render_document", broken)
    with pytest.raises(ExportError):
        export_pdf(demo_module_store.snapshot(), "risks", out, user="tester")
    assert out.read_bytes() == b"previous version"
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]
    missing = tmp_path / "new.pdf"
    with pytest.raises(ExportError):
        export_pdf(demo_module_store.snapshot(), "risks", missing, user="tester")
    assert not missing.exists()


def test_missing_folder_and_unknown_kind(demo_module_store: Store, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        export_pdf(demo_module_store.snapshot(), "risks", tmp_path / "no" / "r.pdf", user="t")
    with pytest.raises(ExportError, match="unknown report 'minutes'"):
        export_pdf(demo_module_store.snapshot(), "minutes", tmp_path / "r.pdf", user="t")


def test_a_pack_of_any_sections_prints_their_real_pages(
    demo_module_store: Store, tmp_path: Path
) -> None:
    """A meeting pack is a list of sections in agenda order (here the development plan twice,
    as items 4 and 5a): the cover prints each one's pages as laid out, its links go there."""
    snapshot = demo_module_store.snapshot()
    day = snapshot.as_at
    sections = [
        paper_section(snapshot, "development", as_at=day, number=4, key="item-4"),
        paper_section(snapshot, "risks", as_at=day, number="5a", key="item-5a"),
        paper_section(snapshot, "development", as_at=day, number=6, key="item-6"),
    ]
    context = ReportContext(
        "pack",
        "Executive, 16 March 2016",
        "Partnership: Executive, 16 March 2016",
        page_info(snapshot, "tester", EXPORTED, day, PaperOptions()),
        sections,
        cover=True,
    )
    paper = render_paper(context)
    out = tmp_path / "pack.pdf"
    out.write_bytes(paper.pdf)
    reader = PdfReader(out)
    texts = _texts(reader)
    ranges = [(s.number, s.first, s.last, s.anchor) for s in paper.sections]
    assert ranges[0][:2] == (4, 2) and ranges[-1][2] == len(texts)
    assert [r[3] for r in ranges] == ["section-item-4", "section-item-5a", "section-item-6"]
    for (number, first, last, anchor), section in zip(ranges, sections, strict=True):
        assert re.search(
            rf"{number}\s*{re.escape(section.title)}[ .]*Pages {first} - {last}", texts[0]
        ), texts[0]
        assert f"{number}. {section.title}" in texts[first - 1]
        assert reader.get_destination_page_number(reader.named_destinations[anchor]) == first - 1
    assert _landscape(reader, ranges[1][1] - 1) and not _landscape(reader, ranges[2][1] - 1)
