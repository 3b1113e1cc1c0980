"""`psr form`, `psr import forms` and `psr round status` as an officer runs them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from psr_tui.changes.assessment import copy_round
from psr_tui.store import Store
from tests.conftest import run_psr
from tests.helpers.forms import fill_form, write_six_by_four

BASELINE = "Baseline, Feb 2016"
REVIEW = "Review, Aug 2016"


def _review(demo_path: Path) -> None:
    with Store(demo_path).transaction() as tx:
        copy_round(tx, BASELINE, REVIEW, date(2016, 8, 1))


def _forms(folder: Path) -> dict[str, Path]:
    return {str(load_workbook(p)["Form"]["B6"].value): p for p in folder.glob("*.xlsx")}


def _status(demo_path: Path, round_name: str = REVIEW) -> dict[str, object]:
    result = run_psr("round", "status", round_name, "--json", "--db", demo_path)
    assert result.returncode == 0, result.stderr
    status: dict[str, object] = json.loads(result.stdout)
    return status


def test_forms_out_status_and_returns_in(demo_path: Path, tmp_path: Path) -> None:
    _review(demo_path)
    out = tmp_path / "forms"
    result = run_psr("form", "--round", REVIEW, "-o", out, "--pdf", "--db", demo_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote 20 forms for 10 respondents of {REVIEW!r} to {out}"
    assert len(list(out.glob("*.xlsx"))) == len(list(out.glob("*.pdf"))) == 10
    status = _status(demo_path)
    assert status["counts"] == {
        "returned": 0,
        "scored": 0,
        "partial": 0,
        "sent": 10,
        "not_started": 0,
    }
    first = status["respondents"][0]  # type: ignore[index]
    assert first == {
        "name": "Chief Executive",
        "organisation": "Chorley Council",
        "group": "Executive",
        "state": "sent",
        "scored": 0,
        "domains": 8,
        "form_sent": "2016-02-16",
        "form_returned": None,
        "to_chase": True,
    }

    forms = _forms(out)
    fill_form(
        forms["Chief Executive"],
        {
            "Leadership": "2 Enabling",
            "Governance": "1 Commitment",
            "Culture": 2,
            "Resident engagement": 2,
            "Financial and contractual mechanisms": 1,
            "Information and IT": 1,
            "Workforce": 1,
            "Service model design": 2,
        },
    )
    fill_form(
        forms["Partnership Manager"],
        {"Leadership": "3 Implementation"},
        {"Leadership": "Early days"},
    )
    result = run_psr("import", "forms", out, "--round", REVIEW, "--db", demo_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"imported 2 forms into {REVIEW!r}: 2 respondents updated; left out 8 forms with no "
        "score filled in"
    )
    status = _status(demo_path)
    assert status["counts"] == {
        "returned": 1,
        "scored": 0,
        "partial": 1,
        "sent": 8,
        "not_started": 0,
    }
    people = {p["name"]: p for p in status["respondents"]}  # type: ignore[attr-defined]
    assert people["Chief Executive"]["state"] == "returned"
    assert people["Chief Executive"]["form_returned"] == "2016-02-16"
    assert people["Partnership Manager"]["state"] == "partial"
    chased = [p["name"] for p in status["to_chase"]]  # type: ignore[attr-defined]
    assert "Chief Executive" not in chased and "Partnership Manager" in chased and len(chased) == 9
    stored = {r.model.name: r.model for r in Store(demo_path).snapshot().responses(REVIEW)}
    assert stored["Partnership Manager"].scores == {"leadership": 3}
    assert stored["Partnership Manager"].comments == {"leadership": "Early days"}

    text = run_psr("round", "status", REVIEW, "--db", demo_path)
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0] == f"{REVIEW} (AQuA System Integration): 10 respondents"
    assert lines[1] == "1 returned, 1 partial, 8 sent, not back; 9 to chase"
    assert any(
        line.startswith("Chief Executive") and line.endswith("returned on 16 Feb 2016")
        for line in lines
    )
    assert "To chase:" in lines
    assert "  Partnership Manager (DWP): partial (1 of 8), returned on 16 Feb 2016" in lines


def test_bad_forms_are_refused_whole_in_one_line(demo_path: Path, tmp_path: Path) -> None:
    _review(demo_path)
    out = tmp_path / "forms"
    assert run_psr("form", "--round", REVIEW, "-o", out, "--db", demo_path).returncode == 0
    forms = _forms(out)
    fill_form(forms["Chief Executive"], {"Governance": "Six", "Leadership": 2})
    fill_form(forms["Station Manager"], {"Culture": 9})
    fill_form(forms["Partnership Manager"], {"Workforce": 3})  # a good form is not written either
    before = demo_path.read_bytes()
    result = run_psr("import", "forms", out, "--round", REVIEW, "--db", demo_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    aqua = "AQuA System Integration (1-5)"
    assert (
        f"{forms['Chief Executive'].name}: Governance: 'Six' is not a level of {aqua}" in lines[0]
    )
    assert f"{forms['Station Manager'].name}: Culture: 9 is not a level of {aqua}" in lines[0]
    assert lines[0].startswith("psr: 2 problems in the forms: ")
    assert lines[0].endswith("nothing was imported")
    assert demo_path.read_bytes() == before


def test_scores_given_since_conflict_until_replace(demo_path: Path, tmp_path: Path) -> None:
    _review(demo_path)
    out = tmp_path / "forms"
    assert run_psr("form", "--round", REVIEW, "-o", out, "--db", demo_path).returncode == 0
    csv = tmp_path / "typed.csv"  # scores typed in meanwhile, here through the CSV import
    csv.write_text(
        "name,organisation,group,Leadership\nChief Executive,Chorley Council,Executive,1\n"
    )
    assert run_psr("import", "responses", csv, "--round", REVIEW, "--db", demo_path).returncode == 0
    path = _forms(out)["Chief Executive"]
    fill_form(path, {"Leadership": "4 Embedding"})
    before = demo_path.read_bytes()
    result = run_psr("import", "forms", path, "--round", REVIEW, "--db", demo_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "psr: the forms clash with what psr already has for 1 respondent: Chief Executive "
        f"(Chorley Council), {path.name}: Leadership score 1 in psr, 4 on the form; nothing "
        "was imported (--replace puts the forms' values over psr's)"
    )
    assert demo_path.read_bytes() == before
    result = run_psr("import", "forms", path, "--round", REVIEW, "--replace", "--db", demo_path)
    assert result.returncode == 0, result.stderr
    stored = {r.model.name: r.model for r in Store(demo_path).snapshot().responses(REVIEW)}
    assert stored["Chief Executive"].scores == {"leadership": 4}


def test_a_form_for_another_round_is_refused(demo_path: Path, tmp_path: Path) -> None:
    _review(demo_path)
    out = tmp_path / "forms"
    assert run_psr("form", "--round", BASELINE, "-o", out, "--db", demo_path).returncode == 0
    path = sorted(out.glob("*.xlsx"))[0]
    result = run_psr("import", "forms", path, "--round", REVIEW, "--db", demo_path)
    assert result.returncode == 1
    assert (
        f"{path.name}: this form is for round {BASELINE!r} (AQuA System Integration), not "
        f"{REVIEW!r} (AQuA System Integration)"
    ) in result.stderr


def test_six_by_four_from_an_empty_database(tmp_path: Path) -> None:
    db = tmp_path / "six.json"
    assert run_psr("init", "--name", "Test", "--db", db).returncode == 0
    assert (
        run_psr(
            "import", "framework", write_six_by_four(tmp_path / "fw.json"), "--db", db
        ).returncode
        == 0
    )
    people = tmp_path / "people.csv"
    people.write_text("name,organisation,group\nAnn,A,Executive\nBob,B,Implementation Group\n")
    result = run_psr(
        "import",
        "responses",
        people,
        "--round",
        "Spring",
        "--framework",
        "Integration maturity (6 x 4)",
        "--db",
        db,
    )
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    assert run_psr("form", "--round", "spring", "-o", out, "--db", db).returncode == 0
    forms = _forms(out)
    fill_form(
        forms["Ann"],
        {
            "Vision": "1 Starting",
            "Governance": "4 Leading",
            "People": 2,
            "Data": "3",
            "Money": "developing",
            "Residents": "2 Developing",
        },
    )
    fill_form(forms["Bob"], {"Vision": "Leading"})
    result = run_psr("import", "forms", forms["Ann"], forms["Bob"], "--round", "Spring", "--db", db)
    assert result.returncode == 0, result.stderr
    stored = {r.model.name: r.model for r in Store(db).snapshot().responses("Spring")}
    assert stored["Ann"].scores == {
        "vision": 1,
        "governance": 4,
        "people": 2,
        "data": 3,
        "money": 2,
        "residents": 2,
    }
    assert stored["Bob"].scores == {"vision": 4}
    status = _status(db, "Spring")
    assert [p["state"] for p in status["respondents"]] == ["returned", "partial"]  # type: ignore[attr-defined]


def test_usage_mistakes_are_one_line(demo_path: Path, tmp_path: Path) -> None:
    result = run_psr("import", "forms", tmp_path, "--db", demo_path)
    assert (
        result.returncode == 1 and result.stderr.strip() == "psr: import forms needs --round NAME"
    )
    result = run_psr("import", "risks", tmp_path / "a.csv", tmp_path / "b.csv", "--db", demo_path)
    assert result.returncode == 1 and result.stderr.strip() == "psr: import risks takes one FILE"
    result = run_psr("round", "status", "Nope", "--db", demo_path)
    assert result.returncode == 1 and "no round named 'Nope'" in result.stderr
    result = run_psr("form", "--round", "Nope", "-o", tmp_path / "x", "--db", demo_path)
    assert result.returncode == 1 and "no round named 'Nope'" in result.stderr
    assert not (tmp_path / "x").exists()
