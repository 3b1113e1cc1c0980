"""Responses CSV import (validated as a whole) and CSV/xlsx export."""

from __future__ import annotations

from pathlib import Path

import pytest

from psr_tui.changes.imports import import_responses
from psr_tui.exports.responses_io import export_responses
from psr_tui.exports.tables import TableImportError
from psr_tui.models import RoundStatus
from psr_tui.store import InvalidRecordError, Store, StoreError

ROUND = "Baseline, Feb 2016"
HEADER = "name,organisation,group,Leadership,GOVERNANCE,culture,Leadership comment\n"


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_import_creates_the_round_and_reads_keys_names_and_comments(
    demo_store: Store, tmp_path: Path
) -> None:
    csv = write(
        tmp_path / "in.csv",
        HEADER + "Ann,Council,executive,3,,2,Board minutes\nBob,NHS,Implementation Group,1,2,,\n",
    )
    result = import_responses(demo_store, csv, "Review, Aug 2016")
    assert result == "imported 2 responses into 'Review, Aug 2016' (created the round)"
    snap = demo_store.snapshot()
    new_round = snap.round("Review, Aug 2016")
    assert new_round is not None
    assert new_round.model.framework == "AQuA System Integration"
    assert new_round.model.date == snap.as_at
    ann, bob = (r.model for r in snap.responses("Review, Aug 2016"))
    assert ann.group == "Executive"  # matched to the round's group, ignoring case
    assert ann.scores == {"leadership": 3, "governance": None, "culture": 2}
    assert ann.comments == {"leadership": "Board minutes"}
    assert bob.scores == {"leadership": 1, "governance": 2, "culture": None}
    assert bob.comments == {}


def test_import_updates_a_respondent_with_the_same_name_and_organisation(
    demo_store: Store, tmp_path: Path
) -> None:
    csv = write(
        tmp_path / "in.csv",
        "name,organisation,group,leadership\nchief executive,CHORLEY COUNCIL,Executive,5\n",
    )
    assert import_responses(demo_store, csv, ROUND) == (
        f"imported 1 response into {ROUND!r} (0 new, 1 updated, 0 unchanged)"
    )
    responses = [r.model for r in demo_store.snapshot().responses(ROUND)]
    assert len(responses) == 10
    chief = next(r for r in responses if r.name == "Chief Executive")
    assert chief.scores["leadership"] == 5
    assert chief.scores["governance"] == 2  # a domain the file lacks keeps its value
    assert chief.comments["information_and_it"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            HEADER + "Ann,Council,Executive,7,,,\n",
            "row 2, column Leadership: score 7 is outside levels 1-5",
        ),
        (
            HEADER + "Ann,Council,Executive,2.5,,,\n",
            "row 2, column Leadership: '2.5' is not a level",
        ),
        (
            HEADER + "Ann,Council,Executive,1,,,\n,Council,Executive,1,,,\n",
            "row 3, column name: the name is missing",
        ),
        (HEADER + "Ann,Council,,1,,,\n", "row 2, column group: the group is missing"),
        ("name,organisation,group,Leadershp\n", "unknown column 'Leadershp'"),
        ("name,organisation,leadership\nAnn,X,1\n", "no 'group' column"),
        ("", "the file is empty"),
        ("\n\n", "the file is empty"),
        (b"name,organisation,group\nJos\xe9,X,Executive\n", "not UTF-8 text"),
        (HEADER + "Ann,Council,Executive,1,,,,extra\n", "row 2 has 8 cells but the header has 7"),
        (
            HEADER + "Ann,Council,Executive,1,,,\nann,council,Executive,2,,,\n",
            "row 3: ann (council) is already in row 2",
        ),
        ("name,organisation,group,leadership,Leadership\n", "both give the score for Leadership"),
        ("name,organisation,group\n", "no responses follow"),
    ],
)
def test_bad_files_name_the_problem_and_write_nothing(
    demo_store: Store, tmp_path: Path, text: str | bytes, expected: str
) -> None:
    csv = write(tmp_path / "bad.csv", text)
    before = demo_store.path.read_bytes()
    with pytest.raises(StoreError) as error:
        import_responses(demo_store, csv, "New round")
    assert expected in str(error.value)
    assert "\n" not in str(error.value)
    assert demo_store.path.read_bytes() == before


def test_every_problem_is_collected_and_the_message_stays_short(
    demo_store: Store, tmp_path: Path
) -> None:
    rows = "".join(f"P{n},Org,Executive,9,,,\n" for n in range(8))
    csv = write(tmp_path / "bad.csv", HEADER + rows)
    with pytest.raises(TableImportError) as error:
        import_responses(demo_store, csv, ROUND)
    assert len(error.value.problems) == 8
    assert "row 9, column Leadership" in error.value.problems[-1]
    assert "(and 3 more problems)" in str(error.value)


def test_a_closed_round_and_an_unknown_framework_are_refused(
    demo_store: Store, tmp_path: Path
) -> None:
    csv = write(tmp_path / "in.csv", "name,organisation,group\nAnn,X,Executive\n")
    with pytest.raises(InvalidRecordError, match="no framework 'Nope'"):
        import_responses(demo_store, csv, "Fresh", "Nope")
    with demo_store.transaction() as tx:
        record = tx.round(ROUND)
        assert record is not None
        tx.update(
            "rounds", record.doc_id, record.model.model_copy(update={"status": RoundStatus.CLOSED})
        )
    with pytest.raises(InvalidRecordError, match="is closed"):
        import_responses(demo_store, csv, ROUND)


def test_csv_export_round_trips(demo_store: Store, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    assert export_responses(demo_store.snapshot(), None, out) == ROUND
    import_responses(demo_store, out, "Copy")
    snap = demo_store.snapshot()
    original = sorted(
        (r.model.name, r.model.scores, r.model.comments) for r in snap.responses(ROUND)
    )
    copied = sorted(
        (r.model.name, r.model.scores, r.model.comments) for r in snap.responses("Copy")
    )
    assert copied == original


def test_xlsx_export_has_a_bold_header_and_a_row_per_response(
    demo_store: Store, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    with demo_store.transaction() as tx:
        record = next(r for r in tx.responses(ROUND) if r.model.name == "Chief Executive")
        comments = {**record.model.comments, "leadership": '=HYPERLINK("x")'}
        tx.update(
            "responses", record.doc_id, record.model.model_copy(update={"comments": comments})
        )
    out = tmp_path / "out.xlsx"
    export_responses(demo_store.snapshot(), ROUND, out)
    sheet = load_workbook(out).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("name", "organisation", "group", "Leadership")
    assert sheet["A1"].font.b
    assert len(rows) == 11
    chief = next(row for row in rows if row[0] == "Chief Executive")
    assert chief[3] == 3
    comment = sheet.cell(row=rows.index(chief) + 1, column=rows[0].index("Leadership comment") + 1)
    assert comment.data_type == "s"  # text, never a formula


def test_export_refuses_an_unknown_round_and_suffix(demo_store: Store, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no round named 'Nope'"):
        export_responses(demo_store.snapshot(), "Nope", tmp_path / "x.csv")
    with pytest.raises(StoreError, match=r"\.csv or \.xlsx"):
        export_responses(demo_store.snapshot(), ROUND, tmp_path / "x.txt")
