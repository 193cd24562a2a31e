"""The file formats the app reads and writes, as the command line and the dialogs name them.

Plain data: the command line lists the names without importing any reader, so that
`timeline-app --help` and the window's start pay for none of them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FileFormat:
    """One format: its `--format` name, its label in dialogs, and the module that reads it."""

    name: str
    label: str
    module: str
    """The module of `services.interchange` that reads and writes it."""
    suffixes: tuple[str, ...]
    """Name endings that choose this format for an export (content decides an import)."""
    what: str
    """What a file of this format is, as a message names it ("an Excel workbook", ".xlsx")."""
    export_suffix: str = ""
    """The ending an exported file gets when its name has none of `suffixes`."""

    @property
    def name_filter(self) -> str:
        """A file dialog's filter: "Excel workbook (*.xlsx)"."""
        endings = self.suffixes or (self.export_suffix,)
        return f"{self.label} ({' '.join('*' + ending for ending in endings)})"


FILE_FORMATS: tuple[FileFormat, ...] = (
    FileFormat(
        "json", "Timeline app JSON", "json_format", (".json",), "a timeline_app JSON file", ".json"
    ),
    FileFormat("csv", "CSV", "csv_format", (".csv",), "a CSV file", ".csv"),
    FileFormat(
        "tsv", "Tab-separated values", "spreadsheet", (".tsv", ".tab"), "a TSV file", ".tsv"
    ),
    FileFormat("xlsx", "Excel workbook", "spreadsheet", (".xlsx",), "an Excel workbook", ".xlsx"),
    FileFormat(
        "ods",
        "OpenDocument spreadsheet",
        "spreadsheet",
        (".ods",),
        "an OpenDocument spreadsheet",
        ".ods",
    ),
    FileFormat("timelinejs", "TimelineJS3 JSON", "timelinejs", (), "a TimelineJS3 file", ".json"),
    FileFormat(
        "timeline",
        "The Timeline Project",
        "thetimeline",
        (".timeline",),
        "a .timeline file",
        ".timeline",
    ),
    FileFormat("ics", "iCalendar", "ics", (".ics", ".ical", ".ifb"), "an iCalendar file", ".ics"),
    FileFormat(
        "vis", "vis-timeline items", "vis_timeline", (), "a vis-timeline item file", ".json"
    ),
    FileFormat("gdelt", "GDELT event export", "gdelt", (), "a GDELT event export", ".csv"),
    FileFormat("acled", "ACLED export", "acled", (), "an ACLED export", ".csv"),
)
FORMATS: tuple[str, ...] = tuple(entry.name for entry in FILE_FORMATS)
BY_NAME: dict[str, FileFormat] = {entry.name: entry for entry in FILE_FORMATS}
