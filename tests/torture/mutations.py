"""Hostile variations of the app's own export files, as Hypothesis strategies.

A mutation is a small readable tuple (what Hypothesis prints for a failing case); `mutate`
applies a list of them to the seed text. Positions are drawn as large integers and taken
modulo the size at hand, so a case shrinks towards the start of the file and the first item.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from hypothesis import strategies as st

LONG_TEXT = "x" * 100_000
DEEP_ARRAY = "[" * 50_000 + "]" * 50_000
HUGE_INTEGER = "1" + "0" * 5000

RAW_SNIPPETS: dict[str, str] = {
    "nul": "\x00",
    "surrogate_escape": "\\ud800",
    "surrogate_bytes": "\ud800",
    "long_text": LONG_TEXT,
    "huge_integer": HUGE_INTEGER,
    "infinity": "1e999",
    "nan": "NaN",
    "deep_array": DEEP_ARRAY,
    "formula": "=cmd|' /C calc'!A0",
    "persian_date": "۲۰۲۲-۰۲-۲۴",
    "invalid_date": "2022-02-30",
    "bom": "\ufeff",
    "crlf": "\r\n",
    "quote": '"',
    "comma": ",",
    "brace": "}",
}
"""Text inserted at a random place of a file, as it stands."""

JSON_VALUES: dict[str, str] = {
    "null": "null",
    "zero": "0",
    "true": "true",
    "empty_list": "[]",
    "empty_object": "{}",
    "empty_text": '""',
    "blank_text": '"   "',
    "nul_text": '"a\\u0000b"',
    "surrogate": '"\\ud800"',
    "long_text": json.dumps(LONG_TEXT),
    "huge_integer": HUGE_INTEGER,
    "negative": "-1",
    "float": "3.5",
    "infinity": "1e999",
    "nan": "NaN",
    "deep_array": DEEP_ARRAY,
    "formula": json.dumps("=cmd|' /C calc'!A0"),
    "persian_date": json.dumps("۲۰۲۲-۰۲-۲۴"),
    "invalid_date": '"2022-02-30"',
    "odd_date": '"2022-13"',
    "list_of_numbers": "[1, 2, 3]",
    "list_of_nulls": "[null]",
    "object_in_list": '[{"title": 1}]',
    "bidi_text": json.dumps("\u202ebackwards\u202c"),
}
"""JSON literals put in place of a value: wrong types and hostile texts (raw, so that values
`json.dumps` cannot write, such as 5000-digit integers and NaN, reach the reader as such)."""

CSV_VALUES: dict[str, str] = {
    "empty": "",
    "blank": "   ",
    "nul": "a\x00b",
    "long_text": LONG_TEXT,
    "huge_integer": HUGE_INTEGER,
    "infinity": "1e999",
    "nan": "NaN",
    "negative": "-1",
    "float": "3.5",
    "formula": "=cmd|' /C calc'!A0",
    "persian_date": "۲۰۲۲-۰۲-۲۴",
    "persian_digit": "۳",
    "invalid_date": "2022-02-30",
    "odd_date": "2022-13",
    "separators": "; ; |",
    "bad_source": "no url here",
    "newline": "a\nb",
    "bidi_text": "\u202ebackwards\u202c",
}
"""Cell values for CSV edits, written with proper CSV quoting."""

SECTIONS = {
    "events": (
        "id",
        "title",
        "start",
        "end",
        "category",
        "importance",
        "certainty",
        "description",
        "location",
        "tags",
        "actors",
        "sources",
    ),
    "categories": ("name", "colour", "parent", "sort_order", "description"),
    "sources": ("id", "title", "publisher", "url", "published"),
    "eras": ("id", "name", "start", "end", "colour", "group"),
    "actors": ("name", "kind"),
}
JSON_EDITS = (
    "delete",
    "value",
    "swap",
    "unknown_key",
    "duplicate",
    "own_parent",
    "section_value",
    "top_value",
)
CSV_EDITS = ("cell", "swap", "duplicate_row", "drop_column", "unknown_column", "extra_cell")
ENCODINGS = ("bom", "crlf", "utf-16", "utf-32", "latin-1")

index = st.integers(min_value=0, max_value=10**6)


@st.composite
def json_edit(draw: st.DrawFn) -> tuple:
    kind = draw(st.sampled_from(JSON_EDITS + ("value",) * 3))
    section = draw(st.sampled_from(sorted(SECTIONS)))
    key = draw(st.sampled_from(SECTIONS[section]))
    if kind == "swap":
        return (kind, section, draw(index), key, draw(st.sampled_from(SECTIONS[section])))
    if kind in ("value", "section_value", "top_value"):
        return (kind, section, draw(index), key, draw(st.sampled_from(sorted(JSON_VALUES))))
    return (kind, section, draw(index), key)


@st.composite
def csv_edit(draw: st.DrawFn) -> tuple:
    kind = draw(st.sampled_from(CSV_EDITS + ("cell",) * 4))
    return (kind, draw(index), draw(index), draw(st.sampled_from(sorted(CSV_VALUES))))


text_edit = st.one_of(
    st.tuples(st.just("flip"), index, st.integers(min_value=1, max_value=255)),
    st.tuples(st.just("truncate"), index),
    st.tuples(st.just("insert"), index, st.sampled_from(sorted(RAW_SNIPPETS))),
)


@st.composite
def mutation_plan(draw: st.DrawFn, fmt: str) -> list[tuple]:
    """A few structured edits, then a few text edits, then rarely a re-encoding (which
    stops most files at the first check); never none."""
    structured = draw(st.lists(json_edit() if fmt == "json" else csv_edit(), max_size=3))
    textual = draw(st.lists(text_edit, max_size=2))
    encoding = draw(st.sampled_from((None,) * 20 + ENCODINGS))
    plan = structured + textual + ([("encode", encoding)] if encoding else [])
    if not plan:
        plan = [draw(json_edit() if fmt == "json" else csv_edit())]
    return plan


# --- applying a plan -------------------------------------------------------------------------


def _json_apply(data: dict, edit: tuple, raws: dict[str, str]) -> None:
    kind, section = edit[0], edit[1]

    def raw(name: str) -> str:
        marker = f"@@raw{len(raws)}@@"
        raws[marker] = JSON_VALUES[name]
        return marker

    if kind == "top_value":
        data[("format", "version", section)[edit[2] % 3]] = raw(edit[4])
        return
    if kind == "section_value":
        data[section] = raw(edit[4])
        return
    items = data.get(section)
    if not isinstance(items, list) or not items:
        return
    position = edit[2] % len(items)
    item = items[position]
    key = edit[3]
    if not isinstance(item, dict):
        return
    if kind == "delete":
        item.pop(key, None)
    elif kind == "value":
        item[key] = raw(edit[4])
    elif kind == "swap":
        other = edit[4]
        item[key], item[other] = item.get(other), item.get(key)
    elif kind == "unknown_key":
        item[f"{key}_extra"] = "surprise"
    elif kind == "duplicate":
        items.insert(position, json.loads(json.dumps(item)))
    elif kind == "own_parent" and section == "categories":
        item["parent"] = item.get("name")
    elif kind == "own_parent":
        # An event or source pointing at itself: the id of one item given to another.
        other = items[(position + 1) % len(items)]
        if isinstance(other, dict) and key in item:
            other[key] = item[key]


def _dump_json(data: Any, raws: dict[str, str]) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    for marker, literal in raws.items():
        text = text.replace(json.dumps(marker), literal)
    return text


def _csv_apply(rows: list[list[str]], edit: tuple) -> None:
    kind, first, second, value_name = edit
    header, body = rows[0], rows[1:]
    if not body:
        return
    row = body[first % len(body)]
    column = second % len(header)
    if kind == "cell" and column < len(row):
        row[column] = CSV_VALUES[value_name]
    elif kind == "swap":
        other = (column + 1 + first) % len(header)
        if max(column, other) < len(row):
            row[column], row[other] = row[other], row[column]
    elif kind == "duplicate_row":
        rows.insert(1 + first % len(body), list(row))
    elif kind == "drop_column":
        for each in rows:
            if column < len(each):
                del each[column]
    elif kind == "unknown_column":
        header.append("extra")
        for each in body:
            each.append(CSV_VALUES[value_name])
    elif kind == "extra_cell":
        row.append(CSV_VALUES[value_name])


def _dump_csv(rows: list[list[str]]) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _text_apply(data: bytes, edit: tuple) -> bytes:
    kind = edit[0]
    if kind == "flip":
        if not data:
            return data
        position = edit[1] % len(data)
        return data[:position] + bytes([data[position] ^ edit[2]]) + data[position + 1 :]
    if kind == "truncate":
        return data[: edit[1] % (len(data) + 1)]
    position = edit[1] % (len(data) + 1)
    snippet = RAW_SNIPPETS[edit[2]].encode("utf-8", "surrogatepass")
    return data[:position] + snippet + data[position:]


def _encode(data: bytes, encoding: str) -> bytes:
    if encoding == "bom":
        return b"\xef\xbb\xbf" + data
    if encoding == "crlf":
        return data.replace(b"\n", b"\r\n")
    text = data.decode("utf-8", "replace")
    if encoding == "latin-1":
        return text.encode("latin-1", "replace")
    # Python writes UTF-16 and UTF-32 with a byte-order mark, as editors do.
    return text.encode(encoding, "surrogatepass")


def mutate(seed_text: str, fmt: str, plan: list[tuple]) -> bytes:
    """The seed text with every edit of the plan applied, as the bytes of a file."""
    structured = [edit for edit in plan if edit[0] in JSON_EDITS or edit[0] in CSV_EDITS]
    if structured and fmt == "json":
        data = json.loads(seed_text)
        raws: dict[str, str] = {}
        for edit in structured:
            _json_apply(data, edit, raws)
        text = _dump_json(data, raws)
    elif structured:
        rows = list(csv.reader(io.StringIO(seed_text, newline="")))
        for edit in structured:
            _csv_apply(rows, edit)
        text = _dump_csv(rows)
    else:
        text = seed_text
    data_bytes = text.encode("utf-8", "surrogatepass")
    for edit in plan:
        if edit[0] in ("flip", "truncate", "insert"):
            data_bytes = _text_apply(data_bytes, edit)
    for edit in plan:
        if edit[0] == "encode":
            data_bytes = _encode(data_bytes, edit[1])
    return data_bytes
