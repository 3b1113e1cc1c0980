"""`psr import responses` and `psr export responses` as a script would run them."""

from __future__ import annotations

from pathlib import Path

from psr_tui.store import Store
from tests.conftest import run_psr

ROUND = "Baseline, Feb 2016"


def test_import_a_good_file(demo_path: Path, tmp_path: Path) -> None:
    csv = tmp_path / "in.csv"
    csv.write_text(
        "Name,Organisation,Group,leadership,Information and IT,information_and_it comment\n"
        "Ann,Council,Executive,4,2,Shared record pilot\n"
        "Bob,NHS,Implementation Group,,1,\n"
    )
    result = run_psr("import", "responses", csv, "--round", "Review", "--db", demo_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "imported 2 responses into 'Review' (created the round)"
    responses = {r.model.name: r.model for r in Store(demo_path).snapshot().responses("Review")}
    assert responses["Ann"].scores == {"leadership": 4, "information_and_it": 2}
    assert responses["Ann"].comments == {"information_and_it": "Shared record pilot"}
    assert responses["Bob"].scores == {"leadership": None, "information_and_it": 1}


def test_a_bad_file_exits_1_with_one_line_and_leaves_the_file_alone(
    demo_path: Path, tmp_path: Path
) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text("name,organisation,group,Governance\nAnn,Council,Executive,1\nBob,NHS,IG,7\n")
    before = demo_path.read_bytes()
    result = run_psr("import", "responses", csv, "--round", ROUND, "--db", demo_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "row 3, column Governance: score 7 is outside levels 1-5" in lines[0]
    assert "Traceback" not in result.stderr
    assert demo_path.read_bytes() == before


def test_import_needs_a_round(demo_path: Path, tmp_path: Path) -> None:
    csv = tmp_path / "in.csv"
    csv.write_text("name,organisation,group\nAnn,Council,Executive\n")
    result = run_psr("import", "responses", csv, "--db", demo_path)
    assert result.returncode == 1
    assert "--round" in result.stderr


def test_csv_export_round_trips(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = run_psr("export", "responses", "-o", out, "--round", ROUND, "--db", demo_path)
    assert result.returncode == 0, result.stderr
    result = run_psr("import", "responses", out, "--round", "Again", "--db", demo_path)
    assert result.returncode == 0, result.stderr
    snap = Store(demo_path).snapshot()

    def content(
        round_name: str,
    ) -> list[tuple[str, str, str, dict[str, int | None], dict[str, str]]]:
        return sorted(
            (r.model.name, r.model.organisation, r.model.group, r.model.scores, r.model.comments)
            for r in snap.responses(round_name)
        )

    assert len(content(ROUND)) == 10
    assert content("Again") == content(ROUND)


def test_xlsx_export_opens_with_openpyxl(demo_path: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "out.xlsx"
    result = run_psr("export", "responses", "-o", out, "--db", demo_path)  # latest round
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(out).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("name", "organisation", "group")
    assert sheet["A1"].font.b
    assert len(rows) == 11
    assert {row[0] for row in rows[1:]} >= {"Chief Executive", "Group Manager"}


def test_export_of_an_unknown_round_is_one_line(demo_path: Path, tmp_path: Path) -> None:
    result = run_psr(
        "export", "responses", "-o", tmp_path / "x.csv", "--round", "Nope", "--db", demo_path
    )
    assert result.returncode == 1
    assert result.stderr.startswith("psr: no round named 'Nope' (rounds: ")
    assert not (tmp_path / "x.csv").exists()
