"""Read 100,000 spreadsheet rows through a column mapping, against the app's own CSV of the
same rows read by its own reader, same machine, same run.

Three files hold the same events: an xlsx in the TimelineJS-like layout a user brings
(Year/Month/Day cells, Headline, Text, Group, a URL), the app's own CSV, and a TSV in the
app's columns. Each is read and validated into a Document (nothing written): the figure is
what the mapping path costs over the plain reader. Loading the xlsx cells alone is shown
apart, as is writing the xlsx.

Run: python tests/benchmarks/bench_spreadsheet.py [ROWS]
"""

from __future__ import annotations

import io
import random
import sys
import time

from openpyxl import Workbook

from timeline_app.services.interchange.csv_format import read_csv
from timeline_app.services.interchange.spreadsheet import (
    ColumnMapping,
    load_table,
    read,
    read_table,
)

CATEGORIES = [f"Category {i}" for i in range(12)]
MAPPING = ColumnMapping(
    title="Headline",
    year="Year",
    month="Month",
    day="Day",
    description="Text",
    category="Group",
    source_url="Link",
    id="Id",
)


def make_rows(count: int) -> list[tuple[str, int, int | None, int | None, str, str, str, str]]:
    rng = random.Random(7)
    rows = []
    for i in range(count):
        precision = rng.randrange(3)
        month = rng.randint(1, 12) if precision else None
        day = rng.randint(1, 28) if precision == 2 else None
        rows.append(
            (
                f"00000000-0000-4000-8000-{i:012d}",
                rng.randint(1991, 2025),
                month,
                day,
                f"Event number {i}",
                f"Synthetic event {i}",
                rng.choice(CATEGORIES),
                f"https://example.org/{i}",
            )
        )
    return rows


def xlsx_of(rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Events")
    sheet.append(["Id", "Year", "Month", "Day", "Headline", "Text", "Group", "Link"])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def edtf(year: int, month: int | None, day: int | None) -> str:
    if month is None:
        return f"{year}"
    return f"{year}-{month:02d}" if day is None else f"{year}-{month:02d}-{day:02d}"


def csv_of(rows, separator: str = ",") -> bytes:
    header = ["id", "title", "start", "category", "sources", "description"]
    lines = [separator.join(header)]
    for ident, year, month, day, title, text, group, link in rows:
        lines.append(
            separator.join([ident, title, edtf(year, month, day), group, f"<{link}>", text])
        )
    return ("\n".join(lines) + "\n").encode()


def timed(work):
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rows = make_rows(count)
    write_seconds, xlsx = timed(lambda: xlsx_of(rows))
    plain = csv_of(rows)
    tsv = csv_of(rows, "\t")
    baseline, document = timed(lambda: read_csv("events.csv", plain))
    assert len(document.events) == count
    cells, table = timed(lambda: load_table("events.xlsx", xlsx))
    mapped, from_table = timed(lambda: read_table(table, MAPPING))
    whole, from_xlsx = timed(lambda: read("events.xlsx", xlsx, mapping=MAPPING))
    tsv_seconds, from_tsv = timed(lambda: read("events.tsv", tsv))
    assert len(from_table.events) == len(from_xlsx.events) == len(from_tsv.events) == count
    assert [item.draft.start for item in from_xlsx.events[:1000]] == [
        item.draft.start for item in document.events[:1000]
    ]
    print(f"{count:,} rows; figures from one run on a shared 2-core machine")
    print(f"{'case':<44}{'seconds':>9}{'baseline':>10}{'ratio':>7}")
    for case, seconds in (
        ("xlsx read + mapped (whole)", whole),
        ("  of which: load cells (calamine)", cells),
        ("  of which: rows through the mapping", mapped),
        ("tsv in the app's columns, proposed mapping", tsv_seconds),
    ):
        print(f"{case:<44}{seconds:>9.2f}{baseline:>10.2f}{seconds / baseline:>7.1f}")
    print(f"{'baseline: app CSV, csv_format.read_csv':<44}{baseline:>9.2f}")
    print(f"{'(writing the xlsx with openpyxl)':<44}{write_seconds:>9.2f}")


if __name__ == "__main__":
    main()
