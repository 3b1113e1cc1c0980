"""`psr summary`: the text table, the JSON contract with flags and targets, unknown rounds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from psr_tui.store import Store
from tests.conftest import run_psr

ROUND = "Baseline, Feb 2016"
DOMAIN_KEYS = {
    "key",
    "name",
    "means",
    "counts",
    "combined",
    "achieved_level",
    "current",
    "progression",
    "lowest",
    "highest",
    "disagreement",
    "agreement",
    "consensus",
    "groups_differ",
    "target",
    "gap_to_target",
}


def test_summary_text_shows_the_means(demo_path: Path) -> None:
    result = run_psr("summary", "--db", demo_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith(f"{ROUND} (AQuA System Integration): 10 respondents, all complete")
    lines = {line.split("  ")[0].strip(): line for line in out.splitlines()}
    assert lines["Governance"].split()[1:4] == ["1.5", "2", "1.8"]
    assert lines["Information and IT"].split()[3:6] == ["1", "2", "1.6"]
    assert "agreed (n=10)  groups differ" in lines["Information and IT"]
    assert "Level achieved: the highest level at or below the combined average." in out
    assert "Agreement: agreed when at least two thirds of the ratings lie within 1 level" in out
    assert "Lowest: Financial and contractual mechanisms" in out


def test_summary_json_shape_with_flags_and_targets(demo_path: Path) -> None:
    with Store(demo_path).transaction() as tx:
        record = tx.round(ROUND)
        assert record is not None
        changed = record.model.model_copy(update={"targets": {"workforce": 3}})
        tx.update("rounds", record.doc_id, changed, record.model.rev)
    result = run_psr("summary", "--json", "--round", ROUND.upper(), "--db", demo_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {
        "round",
        "framework",
        "groups",
        "domains",
        "overall",
        "rules",
        "respondents",
    }
    assert data["rules"] == {
        "achieved_level": "floor",
        "consensus": {"within": 1, "share": pytest.approx(2 / 3), "min_ratings": 3},
    }
    assert data["respondents"] == {"total": 10, "complete": 10, "partial": 0, "unscored": 0}
    assert data["round"] == ROUND
    assert data["groups"] == ["Executive", "Implementation Group"]
    domains = {d["key"]: d for d in data["domains"]}
    assert len(domains) == 8
    for domain in domains.values():
        assert set(domain) == DOMAIN_KEYS
        assert domain["counts"] == {"Executive": 4, "Implementation Group": 6}
    workforce = domains["workforce"]
    assert workforce["means"] == {"Executive": 1, "Implementation Group": 2}
    assert workforce["combined"] == pytest.approx(1.6)  # unrounded float
    assert workforce["achieved_level"] == 1
    assert (workforce["lowest"], workforce["highest"]) == (1, 3)
    assert workforce["disagreement"] is False and workforce["groups_differ"] is True
    # Exec 1 1 1 1, IG 1 2 2 2 2 3: median 1.5 (at both 1 and 2), nine at it and within 1.
    assert workforce["agreement"] == {
        "n": 10,
        "median": 1.5,
        "at_median": pytest.approx(0.9),
        "within": pytest.approx(0.9),
        "verdict": "agreed",
    }
    assert workforce["consensus"]["Executive"]["median"] == 1
    assert workforce["consensus"]["Implementation Group"]["verdict"] == "agreed"
    assert workforce["target"] == 3
    assert workforce["gap_to_target"] == pytest.approx(1.4)
    financial = domains["financial_and_contractual_mechanisms"]
    assert financial["disagreement"] is False and financial["groups_differ"] is False
    assert financial["target"] is None and financial["gap_to_target"] is None
    assert data["overall"]["means"]["Executive"] == pytest.approx(1.625)
    assert data["overall"]["combined"] == pytest.approx(1.89, abs=0.005)
    assert data["overall"]["achieved_level"] == 1


def test_unknown_round_is_one_line_and_exit_1(demo_path: Path) -> None:
    result = run_psr("summary", "--round", "Autumn 2030", "--db", demo_path)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "Autumn 2030" in lines[0] and ROUND in lines[0]
    assert "Traceback" not in result.stderr
