"""The `psr` commands that need the core (pydantic models, store, analysis).

Imported by `psr_tui.cli.main` only after parsing, so that `psr` on its own reaches its
first frame without paying for pydantic: the app loads the file in a worker.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import textwrap
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from psr_tui import analysis
from psr_tui.analysis.as_at import LOOKING_BACK
from psr_tui.analysis.peers import PeerRound, framework_difference, peer_groups
from psr_tui.analysis.replies import Reply, ReplyState, RoundReplies, round_replies
from psr_tui.as_at import as_at as seen_as_at
from psr_tui.as_at import looked_back, none_then_text
from psr_tui.errors import EXIT_USER_ERROR, UserError
from psr_tui.formatting import (
    abbreviate,
    cell_width,
    clip,
    format_change,
    format_date,
    format_mean,
    ljust_cells,
    mean_with_n,
    parse_share,
)
from psr_tui.models import Meeting, MeetingActionStatus, MeetingStatus, Record
from psr_tui.own_python import module_command
from psr_tui.paths import default_db_path
from psr_tui.store import Snapshot, Store, Transaction, current_user
from psr_tui.text import echo, json_for_terminal, visible


def _store(args: argparse.Namespace) -> Store:
    return Store(args.db or default_db_path())


def _snapshot(args: argparse.Namespace) -> Snapshot:
    """The database as it is, or as at the date given with `--as-at` (see psr_tui.as_at)."""
    return seen_as_at(_store(args).snapshot(), getattr(args, "as_at", None))


def _print_json(value: Any) -> None:
    echo(json_for_terminal(json.dumps(value, indent=2, ensure_ascii=False)))


def _table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    # In cells, not characters: a name in Chinese or with an emoji must not push the
    # columns after it out of line.
    cells = [[visible(str(c)) for c in r] for r in [header, *rows]]
    widths = [max(cell_width(r[i]) for r in cells) for i in range(len(header))]
    lines = [
        "  ".join(ljust_cells(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


# --- commands ---------------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> None:
    store = _store(args)
    store.snapshot()  # refuse a missing, corrupt or too-new file before serving it
    try:
        from psr_tui.serve import GuardedServer, default_public_url, is_loopback
    except ImportError:
        raise UserError("psr serve needs textual-serve: pip install 'psr-tui[serve]'") from None
    import shlex

    command = shlex.join([*module_command("psr_tui.cli"), "--db", str(store.path)])
    public_url = args.public_url or default_public_url(args.host, args.port)
    server = GuardedServer(command, host=args.host, port=args.port, public_url=public_url)
    if not is_loopback(args.host):
        echo(
            f"psr: warning: listening on {args.host}, not only this machine: anyone who can "
            "reach the port and sees the address works as you, and plain HTTP shows the "
            "address to the network (use 127.0.0.1 and an SSH tunnel, or a TLS proxy)",
            file=sys.stderr,
        )
    echo(f"psr: serving {store.path} at {server.url} (ctrl+c stops)")
    echo("psr: the address is the password: anyone who has it works as you", flush=True)
    server.serve()


def cmd_init(args: argparse.Namespace) -> None:
    from psr_tui.demo import load_framework, load_matrix

    store = _store(args)
    framework, matrix = load_framework(), load_matrix()

    def populate(tx: Transaction) -> None:
        tx.insert("frameworks", framework)
        tx.insert("matrix", matrix)

    store.create(args.name, populate=populate)
    echo(f"created {store.path} for {args.name}")


def cmd_demo(args: argparse.Namespace) -> None:
    from psr_tui.demo import build_demo

    store = _store(args)
    backup = build_demo(store, force=args.force)
    echo(f"created the demo database at {store.path}")
    if backup is not None:
        import shlex

        from psr_tui.store.audit import audit_path

        history = audit_path(backup)
        kept = f"{backup} (its history: {history})" if history.exists() else str(backup)
        reopen = f"psr --db {shlex.quote(str(backup))}"
        echo(f"the file it replaced is kept at {kept}; open it with {reopen}")


def cmd_check(args: argparse.Namespace) -> None:
    from psr_tui.store.check import check_file

    path = Path(args.db or default_db_path())
    problems = check_file(path)
    for problem in problems:
        echo(str(problem), file=sys.stderr)
    errors = sum(1 for p in problems if not p.warning)
    warnings = len(problems) - errors
    also = f" ({_plural(warnings, 'warning')})" if warnings else ""
    if errors:
        echo(f"{path}: {_plural(errors, 'problem')}{also}", file=sys.stderr)
        raise SystemExit(EXIT_USER_ERROR)
    echo(f"{path}: no problems found{also}")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary_for(snap: Snapshot, round_name: str | None) -> analysis.AssessmentSummary:
    round_, framework = snap.assessment_round(round_name)
    responses = [r.model for r in snap.responses(round_.name)]
    return analysis.summarise(framework, round_, responses)


def summary_json(summary: analysis.AssessmentSummary) -> dict[str, Any]:
    return {
        "round": summary.round,
        "framework": summary.framework,
        "groups": summary.groups,
        "domains": [
            {
                "key": d.key,
                "name": d.name,
                "means": d.means,
                "counts": d.counts,
                "combined": d.combined,
                "achieved_level": d.achieved_level,
                "current": d.current,
                "progression": d.progression,
                "lowest": d.lowest_score,
                "highest": d.highest_score,
                "disagreement": d.disagreement,
                "agreement": analysis.consensus_json(d.agreement),
                "consensus": {g: analysis.consensus_json(c) for g, c in d.consensus.items()},
                "groups_differ": d.groups_differ,
                "target": d.target,
                "gap_to_target": d.gap_to_target,
            }
            for d in summary.domains
        ],
        "overall": {
            "means": summary.overall_means,
            "combined": summary.overall_combined,
            "achieved_level": summary.overall_level,
        },
        "rules": {
            "achieved_level": summary.achieved_rule.value,
            "consensus": summary.consensus_rule.model_dump(),
        },
        "respondents": dataclasses.asdict(summary.respondent_counts),
    }


def _looking_back(snap: Snapshot) -> str:
    """': rounds and risks as they stood then; ...' after "as at DATE" when `--as-at` looks
    back, else ""."""
    return "" if looked_back(snap) is None else f": {LOOKING_BACK}"


def cmd_summary(args: argparse.Namespace) -> None:
    snap = _snapshot(args)
    summary = summary_for(snap, args.round)
    if args.json:
        _print_json(summary_json(summary))
        return
    if looked_back(snap) is not None:
        echo(f"as at {format_date(snap.as_at)}{_looking_back(snap)}")
    counts = ", ".join(f"{n} {g}" for g, n in summary.responses_by_group.items())
    echo(f"{summary.round} ({summary.framework}): {summary.respondent_counts.text} ({counts})")
    header = [
        "Domain",
        *(abbreviate(g) for g in summary.groups),
        "All",
        "Level",
        "Agreement",
        "Flags",
    ]
    rows = []
    for d in summary.domains:
        flags = ["groups differ"] if d.groups_differ else []
        if d.target is not None:
            gap = format_change(d.combined, d.target, sign=False)
            flags.append(f"target {d.target} (gap {gap})")
        rows.append(
            [
                d.name,
                *(mean_with_n(d.means[g], summary.partial_count(d, g)) for g in summary.groups),
                format_mean(d.combined),
                str(d.achieved_level or "-"),
                analysis.verdicts_text(d.agreement, d.consensus, abbreviate),
                ", ".join(flags),
            ]
        )
    rows.append(
        [
            "Overall",
            *(format_mean(summary.overall_means[g]) for g in summary.groups),
            format_mean(summary.overall_combined),
            str(summary.overall_level or "-"),
            "",
            "",
        ]
    )
    echo(_table(rows, header))
    echo(f"Level achieved: {summary.achieved_rule.method}.")
    echo(f"Agreement: {summary.consensus_rule.method}.")
    if any(
        summary.partial_count(d, g) is not None for d in summary.domains for g in summary.groups
    ):
        echo("(n): how many of the group scored the domain, where not all of it did")
    if summary.lowest:
        echo("Lowest: " + ", ".join(d.name for d in summary.lowest))
    if summary.highest:
        echo("Highest: " + ", ".join(d.name for d in summary.highest))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def risk_json(facts: analysis.RiskFacts) -> dict[str, Any]:
    risk = facts.risk
    return {
        "ref": risk.ref,
        "description": risk.description,
        "category": risk.category,
        "date_identified": _iso(risk.date_identified),
        "controls": risk.controls,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "score": facts.score,
        "band": facts.band.name if facts.band else None,
        "actions": risk.actions,
        "owner": risk.owner,
        "action_date": _iso(risk.action_date),
        "status": risk.status.value,
        "overdue": facts.overdue,
        "next_review": _iso(facts.next_review),
        "review_overdue": facts.review_overdue,
    }


def _marked(mark: str, day: date | None, late: bool) -> str:
    return f"{mark} {format_date(day)}" if late else format_date(day)


def cmd_risks(args: argparse.Namespace) -> None:
    snap = _snapshot(args)
    facts = analysis.register_facts(snap.matrix(), snap.risks(), snap.as_at)
    if args.overdue:
        facts = [f for f in facts if f.overdue]
    if args.json:
        _print_json([risk_json(f) for f in facts])
        return
    if not facts:
        then = none_then_text(snap, "risks")
        echo("no overdue risks" if args.overdue else then or "the register is empty")
        return
    rows = []
    for f in facts:
        risk = f.risk
        late = [
            word
            for word, on in (("OVERDUE", f.overdue), ("REVIEW OVERDUE", f.review_overdue))
            if on
        ]
        status = risk.status.value + (f": {', '.join(late)}" if late else "")
        rows.append(
            [
                risk.ref,
                clip(risk.description, 50),
                f"{risk.likelihood}/{risk.impact}",
                analysis.rating_text(f.score, f.band),
                risk.owner,
                _marked(analysis.OVERDUE_MARK, risk.action_date, f.overdue),
                _marked(analysis.REVIEW_OVERDUE_MARK, f.next_review, f.review_overdue),
                status,
            ]
        )
    echo(
        _table(
            rows,
            [
                "Ref",
                "Description",
                "L/I",
                "Score/band",
                "Owner",
                "Action date",
                "Next review",
                "Status",
            ],
        )
    )
    echo(
        f"as at {format_date(snap.as_at)}{_looking_back(snap)}  "
        f"({analysis.OVERDUE_MARK} overdue action, "
        f"{analysis.REVIEW_OVERDUE_MARK} review overdue)"
    )


def cmd_risk_add(args: argparse.Namespace) -> None:
    from psr_tui.changes.risks import add_risk

    fields = {
        "ref": args.ref,
        "description": args.description,
        "category": args.category or "",
        "controls": args.controls or "",
        "likelihood": args.likelihood,
        "impact": args.impact,
        "actions": args.actions or "",
        "owner": args.owner or "",
        "action_date": args.action_date,
        "date_identified": args.date_identified,
    }
    with _store(args).transaction() as tx:
        added = add_risk(tx, fields)
    echo(f"added {added.model.ref}")


def programme_json(snap: Snapshot) -> dict[str, Any]:
    activities = [r.model for r in snap.activities()]
    phases = analysis.phase_progress([r.model for r in snap.phases()], activities)
    themes = analysis.theme_progress([r.model for r in snap.themes()], activities)
    return {
        "as_at": snap.as_at.isoformat(),
        "phases": [
            {
                "name": p.name,
                "start": p.start.isoformat() if p.start else None,
                "end": p.end.isoformat() if p.end else None,
                "activities": p.activities,
                "complete": p.complete,
                "percent": p.percent,
            }
            for p in phases
        ],
        "themes": [
            {
                "name": t.name,
                "activities": t.activities,
                "complete": t.complete,
                "percent": t.percent,
                "slipped": t.slipped,
                "blocked": t.blocked,
            }
            for t in themes
        ],
    }


def cmd_programme(args: argparse.Namespace) -> None:
    snap = _snapshot(args)
    data = programme_json(snap)
    if args.json:
        _print_json(data)
        return
    phases = [r.model for r in snap.phases()]
    echo(f"Programme as at {format_date(snap.as_at)}{_looking_back(snap)}")
    echo(
        _table(
            [
                [
                    p["name"],
                    f"{format_date(phase.start)} to {format_date(phase.end)}",
                    str(p["activities"]),
                    str(p["complete"]),
                    f"{p['percent']:g}%",
                ]
                for p, phase in zip(data["phases"], phases, strict=True)
            ],
            ["Phase", "Dates", "Activities", "Complete", "%"],
        )
    )
    echo()
    echo(
        _table(
            [
                [
                    t["name"],
                    str(t["activities"]),
                    str(t["complete"]),
                    f"{t['percent']:g}%",
                    str(t["slipped"]),
                    str(t["blocked"]),
                ]
                for t in data["themes"]
            ],
            ["Theme", "Activities", "Complete", "%", "Slipped", "Blocked"],
        )
    )


def cmd_actions(args: argparse.Namespace) -> None:
    from psr_tui import development

    snap = _snapshot(args)
    records = development.actions(snap)
    if args.domain:
        wanted = {
            (f.model.name, d.key)
            for f in snap.frameworks()
            if (d := f.model.domain(args.domain)) is not None
        }
        if not wanted:
            framework = development.current_framework(snap)
            known = ", ".join(d.name for d in framework.domains) if framework else "none"
            raise UserError(f"unknown domain {args.domain!r} (domains: {known})")
        records = [r for r in records if (r.model.framework, r.model.domain) in wanted]
    if args.json:
        _print_json([development.action_json(snap, r.model) for r in records])
        return
    if not records:
        echo("no development actions" + (f" for {args.domain}" if args.domain else ""))
        return
    rows = [
        [
            clip(development.domain_name(snap, a), 24)
            + (f" ({abbreviate(a.group)})" if a.group else ""),
            clip(a.title, 44),
            clip(a.offer, 24),
            clip(a.owner, 20),
            development.target_text(a),
            a.status.value,
            development.evidence_summary(a.evidence),
        ]
        for a in (r.model for r in records)
    ]
    echo(_table(rows, ["Domain", "Action", "Offer", "Owner", "Target", "Status", "Evidence"]))


def cmd_import(args: argparse.Namespace) -> None:
    if args.what == "forms":
        cmd_import_forms(args)
        return
    if len(args.file) != 1:
        raise UserError(f"import {args.what} takes one FILE")
    from psr_tui.changes import imports
    from psr_tui.errors import ImportConflictError

    store = _store(args)
    path = Path(args.file[0])
    if args.what == "framework":
        framework = imports.import_framework(store, path)
        echo(
            f"imported framework {framework.name!r}: {len(framework.domains)} domains, "
            f"{len(framework.levels)} levels"
        )
        return
    if args.what == "matrix":
        matrix = imports.import_matrix(store, path)
        echo(f"imported matrix {matrix.name!r}: {len(matrix.likelihood)}x{len(matrix.impact)}")
        return
    if args.what == "responses" and not args.round:
        raise UserError("import responses needs --round NAME")
    try:
        if args.what == "responses":
            result = imports.import_responses(
                store, path, args.round, args.framework, overwrite=args.overwrite
            )
        else:
            result = imports.import_risks(store, path, overwrite=args.overwrite)
    except ImportConflictError as exc:
        raise UserError(f"{exc} (--overwrite puts the file's values over theirs)") from None
    echo(result)


def cmd_export(args: argparse.Namespace) -> None:
    store = _store(args)
    out = Path(args.output)
    if args.what in ("responses", "register"):
        given = [name for name, value in _paper_flags(args) if value]
        if args.meeting:
            given.append("--meeting")
        if given:
            raise UserError(f"{', '.join(given)}: for PDF papers only, not the {args.what} table")
        if out.suffix.lower() not in (".csv", ".xlsx"):
            raise UserError(f"{out}: the output must end in .csv or .xlsx")
        if args.what == "responses":
            from psr_tui.exports.responses_io import export_responses

            export_responses(seen_as_at(store.snapshot(), args.as_at), args.round, out)
        else:
            from psr_tui.exports.register_io import export_register

            export_register(seen_as_at(store.snapshot(), args.as_at), out)
    else:
        if out.suffix.lower() != ".pdf":
            raise UserError(f"{out}: the output must end in .pdf")
        options = paper_options(args)
        from psr_tui.exports.pdf import export_pdf

        snap = store.snapshot()
        export_pdf(
            snap,
            args.what,
            out,
            round_name=args.round,
            user=store.user,
            as_at=args.as_at,
            options=options,
            meeting=_meeting_paper(args, snap),
        )
    echo(f"wrote {out}")


def _meeting_paper(args: argparse.Namespace, snap: Snapshot) -> str | None:
    """The key of the meeting `psr export pack|minutes --meeting DATE` names, or None."""
    if args.meeting is None:
        if args.what == "minutes":
            raise UserError("the minutes of which meeting? add --meeting DATE")
        if args.body:
            raise UserError("--body names the meeting's body: add --meeting DATE")
        return None
    if args.what not in ("pack", "minutes"):
        raise UserError(f"--meeting is for the pack and the minutes, not the {args.what}")
    if args.round:
        raise UserError("--round: a meeting's agenda names the round of each assessment paper")
    if args.what == "minutes" and (args.recommendation or args.recommendations):
        raise UserError("the minutes ask members nothing: recommendations are for the papers")
    return _meeting(snap, args.meeting, args.body).model.key


def matrix_labels_help(path: Path) -> str:
    """For `psr risk add --help`: the labels the database's matrix offers, or where they
    come from when the database cannot be read."""
    try:
        matrix = Store(path).snapshot().matrix()
    except UserError as exc:
        return textwrap.fill(
            "LABEL is one of the likelihood or impact labels of the risk matrix in the "
            f"database (--db, else $PSR_DB, else the user data dir). It could not be read: {exc}"
        )
    if matrix is None:
        return f"{path} has no risk matrix yet: `psr import matrix FILE` sets the labels."
    return "\n".join(
        [
            f"Labels of the risk matrix in {path} (lowest first; any case):",
            f"  likelihood: {', '.join(matrix.likelihood)}",
            f"  impact:     {', '.join(matrix.impact)}",
        ]
    )


# --- forms -------------------------------------------------------------------------------


def cmd_form(args: argparse.Namespace) -> None:
    from psr_tui.changes.forms import send_forms

    echo(send_forms(_store(args), args.round, Path(args.output), pdf=args.pdf))


def cmd_import_forms(args: argparse.Namespace) -> None:
    from psr_tui.changes.forms import import_returns
    from psr_tui.errors import FormConflictError

    if not args.round:
        raise UserError("import forms needs --round NAME")
    try:
        result = import_returns(
            _store(args), [Path(f) for f in args.file], args.round, replace=args.overwrite
        )
    except FormConflictError as exc:
        raise UserError(f"{exc} (--replace puts the forms' values over psr's)") from None
    echo(result)


def round_status_json(replies: RoundReplies) -> dict[str, Any]:
    def person(r: Reply) -> dict[str, Any]:
        return {"name": r.name, "organisation": r.organisation, "group": r.group}

    return {
        "round": replies.round,
        "framework": replies.framework,
        "respondents": [
            {
                **person(r),
                "state": r.state.value,
                "scored": r.scored,
                "domains": r.domains,
                "form_sent": r.form_sent.isoformat() if r.form_sent else None,
                "form_returned": r.form_returned.isoformat() if r.form_returned else None,
                "to_chase": r.to_chase,
            }
            for r in replies.replies
        ],
        "counts": {state.value: replies.count(state) for state in ReplyState},
        "to_chase": [person(r) for r in replies.to_chase],
    }


def cmd_round_status(args: argparse.Namespace) -> None:
    snap = _snapshot(args)
    round_, framework = snap.assessment_round(args.name)
    people = sorted(snap.responses(round_.name), key=lambda r: r.doc_id)
    replies = round_replies(framework, round_.name, [r.model for r in people])
    if args.json:
        _print_json(round_status_json(replies))
        return
    echo(f"{round_.name} ({framework.name}): {_plural_word(len(people), 'respondent')}")
    echo(replies.line)
    if not people:
        return
    echo()
    rows = [
        [clip(r.name, 30), clip(r.organisation, 34), clip(r.group, 22), r.text]
        for r in replies.replies
    ]
    echo(_table(rows, ["Name", "Organisation", "Group", "State"]))
    if replies.to_chase:
        echo()
        echo("To chase:")
        for r in replies.to_chase:
            echo(f"  {r.name} ({r.organisation or 'no organisation'}): {r.text}")


def _plural_word(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


# --- peers -------------------------------------------------------------------------------


def _peer_round(path: Path, framework: str | None) -> PeerRound:
    """The latest round in the psr file at `path` (of `framework`, when given), read
    without the lock and never written."""
    if not path.is_file():
        raise UserError(f"{path}: no such file" if not path.exists() else f"{path}: not a file")
    snap = Store(path).snapshot()
    rounds = [r.model for r in snap.rounds() if framework is None or r.model.framework == framework]
    if not rounds:
        held = sorted({r.model.framework for r in snap.rounds()})
        what = f"no round of framework {framework!r}" if framework else "no assessment rounds"
        also = f" (its rounds use {', '.join(map(repr, held))})" if held else ""
        raise UserError(f"{path}: {what}{also}")
    round_, model = snap.assessment_round(rounds[-1].name)
    responses = [r.model for r in snap.responses(round_.name)]
    summary = analysis.summarise(model, round_, responses)
    return PeerRound(str(path), snap.meta.partnership, round_.date, model, summary)


def peer_rounds(paths: Sequence[Path]) -> list[PeerRound]:
    """The latest round of each file, for the first file's framework; refused naming the
    file and the difference when a framework differs."""
    if len(paths) < 2:
        raise UserError("compare needs two or more psr files")
    first = _peer_round(paths[0], None)
    peers = [first]
    for path in paths[1:]:
        peer = _peer_round(path, first.framework.name)
        difference = framework_difference(first.framework, peer.framework)
        if difference:
            raise UserError(
                f"{path}: cannot compare with {paths[0]}: the frameworks differ: {difference}"
            )
        peers.append(peer)
    return peers


def compare_json(peers: list[PeerRound]) -> dict[str, Any]:
    return {
        "framework": peers[0].framework.name,
        "groups": peer_groups(peers),
        "partnerships": [
            {
                "file": peer.source,
                "partnership": peer.partnership,
                "date": peer.round_date.isoformat(),
                "respondents": len(peer.summary.respondents),
                "summary": summary_json(peer.summary),
            }
            for peer in peers
        ],
    }


def compare_rows(peers: list[PeerRound]) -> tuple[list[str], list[list[str]]]:
    """The comparison as a table: a row per domain (then Overall), for each partnership its
    number's columns: each group's mean, everyone's, and the level achieved."""
    groups = peer_groups(peers)
    header = ["Domain"]
    for number, _ in enumerate(peers, 1):
        header += [f"{number} {abbreviate(g)}" for g in groups] + [f"{number} All", f"{number} Lvl"]
    rows = []
    for index, domain in enumerate(peers[0].summary.domains):
        row = [domain.name]
        for peer in peers:
            found = peer.summary.domains[index]
            row += [format_mean(found.means.get(g)) for g in groups]
            row += [format_mean(found.combined), str(found.achieved_level or "-")]
        rows.append(row)
    overall = ["Overall"]
    for peer in peers:
        overall += [format_mean(peer.summary.overall_means.get(g)) for g in groups]
        overall += [
            format_mean(peer.summary.overall_combined),
            str(peer.summary.overall_level or "-"),
        ]
    rows.append(overall)
    return header, rows


def cmd_compare(args: argparse.Namespace) -> None:
    peers = peer_rounds([Path(f).expanduser() for f in args.files])
    if args.output:
        out = Path(args.output)
        if out.suffix.lower() != ".pdf":
            raise UserError(f"{out}: the output must end in .pdf")
        from psr_tui.exports.compare_pdf import export_comparison

        export_comparison(peers, out, user=current_user())
    if args.json:
        _print_json(compare_json(peers))
        return
    echo(f"{peers[0].framework.name}: the latest round of {len(peers)} partnerships")
    for number, peer in enumerate(peers, 1):
        people = len(peer.summary.respondents)
        echo(
            f"  {number} {peer.partnership}: {peer.summary.round} "
            f"({format_date(peer.round_date)}, {_plural(people, 'response')}) from {peer.source}"
        )
    echo()
    header, rows = compare_rows(peers)
    echo(_table(rows, header))
    echo()
    echo(f"Level achieved: {peers[0].framework.achieved_level.method}.")
    if args.output:
        echo(f"wrote {args.output}")


# --- framework rules ---------------------------------------------------------------------


def cmd_framework_rules(args: argparse.Namespace) -> None:
    from psr_tui.changes.assessment import set_framework_rules
    from psr_tui.models import AchievedRule

    given = [args.achieved, args.within, args.share, args.min_ratings]
    store = _store(args)
    if any(value is not None for value in given):
        try:
            share = parse_share(args.share) if args.share is not None else None
        except ValueError as exc:
            raise UserError(f"--share {exc}") from None
        with store.transaction() as tx:
            framework = set_framework_rules(
                tx,
                args.name,
                achieved=AchievedRule(args.achieved) if args.achieved else None,
                within=args.within,
                share=share,
                min_ratings=args.min_ratings,
            )
    else:
        wanted = args.name.strip().lower()
        found = [r.model for r in store.snapshot().frameworks() if r.model.name.lower() == wanted]
        if not found:
            names = ", ".join(repr(r.model.name) for r in store.snapshot().frameworks()) or "none"
            raise UserError(f"no framework {args.name!r} (frameworks: {names})")
        framework = found[0]
    echo(f"{framework.name}:")
    echo(f"  level achieved: {framework.achieved_level.value} ({framework.achieved_level.method})")
    echo(f"  agreement: {framework.consensus.method}")


# --- meetings ---------------------------------------------------------------------------


def _meeting(snap: Snapshot, day: date, body: str | None) -> Record[Meeting]:
    from psr_tui import meetings

    return meetings.find_meeting(snap, day, body)


def cmd_meetings(args: argparse.Namespace) -> None:
    from psr_tui import meetings

    snap = _snapshot(args)
    joined = meetings.book(snap)
    ordered = meetings.ordered_meetings(snap)
    if args.json:
        _print_json([meetings.meeting_json(joined, r.model, snap.as_at) for r in ordered])
        return
    if not ordered:
        echo("no meetings yet: plan one with `psr meeting new --date DATE`")
        return
    for number, record in enumerate(ordered):
        meeting = record.model
        when = " ".join(
            part
            for part in (
                format_date(meeting.date),
                meeting.time.strftime("%H:%M") if meeting.time else "",
                meeting.venue,
            )
            if part
        )
        echo(("\n" if number else "") + f"{meeting.body}  {when}  ({meeting.status.value})")
        for numbered in joined.agenda(meeting.key):
            item = numbered.item
            paper = f"  [{meetings.paper_name(item.paper)}]" if item.paper else ""
            below = "  (below the line)" if item.below_the_line else ""
            presenter = f"  {clip(item.presenter, 30)}" if item.presenter else ""
            echo(f"  {numbered.number:>2}  {clip(item.title, 60)}{paper}{presenter}{below}")
    echo(f"\nas at {format_date(snap.as_at)}")


def cmd_meeting_new(args: argparse.Namespace) -> None:
    from psr_tui import meetings
    from psr_tui.changes.meetings import new_meeting

    values: dict[str, Any] = {"date": args.date, "time": args.time, "venue": args.venue or ""}
    if args.body:
        values["body"] = args.body
    if args.contact:
        values["contact"] = args.contact
    with _store(args).transaction() as tx:
        added = new_meeting(tx, values, standard_items=not args.no_standard_items)
    echo(f"planned {meetings.meeting_name(added.model)}")


def cmd_meeting_status(args: argparse.Namespace) -> None:
    from psr_tui import meetings
    from psr_tui.changes.meetings import set_status

    with _store(args).transaction() as tx:
        record = _meeting(tx, args.meeting, args.body)
        saved = set_status(
            tx, record.doc_id, record.model, MeetingStatus(args.status), issued=args.issued
        )
    issued = f" (papers issued {format_date(saved.papers_issued)})" if saved.papers_issued else ""
    echo(f"{meetings.meeting_name(saved)} is {saved.status.value}{issued}")


def cmd_meeting_item_add(args: argparse.Namespace) -> None:
    from psr_tui import meetings
    from psr_tui.changes.meetings import add_item

    if args.round and args.paper != "assessment":
        raise UserError("--round names the round of an assessment paper: add --paper assessment")
    values: dict[str, Any] = {
        "title": args.title,
        "presenter": args.presenter or "",
        "below_the_line": args.below_the_line,
        "paper": {"kind": args.paper, "round": args.round or ""} if args.paper else None,
    }
    if args.purpose:
        values["purpose"] = args.purpose
    with _store(args).transaction() as tx:
        record = _meeting(tx, args.meeting, args.body)
        added = add_item(tx, record.model.key, values)
        number = next(
            n.number
            for n in meetings.book(tx).agenda(record.model.key)
            if n.item.key == added.model.key
        )
    echo(f"added item {number} to {meetings.meeting_name(record.model)}: {added.model.title}")


def cmd_meeting_action_add(args: argparse.Namespace) -> None:
    from psr_tui import meetings
    from psr_tui.changes.meetings import add_action

    values = {"description": args.description, "owner": args.owner, "due": args.due}
    with _store(args).transaction() as tx:
        record = _meeting(tx, args.meeting, args.body)
        item = meetings.agenda_item(meetings.book(tx), record.model, args.item)
        add_action(tx, item.item.key, values)
        number = len(meetings.book(tx).actions(item.item.key))
    echo(
        f"added action {item.number}.{number} to {meetings.meeting_name(record.model)}: "
        f"{clip(args.description, 60)}"
    )


def cmd_meeting_action_close(args: argparse.Namespace) -> None:
    from psr_tui import meetings
    from psr_tui.changes.meetings import close_action

    status = MeetingActionStatus.DROPPED if args.dropped else MeetingActionStatus.DONE
    with _store(args).transaction() as tx:
        record = _meeting(tx, args.meeting, args.body)
        joined = meetings.book(tx)
        item = meetings.agenda_item(joined, record.model, args.item)
        action = meetings.item_action(joined, record.model, item, args.action)
        close_action(tx, action.doc_id, action.model, status, args.note, args.on)
    echo(f"action {item.number}.{args.action} is {status.value}: {clip(args.note, 60)}")


def cmd_meeting_actions(args: argparse.Namespace) -> None:
    from psr_tui import meetings
    from psr_tui.analysis.meetings import action_log

    snap = _snapshot(args)
    key = _meeting(snap, args.meeting, args.body).model.key if args.meeting else None
    status = (
        MeetingActionStatus.OPEN if args.open else args.status and MeetingActionStatus(args.status)
    )
    views = action_log(meetings.book(snap), owner=args.owner, status=status, meeting_key=key)
    if args.json:
        _print_json([meetings.action_json(v, snap.as_at) for v in views])
        return
    if not views:
        echo("no actions" + (" open" if args.open else ""))
        return
    rows = [
        [
            f"{format_date(v.meeting.date)} {v.item.number}.{v.number}",
            clip(v.action.description, 50),
            clip(v.action.owner, 24),
            format_date(v.action.due),
            v.action.status.value + (" OVERDUE" if v.overdue_on(snap.as_at) else ""),
        ]
        for v in views
    ]
    echo(_table(rows, ["Set at", "Action", "Owner", "Due", "Status"]))
    echo(f"as at {format_date(snap.as_at)}")


def cmd_meeting_decisions(args: argparse.Namespace) -> None:
    from psr_tui import meetings
    from psr_tui.analysis.meetings import decision_log

    snap = _snapshot(args)
    key = _meeting(snap, args.meeting, args.body).model.key if args.meeting else None
    views = decision_log(meetings.book(snap), meeting_key=key)
    if args.json:
        _print_json([meetings.decision_json(v) for v in views])
        return
    if not views:
        echo("no decisions")
        return
    rows = [
        [f"{format_date(v.meeting.date)} {v.item.number}.{v.number}", clip(v.decision.text, 90)]
        for v in views
    ]
    echo(_table(rows, ["Made at", "Decision"]))


def cmd_meeting_check(args: argparse.Namespace) -> None:
    from psr_tui import meetings

    snap = _snapshot(args)
    record = _meeting(snap, args.meeting, args.body)
    checked = meetings.check(snap, record.model)
    name = meetings.meeting_name(record.model)
    if args.json:
        _print_json(
            {
                "meeting": {
                    "key": record.model.key,
                    "body": record.model.body,
                    "date": record.model.date.isoformat(),
                },
                "issue_by": checked.issue_by.isoformat(),
                "warnings": [{"where": w.where, "message": w.message} for w in checked.warnings],
            }
        )
    else:
        for warning in checked.warnings:
            echo(f"warning: {warning}")
        count = len(checked.warnings)
        verdict = f"{count} warning{'' if count == 1 else 's'}" if count else "no warnings"
        echo(f"{name}: {verdict} (papers due out by {format_date(checked.issue_by)})")
    if checked.warnings:
        raise SystemExit(EXIT_USER_ERROR)


def _paper_flags(args: argparse.Namespace) -> list[tuple[str, object]]:
    """The paper options given other than as their defaults."""
    return [
        ("--status", args.status != "Draft"),
        ("--version", args.version != "1"),
        ("--classification", args.classification != "OFFICIAL"),
        ("--recommendation", args.recommendation),
        ("--recommendations", args.recommendations),
        ("--open", args.open),
        ("--overdue", args.overdue),
        ("--band-at-least", args.band_at_least),
        ("--top", args.top),
    ]


def paper_options(args: argparse.Namespace) -> Any:
    """The PaperOptions `psr export` was given, checked (ExportError names what is wrong)."""
    from psr_tui.exports import options

    recommendations: dict[str, list[str]] = {}
    if args.recommendations:
        recommendations = options.read_recommendations(Path(args.recommendations), args.what)
    if args.recommendation:
        if args.what == "pack":
            raise UserError(
                "the pack has several papers: give their recommendations by paper in a file "
                "(--recommendations FILE)"
            )
        recommendations[args.what] = options.clean_recommendations(args.recommendation, args.what)
    limits = options.RegisterLimits(
        open_only=args.open,
        band_at_least=args.band_at_least,
        overdue_only=args.overdue,
        top=args.top,
    )
    return options.PaperOptions(
        control=options.document_control(args.status, args.version, args.classification),
        limits=options.limits_for(args.what, limits),
        recommendations=recommendations,
    )


def cmd_team(args: argparse.Namespace) -> None:
    team = _snapshot(args).meta.team
    if args.json:
        _print_json(team)
        return
    if not team:
        echo("no display names yet: psr team set LOGIN 'Full Name'")
        return
    echo(_table([[login, name] for login, name in team.items()], ["Login", "Name on papers"]))


def cmd_team_set(args: argparse.Namespace) -> None:
    from psr_tui.changes.team import set_display_name

    with _store(args).transaction() as tx:
        set_display_name(tx, args.login, args.name)
    name = " ".join(args.name.split())
    echo(
        f"{args.login.strip()} is {name!r} on the papers"
        if name
        else f"{args.login.strip()} has no display name now: the papers show the login"
    )
