from loaders.reading.normalize import normalize


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


def _blocks(raw: str) -> list[tuple[str, str]]:
    normal = normalize(raw)
    return [(b.kind, normal.block_text(b)) for b in normal.blocks]


# A page as PDF text layers give it: wrapped lines, and no blank line between paragraphs.
PDF_PAGE = """Tjänsteutlåtande
Dnr UBN 2023/456
Borås stad och Polisområde Älvsborg har tecknat en överenskommelse om
trygghet i skolorna. Arbetet följs upp varje år.
Bakgrund
Utbildningsnämnden beslutade i maj att samverkan ska utvecklas, bl.a.
Kriminalvården har bjudits in. Frågan har beretts med hjälp av
Arbetsförmedlingen och Socialförvaltningen under hösten."""


def test_paragraphs_without_blank_lines_are_told_apart_by_their_short_lines():
    assert _blocks(PDF_PAGE) == [
        ("heading", "Tjänsteutlåtande"),
        ("paragraph", "Dnr UBN 2023/456"),
        ("paragraph", "Borås stad och Polisområde Älvsborg har tecknat en överenskommelse om trygghet i skolorna. "
                      "Arbetet följs upp varje år."),
        ("heading", "Bakgrund"),
        ("paragraph", "Utbildningsnämnden beslutade i maj att samverkan ska utvecklas, bl.a. Kriminalvården har "
                      "bjudits in. Frågan har beretts med hjälp av Arbetsförmedlingen och Socialförvaltningen under "
                      "hösten."),
    ]


def test_a_wrapped_sentence_is_not_cut_where_a_long_name_moved_to_the_next_line():
    raw = ("Förvaltningen har sedan 2021 en nära och väl fungerande samverkan med\n"
           "Polisen och\n"
           "Stadsdelsförvaltningarna i hela staden, som alla deltar i arbetet varje vecka.")
    assert _blocks(raw) == [("paragraph", " ".join(raw.split("\n")))]


def test_a_wrapped_first_line_ending_in_a_name_word_is_no_heading():
    raw = ("Södermalms stadsdelsförvaltning har tillsammans med Lokalpolisområde\n"
           "Holma ingått en lokal samverkansöverenskommelse om trygghet i skolorna\n"
           "och på fritidsgårdarna.")
    assert _blocks(raw) == [("paragraph", " ".join(raw.split("\n")))]


def test_a_heading_line_above_its_text_is_still_a_heading():
    assert _blocks("Förslag till beslut\nRemissen besvaras med förvaltningens tjänsteutlåtande") == [
        ("heading", "Förslag till beslut"), ("paragraph", "Remissen besvaras med förvaltningens tjänsteutlåtande")]


def test_list_items_on_consecutive_lines_become_blocks_of_their_own():
    from loaders.reading.normalize import list_items

    assert list_items(["Parterna är:", "- Örebro kommun", "- Lokalpolisområde Örebro,", "  med stöd av Polisregion Bergslagen"]) \
        == [["Parterna är:"], ["Örebro kommun"], ["Lokalpolisområde Örebro,", "  med stöd av Polisregion Bergslagen"]]
    assert list_items(["1. Reservationer", "2. Motion om samverkan"]) == [["Reservationer"], ["Motion om samverkan"]]
    # one hyphen at the start of a wrapped line inside prose is no list
    prose = ["Projektet Trefas", "- förstärkt samverkan startade 2019."]
    assert list_items(prose) == [prose]
    normal = normalize("# Parter\n\n- Örebro kommun\n- Örebrobostäder AB\n", markdown=True)
    assert [normal.block_text(b) for b in normal.blocks] == ["Parter", "Örebro kommun", "Örebrobostäder AB"]


def test_a_record_line_starts_a_block_of_its_own():
    normal = normalize("Tjänsteutlåtande\nSocialförvaltningen Nordost\nDiarienummer N131-0456/24\n")
    assert [normal.block_text(b) for b in normal.blocks] == \
        ["Tjänsteutlåtande", "Socialförvaltningen Nordost", "Diarienummer N131-0456/24"]


def test_a_signature_block_keeps_its_lines_apart():
    normal = normalize("Underskrifter\n\nLokalpolisområde Botkyrka\nLokalpolisområdeschef Erik Berg\n")
    assert [normal.block_text(b) for b in normal.blocks][1:] == ["Lokalpolisområde Botkyrka", "Lokalpolisområdeschef Erik Berg"]
    # wrapped prose goes on in lower case, or runs wider: it stays one paragraph
    prose = normalize("Förvaltningen har tillsammans\nmed polisen ingått en\növerenskommelse.\n")
    assert len(prose.blocks) == 1


def test_a_markdown_table_row_is_a_block_of_its_own_with_its_cells():
    from loaders.reading.normalize import normalize

    text = "# Partner\n\n| Partner | Roll |\n|---|:---:|\n| Lunnaby kommun | Projektägare |\n| Ekeby kommun | Partner |\n"
    blocks = [n for n in (normalize(text, markdown=True).block_text(b) for b in normalize(text, markdown=True).blocks)]
    assert blocks == ["Partner", "Partner | Roll", "Lunnaby kommun | Projektägare", "Ekeby kommun | Partner"]
