"""An imported file's bytes, read within a size limit, decoded with a clear word on the wrong
encodings.

Only regular files and standard input are read: a device (`/dev/zero`), a named pipe or a
folder is refused by its type before it is opened, and no read goes past `MAX_FILE_BYTES`.
"""

from __future__ import annotations

import codecs
import os
import stat
import sys
from typing import BinaryIO

from timeline_app.domain.errors import ImportFileError

MAX_FILE_BYTES = 512 * 1024 * 1024
CHUNK_BYTES = 8 * 1024 * 1024
_SAMPLE_BYTES = 4096
"""How much of a file with NUL bytes is looked at to name its encoding."""


def file_kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in a user's words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def size_text(size: int) -> str:
    """A byte count as a person reads it: 512 MB, 64 KB, 100 bytes."""
    for unit, name in ((1024 * 1024, "MB"), (1024, "KB")):
        if size >= unit:
            return f"{size // unit} {name}"
    return f"{size} bytes"


def check_file_type(path: str) -> None:
    """Refuse a missing file, a folder, a device, a FIFO or a socket without opening it:
    opening a FIFO waits for a writer, and a device like `/dev/zero` never ends."""
    try:
        kind = file_kind(os.stat(path).st_mode)
    except FileNotFoundError:
        raise ImportFileError(path, None, "file", "does not exist") from None
    except OSError as error:
        raise ImportFileError(path, None, "file", reason(error)) from error
    except ValueError as error:  # a NUL in the name
        raise ImportFileError(path, None, "file", "is not a usable file name") from error
    if kind is not None:
        raise ImportFileError(path, None, "file", f"is {kind}, not a file to import")


def read_limited(path: str) -> bytes:
    """The bytes of a regular file or of standard input ('-'), at most `MAX_FILE_BYTES`."""
    if path == "-":
        return _read_stream(path, sys.stdin.buffer)
    check_file_type(path)
    try:
        # O_NONBLOCK: should the name be swapped for a FIFO after the check, opening it must
        # not wait for a writer; fstat below then refuses it.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise ImportFileError(path, None, "file", reason(error)) from error
    with open(descriptor, "rb", buffering=0, closefd=True) as stream:
        try:
            status = os.fstat(descriptor)
        except OSError as error:
            raise ImportFileError(path, None, "file", reason(error)) from error
        kind = file_kind(status.st_mode)
        if kind is not None:
            raise ImportFileError(path, None, "file", f"is {kind}, not a file to import")
        if status.st_size > MAX_FILE_BYTES:
            raise _too_large(path)
        return _read_stream(path, stream)


def _read_stream(path: str, stream: BinaryIO) -> bytes:
    """Read in chunks and stop as soon as the limit is passed: a stream may never end."""
    chunks: list[bytes] = []
    total = 0
    while True:
        try:
            chunk = stream.read(CHUNK_BYTES)
        except OSError as error:
            raise ImportFileError(path, None, "file", reason(error)) from error
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > MAX_FILE_BYTES:
            raise _too_large(path)
        chunks.append(chunk)


def _too_large(path: str) -> ImportFileError:
    return ImportFileError(
        path,
        None,
        "file",
        f"is larger than {size_text(MAX_FILE_BYTES)}; split it into smaller files",
    )


def reason(error: Exception) -> str:
    """The operating system's reason in lower case ("permission denied")."""
    text = (error.strerror if isinstance(error, OSError) else None) or str(error)
    return text[:1].lower() + text[1:]


def decode_text(path: str, raw: bytes) -> str:
    """UTF-8 text (a UTF-8 byte-order mark is accepted and dropped); anything else is refused,
    named as what it most likely is."""
    wide = _wide_encoding(raw)
    if wide is not None:
        raise ImportFileError(path, None, "encoding", f"is {wide}; save the file as UTF-8")
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise ImportFileError(path, line, "file", "contains a NUL character (a binary file?)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ImportFileError(path, line, "encoding", "is not valid UTF-8 text") from error
    if not text or text.isspace():
        raise ImportFileError(path, None, "file", "is empty")
    return text


def _wide_encoding(raw: bytes) -> str | None:
    """ "UTF-32" or "UTF-16" when the bytes look like one (by byte-order mark, or else by NUL
    bytes where ASCII text in that encoding has them); None otherwise.

    UTF-32 is asked first: its little-endian mark starts with the UTF-16 one.
    """
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "UTF-32"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16"
    if b"\x00" not in raw[:_SAMPLE_BYTES]:
        return None  # UTF-8 text has no NUL byte: the common case ends here
    sample = raw[:_SAMPLE_BYTES]
    for encoding, name in (("utf-32-le", "UTF-32"), ("utf-32-be", "UTF-32")):
        if _reads_as_text(sample[: len(sample) - len(sample) % 4], encoding):
            return name
    even, odd = sample[0::2], sample[1::2]
    for encoding, zeros, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if (
            zeros.count(0) * 2 >= len(zeros)
            and others.count(0) * 20 <= len(others)
            and _reads_as_text(sample[: len(sample) - len(sample) % 2], encoding)
        ):
            return "UTF-16"
    return None


def _reads_as_text(sample: bytes, encoding: str) -> bool:
    """True when `sample` decodes in `encoding` into text without NULs or control characters
    other than tab and line ends (a cut-off last character is allowed)."""
    try:
        text = codecs.getincrementaldecoder(encoding)("strict").decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return bool(text) and all(character >= " " or character in "\t\n\r" for character in text)
