

def test_word_lists_in_patterns_become_one_pattern_per_word():
    from loaders.extraction.recognize import _expand

    expanded = _expand(["$NAME", {"LOWER": {"IN": ["kommuns", "stads"]}}, {"IS_LOWER": True, "OP": "+"},
                        {"LOWER": {"IN": ["center", "centrum"]}}])
    assert len(expanded) == 4
    assert {p[1]["LOWER"] for p in expanded} == {"kommuns", "stads"}
    assert all(p[0] == {"IS_TITLE": True} and p[2] == {"IS_LOWER": True, "OP": "+"} for p in expanded)


def test_an_acronym_is_matched_in_capitals_only():
    from loaders.pipeline import extract_text

    assert extract_text("Många boende känner sig otrygga och vill yttra sig om detta.").entities == []
    found = extract_text("Staden deltar i SIG:s arbete sedan 2019.").entities
    assert [e.name for e in found] == ["Sociala insatsgrupper"]
    # the acronym's expansion is still matched in any case
    assert [e.name for e in extract_text("Staden deltar i arbetet med sociala insatsgrupper.").entities] \
        == ["Sociala insatsgrupper"]


def test_distinct_words_are_the_words_the_word_pattern_finds():
    from loaders.extraction.recognize import _WORD, _distinct_words

    text = ("nacka kommun, (sig) och kommun/region – rinkeby-kista; 2024-05-01 t.ex. "
            "under_streck ² polisområde\tsyd\nslut.")
    assert _distinct_words(text) == set(_WORD.findall(text))
