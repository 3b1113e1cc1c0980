"""`psr risks`, `psr risk add`, `psr import risks|matrix` and `psr export register`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from psr_tui import cli
from psr_tui.formatting import cell_width
from psr_tui.models import Risk
from psr_tui.store import Store, files
from tests.conftest import run_psr
from tests.helpers.awkward_register import FLAGS, ORDER, build

KEYS = {
    "ref", "description", "category", "date_identified", "controls", "likelihood", "impact",
    "score", "band", "actions", "owner", "action_date", "status", "overdue",
    "next_review", "review_overdue",
}  # fmt: skip


def test_risks_json_shape_and_overdue_flag(demo_path: Path) -> None:
    result = run_psr("risks", "--json", "--db", demo_path)
    assert result.returncode == 0, result.stderr
    risks = json.loads(result.stdout)
    assert [r["ref"] for r in risks] == [f"R{n}" for n in range(1, 9)]
    assert all(set(r) == KEYS for r in risks)
    r2 = risks[1]
    # "February 16" in seed 001: JSON carries the month's last day, and it is not yet overdue.
    assert (r2["score"], r2["band"], r2["action_date"], r2["overdue"]) == (
        3,
        "Low",
        "2016-02-29",
        False,
    )
    with Store(demo_path).transaction() as tx:
        tx.set_meta(as_at=date(2016, 3, 1))
    overdue = json.loads(run_psr("risks", "--overdue", "--json", "--db", demo_path).stdout)
    assert [r["ref"] for r in overdue] == ["R2", "R3"]
    table = run_psr("risks", "--overdue", "--db", demo_path).stdout
    assert "R2" in table and "OVERDUE" in table and "R1 " not in table
    assert "Feb 2016" in table and "29 Feb" not in table  # shown as the month it was given


def test_risk_add_errors_are_one_line(demo_path: Path) -> None:
    before = demo_path.read_bytes()
    cases = [
        (["--ref", "R1", "--likelihood", "Low", "--impact", "Critical"], "R1 already exists"),
        (["--ref", "R9", "--likelihood", "Huge", "--impact", "Critical"], "'Huge' is not in"),
        (
            ["--ref", "R9", "--likelihood", "Low", "--impact", "Low", "--action-date", "soon"],
            "'soon' is not a date",
        ),
    ]
    for args, expected in cases:
        result = run_psr("risk", "add", "--description", "x", *args, "--db", demo_path)
        assert result.returncode != 0
        assert expected in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.stderr
    assert demo_path.read_bytes() == before


def test_the_register_table_lines_up_wide_characters_in_cells(demo_path: Path) -> None:
    added = run_psr(
        "risk", "add", "--ref", "W1", "--description", "住宅の資金調達リスク wide", "--owner",
        "Zoë Ångström", "--likelihood", "Low", "--impact", "Critical", "--db", demo_path,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    lines = run_psr("risks", "--db", demo_path).stdout.splitlines()
    header, wide = lines[0], next(line for line in lines if line.startswith("W1 "))
    ordinary = next(line for line in lines if line.startswith("R1 "))
    column = header.index("L/I")

    def cells_before(line: str, text: str) -> int:
        return cell_width(line[: line.index(text)])

    # The L/I column starts in the same cell on every line, whatever came before it.
    assert cells_before(wide, "Low/Critical") == column
    assert cells_before(ordinary, "Low/Noticeable") == column
    assert cells_before(wide, "Zoë Ångström") == header.index("Owner")


def test_risk_add_reads_the_file_once_and_validates_only_the_new_risk(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    reads: list[Path] = []
    validated: list[object] = []
    read_file, validate = files.read_file, Risk.model_validate

    def counting_read(path: Path) -> object:
        reads.append(path)
        return read_file(path)

    def counting_validate(cls: type[Risk], data: object, **kwargs: object) -> Risk:
        validated.append(data)
        return validate(data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(files, "read_file", counting_read)
    monkeypatch.setattr(Risk, "model_validate", classmethod(counting_validate))
    args = ["risk", "add", "--ref", "r9", "--description", "Estates", "--likelihood", "high"]
    assert cli.main([*args, "--impact", "critical", "--db", str(demo_path)]) == 0
    assert capsys.readouterr().out == "added r9\n"
    assert len(reads) == 1
    assert len(validated) == 1
    added = Store(demo_path).snapshot().risk("r9")
    assert added is not None
    assert (added.model.likelihood, added.model.impact) == ("High", "Critical")
    assert str(added.model.date_identified) == "2016-02-16"  # the demo's as-at date


def test_import_risks_good_and_bad(demo_path: Path, tmp_path: Path) -> None:
    header = (
        "ref,description,category,date_identified,controls,likelihood,impact,actions,owner,"
        "action_date,status\n"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(header + "R9,x,,,,Low,Noticeable,,,,\nR10,y,,,,Huge,Critical,,,,\n")
    before = demo_path.read_bytes()
    result = run_psr("import", "risks", bad, "--db", demo_path)
    assert result.returncode == 1
    assert (
        "row 3, likelihood: 'Huge' is not in the matrix (choose from Low, Medium, High)"
        in result.stderr
    )
    assert len(result.stderr.strip().splitlines()) == 1
    assert demo_path.read_bytes() == before

    good = tmp_path / "good.csv"
    good.write_text(header + "R9,New one,,May 2016,,High,Critical,,Bob,01/06/2016,open\n")
    result = run_psr("import", "risks", good, "--db", demo_path)
    assert result.returncode == 0, result.stderr
    assert "1 new" in result.stdout
    risks = json.loads(run_psr("risks", "--json", "--db", demo_path).stdout)
    r9 = next(r for r in risks if r["ref"] == "R9")
    assert (r9["score"], r9["band"], r9["action_date"]) == (9, "High", "2016-06-01")


def test_import_matrix_refused_when_open_risks_use_missing_labels(
    demo_path: Path, tmp_path: Path
) -> None:
    matrix = {
        "name": "Five by five",
        "likelihood": ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"],
        "impact": ["Minor", "Moderate", "Significant", "Major", "Severe"],
        "scores": [[r * c for c in range(1, 6)] for r in range(1, 6)],
        "bands": [
            {"name": "Low", "max": 4, "colour": "green"},
            {"name": "Medium", "max": 12, "colour": "amber"},
            {"name": "High", "max": 25, "colour": "red", "review_months": 1},
        ],
    }
    path = tmp_path / "five.json"
    path.write_text(json.dumps(matrix))
    before = demo_path.read_bytes()
    result = run_psr("import", "matrix", path, "--db", demo_path)
    assert result.returncode == 1
    assert "likelihood 'Low'" in result.stderr and "impact 'Noticeable'" in result.stderr
    assert demo_path.read_bytes() == before


def test_export_register_csv_and_xlsx(demo_path: Path, tmp_path: Path) -> None:
    for name in ("register.csv", "register.xlsx"):
        out = tmp_path / name
        result = run_psr("export", "register", "-o", out, "--db", demo_path)
        assert result.returncode == 0, result.stderr
        assert out.stat().st_size > 0
    text = (tmp_path / "register.csv").read_text(encoding="utf-8")
    assert text.startswith("ref,description,")
    assert text.count("\n") == 9


def test_risks_text_and_overdue_use_the_register_order_and_flags(tmp_path: Path) -> None:
    path = tmp_path / "awkward.json"
    build(path)
    lines = run_psr("risks", "--db", path).stdout.splitlines()
    rows = lines[2:-1]
    assert [line.split()[0] for line in rows] == ORDER
    r2 = rows[ORDER.index("R2")]
    assert "! 31 May 2016" in r2 and "↻ 1 May 2016" in r2
    assert r2.endswith("open: OVERDUE, REVIEW OVERDUE")
    assert rows[ORDER.index("r3")].endswith("open: REVIEW OVERDUE")
    assert rows[ORDER.index("R1")].endswith("closed")  # its action date passed, but closed
    assert lines[-1].startswith("as at 1 Jun 2016")

    overdue = json.loads(run_psr("risks", "--overdue", "--json", "--db", path).stdout)
    assert [r["ref"] for r in overdue] == [ref for ref in ORDER if FLAGS[ref][0]]
    assert [r["next_review"] for r in overdue] == ["2016-05-01", "2016-07-01"]


@pytest.mark.parametrize(
    "ref",
    ["R1\u200b", "Ｒ１", "r\u00ad1", " R1\u2060 "],
    ids=["zero-width space", "full-width", "soft hyphen", "word joiner"],
)
def test_a_ref_that_only_looks_like_one_taken_is_refused(demo_path: Path, ref: str) -> None:
    """Two risks that look the same on screen and on paper: an officer could review one
    thinking it the other."""
    before = demo_path.read_bytes()
    added = run_psr(
        "risk", "add", "--ref", ref, "--description", "A lookalike", "--likelihood", "Low",
        "--impact", "Critical", "--db", demo_path,
    )  # fmt: skip
    assert added.returncode == 1
    assert added.stderr.startswith("psr: there is already a risk that looks the same as ")
    assert "choose another" in added.stderr
    assert demo_path.read_bytes() == before


def test_a_file_that_already_holds_two_lookalike_refs_still_opens(demo_path: Path) -> None:
    # Refused when written, not when read: an older psr let them in.
    data = json.loads(demo_path.read_text())
    risks = data["risks"]
    twin = {**next(iter(risks.values())), "ref": "R1\u200b"}
    risks[str(max(map(int, risks)) + 1)] = twin
    demo_path.write_text(json.dumps(data))
    listed = run_psr("risks", "--json", "--db", demo_path)
    assert listed.returncode == 0, listed.stderr
    refs = [risk["ref"] for risk in json.loads(listed.stdout)]
    assert "R1" in refs and "R1\u200b" in refs
    # And a ref that looks like neither is still taken in.
    added = run_psr(
        "risk", "add", "--ref", "R1a", "--description", "Another", "--likelihood", "Low",
        "--impact", "Critical", "--db", demo_path,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
