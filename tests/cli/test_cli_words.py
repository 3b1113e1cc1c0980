"""What the `psr` command says: help that explains, suggestions for typos, sentences for
mistakes, bounds on what it accepts, months kept as months. Run as the real command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pdfplumber

from psr_tui.store import Store
from tests.conftest import run_psr

README = Path(__file__).parents[2] / "README.md"
FRAMEWORK = "AQuA System Integration"


def test_psr_help_says_that_psr_alone_opens_the_workbench() -> None:
    result = run_psr("--help")
    assert result.returncode == 0
    assert "`psr` on its own opens the workbench" in " ".join(result.stdout.split())


def test_risk_add_help_describes_every_option_and_lists_the_matrix_labels(
    demo_path: Path, tmp_path: Path
) -> None:
    result = run_psr("--db", demo_path, "risk", "add", "--help")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    options = re.findall(r"^  (--[a-z-]+)( [A-Z]+)?(.*)$", text, re.MULTILINE)
    assert {o for o, *_ in options} >= {
        "--ref", "--description", "--likelihood", "--impact", "--category", "--controls",
        "--actions", "--owner", "--action-date", "--date-identified", "--db",
    }  # fmt: skip
    for option, _, rest in options:
        following = text.split(option, 2)[-1].splitlines()
        described = rest.strip() or following[1].strip()
        assert described, f"{option} has no description"
    assert "likelihood: Low, Medium, High" in text
    assert "impact:     Noticeable, Significant, Critical" in text
    assert "May 2016" in text  # dates to the month are explained

    # A 4x4 matrix in another file: its labels, not the default ones.
    other = tmp_path / "other.json"
    assert run_psr("init", "--name", "Other", "--db", other).returncode == 0
    matrix = tmp_path / "m.json"
    matrix.write_text(
        json.dumps(
            {
                "likelihood": ["Rare", "Unlikely", "Likely", "Certain"],
                "impact": ["Minor", "Moderate", "Major", "Severe"],
                "scores": [[1, 2, 3, 4], [2, 4, 6, 8], [3, 6, 9, 12], [4, 8, 12, 16]],
                "bands": [{"name": "Low", "max": 4}, {"name": "High", "max": 16}],
            }
        )
    )
    assert run_psr("import", "matrix", matrix, "--db", other).returncode == 0
    text = run_psr("risk", "add", "--db", other, "-h").stdout
    assert "likelihood: Rare, Unlikely, Likely, Certain" in text

    missing = run_psr("risk", "add", "--help", "--db", tmp_path / "none.json").stdout
    assert "labels of the risk matrix in the database" in " ".join(missing.split())
    assert "no database at" in missing


def test_a_mistyped_command_suggests_the_nearest() -> None:
    result = run_psr("sumary")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "psr: unknown command 'sumary': did you mean summary? (see `psr --help`)"
    )
    result = run_psr("import", "framwork", "f.json")
    assert "did you mean framework?" in result.stderr
    assert "did you mean" not in run_psr("xyzzy").stderr  # nothing near: the list instead


def test_an_empty_description_says_a_description_is_needed(demo_path: Path) -> None:
    before = demo_path.read_bytes()
    result = run_psr(
        "risk", "add", "--db", demo_path, "--ref", "R9", "--description", "",
        "--likelihood", "Low", "--impact", "Critical",
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip() == "psr: a description is needed"
    assert demo_path.read_bytes() == before


def test_a_no_date_marker_is_refused_saying_how_to_write_no_date(demo_path: Path) -> None:
    result = run_psr(
        "risk", "add", "--db", demo_path, "--ref", "R9", "--description", "d",
        "--likelihood", "Low", "--impact", "Critical", "--action-date", "31/12/9999",
    )  # fmt: skip
    assert result.returncode == 2
    assert "31/12/9999 is outside the years 1900-2200: no date is written as an empty field" in (
        result.stderr
    )


def test_a_matrix_out_of_bounds_is_refused_by_name(demo_path: Path, tmp_path: Path) -> None:
    matrix = json.loads((Path(__file__).parents[2] / "psr_tui/data/matrix.json").read_text())
    before = demo_path.read_bytes()
    for change, expected in (
        (lambda m: m["scores"][2].__setitem__(2, 10**30), "scores row 3 item 3: "),
        (lambda m: m["scores"][0].__setitem__(0, -1), "scores row 1 item 1: -1 is not between 1"),
        (lambda m: m["bands"][0].update(review_months=100000), "band 1 review months: 100000"),
        (lambda m: m["bands"][1].update(name="low"), "two bands are called 'low'"),
    ):
        broken = json.loads(json.dumps(matrix))
        change(broken)
        path = tmp_path / "m.json"
        path.write_text(json.dumps(broken))
        result = run_psr("import", "matrix", path, "--db", demo_path)
        assert result.returncode == 1, broken
        assert expected in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert demo_path.read_bytes() == before


def test_a_matrix_dropping_a_label_a_closed_risk_uses_is_refused(
    demo_path: Path, tmp_path: Path
) -> None:
    with Store(demo_path).transaction() as tx:
        r1 = tx.risk("R1")  # the only risk of Noticeable impact
        assert r1 is not None
        tx.update("risks", r1.doc_id, r1.model.model_copy(update={"status": "closed"}))
    matrix = json.loads((Path(__file__).parents[2] / "psr_tui/data/matrix.json").read_text())
    matrix["impact"] = ["Minor", "Significant", "Critical"]
    path = tmp_path / "m.json"
    path.write_text(json.dumps(matrix))
    before = demo_path.read_bytes()
    result = run_psr("import", "matrix", path, "--db", demo_path)
    assert result.returncode == 1
    assert "impact 'Noticeable' (closed R1)" in result.stderr
    assert demo_path.read_bytes() == before
    assert run_psr("check", "--db", demo_path).returncode == 0


def test_month_dates_in_the_register_pdf(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "risks.pdf"
    result = run_psr("export", "risks", "-o", out, "--db", demo_path)
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(out) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "Feb 2016" in text and "May 2016" in text and "Aug 2015" in text
    assert "1 May 2016" not in text and "1 Feb 2016" not in text
    assert "No listed risk has an overdue action or review." in " ".join(text.split())


def test_a_file_with_values_an_older_psr_let_in_still_exports(
    demo_path: Path, tmp_path: Path
) -> None:
    data = json.loads(demo_path.read_text())
    r5 = next(r for r in data["risks"].values() if r["ref"] == "R5")
    r5["action_date"] = r5["date_identified"] = "9999-12-31"
    r5["reviews"] = []
    next(iter(data["matrix"].values()))["bands"][0]["review_months"] = 100000
    path = tmp_path / "older.json"
    path.write_text(json.dumps(data))
    out = tmp_path / "pack.pdf"
    result = run_psr("export", "pack", "-o", out, "--db", path)
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(out) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "9999" in text  # shown as stored (the table wraps "31 Dec / 9999")
    check = run_psr("check", "--db", path)
    assert check.returncode == 0
    r5 = next(line for line in check.stderr.splitlines() if line.startswith("warning: risks 'R5'"))
    assert "action date: 31 Dec 9999 is outside the years 1900-2200" in r5
    assert "warning: matrix" in check.stderr and "100000 is not between 1 and 120" in check.stderr


def test_readme_lists_every_command() -> None:
    readme = README.read_text(encoding="utf-8")
    listed = set(re.findall(r"^psr ([a-z]+)", readme, re.MULTILINE))
    help_text = run_psr("--help").stdout
    commands = set(re.findall(r"^    ([a-z]+)\b", help_text, re.MULTILINE))
    assert "actions" in commands
    assert commands <= listed, commands - listed


def test_chart_labels_in_the_assessment_pdf_keep_two_places(
    demo_path: Path, tmp_path: Path
) -> None:
    from psr_tui.models import Response, Round

    with Store(demo_path).transaction() as tx:
        tx.insert("rounds", Round(name="Review", date="2016-08-16", framework=FRAMEWORK))
        for n, level in enumerate((2, 2, 2, 3), start=1):
            tx.insert(
                "responses",
                Response(
                    round="Review", name=f"E{n}", group="Executive", scores={"workforce": level}
                ),
            )
    out = tmp_path / "assessment.pdf"
    result = run_psr("export", "assessment", "--round", "Review", "-o", out, "--db", demo_path)
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(out) as pdf:
        words = [w["text"] for page in pdf.pages for w in page.extract_words()]
    # The Executive's Workforce mean 2.25, in the table and on its bar: never "2.2".
    assert words.count("2.25") >= 2
    assert "2.2" not in words
