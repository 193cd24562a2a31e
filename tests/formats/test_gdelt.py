"""GDELT event exports: 1.0 and 2.0 rows in, GDELT 2.0 rows out, near-identical rows merged."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline_app.domain.errors import ImportFileError, TimelineError
from timeline_app.domain.model import EventDraft, SourceRef
from timeline_app.services.interchange import gdelt
from timeline_app.services.interchange.document import apply_import, plan_import

DATA = Path(__file__).parent.parent / "data" / "formats" / "gdelt"
V2_FILE = DATA / "20220719.export.CSV"
V1_DAILY_FILE = DATA / "20131124.export.CSV"
V1_BACK_FILE = DATA / "200103.csv"


def read(path: Path, **options):
    return gdelt.read(str(path), path.read_bytes(), **options)


def by_id(document):
    return {item.id: item for item in document.events}


def test_sniff_knows_gdelt_rows_by_their_content():
    for path in (V2_FILE, V1_DAILY_FILE, V1_BACK_FILE):
        assert gdelt.sniff(path.read_bytes(), "events.txt")
    acled = b"event_id_cnty,event_date,year\nIRN1,19 July 2022,2022\n"
    assert not gdelt.sniff(acled, "20220719.export.CSV")
    assert not gdelt.sniff(b'{"format": "timeline-app"}', "x.CSV")
    wrong_date = b"\t".join([b"1051200001", b"2022-07-19", *[b""] * 59])
    assert not gdelt.sniff(wrong_date, "x.CSV")
    too_few = b"\t".join([b"1051200001", b"20220719", *[b""] * 50])
    assert not gdelt.sniff(too_few, "x.CSV")
    assert not gdelt.sniff(b"", "x.CSV")
    assert not gdelt.sniff(bytes(range(256)) * 10, "x.CSV")


def test_dyad_keeps_russia_iran_rows_in_both_directions_and_merges_repeated_rows():
    document = read(V2_FILE, dyad=("RUS", "IRN"))
    events = by_id(document)
    # 1051200004 is United States → Russia: left out
    assert sorted(events) == ["1051200001", "1051200003", "1051200005"]
    visit = events["1051200001"]  # rows 1051200001 and 1051200007: same day, actors, code
    assert visit.draft.title == "Vladimir Putin → Iran: Consult (CAMEO 042)"
    assert visit.draft.start == "2022-07-19"
    assert visit.span.precision == "day"
    assert visit.draft.category == "Verbal cooperation"
    assert visit.draft.certainty == "reported"
    assert visit.draft.location == "Tehran, Tehran, Iran"
    assert visit.draft.actors == ("Vladimir Putin", "Iran")
    assert [(ref.url, ref.publisher, ref.note) for ref in visit.draft.sources] == [
        (
            "https://www.example-news.ir/en/news/putin-arrives-in-tehran",
            "example-news.ir",
            "GLOBALEVENTID 1051200001; NumMentions 10",
        ),
        (
            "https://wire.example.com/world/2022/07/19/putin-tehran-visit/",
            "wire.example.com",
            "GLOBALEVENTID 1051200007; NumMentions 4",
        ),
    ]
    assert visit.draft.description.splitlines() == [
        "Actor 1: Vladimir Putin (country RUS, code RUSGOV)",
        "Actor 2: Iran (country IRN, code IRN)",
        "CAMEO event 042 (base 042, root 04: Consult)",
        "Quad class 1: Verbal cooperation",
        "Goldstein scale: 1.9",
        "Mentions: 14",
    ]
    assert events["1051200003"].draft.title == "Tehran → Russia: Consult (CAMEO 043)"
    assert [item.name for item in document.categories] == ["Verbal cooperation"]


def test_a_source_that_is_not_a_link_is_a_source_without_a_url():
    agreement = by_id(read(V2_FILE))["1051200005"]
    (ref,) = agreement.draft.sources
    assert (ref.title, ref.url, ref.publisher) == ("BBC Monitoring", "", "BBC Monitoring")
    assert ref.note.startswith("GLOBALEVENTID 1051200005")
    assert not any("without a link" in line for line in agreement.draft.description.splitlines())


def test_without_a_dyad_every_row_is_kept():
    events = by_id(read(V2_FILE))
    assert sorted(events) == ["1051200001", "1051200003", "1051200004", "1051200005"]
    assert events["1051200004"].draft.category == "Verbal conflict"
    assert events["1051200004"].draft.title == "United States → Russia: Disapprove (CAMEO 111)"


def test_gdelt_1_daily_and_back_files_read():
    daily = by_id(read(V1_DAILY_FILE))  # 58 columns, CRLF line ends
    geneva = daily["283000111"]
    assert geneva.draft.start == "2013-11-24"
    assert geneva.draft.actors == ("Tehran", "United Nations")
    assert geneva.draft.title == "Tehran → United Nations: Express intent to cooperate (CAMEO 0311)"
    assert geneva.draft.location == "Geneva, Genève, Switzerland"
    assert [ref.url for ref in geneva.draft.sources] == [
        "https://www.example.org/2013/11/24/geneva-interim-deal"
    ]
    back = by_id(read(V1_BACK_FILE))  # 57 columns: no SOURCEURL
    assert back["12000051"].draft.sources == ()
    assert back["12000051"].draft.category == "Material cooperation"
    assert back["12000051"].draft.start == "2001-03-12"


def test_reimporting_the_same_file_changes_nothing(catalog):
    apply_import(catalog, read(V2_FILE, dyad=("IRN", "RUS")))
    assert catalog.count_events() == 3
    plan = plan_import(catalog, read(V2_FILE, dyad=("IRN", "RUS")))
    assert (len(plan.added), len(plan.changed), len(plan.unchanged)) == (0, 0, 3)


def _stored(catalog):
    return {
        record.id: (
            record.title,
            record.start,
            record.category,
            record.description,
            record.location,
            record.actors,
            tuple((ref.title, ref.url, ref.publisher, ref.note) for ref in record.sources),
        )
        for record in catalog.events()
    }


def _read_back(path: Path):
    return {
        item.id: (
            item.draft.title,
            item.draft.start,
            item.draft.category,
            item.draft.description,
            item.draft.location,
            item.draft.actors,
            tuple((ref.title, ref.url, ref.publisher, ref.note) for ref in item.draft.sources),
        )
        for item in read(path).events
    }


def test_export_then_import_gives_back_the_gdelt_events(catalog, tmp_path):
    apply_import(catalog, read(V2_FILE))
    apply_import(catalog, read(V1_DAILY_FILE))
    exported = gdelt.dump(catalog)
    rows = [line.split("\t") for line in exported.decode("utf-8").splitlines()]
    assert {len(row) for row in rows} == {61}
    assert gdelt.sniff(exported, "out.CSV")
    # the merged event is written as its two rows again, each with its own id and count
    visit = [row for row in rows if row[gdelt.V2_COLUMNS.index("EventCode")] == "042"]
    column = gdelt.V2_COLUMNS.index
    assert sorted((row[0], row[column("NumMentions")]) for row in visit) == [
        ("1051200001", "10"),
        ("1051200007", "4"),
    ]
    assert visit[0][column("Actor1CountryCode")] == "RUS"
    assert visit[0][column("Actor1Code")] == "RUSGOV"
    assert visit[0][column("QuadClass")] == "1"
    assert visit[0][column("GoldsteinScale")] == "1.9"
    path = tmp_path / "out.export.CSV"
    path.write_bytes(exported)
    assert _read_back(path) == _stored(catalog)
    plan = plan_import(catalog, read(path))
    assert (len(plan.added), len(plan.changed)) == (0, 0)


def test_export_of_an_event_made_in_the_app(catalog, tmp_path):
    catalog.add_event(
        EventDraft(
            title="Bushehr fuel deliveries begin",
            start="2007-12",
            category="Nuclear file",
            actors=("Russia", "Iran"),
            location="Bushehr",
            sources=(SourceRef("Chronology", "https://www.example.org/bushehr", "NTI"),),
        )
    )
    exported = gdelt.dump(catalog).decode("utf-8")
    (row,) = [line.split("\t") for line in exported.splitlines()]
    values = dict(zip(gdelt.V2_COLUMNS, row, strict=True))
    assert values["GLOBALEVENTID"].isdigit()
    assert values["SQLDATE"] == "20071201"  # the month's first day: GDELT has days only
    assert (values["MonthYear"], values["Year"]) == ("200712", "2007")
    assert (values["Actor1Name"], values["Actor2Name"]) == ("Russia", "Iran")
    assert values["ActionGeo_FullName"] == "Bushehr"
    assert values["SOURCEURL"] == "https://www.example.org/bushehr"
    assert values["EventCode"] == values["EventRootCode"] == values["QuadClass"] == ""
    # without a CAMEO code the row is no GDELT event: the import names what is missing
    path = tmp_path / "app.export.CSV"
    path.write_text(exported, encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        read(path)
    assert str(caught.value) == f"{path}:1: EventRootCode: '' is not a CAMEO root code 01…20"


def test_an_actor_known_only_by_its_country_keeps_it_through_an_export(catalog, tmp_path):
    path = tmp_path / "codes.export.CSV"
    path.write_text(
        _v2_row(Actor1CountryCode="RUS", Actor2Name="IRAN", Actor2CountryCode="IRN") + "\n",
        encoding="utf-8",
    )
    (event,) = read(path).events
    assert event.draft.title == "RUS → Iran: Consult (CAMEO 042)"
    assert event.draft.actors == ("Iran",)
    assert event.draft.description.splitlines()[:2] == [
        "Actor 1: (country RUS)",
        "Actor 2: Iran (country IRN)",
    ]
    apply_import(catalog, read(path))
    (row,) = [line.split("\t") for line in gdelt.dump(catalog).decode("utf-8").splitlines()]
    values = dict(zip(gdelt.V2_COLUMNS, row, strict=True))
    assert (values["Actor1Name"], values["Actor1CountryCode"]) == ("", "RUS")
    assert (values["Actor2Name"], values["Actor2CountryCode"]) == ("Iran", "IRN")


def test_export_writes_one_row_for_an_event_without_sources(catalog):
    catalog.add_event(EventDraft(title="Talks", start="2001-03-12", category="Energy"))
    rows = gdelt.dump(catalog).decode("utf-8").splitlines()
    assert len(rows) == 1
    assert rows[0].split("\t")[gdelt.V2_COLUMNS.index("SOURCEURL")] == ""


def _v2_row(**values: str) -> str:
    cells = dict.fromkeys(gdelt.V2_COLUMNS, "")
    cells.update(
        GLOBALEVENTID="1",
        SQLDATE="20220719",
        EventCode="042",
        EventBaseCode="042",
        EventRootCode="04",
    )
    cells.update(values)
    return "\t".join(cells[name] for name in gdelt.V2_COLUMNS)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_v2_row(SQLDATE="20220230"), "1: SQLDATE: '20220230' is not a date"),
        (_v2_row(SQLDATE="2022-07-19"), "1: SQLDATE: '2022-07-19' is not a date YYYYMMDD"),
        (_v2_row(GLOBALEVENTID="x1"), "1: GLOBALEVENTID: 'x1' is not a number"),
        (_v2_row(EventRootCode="21"), "1: EventRootCode: '21' is not a CAMEO root code 01…20"),
        (_v2_row(EventCode="04a"), "1: EventCode: '04a' is not a CAMEO event code"),
        (_v2_row(QuadClass="5"), "1: QuadClass: '5' is not 1, 2, 3 or 4"),
        (_v2_row(GoldsteinScale="nan"), "1: GoldsteinScale: 'nan' is outside -10…10"),
        (_v2_row(GoldsteinScale="high"), "1: GoldsteinScale: 'high' is not a number"),
        (_v2_row(NumMentions="-3"), "1: NumMentions: '-3' is not a count"),
        (
            _v2_row(Actor1CountryCode="Russia"),
            "1: Actor1CountryCode: 'Russia' is not a 3-letter code",
        ),
        (_v2_row(SOURCEURL="https:// bad"), "1: sources[0].url: 'https:// bad' has no valid host"),
        (_v2_row() + "\n" + _v2_row(), "2: GLOBALEVENTID: 1 is used again (first at row 1)"),
        (
            _v2_row() + "\n" + "\t".join(_v2_row(GLOBALEVENTID="2").split("\t")[:60]),
            "2: row: has 60 fields; the first row has 61",
        ),
        ("a\tb\tc\n", "1: row: has 3 fields; a GDELT 1.0 row has 57 (58 with SOURCEURL)"),
        ("\n\n", ": file: is empty"),
    ],
)
def test_a_damaged_file_is_refused_with_one_line(tmp_path, content, message):
    path = tmp_path / "damaged.export.CSV"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        read(path)
    text = str(caught.value)
    assert text.startswith(f"{path}:{message}") or text.startswith(f"{path}{message}")
    assert "\n" not in text


def test_a_utf16_file_is_named_as_such(tmp_path):
    path = tmp_path / "wide.export.CSV"
    path.write_bytes(_v2_row().encode("utf-16"))
    with pytest.raises(ImportFileError, match="encoding: is UTF-16; save the file as UTF-8"):
        read(path)


def test_a_dyad_must_be_two_country_codes():
    with pytest.raises(TimelineError, match=r"dyad: .* is not a pair of 3-letter country codes"):
        read(V2_FILE, dyad=("RUS",))
    assert len(read(V2_FILE, dyad=("rus", "irn")).events) == 3


def test_names_in_capitals_are_shown_in_title_case():
    assert gdelt.tidy_name("VLADIMIR PUTIN") == "Vladimir Putin"
    assert gdelt.tidy_name("SAUDI ARABIA'S") == "Saudi Arabia's"
    assert gdelt.tidy_name("Ali al-Sistani") == "Ali al-Sistani"


def test_quad_class_of_each_cameo_root():
    assert [gdelt.quad_class_of_root(f"{root:02d}") for root in range(1, 21)] == (
        ["1"] * 5 + ["2"] * 3 + ["3"] * 5 + ["4"] * 7
    )


def test_numeric_ids_for_events_made_elsewhere_are_stable():
    assert gdelt.numeric_id("1051200001") == "1051200001"
    made = gdelt.numeric_id("6f1c1e0a-2b7e-4d0c-9a51-0d7c1f3e9b21")
    assert made.isdigit() and made == gdelt.numeric_id("6f1c1e0a-2b7e-4d0c-9a51-0d7c1f3e9b21")


def test_progress_hears_the_rows():
    heard = []
    read(V2_FILE, progress=lambda done, total: heard.append((done, total)))
    assert heard[0] == (0, 6) and heard[-1] == (6, 6)
