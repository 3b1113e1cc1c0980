"""`psr export assessment|risks|programme|pack -o FILE.pdf` as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from psr_tui.exports.job import ExportJob, command
from tests.conftest import run_psr
from tests.helpers.hostile import edit_first_risk
from tests.helpers.planted import plant_package


def test_export_pack_on_the_demo(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    result = run_psr("export", "pack", "-o", out, "--db", demo_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wrote {out}"
    reader = PdfReader(out)
    first = reader.pages[0].extract_text()
    assert "Meeting pack" in first and "Page 1 of" in first
    assert "exported" in first and "by tester" in first


def test_export_assessment_for_a_round(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.pdf"
    result = run_psr(
        "export", "assessment", "-o", out, "--round", "Baseline, Feb 2016", "--db", demo_path
    )
    assert result.returncode == 0, result.stderr
    assert "Baseline, Feb 2016" in PdfReader(out).pages[0].extract_text()


def test_bad_suffix_is_one_line(demo_path: Path, tmp_path: Path) -> None:
    result = run_psr("export", "risks", "-o", tmp_path / "x.docx", "--db", demo_path)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "must end in .pdf" in result.stderr
    assert not (tmp_path / "x.docx").exists()


def test_unknown_round_and_missing_folder_are_one_line(demo_path: Path, tmp_path: Path) -> None:
    result = run_psr(
        "export", "assessment", "-o", tmp_path / "a.pdf", "--round", "Nope", "--db", demo_path
    )
    assert result.returncode == 1
    assert result.stderr == "psr: no round named 'Nope' (rounds: Baseline, Feb 2016)\n"
    result = run_psr("export", "pack", "-o", tmp_path / "missing" / "p.pdf", "--db", demo_path)
    assert result.returncode == 1 and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.glob("*.pdf")) == []


def test_summary_does_not_import_weasyprint(demo_path: Path) -> None:
    code = (
        "import sys; from psr_tui.cli import main; "
        f"main(['--db', {str(demo_path)!r}, 'summary']); "
        "print('weasyprint' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().endswith("False")


def test_the_export_process_never_runs_a_psr_tui_folder_where_psr_was_started(
    demo_path: Path, tmp_path: Path
) -> None:
    # The TUI starts its export child in the directory psr was started in: a shared /tmp
    # holding someone's `psr_tui` package must not run as the officer.
    planted, ran = tmp_path / "shared", tmp_path / "ran"
    plant_package(planted, ran)
    out = tmp_path / "register.pdf"
    job = ExportJob(db=str(demo_path), kind="risks", out=str(out), user="t")
    done = subprocess.run(
        command(), cwd=planted, input=job.to_json(), capture_output=True, text=True, timeout=300
    )
    assert not ran.exists()
    assert json.loads(done.stdout.splitlines()[-1]) == {"wrote": str(out.resolve())}
    assert "Risk register" in PdfReader(out).pages[0].extract_text()


def test_a_bidi_override_in_the_file_is_printed_by_name_not_obeyed(
    demo_path: Path, tmp_path: Path
) -> None:
    # On paper too, an override would turn round the text after it in its paragraph.
    edit_first_risk(demo_path, description="Funding \u202e52 hgiH end")
    out = tmp_path / "r.pdf"
    result = run_psr("export", "risks", "-o", out, "--db", demo_path)
    assert result.returncode == 0, result.stderr
    text = " ".join(page.extract_text() for page in PdfReader(out).pages)
    assert "\u202e" not in text
    assert "Funding ‹U+202E›52 hgiH end" in text
