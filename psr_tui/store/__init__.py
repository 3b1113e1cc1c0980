"""TinyDB storage shared by several processes: locking, atomic writes, revs, audit."""

from psr_tui.store.files import CorruptFileError, FileSignature, MissingFileError, StoreError
from psr_tui.store.store import (
    SCHEMA_VERSION,
    ConflictError,
    InvalidRecordError,
    Meta,
    NotFoundError,
    Record,
    SchemaTooNewError,
    Snapshot,
    Store,
    Transaction,
    current_user,
    register_table,
)

__all__ = [
    "SCHEMA_VERSION",
    "ConflictError",
    "CorruptFileError",
    "FileSignature",
    "InvalidRecordError",
    "Meta",
    "MissingFileError",
    "NotFoundError",
    "Record",
    "SchemaTooNewError",
    "Snapshot",
    "Store",
    "StoreError",
    "Transaction",
    "current_user",
    "register_table",
]
