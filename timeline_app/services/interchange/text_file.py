"""Decoding an imported file's bytes into text, with a clear word on the wrong encodings."""

from __future__ import annotations

from timeline_app.domain.errors import ImportFileError

MAX_FILE_BYTES = 512 * 1024 * 1024


def decode_text(path: str, raw: bytes) -> str:
    """UTF-8 text (a UTF-8 byte-order mark is accepted and dropped); anything else is refused."""
    if not raw.strip():
        raise ImportFileError(path, None, "file", "is empty")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(path, None, "encoding", "is UTF-16; save the file as UTF-8")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportFileError(path, line, "encoding", "is not valid UTF-8 text") from error
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ImportFileError(path, line, "file", "contains a NUL character (a binary file?)")
    return text
