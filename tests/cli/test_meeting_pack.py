"""The pack for a meeting and its minutes, made by the real `psr export` and read back from
the PDF: the cover's page range of each agenda item is where its section really starts and
ends, the matters arising list the previous meeting's open actions, what changed since the
last meeting is printed, hostile text stays on the page as typed."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pdfplumber

from psr_tui import meetings
from psr_tui.changes import meetings as meeting_changes
from psr_tui.changes.risks import close_risk, review_risk
from psr_tui.formatting import format_date
from psr_tui.models import MeetingActionStatus, Paper, PaperKind, Section
from psr_tui.store import Store
from tests.app.test_incomplete_rounds import half_scored_round
from tests.conftest import run_psr
from tests.helpers.audit import backdate_audit
from tests.helpers.store_worker import make_risk, new_database

RANGE = re.compile(r"\(Pages (\d+) - (\d+)\)")


def _pages(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [" ".join((page.extract_text() or "").split()) for page in pdf.pages]


def _agenda(cover: str) -> dict[int, tuple[str, tuple[int, int] | None]]:
    """Each agenda item as the cover prints it: its number, the text up to the next item,
    and its page range if it has one."""
    agenda = cover.split("Agenda", 1)[1]
    found: dict[int, tuple[str, tuple[int, int] | None]] = {}
    # Items are numbered 1, 2, ... in order: cut the agenda at each number in turn.
    number, rest = 1, agenda
    while (start := re.search(rf"(?:^| ){number} ", rest)) is not None:
        text = rest[start.end() :]
        after = re.search(rf" {number + 1} ", text)
        own = text[: after.start()] if after else text
        pages = RANGE.search(own)
        found[number] = (own, (int(pages[1]), int(pages[2])) if pages else None)
        rest, number = text, number + 1
    return found


def _sections_start_where_the_cover_says(pages: list[str], headings: dict[int, str]) -> None:
    """Each item with pages: its heading opens its first page and is on no page before, and
    its range ends where the next item's starts (or on the last page)."""
    ranges = {n: pages_ for n, (_, pages_) in _agenda(pages[0]).items() if pages_}
    assert sorted(ranges) == sorted(headings)
    order = sorted(ranges, key=lambda n: ranges[n])
    for position, number in enumerate(order):
        first, last = ranges[number]
        heading = " ".join(f"{number}. {headings[number]}".split())[:60]
        assert heading in pages[first - 1], (number, first, pages[first - 1][:300])
        assert not any(heading in page for page in pages[: first - 1]), number
        following = order[position + 1] if position + 1 < len(order) else None
        assert last == (ranges[following][0] - 1 if following else len(pages)), number


def test_the_pack_for_16_february_follows_seed_001(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack.pdf"
    result = run_psr("export", "pack", "--meeting", "16/02/2016", "-o", out, "--db", demo_path)
    assert result.returncode == 0, result.stderr
    pages = _pages(out)
    cover = pages[0]
    assert "You are invited to attend a meeting of the Executive" in cover
    assert "Committee Room 1, Town Hall, Chorley on Tuesday 16 February 2016 at 16:00" in cover
    agenda = _agenda(cover)
    assert len(agenda) == 10
    # The minutes, the programme update, the place-based paper, the self-assessment and,
    # below the line, the risk register have pages; the welcome, the oral updates, AOB
    # and the date of the next meeting do not.
    with_pages = [n for n, (_, pages_) in agenda.items() if pages_]
    assert with_pages == [2, 4, 5, 7, 10]
    assert "Oral update" in agenda[3][0] and "Oral update" in agenda[6][0]
    assert "Next meetings planned: 15 March 2016 at 16:00 and 19 April 2016" in agenda[9][0]
    assert cover.index("Below the line") < cover.index("10 Below the Line - Risk Register")
    # Each section is headed by its item's number and its paper's title (else the item's).
    snap = Store(demo_path).snapshot()
    feb = meetings.find_meeting(snap, date(2016, 2, 16))
    items = {n.number: n.item for n in meetings.book(snap).agenda(feb.model.key)}
    headings = {
        number: (items[number].paper.title if items[number].paper else "") or items[number].title
        for number in with_pages
    }
    _sections_start_where_the_cover_says(pages, headings)
    # A covering paper's report follows it within the item's pages, as an appendix.
    first, last = agenda[4][1] or (0, 0)
    assert any("Appendix: Programme plan" in page for page in pages[first - 1 : last])

    # The matters arising: every action of 19 Jan still open going into 16 Feb, with where
    # it was set and its number there.
    first, last = agenda[2][1] or (0, 0)
    minutes = " ".join(pages[first - 1 : last])
    assert "PRESENT:" in minutes and "APOLOGIES:" in minutes and "OFFICERS:" in minutes
    arising = minutes.split("Matters arising Actions set at earlier meetings")[1]
    carried = meetings.pack(snap, feb, []).matters_arising
    assert len(carried) == 5
    for action in carried:
        number = f"{action.view.item.number}.{action.view.number}"
        words = " ".join(action.view.action.description.split()[:2])
        assert f"19 Jan 2016 {number} {words}" in arising, (number, arising[:600])
    assert "What changed since the last meeting" in arising


def test_an_agenda_without_its_minutes_item_still_sends_the_minutes(
    demo_path: Path, tmp_path: Path
) -> None:
    """The officer took the minutes item off the agenda: the previous minutes and the
    matters arising still go out, listed on the cover as enclosed, with their pages."""
    store = Store(demo_path)
    with store.transaction() as tx:
        feb = meetings.find_meeting(tx, date(2016, 2, 16))
        minutes_item = meetings.book(tx).agenda(feb.model.key)[1].record
        meeting_changes.delete_item(tx, minutes_item.doc_id, minutes_item.model)
    out = tmp_path / "pack.pdf"
    result = run_psr("export", "pack", "--meeting", "16/02/2016", "-o", out, "--db", demo_path)
    assert result.returncode == 0, result.stderr
    pages = _pages(out)
    enclosed = re.search(
        r"Also enclosed: Minutes and matters arising \(Pages (\d+) - (\d+)\)", pages[0]
    )
    assert enclosed is not None, pages[0]
    first, last = int(enclosed[1]), int(enclosed[2])
    assert pages[first - 1].count("Minutes and matters arising Minutes of the Executive, 19") == 1
    minutes = " ".join(pages[first - 1 : last])
    assert "19 Jan 2016 4.1 Develop a more" in minutes.split("Matters arising Actions set")[1]
    # The agenda's items with papers follow it, from the next page.
    agenda = _agenda(pages[0].split("Also enclosed")[0])
    assert min(p[0] for _, p in agenda.values() if p) == last + 1


def test_what_changed_since_the_last_meeting_is_in_the_pack(tmp_path: Path) -> None:
    """Changes made between the two meetings, through the named changes, read back from
    the pack; so is an action still open from the last meeting, as a matter arising."""
    store = Store(new_database(tmp_path / "psr.json"), user="alice")
    today = date.today()
    with store.transaction() as tx:
        moved = tx.insert("risks", make_risk("R1"))
        closed = tx.insert("risks", make_risk("R2"))
        last = meeting_changes.new_meeting(tx, {"date": today - timedelta(days=7)})
        meeting_changes.new_meeting(tx, {"date": today + timedelta(days=7)})
        item = meeting_changes.add_item(tx, last.model.key, {"title": "Locality plan"})
        done = meeting_changes.add_action(tx, item.model.key, {"description": "Write the plan"})
        meeting_changes.add_action(
            tx, item.model.key, {"description": "Recruit the leads", "owner": "PMO"}
        )
    # All that was set up before the last meeting.
    backdate_audit(store.path, today - timedelta(days=10))
    snap = store.snapshot()
    with store.transaction() as tx:
        review_risk(tx, moved, snap.get("risks", moved).model, today, "High", "Critical", "worse")
        close_risk(tx, closed, snap.get("risks", closed).model, today, "funds confirmed")
        meeting_changes.close_action(
            tx, done.doc_id, done.model, MeetingActionStatus.DONE, "drafted", today
        )
        tx.insert("risks", make_risk("R3"))
    out = tmp_path / "pack.pdf"
    day = (today + timedelta(days=7)).isoformat()
    result = run_psr("export", "pack", "--meeting", day, "-o", out, "--db", store.path)
    assert result.returncode == 0, result.stderr
    text = " ".join(_pages(out))
    changed = text.split("What changed since the last meeting")[1]
    assert "Risks added • R3" in changed
    assert "Risks closed • R2: closed" in changed and "funds confirmed" in changed
    assert "R1: likelihood Medium → High, impact Significant → Critical" in changed
    assert "Actions closed • Write the plan (done: drafted)" in changed
    arising = text.split("Matters arising")[-1]
    assert (
        f"{format_date(today - timedelta(days=7))} 3.2 Recruit the leads PMO none set 1 Open"
        in (arising)
    )
    assert "Write the plan" not in arising.split("What changed")[0]


def test_hostile_text_stays_on_the_page_as_typed(demo_path: Path, tmp_path: Path) -> None:
    """A 300-character agenda title, markup and control characters in the minutes: on the
    cover and in the sections as typed (ESC spelt out), every character within its page,
    and the long item's range still where its section is."""
    store = Store(demo_path)
    title = ("Locality " + "integration " * 30)[:300].strip()
    hostile = "<b>not bold</b> & [red]x[/] bell\x07 esc\x1b"
    with store.transaction() as tx:
        feb = meetings.find_meeting(tx, date(2016, 2, 16))
        march = meetings.find_meeting(tx, date(2016, 3, 15))
        first = meetings.book(tx).agenda(feb.model.key)[0].record
        meeting_changes.set_discussion(tx, first.doc_id, first.model, hostile)
        item = meeting_changes.add_item(tx, march.model.key, {"title": title})
        paper = Paper(
            kind=PaperKind.TEXT,
            sections=[Section(heading="Purpose", paragraphs=[hostile, "- one\n- two"])],
            recommendations=["Note the <i>update</i>"],
        )
        meeting_changes.attach_paper(tx, item.doc_id, item.model, paper)
    out = tmp_path / "march.pdf"
    result = run_psr("export", "pack", "--meeting", "15 Mar 2016", "-o", out, "--db", demo_path)
    assert result.returncode == 0, result.stderr
    pages = _pages(out)
    agenda = _agenda(pages[0])
    long_item = next(n for n, (text, _) in agenda.items() if text.startswith("Locality"))
    assert title in agenda[long_item][0]
    headings = {n: agenda[n][0].split(" (Pages")[0] for n, (_, p) in agenda.items() if p}
    headings[long_item] = title
    _sections_start_where_the_cover_says(pages, headings)
    text = " ".join(pages)
    shown = "<b>not bold</b> & [red]x[/] bell‹BEL› esc‹ESC›"
    assert text.count(shown) >= 2  # in 16 Feb's minutes and in the new paper
    assert "Members are asked to: 1. Note the <i>update</i>" in text
    with pdfplumber.open(out) as pdf:
        for page in pdf.pages:
            assert all(c["x0"] >= 0 and c["x1"] <= page.width for c in page.chars)


def test_the_minutes_of_a_meeting_and_one_line_errors(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "minutes.pdf"
    result = run_psr("export", "minutes", "--meeting", "2016-01-19", "-o", out, "--db", demo_path)
    assert result.returncode == 0, result.stderr
    pages = _pages(out)
    assert pages[0].startswith("Chorley Public Service Reform Partnership OFFICIAL")
    assert "Minutes of the Executive, 19 January 2016" in pages[0]
    text = " ".join(pages)
    assert "PRESENT:" in text and "OFFICERS:" in text
    assert "4.1 Develop a more detailed action plan" in text
    for args, message in (
        (["minutes"], "psr: the minutes of which meeting? add --meeting DATE"),
        (["risks", "--meeting", "19/01/2016"], "psr: --meeting is for the pack and the minutes"),
        (["pack", "--meeting", "17 Feb 2016"], "psr: no meeting on 17 Feb 2016 (meetings: "),
        (["pack", "--meeting", "16/02/2016", "--round", "Baseline, Feb 2016"], "psr: --round"),
    ):
        wrong = run_psr("export", *args, "-o", tmp_path / "x.pdf", "--db", demo_path)
        assert wrong.returncode == 1, args
        assert wrong.stderr.startswith(message), wrong.stderr
        assert len(wrong.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.pdf").exists()


def test_a_pack_without_a_meeting_is_the_standard_pack(demo_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "pack.pdf"
    result = run_psr("export", "pack", "-o", out, "--db", demo_path)
    assert result.returncode == 0, result.stderr
    cover = _pages(out)[0]
    assert "Meeting pack" in cover and "You are invited" not in cover
    assert re.search(r"1 System leadership self-assessment[ .]*Pages 2 - \d+", cover)


def test_the_pack_counts_completed_responses_as_the_rest_of_psr(
    demo_path: Path, tmp_path: Path
) -> None:
    """A round half filled in: the assessment's update says how many completed it (every
    domain scored), as the summary and Home do, not that every response was complete."""
    half_scored_round(demo_path)
    out = tmp_path / "pack.pdf"
    result = run_psr("export", "pack", "-o", out, "--db", demo_path)
    assert result.returncode == 0, result.stderr
    text = " ".join(_pages(out))
    assert (
        "5 of 10 respondents (4 from the Executive and 6 from the Implementation Group) have "
        "completed the self-assessment; 1 partly; 4 have not started." in text
    )
    assert "completed responses have been received" not in text
