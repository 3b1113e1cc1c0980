"""A new snapshot of the same file reuses the records that did not change (the live refresh
at 10,000 risks must not validate the register again for a colleague's one edit), and never
a record whose row or whose context changed."""

from __future__ import annotations

from pathlib import Path

import orjson

from psr_tui.models import Band
from psr_tui.store import Store
from tests.conftest import run_psr


def _by_ref(store: Store) -> dict[str, object]:
    return {r.model.ref: r.model for r in store.snapshot().risks()}


def test_a_colleagues_edit_reuses_every_other_risk(demo_path: Path) -> None:
    mine = Store(demo_path)
    before = _by_ref(mine)
    done = run_psr(
        "risk", "add", "--db", demo_path, "--ref", "R30", "--description", "Added elsewhere",
        "--likelihood", "High", "--impact", "Critical",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    after = _by_ref(mine)
    assert set(after) == set(before) | {"R30"}
    assert all(after[ref] is before[ref] for ref in before)
    with Store(demo_path, user="colleague").transaction() as tx:
        record = tx.risk("R3")
        assert record is not None
        tx.update("risks", record.doc_id, record.model.model_copy(update={"owner": "New owner"}))
    edited = _by_ref(mine)
    assert edited["R3"] is not after["R3"] and edited["R3"].owner == "New owner"  # type: ignore[attr-defined]
    assert all(edited[ref] is after[ref] for ref in after if ref != "R3")


def test_a_row_changed_by_hand_is_read_again_even_with_the_same_rev(demo_path: Path) -> None:
    mine = Store(demo_path)
    before = _by_ref(mine)
    data = orjson.loads(demo_path.read_bytes())
    row = next(r for r in data["risks"].values() if r["ref"] == "R2")
    row["owner"] = "Edited in the file"  # rev and updated_at as they were
    demo_path.write_bytes(orjson.dumps(data))
    after = _by_ref(mine)
    assert after["R2"] is not before["R2"]
    assert after["R2"].owner == "Edited in the file"  # type: ignore[attr-defined]


def test_a_changed_matrix_checks_every_risk_again(demo_path: Path) -> None:
    mine = Store(demo_path)
    before = _by_ref(mine)
    with Store(demo_path, user="colleague").transaction() as tx:
        [record] = tx.records("matrix")
        bands = [*record.model.bands[:-1], Band(name="Severe", max=9, colour="red")]
        tx.update("matrix", record.doc_id, record.model.model_copy(update={"bands": bands}))
    after = _by_ref(mine)
    assert not any(after[ref] is before[ref] for ref in before)


def test_a_new_snapshot_keeps_the_rows_read_before_and_reads_as_the_file(demo_path: Path) -> None:
    # The parse's copy of an unchanged row is let go while the table is read (in the
    # reload worker), so that dropping the snapshot before frees next to nothing.
    mine = Store(demo_path)
    first = mine.snapshot()
    first.risks()
    with Store(demo_path, user="colleague").transaction() as tx:
        record = tx.risk("R3")
        assert record is not None
        tx.update("risks", record.doc_id, record.model.model_copy(update={"owner": "New owner"}))
    second = mine.snapshot()
    second.risks()
    ids = [r.doc_id for r in second.risks()]
    changed = next(r.doc_id for r in second.risks() if r.model.ref == "R3")
    assert all(second.row("risks", i) is first.row("risks", i) for i in ids if i != changed)
    assert second.row("risks", changed) is not first.row("risks", changed)
    on_disk = orjson.loads(demo_path.read_bytes())["risks"]
    assert {i: second.row("risks", i) for i in ids} == {int(k): v for k, v in on_disk.items()}
