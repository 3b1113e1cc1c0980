"""The store's storage claims with real, separate processes sharing one file."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

from psr_tui.store import Store
from tests.conftest import PSR
from tests.helpers.store_worker import make_risk, new_database

WORKER = Path(__file__).parents[1] / "helpers" / "store_worker.py"
TIMEOUT = 60.0

pytestmark = pytest.mark.slow


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return new_database(tmp_path / "psr.json")


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[str]]]:
    """Every worker started in a test; any still running at the end is killed."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.wait(TIMEOUT)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def start(
    workers: list[subprocess.Popen[str]], user: str, *args: str | Path
) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), *map(str, args)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PSR_USER": user},
    )
    workers.append(proc)
    return proc


def read_line(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        assert proc.stderr is not None
        pytest.fail(f"worker exited ({proc.wait(TIMEOUT)}): {proc.stderr.read()}")
    return line.strip()


def say(proc: subprocess.Popen[str], line: str) -> None:
    stdin: IO[str] | None = proc.stdin
    assert stdin is not None
    stdin.write(line + "\n")
    stdin.flush()


def temp_files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f".{path.name}.*.tmp"))


def test_concurrent_writers_lose_nothing_and_readers_never_see_a_torn_file(
    path: Path, workers: list[subprocess.Popen[str]]
) -> None:
    procs = [start(workers, f"user{n}", "insert", path, f"P{n}", 100) for n in range(4)]
    for proc in procs:
        assert read_line(proc) == "ready"
    for proc in procs:
        say(proc, "go")

    parses, sizes = 0, set()
    deadline = time.monotonic() + TIMEOUT
    while any(proc.poll() is None for proc in procs):
        assert time.monotonic() < deadline, "writers did not finish"
        data = json.loads(path.read_bytes())  # raises on a half-written file
        sizes.add(len(data.get("risks", {})))
        parses += 1
    for proc in procs:
        assert proc.wait(TIMEOUT) == 0, proc.stderr.read() if proc.stderr else ""

    # The reader really ran alongside the writers, seeing many intermediate states.
    assert parses > 20 and len(sizes) > 10

    snap = Store(path).snapshot()
    risks = snap.risks()
    assert sorted(r.model.ref for r in risks) == sorted(
        f"P{n}-{i}" for n in range(4) for i in range(100)
    )
    assert sorted(r.doc_id for r in risks) == list(range(1, 401))  # no id handed out twice
    assert {r.model.updated_by for r in risks} == {"user0", "user1", "user2", "user3"}
    assert all(r.model.rev == 1 for r in risks)

    adds = [e for e in Store(path).history() if e.action == "add" and e.table == "risks"]
    assert len(adds) == 400
    # The writers took turns: a writer saving in a loop must not keep the lock to itself.
    turns = sum(1 for a, b in itertools.pairwise(adds) if a.user != b.user)
    assert turns > 200, f"only {turns} hand-overs between writers in 400 writes"
    assert {(e.user, e.record) for e in adds} == {
        (f"user{n}", f"P{n}-{i}") for n in range(4) for i in range(100)
    }
    assert temp_files(path) == []


def test_a_killed_writer_loses_no_acknowledged_write(
    path: Path, workers: list[subprocess.Popen[str]]
) -> None:
    acked: set[str] = set()
    for round_, kill_after in enumerate((7, 19, 31)):
        proc = start(workers, "killed", "ack", path, f"K{round_}")
        for n in range(kill_after):
            assert read_line(proc) == f"ack {n}"
            acked.add(f"K{round_}-{n}")
        os.kill(proc.pid, signal.SIGKILL)  # somewhere inside a later transaction
        assert proc.wait(TIMEOUT) == -signal.SIGKILL
        assert proc.stdout is not None
        # Acks printed before the kill but not read yet were acknowledged too.
        last = kill_after - 1
        for line in proc.stdout.read().split():
            if line.isdecimal():
                last = int(line)
                acked.add(f"K{round_}-{last}")

        json.loads(path.read_bytes())  # still whole
        refs = {r.model.ref for r in Store(path).snapshot().risks()}
        assert acked <= refs
        assert refs - acked <= {f"K{round_}-{last + 1}"}  # at most the one being written

    # A writer that died between mkstemp and rename leaves a temp file; so do we.
    stray = path.with_name(f".{path.name}.deadbeef.tmp")
    stray.write_bytes(b'{"meta": {"1": {"schema_version": 1}}, "risks": {"1": {"ref": "X"')

    after = start(workers, "next", "insert", path, "N", 5)
    assert read_line(after) == "ready"
    say(after, "go")
    assert after.wait(TIMEOUT) == 0, after.stderr.read() if after.stderr else ""

    refs = {r.model.ref for r in Store(path).snapshot().risks()}
    assert acked | {f"N-{i}" for i in range(5)} <= refs
    assert temp_files(path) == []
    history = Store(path).history()
    assert {e.record for e in history if e.user == "next"} == {f"N-{i}" for i in range(5)}
    assert acked <= {e.record for e in history if e.action == "add"}


def test_two_sessions_saving_the_same_record_one_wins_one_is_told(
    path: Path, workers: list[subprocess.Popen[str]]
) -> None:
    with Store(path, user="setup").transaction() as tx:
        doc_id = tx.insert("risks", make_risk("R3"))

    alice = start(workers, "alice", "race", path, doc_id, "Alice")
    bob = start(workers, "bob", "race", path, doc_id, "Bob")
    assert read_line(alice) == read_line(bob) == "read rev 1"
    say(alice, "go")
    say(bob, "go")
    results = {"alice": read_line(alice), "bob": read_line(bob)}
    assert alice.wait(TIMEOUT) == 0 and bob.wait(TIMEOUT) == 0

    winners = [user for user, result in results.items() if result == "saved"]
    assert len(winners) == 1, results
    (winner,) = winners
    (loser,) = set(results) - {winner}
    assert results[loser].startswith(f"conflict: R3 was changed by {winner} at ")

    record = Store(path).snapshot().get("risks", doc_id).model
    assert (record.rev, record.updated_by, record.owner) == (2, winner, winner.title())
    edits = [e for e in Store(path).history() if e.action == "edit"]
    assert [(e.user, e.record) for e in edits] == [(winner, "R3")]


# --- the lock cannot be lost ------------------------------------------------------------


def psr_add_risk(
    workers: list[subprocess.Popen[str]], path: Path, ref: str
) -> subprocess.Popen[str]:
    """Another officer's `psr risk add`, started and left running."""
    proc = subprocess.Popen(
        [
            *(str(PSR), "risk", "add", "--db", str(path), "--ref", ref),
            *("--description", f"Risk {ref}", "--likelihood", "Low", "--impact", "Critical"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PSR_USER": f"writer-{ref}"},
    )
    workers.append(proc)
    return proc


def waiting_for_a_lock(pid: int) -> bool:
    """True while process `pid` is blocked in flock (a '->' line of /proc/locks)."""
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if len(fields) > 5 and fields[1] == "->" and fields[5] == str(pid):
            return True
    return False


def wait_until_it_waits(proc: subprocess.Popen[str]) -> None:
    """Return once `proc` waits for the lock; fail if it finishes first (it got in)."""
    deadline = time.monotonic() + TIMEOUT
    while not waiting_for_a_lock(proc.pid):
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"a second writer got in while the lock was held: {out}{err}")
        assert time.monotonic() < deadline, "the second writer neither waited nor finished"
        time.sleep(0.01)


def lock_files(path: Path) -> list[Path]:
    """Whatever lock files sit beside the database."""
    return sorted(path.parent.glob(f"{path.name}*.lock"))


def attack(path: Path, how: str) -> None:
    """What a tidy colleague or a sync tool does to the files beside the database."""
    found = lock_files(path)
    assert found
    for lock in found:
        if how == "delete":
            lock.unlink()
        else:
            fresh = lock.with_name(lock.name + ".new")
            fresh.write_bytes(b"")
            os.replace(fresh, lock)


@pytest.mark.parametrize("how", ["delete", "replace"])
def test_deleting_or_replacing_the_lock_files_lets_no_second_writer_in(
    path: Path, workers: list[subprocess.Popen[str]], how: str
) -> None:
    holder = start(workers, "alice", "hold", path, "A1")
    assert read_line(holder) == "holding"
    attack(path, how)
    first = psr_add_risk(workers, path, "B1")
    wait_until_it_waits(first)
    attack(path, how)  # again, with one writer already waiting behind the lock
    second = psr_add_risk(workers, path, "B2")
    wait_until_it_waits(second)

    say(holder, "commit")
    assert read_line(holder) == "saved"
    for proc in (first, second):
        out, err = proc.communicate(timeout=TIMEOUT)
        assert (proc.returncode, err) == (0, ""), out
    # Every change landed once: none overwritten by a writer that read before it.
    assert sorted(r.model.ref for r in Store(path).snapshot().risks()) == ["A1", "B1", "B2"]
    adds = [e.record for e in Store(path).history() if e.action == "add" and e.table == "risks"]
    assert sorted(adds) == ["A1", "B1", "B2"]
    assert temp_files(path) == []


def test_a_lock_file_replaced_by_a_symlink_is_not_followed(
    path: Path, workers: list[subprocess.Popen[str]]
) -> None:
    decoy = path.with_name("someone-elses-file")
    decoy.write_text("not a lock\n")
    holder = start(workers, "alice", "hold", path, "A1")
    assert read_line(holder) == "holding"
    for lock in lock_files(path):
        lock.unlink()
        lock.symlink_to(decoy)

    intruder = psr_add_risk(workers, path, "B1")
    out, err = intruder.communicate(timeout=TIMEOUT)
    assert intruder.returncode == 1, out
    assert len(err.splitlines()) == 1 and "symbolic link" in err, err
    assert decoy.read_text() == "not a lock\n"

    say(holder, "commit")
    assert read_line(holder) == "saved"
    assert [r.model.ref for r in Store(path).snapshot().risks()] == ["A1"]
