"""A long register is laid out in pieces, each once, numbered afterwards and joined
(exports/pieces.py, page_numbers.py, join.py), so that its memory stays bounded whatever its
length. Here `PSR_PDF_ROWS_PER_PIECE` makes the pieces small (6 or 8 rows), so that a
register of ~30 rows is several pieces, exported by the real `psr export` and by the child
process the TUI runs; the PDFs are read back and held against the same paper laid out whole
(the default of 250 rows a piece): every word at the same place on the same page, "Page N of
M" on every page, every row once and in order across the seams, the contents' page ranges,
links, outline, and the tagged structure whole, with hostile text intact."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
from pypdf import PdfReader

from psr_tui.demo import build_demo, load_matrix
from psr_tui.exports import pdf, pieces
from psr_tui.exports.job import ExportJob, command
from psr_tui.models import Review, Risk
from psr_tui.store import Store
from tests.conftest import PSR
from tests.helpers.store_worker import make_risk

pytestmark = pytest.mark.slow

ADDED = 24
# Markup, quotes, an escape sequence and a bell: printed as text, never obeyed or lost.
HOSTILE = '<b>bold</b> "quoted" & \x1b[31mred\x07'
LONG = ("A description three hundred characters long, " * 7)[:300]
PAGE_LONG_NOTE = "A review note that runs over a page of the movements table. " * 120


def _reviewed(risk: Risk, note: str) -> Risk:
    """`risk`, moved at a review a month before the papers' date: a row of the movements."""
    review = Review(
        date=date(2016, 1, 16), likelihood="High", impact="Significant", score=16, note=note,
        by=HOSTILE,
    )  # fmt: skip
    return risk.model_copy(update={"reviews": [review]})


def _hostile_risk(ref: str) -> Risk:
    risk = make_risk(ref)
    return risk.model_copy(
        update={
            "description": f"{LONG} {HOSTILE}",
            "owner": HOSTILE,
            # Long enough for the row to run over onto the next page.
            "controls": "Controls that go on and on. " * 40,
        }
    )


def _export(db: Path, *args: str, out: Path, rows: int | None) -> str:
    """`psr export ARGS` as an officer runs it, in pieces of `rows` rows (None: the
    default, one piece for these registers); returns what it printed."""
    env = {
        **os.environ,
        "PSR_USER": "tester",
        "PSR_STATE_DIR": str(out.parent / "state"),
        "PSR_CONFIG_DIR": str(out.parent / "config"),
    }
    env.pop("PSR_PDF_ROWS_PER_PIECE", None)
    if rows is not None:
        env["PSR_PDF_ROWS_PER_PIECE"] = str(rows)
    done = subprocess.run(
        [str(PSR), "--db", str(db), "export", *args, "-o", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@dataclass(frozen=True)
class Exported:
    whole: Path
    pieces: Path


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    """A register of 30 rows, some of them long and hostile, under a hostile partnership
    name (the running header every page of a later piece carries), and its 30 movements
    since the last review, some with a note, one note longer than a page."""
    folder = tmp_path_factory.mktemp("register")
    store = Store(folder / "register.json", user="tester")

    def populate(tx: Any) -> None:
        tx.insert("matrix", load_matrix())
        for n in range(30):
            risk = _hostile_risk(f"B{n}") if n % 7 == 3 else make_risk(f"B{n}")
            if n % 3 == 1:
                risk = _reviewed(risk, PAGE_LONG_NOTE if n == 13 else f"{HOSTILE} {LONG}")
            tx.insert("risks", risk)

    store.create(f"Chorley {HOSTILE}", as_at=date(2016, 2, 16), populate=populate)
    whole, pieces = folder / "whole.pdf", folder / "pieces.pdf"
    _export(store.path, "risks", out=whole, rows=None)
    _export(store.path, "risks", out=pieces, rows=6)
    return Exported(whole, pieces)


@pytest.fixture(scope="module")
def long_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with a register of 32 rows."""
    store = Store(tmp_path_factory.mktemp("demo") / "demo.json", user="tester")
    build_demo(store)
    with store.transaction() as tx:
        for n in range(ADDED):
            tx.insert("risks", make_risk(f"B{n}"))
    return store.path


def _both(db: Path, folder: Path, *args: str) -> Exported:
    whole, pieces = folder / "whole.pdf", folder / "pieces.pdf"
    _export(db, *args, out=whole, rows=None)
    _export(db, *args, out=pieces, rows=8)
    return Exported(whole, pieces)


@pytest.fixture(scope="module")
def pack(long_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Exported:
    """The pack: a cover with its contents, three papers, the register last."""
    return _both(long_demo, tmp_path_factory.mktemp("pack"), "pack")


@pytest.fixture(scope="module")
def meeting(long_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Exported:
    """A meeting's pack: the letter and agenda with each item's pages, minutes, papers,
    the register below the line."""
    return _both(long_demo, tmp_path_factory.mktemp("meeting"), "pack", "--meeting", "2016-02-16")


def _words(path: Path) -> list[list[tuple[str, float, float]]]:
    """Each page's words and where they are (to a hundredth of a point)."""
    with pdfplumber.open(path) as pdf:
        return [
            [(w["text"], round(w["x0"], 2), round(w["top"], 2)) for w in page.extract_words()]
            for page in pdf.pages
        ]


def _texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def _refs(path: Path) -> list[str]:
    """The refs of the register's rows, in the order their first line comes: the row head,
    at the table's left edge, with the row's category on its line."""
    found = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            words = page.extract_words()
            categories = {round(w["top"]) for w in words if w["text"] == "Finance"}
            for word in words:
                head = re.fullmatch(r"[RB]\d+", word["text"]) and word["x0"] < 60
                if head and round(word["top"]) in categories:
                    found.append(word["text"])
    return found


@pytest.mark.parametrize("paper", ["register", "pack", "meeting"])
def test_the_pieces_make_the_very_pages_of_the_whole_layout(
    paper: str, request: pytest.FixtureRequest
) -> None:
    exported: Exported = request.getfixturevalue(paper)
    whole, pieces = _words(exported.whole), _words(exported.pieces)
    assert len(pieces) == len(whole) > 8
    for number, (mine, theirs) in enumerate(zip(pieces, whole, strict=True), start=1):
        assert mine == theirs, f"page {number}"


@pytest.mark.parametrize("paper", ["register", "pack", "meeting"])
def test_every_page_says_page_n_of_m_once(paper: str, request: pytest.FixtureRequest) -> None:
    exported: Exported = request.getfixturevalue(paper)
    texts = _texts(exported.pieces)
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert re.findall(r"Page \d+ of \d+", text) == [f"Page {number} of {total}"]


def test_every_row_is_there_once_and_in_order_across_the_seams(register: Exported) -> None:
    assert _refs(register.pieces) == [f"B{n}" for n in range(30)]
    assert _refs(register.pieces) == _refs(register.whole)


def test_hostile_text_is_printed_as_text_across_the_pieces(register: Exported) -> None:
    pieces = " ".join(" ".join(_texts(register.pieces)).split())
    assert '<b>bold</b> "quoted" & ‹ESC›[31mred‹BEL›' in pieces
    assert pieces == " ".join(" ".join(_texts(register.whole)).split())
    # The running header of every page, the later pieces' too, names the partnership.
    for text in _texts(register.pieces):
        assert text.startswith("Chorley <b>bold</b>"), text[:80]


def test_the_page_numbers_are_pagination_artifacts_not_content(register: Exported) -> None:
    """Read by a screen reader as furniture (PDF/UA), not as a line of the paper."""
    with pdfplumber.open(register.pieces) as pdf:
        for page in pdf.pages:
            footer = [c for c in page.chars if c["top"] > page.height - 60 and c["x0"] > 500]
            assert "".join(c["text"] for c in footer).startswith("Page ")
            assert {(c["tag"], c["mcid"]) for c in footer} == {("Artifact", None)}


def _structure(path: Path) -> Counter[str]:
    """How many structure elements of each type the PDF's tag tree holds."""
    counts: Counter[str] = Counter()
    with pikepdf.open(path) as pdf:
        root = pdf.Root.StructTreeRoot
        todo = [root.K[0]] if isinstance(root.K, pikepdf.Array) else [root.K]
        while todo:
            node = todo.pop()
            if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
                continue
            counts[str(node.S)] += 1
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                todo.extend(kids)
            elif kids is not None:
                todo.append(kids)
    return counts


@pytest.mark.parametrize("paper", ["register", "pack", "meeting"])
def test_one_tagged_structure_as_the_whole_layouts(
    paper: str, request: pytest.FixtureRequest
) -> None:
    exported: Exported = request.getfixturevalue(paper)
    assert _structure(exported.pieces) == _structure(exported.whole)
    with pikepdf.open(exported.pieces) as pdf:
        root = pdf.Root
        assert root.Lang == "en-GB" and bool(root.MarkInfo.Marked)
        assert bool(root.ViewerPreferences.DisplayDocTitle)
        assert str(pdf.docinfo.Title).startswith("Chorley")
        assert [str(k.S) for k in root.StructTreeRoot.K] == ["/Document"]
        keys = {int(k) for k in list(root.StructTreeRoot.ParentTree.Nums)[::2]}
        used = {int(page.obj.StructParents) for page in pdf.pages}
        used |= {int(a.StructParent) for page in pdf.pages for a in page.obj.get("/Annots", [])}
        assert used <= keys


def _outline(path: Path) -> list[tuple[int, str, int, float]]:
    """Every outline entry: its depth, title, page (from 0) and height on the page."""
    reader = PdfReader(path)
    found: list[tuple[int, str, int, float]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                page = reader.get_destination_page_number(item)
                found.append((depth, str(item.title), page, round(float(item.top), 2)))

    walk(reader.outline, 0)
    return found


@pytest.mark.parametrize("paper", ["register", "pack", "meeting"])
def test_the_outline_is_the_whole_layouts(paper: str, request: pytest.FixtureRequest) -> None:
    exported: Exported = request.getfixturevalue(paper)
    assert _outline(exported.pieces) == _outline(exported.whole)
    assert len(_outline(exported.pieces)) > 3


def test_the_contents_and_their_links_give_where_each_section_starts_and_ends(
    pack: Exported,
) -> None:
    texts = _texts(pack.pieces)
    contents = " ".join(texts[0].split()).split(" Agenda ", 1)[1]
    ranges = re.findall(r"(\d) ([^.]+?) ?\.[ .]*Pages (\d+) - (\d+)", contents)
    assert [title for _, title, _, _ in ranges] == [
        "System leadership self-assessment",
        "Programme plan",
        "Risk register",
    ]
    reader = PdfReader(pack.pieces)
    destinations = {
        name: reader.get_destination_page_number(dest)
        for name, dest in reader.named_destinations.items()
    }
    links = [a.get_object() for a in reader.pages[0].get("/Annots", [])]
    # One link a line of the contents (a rectangle for each of its boxes).
    targets = list(dict.fromkeys(str(a["/Dest"]) for a in links if a["/Subtype"] == "/Link"))
    assert len(targets) == 3
    for (number, title, first, last), target in zip(ranges, targets, strict=True):
        heading = f"{number}. {title}"
        starts = [n for n, text in enumerate(texts, start=1) if heading in text.split("\n")[1:4]]
        assert starts[0] == int(first), heading
        # The contents' link takes you to that page.
        assert destinations[target] == int(first) - 1
        # The section runs to the page before the next one starts (the last to the end).
        headers = [texts[n - 1].split("\n")[0] for n in range(int(first), int(last) + 1)]
        assert all(heading in header for header in headers), heading
    assert int(ranges[-1][3]) == len(texts)
    # The marks used only to find where to cut are not left in the file.
    assert not [name for name in destinations if "-row-" in name]


def test_the_export_process_lays_out_each_piece_once_and_joins_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the TUI runs it: the child's progress counts the pages of the whole paper, each
    page laid out once, then numbers them and joins the pieces."""
    store = Store(tmp_path / "db.json", user="tester")
    build_demo(store)
    with store.transaction() as tx:
        for n in range(ADDED):
            tx.insert("risks", make_risk(f"B{n}"))
    monkeypatch.setenv("PSR_PDF_ROWS_PER_PIECE", "8")
    job = ExportJob(db=str(store.path), kind="risks", out=str(tmp_path / "r.pdf"), user="t")
    done = subprocess.run(
        command(),
        input=job.to_json(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    said = [json.loads(line) for line in done.stdout.splitlines()]
    assert said[-1] == {"wrote": str((tmp_path / "r.pdf").resolve())}
    progress = [line["progress"] for line in said if "progress" in line]
    laid = [int(m.group(1)) for p in progress if (m := re.search(r"laying out page (\d+)", p))]
    total = len(PdfReader(tmp_path / "r.pdf").pages)
    # Page by page to the end, counted across the pieces.
    assert laid[0] == 1 and laid[-1] == total
    assert sorted(set(laid)) == list(range(1, total + 1))
    assert any(re.fullmatch(r"Risk register: joining \d+ pieces", p) for p in progress)


def test_a_rows_per_piece_that_is_not_a_number_is_refused_in_one_line(
    tmp_path: Path, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PSR_PDF_ROWS_PER_PIECE", "lots")
    done = subprocess.run(
        [str(PSR), "--db", str(demo_path), "export", "risks", "-o", str(tmp_path / "r.pdf")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "psr: PSR_PDF_ROWS_PER_PIECE must be a whole number of rows, not 'lots'"
    ]
    assert not (tmp_path / "r.pdf").exists()


def test_the_movements_table_is_laid_out_in_runs_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every risk moved since the last review: the movements table as long as the register.
    No one layout holds the whole table (its pages would all be in memory at once), and the
    paper is still the one laid out whole."""
    store = Store(tmp_path / "moved.json", user="tester")

    def populate(tx: Any) -> None:
        tx.insert("matrix", load_matrix())
        for n in range(40):
            tx.insert("risks", _reviewed(make_risk(f"B{n}"), f"Reviewed at the Executive {n}"))

    store.create("Chorley", as_at=date(2016, 2, 16), populate=populate)
    laid_out: list[str] = []
    render_document = pdf.render_document

    def recording(html: str, extra_css: str = "") -> Any:
        laid_out.append(html)
        return render_document(html, extra_css)

    monkeypatch.setattr(pdf, "render_document", recording)
    snapshot = store.snapshot()
    context = pdf.report_context(snapshot, "risks", user="tester", exported=date(2016, 2, 16))
    paper = pdf.render_paper(context, rows_per_piece=6)

    def movements(html: str) -> int:
        tables = re.findall(r'<table class="movements.*?</table>', html, flags=re.DOTALL)
        return sum(table.count('<th scope="row"') for table in tables)

    assert sum(movements(html) for html in laid_out) >= 40
    assert max(movements(html) for html in laid_out) <= 4 * 6
    (tmp_path / "pieces.pdf").write_bytes(paper.pdf)
    whole = pdf.render_paper(context, rows_per_piece=1000)
    (tmp_path / "whole.pdf").write_bytes(whole.pdf)
    assert _words(tmp_path / "pieces.pdf") == _words(tmp_path / "whole.pdf")
    assert "Reviewed at the Executive 39" in _texts(tmp_path / "pieces.pdf")[-1]


def test_a_piece_that_begins_with_the_movements_heading_is_the_whole_layouts_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the register's last row ends a page, the next piece begins with the heading
    "Movement since the last review" (the first movement's anchor is on it): the heading
    is not lost, nor printed twice, and the page is the one laid out whole. Registers of a
    few lengths, so that one of them puts a seam there whatever the exact layout."""
    begins: list[int] = []
    next_piece = pieces.next_piece

    def recording(sections: Any, at: pieces.Cursor, *args: Any, **kwargs: Any) -> Any:
        begins.append(at.row)
        return next_piece(sections, at, *args, **kwargs)

    monkeypatch.setattr(pieces, "next_piece", recording)
    seams_at_the_heading = 0
    for count in range(8, 15):
        store = Store(tmp_path / f"{count}.json", user="tester")

        def populate(tx: Any, count: int = count) -> None:
            tx.insert("matrix", load_matrix())
            for n in range(count):
                risk = make_risk(f"B{n}")
                tx.insert("risks", _reviewed(risk, "note " * (n % 5 * 20)) if n % 2 else risk)

        store.create("Chorley", as_at=date(2016, 2, 16), populate=populate)
        context = pdf.report_context(
            store.snapshot(), "risks", user="tester", exported=date(2016, 2, 16)
        )
        begins.clear()
        (tmp_path / "pieces.pdf").write_bytes(pdf.render_paper(context, rows_per_piece=3).pdf)
        seams_at_the_heading += count in begins  # the first movement's number is `count`
        (tmp_path / "whole.pdf").write_bytes(pdf.render_paper(context, rows_per_piece=99).pdf)
        assert _words(tmp_path / "pieces.pdf") == _words(tmp_path / "whole.pdf"), count
        headings = " ".join(_texts(tmp_path / "pieces.pdf")).count("Movement since the last")
        assert headings == 1, count
    assert seams_at_the_heading > 0
