"""`psr summary|risks|programme|export --as-at DATE`: the real `psr` process counts only
what existed on the date, and says what the date changes (issue 14 item 3)."""

from __future__ import annotations

import json
from pathlib import Path

import pdfplumber

from tests.app.test_as_at import LATER_ROUND, add_later_round
from tests.conftest import run_psr


def test_summary_as_at_a_date_is_the_latest_round_dated_by_then(demo_path: Path) -> None:
    add_later_round(demo_path)
    latest = run_psr("summary", "--db", demo_path, "--json")
    assert json.loads(latest.stdout)["round"] == LATER_ROUND
    then = run_psr("summary", "--db", demo_path, "--as-at", "2016-03-01", "--json")
    assert then.returncode == 0, then.stderr
    assert json.loads(then.stdout)["round"] == "Baseline, Feb 2016"
    text = run_psr("summary", "--db", demo_path, "--as-at", "1 Mar 2016").stdout
    assert text.startswith("as at 1 Mar 2016: rounds and risks as they stood then;")
    named = run_psr("summary", "--db", demo_path, "--as-at", "2016-03-01", "--round", LATER_ROUND)
    assert named.returncode != 0
    assert f"round {LATER_ROUND!r} is dated after 1 Mar 2016" in named.stderr
    before = run_psr("summary", "--db", demo_path, "--as-at", "2015-10-01")
    assert before.returncode != 0
    assert before.stderr.strip() == "psr: No round was dated on or before 1 Oct 2015"


def test_risks_as_at_a_date_are_those_identified_by_then_as_their_reviews_left_them(
    demo_path: Path,
) -> None:
    def risks(*args: str) -> dict[str, dict[str, object]]:
        done = run_psr("risks", "--db", demo_path, "--json", *args)
        assert done.returncode == 0, done.stderr
        return {r["ref"]: r for r in json.loads(done.stdout)}

    assert sorted(risks("--as-at", "2015-10-01")) == ["R1", "R2", "R3", "R4"]
    then = risks("--as-at", "2016-02-01")
    assert len(then) == 8
    assert (then["R3"]["likelihood"], then["R3"]["score"], then["R3"]["band"]) == (
        "Medium",
        5,
        "Medium",
    )
    assert risks()["R3"]["score"] == 3
    empty = run_psr("risks", "--db", demo_path, "--as-at", "2015-07-01")
    assert empty.stdout.strip() == "No risk had been identified by 1 Jul 2015"
    table = run_psr("risks", "--db", demo_path, "--as-at", "2016-02-01").stdout
    assert "as at 1 Feb 2016: rounds and risks as they stood then; programme" in table
    bad = run_psr("risks", "--db", demo_path, "--as-at", "soon")
    assert bad.returncode != 0 and "soon" in bad.stderr and "Traceback" not in bad.stderr


def test_programme_as_at_a_date_says_its_status_is_today(demo_path: Path) -> None:
    done = run_psr("programme", "--db", demo_path, "--as-at", "2015-10-01")
    assert done.returncode == 0, done.stderr
    assert "programme, actions and meetings as today" in done.stdout.splitlines()[0]
    data = json.loads(
        run_psr("programme", "--db", demo_path, "--as-at", "2015-10-01", "--json").stdout
    )
    assert data["as_at"] == "2015-10-01"


def _pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_a_register_paper_as_at_a_date_lists_only_what_existed_then(
    demo_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "risks.pdf"
    done = run_psr("export", "risks", "--db", demo_path, "-o", out, "--as-at", "2015-10-01")
    assert done.returncode == 0, done.stderr
    text = _pdf_text(out)
    assert "As at 1 Oct 2015: rounds and risks as they stood then" in " ".join(text.split())
    for ref in ("R1", "R2", "R3", "R4"):
        assert f"\n{ref} " in text
    for ref in ("R5", "R6", "R7", "R8"):
        assert f"\n{ref} " not in text


def test_an_assessment_paper_as_at_a_date_reports_the_round_of_then(
    demo_path: Path, tmp_path: Path
) -> None:
    add_later_round(demo_path)
    out = tmp_path / "assessment.pdf"
    done = run_psr("export", "assessment", "--db", demo_path, "-o", out, "--as-at", "2016-03-01")
    assert done.returncode == 0, done.stderr
    text = " ".join(_pdf_text(out).split())
    assert "Baseline, Feb 2016" in text and LATER_ROUND not in text
    before = run_psr("export", "assessment", "--db", demo_path, "-o", out, "--as-at", "2015-10-01")
    assert before.stderr.strip() == "psr: No round was dated on or before 1 Oct 2015"
