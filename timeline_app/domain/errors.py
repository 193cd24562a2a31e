"""The project's own error hierarchy: every failure a user can cause names what and where."""

from __future__ import annotations

QUOTE_LIMIT = 80
"""At most this many characters of a bad value are quoted in a message: a 4 KB cell or a
100,000-character line must not become the error line."""


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """`repr(value)` for an error message, cut to about `limit` characters with an ellipsis.

    Lone surrogates and control characters come out escaped, so the line can always be printed.
    """
    if isinstance(value, str) and len(value) > limit:
        return repr(value[:limit]) + "…"
    try:
        text = repr(value)
    except ValueError:  # an integer past Python's 4,300-digit conversion limit
        return f"a number of more than {limit} digits"
    return text if len(text) <= limit + 2 else text[:limit] + "…"


class TimelineError(Exception):
    """Base of every error the app reports to a user as one clear line."""


class ValidationError(TimelineError):
    """A value broke a rule; `field` names the form field or file column at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class DateError(ValidationError):
    """A date text could not be read; the message quotes the text."""


class ImportFileError(TimelineError):
    """A file to import is wrong at `path`:`row` in `field`; nothing was written."""

    def __init__(self, path: str, row: int | None, field: str, message: str) -> None:
        where = f"{path}:{row}" if row is not None else path
        super().__init__(f"{where}: {field}: {message}")
        self.path = path
        self.row = row
        self.field = field
        self.message = message


class SchemaError(TimelineError):
    """The database is not one this version of the app can open; it was left untouched."""


class ConflictError(TimelineError):
    """An edit was based on a stale version: someone saved the same record in between."""

    def __init__(self, entity: str, entity_id: str, expected: int, found: int | None) -> None:
        what = "was deleted" if found is None else f"is now at version {found}"
        super().__init__(f"{entity} {entity_id} {what}; your edit was based on version {expected}")
        self.entity = entity
        self.entity_id = entity_id
        self.expected = expected
        self.found = found


class NotFoundError(TimelineError):
    """A record the user referred to does not exist (any more)."""


class DatabaseFailure(TimelineError):
    """The database failed under a request (locked too long, full, unreachable); the message
    says how, in one line."""


class WriteConflict(DatabaseFailure):
    """A write met a row another writer stored after it was planned (a key or uniqueness
    constraint refused it); nothing of the write was kept."""


class Cancelled(TimelineError):
    """The user stopped long work (an import, an export, a reload) before it finished;
    whatever it was writing was rolled back, so nothing of it was kept."""

    def __init__(self, what: str = "the work") -> None:
        super().__init__(f"Cancelled {what}; nothing was changed")
        self.what = what
