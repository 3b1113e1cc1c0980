"""The radar chart's SVG (issue 17 item 6): a spoke per domain, a ring per level, a line
per series that reads in greyscale, gaps for domains a series lacks, labels escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from psr_tui.exports.radar import DASHES, radar
from psr_tui.exports.svg import Series

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def test_spokes_rings_and_a_closed_line_per_full_series() -> None:
    chart = _parse(
        radar(
            ["A", "B", "C", "D", "E"],
            [Series("Exec", [1, 2, 3, 4, 5]), Series("IG", [2, 2, 2, 2, 2])],
            top=5,
            level_names=["One", "Two", "Three", "Four", "Five"],
        )
    )
    polygons = chart.findall(f"{SVG}polygon")
    rings = [p for p in polygons if p.get("fill") == "none"]
    assert len(rings) == 5  # a ring per level
    areas = [p for p in polygons if p.get("fill-opacity")]
    assert len(areas) == 2
    # The two series differ by dash (greyscale), not colour alone.
    assert [a.get("stroke-dasharray") for a in areas] == list(DASHES[:2])
    # Exec's first point is on the spoke straight up from the centre (420 wide: x 210),
    # one fifth of the way out; its third (3 of 5) lies further out on its spoke.
    first, _, third = areas[0].get("points", "").split()[:3]
    spokes = [ln for ln in chart.findall(f"{SVG}line") if ln.get("stroke") == "#999"]
    centre = (float(spokes[0].get("x1", 0)), float(spokes[0].get("y1", 0)))
    top = (float(spokes[0].get("x2", 0)), float(spokes[0].get("y2", 0)))
    x, y = map(float, first.split(","))
    assert x == centre[0] == 210.0
    assert abs((centre[1] - y) - (centre[1] - top[1]) / 5) < 0.2
    x3, y3 = map(float, third.split(","))
    assert abs(((x3 - centre[0]) ** 2 + (y3 - centre[1]) ** 2) ** 0.5 - 3 * (centre[1] - y)) < 0.3
    texts = [t.text for t in chart.iter(f"{SVG}text")]
    assert {"A", "B", "C", "D", "E", "Exec", "IG"} <= set(texts)
    assert "5 Five" in texts


def test_a_missing_value_is_a_gap_not_a_fall_to_zero() -> None:
    chart = _parse(radar(["A", "B", "C", "D"], [Series("Target", [3, None, 4, None])], top=5))
    assert not [p for p in chart.findall(f"{SVG}polygon") if p.get("fill-opacity")]
    # No segment of the series (spokes are grey) joins a value to a missing one.
    series_lines = [ln for ln in chart.findall(f"{SVG}line") if ln.get("stroke-width") == "1.6"]
    assert series_lines == []
    markers = [c for c in chart.findall(f"{SVG}circle")]
    assert len(markers) == 1 + 2  # the legend's, then one per value


def test_hostile_labels_are_escaped_and_long_legends_wrap() -> None:
    markup = radar(
        ["<script>alert(1)</script>", 'a "quoted" & <b>bold</b> domain name that is long', "c"],
        [Series(f"Partnership {n} with a long name & more", [1, 2, 3]) for n in range(4)],
        top=3,
    )
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    chart = _parse(markup)  # well-formed whatever the labels
    legend_rows = {
        t.get("y") for t in chart.iter(f"{SVG}text") if (t.text or "").startswith("Partnership")
    }
    assert len(legend_rows) > 1
