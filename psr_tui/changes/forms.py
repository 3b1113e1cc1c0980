"""Assessment forms out and back: write one form per respondent of a round and record that
it was sent; read returned forms and store their scores. The CLI and the round's screen
call these.

Forms out: the files are made from a snapshot (no lock), written atomically, and then
`mark_forms_sent` records "form sent" on each respondent in one transaction.

Returns in: `prepare_returns` reads and checks every file against a snapshot, without the
lock, and refuses the lot naming every problem (file, domain, value); `apply_returns`
writes them in one transaction. A returned form carries what it showed when it was sent,
so it changes only what the respondent changed on it: a domain the officer has since
scored differently in psr is a clash, named with both values, and nothing is written
unless `replace` puts the forms' values over psr's (in those domains, and only those).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from psr_tui.changes.clashes import clash_texts
from psr_tui.errors import (
    ConflictError,
    FormConflictError,
    FormsRefusedError,
    InvalidRecordError,
    NotFoundError,
    StoreError,
)
from psr_tui.exports.forms import FormDetails, form_details, form_filenames, framework_shape
from psr_tui.exports.forms_xlsx import FormFileError, form_values, form_xlsx, read_filled_form
from psr_tui.exports.responses_io import respondent_identity
from psr_tui.models import Framework, Record, Response, Round, RoundStatus
from psr_tui.store import Snapshot, Store, Transaction
from psr_tui.store.files import atomic_write

XLSX, PDF = ".xlsx", ".pdf"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _who(name: str, organisation: str) -> str:
    return f"{name} ({organisation or 'no organisation'})"


def _writable_round(snapshot: Snapshot, round_name: str) -> tuple[Round, Framework]:
    round_, framework = snapshot.assessment_round(round_name)
    if round_.status == RoundStatus.CLOSED:
        raise InvalidRecordError(
            f"round {round_.name!r} is closed, so it is read-only: reopen it first"
        )
    return round_, framework


# --- forms out ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FormsOut:
    """The forms written for a round: the files, and each respondent as read, to mark sent."""

    round: str
    folder: Path
    files: list[Path]
    sent: list[Record[Response]]
    day: date


def write_forms(
    snapshot: Snapshot,
    round_name: str,
    folder: Path,
    *,
    pdf: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> FormsOut:
    """Write one .xlsx form (and with `pdf` a printable PDF) per respondent of the round into
    `folder` (made if missing); nothing is recorded yet (see `mark_forms_sent`). `progress`
    hears (respondents done, respondents in all) after each."""
    round_, framework = _writable_round(snapshot, round_name)
    people = sorted(snapshot.responses(round_.name), key=lambda r: r.doc_id)
    if not people:
        raise InvalidRecordError(
            f"round {round_.name!r} has no respondents: add them first (+ on the Assessment screen)"
        )
    folder = Path(folder).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{folder}: cannot make the folder ({exc.strerror or exc})") from None
    if not folder.is_dir():
        raise StoreError(f"{folder}: not a folder")
    day = snapshot.as_at
    kinds = [XLSX, PDF] if pdf else [XLSX]
    names = {kind: form_filenames(round_.name, [p.model for p in people], kind) for kind in kinds}
    files: list[Path] = []
    for index, person in enumerate(people):
        details = form_details(snapshot.meta.partnership, round_.name, framework, person.model, day)
        for kind in kinds:
            path = folder / names[kind][index]
            _write(path, _form_bytes(kind, details, framework))
            files.append(path)
        if progress is not None:
            progress(index + 1, len(people))
    return FormsOut(round_.name, folder, files, people, day)


def _form_bytes(kind: str, details: FormDetails, framework: Framework) -> bytes:
    if kind == PDF:
        from psr_tui.exports.forms_pdf import form_pdf

        return form_pdf(details, framework)
    return form_xlsx(details, framework)


def _write(path: Path, payload: bytes) -> None:
    try:
        atomic_write(path, payload)
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror or exc}") from None


def mark_forms_sent(tx: Transaction, written: FormsOut) -> int:
    """Record "form sent" on each respondent the forms were written for (those deleted
    meanwhile are skipped); returns how many were marked."""
    marked = 0
    for person in written.sent:
        try:
            tx.get("responses", person.doc_id)
        except NotFoundError:
            continue
        edited = person.model.model_copy(update={"form_sent": written.day})
        tx.merge("responses", person.doc_id, person.model, edited, overwrite=True)
        marked += 1
    return marked


def send_forms(store: Store, round_name: str, folder: Path, *, pdf: bool = False) -> str:
    """`psr form`: write the forms, then record that they were sent; a one-line result."""
    written = write_forms(store.snapshot(), round_name, folder, pdf=pdf)
    with store.transaction() as tx:
        mark_forms_sent(tx, written)
    return forms_written_text(written)


def forms_written_text(written: FormsOut) -> str:
    forms, people = _plural(len(written.files), "form"), _plural(len(written.sent), "respondent")
    return f"wrote {forms} for {people} of {written.round!r} to {written.folder}"


# --- returns in --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnedForm:
    """A returned form as checked: whose it is, what it showed when sent, what it says now."""

    path: Path
    name: str
    organisation: str
    sent_scores: dict[str, int]
    sent_comments: dict[str, str]
    scores: dict[str, int]
    comments: dict[str, str]


@dataclass(frozen=True)
class ReturnsIn:
    round: Round
    framework: Framework
    forms: list[ReturnedForm]
    blank: list[Path] = field(default_factory=list)  # forms with no score: left out


def form_files(paths: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """The .xlsx files the given paths name (a folder: the .xlsx files in it), and a
    problem for each path that names none."""
    files: list[Path] = []
    problems: list[str] = []
    for path in (Path(p).expanduser() for p in paths):
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.suffix.lower() == XLSX and p.is_file() and not p.name.startswith(("~$", "."))
            )
            if not found:
                problems.append(f"{path}: no .xlsx forms in the folder")
            files += found
        elif not path.exists():
            problems.append(f"{path}: no such file or folder")
        elif path.suffix.lower() != XLSX:
            problems.append(
                f"{path.name}: not an .xlsx form (a printed form's scores are typed in on the "
                "scoring screen)"
            )
        else:
            files.append(path)
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return unique, problems


def _form_problems(
    details: FormDetails, path: Path, round_: Round, framework: Framework
) -> list[str]:
    if details.round.strip().lower() != round_.name.lower():
        return [
            f"{path.name}: this form is for round {details.round!r} ({details.framework}), not "
            f"{round_.name!r} ({round_.framework})"
        ]
    if details.framework != framework.name or details.shape != framework_shape(framework):
        return [
            f"{path.name}: this form is for framework {details.framework!r}, but round "
            f"{round_.name!r} uses {framework.name!r}"
            + (" (its levels or domains differ)" if details.framework == framework.name else "")
        ]
    return []


def prepare_returns(snapshot: Snapshot, paths: Iterable[Path], round_name: str) -> ReturnsIn:
    """Read and check every returned form for the round (no lock): FormsRefusedError listing
    every problem if any form is bad, else the forms ready to write."""
    round_, framework = _writable_round(snapshot, round_name)
    files, problems = form_files(paths)
    people = {
        respondent_identity(r.model.name, r.model.organisation): r.model
        for r in snapshot.responses(round_.name)
    }
    forms: list[ReturnedForm] = []
    blank: list[Path] = []
    seen: dict[tuple[str, str], Path] = {}
    for path in files:
        try:
            filled = read_filled_form(path)
        except FormFileError as exc:
            problems.append(str(exc))
            continue
        details = filled.details
        mismatch = _form_problems(details, path, round_, framework)
        if mismatch:
            problems += mismatch
            continue
        identity = respondent_identity(details.name, details.organisation)
        person = people.get(identity)
        if person is None:
            problems.append(
                f"{path.name}: {_who(details.name, details.organisation)} is not a respondent "
                f"of {round_.name!r} (renamed or deleted since the form was sent? send a new form)"
            )
            continue
        if identity in seen:
            problems.append(
                f"{path.name}: a second form for {_who(person.name, person.organisation)} "
                f"(the first is {seen[identity].name})"
            )
            continue
        seen[identity] = path
        scores, comments, bad = form_values(filled, framework)
        problems += bad
        if not bad and not scores:
            # A form sent out and not filled in (yet): not a reply.
            blank.append(path)
            continue
        forms.append(
            ReturnedForm(
                path,
                person.name,
                person.organisation,
                details.sent_scores,
                details.sent_comments,
                scores,
                comments,
            )
        )
    if not forms and not problems:
        problems = [f"{p.name}: no score is filled in" for p in blank] or ["no forms given"]
    if problems:
        raise FormsRefusedError(problems)
    return ReturnsIn(round_, framework, forms, blank)


def _again(what: str) -> StoreError:
    return StoreError(
        f"{what} while the forms were checked; nothing was imported: import them again"
    )


def apply_returns(tx: Transaction, prepared: ReturnsIn, replace: bool = False) -> str:
    """Store the returned forms' scores and comments, and "returned" on each respondent, in
    this one transaction (see the module's rule for clashes and `replace`)."""
    round_ = prepared.round
    record = tx.round(round_.name)
    if record is None:
        raise _again(f"round {round_.name!r} was deleted in another session")
    if record.model.status == RoundStatus.CLOSED:
        raise _again(f"round {round_.name!r} was closed in another session")
    if tx.framework(round_.framework) != prepared.framework:
        raise _again(f"framework {round_.framework!r} was changed in another session")
    stored = {
        respondent_identity(r.model.name, r.model.organisation): r
        for r in tx.responses(round_.name)
    }
    conflicts: list[str] = []
    changed = 0
    day = tx.as_at
    for form in prepared.forms:
        found = stored.get(respondent_identity(form.name, form.organisation))
        if found is None:
            raise _again(f"{_who(form.name, form.organisation)} was deleted in another session")
        current = found.model
        # What the form showed when sent is the base: the merge writes what the respondent
        # changed on it, and a domain psr changed since to another value is a clash.
        base = current.model_copy(
            update={"scores": form.sent_scores, "comments": form.sent_comments}
        )
        edited = base.model_copy(update={"scores": form.scores, "comments": form.comments})
        if (
            current.form_returned is None
            or edited.scores != base.scores
            or (edited.comments != base.comments)
        ):
            edited = edited.model_copy(update={"form_returned": day})
        try:
            merged = tx.merge("responses", found.doc_id, base, edited, overwrite=replace)
        except ConflictError as error:
            clashes = "; ".join(
                f"{c.field} {c.theirs} in psr, {c.mine} on the form"
                for c in clash_texts(error, prepared.framework)
            )
            conflicts.append(
                f"{_who(current.name, current.organisation)}, {form.path.name}: {clashes}"
            )
            continue
        if merged != current:
            changed += 1
    if conflicts:
        raise FormConflictError(conflicts)
    forms = _plural(len(prepared.forms), "form")
    unchanged = len(prepared.forms) - changed
    blank = len(prepared.blank)
    return (
        f"imported {forms} into {round_.name!r}: {_plural(changed, 'respondent')} updated"
        + (f", {unchanged} unchanged" if unchanged else "")
        + (f"; left out {_plural(blank, 'form')} with no score filled in" if blank else "")
    )


def import_returns(
    store: Store, paths: Iterable[Path], round_name: str, *, replace: bool = False
) -> str:
    """`psr import forms`: every form checked without the lock, then written under it."""
    prepared = prepare_returns(store.snapshot(), paths, round_name)
    with store.transaction() as tx:
        return apply_returns(tx, prepared, replace=replace)
