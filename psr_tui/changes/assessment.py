"""The changes an officer makes to the self-assessment: scores and evidence, rounds,
respondents, targets, and the rules a framework's summaries are read by. The assessment
screens call these.

A score or a comment is one key of a response's `scores` / `comments`: each save carries
the response as this session saw it before the keystroke, so the merge writes just that
domain and only another session's change to the same domain is a clash.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Literal

from pydantic import ValidationError

from psr_tui.errors import ConflictError, InvalidRecordError, NotFoundError
from psr_tui.exports.responses_io import respondent_identity
from psr_tui.models import (
    AchievedRule,
    ConsensusRule,
    Framework,
    Record,
    Response,
    Round,
    RoundStatus,
)
from psr_tui.store import Transaction

Cell = Literal["score", "comment"]


def with_cell(response: Response, cell: Cell, domain: str, value: int | str | None) -> Response:
    """The response with one domain's score or comment set (None or empty removes it)."""
    field = "scores" if cell == "score" else "comments"
    values = dict(getattr(response, field))
    if value is None or value == "":
        values.pop(domain, None)
    else:
        values[domain] = value
    return response.model_copy(update={field: values})


def _open_round(tx: Transaction, name: str) -> Record[Round]:
    record = tx.round(name)
    if record is None:
        raise NotFoundError(f"round {name!r} was deleted in another session")
    if record.model.status == RoundStatus.CLOSED:
        raise InvalidRecordError(
            f"round {record.model.name!r} is closed, so it is read-only: reopen it first"
        )
    return record


def set_cell(
    tx: Transaction,
    doc_id: int,
    base: Response,
    cell: Cell,
    domain: str,
    value: int | str | None,
    *,
    overwrite: bool = False,
) -> Response:
    """Set one domain's score or comment of a response this session read as `base`."""
    _open_round(tx, base.round)
    edited = with_cell(base, cell, domain, value)
    return tx.merge("responses", doc_id, base, edited, overwrite=overwrite)


def set_score(
    tx: Transaction, doc_id: int, base: Response, domain: str, level: int | None
) -> Response:
    """Score one domain (None clears it)."""
    return set_cell(tx, doc_id, base, "score", domain, level)


def set_comment(tx: Transaction, doc_id: int, base: Response, domain: str, text: str) -> Response:
    """Set one domain's evidence note (empty removes it)."""
    return set_cell(tx, doc_id, base, "comment", domain, text.strip())


def save_scores(
    tx: Transaction, doc_id: int, base: Response, edited: Response, *, overwrite: bool = False
) -> Response:
    """Save every score and comment this session changed (`base` -> `edited`) at once; with
    `overwrite`, its values go over another session's in those domains, and only those."""
    _open_round(tx, base.round)
    mine = base.model_copy(update={"scores": edited.scores, "comments": edited.comments})
    return tx.merge("responses", doc_id, base, mine, overwrite=overwrite)


# --- rounds ------------------------------------------------------------------------------


def _name_free(tx: Transaction, name: str) -> None:
    if tx.round(name) is not None:
        raise InvalidRecordError(f"there is already a round called {name.strip()!r}")


def new_round(tx: Transaction, name: str, day: date, framework: str) -> Record[Round]:
    _name_free(tx, name)
    return tx.add("rounds", [Round(name=name, date=day, framework=framework)])[0]


def copy_round(tx: Transaction, source: str, name: str, day: date) -> Record[Round]:
    """A new open round with the respondents of `source` (as stored now), scores empty; it
    keeps the source's framework, groups and targets."""
    found = tx.round(source)
    if found is None:
        raise NotFoundError(f"round {source!r} was deleted in another session")
    _name_free(tx, name)
    copied = found.model.model_copy(update={"name": name, "date": day, "status": RoundStatus.OPEN})
    added = tx.add("rounds", [copied])[0]
    people = sorted(tx.responses(found.model.name), key=lambda r: r.doc_id)
    tx.add(
        "responses",
        [
            Response(
                round=added.model.name,
                name=p.model.name,
                organisation=p.model.organisation,
                group=p.model.group,
            )
            for p in people
        ],
    )
    return added


def set_round_status(tx: Transaction, doc_id: int, base: Round, status: RoundStatus) -> Round:
    """Close a round (its scores become read-only) or reopen it."""
    return tx.merge("rounds", doc_id, base, base.model_copy(update={"status": status}))


def delete_round(
    tx: Transaction, doc_id: int, base: Round, responses: Collection[int]
) -> tuple[Round, int]:
    """Delete a round and the responses the user confirmed (their ids), and nothing else.

    Refused, deleting nothing, when the round changed or another session added or removed
    one of its responses since the user confirmed. Returns the round and how many went.
    """
    current = tx.get("rounds", doc_id).model
    if current.rev != base.rev:
        raise ConflictError("rounds", current.name, current.updated_by, current.updated_at)
    now = {r.doc_id for r in tx.responses(current.name)}
    confirmed = set(responses)
    if now != confirmed:
        added, removed = len(now - confirmed), len(confirmed - now)
        what = [
            f"added {added} response{'s' if added != 1 else ''}" if added else "",
            f"removed {removed}" if removed else "",
        ]
        raise InvalidRecordError(
            f"another session {' and '.join(w for w in what if w)} in round {current.name!r} "
            f"since you confirmed (it has {len(now)} now, not {len(confirmed)}): nothing was "
            "deleted; look again and delete it again if you mean to"
        )
    for response_id in sorted(now):
        tx.delete("responses", response_id)
    tx.delete("rounds", doc_id)
    return current, len(now)


def set_target(
    tx: Transaction,
    doc_id: int,
    base: Round,
    domain: str,
    level: int | None,
    *,
    overwrite: bool = False,
) -> Round:
    """Set (or with None clear) the target level of one domain in a round."""
    targets = dict(base.targets)
    if level is None:
        targets.pop(domain, None)
    else:
        targets[domain] = level
    edited = base.model_copy(update={"targets": targets})
    return tx.merge("rounds", doc_id, base, edited, overwrite=overwrite)


# --- respondents -------------------------------------------------------------------------


def _identity_free(
    tx: Transaction, round_name: str, name: str, organisation: str, skip: int | None = None
) -> None:
    wanted = respondent_identity(name, organisation)
    for record in tx.responses(round_name):
        if record.doc_id != skip and (
            respondent_identity(record.model.name, record.model.organisation) == wanted
        ):
            raise InvalidRecordError(
                f"{name} ({organisation or 'no organisation'}) is already in {round_name!r}"
            )


def add_respondent(
    tx: Transaction, round_name: str, name: str, organisation: str, group: str
) -> Record[Response]:
    round_ = _open_round(tx, round_name).model
    _identity_free(tx, round_.name, name, organisation)
    response = Response(round=round_.name, name=name, organisation=organisation, group=group)
    return tx.add("responses", [response])[0]


def edit_respondent(
    tx: Transaction,
    doc_id: int,
    base: Response,
    name: str,
    organisation: str,
    group: str,
    *,
    overwrite: bool = False,
) -> Response:
    """Change who a respondent is (name, organisation, group); their scores stay."""
    _open_round(tx, base.round)
    _identity_free(tx, base.round, name, organisation, skip=doc_id)
    edited = base.model_copy(update={"name": name, "organisation": organisation, "group": group})
    return tx.merge("responses", doc_id, base, edited, overwrite=overwrite)


def delete_respondent(tx: Transaction, doc_id: int, base: Response) -> None:
    """Delete a respondent and their scores, refused if another session changed them since."""
    _open_round(tx, base.round)
    tx.delete("responses", doc_id, expected_rev=base.rev)


def set_framework_rules(
    tx: Transaction,
    name: str,
    *,
    achieved: AchievedRule | None = None,
    within: int | None = None,
    share: float | None = None,
    min_ratings: int | None = None,
    base: Framework | None = None,
    overwrite: bool = False,
) -> Framework:
    """Set how a framework's summaries read their scores: the achieved-level rule and the
    consensus rule (each part left None keeps its value). Every round of the framework,
    past ones included, is then read by the new rules: they are the framework's. `base`
    is the framework as the session read it (the merge names a rule another session
    changed meanwhile); without it, the stored one."""
    wanted = name.strip().lower()
    record = next((r for r in tx.frameworks() if r.model.name.lower() == wanted), None)
    if record is None:
        names = ", ".join(repr(r.model.name) for r in tx.frameworks()) or "none"
        raise NotFoundError(f"no framework {name!r} (frameworks: {names})")
    stored: Framework = base or record.model
    given = {"within": within, "share": share, "min_ratings": min_ratings}
    try:
        rule = ConsensusRule.model_validate(
            stored.consensus.model_dump() | {k: v for k, v in given.items() if v is not None}
        )
    except ValidationError as exc:
        error = exc.errors()[0]
        raise InvalidRecordError(f"consensus {error['loc'][0]}: {error['msg'].lower()}") from None
    edited = stored.model_copy(
        update={"achieved_level": achieved or stored.achieved_level, "consensus": rule}
    )
    return tx.merge("frameworks", record.doc_id, stored, edited, overwrite=overwrite)
