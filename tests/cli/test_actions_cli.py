"""`psr actions`: the development actions, filtered by domain, as a table or JSON."""

from __future__ import annotations

import json
from pathlib import Path

from psr_tui.models import DevelopmentAction, Evidence, Measure
from psr_tui.store import Store
from tests.conftest import run_psr


def test_actions_table_lists_the_demo_actions(demo_path: Path) -> None:
    result = run_psr("actions", "--db", demo_path)
    assert result.returncode == 0, result.stderr
    assert "Making Every Contact Count" in result.stdout
    assert "Information and IT" in result.stdout
    assert "Leadership (Exec)" in result.stdout


def test_actions_json_filters_by_domain_name_any_case(demo_path: Path) -> None:
    with Store(demo_path).transaction() as tx:
        tx.insert(
            "actions",
            DevelopmentAction(
                framework="AQuA System Integration",
                domain="workforce",
                title="[red]MECC[/red] pilot",
                status="complete",
                evidence=Evidence(
                    participants=40,
                    sessions=4,
                    measures=[Measure(label="agree it was useful", percent=92.5, n=38)],
                ),
            ),
        )
    result = run_psr("actions", "--db", demo_path, "--domain", "WORKFORCE", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {a["domain"]["key"] for a in data} == {"workforce"}
    assert len(data) == 3
    pilot = next(a for a in data if a["title"] == "[red]MECC[/red] pilot")
    assert pilot["status"] == "complete"
    assert pilot["domain"]["name"] == "Workforce"
    assert pilot["evidence"] == {
        "participants": 40,
        "sessions": 4,
        "measures": [{"label": "agree it was useful", "percent": 92.5, "n": 38}],
        "note": "",
    }
    by_key = run_psr("actions", "--db", demo_path, "--domain", "information_and_it", "--json")
    assert [a["owner"] for a in json.loads(by_key.stdout)] == [
        "Healthier Lancashire digital work stream"
    ]


def test_unknown_domain_is_one_line_error(demo_path: Path) -> None:
    result = run_psr("actions", "--db", demo_path, "--domain", "Finance")
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "unknown domain 'Finance'" in lines[0]
    assert "Financial and contractual mechanisms" in lines[0]


def test_no_actions_yet(tmp_path: Path) -> None:
    db = tmp_path / "new.json"
    assert run_psr("init", "--db", db, "--name", "Test").returncode == 0
    result = run_psr("actions", "--db", db)
    assert result.returncode == 0
    assert "no development actions" in result.stdout
    assert json.loads(run_psr("actions", "--db", db, "--json").stdout) == []
