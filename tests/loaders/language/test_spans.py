from loaders.reading.normalize import normalize
from loaders.language.spans import parse, sentences


def _sentences(text: str) -> list[str]:
    return [s.text for s in sentences(parse(normalize(text)))]


def test_abbreviations_do_not_end_sentences():
    assert _sentences("Motion av Bengt Herke m.fl. har väckts. Den nämner bl.a. polisen. Enl. prop. 2019/20:1 ska det ske.") == [
        "Motion av Bengt Herke m.fl. har väckts.", "Den nämner bl.a. polisen.", "Enl. prop. 2019/20:1 ska det ske."]


def test_closing_quotes_and_brackets_stay_with_their_sentence():
    assert _sentences("Han sa: ”Bra.” Sedan kom (nästa sak.) Slut! Klart?") == [
        "Han sa: ”Bra.”", "Sedan kom (nästa sak.)", "Slut!", "Klart?"]


def test_offsets_point_into_the_normalised_text():
    normal = normalize("# Rubrik\n\nFörsta meningen. Andra meningen.", markdown=True)
    for s in sentences(parse(normal)):
        assert normal.text[s.start : s.end] == s.text


def test_sentences_never_cross_blocks():
    assert _sentences("Utan punkt\n\nNästa stycke.") == ["Utan punkt", "Nästa stycke."]


def test_abbreviations_end_no_sentence_whatever_surrounds_them():
    from loaders.reading.normalize import normalize
    from loaders.language.spans import parse, sentences

    text = "Enligt prop. 2019/20:1 och (bl.a. polisen) m.fl.) gäller det. Jfr. kap. 3 t.o.m. kap. 5. Sist!"
    found = [s.text for s in sentences(parse(normalize(text)))]
    assert found == ["Enligt prop. 2019/20:1 och (bl.a. polisen) m.fl.) gäller det.", "Jfr. kap. 3 t.o.m. kap. 5.", "Sist!"]


def test_a_full_stop_after_an_ordinary_word_still_ends_the_sentence():
    from loaders.reading.normalize import normalize
    from loaders.language.spans import parse, sentences

    found = [s.text for s in sentences(parse(normalize("Staden prop. Nej, staden propar. Sedan.")))]
    assert found == ["Staden prop. Nej, staden propar.", "Sedan."]


def test_tokens_mention_covers_the_same_characters_as_the_span():
    from loaders.reading.normalize import normalize
    from loaders.language.spans import parse, span_mention, tokens_mention

    normal = normalize("Rubrik\n\nSamverkan med Lokalpolisområde Rinkeby (LPO) sedan 2019.")
    offset, doc = parse(normal)[1]
    for start, end in [(0, 1), (2, 4), (4, 7), (0, len(doc))]:
        expected = span_mention(doc[start:end], offset, None, "test")
        assert tokens_mention(doc, start, end, offset, None, "test") == expected
        assert normal.text[expected.start : expected.end] == expected.text


def test_token_range_agrees_with_spacys_expanding_char_span():
    from loaders.language.spans import nlp, token_range

    text = "Enligt  (bl.a.) Nacka kommun, och Region Gävleborg: samverkan sedan 2021-05-01!"
    doc = nlp().make_doc(text)
    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            span = doc.char_span(start, end, alignment_mode="expand")
            expected = (span.start, span.end) if span is not None and len(span) else None
            assert token_range(doc, start, end) == expected, (start, end, text[start:end])
