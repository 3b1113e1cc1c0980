"""Every change a user can make, as a named function over a store transaction.

Screens and CLI commands call these; none builds or mutates records itself, so a rule
about what a change may do lives here once, and the TUI, the CLI and the tests go through
the same code.

The conventions, one module per body of data:

- A change takes the transaction first, then plain values: ids, names, the new values,
  and for an edit the model as the session read it (`base`). It returns what it saved.
- An edit goes through `Transaction.merge(table, doc_id, base, edited)`: only the fields
  this session changed are written onto the latest record, and only a field both sessions
  changed is a ConflictError (listing each clash), unless the caller passes `overwrite`.
- A refusal is an error from `psr_tui.errors` whose text is one line for the user
  (InvalidRecordError for a rule, NotFoundError for a record deleted meanwhile).
- No Textual, no printing: the caller decides how to show the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import ValidationError

from psr_tui.errors import InvalidRecordError
from psr_tui.models import Model, Stamped, describe_validation_error
from psr_tui.store import Transaction

M = TypeVar("M", bound=Model)


def validated(model: type[M], data: Mapping[str, Any]) -> M:
    """`data` as a `model`, or InvalidRecordError saying in one line what is wrong."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidRecordError(describe_validation_error(exc)) from None


def delete_as_read(
    tx: Transaction, table: str, doc_id: int, base: Stamped, *, overwrite: bool = False
) -> None:
    """Delete the record as the user saw it (`base`): if another session changed it since,
    that is a ConflictError, unless `overwrite`."""
    tx.delete(table, doc_id, expected_rev=None if overwrite else base.rev)
