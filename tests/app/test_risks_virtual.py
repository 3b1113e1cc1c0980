"""The register's virtual table with 1,000 risks: filter, sort, cursor, literal text, width."""

from __future__ import annotations

from pathlib import Path

from psr_tui.app import PsrApp
from psr_tui.demo import load_matrix
from psr_tui.models import Risk
from psr_tui.screens.risk_detail import RiskDetailScreen
from psr_tui.store import Store
from psr_tui.widgets.risk_table import RiskTable

COUNT = 1_000
WORDS = ["funding", "capacity", "data", "estates", "workforce", "governance", "digital"]
OWNERS = ["Programme Manager", "Executive Group", "Finance lead"]
MARKUP = "[red]x[/red] a [/] b"
MARKUP_REF = "R500"


def _build(path: Path) -> dict[str, str]:
    """COUNT risks; returns each ref's owner."""
    store = Store(path)
    store.create("Big")
    matrix = load_matrix()
    owners = {}
    with store.transaction() as tx:
        tx.insert("matrix", matrix)
        for n in range(1, COUNT + 1):
            ref = f"R{n}"
            owners[ref] = OWNERS[(n * 7) % len(OWNERS)]
            tx.insert(
                "risks",
                Risk(
                    ref=ref,
                    description=MARKUP if ref == MARKUP_REF else f"Risk {n} {WORDS[n % 7]}",
                    owner=owners[ref],
                    likelihood=matrix.likelihood[n % 3],
                    impact=matrix.impact[(n // 3) % 3],
                ),
            )
    return owners


def _line(table: RiskTable, y: int) -> str:
    return table.render_line(y).text


async def test_thousand_risks_filter_sort_cursor_and_literal_text(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    owners = _build(path)
    in_ref_order = [f"R{n}" for n in range(1, COUNT + 1)]
    app = PsrApp(Store(path), watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        table = app.screen.query_one(RiskTable)
        assert table.refs == in_ref_order  # R2 before R10
        assert "Ref ▲" in _line(table, 0)

        await pilot.press("slash", *"data")
        await pilot.pause()
        data_refs = [f"R{n}" for n in range(1, COUNT + 1) if n % 7 == 2]
        assert table.refs == data_refs
        await pilot.press("enter")  # back to the table

        # Click the Owner heading: sorted by owner (ties keep ref order), again: reversed.
        owner_x = _line(table, 0).index("Owner")
        await pilot.click(RiskTable, offset=(owner_x, 0))
        await pilot.pause()
        assert table.refs == sorted(data_refs, key=lambda ref: owners[ref].lower())
        assert "Owner ▲" in _line(table, 0)
        await pilot.click(RiskTable, offset=(owner_x, 0))
        await pilot.pause()
        by_owner = sorted(data_refs, key=lambda ref: owners[ref].lower(), reverse=True)
        assert table.refs == by_owner
        assert "Owner ▼" in _line(table, 0)

        await pilot.press("end")
        assert table.current_ref == by_owner[-1]
        await pilot.press("home", "pagedown")
        page = table.cursor_row
        assert page > 1
        await pilot.press("j")
        ref = table.current_ref
        assert ref == by_owner[page + 1]

        # Another session moves the risk at the top below the cursor: the cursor follows
        # its risk to the row above.
        top = by_owner[0]
        with Store(path, user="vwillett").transaction() as tx:
            record = tx.risk(top)
            assert record is not None
            tx.update("risks", record.doc_id, record.model.model_copy(update={"owner": "Aaa"}))
        app.reload()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.refs[-1] == top
        assert table.current_ref == ref and table.cursor_row == page

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, RiskDetailScreen) and app.screen.ref == ref
        await pilot.press("escape")
        await pilot.pause()

        # Markup-looking text is drawn as typed.
        await pilot.press("x", "slash", *MARKUP_REF.lower(), "enter")
        await pilot.pause()
        assert table.refs == [MARKUP_REF]
        assert MARKUP in _line(table, 1)
        assert table.get_row(MARKUP_REF)[1].plain == MARKUP


async def test_narrow_terminal_scrolls_to_the_last_columns(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    _build(path)
    app = PsrApp(Store(path), watch=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        table = app.screen.query_one(RiskTable)
        assert "Status" not in _line(table, 0)
        for _ in range(80):
            await pilot.press("right")
        header, first = _line(table, 0), _line(table, 1)
        assert "Next review" in header and "Status" in header
        assert header.startswith(" Ref") and first.startswith(" R1 ")  # the ref stays put
        assert "open" in first
