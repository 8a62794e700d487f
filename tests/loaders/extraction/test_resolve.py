"""Names close to a known body's are read as that body."""

from graph.model import Kind
from loaders.extraction.resolve import _known_body


def test_a_name_one_letter_off_a_known_municipality_is_that_municipality():
    # The fuzzy lookup once compared a folded name with unfolded ones and, on a hit, looked the
    # folded form up where only the written names are keys (KeyError).
    body = _known_body("Hallbergs kommun", Kind.municipality)
    assert body is not None and body.name == "Hallsbergs kommun"


def test_a_close_name_of_another_kind_is_not_taken():
    assert _known_body("Hallbergs kommun", Kind.ngo) is None
