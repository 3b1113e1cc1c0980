"""`psr meetings` and `psr meeting ...`, run as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_psr
from tests.helpers.store_worker import new_database

MEETING_KEYS = {
    "key", "body", "date", "time", "venue", "status", "papers_issued", "upcoming",
    "attendance", "items",
}  # fmt: skip
ITEM_KEYS = {"number", "title", "presenter", "purpose", "standard", "below_the_line", "paper"}
ACTION_KEYS = {
    "meeting", "item", "item_title", "number", "description", "owner", "due", "status",
    "closed", "note", "overdue",
}  # fmt: skip


def test_planning_a_meeting_its_items_and_actions_from_the_command_line(tmp_path: Path) -> None:
    db = new_database(tmp_path / "psr.json")
    new = run_psr(
        "meeting", "new", "--date", "16/02/2016", "--time", "4pm",
        "--venue", "Committee Room 1", "--db", db,
    )  # fmt: skip
    assert (new.returncode, new.stdout) == (0, "planned Executive 16 Feb 2016\n"), new.stderr
    item = run_psr(
        "meeting", "item", "add", "--meeting", "2016-02-16", "--title", "Programme Plan",
        "--paper", "programme", "--presenter", "Programme Manager", "--db", db,
    )  # fmt: skip
    assert item.stdout == "added item 3 to Executive 16 Feb 2016: Programme Plan\n", item.stderr
    below = run_psr(
        "meeting", "item", "add", "--meeting", "2016-02-16", "--title", "Risk Register",
        "--paper", "risks", "--below-the-line", "--db", db,
    )  # fmt: skip
    assert below.stdout.startswith("added item 6 "), below.stderr
    action = run_psr(
        "meeting", "action", "add", "--meeting", "2016-02-16", "--item", "3",
        "--description", "Confirm the leads", "--owner", "Implementation Group",
        "--due", "2016-03-15", "--db", db,
    )  # fmt: skip
    assert action.stdout.startswith("added action 3.1 to Executive 16 Feb 2016"), action.stderr

    listed = json.loads(run_psr("meetings", "--json", "--db", db).stdout)
    (meeting,) = listed
    assert set(meeting) == MEETING_KEYS
    assert (meeting["date"], meeting["time"], meeting["status"]) == (
        "2016-02-16",
        "16:00",
        "planned",
    )
    assert all(set(i) == ITEM_KEYS for i in meeting["items"])
    assert [(i["number"], i["title"], i["below_the_line"]) for i in meeting["items"]] == [
        (1, "Welcome and apologies for absence", False),
        (2, "Minutes and matters arising", False),
        (3, "Programme Plan", False),
        (4, "Any other business", False),
        (5, "Date of next meeting", False),
        (6, "Risk Register", True),
    ]
    assert meeting["items"][2]["paper"] == {
        "kind": "programme", "round": None, "title": "", "recommendations": [],
    }  # fmt: skip

    actions = json.loads(run_psr("meeting", "actions", "--open", "--json", "--db", db).stdout)
    assert [set(a) for a in actions] == [ACTION_KEYS]
    assert (actions[0]["item"], actions[0]["number"], actions[0]["due"]) == (3, 1, "2016-03-15")
    closed = run_psr(
        "meeting", "action", "close", "--meeting", "2016-02-16", "--item", "3", "--action", "1",
        "--note", "Leads confirmed", "--on", "2016-03-01", "--db", db,
    )  # fmt: skip
    assert closed.stdout == "action 3.1 is done: Leads confirmed\n", closed.stderr
    assert json.loads(run_psr("meeting", "actions", "--open", "--json", "--db", db).stdout) == []
    done = json.loads(run_psr("meeting", "actions", "--json", "--db", db).stdout)
    assert (done[0]["status"], done[0]["closed"], done[0]["note"]) == (
        "done",
        "2016-03-01",
        "Leads confirmed",
    )


def test_meeting_commands_refuse_bad_input_in_one_line(tmp_path: Path) -> None:
    db = new_database(tmp_path / "psr.json")
    run_psr("meeting", "new", "--date", "2016-02-16", "--db", db)
    run_psr("meeting", "new", "--date", "2016-02-16", "--body", "Implementation Group", "--db", db)
    cases = [
        (("meeting", "new", "--date", "2016-02-16"), "already a meeting of the Executive"),
        (("meeting", "new", "--date", "2016-02-17", "--time", "25:00"), "not a time of day"),
        (("meeting", "new", "--date", "Feb 2016"), "Feb 2016 is a month: give the day"),
        (("meeting", "item", "add", "--meeting", "2016-02-16", "--title", "x"), "--body NAME"),
        (
            ("meeting", "item", "add", "--meeting", "2016-03-01", "--title", "x"),
            "no meeting on 1 Mar 2016",
        ),
        (
            ("meeting", "item", "add", "--meeting", "2016-02-16", "--body", "executive",
             "--title", "x", "--round", "Baseline"),
            "add --paper assessment",
        ),
        (
            ("meeting", "item", "add", "--meeting", "2016-02-16", "--body", "Executive",
             "--title", "x", "--paper", "assessment", "--round", "Baseline"),
            "no round named 'Baseline'",
        ),
        (
            ("meeting", "action", "add", "--meeting", "2016-02-16", "--body", "Executive",
             "--item", "9", "--description", "x", "--owner", "y", "--due", "2016-03-01"),
            "has no item 9 (it has 4 items)",
        ),
        (
            ("meeting", "action", "add", "--meeting", "2016-02-16", "--body", "Executive",
             "--item", "0", "--description", "x", "--owner", "y", "--due", "2016-03-01"),
            "is not an item number",
        ),
        (
            ("meeting", "action", "close", "--meeting", "2016-02-16", "--body", "Executive",
             "--item", "1", "--action", "1", "--note", "n"),
            "has no action 1",
        ),
    ]  # fmt: skip
    before = db.read_bytes()
    for args, message in cases:
        result = run_psr(*args, "--db", db)
        assert result.returncode != 0, args
        assert result.stdout == "", args
        assert message in result.stderr, (args, result.stderr)
        assert result.stderr.count("\n") == 1, result.stderr
    assert db.read_bytes() == before


def test_meeting_check_lists_the_warnings_and_exits_1_and_0_when_there_are_none(
    demo_path: Path, tmp_path: Path
) -> None:
    result = run_psr("meeting", "check", "2016-02-16", "--db", demo_path)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("warning: papers: issued 11 Feb 2016, 2 clear days")
    assert lines[-1] == "Executive 16 Feb 2016: 3 warnings (papers due out by 8 Feb 2016)"
    checked = json.loads(
        run_psr("meeting", "check", "2016-02-16", "--json", "--db", demo_path).stdout
    )
    assert set(checked) == {"meeting", "issue_by", "warnings"}
    assert checked["issue_by"] == "2016-02-08"
    assert [set(w) for w in checked["warnings"]] == [{"where", "message"}] * 3

    db = new_database(tmp_path / "psr.json")
    run_psr("meeting", "new", "--date", "2016-02-16", "--no-standard-items", "--db", db)
    run_psr(
        "meeting", "status", "2016-02-16", "papers issued", "--issued", "2016-02-08", "--db", db
    )
    clean = run_psr("meeting", "check", "2016-02-16", "--db", db)
    assert (clean.returncode, clean.stdout) == (
        0,
        "Executive 16 Feb 2016: no warnings (papers due out by 8 Feb 2016)\n",
    ), clean.stderr


def test_the_demo_lists_its_meetings_next_first_and_passes_psr_check(demo_path: Path) -> None:
    listed = json.loads(run_psr("meetings", "--json", "--db", demo_path).stdout)
    assert [m["date"] for m in listed[:3]] == ["2016-02-16", "2016-03-15", "2016-04-19"]
    assert listed[0]["upcoming"] and not listed[-1]["upcoming"]
    check = run_psr("check", "--db", demo_path)
    assert check.returncode == 0, check.stderr
    decisions = json.loads(
        run_psr(
            "meeting", "decisions", "--meeting", "2016-01-19", "--json", "--db", demo_path
        ).stdout
    )
    assert [(d["item"], d["number"]) for d in decisions] == [(2, 1), (4, 1)]
    owners = run_psr("meeting", "actions", "--owner", "implementation", "--db", demo_path).stdout
    assert "Develop a more detailed action plan" in owners and "Update the Executive" not in owners


def test_psr_check_names_an_item_of_no_meeting_and_a_second_meeting_on_one_day(
    tmp_path: Path,
) -> None:
    db = new_database(tmp_path / "psr.json")
    run_psr("meeting", "new", "--date", "2016-02-16", "--db", db)
    data = json.loads(db.read_text())
    meeting = next(iter(data["meetings"].values()))
    data["meetings"]["2"] = {**meeting, "key": "other"}
    item = next(iter(data["agenda_items"].values()))
    data["agenda_items"]["99"] = {**item, "key": "lost", "meeting": "gone", "title": "Lost"}
    db.write_text(json.dumps(data))
    result = run_psr("check", "--db", db)
    assert result.returncode == 1
    assert "there is another meeting 'Executive 16 Feb 2016' (record 1)" in result.stderr
    assert "agenda_items 'Lost': unknown meeting 'gone'" in result.stderr
