"""The real `psr` in a pseudo-terminal: a whole key sequence written in one write (a burst
over SSH, a paste), then the values read back from the file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from psr_tui.store import Store
from tests.helpers.terminal import CTRL_S, ENTER, TAB, Terminal, bracketed_paste

ROUND = "Baseline, Feb 2016"
DOWN = b"\x1b[B"
# On Home once the file is read (before that Home says "Opening ...").
LOADED = "complete ("


def _typed(demo_path: Path, keys: bytes) -> None:
    with Terminal(demo_path, columns=120, rows=36) as terminal:
        terminal.wait_for(LOADED)
        terminal.send(keys)
        # `q` (quit) is the last key of every sequence: psr ends once all before it applied.
        assert terminal.wait_for_exit(timeout=60) == 0


def test_scoring_digits_in_one_write_are_stored_in_order(demo_path: Path) -> None:
    _typed(demo_path, b"a" + ENTER + ENTER + b"12345123" + b"q")
    snapshot = Store(demo_path).snapshot()
    chief = next(r.model for r in snapshot.responses(ROUND) if r.model.name == "Chief Executive")
    round_record = snapshot.round(ROUND)
    assert round_record is not None
    framework = snapshot.framework(round_record.model.framework)
    assert framework is not None
    assert [chief.scores.get(d.key) for d in framework.domains] == [1, 2, 3, 4, 5, 1, 2, 3]


def test_the_risk_form_in_one_write(demo_path: Path) -> None:
    fields = [
        b"R10",
        b"Burst description",
        b"Finance",
        b"2016-03-01",
        b"Weekly checks",
        ENTER + DOWN + ENTER,  # likelihood: Medium
        ENTER + DOWN + DOWN + ENTER,  # impact: Critical
        b"",  # inherent likelihood and impact: none
        b"",
        b"Recruit",
        b"Head of Finance",
        b"2016-05-20",
    ]
    _typed(demo_path, b"ra" + TAB.join(fields) + CTRL_S + b"q")
    record = Store(demo_path).snapshot().risk("R10")
    assert record is not None
    risk = record.model
    assert (risk.description, risk.category, risk.controls) == (
        "Burst description",
        "Finance",
        "Weekly checks",
    )
    assert (risk.date_identified, risk.action_date) == (date(2016, 3, 1), date(2016, 5, 20))
    assert (risk.likelihood, risk.impact) == ("Medium", "Critical")
    assert (risk.actions, risk.owner) == ("Recruit", "Head of Finance")


def test_a_paste_into_the_risk_form_in_one_write(demo_path: Path) -> None:
    keys = b"ra" + bracketed_paste("R11") + TAB + bracketed_paste("Pasted text") + CTRL_S + b"q"
    _typed(demo_path, keys)
    record = Store(demo_path).snapshot().risk("R11")
    assert record is not None
    assert record.model.description == "Pasted text"
