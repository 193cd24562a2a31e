"""Derived ids must stay what `uuid.uuid5` gives: stored ids depend on them."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from timeline_app.domain.model import NAMESPACE, SourceRef, source_id_for, stable_id


@given(st.text())
def test_stable_id_is_uuid5_in_the_app_namespace(name):
    assert stable_id(name) == str(uuid.uuid5(NAMESPACE, name))


def test_source_id_is_derived_from_url_and_title_unless_given():
    ref = SourceRef("Report", "https://example.org/r")
    assert source_id_for(ref) == str(uuid.uuid5(NAMESPACE, "source:https://example.org/r\nReport"))
    assert source_id_for(SourceRef("Report", "https://example.org/r", id="own")) == "own"


def test_a_thirteenth_category_gets_a_colour_of_its_own():
    """The bundled dataset takes all twelve palette colours: a category added after them
    (by hand or by an import) must not be drawn like one of them, nor like each other."""
    from timeline_app.domain.palette import CATEGORY_COLOURS, is_colour, next_colour

    used = list(CATEGORY_COLOURS)
    for _ in range(40):
        colour = next_colour(used)
        assert is_colour(colour) and colour.upper() not in {c.upper() for c in used}
        used.append(colour)
