"""A separate writer process for the store's multi-process tests.

Run as a script with the real `psr_tui` package:

    python store_worker.py insert DB PREFIX COUNT   one transaction per inserted risk
    python store_worker.py ack DB PREFIX            insert forever, printing "ack N" after each
    python store_worker.py race DB DOC_ID OWNER     read a risk, wait for a line on stdin, then
                                                    update it with the rev it read
    python store_worker.py hold DB REF              insert a risk, print "holding" with the
                                                    transaction open, commit on a line on stdin

`insert` and `race` print "ready" and wait for a line on stdin before writing, so that the
test can start several workers at once.
"""

from __future__ import annotations

import sys
from pathlib import Path

from psr_tui.models import Band, Risk, RiskMatrix
from psr_tui.store import ConflictError, Store


def default_matrix() -> RiskMatrix:
    """The seed's 3x3 matrix."""
    return RiskMatrix(
        name="Chorley 3x3",
        likelihood=["Low", "Medium", "High"],
        impact=["Noticeable", "Significant", "Critical"],
        scores=[[1, 3, 6], [2, 5, 8], [4, 7, 9]],
        bands=[
            Band(name="Low", max=3, colour="green"),
            Band(name="Medium", max=6, colour="amber"),
            Band(name="High", max=9, colour="red"),
        ],
    )


def new_database(path: Path) -> Path:
    """An empty partnership file holding the default matrix, as the store tests start from."""
    Store(path, user="setup").create(
        "Chorley Public Service Reform Partnership",
        populate=lambda tx: tx.insert("matrix", default_matrix()),
    )
    return path


def make_risk(ref: str, likelihood: str = "Medium", impact: str = "Significant") -> Risk:
    """A risk shaped like R3 of the seed register."""
    return Risk(
        ref=ref,
        description=(
            "Risk of not having funding support, resource, and capacity to manage all "
            "elements of the work programme"
        ),
        category="Finance",
        controls=(
            "All full partners have committed in principle to a financial contribution of "
            "up to £20,000 and contributions in kind as required."
        ),
        likelihood=likelihood,
        impact=impact,
        actions=(
            "Requests to fund specific activities and resources to be considered on a case "
            "by case basis by the Executive. TCA funding has also been confirmed."
        ),
        owner="Programme Manager",
    )


def _wait_for_go() -> None:
    print("ready", flush=True)
    sys.stdin.readline()


def insert(store: Store, prefix: str, count: int) -> None:
    _wait_for_go()
    for n in range(count):
        with store.transaction() as tx:
            tx.insert("risks", make_risk(f"{prefix}-{n}"))


def ack(store: Store, prefix: str) -> None:
    n = 0
    while True:
        with store.transaction() as tx:
            tx.insert("risks", make_risk(f"{prefix}-{n}"))
        print(f"ack {n}", flush=True)
        n += 1


def hold(store: Store, ref: str) -> None:
    with store.transaction() as tx:
        tx.insert("risks", make_risk(ref))
        print("holding", flush=True)
        sys.stdin.readline()
    print("saved", flush=True)


def race(store: Store, doc_id: int, owner: str) -> None:
    record = store.snapshot().get("risks", doc_id)
    print(f"read rev {record.model.rev}", flush=True)
    sys.stdin.readline()
    changed = record.model.model_copy(update={"owner": owner})
    try:
        with store.transaction() as tx:
            tx.update("risks", doc_id, changed, expected_rev=record.model.rev)
    except ConflictError as exc:
        print(f"conflict: {exc}", flush=True)
    else:
        print("saved", flush=True)


def main(argv: list[str]) -> int:
    command, path, *rest = argv
    store = Store(Path(path))
    if command == "insert":
        insert(store, rest[0], int(rest[1]))
    elif command == "ack":
        ack(store, rest[0])
    elif command == "hold":
        hold(store, rest[0])
    elif command == "race":
        race(store, int(rest[0]), rest[1])
    else:
        print(f"unknown command {command!r}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
