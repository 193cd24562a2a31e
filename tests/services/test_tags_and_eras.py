"""Tags renamed, merged and deleted, and eras edited, each undone exactly (SQLite and
PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from timeline_app.domain.errors import DateError, NotFoundError, ValidationError
from timeline_app.domain.model import EventDraft
from timeline_app.services.catalog import TagUse, read_era_dates

BASE = EventDraft(title="Event", start="2020-01-01", category="Energy")


def _add(catalog, title: str, tags: tuple[str, ...]) -> str:
    return catalog.add_event(replace(BASE, title=title, tags=tags)).id


def _tags_by_title(catalog) -> dict[str, tuple[str, ...]]:
    return {record.title: record.tags for record in catalog.events()}


@pytest.fixture
def tagged(catalog):
    _add(catalog, "gas only", ("gas",))
    _add(catalog, "gas then oil", ("gas", "oil"))
    _add(catalog, "oil then gas", ("oil", "gas"))
    _add(catalog, "oil only", ("oil",))
    _add(catalog, "untagged", ())
    return catalog


def test_tag_uses_count_the_events_citing_each_tag(tagged):
    assert tagged.tag_uses() == [TagUse("gas", 3), TagUse("oil", 3)]


def test_rename_keeps_every_citation_and_refuses_a_name_in_use(tagged):
    before = _tags_by_title(tagged)
    ids = tagged.rename_tag("gas", "natural gas")
    assert len(ids) == 3
    assert _tags_by_title(tagged)["oil then gas"] == ("oil", "natural gas")
    with pytest.raises(ValidationError, match="already exists; merge"):
        tagged.rename_tag("natural gas", "oil")
    tagged.rename_tag("natural gas", "gas")
    assert _tags_by_title(tagged) == before


def test_merge_collapses_duplicates_and_unmerge_restores_exactly(tagged):
    before = {record.title: record for record in tagged.events()}
    result = tagged.merge_tags("gas", "oil")
    after = {record.title: record for record in tagged.events()}
    assert after["gas only"].tags == ("oil",)
    assert after["gas then oil"].tags == ("oil",)  # cited both: one citation kept
    assert after["oil then gas"].tags == ("oil",)
    assert after["untagged"].tags == ()
    assert tagged.tag_names() == ["oil"]
    assert sorted(result.already_target) == sorted(
        [before["gas then oil"].id, before["oil then gas"].id]
    )
    assert after["gas only"].version == before["gas only"].version + 1
    assert after["oil only"].version == before["oil only"].version

    tagged.unmerge_tags(result)
    restored = {record.title: record.tags for record in tagged.events()}
    assert restored == {title: record.tags for title, record in before.items()}
    assert tagged.tag_uses() == [TagUse("gas", 3), TagUse("oil", 3)]


def test_merge_refuses_itself_and_unknown_tags(tagged):
    with pytest.raises(ValidationError):
        tagged.merge_tags("gas", "gas")
    with pytest.raises(NotFoundError):
        tagged.merge_tags("gas", "coal")
    assert tagged.tag_names() == ["gas", "oil"]


def test_delete_removes_the_tag_from_its_events_and_undelete_puts_it_back(tagged):
    before = _tags_by_title(tagged)
    result = tagged.delete_tag("gas")
    assert len(result.links) == 3
    assert _tags_by_title(tagged)["gas then oil"] == ("oil",)
    assert tagged.tag_names() == ["oil"]
    tagged.undelete_tag(result)
    assert _tags_by_title(tagged) == before


def test_era_update_reads_typed_dates_and_restore_puts_it_back(catalog):
    era = catalog.add_era("Putin I", "2000-05-07", "2008-05-07", "#1565C0", "Russia")
    edited = catalog.update_era(
        era.id, name="Medvedev", start="7 May 2008", end="May 2012", colour="#c62828", group="RU"
    )
    assert (edited.name, edited.start, edited.end) == ("Medvedev", "2008-05-07", "2012-05")
    assert (edited.colour, edited.group) == ("#C62828", "RU")
    assert edited.lower > era.lower
    spanned = catalog.update_era(era.id, start="2008 – 2012")
    assert (spanned.start, spanned.end) == ("2008", "2012")
    catalog.restore_era(era)
    assert catalog.eras() == [era]


def test_era_update_refuses_bad_input_and_changes_nothing(catalog):
    era = catalog.add_era("Sanctions", "2006", None, "#888888")
    with pytest.raises(DateError) as caught:
        catalog.update_era(era.id, start="2010", end="last Tuesday-ish")
    assert caught.value.field == "end"
    with pytest.raises(ValidationError):
        catalog.update_era(era.id, colour="blue")
    with pytest.raises(NotFoundError):
        catalog.update_era("no-such-era", name="x")
    assert catalog.eras() == [era]


def test_read_era_dates_accepts_what_the_editor_accepts():
    assert read_era_dates("2022-02-24", "ongoing") == ("2022-02-24", "..")
    assert read_era_dates("2015-09-30/2024-12-08") == ("2015-09-30", "2024-12-08")
    with pytest.raises(DateError):
        read_era_dates("2000 – 2008", "2010")
