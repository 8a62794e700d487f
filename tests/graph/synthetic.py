"""Deterministic synthetic documents for the store tests that need many or large ones.

Every merge in them is order-independent (no `via`, no attributes, aliases already
sorted), so two processes writing them in any interleaving must end with the same store
as one process writing them in order.
"""

from __future__ import annotations

import random

from graph.model import Document, Entity, Evidence, Extraction, Kind, RelationType, Status, document_id, make_relation, slug

KINDS = [Kind.municipality, Kind.agency, Kind.police_unit, Kind.region, Kind.ngo]
POOL = [(f"Aktör {i:03d}", KINDS[i % len(KINDS)]) for i in range(60)]
TYPES = [RelationType.COLLABORATES_WITH, RelationType.CO_LOCATED_WITH]
STATUSES = [Status.existing, Status.planned, Status.proposed, Status.ended]


def document(number: int, series: str = "a", ties: int = 20) -> Extraction:
    """Document `number` of a series: a dozen actors and `ties` relations among them, each with a quote."""
    rng = random.Random(f"{series}-{number}")
    text = f"Syntetiskt dokument {series}-{number}"
    doc = Document(id=document_id(text), source=f"{series}/{number:05d}.txt", title=text, length=100 * ties)
    chosen = rng.sample(POOL, 12)

    def quote(sentence: str, at: int) -> list[Evidence]:
        return [Evidence(document=doc.id, section="Ärendet", sentence=sentence, start=at,
                         end=at + len(sentence), rule="synthetic")]

    entities = [Entity(id=slug(name), name=name, kind=kind, aliases=[name.replace("Aktör", "A")],
                       evidence=quote(f"{name} nämns.", 10 * i)) for i, (name, kind) in enumerate(chosen)]
    relations = {}
    for n in range(ties):
        (a, _), (b, _) = rng.sample(chosen, 2)
        sentence = f"{a} samverkar med {b} ({series}-{number}-{n})."
        rel = make_relation(slug(a), slug(b), rng.choice(TYPES), rng.choice(STATUSES), quote(sentence, 1000 + 100 * n),
                            since=str(rng.randint(2010, 2024)))
        if rel.id in relations:
            relations[rel.id].evidence.extend(rel.evidence)
        else:
            relations[rel.id] = rel
    return Extraction(document=doc, entities=entities, relations=list(relations.values()))
