"""`psr programme [--json]` on the demo programme: the DESIGN.md shape and the figures."""

from __future__ import annotations

import json
from pathlib import Path

from psr_tui import analysis
from psr_tui.store import Store
from tests.conftest import run_psr


def test_programme_json_has_the_contract_shape(demo_path: Path) -> None:
    result = run_psr("--db", demo_path, "programme", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"as_at", "phases", "themes"}
    assert data["as_at"] == "2016-02-16"
    for phase in data["phases"]:
        assert set(phase) == {"name", "start", "end", "activities", "complete", "percent"}
    for theme in data["themes"]:
        assert set(theme) == {"name", "activities", "complete", "percent", "slipped", "blocked"}
    foundation = data["phases"][0]
    assert foundation == {
        "name": "Foundation",
        "start": "2015-09-01",
        "end": "2016-02-29",
        "activities": 3,
        "complete": 2,
        "percent": 66.7,
    }
    names = [t["name"] for t in data["themes"]]
    # The business case (seed 002) and the Year One recommendations (seed 003) are tracked.
    assert "Outline business case" in names
    assert "Year One evaluation recommendations" in names


def test_programme_json_matches_analysis(demo_path: Path) -> None:
    snap = Store(demo_path).snapshot()
    activities = [r.model for r in snap.activities()]
    expected = analysis.theme_progress([r.model for r in snap.themes()], activities)
    data = json.loads(run_psr("--db", demo_path, "programme", "--json").stdout)
    assert [(t["name"], t["activities"], t["complete"], t["percent"]) for t in data["themes"]] == [
        (p.name, p.activities, p.complete, p.percent) for p in expected
    ]
    assert sum(p["activities"] for p in data["phases"]) == len(activities) == 58


def test_programme_text_shows_british_dates(demo_path: Path) -> None:
    result = run_psr("--db", demo_path, "programme")
    assert result.returncode == 0, result.stderr
    assert "Programme as at 16 Feb 2016" in result.stdout
    assert "1 Mar 2016 to 31 May 2016" in result.stdout
    assert "Outline business case" in result.stdout


def test_programme_on_a_missing_file_is_one_line(tmp_path: Path) -> None:
    result = run_psr("--db", tmp_path / "none.json", "programme")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
