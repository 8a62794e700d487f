"""Context-dependent extraction on texts written for these tests: remiss sections,
authors, persons and parties, OCR damage."""

from graph.model import Kind
from loaders.reading.ocr import is_damaged, repair, repair_word
from loaders.pipeline import extract_text
from loaders.reading.vocabulary import vocabulary

REMISS = """## Remissammanställning

## Farsta stadsdelsnämnd

**Farsta stadsdelsförvaltnings** tjänsteutlåtande har i huvudsak följande lydelse.

Förvaltningen har tillsammans med Lokalpolisområde Farsta ingått en lokal samverkansöverenskommelse.

## Skarpnäcks stadsdelsnämnd

**Skarpnäcks stadsdelsförvaltnings** tjänsteutlåtande har i huvudsak följande lydelse.

Förvaltningen samverkar med Svenska kyrkan och Fryshuset i projektet Trygg i Skarpnäck.
"""


def _pairs(x):
    names = {e.id: e.name for e in x.entities}
    return {(r.type.value, r.status.value, frozenset((names[r.source], names[r.target]))) for r in x.relations}


def test_remiss_sections_set_who_forvaltningen_is():
    x = extract_text(REMISS, markdown=True)
    pairs = _pairs(x)
    assert ("COLLABORATES_WITH", "existing",
            frozenset({"Farsta stadsdelsförvaltning", "Lokalpolisområde Farsta"})) in pairs
    assert ("COLLABORATES_WITH", "existing",
            frozenset({"Skarpnäcks stadsdelsförvaltning", "Svenska kyrkan"})) in pairs
    assert not any("Farsta stadsdelsförvaltning" in p[2] and "Svenska kyrkan" in p[2] for p in pairs)


def test_the_project_gets_its_participants():
    x = extract_text(REMISS, markdown=True)
    project = next(e for e in x.entities if e.kind is Kind.project)
    assert project.name == "Trygg i Skarpnäck"
    members = {r.source for r in x.relations if r.target == project.id}
    assert {"skarpnacks-stadsdelsforvaltning", "fryshuset", "svenska-kyrkan"} <= members


def test_persons_and_their_party():
    x = extract_text("Motion av Karin Lindqvist m.fl. (S) om samverkan med Skatteverket.\n\nLARS BERGSTRÖM")
    kinds = {e.name: e.kind for e in x.entities}
    assert kinds["Karin Lindqvist"] is Kind.person
    assert kinds["Socialdemokraterna"] is Kind.party
    assert kinds["Lars Bergström"] is Kind.person


def test_a_named_cooperation_against_something_and_its_members():
    text = ("Kommunen ingår i nätverket mot våld i nära relationer tillsammans med Region Halland. "
            "Halmstads kommun deltar aktivt i nätverket.")
    x = extract_text(text)
    group = next(e for e in x.entities if e.kind is Kind.group)
    assert group.name == "Nätverket mot våld i nära relationer"
    assert any(r.target == group.id and r.source == "halmstads-kommun" for r in x.relations)


def test_lokalpolisen_is_the_one_area_the_document_names():
    text = ("Lokalpolisområde Gottsunda har tillsammans med Uppsala kommun tagit fram en lägesbild. "
            "Kommunen samverkar med lokalpolisen i trygghetsvandringar.")
    pairs = _pairs(extract_text(text))
    assert ("COLLABORATES_WITH", "existing", frozenset({"Uppsala kommun", "Lokalpolisområde Gottsunda"})) in pairs


def test_author_is_found_from_an_agreement_named_twice():
    text = ("Förvaltningen har tillsammans med Lokalpolisområde Farsta ingått en samverkansöverenskommelse.\n\n"
            "Farsta stadsdelsförvaltning och Lokalpolisområde Farsta har ingått en samverkansöverenskommelse "
            "om trygghet. Förvaltningen samverkar också med Skarpnäcks stadsdelsförvaltning.")
    x = extract_text(text)
    assert x.document.author == "Farsta stadsdelsförvaltning"
    assert ("COLLABORATES_WITH", "existing",
            frozenset({"Farsta stadsdelsförvaltning", "Skarpnäcks stadsdelsförvaltning"})) in _pairs(x)


def test_ocr_words_are_repaired_against_the_vocabulary():
    vocab = vocabulary()
    assert repair_word("forvaltningen", vocab) == "förvaltningen"
    assert repair_word("samverkansoverenskommelse", vocab) == "samverkansöverenskommelse"
    assert repair_word("stadsdelsndmnder", vocab) == "stadsdelsnämnder"
    assert repair_word("Kriminalvarden", vocab) == "Kriminalvården"
    assert repair_word("samverkan", vocab) is None
    assert repair_word("p1anerar", vocab) == "planerar"  # a 1 read for an l
    assert repair_word("2019", vocab) is None


DAMAGED = """Svar pa remiss fran kommunstyrelsen

Forvaltningen har tillsammans med Lokalpolisomrade Gottsunda och Kriminalvarden ingatt en lokal
samverkansoverenskommelse om trygghet i Gottsunda. Overenskommelsen ar ett led i det
brottsforebyggande arbetet och omfattar flera omraden dar samverkan ar viktig. Arbetet med att
genomfora overenskommelsen pagar och en gemensam struktur for arbetet har bildats. Forvaltningen
anser att det ar viktigt att folja upp arbetet och att redovisa resultaten for namnden.
Uppsala kommun och Region Uppsala samverkar ocksa kring barn och unga i omradet sedan 2019.
"""


def test_damaged_text_is_recognised_and_repaired_without_moving_offsets():
    assert is_damaged(DAMAGED)
    assert len(repair(DAMAGED)) == len(DAMAGED)
    x = extract_text(DAMAGED)
    names = {e.name for e in x.entities}
    assert {"Lokalpolisområde Gottsunda", "Kriminalvården", "Uppsala kommun", "Region Uppsala"} <= names
    rel = next(r for r in x.relations if {r.source, r.target} == {"region-uppsala", "uppsala-kommun"})
    assert rel.status.value == "existing"
    quote = rel.evidence[0]
    assert quote.sentence.startswith("Uppsala kommun och Region Uppsala samverkar ocksa")


def test_clean_text_is_not_taken_for_damaged():
    assert not is_damaged("Förvaltningen har tillsammans med Lokalpolisområde Gottsunda ingått en överenskommelse. " * 10)


DISTRICTS = """## Socialnämnden Nordost

**Socialnämnden Nordosts** tjänsteutlåtande har i huvudsak följande lydelse.

Förvaltningen samarbetar med Polisområde Storgöteborg sedan 2021.

Socialförvaltningen Hisingen i Göteborgs stad samverkar med Arbetsförmedlingen.
"""


def test_a_district_after_a_board_or_administration_is_part_of_its_name():
    x = extract_text(DISTRICTS)
    by_name = {e.name: e for e in x.entities}
    nordost, hisingen = by_name["Socialförvaltningen Nordost"], by_name["Socialförvaltningen Hisingen"]
    assert nordost.kind is hisingen.kind is Kind.administration
    assert nordost.id != hisingen.id and nordost.parent == hisingen.parent == "goteborgs-stad"
    assert by_name["Socialnämnden Nordost"].kind is Kind.board
    pairs = _pairs(x)
    # "Förvaltningen" in the board's section is its own administration, district and all.
    assert ("COLLABORATES_WITH", "existing", frozenset({"Socialförvaltningen Nordost", "Polisområde Storgöteborg"})) in pairs
    assert ("COLLABORATES_WITH", "existing", frozenset({"Socialförvaltningen Hisingen", "Arbetsförmedlingen"})) in pairs
    assert "Socialförvaltningen" not in by_name


def test_a_capitalised_word_that_is_no_district_stays_out_of_the_name():
    x = extract_text("Socialförvaltningen Kriminalvården och Polisen samverkar sedan 2020.")
    names = {e.name for e in x.entities}
    assert "Socialförvaltningen" in names and "Kriminalvården" in names


def test_the_municipality_a_body_is_placed_in_is_no_party():
    x = extract_text("Socialförvaltningen i Malmö stad samarbetar med Kriminalvården. "
                     "Polisen i Region Stockholm samverkar med Botkyrka kommun.")
    pairs = _pairs(x)
    assert ("COLLABORATES_WITH", "existing", frozenset({"Socialförvaltningen", "Kriminalvården"})) in pairs
    assert ("COLLABORATES_WITH", "existing", frozenset({"Polismyndigheten", "Botkyrka kommun"})) in pairs
    assert not any("Malmö stad" in p[2] or "Region Stockholm" in p[2] for p in pairs)
    # Placed after something that is no body, a municipality still takes part.
    x = extract_text("Projektet Lyftet i Botkyrka kommun drivs tillsammans med Arbetsförmedlingen.")
    assert any("Botkyrka kommun" in p[2] for p in _pairs(x))


LETTERHEAD = """Tjänsteutlåtande
Socialförvaltningen Nordost
Diarienummer N131-0456/24

Förvaltningens bedömning

Förvaltningen har sedan 2021 ett nära samarbete med Polisområde Storgöteborg.
"""


def test_the_body_in_the_letterhead_is_who_forvaltningen_is():
    x = extract_text(LETTERHEAD)
    assert ("COLLABORATES_WITH", "existing", frozenset({"Socialförvaltningen Nordost", "Polisområde Storgöteborg"})) \
        in _pairs(x)
    # below the first paragraph of prose a body's line is no letterhead
    late = LETTERHEAD.replace("Tjänsteutlåtande\nSocialförvaltningen Nordost\n",
                              "Tjänsteutlåtande\n\n" + "Detta är en lång inledning om ärendet och dess bakgrund i staden. " * 2
                              + "\n\nSocialförvaltningen Nordost\n\n")
    assert not any("Socialförvaltningen Nordost" in p[2] for p in _pairs(extract_text(late)))
