"""The assessment's named changes, called as the screens call them, on a real file."""

from __future__ import annotations

import pytest

from psr_tui.changes import assessment as changes
from psr_tui.errors import InvalidRecordError
from psr_tui.models import Response, RoundStatus
from psr_tui.store import Store

ROUND = "Baseline, Feb 2016"


def _chief(store: Store) -> tuple[int, Response]:
    record = next(r for r in store.snapshot().responses(ROUND) if r.model.name == "Chief Executive")
    return record.doc_id, record.model


def test_a_new_round_from_an_earlier_one_has_its_people_and_no_scores(demo_store: Store) -> None:
    with demo_store.transaction() as tx:
        added = changes.copy_round(tx, ROUND, "Review, Aug 2016", demo_store.snapshot().as_at)
    snap = demo_store.snapshot()
    people = snap.responses("Review, Aug 2016")
    assert added.model.status == RoundStatus.OPEN
    assert len(people) == 10 and all(r.model.scores == {} for r in people)
    assert {r.model.name for r in people} == {r.model.name for r in snap.responses(ROUND)}


def test_a_respondent_cannot_take_the_identity_of_another(demo_store: Store) -> None:
    doc_id, chief = _chief(demo_store)
    other = next(r.model for r in demo_store.snapshot().responses(ROUND) if r.doc_id != doc_id)
    with pytest.raises(InvalidRecordError, match="is already in"), demo_store.transaction() as tx:
        changes.edit_respondent(
            tx, doc_id, chief, other.name.upper(), other.organisation, "Executive"
        )


def test_a_score_on_a_round_closed_meanwhile_is_refused(demo_store: Store) -> None:
    doc_id, chief = _chief(demo_store)
    with Store(demo_store.path, user="vwillett").transaction() as tx:
        record = tx.round(ROUND)
        assert record is not None
        changes.set_round_status(tx, record.doc_id, record.model, RoundStatus.CLOSED)
    before = demo_store.path.read_bytes()
    with pytest.raises(InvalidRecordError, match="closed"), demo_store.transaction() as tx:
        changes.set_score(tx, doc_id, chief, "leadership", 4)
    assert demo_store.path.read_bytes() == before


def test_deleting_a_round_refuses_when_a_response_went_meanwhile(demo_store: Store) -> None:
    snap = demo_store.snapshot()
    round_record = snap.round(ROUND)
    assert round_record is not None
    confirmed = [r.doc_id for r in snap.responses(ROUND)]
    with Store(demo_store.path, user="vwillett").transaction() as tx:
        tx.delete("responses", confirmed[0])
    with pytest.raises(InvalidRecordError, match="removed 1"), demo_store.transaction() as tx:
        changes.delete_round(tx, round_record.doc_id, round_record.model, confirmed)
    assert len(demo_store.snapshot().responses(ROUND)) == 9
