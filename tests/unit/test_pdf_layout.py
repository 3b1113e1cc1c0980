"""The papers' layout on real and hostile data, read back from the rendered PDF: every
character inside its page and none over another, nothing under 8 pt, table headings on
every page a table spans, no heading at the foot of a page, no near-empty page inside a
paper, the matrix whole, a split row named on the page it goes on to, tagged and titled
with contents that link to the real pages."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from psr_tui.demo import build_demo
from psr_tui.exports.context import report_context
from psr_tui.exports.pdf import SectionPages, render_paper
from psr_tui.store import Store
from tests.helpers import hostile_papers
from tests.helpers.pdf_pages import (
    Page,
    figure_alternates,
    outside,
    overlaps,
    read_pages,
    sizes_under,
)

EXPORTED = date(2016, 2, 15)
# A page inside a paper (not its last) is at least this full: a unit that does not fit
# moves to the next page and may leave a gap, never a page with a line or two on it.
LEAST_FILLED = 0.45


@dataclass(frozen=True)
class Rendered:
    path: Path
    pages: list[Page]
    sections: list[SectionPages]

    def section(self, kind: str) -> list[Page]:
        found = next(s for s in self.sections if s.kind == kind)
        return self.pages[found.first - 1 : found.last]


def _render(store: Store, kind: str, out: Path) -> Rendered:
    context = report_context(store.snapshot(), kind, user="tester", exported=EXPORTED)
    paper = render_paper(context)
    out.write_bytes(paper.pdf)
    return Rendered(out, read_pages(out), paper.sections)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return hostile_papers.build(tmp_path_factory.mktemp("hostile") / "h.json")


@pytest.fixture(scope="module")
def hostile_pack(hostile: Store, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return _render(hostile, "pack", tmp_path_factory.mktemp("out") / "pack.pdf")


@pytest.fixture(scope="module")
def demo_pack(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    store = Store(tmp_path_factory.mktemp("demo") / "demo.json", user="tester")
    build_demo(store)
    return _render(store, "pack", tmp_path_factory.mktemp("out") / "pack.pdf")


@pytest.fixture(scope="module")
def hostile_assessment(hostile: Store, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return _render(hostile, "assessment", tmp_path_factory.mktemp("out") / "assessment.pdf")


@pytest.fixture(scope="module")
def hostile_development(hostile: Store, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    return _render(hostile, "development", tmp_path_factory.mktemp("out") / "development.pdf")


def _flat(text: str) -> str:
    return "".join(text.split())


RENDERED = ["demo_pack", "hostile_pack", "hostile_assessment", "hostile_development"]


@pytest.mark.parametrize("which", RENDERED)
def test_every_character_inside_its_page_and_none_over_another(
    which: str, request: pytest.FixtureRequest
) -> None:
    rendered: Rendered = request.getfixturevalue(which)
    for page in rendered.pages:
        assert outside(page) == [], page.number
        # A 200-character word, a long ref or owner: wrapped inside its cell, never run
        # over the next cell (the old register drew H1's ref over its category).
        assert overlaps(page) == [], page.number


@pytest.mark.parametrize("which", RENDERED)
def test_nothing_under_8_points_and_body_text_10(
    which: str, request: pytest.FixtureRequest
) -> None:
    rendered: Rendered = request.getfixturevalue(which)
    for page in rendered.pages:
        assert sizes_under(page, 8) == [], page.number
    # Body text is 10 pt, as council papers are: the purpose of each paper, for one.
    purposes = [
        page.lines[i + 1]
        for page in rendered.pages
        for i, line in enumerate(page.lines[:-1])
        if _flat(line.text) == "Purposeofthereport"
    ]
    assert purposes and all(round(line.size, 1) == 10 for line in purposes)


def test_sections_have_real_page_ranges(hostile_pack: Rendered) -> None:
    sections = hostile_pack.sections
    assert [s.kind for s in sections] == ["assessment", "programme", "risks"]
    assert sections[0].first == 2 and sections[-1].last == len(hostile_pack.pages)
    for before, after in itertools.pairwise(sections):
        assert after.first == before.last + 1
    cover = hostile_pack.pages[0].text
    for s in sections:
        assert f"{s.number}{s.title}" in cover.replace(" ", "") or s.title in cover
        assert f"Pages {s.first} - {s.last}" in cover
        first = hostile_pack.pages[s.first - 1].text
        assert f"{s.number}. {s.title}" in first
    # The register of 300 risks is long, its matrix is one page, not split over two.
    risks = hostile_pack.section("risks")
    assert len(risks) > 40


def test_contents_link_to_the_pages_and_the_pdf_is_tagged(hostile_pack: Rendered) -> None:
    reader = PdfReader(hostile_pack.path)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert reader.metadata is not None
    assert reader.metadata.title == (
        "Chorley Public Service Reform Partnership: Meeting pack, 16 February 2016"
    )
    assert reader.metadata.author == "tester"
    destinations = {
        name: reader.get_destination_page_number(dest)
        for name, dest in reader.named_destinations.items()
    }
    links = [a.get_object() for a in reader.pages[0].get("/Annots", [])]
    targets = {str(link["/Dest"]) for link in links if link["/Subtype"] == "/Link"}
    assert targets == {f"section-{s.kind}" for s in hostile_pack.sections}
    for s in hostile_pack.sections:
        assert destinations[f"section-{s.kind}"] == s.first - 1
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles[1:] == [f"{s.number}. {s.title}" for s in hostile_pack.sections]
    # The chart's figures are its alternate text, the tagged Figure's /Alt.
    chart, *others = figure_alternates(hostile_pack.path)
    assert all(others)  # the radars too
    assert chart.startswith("Bar chart of the average score per domain, by group")
    assert "Leadership: Executive 2.2, Implementation Group 2" in chart


def _pages_between(pages: list[Page], start: str, end: str | None) -> list[Page]:
    """The pages from the one whose body holds the heading `start` to the one holding `end`."""
    first = next(i for i, p in enumerate(pages) if any(_flat(x.text) == start for x in p.lines))
    last = (
        next(i for i, p in enumerate(pages) if any(_flat(x.text) == end for x in p.lines))
        if end
        else len(pages) - 1
    )
    return pages[first : last + 1]


def test_table_headings_repeat_on_every_page(hostile_pack: Rendered) -> None:
    register = _pages_between(
        hostile_pack.section("risks"), "Theregister", "Movementsincethelastreview"
    )
    assert len(register) > 30
    for page in register[1:]:
        if _flat(page.lines[0].text) == "Movementsincethelastreview":
            continue  # the register ended with the page before
        assert _flat(page.lines[0].text).startswith("RiskRiskIdentified"), page.number
    plan = _pages_between(hostile_pack.section("programme"), "AppendixA:programmeplan", None)
    for page in plan[1:]:
        assert _flat(page.lines[0].text).startswith("Themeandwork"), page.number


def test_no_heading_at_the_foot_and_no_near_empty_page(hostile_pack: Rendered) -> None:
    for s in hostile_pack.sections:
        pages = hostile_pack.section(s.kind)
        for page in pages:
            assert not page.lines[-1].heading, (page.number, page.lines[-1].text)
        for page in pages[:-1]:
            assert page.filled >= LEAST_FILLED, (s.kind, page.number, page.filled)


def test_a_split_risk_is_named_on_the_page_it_goes_on_to(hostile_pack: Rendered) -> None:
    risks = hostile_pack.section("risks")
    # H2's texts take more than a page: the pages after its first say whose they are.
    starts = [p for p in risks if any(line.text.startswith("H2") for line in p.lines)]
    assert starts
    following = risks[risks.index(starts[0]) + 1]
    header = "".join(c["text"] for c in following.chars if c["top"] < following.body_top)
    assert "H2, continued" in header
    # A page that starts with a new risk names none.
    fresh = [p for p in risks if p.lines[2].text.startswith("X")]
    assert fresh and all("continued" not in p.text.split("\n")[0] for p in fresh)


def test_the_matrix_stays_on_one_page(hostile_pack: Rendered) -> None:
    risks = hostile_pack.section("risks")
    page = next(
        p for p in risks if any(_flat(x.text) == "Matrixscore(residualrisk)" for x in p.lines)
    )
    text = page.text
    for label in ("Low", "Medium", "High", "Noticeable", "Significant", "Critical"):
        assert label in text
    assert text.count("open risk") == 10  # the lead-in, then every cell with its count
    assert "Review every" in text  # and the band key beside it
    # Every cell says its band in words, and how many it leaves out of its list.
    assert text.count("LOW") >= 3 and text.count("MEDIUM") >= 3 and text.count("HIGH") >= 3
    assert "more" in text


def test_late_and_overdue_have_words_not_only_colour(hostile_pack: Rendered) -> None:
    programme = "\n".join(p.text for p in hostile_pack.section("programme"))
    assert "! late" in programme
    register = " ".join(" ".join(p.text for p in hostile_pack.section("risks")).split())
    assert "! OVERDUE" in register and "↻ REVIEW OVERDUE" in register


def test_progress_by_theme_has_every_column_on_the_page(hostile_pack: Rendered) -> None:
    programme = hostile_pack.section("programme")
    headers = [_flat(line.text) for page in programme for line in page.lines]
    assert "ThemeActivitiesCompleteInprogressSlippedBlockedDone" in headers
    assert "PhaseDatesActivitiesCompleteInprogressSlippedBlockedDone" in headers


def test_a_domains_development_actions_stay_on_one_page(hostile_development: Rendered) -> None:
    pages = [p for p in hostile_development.pages if "Joint management" in p.text]
    assert len(pages) == 1 and "Team coaching for the" in pages[0].text
