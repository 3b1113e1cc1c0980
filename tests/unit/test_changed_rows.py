"""A large file read again through the child process (`store/changed_rows.py`): only the
rows that changed cross over, and the snapshot is the file exactly, whatever changed
(rows edited, gone or added, by a colleague's psr or by hand with the same rev, a new
order, tables added or gone); a file the child cannot read, or an answer that does not
check out, is read in this process as before. Kept facts and the register's column widths,
redone for the few risks changed, equal those worked out from nothing."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest

from psr_tui import analysis
from psr_tui.demo import load_matrix
from psr_tui.errors import CorruptFileError
from psr_tui.models import Record, Risk, RiskStatus
from psr_tui.store import Store, changed_rows
from psr_tui.widgets.risk_table import RiskRow, _cell_widths, _cell_widths_after
from tests.helpers.planted import plant_package
from tests.helpers.store_worker import make_risk, new_database

COLLEAGUE = """
import sys
from psr_tui.store import Store
from tests.helpers.store_worker import make_risk

with Store(sys.argv[1], user="colleague").transaction() as tx:
    record = tx.risk("R2")
    tx.update("risks", record.doc_id, record.model.model_copy(update={"owner": "Elsewhere"}))
    tx.delete("risks", tx.risk("R4").doc_id)
    tx.insert("risks", make_risk("R99"))
"""


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A file of 12 risks whose every `snapshot_after` goes through the child, however
    small the file; the child ends with the test."""
    monkeypatch.setattr(Store, "CHILD_READS_FROM_BYTES", 0)
    path = new_database(tmp_path / "psr.json")
    with Store(path).transaction() as tx:
        tx.insert_many("risks", [make_risk(f"R{n}") for n in range(1, 13)])
    store = Store(path)
    yield store
    store.close()


def _exactly_the_file(data: dict[str, Any], path: Path) -> bool:
    """The same tables, rows, values and order as the file parsed now."""
    return orjson.dumps(data) == orjson.dumps(orjson.loads(path.read_bytes()))


def test_a_colleagues_process_edit_delete_and_add_come_over_exactly(store: Store) -> None:
    path = store.path
    first = store.snapshot()
    first.read_every_table()
    kept = {r.model.ref: r.model for r in first.risks()}
    done = subprocess.run(
        [sys.executable, "-c", COLLEAGUE, str(path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[2],
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    after = store.snapshot_after(first)
    assert after._canonical is not None  # it came through the child
    assert _exactly_the_file(after._data, path)
    models = {r.model.ref: r.model for r in after.risks()}
    assert set(models) == set(kept) - {"R4"} | {"R99"}
    assert models["R2"].owner == "Elsewhere"
    # The unchanged risks are the very models validated before: nothing re-validated.
    assert all(models[ref] is kept[ref] for ref in models if ref not in {"R2", "R99"})
    fresh = Store(path).snapshot()
    assert [r.model for r in after.risks()] == [r.model for r in fresh.risks()]


def test_a_hand_edit_with_the_same_rev_a_new_order_and_new_tables_come_over(store: Store) -> None:
    path = store.path
    snapshot = store.snapshot()
    data = json.loads(path.read_text())
    row = data["risks"]["3"]
    row["description"] = "Changed by hand, the rev left as it was"
    # The rows in another order, a table gone, a table added, the tables reordered.
    data["risks"] = dict(reversed(list(data["risks"].items())))
    data.pop("matrix")
    data["phases"] = {}
    data = {name: data[name] for name in reversed(list(data))}
    path.write_text(json.dumps(data))
    after = store.snapshot_after(snapshot)
    assert after._canonical is not None
    assert _exactly_the_file(after._data, path)
    assert after.row("risks", 3) == row


def test_a_corrupt_file_is_refused_as_the_store_refuses_it(store: Store) -> None:
    path = store.path
    snapshot = store.snapshot()
    path.write_text('{"risks": {"1": ')
    with pytest.raises(CorruptFileError) as caught:
        store.snapshot_after(snapshot)
    with pytest.raises(CorruptFileError) as direct:
        Store(path).snapshot()
    assert str(caught.value) == str(direct.value)


def test_an_answer_that_does_not_check_out_is_read_here(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A difference applied wrongly (here: the colleague's change dropped) is caught by the
    # digest, and the file is read in this process instead: never a snapshot that is not
    # the file.
    path = store.path
    snapshot = store.snapshot()
    with Store(path, user="colleague").transaction() as tx:
        record = tx.risk("R6")
        assert record is not None
        tx.update("risks", record.doc_id, record.model.model_copy(update={"owner": "Z"}))
    monkeypatch.setattr(changed_rows, "apply", lambda before, change: before)
    after = store.snapshot_after(snapshot)
    assert after._canonical is None  # read here
    assert _exactly_the_file(after._data, path)


def test_a_child_that_dies_is_started_again(store: Store) -> None:
    path = store.path
    snapshot = store.snapshot()
    for owner in ("First", "Second", "Third"):
        with Store(path, user="colleague").transaction() as tx:
            record = tx.risk("R1")
            assert record is not None
            tx.update("risks", record.doc_id, record.model.model_copy(update={"owner": owner}))
        reader = store._child_reader
        if reader is not None and reader._child is not None:
            reader._child.kill()
            reader._child.wait()
        snapshot = store.snapshot_after(snapshot)
        assert _exactly_the_file(snapshot._data, path)
        assert snapshot.risk("R1").model.owner == owner  # type: ignore[union-attr]
    assert snapshot._canonical is not None


def test_a_psr_tui_folder_where_psr_was_started_is_not_run(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # psr started in a shared directory holding someone's `psr_tui` package: the child
    # reader runs the installed psr, not that.
    planted, ran = tmp_path / "shared", tmp_path / "ran"
    plant_package(planted, ran)
    monkeypatch.chdir(planted)
    snapshot = store.snapshot()
    with Store(store.path, user="colleague").transaction() as tx:
        record = tx.risk("R5")
        assert record is not None
        tx.update("risks", record.doc_id, record.model.model_copy(update={"owner": "Y"}))
    after = store.snapshot_after(snapshot)
    assert not ran.exists()
    assert after._canonical is not None  # read by the child
    assert _exactly_the_file(after._data, store.path)


def test_the_difference_applied_gives_the_data_exactly() -> None:
    # Whatever changed between two reads of the file, in any order.
    rng = random.Random(18)
    for _ in range(300):
        before = _random_data(rng)
        after = json.loads(json.dumps(before))
        for _ in range(rng.randint(0, 6)):
            _random_change(rng, after)
        patched = changed_rows.apply(before, changed_rows.difference(before, after))
        assert orjson.dumps(patched) == orjson.dumps(after)


def _random_data(rng: random.Random) -> dict[str, dict[str, Any]]:
    return {
        f"t{t}": {str(k): {"rev": 1, "v": rng.randint(0, 3)} for k in rng.sample(range(9), 5)}
        for t in rng.sample(range(5), 3)
    }


def _random_change(rng: random.Random, data: dict[str, dict[str, Any]]) -> None:
    kind = rng.choice(["edit", "delete", "add", "reorder", "table", "drop", "tables"])
    name = rng.choice(list(data)) if data else None
    if name is None or kind == "table":
        data[f"new{rng.randint(0, 99)}"] = {"1": {"rev": 1}}
    elif kind == "edit" and data[name]:
        key = rng.choice(list(data[name]))
        data[name][key] = {**data[name][key], "v": rng.randint(4, 9)}
    elif kind == "delete" and data[name]:
        del data[name][rng.choice(list(data[name]))]
    elif kind == "add":
        data[name][str(rng.randint(10, 99))] = {"rev": 1}
    elif kind == "reorder":
        items = list(data[name].items())
        rng.shuffle(items)
        data[name] = dict(items)
    elif kind == "drop":
        del data[name]
    elif kind == "tables":
        names = list(data)
        rng.shuffle(names)
        reordered = {n: data.pop(n) for n in names}
        data.update(reordered)


def test_kept_facts_redone_for_a_few_risks_equal_facts_from_nothing() -> None:
    matrix = load_matrix()
    as_at = date(2016, 2, 16)
    rng = random.Random(5)
    risks = [Record(n, make_risk(f"R{n}")) for n in range(1, 60)]
    kept = analysis.KeptFacts()
    kept.facts(matrix, risks, as_at)
    for _ in range(40):
        risks = list(risks)
        for _ in range(rng.randint(1, 3)):
            index = rng.randrange(len(risks))
            model = risks[index].model
            # A new owner, new labels (a new score), or a new ref (a new place in order).
            update = rng.choice(
                [
                    {"owner": f"Owner {rng.randint(0, 9)}"},
                    {"likelihood": rng.choice(matrix.likelihood)},
                    {"ref": f"R{rng.randint(100, 999)}"},
                ]
            )
            if "ref" in update and any(r.model.ref == update["ref"] for r in risks):
                continue
            risks[index] = Record(risks[index].doc_id, model.model_copy(update=update))
        assert kept.facts(matrix, risks, as_at) == analysis.register_facts(matrix, risks, as_at)


def test_column_widths_redone_for_a_few_rows_equal_widths_from_nothing() -> None:
    matrix = load_matrix()
    as_at = date(2016, 2, 16)
    rng = random.Random(7)

    def row(ref: str) -> RiskRow:
        update = {
            "likelihood": rng.choice(matrix.likelihood),
            "status": rng.choice(list(RiskStatus)),
            "owner": "x" * rng.randint(0, 20),
        }
        risk: Risk = make_risk(ref).model_copy(update=update)
        return RiskRow(analysis.risk_facts(matrix, risk, as_at))

    rows = [row(f"R{rng.choice([1, 22, 333, 4444])}") for _ in range(30)]
    widths = _cell_widths(rows)
    for _ in range(200):
        changed = rng.sample(range(len(rows)), rng.randint(1, 3))
        new_rows = list(rows)
        for index in changed:
            new_rows[index] = row(f"R{rng.choice([1, 22, 333, 4444])}")
        widths = _cell_widths_after(
            widths, [rows[i] for i in changed], [new_rows[i] for i in changed], new_rows
        )
        rows = new_rows
        assert widths == _cell_widths(rows)
