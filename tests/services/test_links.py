"""Links between events through the service: validation, edits, deletion, history, on both
engines."""

from __future__ import annotations

import pytest

from timeline_app.domain.errors import NotFoundError, ValidationError
from timeline_app.domain.evidence import HistoryAction, HistoryEntity, LinkKind
from timeline_app.domain.model import EventDraft
from timeline_app.services import links
from timeline_app.store import evidence_queries


def add(catalog, title: str, start: str) -> str:
    return catalog.add_event(EventDraft(title, start, category="Nuclear file")).id


@pytest.fixture
def chain(catalog) -> tuple[str, str, str]:
    return (
        add(catalog, "S-300 contract", "2007-12"),
        add(catalog, "S-300 suspension", "2010-09-22"),
        add(catalog, "S-300 delivery", "2016-04-11"),
    )


def history(catalog, link_id: str):
    with catalog.engine.connect() as connection:
        return evidence_queries.history_of(connection, HistoryEntity.LINK, link_id)


def test_a_link_reads_both_ways_and_leaves_history(catalog, chain) -> None:
    contract, suspension, delivery = chain
    led = links.add_link(catalog, contract, suspension, LinkKind.LED_TO, "sanctions")
    links.add_link(catalog, delivery, suspension, "part_of")
    seen = links.links_of_event(catalog, suspension)
    assert [(end.arrow, end.words, end.other_title) for end in seen] == [
        ("←", "followed from", "S-300 contract"),
        ("←", "includes", "S-300 delivery"),
    ]
    (from_contract,) = links.links_of_event(catalog, contract)
    assert (from_contract.words, from_contract.other_title, from_contract.link.note) == (
        "led to",
        "S-300 suspension",
        "sanctions",
    )
    (entry,) = history(catalog, led.id)
    assert entry.action is HistoryAction.CREATE and entry.author == catalog.author
    assert entry.snapshot == {
        "from_id": contract,
        "to_id": suspension,
        "kind": "led_to",
        "note": "sanctions",
    }


@pytest.mark.parametrize(
    ("ends", "kind", "message"),
    [
        ("self", "led_to", "to: an event cannot be linked to itself"),
        ("ok", "caused", "kind: 'caused' is not a kind of link; choose one of led to"),
        ("missing", "led_to", "to: event nowhere does not exist"),
    ],
)
def test_bad_links_are_refused_with_the_reason(catalog, chain, ends, kind, message) -> None:
    contract, suspension, _ = chain
    to_id = {"self": contract, "ok": suspension, "missing": "nowhere"}[ends]
    with pytest.raises((ValidationError, NotFoundError), match=message):
        links.add_link(catalog, contract, to_id, kind)
    assert links.all_links(catalog) == []


def test_the_same_link_twice_is_refused_but_another_kind_is_not(catalog, chain) -> None:
    contract, suspension, _ = chain
    links.add_link(catalog, contract, suspension, LinkKind.LED_TO)
    with pytest.raises(ValidationError, match="“S-300 contract” already led to “S-300 suspension”"):
        links.add_link(catalog, contract, suspension, "led to")
    other = links.add_link(catalog, contract, suspension, LinkKind.CONTRADICTS)
    with pytest.raises(ValidationError, match="already led to"):
        links.edit_link(catalog, other.id, kind=LinkKind.LED_TO)
    assert len(links.all_links(catalog)) == 2


def test_edit_and_delete_are_recorded_and_undone(catalog, chain) -> None:
    contract, suspension, _ = chain
    made = links.add_link(catalog, contract, suspension, LinkKind.LED_TO)
    before, after = links.edit_link(catalog, made.id, kind="responded_to", note="  why  ")
    assert (after.kind, after.note) == (LinkKind.RESPONDED_TO, "why")
    assert before == made
    links.put_link(catalog, before)
    assert links.link(catalog, made.id).kind is LinkKind.LED_TO
    (gone,) = links.delete_links(catalog, [made.id])
    assert links.all_links(catalog) == []
    links.restore_links(catalog, [gone])
    assert links.all_links(catalog) == [made]
    actions = [entry.action for entry in history(catalog, made.id)]
    assert actions == [
        HistoryAction.CREATE,
        HistoryAction.UPDATE,
        HistoryAction.UPDATE,
        HistoryAction.DELETE,
        HistoryAction.CREATE,
    ]
    assert history(catalog, made.id)[1].changes == {
        "kind": ("led_to", "responded_to"),
        "note": ("", "why"),
    }


def test_links_of_deleted_events_go_with_history_and_come_back(catalog, chain) -> None:
    contract, suspension, delivery = chain
    first = links.add_link(catalog, contract, suspension, LinkKind.LED_TO)
    second = links.add_link(catalog, suspension, delivery, LinkKind.LED_TO)
    gone = links.delete_links_of_events(catalog, [suspension])
    records = catalog.delete_events([suspension])
    assert sorted(link.id for link in gone) == sorted([first.id, second.id])
    assert links.all_links(catalog) == []
    catalog.restore_events(records)
    links.restore_links(catalog, gone)
    assert sorted(link.id for link in links.all_links(catalog)) == sorted([first.id, second.id])
    assert history(catalog, first.id)[1].action is HistoryAction.DELETE


def test_restoring_a_link_to_a_deleted_event_names_it(catalog, chain) -> None:
    contract, suspension, _ = chain
    made = links.add_link(catalog, contract, suspension, LinkKind.LED_TO)
    links.delete_links(catalog, [made.id])
    catalog.delete_events([suspension])
    with pytest.raises(NotFoundError, match=f"event {suspension} of a link no longer exists"):
        links.restore_links(catalog, [made])


def test_other_ends_are_found_by_title(catalog, chain) -> None:
    contract = chain[0]
    add(catalog, "100% of 50_50 talk", "2012")
    found = links.find_events(catalog, "s-300", exclude=contract)
    assert [title for _id, title, _start in found] == ["S-300 suspension", "S-300 delivery"]
    assert [title for _id, title, _ in links.find_events(catalog, "0_5")] == ["100% of 50_50 talk"]
    assert [title for _id, title, _ in links.find_events(catalog, "%")] == ["100% of 50_50 talk"]


def test_two_writers_adding_the_same_link_at_once_get_one_link_and_one_clear_line(
    catalog, monkeypatch
):
    """The second writer's check ran before the first committed: the database's uniqueness
    refuses its insert, and it hears a write conflict naming the links, not a traceback."""
    from timeline_app.domain.errors import WriteConflict

    first, second = (
        catalog.add_event(EventDraft(title, start, category="Nuclear file")).id
        for title, start in (("S-300 contract", "2007-12"), ("S-300 ban", "2010-09-22"))
    )
    links.add_link(catalog, first, second, LinkKind.LED_TO)
    monkeypatch.setattr(links, "_check_unique", lambda *_args: None)  # its check saw no link
    with pytest.raises(WriteConflict, match="links"):
        links.add_link(catalog, first, second, LinkKind.LED_TO)
    assert len(links.all_links(catalog)) == 1
    with pytest.raises(WriteConflict, match="links"):  # the other end was deleted meanwhile
        monkeypatch.setattr(links, "_check_ends", lambda *_args: {})
        catalog.delete_events([second])
        links.add_link(catalog, first, second, LinkKind.PART_OF)
