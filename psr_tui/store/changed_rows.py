"""The file read again in another process, so that only the rows that changed cross over.

At 10,000 risks, parsing the 3.9 MB file (orjson holds the GIL 20-40 ms) and comparing
every row with the last read (~35 ms) in the app's own process stalled every key typed
meanwhile: each colleague's save cost the keys ~60 ms of the one interpreter lock. A child
process (`python -m psr_tui.store.changed_rows`, started when first needed, ending when
its input closes) does both instead: it is handed the data the app holds (serialised by
orjson, a few ms that mostly leave the GIL free; or, when it is what the child last
answered, just its digest) and the file's path, reads the file with
the store's own parser, and answers with what differs: the rows changed or added, the rows
gone, a changed order, the tables added or gone. The app applies that to its data and
checks the result is the file, exactly: the digest of its serialisation against the
child's digest of the file as parsed (the same bytes only for the same tables, rows,
values and order). On any failure or mismatch the caller reads the file itself.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

import orjson

from psr_tui.errors import StoreError
from psr_tui.own_python import module_command
from psr_tui.store import files

Data = dict[str, dict[str, Any]]
LENGTH_BYTES = 8
# A request's data given as the digest of the child's last answer, not in full.
HELD = b"held:"


def digest(canonical: bytes) -> str:
    return hashlib.blake2b(canonical, digest_size=20).hexdigest()


def _patched_order(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The order `apply` leaves keys in: the kept ones where they were, new ones after."""
    return [key for key in before if key in after] + [key for key in after if key not in before]


def difference(before: Data, after: Data) -> dict[str, Any]:
    """What turns `before` into `after` (both as parsed from the file), for `apply`."""
    tables: dict[str, Any] = {}
    for name, rows in after.items():
        earlier = before.get(name)
        if earlier is None:
            tables[name] = {"rows": rows, "gone": [], "order": None}
            continue
        changed = {key: row for key, row in rows.items() if earlier.get(key) != row}
        gone = [key for key in earlier if key not in rows]
        order: list[str] | None = list(rows)
        if order == _patched_order(earlier, rows):
            order = None
        if changed or gone or order is not None:
            tables[name] = {"rows": changed, "gone": gone, "order": order}
    table_order: list[str] | None = list(after)
    if table_order == _patched_order(before, after):
        table_order = None
    return {
        "tables": tables,
        "removed": [name for name in before if name not in after],
        "order": table_order,
    }


def apply(before: Data, change: dict[str, Any]) -> Data:
    """`before` with `change` (`difference`) applied: new table dicts, the unchanged rows
    the very objects of `before` (so the store's reuse of validated rows is a check of
    identity, not a comparison)."""
    removed = set(change["removed"])
    after = {name: dict(rows) for name, rows in before.items() if name not in removed}
    for name, table in change["tables"].items():
        rows = after.setdefault(name, {})
        for key in table["gone"]:
            del rows[key]
        rows.update(table["rows"])
        if table["order"] is not None:
            after[name] = {key: rows[key] for key in table["order"]}
    if change["order"] is not None:
        after = {name: after[name] for name in change["order"]}
    return after


class Answerer:
    """The child's side: it keeps the data of its last answer (what the app holds once it
    takes it), so the next request names that by its digest instead of sending it."""

    def __init__(self) -> None:
        self._held: tuple[str, Data] | None = None

    def answer(self, path: Path, base: bytes) -> dict[str, Any]:
        """The difference between the app's data `base` (its serialisation, or `HELD` and
        the digest of the data of the last answer) and the file at `path`."""
        if base.startswith(HELD):
            if self._held is None or self._held[0] != base[len(HELD) :].decode():
                return {"error": "the data named is not the last answered"}
            before = self._held[1]
        else:
            before = orjson.loads(base)
        self._held = None
        try:
            now = files.read_file(path)
        except StoreError as exc:
            return {"error": str(exc)}
        found = digest(orjson.dumps(now))
        self._held = (found, now)
        return {"change": difference(before, now), "digest": found}


def _write_frame(stream: IO[bytes], payload: bytes) -> None:
    stream.write(len(payload).to_bytes(LENGTH_BYTES, "big"))
    stream.write(payload)
    stream.flush()


def _read_frame(stream: IO[bytes]) -> bytes | None:
    """One message, or None when the other side has gone."""
    head = stream.read(LENGTH_BYTES)
    if len(head) < LENGTH_BYTES:
        return None
    size = int.from_bytes(head, "big")
    payload = stream.read(size)
    return payload if len(payload) == size else None


def serve(requests: IO[bytes], replies: IO[bytes]) -> None:
    """The child's loop: a path and the app's data in, the difference out, until the app
    closes its end."""
    # Parsed JSON has no cycles: collecting would only walk it.
    gc.disable()
    answerer = Answerer()
    while (path := _read_frame(requests)) is not None:
        base = _read_frame(requests)
        if base is None:
            return
        _write_frame(replies, orjson.dumps(answerer.answer(Path(path.decode()), base)))


class ChildReader:
    """The child process one store reads through; thread-safe, started when first asked."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._child: subprocess.Popen[bytes] | None = None
        # The digest of the data the child holds from its last answer.
        self._held: str | None = None

    def read(self, path: Path, base: Data, canonical: bytes) -> tuple[Data, bytes] | None:
        """The file at `path` as `base` (whose orjson serialisation is `canonical`) with
        the child's difference applied, and its serialisation; None when the child could
        not say (the file is unreadable or corrupt, or the child failed): the caller reads
        the file itself, and its own read says what is wrong."""
        base_digest = digest(canonical)
        with self._lock:
            held, self._held = self._held, None
            try:
                child = self._started()
                assert child.stdin is not None and child.stdout is not None
                _write_frame(child.stdin, str(path).encode())
                if held == base_digest:
                    _write_frame(child.stdin, HELD + base_digest.encode())
                else:
                    _write_frame(child.stdin, canonical)
                reply = _read_frame(child.stdout)
            except OSError:
                reply = None
            if reply is None:
                self._stop()
                return None
            found = orjson.loads(reply)
            if "error" in found:
                return None
            self._held = found["digest"]
        data = apply(base, found["change"])
        now = orjson.dumps(data)
        if digest(now) != found["digest"]:
            return None
        return data, now

    def _started(self) -> subprocess.Popen[bytes]:
        if self._child is None or self._child.poll() is not None:
            self._child = subprocess.Popen(
                module_command(__name__),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                # Never onto the terminal the app draws on.
                stderr=subprocess.DEVNULL,
            )
        return self._child

    def _stop(self) -> None:
        child, self._child = self._child, None
        self._held = None
        if child is None:
            return
        with contextlib.suppress(OSError):
            child.kill()
        child.wait()
        for stream in (child.stdin, child.stdout):
            if stream is not None:
                stream.close()

    def close(self) -> None:
        with self._lock:
            self._stop()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
