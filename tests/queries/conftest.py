"""A small hand-built graph whose answers are known by construction.

    Alby kommun ── Polisregion Mitt        (agreement "Avtal Alby", existing, both PARTY_TO)
    Alby kommun ── Skatteverket            (project "Trygg Alby", existing, both PARTICIPATES_IN)
    Skatteverket ── Tullverket             (direct, existing)   <- Skatteverket brokers
    Tullverket ── Kustbevakningen          (direct, proposed)
"""

import pytest

from graph.memory import MemoryStore
from graph.model import Kind, RelationType, Status
from tests.helpers import entity, extraction

CW, PT, PI = RelationType.COLLABORATES_WITH, RelationType.PARTY_TO, RelationType.PARTICIPATES_IN


@pytest.fixture()
def store(tmp_path):
    s = MemoryStore(tmp_path / "g.json")
    s.add(extraction(
        "doc one", "one.txt",
        [entity("Alby kommun", Kind.municipality), entity("Polisregion Mitt", Kind.police_unit),
         entity("Avtal Alby", Kind.agreement), entity("Skatteverket", Kind.agency),
         entity("Trygg Alby", Kind.project)],
        [("Alby kommun", "Polisregion Mitt", CW, Status.existing, "Alby kommun och Polisregion Mitt tecknade avtal."),
         ("Alby kommun", "Avtal Alby", PT, Status.existing, "Alby kommun och Polisregion Mitt tecknade avtal."),
         ("Polisregion Mitt", "Avtal Alby", PT, Status.existing, "Alby kommun och Polisregion Mitt tecknade avtal."),
         ("Alby kommun", "Trygg Alby", PI, Status.existing, "Alby kommun och Skatteverket driver Trygg Alby."),
         ("Skatteverket", "Trygg Alby", PI, Status.existing, "Alby kommun och Skatteverket driver Trygg Alby.")],
    ))
    s.add(extraction(
        "doc two", "two.txt",
        [entity("Skatteverket", Kind.agency), entity("Tullverket", Kind.agency),
         entity("Kustbevakningen", Kind.agency), entity("Alby kommun", Kind.municipality),
         entity("Polisregion Mitt", Kind.police_unit)],
        [("Skatteverket", "Tullverket", CW, Status.existing, "Skatteverket samverkar med Tullverket."),
         ("Tullverket", "Kustbevakningen", CW, Status.proposed, "Tullverket föreslår samverkan med Kustbevakningen."),
         ("Alby kommun", "Polisregion Mitt", CW, Status.existing, "Alby kommun samverkar med Polisregion Mitt.")],
    ))
    s.get_entity = s.entity
    return s
