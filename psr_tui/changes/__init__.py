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
