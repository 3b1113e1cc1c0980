"""TinyDB storage shared by several processes: locking, atomic writes, revs, audit."""

from psr_tui.errors import (
    ConflictError,
    CorruptFileError,
    FieldClash,
    InvalidRecordError,
    MissingFileError,
    NotFoundError,
    NotSavedError,
    SchemaTooNewError,
    StoreError,
)
from psr_tui.models import Record
from psr_tui.store.files import FileSignature
from psr_tui.store.store import (
    SCHEMA_VERSION,
    Meta,
    NewRecords,
    Snapshot,
    Store,
    Transaction,
    current_user,
    field_changes,
)

__all__ = [
    "SCHEMA_VERSION",
    "ConflictError",
    "CorruptFileError",
    "FieldClash",
    "FileSignature",
    "InvalidRecordError",
    "Meta",
    "MissingFileError",
    "NewRecords",
    "NotFoundError",
    "NotSavedError",
    "Record",
    "SchemaTooNewError",
    "Snapshot",
    "Store",
    "StoreError",
    "Transaction",
    "current_user",
    "field_changes",
]
