"""Issue 17 items 4-7 as an officer runs them: the consensus and achieved-level rules
(`psr framework rules`, `psr summary`, the assessment PDF with its radar charts) and
`psr compare` over other partnerships' files (text, --json, a PDF), read-only."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pdfplumber

from psr_tui.changes.assessment import copy_round, set_score
from psr_tui.store import Store
from tests.conftest import run_psr
from tests.helpers.forms import SIX_BY_FOUR, write_six_by_four

AQUA = "AQuA System Integration"
BASELINE = "Baseline, Feb 2016"
REVIEW = "Review, Aug 2016"
SIX_NAME = str(SIX_BY_FOUR["name"])


def _pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _table_rows(path: Path) -> list[list[str]]:
    """Every row of every table in the PDF, each cell's lines joined by spaces."""
    with pdfplumber.open(path) as pdf:
        return [
            [" ".join((cell or "").split()) for cell in row]
            for page in pdf.pages
            for table in page.extract_tables()
            for row in table
        ]


def _summary(db: Path) -> dict[str, object]:
    result = run_psr("summary", "--json", "--db", db)
    assert result.returncode == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def _domains(data: dict[str, object]) -> dict[str, dict[str, object]]:
    return {d["key"]: d for d in data["domains"]}  # type: ignore[index,union-attr]


def test_the_rules_are_the_frameworks_and_change_every_figure(
    demo_path: Path, tmp_path: Path
) -> None:
    result = run_psr("framework", "rules", AQUA.lower(), "--db", demo_path)
    assert result.returncode == 0, result.stderr
    assert "level achieved: floor (the highest level at or below the combined average)" in (
        result.stdout
    )
    before = _domains(_summary(demo_path))
    assert before["governance"]["achieved_level"] == 1  # 1.8, floor

    result = run_psr(
        "framework", "rules", AQUA, "--achieved", "nearest", "--share", "75%", "--db", demo_path
    )
    assert result.returncode == 0, result.stderr
    assert "at least three quarters of the ratings" in result.stdout
    data = _summary(demo_path)
    assert data["rules"] == {
        "achieved_level": "nearest",
        "consensus": {"within": 1, "share": 0.75, "min_ratings": 3},
    }
    after = _domains(data)
    assert after["governance"]["achieved_level"] == 2  # 1.8 is nearest 2
    assert after["financial_and_contractual_mechanisms"]["achieved_level"] == 2  # 1.5 rounds up
    assert after["leadership"]["achieved_level"] == 2
    assert data["overall"]["achieved_level"] == 2  # type: ignore[index]  # 1.89
    # Three quarters: the IG's Culture (four of six within a level) is divided now.
    assert after["culture"]["consensus"]["Implementation Group"]["verdict"] == "divided"  # type: ignore[index]
    text = run_psr("summary", "--db", demo_path).stdout
    assert "Level achieved: the level nearest the combined average, a half rounding up." in text

    out = tmp_path / "a.pdf"
    result = run_psr("export", "assessment", "-o", out, "--db", demo_path)
    assert result.returncode == 0, result.stderr
    pdf = " ".join(_pdf_text(out).split())
    assert "Level achieved = the level nearest the combined average, a half rounding up." in pdf
    assert "Agreement: agreed when at least three quarters of the ratings lie within 1 level" in (
        pdf
    )
    # By floor four domains were at level 1 (1.5 to 1.8); nearest puts all eight at 2.
    assert "Level 1 Commitment" not in pdf and pdf.count("Level 2 Enabling") == 8


def test_bad_rules_are_one_line_and_change_nothing(demo_path: Path) -> None:
    before = demo_path.read_bytes()
    for args, message in (
        (["--share", "3/2"], "psr: --share '3/2': a share is more than 0 and at most 1 (all)\n"),
        (
            ["--share", "most"],
            "psr: --share 'most': give a fraction (2/3), a decimal (0.75) or 75%\n",
        ),
        (["--within", "-1"], "psr: consensus within: input should be greater than or equal to 0\n"),
    ):
        result = run_psr("framework", "rules", AQUA, *args, "--db", demo_path)
        assert (result.returncode, result.stderr) == (1, message)
    result = run_psr("framework", "rules", "Nope", "--achieved", "nearest", "--db", demo_path)
    assert result.returncode == 1
    assert result.stderr == f"psr: no framework 'Nope' (frameworks: '{AQUA}')\n"
    assert demo_path.read_bytes() == before


def test_the_pdf_reads_the_demo_as_the_seed_with_radar_charts(
    demo_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "a.pdf"
    assert run_psr("export", "assessment", "-o", out, "--db", demo_path).returncode == 0
    text = " ".join(_pdf_text(out).split())
    assert "The responses suggest a fairly consistent interpretation of the current position" in (
        text
    )
    assert "AGREEMENT" in text.upper() and "Spread and disagreement" not in text
    governance = next(row for row in _table_rows(out) if row[0] == "Governance" and len(row) == 4)
    assert governance[1:] == [
        "agreed n 4, median 1.5; 100% at it, 100% within 1",
        "agreed n 6, median 2; 67% at it, 100% within 1",
        "agreed n 10, median 2; 60% at it, 100% within 1",
    ]
    assert "Domain means by group" in text
    # The radar's outer ring and a spoke (the SVG's text comes out without its spaces).
    assert "5SustainableDelivery" in text.replace(" ", "")
    assert "ServicemodeldesignDomainmeansbygroup" not in text.replace(" ", "")
    assert "This round's means against" not in text  # no previous round, no targets

    with Store(demo_path).transaction() as tx:
        copy_round(tx, BASELINE, REVIEW, date(2016, 8, 1))
    store = Store(demo_path)
    people = store.snapshot().responses(REVIEW)
    with store.transaction() as tx:  # five of ten at 5: Leadership is divided
        for record in people[:5]:
            set_score(tx, record.doc_id, record.model, "leadership", 5)
        for record in people[5:]:
            set_score(tx, record.doc_id, record.model, "leadership", 1)
    assert run_psr("export", "assessment", "-o", out, "--db", demo_path).returncode == 0
    text = " ".join(_pdf_text(out).split())
    assert f"This round's means against '{BASELINE}'" in text
    assert (
        "Ratings were divided on Leadership (fewer than two thirds of the ratings lie within"
        in (text)
    )
    # 5 5 5 5 5 1 1 1 1 1: the median 3, no rating within a level of it.
    assert "Leadership: ratings divided (only 0% within 1 level of the median)" in text


def _partnership(tmp_path: Path, name: str) -> Path:
    """Another partnership's file: the demo renamed, its baseline moved on by a level."""
    path = tmp_path / f"{name}.json"
    assert run_psr("demo", "--db", path).returncode == 0
    data = json.loads(path.read_text())
    meta = data["meta"]
    key = next(iter(meta))
    meta[key]["partnership"] = name
    for row in data["responses"].values():
        row["scores"] = {k: min(5, v + 1) for k, v in row["scores"].items()}
    path.write_text(json.dumps(data))
    return path


def test_compare_two_partnerships_read_only(demo_path: Path, tmp_path: Path) -> None:
    peers = tmp_path / "peers"
    peers.mkdir()
    other = _partnership(peers, "Preston Partnership")
    shutil.copy(demo_path, peers / "chorley.json")
    chorley = peers / "chorley.json"
    listing = sorted(os.listdir(peers))
    stamps = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (chorley, other)}

    result = run_psr("compare", chorley, other)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{AQUA}: the latest round of 2 partnerships"
    assert lines[1].startswith("  1 Chorley Public Service Reform Partnership: Baseline, Feb 2016")
    assert lines[2].startswith("  2 Preston Partnership: Baseline, Feb 2016 (16 Feb 2016, 10 r")
    rows = {line.split("  ")[0]: line.split() for line in lines if line.startswith("Governance")}
    # Chorley Exec 1.5, IG 2, All 1.8, level 1; Preston a level up on every score.
    assert rows["Governance"][1:] == ["1.5", "2", "1.8", "1", "2.5", "3", "2.8", "2"]

    result = run_psr("compare", chorley, other, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["framework"] == AQUA
    assert data["groups"] == ["Executive", "Implementation Group"]
    first, second = data["partnerships"]
    assert (first["partnership"], second["partnership"]) == (
        "Chorley Public Service Reform Partnership",
        "Preston Partnership",
    )
    assert (second["file"], second["date"], second["respondents"]) == (str(other), "2016-02-16", 10)
    governance = {d["key"]: d for d in second["summary"]["domains"]}["governance"]
    assert governance["means"] == {"Executive": 2.5, "Implementation Group": 3}
    assert governance["agreement"]["verdict"] == "agreed"

    out = tmp_path / "compare.pdf"
    result = run_psr("compare", chorley, other, "-o", out)
    assert result.returncode == 0, result.stderr
    text = " ".join(_pdf_text(out).split())
    assert "Partnerships compared" in text
    assert "Combined means per domain, by partnership" in text
    rows = _table_rows(out)
    assert ["1", "Chorley Public Service Reform Partnership", BASELINE] in [r[:3] for r in rows]
    assert ["2", "Preston Partnership", BASELINE] in [r[:3] for r in rows]
    assert ["Governance", "1.5", "2", "1.8", "1", "2.5", "3", "2.8", "2"] in rows
    # Read, never written or locked: the same bytes and times, no lock or log beside them.
    assert sorted(os.listdir(peers)) == listing
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in (chorley, other)} == stamps


def test_compare_refuses_other_frameworks_naming_the_difference(
    demo_path: Path, tmp_path: Path
) -> None:
    other = _partnership(tmp_path, "Preston Partnership")
    assert run_psr("framework", "rules", AQUA, "--within", "2", "--db", other).returncode == 0
    result = run_psr("compare", demo_path, other)
    assert result.returncode == 1
    assert result.stderr == (
        f"psr: {other}: cannot compare with {demo_path}: the frameworks differ: its "
        "consensus rule is another (agreed when at least two thirds of the ratings lie within "
        "2 levels of their median, divided otherwise; too few to say under 3 ratings)\n"
    )

    data = json.loads(other.read_text())
    for row in data["frameworks"].values():
        row["domains"] = row["domains"][:-1]
        row["consensus"]["within"] = 1
    for row in data["responses"].values():
        row["scores"].pop("service_model_design", None)
        row["comments"].pop("service_model_design", None)
    other.write_text(json.dumps(data))
    result = run_psr("compare", demo_path, other)
    assert result.returncode == 1
    assert result.stderr == (
        f"psr: {other}: cannot compare with {demo_path}: the frameworks differ: it lacks "
        "the domains service_model_design\n"
    )

    six = tmp_path / "six.json"
    assert run_psr("init", "--name", "Six", "--db", six).returncode == 0
    framework = write_six_by_four(tmp_path / "fw.json")
    assert run_psr("import", "framework", framework, "--db", six).returncode == 0
    csv = tmp_path / "r.csv"
    csv.write_text("name,organisation,group,Vision\nAnn,Org,Executive,2\n")
    result = run_psr(
        "import", "responses", csv, "--round", "R1", "--framework", SIX_NAME, "--db", six
    )
    assert result.returncode == 0, result.stderr
    result = run_psr("compare", demo_path, six)
    assert result.returncode == 1
    assert result.stderr.startswith(f"psr: {six}: no round of framework '{AQUA}' (its rounds use")

    assert run_psr("compare", demo_path).stderr == "psr: compare needs two or more psr files\n"
    missing = tmp_path / "missing.json"
    assert run_psr("compare", demo_path, missing).stderr == f"psr: {missing}: no such file\n"
