"""`psr export` papers as an officer issues them: document control, recommendations, the
register's limits and the team's display names, through the real `psr` command."""

from __future__ import annotations

import json
import re
from pathlib import Path

from pypdf import PdfReader

from tests.conftest import run_psr


def _text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_document_control_on_every_page(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.pdf"
    result = run_psr(
        "export", "programme", "-o", out, "--db", demo_path,
        "--status", "final", "--version", "2.1", "--classification", "official-sensitive",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    pages = _text(out)
    for text in pages:
        assert "Final v2.1 · exported" in text
        assert text.count("OFFICIAL-SENSITIVE") >= 2  # top and foot of the page
    assert re.search(r"Status Version Classification As at Prepared by\s+Final 2\.1", pages[0])
    reader = PdfReader(out)
    assert reader.metadata is not None and "Final, version 2.1, OFFICIAL-SENSITIVE" in str(
        reader.metadata.subject
    )


def test_bad_document_control_is_one_line(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.pdf"
    for args, message in (
        (["--status", "Approved"], "status 'Approved': choose Draft or Final"),
        (["--classification", "SECRET"], "classification 'SECRET': choose OFFICIAL or"),
        (
            ["--version", "1.2.3.4.5.6.7.8.9.10.11"],
            "version '1.2.3.4.5.6.7.8.9.10.11': give up to 20",
        ),
        (["--version", "1\x1b[2J"], "version contains control characters (␛)"),
    ):
        result = run_psr("export", "risks", "-o", out, "--db", demo_path, *args)
        assert result.returncode == 1, args
        assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert not out.exists()


def test_the_footer_names_the_officer_by_the_team_list(demo_path: Path, tmp_path: Path) -> None:
    result = run_psr("team", "set", "tester", "Victoria  Willett", "--db", demo_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "tester is 'Victoria Willett' on the papers\n"
    out = tmp_path / "a.pdf"
    assert run_psr("export", "assessment", "-o", out, "--db", demo_path).returncode == 0
    pages = _text(out)
    assert all("by Victoria Willett" in text for text in pages)
    assert "tester" not in "".join(pages)
    reader = PdfReader(out)
    assert reader.metadata is not None and reader.metadata.author == "Victoria Willett"
    listed = run_psr("team", "--json", "--db", demo_path)
    assert json.loads(listed.stdout) == {"tester": "Victoria Willett"}
    # An empty name takes it off the list: the login is printed again.
    assert run_psr("team", "set", "tester", "", "--db", demo_path).returncode == 0
    assert run_psr("export", "assessment", "-o", out, "--db", demo_path).returncode == 0
    assert "by tester" in _text(out)[0]
    bad = run_psr("team", "set", "two words", "Name", "--db", demo_path)
    assert bad.returncode == 1 and "is not a login" in bad.stderr


def test_recommendations_replace_the_defaults(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    defaults = run_psr("export", "risks", "-o", out, "--db", demo_path)
    assert defaults.returncode == 0, defaults.stderr
    first = _text(out)[0]
    assert "Members are asked to:" in first
    assert "note the risk register and the movement since the last review" in first
    result = run_psr(
        "export", "risks", "-o", out, "--db", demo_path,
        "--recommendation", "approve the <b>register</b>",
        "--recommendation", "ask R7's owner to report in March",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    first = _text(out)[0]
    # In the order given (pypdf reads each number after its line: "...register1.").
    assert first.index("approve the <b>register</b>") < first.index("ask R7's owner")
    assert "note the risk register" not in first
    # The pack takes them by paper, from a file.
    plan = tmp_path / "recommendations.json"
    plan.write_text(json.dumps({"programme": ["agree the Phase 2 plan"]}), encoding="utf-8")
    result = run_psr("export", "pack", "-o", out, "--db", demo_path, "--recommendations", plan)
    assert result.returncode == 0, result.stderr
    text = "\n".join(_text(out))
    assert "agree the Phase 2 plan" in text
    assert "note progress against the programme plan" not in text
    assert "note the risk register" in text  # the register keeps its default
    plan.write_text(json.dumps({"minutes": ["x"]}), encoding="utf-8")
    bad = run_psr("export", "pack", "-o", out, "--db", demo_path, "--recommendations", plan)
    assert bad.returncode == 1 and "'minutes' is not a paper" in bad.stderr


def test_the_register_can_be_limited_and_says_what_it_left_out(
    demo_path: Path, tmp_path: Path
) -> None:
    # The demo's R1-R8 are Low; R9 is High (9), R10 Medium (5).
    for ref, likelihood, impact in (("R9", "High", "Critical"), ("R10", "Medium", "Significant")):
        args = ["--ref", ref, "--description", f"Risk {ref}", "--likelihood", likelihood]
        added = run_psr("risk", "add", *args, "--impact", impact, "--db", demo_path)
        assert added.returncode == 0, added.stderr
    out = tmp_path / "r.pdf"
    result = run_psr(
        "export", "risks", "-o", out, "--db", demo_path,
        "--open", "--band-at-least", "medium", "--top", "1",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = "\n".join(_text(out))
    assert re.search(
        r"Lists 1 of 10 risks \(open risks only; band Medium or higher; the 1 highest "
        r"scores, highest first\), highest score first\.",
        " ".join(text.split()),
    ), text
    assert "Left out: 9 (8 below Medium and 1 beyond the top 1)." in " ".join(text.split())
    register = text[text.index("The register") : text.index("Movement since")]
    assert "R9" in register and "R10 " not in register and "\nR1 " not in register
    # The matrix still counts every open risk.
    assert "The matrix and the band counts cover every open risk." in " ".join(text.split())
    bad = run_psr("export", "risks", "-o", out, "--db", demo_path, "--band-at-least", "Severe")
    assert bad.returncode == 1
    assert "no band named 'Severe' (the bands are Low, Medium, High)" in bad.stderr
    wrong = run_psr("export", "programme", "-o", out, "--db", demo_path, "--top", "3")
    assert wrong.returncode == 1 and "apply to the risk register" in wrong.stderr
    zero = run_psr("export", "risks", "-o", out, "--db", demo_path, "--top", "0")
    assert zero.returncode == 2 and "0 is not 1 or more" in zero.stderr
