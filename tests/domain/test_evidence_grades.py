"""What a graded citation vouches for, which grade is an event's best, and the certainty
suggested from them."""

from __future__ import annotations

import pytest

from timeline_app.domain.evidence import best_grade, suggested_certainty, supported_certainty
from timeline_app.domain.model import Certainty


@pytest.mark.parametrize(
    ("grade", "supported"),
    [
        (("A", 1), Certainty.CONFIRMED),
        (("C", 1), Certainty.CONFIRMED),
        (("B", 2), Certainty.REPORTED),
        (("D", 1), Certainty.REPORTED),
        (("F", 1), Certainty.REPORTED),
        (("D", 2), Certainty.ALLEGED),
        (("E", 1), Certainty.ALLEGED),
        (("A", 3), Certainty.ALLEGED),
        (("B", 4), Certainty.ALLEGED),
        (("A", 5), Certainty.DISPUTED),
        (("A", 6), None),
    ],
)
def test_what_one_citation_vouches_for(grade, supported):
    assert supported_certainty(*grade) == supported


def test_a_reliable_probable_report_outranks_a_confirmed_claim_from_an_unjudged_source():
    assert best_grade([("F", 1), ("B", 2)]) == ("B", 2)
    assert best_grade([("B", 2), ("B", 1), ("A", 2)]) == ("B", 1)
    assert best_grade([]) is None


def test_the_suggestion_is_the_most_any_citation_vouches_for_and_ignores_ungraded_ones():
    assert suggested_certainty([("D", 3), ("B", 2)]) is Certainty.REPORTED
    assert suggested_certainty([("D", 3), ("C", 1)]) is Certainty.CONFIRMED
    assert suggested_certainty([("F", 6)]) is None
    assert suggested_certainty([("F", 6), ("A", 5)]) is Certainty.DISPUTED
