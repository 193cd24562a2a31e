"""What the search box's text asks for: words, "exact phrases", OR, NOT and -word.

Read leniently, never refused: an unclosed quote runs to the end of the text, a NOT or OR
with nothing to act on is dropped, parentheses, `*` and other punctuation separate words.
What was read that way is said in `SearchQuery.notes`, so the window can explain it. The
store turns a `SearchQuery` into SQL; the window uses `highlight_terms` to mark matches.

Grammar (the way web search engines read it): terms separated by spaces are all required;
OR (or `|`) between two terms makes either one enough and binds tighter than the spaces;
NOT before a term, or `-` glued to its front, excludes events matching it. A word matches
any word starting with it (`sanction` finds "sanctions"); a phrase matches its words in
that order, whole. Case and diacritics do not matter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
"""A word: letters and digits (an underscore separates words, as in the full-text index)."""
_WORD_REST = re.compile(r"[^\W_]*", re.UNICODE)
_TOKEN = re.compile(r'-?"[^"]*"?|[^\s"()|]+|\|', re.UNICODE)
"""A quoted phrase (maybe unclosed), a run of other non-space text, or a `|`."""
_OPERATORS = {"OR", "|", "NOT", "AND"}


@dataclass(frozen=True, slots=True)
class SearchTerm:
    """One word (`phrase` False: matches words starting with it) or an exact phrase."""

    words: tuple[str, ...]
    phrase: bool = False
    typed: str = field(default="", compare=False)
    """The text as typed (S-300): PostgreSQL's parser splits it its own way."""

    @property
    def text(self) -> str:
        joined = " ".join(self.words)
        return f"“{joined}”" if self.phrase else joined

    def matches(self, text: str | None) -> bool:
        """Whether `text` holds this term (the rule the store applies to small tables)."""
        if not text:
            return False
        return bool(term_pattern(self).search(fold(text)))


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """All `clauses` must match (a clause matches when any of its terms does), and none of
    the `excluded` terms may."""

    clauses: tuple[tuple[SearchTerm, ...], ...] = ()
    excluded: tuple[SearchTerm, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_empty(self) -> bool:
        return not self.clauses and not self.excluded

    @property
    def terms(self) -> tuple[SearchTerm, ...]:
        """Every distinct term, required or excluded, in order of appearance."""
        seen = [term for clause in self.clauses for term in clause] + list(self.excluded)
        return tuple(dict.fromkeys(seen))


def fold(text: str) -> str:
    """Text as search compares it: case folded, accents and other marks removed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def term_pattern(term: SearchTerm) -> re.Pattern[str]:
    """A regular expression finding `term` in folded text: at a word start; a phrase's
    words in order with only non-word characters between them, its last word whole."""
    words = [re.escape(fold(word)) for word in term.words]
    body = r"[\W_]+".join(words)
    return re.compile(rf"(?<![^\W_]){body}" + (r"(?![^\W_])" if term.phrase else ""), re.UNICODE)


def _term(text: str, phrase: bool) -> SearchTerm | None:
    """A term from a token's text: a token holding several words (S-300, al-Assad) is read
    as the phrase of them, as the full-text index splits it."""
    words = tuple(_WORD.findall(text))
    if not words:
        return None
    return SearchTerm(words, phrase or len(words) > 1, text.strip())


def parse_search(text: str) -> SearchQuery:
    """Read what was typed into a `SearchQuery` (never raises; see the module's rules)."""
    notes: list[str] = []
    items: list[tuple[str, SearchTerm | None, bool]] = []  # (operator or "", term, negated)
    negate_next = False
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in _OPERATORS:
            if token == "NOT":
                if negate_next:
                    notes.append("NOT NOT reads as a single NOT")
                negate_next = True
            elif token in ("OR", "|"):
                items.append(("OR", None, False))
            continue
        negated = negate_next
        negate_next = False
        if token.startswith("-") and len(token) > 1:
            negated, token = True, token[1:]
        phrase = token.startswith('"')
        if phrase:
            if len(token) == 1 or not token.endswith('"'):
                notes.append(f"the quote before “{token[1:21]}” is not closed: read to the end")
                token = token[1:]
            else:
                token = token[1:-1]
        term = _term(token, phrase)
        if term is None:
            if phrase:
                notes.append("an empty phrase is ignored")
            continue
        items.append(("", term, negated))
    if negate_next:
        notes.append("NOT at the end has nothing to exclude: ignored")

    clauses: list[list[SearchTerm]] = []
    excluded: list[SearchTerm] = []
    joining = False  # an OR came after the last required term
    for position, (operator, term, negated) in enumerate(items):
        if operator == "OR":
            previous = items[position - 1] if position else None
            following = items[position + 1] if position + 1 < len(items) else None
            usable = (
                previous is not None
                and previous[1] is not None
                and not previous[2]
                and following is not None
                and following[1] is not None
                and not following[2]
            )
            if usable:
                joining = True
            else:
                notes.append("OR needs a term on each side (and cannot join an excluded one)")
            continue
        assert term is not None
        if negated:
            excluded.append(term)
        elif joining and clauses:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        joining = False
    unique_clauses = tuple(dict.fromkeys(tuple(dict.fromkeys(c)) for c in clauses))
    return SearchQuery(unique_clauses, tuple(dict.fromkeys(excluded)), tuple(notes))


def highlight_terms(text: str) -> tuple[SearchTerm, ...]:
    """The terms whose matches are worth marking: the required ones (excluded terms cannot
    appear in what is shown)."""
    query = parse_search(text)
    return tuple(dict.fromkeys(term for clause in query.clauses for term in clause))


def match_spans(text: str, terms: tuple[SearchTerm, ...]) -> list[tuple[int, int]]:
    """(start, end) character ranges of `text` where any of `terms` matches, merged and in
    order: what the table and the inspector paint.

    Each character is folded on its own (a ligature may become two, a combining mark
    none) and every folded position maps back to the character it came from, so a match in
    the folded text marks the original characters, marks included.
    """
    if not text or not terms:
        return []
    folded_chars = [fold(char) for char in text]  # a combining mark folds to nothing
    folded = "".join(folded_chars)
    # map every folded index back to the index of the character it came from
    origin: list[int] = []
    for index, part in enumerate(folded_chars):
        origin.extend([index] * len(part))
    spans: list[tuple[int, int]] = []
    for term in terms:
        for found in term_pattern(term).finditer(folded):
            if found.end() == found.start():
                continue
            start = origin[found.start()]
            end = origin[found.end() - 1] + 1
            if not term.phrase:  # a word matches to the end of the word it starts
                end += len(_WORD_REST.match(text, end).group())  # type: ignore[union-attr]
            while end < len(text) and not folded_chars[end]:  # its trailing marks too
                end += 1
            spans.append((start, end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
