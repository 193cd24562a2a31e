"""Marking what the search matched: in the inspector's description (a syntax highlighter)
and its title heading (rich text), with the same rule the store searches by
(`domain.search_query`), so what is marked is what was found."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument
from PySide6.QtWidgets import QLabel

from timeline_app.domain.search_query import SearchTerm, highlight_terms, match_spans

MATCH_BACKGROUND = "#FFE082"
"""Amber: legible under black text on the light and the dark theme alike."""
MATCH_FOREGROUND = "#1A1A1A"


def match_format() -> QTextCharFormat:
    found = QTextCharFormat()
    found.setBackground(QColor(MATCH_BACKGROUND))
    found.setForeground(QColor(MATCH_FOREGROUND))
    return found


def marked_html(text: str, terms: tuple[SearchTerm, ...]) -> str:
    """`text` as escaped rich text, its matches on the highlight colour."""
    parts: list[str] = []
    last = 0
    for start, end in match_spans(text, terms):
        parts.append(html.escape(text[last:start]))
        parts.append(
            f'<span style="background-color:{MATCH_BACKGROUND}; color:{MATCH_FOREGROUND}">'
            f"{html.escape(text[start:end])}</span>"
        )
        last = end
    parts.append(html.escape(text[last:]))
    return "".join(parts)


class SearchHighlighter(QSyntaxHighlighter):
    """Marks the matches of the search in a document (the inspector's description)."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.terms: tuple[SearchTerm, ...] = ()
        self._format = match_format()

    def set_search(self, text: str) -> None:
        terms = highlight_terms(text)
        if terms != self.terms:
            self.terms = terms
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        for start, end in match_spans(text, self.terms):
            self.setFormat(start, end - start, self._format)


class TitleHighlight:
    """Shows a title in a label with the search's matches marked."""

    def __init__(self, label: QLabel) -> None:
        self.label = label
        self.terms: tuple[SearchTerm, ...] = ()
        self.title = label.text()
        label.setTextFormat(Qt.TextFormat.RichText)

    def set_search(self, text: str) -> None:
        self.terms = highlight_terms(text)
        self.show(self.title)

    def show(self, title: str) -> None:
        self.title = title
        self.label.setText(marked_html(title, self.terms))
