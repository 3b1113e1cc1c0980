"""The store's storage claims, one process: revs, conflicts, audit, refusals, modes, cache."""

from __future__ import annotations

import os
import shutil
import stat
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import orjson
import pytest

from psr_tui.models import Phase
from psr_tui.store import (
    SCHEMA_VERSION,
    ConflictError,
    CorruptFileError,
    InvalidRecordError,
    MissingFileError,
    NotSavedError,
    SchemaTooNewError,
    Store,
    StoreError,
    Transaction,
)
from psr_tui.store import store as store_module
from psr_tui.store.audit import audit_path
from tests.helpers.store_worker import default_matrix, make_risk, new_database


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return new_database(tmp_path / "psr.json")


@pytest.fixture
def store(path: Path) -> Store:
    return Store(path, user="alice")


@pytest.fixture
def umask_002() -> Iterator[None]:
    old = os.umask(0o002)
    try:
        yield
    finally:
        os.umask(old)


def add_risk(store: Store, ref: str = "R1", **changes: str) -> int:
    with store.transaction() as tx:
        return tx.insert("risks", make_risk(ref, **changes))


def temp_files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f".{path.name}.*.tmp"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- create ----------------------------------------------------------------------------


def test_create_refuses_an_existing_database_and_leaves_it_unchanged(store: Store) -> None:
    add_risk(store)
    before = store.path.read_bytes()
    with pytest.raises(StoreError, match="already exists"):
        Store(store.path, user="bob").create("Another partnership")
    assert store.path.read_bytes() == before


def test_create_refuses_any_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_bytes(b"not mine \x00\xff")
    with pytest.raises(StoreError, match="already exists"):
        Store(path).create("Partnership")
    assert path.read_bytes() == b"not mine \x00\xff"


def test_snapshot_of_a_missing_file_names_it(tmp_path: Path) -> None:
    path = tmp_path / "absent.json"
    with pytest.raises(MissingFileError, match=r"absent\.json"):
        Store(path).snapshot()
    with pytest.raises(MissingFileError), Store(path).transaction():
        pass
    assert not path.exists()


# --- revs, users, conflicts ------------------------------------------------------------


def test_insert_update_delete_bump_rev_and_set_updated_by(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc_id = add_risk(Store(path, user="alice"))
    first = Store(path).snapshot().get("risks", doc_id).model
    assert (first.rev, first.updated_by) == (1, "alice")
    assert first.updated_at is not None

    monkeypatch.setenv("PSR_USER", "bob")
    bob = Store(path)
    with bob.transaction() as tx:
        tx.update("risks", doc_id, first.model_copy(update={"likelihood": "High"}), first.rev)
    second = bob.snapshot().get("risks", doc_id).model
    assert (second.rev, second.updated_by, second.likelihood) == (2, "bob", "High")
    assert second.updated_at is not None and second.updated_at >= first.updated_at

    with Store(path, user="carol").transaction() as tx:
        tx.update("risks", doc_id, second.model_copy(update={"owner": "Gary Hall"}), second.rev)
    third = Store(path).snapshot().get("risks", doc_id).model
    assert (third.rev, third.updated_by, third.owner) == (3, "carol", "Gary Hall")

    with Store(path, user="dave").transaction() as tx:
        tx.delete("risks", doc_id, expected_rev=third.rev)
    assert Store(path).snapshot().risks() == []
    last = Store(path).history()[-1]
    assert (last.action, last.user, last.record) == ("delete", "dave", "R1")


def test_update_with_a_stale_rev_is_a_conflict_naming_who_and_when(path: Path) -> None:
    doc_id = add_risk(Store(path, user="alice"))
    read_by_carol = Store(path).snapshot().get("risks", doc_id).model
    with Store(path, user="bob").transaction() as tx:
        tx.update("risks", doc_id, read_by_carol.model_copy(update={"impact": "Critical"}), 1)
    bobs = Store(path).snapshot().get("risks", doc_id).model
    before = path.read_bytes()

    with pytest.raises(ConflictError) as caught, Store(path, user="carol").transaction() as tx:
        tx.update("risks", doc_id, read_by_carol.model_copy(update={"owner": "Carol"}), 1)

    assert bobs.updated_at is not None
    message = str(caught.value)
    assert "R1 was changed by bob" in message
    assert bobs.updated_at.astimezone().strftime("%d %b %Y %H:%M") in message
    assert (caught.value.by, caught.value.at) == ("bob", bobs.updated_at)
    assert path.read_bytes() == before


def test_delete_with_a_stale_rev_is_a_conflict(path: Path) -> None:
    doc_id = add_risk(Store(path, user="alice"))
    with Store(path, user="bob").transaction() as tx:
        tx.update("risks", doc_id, make_risk("R1", likelihood="Low"), expected_rev=1)
    before = path.read_bytes()
    with pytest.raises(ConflictError, match="bob"), Store(path).transaction() as tx:
        tx.delete("risks", doc_id, expected_rev=1)
    assert path.read_bytes() == before


# --- audit -----------------------------------------------------------------------------


def test_every_change_appends_an_audit_entry_read_back_by_history(path: Path) -> None:
    doc_id = add_risk(Store(path, user="alice"), likelihood="Low")
    with Store(path, user="bob").transaction() as tx:
        tx.update("risks", doc_id, make_risk("R1", likelihood="High"), expected_rev=1)
        tx.insert("risks", make_risk("R2"))
    with Store(path, user="carol").transaction() as tx:
        tx.delete("risks", doc_id)

    entries = Store(path).history()
    assert [(e.action, e.table, e.record, e.user) for e in entries] == [
        ("create", "meta", "Chorley Public Service Reform Partnership", "setup"),
        ("add", "matrix", "Chorley 3x3", "setup"),
        ("add", "risks", "R1", "alice"),
        ("edit", "risks", "R1", "bob"),
        ("add", "risks", "R2", "bob"),
        ("delete", "risks", "R1", "carol"),
    ]
    added, edited, deleted = entries[2], entries[3], entries[5]
    assert added.before == "" and "likelihood=Low" in added.after
    assert (edited.before, edited.after) == ("likelihood: Low", "likelihood: High")
    assert "ref=R1" in deleted.before and deleted.after == ""
    assert [e.action for e in Store(path).history(limit=2)] == ["add", "delete"]


def test_audit_lives_beside_the_database_not_in_it(store: Store) -> None:
    add_risk(store)
    data = orjson.loads(store.path.read_bytes())
    assert set(data) == {"meta", "matrix", "risks"}
    assert audit_path(store.path).read_bytes().count(b"\n") == 3


def test_an_entry_after_a_torn_audit_line_is_kept(store: Store) -> None:
    # A writer killed mid-append leaves half a line with no newline.
    with audit_path(store.path).open("ab") as handle:
        handle.write(b'{"at": "2016-02-16T10:00:00Z", "user": "ki')
    add_risk(store, "R9")
    assert [(e.action, e.record) for e in store.history()][-1] == ("add", "R9")


def test_a_transaction_that_changes_nothing_does_not_write(store: Store) -> None:
    before = (store.path.read_bytes(), store.signature())
    with store.transaction() as tx:
        assert tx.matrix() is not None
    assert (store.path.read_bytes(), store.signature()) == before
    assert len(store.history()) == 2


def test_an_exception_inside_a_transaction_writes_nothing(store: Store) -> None:
    before = store.path.read_bytes()
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.insert("risks", make_risk("R1"))
        raise RuntimeError("the user pressed escape")
    assert store.path.read_bytes() == before
    assert len(store.history()) == 2
    assert temp_files(store.path) == []


# --- refusals --------------------------------------------------------------------------


def _valid_bytes(path: Path) -> bytes:
    Store(path, user="setup").create("Partnership")
    return path.read_bytes()


CORRUPTIONS = {
    "garbage bytes": lambda good: b"\x89PNG\r\n\x1a\n\x00\xff\xfe garbage",
    "truncated JSON": lambda good: good[: len(good) // 2],
    "empty file": lambda good: b"",
    "a JSON list": lambda good: b'[{"meta": {}}]',
    "a table that is not an object": lambda good: b'{"meta": [1, 2]}',
    "a record that is not an object": lambda good: b'{"meta": {"1": 5}}',
    "a record id that is not a number": lambda good: good.replace(b'"1"', b'"one"'),
    "no meta table": lambda good: b'{"risks": {}}',
}


@pytest.mark.parametrize("corruption", CORRUPTIONS, ids=list(CORRUPTIONS))
@pytest.mark.parametrize("how", ["snapshot", "transaction"])
def test_a_corrupt_file_is_refused_by_name_and_left_unchanged(
    tmp_path: Path, corruption: str, how: str
) -> None:
    path = tmp_path / "psr.json"
    bad = CORRUPTIONS[corruption](_valid_bytes(path))
    path.write_bytes(bad)
    store = Store(path)

    with pytest.raises(CorruptFileError) as caught:
        if how == "snapshot":
            store.snapshot()
        else:
            with store.transaction() as tx:
                tx.insert("phases", Phase(name="P1", start=date(2016, 3, 1), end=date(2016, 5, 31)))

    assert str(path) in str(caught.value) and caught.value.path == path
    assert "left unchanged" in str(caught.value)
    assert path.read_bytes() == bad
    assert temp_files(path) == []


def test_a_record_that_fails_validation_on_read_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "psr.json"
    data = orjson.loads(_valid_bytes(path))
    data["risks"] = {"1": {"ref": "R1"}}  # no description, likelihood or impact
    path.write_bytes(orjson.dumps(data))
    with pytest.raises(
        CorruptFileError, match=r"psr\.json.*risks 'record 1': a description is needed"
    ):
        Store(path).snapshot().risks()


@pytest.mark.parametrize("how", ["snapshot", "transaction"])
def test_a_newer_schema_is_refused_and_left_unchanged(tmp_path: Path, how: str) -> None:
    path = tmp_path / "psr.json"
    data = orjson.loads(_valid_bytes(path))
    data["meta"]["1"]["schema_version"] = SCHEMA_VERSION + 1
    path.write_bytes(orjson.dumps(data))
    before = path.read_bytes()
    store = Store(path)

    with pytest.raises(SchemaTooNewError, match=f"schema version {SCHEMA_VERSION + 1}"):
        if how == "snapshot":
            store.snapshot()
        else:
            with store.transaction() as tx:
                tx.set_meta(partnership="Overwritten")
    assert path.read_bytes() == before


def test_an_invalid_record_is_refused_and_nothing_is_written(store: Store) -> None:
    add_risk(store)
    before = (store.path.read_bytes(), audit_path(store.path).read_bytes())

    with pytest.raises(InvalidRecordError, match="likelihood 'Extreme' is not in the matrix"):
        add_risk(store, "R2", likelihood="Extreme")
    with pytest.raises(InvalidRecordError, match="impact"), store.transaction() as tx:
        tx.update("risks", 1, make_risk("R1", impact="Catastrophic"), expected_rev=1)

    assert (store.path.read_bytes(), audit_path(store.path).read_bytes()) == before


def test_a_record_made_invalid_after_construction_is_refused(store: Store) -> None:
    # Models do not validate on assignment; the store must validate what it writes, or the
    # file would no longer load for anyone.
    phase = Phase(name="Phase 1", start=date(2016, 3, 1), end=date(2016, 5, 31))
    phase.end = date(2016, 1, 1)
    before = store.path.read_bytes()
    with pytest.raises(InvalidRecordError, match="ends"), store.transaction() as tx:
        tx.insert("phases", phase)
    assert store.path.read_bytes() == before
    assert Store(store.path).snapshot().phases() == []


# --- file modes ------------------------------------------------------------------------


@pytest.mark.parametrize("kept", [0o660, 0o600, 0o640])
def test_a_replaced_file_keeps_its_mode(store: Store, kept: int) -> None:
    store.path.chmod(kept)
    add_risk(store)
    assert mode(store.path) == kept
    with store.transaction() as tx:
        tx.set_meta(partnership="Renamed")
    assert mode(store.path) == kept


@pytest.mark.parametrize(("umask", "expected"), [(0o002, 0o664), (0o027, 0o640)])
def test_a_new_file_gets_0o666_less_the_umask(tmp_path: Path, umask: int, expected: int) -> None:
    old = os.umask(umask)
    try:
        store = Store(tmp_path / "team.json")
        store.create("Partnership")
    finally:
        os.umask(old)
    assert mode(store.path) == expected
    assert mode(audit_path(store.path)) == expected


def test_the_turnstile_is_shared_with_the_group(tmp_path: Path, umask_002: None) -> None:
    store = Store(tmp_path / "team.json")
    store.create("Partnership")
    assert mode(tmp_path / "team.json.queue.lock") == 0o664


# --- the lock --------------------------------------------------------------------------


def test_a_held_lock_times_out_clearly_and_the_abandoned_wait_leaks_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "LOCK_TIMEOUT_SECONDS", 0.3)
    waiter = Store(store.path, user="carol")
    with store.transaction() as tx:
        tx.insert("risks", make_risk("R1"))
        started = time.monotonic()
        with (
            pytest.raises(StoreError, match="locked by another psr session"),
            waiter.transaction() as blocked,
        ):
            blocked.insert("risks", make_risk("never"))
        assert 0.25 < time.monotonic() - started < 5
    # The timed-out wait gets the lock once it is free, and must let it go at once.
    add_risk(waiter, "R2")
    assert [r.model.ref for r in store.snapshot().risks()] == ["R1", "R2"]


def test_a_nested_transaction_on_one_store_is_refused(store: Store) -> None:
    with store.transaction() as tx:
        tx.insert("risks", make_risk("R1"))
        with pytest.raises(RuntimeError, match="already open"), store.transaction():
            pass
    add_risk(store, "R2")
    assert [r.model.ref for r in store.snapshot().risks()] == ["R1", "R2"]


def test_threads_sharing_one_store_take_turns(store: Store) -> None:
    def write(name: str) -> None:
        for n in range(25):
            add_risk(store, f"{name}-{n}")

    threads = [threading.Thread(target=write, args=(f"T{t}",)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    risks = store.snapshot().risks()
    assert len(risks) == 100 and sorted(r.doc_id for r in risks) == list(range(1, 101))


# --- change detection ------------------------------------------------------------------


def test_the_snapshot_cache_rereads_after_another_store_writes(path: Path) -> None:
    mine, theirs = Store(path, user="alice"), Store(path, user="bob")
    doc_id = add_risk(theirs)
    first = mine.snapshot()
    assert mine.snapshot() is first  # unchanged file: the parse is reused
    assert [r.model.ref for r in first.risks()] == ["R1"]

    add_risk(theirs, "R2")
    second = mine.snapshot()
    assert [r.model.ref for r in second.risks()] == ["R1", "R2"]

    # A same-size change (rev 1 -> 2, same text) must be seen too.
    size = path.stat().st_size
    with theirs.transaction() as tx:
        tx.update("risks", doc_id, second.get("risks", doc_id).model, expected_rev=1)
    assert path.stat().st_size == size
    assert mine.snapshot().get("risks", doc_id).model.rev == 2


def test_the_signature_changes_after_every_write(store: Store) -> None:
    doc_id = add_risk(store)
    seen = [store.signature()]
    for rev in range(1, 31):
        with store.transaction() as tx:
            tx.update("risks", doc_id, make_risk("R1"), expected_rev=rev)
        seen.append(store.signature())
    assert None not in seen
    assert len(set(seen)) == len(seen)
    mtimes = [s.mtime_ns for s in seen if s is not None]
    assert mtimes == sorted(mtimes) and len(set(mtimes)) == len(mtimes)


def test_create_writes_the_filled_file_once_and_a_failed_fill_leaves_nothing(
    tmp_path: Path,
) -> None:
    from psr_tui.demo import load_matrix

    def fill(tx: Transaction) -> None:
        tx.insert("matrix", load_matrix())

    store = Store(tmp_path / "new.json")
    store.create("P", populate=fill)
    assert store.snapshot().matrix() is not None
    assert [e.action for e in store.history()] == ["create", "add"]

    def broken(tx: Transaction) -> None:
        tx.insert("matrix", load_matrix())
        raise RuntimeError("disk full")

    failed = Store(tmp_path / "failed.json")
    with pytest.raises(RuntimeError):
        failed.create("P", populate=broken)
    assert not failed.path.exists()


def test_a_table_read_inside_a_transaction_follows_its_changes(tmp_path: Path) -> None:
    store = Store(tmp_path / "tx.json")
    store.create("P", populate=lambda tx: tx.insert("matrix", default_matrix()))
    with store.transaction() as tx:
        assert tx.risks() == []  # read (and cached) before the changes
        first, second, third = tx.insert_many("risks", [make_risk(f"R{i}") for i in (1, 2, 3)])
        changed = tx.update(
            "risks", second, tx.get("risks", second).model.model_copy(update={"owner": "Chair"})
        )
        tx.delete("risks", first)
        assert [(r.doc_id, r.model.owner) for r in tx.risks()] == [
            (second, "Chair"),
            (third, make_risk("R3").owner),
        ]
        assert tx.get("risks", second).model == changed
    on_disk = [(r.doc_id, r.model.owner) for r in store.snapshot().risks()]
    assert on_disk == [(second, "Chair"), (third, make_risk("R3").owner)]
    assert [e.action for e in store.history()][-5:] == ["add", "add", "add", "edit", "delete"]


def test_a_duplicate_ref_is_refused_however_the_transaction_came_by_it(tmp_path: Path) -> None:
    # The refs taken are read from the rows once per transaction and kept in step with its
    # adds, edits and deletes: each of these must still see the table as it is now.
    store = Store(tmp_path / "dup.json")
    store.create("P", populate=lambda tx: tx.insert("matrix", default_matrix()))
    with store.transaction() as tx:
        first = tx.insert("risks", make_risk("R1"))
        assert tx.find_id("risks", "ref", " r1 ") == first  # added in this transaction
        with pytest.raises(InvalidRecordError, match="already a risk 'r1'"):
            tx.insert("risks", make_risk("r1"))
        with pytest.raises(InvalidRecordError, match="already a risk 'R2'"):
            tx.insert_many("risks", [make_risk("R2"), make_risk("R2")])
        second = tx.insert("risks", make_risk("R2"))
        renamed = tx.get("risks", second).model.model_copy(update={"ref": "R1"})
        with pytest.raises(InvalidRecordError, match="already a risk 'R1'"):
            tx.update("risks", second, renamed)
        tx.delete("risks", first)
        assert tx.find_id("risks", "ref", "R1") is None
        tx.update("risks", second, renamed)  # R1 is free once its risk is gone
        assert tx.find_id("risks", "ref", "R2") is None
        assert tx.find_id("risks", "ref", "R1") == second
        tx.insert("risks", make_risk("R2"))
    assert sorted(r.model.ref for r in store.snapshot().risks()) == ["R1", "R2"]


# --- hostile files and folders ----------------------------------------------------------


def test_a_symlinked_database_is_locked_and_replaced_at_its_target(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    real = new_database(tmp_path / "data" / "real.json")
    links = tmp_path / "links"
    links.mkdir()
    link = links / "link.json"
    link.symlink_to(os.path.relpath(real, links))

    store = Store(link, user="alice")
    assert store.path == real
    add_risk(store, "R1")

    assert link.is_symlink() and link.resolve() == real
    assert [r.model.ref for r in Store(real).snapshot().risks()] == ["R1"]
    assert "R1" in {e.record for e in Store(real).history()}
    # Nothing of the database's (lock, audit, temp file) went beside the link.
    assert [p.name for p in links.iterdir()] == ["link.json"]


def waiting_in_this_process() -> bool:
    """True while a thread of this process is blocked in flock (/proc/locks)."""
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if len(fields) > 5 and fields[1] == "->" and fields[5] == str(os.getpid()):
            return True
    return False


def test_a_folder_replaced_while_the_lock_is_held_stops_the_holder_not_the_next(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    path = new_database(folder / "psr.json")
    waiter_failed: list[BaseException] = []

    def wait_and_add() -> None:
        try:
            add_risk(Store(path, user="bob"), "B1")
        except BaseException as exc:
            waiter_failed.append(exc)

    waiter = threading.Thread(target=wait_and_add)
    with (
        pytest.raises(NotSavedError, match=f"the folder {folder} was moved or replaced"),
        Store(path, user="alice").transaction() as tx,
    ):
        tx.insert("risks", make_risk("A1"))
        waiter.start()
        deadline = time.monotonic() + 30
        while not waiting_in_this_process():
            assert time.monotonic() < deadline and waiter.is_alive(), waiter_failed
            time.sleep(0.01)
        # The data folder moved aside and a copy put in its place (a restore, a migration).
        folder.rename(tmp_path / "moved")
        shutil.copytree(tmp_path / "moved", folder)
    waiter.join(30)

    assert waiter_failed == []
    # The holder's change went nowhere; the waiter took the lock of the folder now there.
    assert [r.model.ref for r in Store(path).snapshot().risks()] == ["B1"]
    assert Store(tmp_path / "moved" / "psr.json").snapshot().risks() == []
    assert "A1" not in {e.record for e in Store(path).history()}


def test_a_value_too_large_for_the_file_is_refused_and_nothing_is_written(store: Store) -> None:
    huge = 10**30
    matrix = default_matrix()
    matrix.scores[2][2] = huge
    matrix.bands[-1].max = huge
    before, log_before = store.path.read_bytes(), audit_path(store.path).read_bytes()
    with pytest.raises(InvalidRecordError), store.transaction() as tx:
        tx.update("matrix", tx.records("matrix")[0].doc_id, matrix)
    assert store.path.read_bytes() == before
    assert audit_path(store.path).read_bytes() == log_before
    assert temp_files(store.path) == []
