"""Reading what is typed in the search box, leniently, and finding what to highlight."""

from __future__ import annotations

from timeline_app.domain.search_query import (
    SearchTerm,
    highlight_terms,
    match_spans,
    parse_search,
)


def _word(text: str) -> SearchTerm:
    return SearchTerm((text,))


def _phrase(*words: str) -> SearchTerm:
    return SearchTerm(words, True)


def test_spaces_require_every_term_and_or_binds_tighter():
    query = parse_search('bushehr "air defence" OR drone -sanctions NOT oil')
    assert query.clauses == ((_word("bushehr"),), (_phrase("air", "defence"), _word("drone")))
    assert query.excluded == (_word("sanctions"), _word("oil"))
    assert query.notes == ()


def test_hyphenated_words_are_phrases_not_exclusions():
    assert parse_search("S-300").clauses == ((_phrase("S", "300"),),)
    assert parse_search("-S-300").excluded == (_phrase("S", "300"),)


def test_what_cannot_be_read_is_read_leniently_and_said():
    unclosed = parse_search('treaty "strategic partner')
    assert unclosed.clauses == ((_word("treaty"),), (_phrase("strategic", "partner"),))
    assert "not closed" in unclosed.notes[0]
    lone = parse_search("NOT")
    assert lone.is_empty and "nothing to exclude" in lone.notes[0]
    dangling = parse_search("OR iran OR")
    assert dangling.clauses == ((_word("iran"),),)
    assert all("OR needs a term on each side" in note for note in dangling.notes)
    assert parse_search("( * ) NEAR").clauses == ((_word("NEAR"),),)  # no operator but ours


def test_terms_match_at_word_starts_whatever_the_case_and_accents():
    assert _word("sanction").matches("New SANCTIONS imposed")
    assert not _word("anction").matches("sanctions")
    assert _word("россия").matches("Россия")
    assert _word("teheran").matches("Téhéran")
    assert _phrase("air", "defence").matches("air-defence systems")
    assert not _phrase("defence", "air").matches("air-defence systems")


def test_highlights_cover_whole_words_and_skip_exclusions():
    terms = highlight_terms("sanction iran -oil")
    text = "Sanctions on Iran's oil"
    assert [text[a:b] for a, b in match_spans(text, terms)] == ["Sanctions", "Iran"]
    persian = "تحریم روسیه و ایران"
    assert [persian[a:b] for a, b in match_spans(persian, highlight_terms("ایران"))] == ["ایران"]
    decomposed = "Te\u0301he\u0301ran talks"
    assert [decomposed[a:b] for a, b in match_spans(decomposed, highlight_terms("teheran"))] == [
        "Te\u0301he\u0301ran"
    ]
    voweled = "سفر به تَهران"  # a Persian short-vowel mark inside the word
    assert [voweled[a:b] for a, b in match_spans(voweled, highlight_terms("تهران"))] == ["تَهران"]
    accented = "Visite à Téhéran"
    assert [accented[a:b] for a, b in match_spans(accented, highlight_terms("teheran"))] == [
        "Téhéran"
    ]
