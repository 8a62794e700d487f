"""Parties listed under a heading, on documents written for these tests."""

from graph.model import Kind, RelationType
from loaders.pipeline import extract_text

PROJECT = """# Projektet Tryggare Vivalla

## Parter

- Örebro kommun
- Lokalpolisområde Örebro
- Örebrobostäder AB

## Bakgrund

Projektet startade 2023.
"""


def _memberships(text: str) -> dict[str, str]:
    x = extract_text(text, markdown=True)
    names = {e.id: e.name for e in x.entities}
    return {names[r.source]: names[r.target] for r in x.relations
            if r.type in (RelationType.PARTICIPATES_IN, RelationType.PARTY_TO)
            and any(e.rule == "list:parties" for e in r.evidence)}


def test_the_bodies_listed_under_parter_take_part_in_the_project_of_the_title():
    found = _memberships(PROJECT)
    assert found == {"Örebro kommun": "Tryggare Vivalla", "Lokalpolisområde Örebro": "Tryggare Vivalla",
                     "Örebrobostäder AB": "Tryggare Vivalla"}
    x = extract_text(PROJECT, markdown=True)
    quoted = {e.sentence for r in x.relations for e in r.evidence}
    assert "Örebrobostäder AB" in quoted  # the list item is the evidence


def test_an_agreement_in_the_title_gets_the_listed_parties():
    text = ("# Samverkansöverenskommelse mellan Gävle kommun och Polisområde Gävleborg\n\n"
            "## Avtalsparter\n\nGävle kommun\n\nPolisområde Gävleborg\n\nRegion Gävleborg\n\n"
            "## Syfte\n\nÖkad trygghet.\n")
    found = _memberships(text)
    assert set(found) == {"Gävle kommun", "Polisområde Gävleborg", "Region Gävleborg"}
    assert len(set(found.values())) == 1 and next(iter(found.values())).startswith("Samverkansöverenskommelse")


def test_a_list_without_a_project_in_the_title_or_under_another_heading_adds_nothing():
    assert _memberships(PROJECT.replace("# Projektet Tryggare Vivalla", "# Årsrapport 2024")) == {}
    assert _memberships(PROJECT.replace("## Parter", "## Remissinstanser")) == {}


def _pairs(text: str, markdown: bool = False) -> set[frozenset[str]]:
    x = extract_text(text, markdown=markdown)
    names = {e.id: e.name for e in x.entities}
    return {frozenset((names[r.source], names[r.target])) for r in x.relations
            if r.type is RelationType.COLLABORATES_WITH}


def test_parties_listed_with_dashes_on_one_line_cooperate_with_each_other():
    text = ("SAMARBETSAVTAL\n\nom feriearbeten i Falun\n\n"
            "Parter – Falu kommun – Region Dalarna – Arbetsförmedlingen\n\n"
            "Avtalet gäller under 2026.\n")
    pairs = _pairs(text)
    assert frozenset(("Falu kommun", "Region Dalarna")) in pairs
    assert frozenset(("Region Dalarna", "Arbetsförmedlingen")) in pairs


def test_signature_lines_name_the_parties_and_an_unknown_name_becomes_a_party():
    text = ("MEDBORGARLÖFTE 2026\n\nVi lovar att arbeta för ett tryggare centrum.\n\n"
            "Mora i juni 2026\n\nFör Mora kommun\n\nFör Lokalpolisområde Mora\n\nFör Handelsföreningen Mora\n")
    x = extract_text(text)
    names = {e.id: e.name for e in x.entities}
    assert "Handelsföreningen Mora" in names.values()
    pairs = _pairs(text)
    assert frozenset(("Mora kommun", "Handelsföreningen Mora")) in pairs
    assert frozenset(("Lokalpolisområde Mora", "Mora kommun")) in pairs
    every_entity_has_evidence = all(e.evidence for e in x.entities)
    assert every_entity_has_evidence


def test_a_line_after_the_list_that_is_a_section_title_ends_it():
    text = ("MEDBORGARLÖFTE 2026\n\nParter\n\nMora kommun\n\nLokalpolisområde Mora\n\nBakgrund\n\n"
            "Tryggheten i centrum har minskat.\n")
    x = extract_text(text)
    assert "Bakgrund" not in {e.name for e in x.entities}


def test_a_listed_company_with_its_legal_form_is_the_company_the_text_names():
    text = ("SAMARBETSAVTAL\n\nom trygghet i Norrby\n\n"
            "Parter – Falu kommun – AB Falu Energi – Region Dalarna\n\n"
            "Falu Energi AB och Falu kommun samarbetar sedan 2020 om belysning.\n")
    names = {e.name for e in extract_text(text).entities}
    assert not ({"AB Falu Energi", "Falu Energi AB"} <= names)


PAGE = """Länsstyrelsen › Projekt › Norrbotten

# Unga i jobb Norrbotten

Projektägare | Kommunkansliet, Luleå kommun

Projektperiod | 2025-01-01 till 2026-12-31

## Samverkanspartner

Organisation | Roll i projektet

Kommunkansliet, Luleå kommun | Projektägare

Arbetsförmedlingen | Samverkanspart

Region Norrbotten | Samverkanspart
"""


def test_a_project_page_names_its_project_in_its_main_heading_after_a_breadcrumb():
    found = _memberships(PAGE)
    assert set(found.values()) == {"Unga i jobb Norrbotten"}
    assert {"Arbetsförmedlingen", "Region Norrbotten", "Kommunkansliet"} <= set(found)


def test_a_table_row_names_its_party_in_the_first_cell_and_a_header_row_none():
    x = extract_text(PAGE, markdown=True)
    names = {e.name for e in x.entities}
    assert "Organisation" not in names
    pairs = _pairs(PAGE, markdown=True)
    assert frozenset(("Kommunkansliet", "Arbetsförmedlingen")) in pairs
    assert frozenset(("Luleå kommun", "Arbetsförmedlingen")) not in pairs  # the city only says whose kansli


def test_a_field_of_other_parties_lists_them_and_a_person_with_a_role_is_no_party():
    text = ("Protokoll\n\nStyrgruppen för projektet Fjällsteg\n\nProjektägare: Region Norrbotten\n\n"
            "Övriga parter: Arbetsförmedlingen, Försäkringskassan och Kiruna kommun\n\n"
            "Närvarande\n\nAnna Lind, projektledare (sekreterare)\n")
    x = extract_text(text)
    names = {e.name for e in x.entities}
    assert not any("projektledare" in n for n in names)
    pairs = _pairs(text)
    assert frozenset(("Arbetsförmedlingen", "Region Norrbotten")) in pairs
    assert frozenset(("Kiruna kommun", "Försäkringskassan")) in pairs


def test_the_rows_of_a_table_of_members_are_parties_of_the_documents_group():
    from loaders.pipeline import extract_text

    text = ("# Lunnaby krisberedskapsråd\n\nProtokoll från rådets möte. Rådets ledamöter framgår av tabellen.\n\n"
            "| Organisation | Ledamot |\n|---|---|\n| Lunnaby kommun | Eva Ek |\n| Region Norrsund | Per Lund |\n"
            "| Röda korset | Ali Demir |\n\n## Lägesbild\n\nLäget är lugnt.\n")
    x = extract_text(text, markdown=True)
    names = {e.id: e.name for e in x.entities}
    pairs = {frozenset((names[r.source], names[r.target])) for r in x.relations if r.type.value == "COLLABORATES_WITH"}
    assert frozenset(("Lunnaby kommun", "Region Norrsund")) in pairs
    assert frozenset(("Region Norrsund", "Röda korset")) in pairs


def test_a_table_whose_first_column_is_no_party_lists_none():
    from loaders.pipeline import extract_text

    text = ("# Lunnaby kommun\n\nÅrets siffror.\n\n| År | Lunnaby kommun | Region Norrsund |\n|---|---|---|\n"
            "| 2024 | 12 | 14 |\n| 2025 | 13 | 15 |\n")
    assert not [r for r in extract_text(text, markdown=True).relations]


def test_a_steering_groups_table_of_persons_names_their_bodies_as_parties():
    text = ("# Projektplan Ljusglimten\n\n### Styrgrupp\n\n| Namn | Organisation | Funktion |\n|---|---|---|\n"
            "| Ingrid Fahlén | Lunnaby kommun | ordförande |\n| Anders Blom | Region Norrland | ledamot |\n\n"
            "Styrgruppen sammanträder fyra gånger per år.\n")
    x = extract_text(text, markdown=True)
    names = {e.id: e.name for e in x.entities}
    kinds = {e.name: e.kind for e in x.entities}
    pairs = {tuple(sorted([names[r.source], names[r.target]])) for r in x.relations}
    assert ("Lunnaby kommun", "Region Norrland") in pairs
    assert not [p for p in pairs if "Ingrid Fahlén" in p or "Anders Blom" in p]  # persons are no parties
    assert not [n for n in kinds if n.startswith("Styrgruppen sammanträder")]  # a sentence is no name
    assert kinds["Ljusglimten"] is Kind.project  # the plan's title names the project, not "Projektplan …"


def test_a_guest_on_the_register_sits_in_no_group():
    text = ("MINNESANTECKNINGAR\n\nNorrby trygghetsråd\n\nNärvarande\nEva Berg, samordnare, Lunnaby kommun\n"
            "Per Ek, kommunpolis, Lokalpolisområde Norrby\n"
            "Sofia Lind, Kriminalvården, frivården Norrby (gäst under punkt 4)\n\n1. Mötets öppnande\n\n"
            "Ordföranden hälsade välkommen.\n")
    x = extract_text(text)
    names = {e.id: e.name for e in x.entities}
    pairs = {tuple(sorted([names[r.source], names[r.target]])) for r in x.relations}
    assert ("Lokalpolisområde Norrby", "Lunnaby kommun") in pairs
    assert not [p for p in pairs if "Kriminalvården" in p]
