"""A register that is awkward to list: refs that sort wrongly as plain text, labels whose
matrix order is not alphabetical, overdue actions and overdue reviews at a pinned date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from psr_tui.models import Risk, RiskMatrix
from psr_tui.store import Store, Transaction

AS_AT = date(2016, 6, 1)
MATRIX = RiskMatrix(
    name="Awkward",
    # Low to high; alphabetically each runs the other way.
    likelihood=["Rare", "Possible", "Likely"],
    impact=["Negligible", "Moderate", "Catastrophic"],
    scores=[[1, 2, 4], [2, 4, 6], [3, 6, 9]],
    bands=[
        {"name": "Low", "max": 2, "colour": "green", "review_months": 6},
        {"name": "Medium", "max": 4, "colour": "amber", "review_months": 3},
        {"name": "High", "max": 9, "colour": "red", "review_months": 1},
    ],
)
# (ref, likelihood, impact, date identified, action date, status), stored in this order.
RISKS = [
    ("R10", "Likely", "Catastrophic", date(2016, 5, 15), date(2016, 7, 1), "open"),
    ("RISK-1", "Rare", "Negligible", date(2016, 1, 1), date(2016, 5, 1), "open"),
    ("r3", "Possible", "Moderate", date(2016, 1, 10), None, "open"),
    ("R2", "Likely", "Moderate", date(2016, 4, 1), date(2016, 5, 31), "open"),
    ("R2a", "Rare", "Catastrophic", date(2016, 5, 1), date(2016, 6, 1), "open"),
    ("R1", "Possible", "Negligible", date(2015, 1, 1), date(2016, 1, 1), "closed"),
]
# The register's order and each risk's (overdue, review overdue) as at AS_AT:
# RISK-1's action was due 1 May; R2's on 31 May and its monthly review on 1 May; r3's
# quarterly review on 10 Apr. R2a is due on the day itself (not late); R1 is closed.
ORDER = ["R1", "R2", "R2a", "r3", "R10", "RISK-1"]
FLAGS = {
    "R1": (False, False),
    "R2": (True, True),
    "R2a": (False, False),
    "r3": (False, True),
    "R10": (False, False),
    "RISK-1": (True, False),
}


def build(path: Path) -> Store:
    store = Store(path)

    def populate(tx: Transaction) -> None:
        tx.insert("matrix", MATRIX)
        for ref, likelihood, impact, identified, action, status in RISKS:
            tx.insert(
                "risks",
                Risk(
                    ref=ref,
                    description=f"Risk {ref}",
                    owner="Programme Manager",
                    likelihood=likelihood,
                    impact=impact,
                    date_identified=identified,
                    action_date=action,
                    status=status,
                ),
            )

    store.create("Awkward partnership", as_at=AS_AT, populate=populate)
    return store
