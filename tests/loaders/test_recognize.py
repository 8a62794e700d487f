

def test_word_lists_in_patterns_become_one_pattern_per_word():
    from loaders.recognize import _expand

    expanded = _expand(["$NAME", {"LOWER": {"IN": ["kommuns", "stads"]}}, {"IS_LOWER": True, "OP": "+"},
                        {"LOWER": {"IN": ["center", "centrum"]}}])
    assert len(expanded) == 4
    assert {p[1]["LOWER"] for p in expanded} == {"kommuns", "stads"}
    assert all(p[0] == {"IS_TITLE": True} and p[2] == {"IS_LOWER": True, "OP": "+"} for p in expanded)
