import re

from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.language.phrases import alternation, phrase_pattern


def _alternation(phrases: list[str]) -> re.Pattern[str]:
    """The plain longest-first alternation the trie stands in for."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(p) for p in ordered) + r")(?!\w)")


def test_longest_whole_word_phrase_at_the_leftmost_place():
    pattern = phrase_pattern(["samverka", "samverkan", "samverkan med", "i projektet"])
    assert pattern.search("vi vill samverkan med polisen").group(1) == "samverkan med"
    assert pattern.search("de samverkande parterna ska samverka").group(1) == "samverka"
    assert pattern.search("osamverkan") is None
    assert pattern.search("arbetet i projektet.").span(1) == (8, 19)


def test_phrases_with_punctuation_and_spaces_are_literal():
    pattern = phrase_pattern(["t.ex.", "bl.a."])
    assert pattern.search("a t.ex. b").group(1) == "t.ex."
    assert pattern.search("tatex") is None


def test_no_phrases_matches_nothing():
    assert phrase_pattern([]).search("samverkan") is None


_words = st.text(alphabet="abså ", min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(st.lists(_words, min_size=1, max_size=8), st.text(alphabet="absåc .,", max_size=40))
def test_same_matches_as_a_longest_first_alternation(phrases, text):
    phrases = [p for p in phrases if p.strip()] or ["a"]
    trie, plain = phrase_pattern(phrases), _alternation(phrases)
    expected = [m.span(1) for m in plain.finditer(text)]
    assert [m.span(1) for m in trie.finditer(text)] == expected


def test_alternation_is_plain_regex_source_without_boundaries():
    pattern = re.compile(alternation(["juni", "juli", "jul"]))
    assert [m.group(0) for m in pattern.finditer("midjuli, juni, julafton")] == ["juli", "juni", "jul"]
    assert re.compile(alternation([])).search("x") is None
