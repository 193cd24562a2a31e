"""Telling a file's format from its content, and naming what the app cannot read: any bytes
end in a Document or in one ImportFileError line, never in another exception."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline_app.domain.errors import ImportFileError, TimelineError
from timeline_app.services.interchange import read_file_as

FOREIGN = {
    "report.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "is a PDF document"),
    "events.sqlite": (b"SQLite format 3\x00" + bytes(100), "an SQLite database"),
    "chart.png": (b"\x89PNG\r\n\x1a\n" + bytes(40), "a PNG image"),
    "data.csv.gz": (b"\x1f\x8b\x08\x00" + bytes(40), "a gzip archive"),
}


@pytest.mark.parametrize("name", sorted(FOREIGN))
def test_a_foreign_file_is_named_for_what_it_is(tmp_path, name):
    content, words = FOREIGN[name]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as caught:
        read_file_as(path)
    message = str(caught.value)
    assert words in message and "\n" not in message


def _zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_word_document_and_a_plain_zip_are_named(tmp_path):
    for name, entries, words in (
        ("letter.docx", {"word/document.xml": b"<w/>"}, "a Word document"),
        ("bundle.zip", {"a.txt": b"a"}, "a ZIP archive"),
    ):
        path = tmp_path / name
        path.write_bytes(_zip(entries))
        with pytest.raises(ImportFileError) as caught:
            read_file_as(path)
        assert words in str(caught.value)


def test_a_workbook_that_unpacks_to_gigabytes_is_refused_before_it_is_read(tmp_path):
    """A zip bomb: a few megabytes claiming more than the limit once unpacked."""
    from timeline_app.services.interchange import formats

    path = tmp_path / "bomb.xlsx"
    path.write_bytes(
        _zip({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": bytes(8 * 2**20)})
    )
    original = formats.UNPACKED_AT_MOST
    formats.UNPACKED_AT_MOST = 4 * 2**20  # the same check, at a size a test can afford
    try:
        with pytest.raises(ImportFileError) as caught:
            read_file_as(path)
    finally:
        formats.UNPACKED_AT_MOST = original
    assert "unpacks to 8 MB; the limit is 4 MB" in str(caught.value)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda text: text.encode("utf-8")),
        st.sampled_from(
            [b"{", b"[", b"<", b"BEGIN:VCALENDAR", b"PK\x03\x04", b"event_id_cnty,event_date"]
        ).flatmap(lambda head: st.binary(max_size=200).map(lambda tail: head + tail)),
    )
)
def test_any_bytes_end_in_a_document_or_one_clear_line(tmp_path_factory, content):
    path = Path(tmp_path_factory.mktemp("any")) / "file"
    path.write_bytes(content)
    try:
        read_file_as(path)
    except TimelineError as error:
        assert "\n" not in str(error).strip(), str(error)
