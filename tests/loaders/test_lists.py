"""Parties listed under a heading, on documents written for these tests."""

from graph.model import RelationType
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
