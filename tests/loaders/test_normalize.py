from loaders.normalize import normalize


def test_words_broken_across_lines_are_mended():
    normal = normalize("Stadsdels-\nförvaltningen har tecknat en över-\nenskommelse.")
    assert normal.text == "Stadsdelsförvaltningen har tecknat en överenskommelse."


def test_suspended_compounds_keep_their_hyphen():
    normal = normalize("det brottsbekämpande-\noch brottsförebyggande arbetet.")
    assert normal.text == "det brottsbekämpande- och brottsförebyggande arbetet."


def test_hyphenated_names_stay_hyphenated():
    assert normalize("Rinkeby-\nKista stadsdelsnämnd svarar.").text == "Rinkeby-Kista stadsdelsnämnd svarar."


def test_page_numbers_are_dropped_and_page_breaks_joined():
    raw = "Staden har en lokal\n\n3 (12)\n\nbrottsförebyggande samverkan med polisen."
    assert normalize(raw).text == "Staden har en lokal brottsförebyggande samverkan med polisen."


def test_markdown_headings_and_emphasis():
    normal = normalize("## Bromma stadsdelsnämnd\n\n**Bromma** startade projektet *Trygg i Bromma*.", markdown=True)
    kinds = [b.kind for b in normal.blocks]
    assert kinds == ["heading", "paragraph"]
    assert normal.text == "Bromma stadsdelsnämnd\n\nBromma startade projektet Trygg i Bromma."
    spans = [normal.text[s:e] for s, e in normal.emphasis]
    assert spans == ["Bromma", "Trygg i Bromma"]


def test_plain_text_headings_are_recognised():
    normal = normalize("Sammanfattning\n\nFörvaltningen ser vinster.\n\nBakgrund\nKommunstyrelsen har remitterat.")
    assert [(b.kind, normal.block_text(b)) for b in normal.blocks] == [
        ("heading", "Sammanfattning"),
        ("paragraph", "Förvaltningen ser vinster."),
        ("heading", "Bakgrund"),
        ("paragraph", "Kommunstyrelsen har remitterat."),
    ]


def test_unicode_is_nfc_and_control_characters_go():
    raw = "Fo\u0308rvaltningen\u00ad och\u200b na\u0308mnden\x07."
    assert normalize(raw).text == "Förvaltningen och nämnden."
