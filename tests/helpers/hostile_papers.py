"""The demo plus long and hostile text, for the papers: a 200-character unbroken word, markup,
control characters and 300 risks (one of them long enough to run over a page), in every body
of data a paper prints."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from psr_tui.demo import build_demo
from psr_tui.models import Activity, Response, Review, Risk
from psr_tui.store import Store, Transaction

WORD = "Unbrokenword" * 16 + "Tail0123"  # 200 characters, no break
MARKUP = '<img src="file:///etc/hostname"> <b>bold</b> [red]x[/] {{ 7*7 }} &amp;'
CONTROL = "bell\x07 escape\x1b[31m red delete\x7f c1\x9b end"
LONG = (
    "Risk of the partnership not securing the capacity, funding and data it needs "
    "for the locality work, set out at length by an officer who writes a lot. "
) * 28
RISKS = 300
ROUND = "Baseline, Feb 2016"
LEVELS = ["Low", "Medium", "High"]
IMPACTS = ["Noticeable", "Significant", "Critical"]


def add_hostile(tx: Transaction) -> None:
    """Hostile texts in risks, responses and the programme; 300 risks in all."""
    matrix = tx.matrix()
    assert matrix is not None
    tx.insert(
        "risks",
        Risk(
            ref="H1" + WORD[:40],
            description=f"{WORD} {MARKUP}",
            category=WORD,
            controls=CONTROL,
            likelihood="High",
            impact="Critical",
            inherent_likelihood="High",
            inherent_impact="Critical",
            actions=MARKUP,
            owner=WORD,
            action_date=date(2016, 1, 5),
            date_identified=date(2015, 8, 1),
        ),
    )
    tx.insert(
        "risks",
        Risk(
            ref="H2",
            description=LONG,
            controls=LONG[:1500],
            actions=CONTROL + " " + MARKUP,
            likelihood="Medium",
            impact="Significant",
            owner="Programme Manager",
            date_identified=date(2016, 2, 1),
        ),
    )
    for n in range(RISKS - 10):
        likelihood, impact = LEVELS[n % 3], IMPACTS[(n // 3) % 3]
        reviews = []
        if n % 4 == 0:
            earlier = LEVELS[(n + 1) % 3]
            reviews.append(
                Review(
                    date=date(2016, 1, 10),
                    likelihood=earlier,
                    impact=impact,
                    score=matrix.score(earlier, impact),
                    note="Reviewed" + (f" {MARKUP}" if n % 40 == 0 else ""),
                    by="Programme Office",
                )
            )
        tx.insert(
            "risks",
            Risk(
                ref=f"X{n + 1}",
                description=f"Generated risk {n + 1}: capacity and funding for the locality "
                "work across the partners" + (f" {WORD}" if n % 50 == 0 else ""),
                category=LEVELS[n % 3],
                controls="Monitored by the Implementation Group.",
                likelihood=likelihood,
                impact=impact,
                actions="Reported to the Executive each quarter.",
                owner="Programme Manager",
                action_date=date(2016, 1 + n % 12, 1),
                date_identified=date(2015, 1 + n % 12, 1),
                status="closed" if n % 9 == 8 else "open",
                reviews=reviews,
            ),
        )
    tx.insert(
        "responses",
        Response(
            round=ROUND,
            name=f"{WORD} {CONTROL}",
            organisation=f"{MARKUP} {WORD}",
            group="Executive",
            scores={"leadership": 3},
        ),
    )
    theme = tx.themes()[0].model.name
    phase = tx.phases()[0].model.name
    tx.insert(
        "activities",
        Activity(
            theme=theme,
            phase=phase,
            title=f"{WORD} {MARKUP} {CONTROL}",
            lead=WORD,
            due=date(2015, 12, 1),
        ),
    )


def build(path: Path) -> Store:
    store = Store(path, user="tester")
    build_demo(store)
    with store.transaction() as tx:
        add_hostile(tx)
    return store
