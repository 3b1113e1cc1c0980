"""The one merge every edit goes through: what this session changed, onto the latest record."""

from __future__ import annotations

from pathlib import Path

import pytest

from psr_tui.models import Framework, Response, Round
from psr_tui.store import ConflictError, Store, field_changes
from tests.helpers.store_worker import make_risk, new_database

FRAMEWORK = Framework(
    name="Tiny",
    levels=["One", "Two", "Three"],
    domains=[
        {"name": "Leadership", "descriptors": ["a", "b", "c"]},
        {"name": "Governance", "descriptors": ["a", "b", "c"]},
    ],
)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(new_database(tmp_path / "psr.json"), user="alice")


def _add_risk(store: Store) -> int:
    with store.transaction() as tx:
        return tx.insert("risks", make_risk("R1"))


def test_field_changes_names_each_field_and_each_mapping_key() -> None:
    base = Response(round="B", name="Ann", group="Executive", scores={"leadership": 2})
    edited = base.model_copy(
        update={"scores": {"leadership": 3, "governance": 1}, "organisation": "Council"}
    )
    assert field_changes(base, edited) == {
        ("scores", "leadership"): (2, 3),
        ("scores", "governance"): (None, 1),
        ("organisation",): ("", "Council"),
    }


def test_other_fields_changed_meanwhile_are_kept(store: Store) -> None:
    doc_id = _add_risk(store)
    read = store.snapshot().get("risks", doc_id).model
    with Store(store.path, user="bob").transaction() as tx:
        tx.update("risks", doc_id, read.model_copy(update={"owner": "Bob"}))
    with store.transaction() as tx:
        saved = tx.merge("risks", doc_id, read, read.model_copy(update={"likelihood": "High"}))
    assert (saved.owner, saved.likelihood, saved.rev) == ("Bob", "High", 3)


def test_the_same_field_changed_to_different_values_is_a_clash(store: Store) -> None:
    doc_id = _add_risk(store)
    read = store.snapshot().get("risks", doc_id).model
    with Store(store.path, user="bob").transaction() as tx:
        tx.update("risks", doc_id, read.model_copy(update={"likelihood": "Low"}))
    mine = read.model_copy(update={"likelihood": "High", "owner": "Alice"})
    with pytest.raises(ConflictError) as caught, store.transaction() as tx:
        tx.merge("risks", doc_id, read, mine)
    assert caught.value.by == "bob"
    assert [(c.path, c.base, c.theirs, c.mine) for c in caught.value.clashes] == [
        (("likelihood",), "Medium", "Low", "High")
    ]
    assert store.snapshot().get("risks", doc_id).model.owner == read.owner  # nothing written
    with store.transaction() as tx:
        saved = tx.merge("risks", doc_id, read, mine, overwrite=True)
    assert (saved.likelihood, saved.owner) == ("High", "Alice")


def test_the_same_value_on_both_sides_is_no_clash_and_no_write(store: Store) -> None:
    doc_id = _add_risk(store)
    read = store.snapshot().get("risks", doc_id).model
    mine = read.model_copy(update={"likelihood": "High"})
    with Store(store.path, user="bob").transaction() as tx:
        tx.update("risks", doc_id, mine)
    with store.transaction() as tx:
        saved = tx.merge("risks", doc_id, read, mine)
        assert tx.audit == []
    assert saved.rev == 2


def test_two_officers_scoring_different_domains_keep_both(store: Store) -> None:
    with store.transaction() as tx:
        tx.insert("frameworks", FRAMEWORK)
        tx.insert("rounds", Round(name="B", date="2016-02-16", framework="Tiny"))
        doc_id = tx.insert("responses", Response(round="B", name="Ann", group="Executive"))
    read = store.snapshot().get("responses", doc_id).model
    alice = read.model_copy(update={"scores": {"governance": 2}})
    bob = read.model_copy(update={"scores": {"leadership": 3}})
    with Store(store.path, user="bob").transaction() as tx:
        tx.merge("responses", doc_id, read, bob)
    with store.transaction() as tx:
        tx.merge("responses", doc_id, read, alice)
    assert store.snapshot().get("responses", doc_id).model.scores == {
        "leadership": 3,
        "governance": 2,
    }
