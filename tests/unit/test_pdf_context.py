"""The figures and sentences the PDF reports show, checked without rendering a PDF."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from psr_tui.exports.context import (
    assessment_context,
    band_colour,
    band_print_colours,
    programme_context,
    report_context,
    risks_context,
)
from psr_tui.exports.pdf import default_filename, render_html
from psr_tui.exports.svg import Series, grouped_bars
from psr_tui.models import Band, Response, Review, Risk, RiskMatrix, Round
from psr_tui.store import Store, StoreError

HOSTILE_IMG = '<img src="file:///etc/hostname">'
HOSTILE_LINK = '<link rel="attachment" href="file:///etc/passwd">'
AS_AT = date(2016, 2, 16)


def test_assessment_reproduces_seed_000(demo_store: Store) -> None:
    a = assessment_context(demo_store.snapshot())
    rows = {row.name: row for row in a.rows}
    assert a.group_headings == ["Exec", "IG"]
    assert rows["Governance"].means == ["1.5", "2"]
    assert rows["Culture"].means == ["2", "2.5"]
    assert rows["Information and IT"].means == ["1", "2"]
    assert rows["Financial and contractual mechanisms"].means == ["1.5", "1.5"]
    assert rows["Leadership"].level == "2 Enabling"
    assert rows["Leadership"].current.startswith("There is consensus amongst senior leaders")
    assert a.group_totals == [4, 6] and a.total == 10
    text = " ".join(a.results)
    assert "Implementation Group scored more highly than the Executive" in text
    assert "highest for Culture and Service model design (2.3 and 2.3)" in text
    assert (
        "Lowest scores are given for Financial and contractual mechanisms, Information and IT "
        "and Workforce (1.5, 1.6 and 1.6)" in text
    )
    assert a.previous_round is None and a.changes == []
    assert "10 completed responses" in a.update and "Chorley Council" in a.update


def test_change_since_the_previous_round(demo_store: Store) -> None:
    snap = demo_store.snapshot()
    framework = snap.latest_round().model.framework  # type: ignore[union-attr]
    with demo_store.transaction() as tx:
        tx.insert(
            "rounds", Round(name="Re-run, Aug 2016", date=date(2016, 8, 16), framework=framework)
        )
        tx.insert(
            "responses",
            Response(
                round="Re-run, Aug 2016",
                name="A",
                group="Executive",
                scores={"culture": 4, "leadership": 1},
            ),
        )
    a = assessment_context(demo_store.snapshot())
    assert a.round == "Re-run, Aug 2016"
    assert a.previous_round == "Baseline, Feb 2016"
    culture = next(c for c in a.changes if c.name == "Culture")
    assert (culture.before, culture.after, culture.arrow) == ("2.3", "4", "↑")
    assert any(
        r.startswith("Since 'Baseline, Feb 2016'") and "largest rise was Culture" in r
        for r in a.results
    )
    earlier = assessment_context(demo_store.snapshot(), "baseline, feb 2016")
    assert earlier.previous_round is None


def test_unknown_round_is_one_clear_error(demo_store: Store) -> None:
    with pytest.raises(StoreError, match="no round named 'Nope' \\(rounds: Baseline, Feb 2016\\)"):
        assessment_context(demo_store.snapshot(), "Nope")


def test_risks_matrix_counts_overdue_and_movement(demo_store: Store) -> None:
    k = risks_context(demo_store.snapshot(), AS_AT)
    assert [r.ref for r in k.rows] == [f"R{i}" for i in range(1, 9)]
    assert [r.rating.score for r in k.rows] == ["1", "3", "3", "3", "3", "3", "3", "3"]
    assert {r.rating.band for r in k.rows} == {"Low"}
    low_row = dict((likelihood, cells) for likelihood, cells in k.grid)["Low"]
    assert [(c.score, c.count) for c in low_row] == [(1, 1), (3, 7), (6, 0)]
    assert low_row[1].colour == band_print_colours(demo_store.snapshot().matrix())[0]
    # R2 and R3 are due "February 16": by the end of the month, not at the meeting on the 16th.
    assert k.overdue == []
    assert [r.ref for r in risks_context(demo_store.snapshot(), date(2016, 3, 1)).overdue] == [
        "R2",
        "R3",
    ]
    assert {m.ref: m.change for m in k.movements} == {"R3": "↓ -2", "R7": "↓ -2"}
    assert [band.name for band in k.bands] == ["Low", "Medium", "High"]


def test_programme_groups_and_progress(demo_store: Store) -> None:
    p = programme_context(demo_store.snapshot(), AS_AT)
    assert [name for name, _ in p.phases][:4] == ["Foundation", "Phase 1", "Phase 2", "Phase 3"]
    assert p.phases[1][1] == "Mar–May 2016"
    assert p.current_phase == "Foundation"
    first = p.groups[0].rows[0]
    assert first.name == "Building Community Capacity"
    assert ("Community Engagement", True) in first.workstreams
    assert [g.heading for g in p.groups][1] == "Supporting activity"
    assert p.overall.activities == sum(r.activities for r in p.phase_progress)


def test_pack_contents_numbered_in_agenda_order(demo_store: Store) -> None:
    r = report_context(demo_store.snapshot(), "pack", user="tester", exported=AS_AT)
    assert [(s.number, s.anchor, s.title) for s in r.sections] == [
        (1, "section-assessment", "System leadership self-assessment"),
        (2, "section-programme", "Programme plan"),
        (3, "section-risks", "Risk register"),
    ]


def test_user_text_is_escaped_in_the_html(demo_store: Store) -> None:
    with demo_store.transaction() as tx:
        tx.insert(
            "risks",
            Risk(
                ref="R9",
                description=f"x {HOSTILE_IMG} {HOSTILE_LINK}",
                likelihood="High",
                impact="Critical",
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
    html = render_html(
        report_context(demo_store.snapshot(), "pack", user="<b>u</b>", exported=AS_AT)
    )
    assert "<img" not in html and "<link" not in html and "<b>u" not in html
    assert "&lt;img src=&#34;file:///etc/hostname&#34;&gt;" in html
    assert "&lt;link rel=&#34;attachment&#34;" in html
    assert "file:///etc" not in html.replace("&#34;file:///etc", "")


def test_band_colours_never_carry_css() -> None:
    assert band_colour("Red") == "#e8837c"
    assert band_colour("#12abEF") == "#12abEF"
    assert band_colour("red; background: url(file:///etc/passwd)") == band_colour("grey")


def test_chart_escapes_labels() -> None:
    svg = str(
        grouped_bars(
            ["<script>x</script>"], [Series("A&B", [2.5], "A&B")], top=5, description="<b>"
        )
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "A&amp;B" in svg
    assert "<title>&lt;b&gt;</title>" in svg
    assert svg.startswith("<svg") and 'width="' in svg


def test_default_filename(demo_store: Store) -> None:
    name = default_filename(demo_store.snapshot(), "risks")
    assert name == "chorley-public-service-reform-partnership-risks-2016-02-16.pdf"


def _luma(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.299 * red + 0.587 * green + 0.114 * blue


@pytest.mark.parametrize(
    "colours",
    [
        ["green", "amber", "red"],
        # Any colours, in any lightness order: a yellow top band still prints darkest.
        ["#ffffff", "red", "green", "blue", "#ffff00"],
        ["yellow", "yellow"],
    ],
)
def test_band_colours_step_darker_in_band_order(colours: list[str]) -> None:
    """In greyscale each band prints darker than the one below it (the old Low green printed
    darker than Medium amber), and black text stays readable on the darkest."""
    bands = [
        Band(name=f"B{i}", max=9 * (i + 1) // len(colours), colour=c) for i, c in enumerate(colours)
    ]
    matrix = RiskMatrix(
        name="m",
        likelihood=["a", "b", "c"],
        impact=["x", "y", "z"],
        scores=[[1, 3, 6], [2, 5, 8], [4, 7, 9]],
        bands=bands,
    )
    lumas = [_luma(c) for c in band_print_colours(matrix)]
    assert all(before > after + 0.05 for before, after in itertools.pairwise(lumas)), lumas
    assert min(lumas) >= 0.55  # black text on it keeps more than 4.5:1 contrast


def test_chart_labels_round_half_up() -> None:
    svg = str(
        grouped_bars(["Leadership"], [Series("Executive", [1.625], "Exec")], top=5, description="x")
    )
    assert "Exec 1.63" in svg and "1.62" not in svg


def test_register_key_updated_inherent_and_new_and_closed(demo_store: Store) -> None:
    with demo_store.transaction() as tx:
        tx.insert(
            "risks",
            Risk(
                ref="R9",
                description="New since the last review",
                likelihood="High",
                impact="Critical",
                inherent_likelihood="High",
                inherent_impact="Critical",
                date_identified=date(2016, 2, 10),
            ),
        )
        tx.insert(
            "risks",
            Risk(
                ref="R10",
                description="Closed at its last review",
                likelihood="Low",
                impact="Noticeable",
                status="closed",
                date_identified=date(2015, 6, 1),
                reviews=[
                    Review(
                        date=date(2016, 2, 12),
                        likelihood="Low",
                        impact="Noticeable",
                        score=1,
                        note="closed",
                        by="Programme Office",
                    )
                ],
            ),
        )
    k = risks_context(demo_store.snapshot(), AS_AT)
    # Seed 001's "Updated:": the latest change on or before the as-at date.
    assert k.updated == "12 Feb 2016"
    assert [(b.name, b.scores) for b in k.bands] == [
        ("Low", "1-3"),
        ("Medium", "4-6"),
        ("High", "7-9"),
    ]
    assert k.likelihood[0] == ("Low", "Not expected in the next 12 months")
    assert k.impact[-1][0] == "Critical" and "Executive" in k.impact[-1][1]
    rows = {row.ref: row for row in k.rows}
    assert k.has_inherent and rows["R9"].inherent is not None
    assert (rows["R9"].inherent.score, rows["R9"].inherent.band) == ("9", "High")
    changes = {m.ref: m.change for m in k.movements}
    assert changes["R9"] == "new" and changes["R10"] == "closed"
    html = render_html(report_context(demo_store.snapshot(), "risks", user="t", exported=AS_AT))
    assert "Updated: 12 Feb 2016" in html and "Inherent score" in html


def test_matrix_labels_meaning_from_the_file_or_their_place() -> None:
    from psr_tui.exports.context import _meanings

    assert _meanings(["Rare", "Likely"], [], "likelihood") == [
        ("Rare", "the least likely of the 2 likelihood ratings"),
        ("Likely", "the most likely of the 2 likelihood ratings"),
    ]
