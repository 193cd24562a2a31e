"""HTML fields of other timeline formats ↔ the plain text the app stores.

Formats made for web pages (TimelineJS, vis-timeline) carry headlines and descriptions as
HTML. The app keeps plain text only, so every tag is stripped by a kept sanitiser (`nh3`,
which also drops the content of `<script>` and `<style>`), entities are decoded, and line
breaks and paragraphs become newlines. Writing back escapes the text and marks its newlines
with `<br>`, which reads back to the same text.
"""

from __future__ import annotations

import html
import re

import nh3

from timeline_app.domain.errors import ValidationError
from timeline_app.domain.rules import character_problem

_BREAK = re.compile(r"<br\s*/?>\n?", re.IGNORECASE)
_PARAGRAPH_GAP = re.compile(r"</p\s*>\s*<p(?:\s[^>]*)?>", re.IGNORECASE)
_BLOCK_END = re.compile(r"</(?:div|li|h[1-6]|blockquote|tr)\s*>", re.IGNORECASE)
_BREAK_MARK = "<br>\n"
_STRIP_ALL = nh3.Cleaner(tags=set())
"""Built once: building the sanitiser's rules costs twice what cleaning a short text does."""


def plain_text(field: str, markup: str) -> str:
    """The text a reader sees in `markup`, stripped of surrounding space.

    Raises ValidationError(field, …) for text no database can store (a NUL, a lone surrogate),
    before the sanitiser sees it.
    """
    problem = character_problem(markup)
    if problem is not None:
        raise ValidationError(field, problem)
    if "<" not in markup:
        # No tag, comment or script can start without "<": decoding the entities is all
        # the sanitiser would do (the common plain field costs no parse).
        return (html.unescape(markup) if "&" in markup else markup).strip()
    text = _BREAK.sub("\n", markup)
    text = _PARAGRAPH_GAP.sub("\n\n", text)
    text = _BLOCK_END.sub("\n", text)
    return html.unescape(_STRIP_ALL.clean(text)).strip()


def one_line(field: str, markup: str) -> str:
    """`plain_text` on one line: a headline broken over lines reads as one title."""
    text = plain_text(field, markup)
    return " ".join(text.split()) if "\n" in text or "\r" in text else text


def html_of(text: str) -> str:
    """Plain text as HTML that shows it as it is and reads back through `plain_text` to it."""
    return html.escape(text, quote=False).replace("\n", _BREAK_MARK)
