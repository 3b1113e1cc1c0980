"""Assessment forms: what the .xlsx holds, and returned forms read back into the round.

Round trips fill the forms with openpyxl as a respondent's spreadsheet would, import them
through the named change, and compare the stored scores.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from psr_tui.changes.assessment import copy_round, set_score
from psr_tui.changes.forms import import_returns, send_forms, write_forms
from psr_tui.errors import FormConflictError, FormsRefusedError, InvalidRecordError
from psr_tui.exports.forms import NotALevelError, form_filenames, read_level
from psr_tui.exports.forms_xlsx import DETAILS_SHEET, LEVELS_NAME
from psr_tui.models import Framework, Response
from psr_tui.store import Store
from tests.helpers.forms import (
    SIX_BY_FOUR_AS_AT,
    choice,
    domain_rows,
    fill_form,
    six_by_four_store,
)

BASELINE = "Baseline, Feb 2016"
REVIEW = "Review, Aug 2016"


@pytest.fixture
def review(demo_store: Store) -> Store:
    """The demo with a second round: the baseline's ten respondents, nothing scored."""
    with demo_store.transaction() as tx:
        copy_round(tx, BASELINE, REVIEW, date(2016, 8, 1))
    return demo_store


def stored(store: Store, round_name: str) -> dict[str, Response]:
    return {r.model.name: r.model for r in store.snapshot().responses(round_name)}


def forms_by_name(folder: Path) -> dict[str, Path]:
    """Each form's respondent (as the form names them) -> its file."""
    found = {}
    for path in folder.glob("*.xlsx"):
        sheet = load_workbook(path)["Form"]
        found[str(sheet["B6"].value)] = path
    return found


# --- names and levels --------------------------------------------------------------------


def test_file_names_are_safe_and_distinct_for_any_name() -> None:
    people = [
        Response(round="r", name="../../etc/passwd", organisation="", group="g"),
        Response(round="r", name="Ann", organisation="A/B", group="g"),
        Response(round="r", name="ann", organisation="a b", group="g"),
        Response(round="r", name=".hidden", organisation="\u202eevil", group="g"),
        Response(round="r", name="王伟", organisation="Zoë Café", group="g"),
        Response(round="r", name="!!!", organisation="", group="g"),
        Response(round="r", name="x" * 400, organisation="y" * 400, group="g"),
    ]
    names = form_filenames("Baseline, Feb 2016", people, ".xlsx")
    assert names[0] == "baseline-feb-2016-etc-passwd.xlsx"
    assert names[1] == "baseline-feb-2016-ann-a-b.xlsx"
    assert names[2] == "baseline-feb-2016-ann-a-b-2.xlsx"  # the same slug: no clash
    assert names[3] == "baseline-feb-2016-hidden-evil.xlsx"
    assert names[4] == "baseline-feb-2016-王伟-zoe-cafe.xlsx"
    assert names[5] == "baseline-feb-2016-respondent-6.xlsx"
    assert len(names[6].encode()) < 255
    assert len({n.lower() for n in names}) == len(names)
    for name in names:
        assert "/" not in name and not name.startswith(".") and ".." not in name


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (None, None),
        ("  ", None),
        (3, 3),
        (3.0, 3),
        ("3", 3),
        ("3 Implementation", 3),
        ("implementation", 3),
        ("  5   Sustainable   delivery ", 5),
    ],
)
def test_a_score_cell_reads_as_a_level(demo_store: Store, value: object, level: int) -> None:
    framework = demo_store.snapshot().frameworks()[0].model
    assert read_level(value, framework) == level


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Six", "'Six' is not a level"),
        (6, "6 is not a level"),
        (0, "0 is not a level"),
        (2.5, "2.5 is not a level"),
        ("3 Enabling", "'3 Enabling' is not a level"),
        (True, "True is not a level"),
        ("٣", "'٣' is not a level"),
    ],
)
def test_anything_else_is_not_a_level(demo_store: Store, value: object, message: str) -> None:
    framework = demo_store.snapshot().frameworks()[0].model
    with pytest.raises(NotALevelError) as caught:
        read_level(value, framework)
    assert str(caught.value) == f"{message} of AQuA System Integration (1-5)"


# --- the form as written -----------------------------------------------------------------


def test_the_xlsx_form_locks_identity_and_offers_the_levels(review: Store, tmp_path: Path) -> None:
    send_forms(review, REVIEW, tmp_path)
    framework = review.snapshot().frameworks()[0].model
    path = forms_by_name(tmp_path)["Chief Executive"]
    workbook = load_workbook(path)
    sheet = workbook["Form"]
    assert [sheet[f"A{r}"].value for r in (6, 7, 8)] == ["Name:", "Organisation:", "Group:"]
    assert [sheet[f"B{r}"].value for r in (6, 7, 8)] == [
        "Chief Executive",
        "Chorley Council",
        "Executive",
    ]
    assert sheet.protection.sheet
    assert workbook.security is not None and workbook.security.lockStructure
    for cell in ("B6", "B7", "B8", "A11", "D11"):
        assert sheet[cell].protection.locked, cell
    rows = domain_rows(sheet)
    assert list(rows) == [d.name for d in framework.domains]
    header = [c.value for c in sheet[10]]
    assert header == ["Domain", "Your score", "Comment (optional)"] + [
        choice(framework, n) for n in range(1, 6)
    ]
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1 and validations[0].type == "list"
    assert validations[0].formula1 == LEVELS_NAME
    ((sheet_name, cells),) = workbook.defined_names[LEVELS_NAME].destinations
    offered = [row[0].value for row in workbook[sheet_name][cells.replace("$", "")]]
    assert offered == [choice(framework, n) for n in range(1, 6)]
    for domain in framework.domains:
        row = rows[domain.name]
        assert sheet[f"A{row}"].value == f"{domain.name}\n{domain.question}"
        assert [sheet.cell(row=row, column=c).value for c in range(4, 9)] == domain.descriptors
        for column in "BC":
            assert not sheet[f"{column}{row}"].protection.locked
            assert sheet[f"{column}{row}"].coordinate in validations[0].sqref or column == "C"
        assert sheet.cell(row=row, column=4).alignment.wrap_text
        assert sheet.row_dimensions[row].height >= 13 * 3  # a descriptor is several lines
    assert sheet.column_dimensions["D"].width >= 30
    assert workbook[DETAILS_SHEET].sheet_state == "veryHidden"


def test_no_cell_of_a_form_is_a_formula(demo_store: Store, tmp_path: Path) -> None:
    with demo_store.transaction() as tx:
        copy_round(tx, BASELINE, '=HYPERLINK("http://x")', date(2016, 8, 1))
        person = tx.responses('=HYPERLINK("http://x")')[0]
        tx.merge(
            "responses",
            person.doc_id,
            person.model,
            person.model.model_copy(update={"name": "=cmd|'/c calc'!A1"}),
        )
    send_forms(demo_store, '=HYPERLINK("http://x")', tmp_path)
    for path in tmp_path.glob("*.xlsx"):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.endswith(".xml"):
                    assert b"<f>" not in archive.read(name), (path.name, name)
    assert "=cmd|'/c calc'!A1" in forms_by_name(tmp_path)


# --- returns in --------------------------------------------------------------------------


def test_demo_round_trip_stores_every_score_and_comment(review: Store, tmp_path: Path) -> None:
    framework = review.snapshot().frameworks()[0].model
    send_forms(review, REVIEW, tmp_path)
    forms = forms_by_name(tmp_path)
    given: dict[str, dict[str, int]] = {}
    for n, (person, path) in enumerate(sorted(forms.items())):
        levels = {d.name: (n + i) % 5 + 1 for i, d in enumerate(framework.domains)}
        fill_form(
            path,
            {name: choice(framework, level) for name, level in levels.items()},
            {"Workforce": f"Comment from {person}\nsecond line"},
        )
        given[person] = {framework.domain(k).key: v for k, v in levels.items()}  # type: ignore[union-attr]
    result = import_returns(review, [tmp_path], REVIEW)
    assert result == f"imported 10 forms into {REVIEW!r}: 10 respondents updated"
    after = stored(review, REVIEW)
    for person, scores in given.items():
        assert after[person].scores == scores
        assert after[person].comments == {"workforce": f"Comment from {person}\nsecond line"}
        assert after[person].form_sent == after[person].form_returned == date(2016, 2, 16)
    assert stored(review, BASELINE)["Chief Executive"].form_sent is None  # other round alone
    # The same forms again change nothing: no new revision, no audit entry.
    entries = len(review.history())
    again = import_returns(review, [tmp_path], REVIEW)
    assert again == f"imported 10 forms into {REVIEW!r}: 0 respondents updated, 10 unchanged"
    assert len(review.history()) == entries


def test_six_by_four_round_trip(tmp_path: Path) -> None:
    store, framework = six_by_four_store(tmp_path / "six.json", respondents=5)
    send_forms(store, "Spring", tmp_path / "out")
    forms = forms_by_name(tmp_path / "out")
    assert len(forms) == 5
    sheet = load_workbook(forms["Person 1"])["Form"]
    assert list(domain_rows(sheet)) == [d.name for d in framework.domains]
    assert [c.value for c in sheet[10]][3:] == [
        "1 Starting",
        "2 Developing",
        "3 Established",
        "4 Leading",
    ]
    # A drop-down choice, a bare number, a level's name, and left empty.
    fill_form(
        forms["Person 1"],
        {"Vision": "4 Leading", "Governance": 1, "People": "established", "Data": "2"},
        {"Money": "Not sure yet"},
    )
    for person in ("Person 2", "Person 3"):
        fill_form(forms[person], {d.name: "2 Developing" for d in framework.domains})
    result = import_returns(store, [tmp_path / "out"], "Spring")
    assert result == (
        "imported 3 forms into 'Spring': 3 respondents updated; left out 2 forms with no "
        "score filled in"
    )
    after = stored(store, "Spring")
    assert after["Person 1"].scores == {"vision": 4, "governance": 1, "people": 3, "data": 2}
    assert after["Person 1"].comments == {"money": "Not sure yet"}
    assert after["Person 2"].scores == {d.key: 2 for d in framework.domains}
    assert after["Person 4"].scores == {} and after["Person 4"].form_returned is None
    assert after["Person 1"].form_returned == SIX_BY_FOUR_AS_AT


def test_bad_values_refuse_every_form_naming_each_problem(review: Store, tmp_path: Path) -> None:
    send_forms(review, REVIEW, tmp_path)
    forms = forms_by_name(tmp_path)
    fill_form(forms["Chief Executive"], {"Leadership": "2 Enabling", "Governance": "Six"})
    fill_form(forms["Chief Inspector"], {"Culture": 7, "Workforce": 2.5, "Leadership": 1})
    fill_form(forms["Station Manager"], {"Leadership": "3 Implementation"})  # a good one
    before = review.path.read_bytes()
    with pytest.raises(FormsRefusedError) as caught:
        import_returns(review, [tmp_path], REVIEW)
    ce = forms["Chief Executive"].name
    ci = forms["Chief Inspector"].name
    assert caught.value.problems == [
        f"{ce}: Governance: 'Six' is not a level of AQuA System Integration (1-5)",
        f"{ci}: Culture: 7 is not a level of AQuA System Integration (1-5)",
        f"{ci}: Workforce: 2.5 is not a level of AQuA System Integration (1-5)",
    ]
    assert str(caught.value).endswith("nothing was imported")
    assert review.path.read_bytes() == before


def test_a_respondent_scored_since_is_a_conflict_until_replace(
    review: Store, tmp_path: Path
) -> None:
    send_forms(review, REVIEW, tmp_path)
    forms = forms_by_name(tmp_path)
    person = next(r for r in review.snapshot().responses(REVIEW) if r.model.name == "Group Manager")
    with review.transaction() as tx:  # typed in psr meanwhile, as called out in a meeting
        set_score(tx, person.doc_id, person.model, "leadership", 2)
    fill_form(forms["Group Manager"], {"Leadership": "3 Implementation", "Culture": 4})
    fill_form(forms["Chief Executive"], {"Leadership": 1})
    before = review.path.read_bytes()
    with pytest.raises(FormConflictError) as caught:
        import_returns(review, [tmp_path], REVIEW)
    assert caught.value.conflicts == [
        f"Group Manager (Lancashire Fire and Rescue), {forms['Group Manager'].name}: "
        "Leadership score 2 in psr, 3 on the form"
    ]
    assert review.path.read_bytes() == before  # not even the good form was written
    result = import_returns(review, [tmp_path], REVIEW, replace=True)
    assert result.startswith(f"imported 2 forms into {REVIEW!r}: 2 respondents updated")
    after = stored(review, REVIEW)
    assert after["Group Manager"].scores == {"leadership": 3, "culture": 4}
    assert after["Chief Executive"].scores == {"leadership": 1}


def test_the_same_score_typed_in_psr_is_no_conflict(review: Store, tmp_path: Path) -> None:
    send_forms(review, REVIEW, tmp_path)
    forms = forms_by_name(tmp_path)
    person = next(r for r in review.snapshot().responses(REVIEW) if r.model.name == "Group Manager")
    with review.transaction() as tx:
        set_score(tx, person.doc_id, person.model, "governance", 4)
        set_score(tx, person.doc_id, tx.get("responses", person.doc_id).model, "workforce", 1)
    fill_form(forms["Group Manager"], {"Governance": "4 Embedding", "Leadership": 2})
    import_returns(review, [forms["Group Manager"]], REVIEW)
    # The form left Workforce as it was sent (empty): psr's 1 stays.
    assert stored(review, REVIEW)["Group Manager"].scores == {
        "governance": 4,
        "workforce": 1,
        "leadership": 2,
    }


def test_a_form_shows_what_was_already_scored_and_changes_only_what_was_changed(
    demo_store: Store, tmp_path: Path
) -> None:
    framework = demo_store.snapshot().frameworks()[0].model
    send_forms(demo_store, BASELINE, tmp_path)
    path = forms_by_name(tmp_path)["Chief Executive"]
    before = stored(demo_store, BASELINE)["Chief Executive"]
    sheet = load_workbook(path)["Form"]
    rows = domain_rows(sheet)
    leadership = before.scores["leadership"]
    assert leadership is not None
    assert sheet[f"B{rows['Leadership']}"].value == choice(framework, leadership)
    fill_form(path, {"Culture": choice(framework, 5)})
    import_returns(demo_store, [path], BASELINE)
    after = stored(demo_store, BASELINE)["Chief Executive"]
    assert after.scores == {**before.scores, "culture": 5}


def test_forms_of_another_round_or_framework_are_refused_naming_both(
    review: Store, tmp_path: Path
) -> None:
    send_forms(review, BASELINE, tmp_path / "baseline")
    path = next((tmp_path / "baseline").glob("*.xlsx"))
    fill_form(path, {"Leadership": 2})
    with pytest.raises(FormsRefusedError) as caught:
        import_returns(review, [path], REVIEW)
    assert caught.value.problems == [
        f"{path.name}: this form is for round {BASELINE!r} (AQuA System Integration), not "
        f"{REVIEW!r} (AQuA System Integration)"
    ]
    other, _ = six_by_four_store(tmp_path / "six.json")
    send_forms(other, "Spring", tmp_path / "spring")
    spring = next((tmp_path / "spring").glob("*.xlsx"))
    with review.transaction() as tx:
        copy_round(tx, BASELINE, "Spring", date(2016, 9, 1))
    with pytest.raises(FormsRefusedError) as caught:
        import_returns(review, [spring], "Spring")
    assert caught.value.problems == [
        f"{spring.name}: this form is for framework 'Integration maturity (6 x 4)', but round "
        "'Spring' uses 'AQuA System Integration'"
    ]


def test_files_that_are_not_forms_are_named(review: Store, tmp_path: Path) -> None:
    send_forms(review, REVIEW, tmp_path / "out")
    forms = forms_by_name(tmp_path / "out")
    good = forms["Chief Executive"]
    fill_form(good, {"Leadership": 2})
    twin = tmp_path / "copy-of-chief-exec.xlsx"
    shutil.copy(good, twin)
    (tmp_path / "notes.xlsx").write_text("not a workbook")
    plain = tmp_path / "plain.xlsx"
    from openpyxl import Workbook

    Workbook().save(plain)
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    paths = [good, twin, tmp_path / "notes.xlsx", plain, tmp_path / "scan.pdf", tmp_path / "gone"]
    with pytest.raises(FormsRefusedError) as caught:
        import_returns(review, paths, REVIEW)
    assert caught.value.problems == [
        "scan.pdf: not an .xlsx form (a printed form's scores are typed in on the scoring screen)",
        f"{tmp_path / 'gone'}: no such file or folder",
        f"{twin.name}: a second form for Chief Executive (Chorley Council) (the first is "
        f"{good.name})",
        "notes.xlsx: not an .xlsx workbook (save the form as Excel .xlsx and try again)",
        "plain.xlsx: not a psr assessment form (it has no form details); forms come from "
        "`psr form`",
    ]


def test_a_respondent_renamed_since_is_named(review: Store, tmp_path: Path) -> None:
    send_forms(review, REVIEW, tmp_path)
    path = forms_by_name(tmp_path)["Partnership Manager"]
    fill_form(path, {"Leadership": 2})
    person = next(
        r for r in review.snapshot().responses(REVIEW) if r.model.name == "Partnership Manager"
    )
    with review.transaction() as tx:
        tx.merge(
            "responses", person.doc_id, person.model, person.model.model_copy(update={"name": "PM"})
        )
    with pytest.raises(FormsRefusedError) as caught:
        import_returns(review, [path], REVIEW)
    assert caught.value.problems == [
        f"{path.name}: Partnership Manager (DWP) is not a respondent of {REVIEW!r} (renamed or "
        "deleted since the form was sent? send a new form)"
    ]


def test_imported_comments_keep_control_characters_visible(review: Store, tmp_path: Path) -> None:
    send_forms(review, REVIEW, tmp_path)
    path = forms_by_name(tmp_path)["Chief Executive"]
    fill_form(path, {"Leadership": 2}, {"Leadership": "MARKER"})
    # A C1 CSI (a terminal escape) cannot be typed through openpyxl: put it in the XML.
    hostile = tmp_path / "hostile.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(hostile, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            out.writestr(info, data.replace(b"MARKER", "a\u009b2Jb\r\nc".encode()))
    path.unlink()
    import_returns(review, [hostile], REVIEW)
    assert stored(review, REVIEW)["Chief Executive"].comments == {"leadership": "a\ufffd2Jb\nc"}


def test_forms_need_respondents_and_an_open_round(demo_store: Store, tmp_path: Path) -> None:
    from psr_tui.changes.assessment import new_round, set_round_status
    from psr_tui.models import RoundStatus

    with demo_store.transaction() as tx:
        new_round(tx, "Empty", date(2016, 9, 1), "AQuA System Integration")
    with pytest.raises(InvalidRecordError, match="has no respondents"):
        write_forms(demo_store.snapshot(), "Empty", tmp_path / "out")
    record = demo_store.snapshot().round(BASELINE)
    assert record is not None
    with demo_store.transaction() as tx:
        set_round_status(tx, record.doc_id, record.model, RoundStatus.CLOSED)
    with pytest.raises(InvalidRecordError, match="is closed"):
        write_forms(demo_store.snapshot(), BASELINE, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_huge_file_is_refused_before_it_is_unpacked(review: Store, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<a/>" + b" " * (30 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    with pytest.raises(FormsRefusedError, match="too large to be a psr form"):
        import_returns(review, [bomb], REVIEW)


LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")


@pytest.mark.slow
@pytest.mark.skipif(LIBREOFFICE is None, reason="LibreOffice is not installed")
def test_a_form_saved_again_by_libreoffice_imports(review: Store, tmp_path: Path) -> None:
    """A respondent's office suite rewrites the whole file: the details and cells survive."""
    send_forms(review, REVIEW, tmp_path / "out")
    path = forms_by_name(tmp_path / "out")["Chief Executive"]
    fill_form(path, {"Leadership": "4 Embedding", "Culture": "2 Enabling"}, {"Culture": "ok"})
    saved = tmp_path / "saved"
    subprocess.run(
        [
            str(LIBREOFFICE),
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(saved),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    import_returns(review, [saved], REVIEW)
    after = stored(review, REVIEW)["Chief Executive"]
    assert after.scores == {"leadership": 4, "culture": 2}
    assert after.comments == {"culture": "ok"}


def test_framework_shape_guards_a_changed_framework(review: Store, tmp_path: Path) -> None:
    """A form made against a framework of the same name but other levels is refused."""
    send_forms(review, REVIEW, tmp_path)
    path = forms_by_name(tmp_path)["Chief Executive"]
    fill_form(path, {"Leadership": 2})
    record = review.snapshot().frameworks()[0]
    changed: Framework = record.model.model_copy(
        update={"levels": [*record.model.levels[:4], "Renamed"]}
    )
    with review.transaction() as tx:
        tx.update("frameworks", record.doc_id, changed)
    with pytest.raises(FormsRefusedError, match="its levels or domains differ"):
        import_returns(review, [path], REVIEW)
