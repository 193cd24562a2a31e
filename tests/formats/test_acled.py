"""ACLED CSV exports: rows in with their time precision, ACLED's columns out."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from timeline_app.domain.errors import ImportFileError, TimelineError
from timeline_app.domain.model import EventDraft, SourceRef
from timeline_app.services.interchange import acled
from timeline_app.services.interchange.country_names import countries_named, country_code
from timeline_app.services.interchange.document import apply_import, plan_import

DATA = Path(__file__).parent.parent / "data" / "formats" / "acled"
DOWNLOAD_FILE = DATA / "russia_iran_2022.csv"
API_FILE = DATA / "api_2019.csv"


def read(path: Path, **options):
    return acled.read(str(path), path.read_bytes(), **options)


def by_id(document):
    return {item.id: item for item in document.events}


def test_sniff_knows_an_acled_header():
    assert acled.sniff(DOWNLOAD_FILE.read_bytes(), "data.txt")
    assert acled.sniff(API_FILE.read_bytes(), "data.txt")
    assert acled.sniff(b'\xef\xbb\xbf"EVENT_ID_CNTY","EVENT_DATE","YEAR"\n', "x.csv")
    assert not acled.sniff(b"id,title,start,end,category\n", "acled.csv")
    assert not acled.sniff(b"1051200001\t20220719\t202207\n", "x.csv")
    assert not acled.sniff(b"", "x.csv")
    assert not acled.sniff(bytes(range(256)) * 10, "x.csv")


def test_time_precision_gives_the_day_the_approximate_day_or_the_month():
    events = by_id(read(DOWNLOAD_FILE))
    assert (events["IRN1001"].draft.start, events["IRN1001"].span.precision) == (
        "2022-07-19",
        "day",
    )
    week = events["SYR2001"]
    assert week.draft.start == "2022-03-12~"
    assert (week.span.precision, week.span.start.approximate) == ("day", True)
    assert (events["IRN1003"].draft.start, events["IRN1003"].span.precision) == (
        "2022-03",
        "month",
    )


@pytest.mark.parametrize(
    ("text", "precision", "expected"),
    [
        ("15 March 2022", "1", "2022-03-15"),
        ("2022-03-15", "2", "2022-03-15~"),
        ("15-March-2022", "3", "2022-03"),
        ("5 Sept 2019", "1", "2019-09-05"),
        ("05/09/2019", "1", "2019-09-05"),
    ],
)
def test_dates_and_precisions_in_edtf(text, precision, expected):
    assert acled.edtf_of(acled.event_day("f.csv", 2, text), precision) == expected


def test_an_event_carries_actors_place_category_tags_and_labelled_fields():
    events = by_id(read(DOWNLOAD_FILE))
    protest = events["IRN1003"]
    assert protest.draft.title == "Peaceful protest: Protesters (Iran) (Tehran)"
    assert protest.draft.category == "Protests"
    assert protest.draft.certainty == "reported"
    assert protest.draft.location == "Tehran, Tehran, Iran"
    assert protest.draft.actors == ("Protesters (Iran)",)
    assert protest.draft.tags == ("crowd size=no report",)
    # ACLED names its sources without links: sources without a URL
    assert [(ref.title, ref.url, ref.publisher) for ref in protest.draft.sources] == [
        ("HRANA", "", "HRANA")
    ]
    assert protest.draft.description == (
        "In March 2022, retirees protested in Tehran over pensions.\n\n"
        "Disorder type: Demonstrations\n"
        "Sub-event type: Peaceful protest\n"
        "Associated with actor 1: Labor Group (Iran); Retirees (Iran)\n"
        "Fatalities: 0\n"
        "Source scale: National\n"
        "Coordinates: 35.6944, 51.4215"
    )


def test_rows_of_one_day_actors_kind_and_place_merge_into_one_event():
    events = by_id(read(DOWNLOAD_FILE))
    assert "IRN1004" not in events
    agreement = events["IRN1001"]
    assert agreement.draft.title == (
        "Agreement: Government of Russia (2000-) – Government of Iran (1989-) (Tehran)"
    )
    lines = agreement.draft.description.splitlines()
    assert [ref.publisher for ref in agreement.draft.sources] == [
        "IRNA",
        "TASS",
        "Fars News Agency",
    ]
    assert not any(line.startswith("Sources: ") for line in lines)
    assert "Source scale: International; National" in lines
    assert "Merged ACLED events: IRN1004" in lines
    assert lines[0].startswith("On 19 July 2022, the presidents")
    assert lines[2].startswith("On 19 July 2022, Russian and Iranian officials")


@pytest.mark.parametrize(
    ("dyad", "expected"),
    [
        (("RUS", "IRN"), ["IRN1001", "SYR2001"]),
        (("Iran", "Russia"), ["IRN1001", "SYR2001"]),
        (("rus", "ukr"), ["UKR3001"]),
        (("IRN", "UKR"), []),
    ],
)
def test_dyad_keeps_rows_whose_two_actors_name_the_pair(dyad, expected):
    assert sorted(by_id(read(DOWNLOAD_FILE, dyad=dyad))) == expected


def test_a_dyad_must_name_two_known_countries():
    with pytest.raises(TimelineError, match=r"dyad: \('XXX', 'IRN'\) is not a pair"):
        read(DOWNLOAD_FILE, dyad=("XXX", "IRN"))


def test_the_api_layout_with_iso_dates_and_older_columns_reads():
    (event,) = read(API_FILE, dyad=("RUS", "IRN")).events
    assert event.id == "IRN900"
    assert event.draft.start == "2019-01-08"
    assert event.draft.actors == ("Government of Iran (1989-)", "Government of Russia (2000-)")
    assert "Disorder type" not in event.draft.description  # the column is not in that file


def test_actor_types_become_actor_kinds(catalog):
    document = read(DOWNLOAD_FILE)
    assert document.actors["Government of Russia (2000-)"] == "state forces"
    assert document.actors["Protesters (Iran)"] == "protesters"
    apply_import(catalog, document)
    assert catalog.actor_kinds()["Military Forces of Russia (2000-)"] == "external/other forces"


def test_reimporting_the_same_file_changes_nothing(catalog):
    apply_import(catalog, read(DOWNLOAD_FILE))
    assert catalog.count_events() == 4
    plan = plan_import(catalog, read(DOWNLOAD_FILE))
    assert (len(plan.added), len(plan.changed), len(plan.unchanged)) == (0, 0, 4)


def _fields(id_, draft):
    return (id_, draft.title, draft.start, draft.category, draft.description, draft.location,
            draft.actors, draft.tags)  # fmt: skip


def test_export_then_import_gives_back_the_acled_events(catalog, tmp_path):
    apply_import(catalog, read(DOWNLOAD_FILE))
    apply_import(catalog, read(API_FILE))
    exported = acled.dump(catalog)
    assert acled.sniff(exported, "out.csv")
    rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8"))))
    assert list(rows[0]) == list(acled.COLUMNS)
    row = {item["event_id_cnty"]: item for item in rows}
    assert set(row) == {"IRN1001", "IRN1004", "SYR2001", "IRN1003", "UKR3001", "IRN900"}
    week = row["SYR2001"]
    assert (week["event_date"], week["year"], week["time_precision"]) == ("2022-03-12", "2022", "2")
    assert row["IRN1003"]["time_precision"] == "3"
    assert (week["location"], week["admin1"], week["country"]) == (
        "Al Bukamal",
        "Deir ez Zor",
        "Syria",
    )
    assert (week["latitude"], week["longitude"]) == ("34.4537", "40.9187")
    assert week["assoc_actor_1"] == "Military Forces of Syria (2000-2024)"
    assert week["notes"].startswith("Around 12 March 2022")
    assert row["UKR3001"]["fatalities"] == "5"
    assert row["IRN900"]["disorder_type"] == row["IRN900"]["iso"] == ""
    assert (row["SYR2001"]["inter1"], row["SYR2001"]["inter2"]) == ("8", "8")
    assert (row["IRN1003"]["inter1"], row["IRN1003"]["inter2"]) == ("6", "")
    path = tmp_path / "out.csv"
    path.write_bytes(exported)
    stored = {record.id: _fields(record.id, record) for record in catalog.events()}
    assert {item.id: _fields(item.id, item.draft) for item in read(path).events} == stored
    plan = plan_import(catalog, read(path))
    assert (len(plan.added), len(plan.changed)) == (0, 0)


def test_export_of_an_event_made_in_the_app(catalog, tmp_path):
    catalog.add_event(
        EventDraft(
            title="Fuel delivered",
            start="2007-12",
            category="Nuclear file",
            description='=HYPERLINK("https://example.org")',
            actors=("Russia", "Iran"),
            location="Bushehr, Iran",
            sources=(SourceRef("Chronology", "https://www.example.org/bushehr", "NTI"),),
        )
    )
    exported = acled.dump(catalog)
    (row,) = csv.DictReader(io.StringIO(exported.decode("utf-8")))
    assert (row["event_date"], row["time_precision"]) == ("2007-12-01", "3")
    assert (row["event_type"], row["actor1"], row["actor2"]) == ("Nuclear file", "Russia", "Iran")
    assert (row["location"], row["admin1"], row["country"]) == ("Bushehr", "", "Iran")
    assert row["source"] == "NTI"  # a source's publisher: ACLED has no column for links
    assert row["notes"] == '\'=HYPERLINK("https://example.org")'  # not run by a spreadsheet
    path = tmp_path / "app.csv"
    path.write_bytes(exported)
    (event,) = read(path).events
    assert event.id == catalog.events()[0].id
    assert event.draft.start == "2007-12"
    assert event.draft.description.startswith("=HYPERLINK(")


def _file(tmp_path: Path, rows: list[dict[str, str]], header=acled.COLUMNS) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for values in rows:
        cells = dict.fromkeys(header, "")
        cells.update(
            event_id_cnty="IRN1",
            event_date="19 July 2022",
            event_type="Protests",
            actor1="Protesters (Iran)",
        )
        cells.update(values)
        writer.writerow([cells[name] for name in header])
    path = tmp_path / "damaged.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([{"time_precision": "4"}], "2: time_precision: '4' is not 1, 2 or 3"),
        ([{"event_date": "31 June 2022"}], "2: event_date: '31 June 2022' is not a date"),
        ([{"event_date": "yesterday"}], "2: event_date: 'yesterday' is not a date like"),
        ([{"year": "2021"}], "2: year: '2021' is not the year of '19 July 2022'"),
        ([{"fatalities": "many"}], "2: fatalities: 'many' is not a count"),
        ([{"latitude": "100"}], "2: latitude: '100' is outside ±90"),
        ([{"event_id_cnty": ""}], "2: event_id_cnty: is empty"),
        (
            [{"event_id_cnty": "IRN1\x07"}],
            "2: event_id_cnty: 'IRN1\\x07' contains a NUL, a control character",
        ),
        ([{}, {"location": "Qom"}], "3: event_id_cnty: 'IRN1' is used again (first at row 2)"),
        ([{"actor1": "x" * 121}], "2: actors: is 121 characters long; the limit is 120"),
    ],
)
def test_a_damaged_file_is_refused_with_one_line(tmp_path, rows, message):
    path = _file(tmp_path, rows)
    with pytest.raises(ImportFileError) as caught:
        read(path)
    assert str(caught.value).startswith(f"{path}:{message}")


def test_a_file_without_a_needed_column_is_refused(tmp_path):
    path = _file(tmp_path, [{}], header=tuple(n for n in acled.COLUMNS if n != "event_type"))
    with pytest.raises(ImportFileError, match=r"damaged.csv:1: event_type: column is missing"):
        read(path)


def test_a_broken_row_is_refused_with_its_line(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("event_id_cnty,event_date,event_type,actor1\nIRN1,19 July 2022\n")
    with pytest.raises(ImportFileError, match=r"short.csv:2: row: has 2 fields; the header has 4"):
        read(path)
    path.write_text('event_id_cnty,event_date,event_type,actor1\nIRN1,"19 July 2022\n')
    with pytest.raises(ImportFileError, match=r"short.csv:\d+: row: "):
        read(path)


def test_countries_named_by_actors():
    assert countries_named("Military Forces of Russia (2000-)") == {"RUS"}
    assert countries_named("Civilians (Iran)") == {"IRN"}
    assert countries_named("Rebels (Guinea-Bissau)") == {"GNB"}
    assert countries_named("Protesters (Nigeria)") == {"NGA"}
    assert countries_named("Government of South Sudan") == {"SSD"}
    assert countries_named("Wagner Group") == set()
    assert (country_code("irn"), country_code("Russian Federation")) == ("IRN", "RUS")
    assert country_code("Atlantis") is None


def test_progress_hears_the_lines():
    heard = []
    read(DOWNLOAD_FILE, progress=lambda done, total: heard.append((done, total)))
    assert heard[-1] == (6, 6)


def test_event_day_is_a_real_date():
    assert acled.event_day("f.csv", 2, "29 February 2024") == date(2024, 2, 29)


def test_a_row_without_actors_reads_as_an_event_of_no_actor(tmp_path):
    """Another tool's export (or the app's, of an event with no actors) may leave actor1
    empty: the event keeps its type and place as its title."""
    path = tmp_path / "no_actor.csv"
    header = "event_id_cnty,event_date,year,time_precision,event_type,actor1,country,location\n"
    path.write_text(header + "IRN7,2022-07-19,2022,1,Strategic developments,,Iran,Tehran\n")
    from timeline_app.services.interchange import acled

    document = acled.read(str(path), path.read_bytes())
    (item,) = document.events
    assert item.draft.title == "Strategic developments (Tehran)"
    assert item.draft.actors == ()


def test_an_event_with_its_sources_in_the_description_still_exports_them(catalog):
    """Events imported before sources could lack a URL kept ACLED's names in a `Sources:` line."""
    catalog.add_event(
        EventDraft(
            title="Talks",
            start="2019-09-05",
            category="Nuclear file",
            description="Notes.\n\nSub-event type: Agreement\nSources: IRNA; TASS",
            actors=("Russia",),
        )
    )
    (row,) = csv.DictReader(io.StringIO(acled.dump(catalog).decode("utf-8")))
    assert row["source"] == "IRNA; TASS"
