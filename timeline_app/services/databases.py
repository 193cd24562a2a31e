"""Opening a database and naming its failures, for the window and the command line.

They reach the store only through the services; these are the store's own functions, given
here so that opening a database stays one call with one set of errors.
"""

from __future__ import annotations

from timeline_app.store.database import (
    Database,
    MissingDatabaseError,
    describe_database_error,
    open_database,
    schema_revision,
)

__all__ = [
    "Database",
    "MissingDatabaseError",
    "describe_database_error",
    "open_database",
    "schema_revision",
]
