"""Small hand-built records for tests that must not depend on the extractor."""

from __future__ import annotations

from graph.model import (
    Document, Entity, Evidence, Extraction, Kind, RelationType, Status, document_id, make_relation, slug,
)


def evidence(doc: str, sentence: str, start: int = 0, rule: str = "test") -> Evidence:
    return Evidence(document=doc, section="Test", sentence=sentence, start=start, end=start + len(sentence), rule=rule)


def entity(name: str, kind: Kind, doc: str = "doc-1", aliases: tuple[str, ...] = ()) -> Entity:
    return Entity(id=slug(name), name=name, kind=kind, aliases=list(aliases), evidence=[evidence(doc, name)])


def extraction(text: str, source: str, entities: list[Entity], ties: list[tuple[str, str, RelationType, Status, str]]):
    doc_id = document_id(text)
    for e in entities:
        e.evidence = [evidence(doc_id, e.name)]
    relations = [
        make_relation(slug(a), slug(b), rel_type, status, [evidence(doc_id, quote, start=i * 10)])
        for i, (a, b, rel_type, status, quote) in enumerate(ties)
    ]
    return Extraction(document=Document(id=doc_id, source=source, length=len(text)), entities=entities,
                      relations=relations)


def sample_extraction(text: str = "Uppsala kommun och Polisregion Mitt samverkar.", source: str = "a.txt"):
    """One document, two actors, one existing tie: the smallest graph a store test needs."""
    return extraction(
        text,
        source,
        [entity("Uppsala kommun", Kind.municipality), entity("Polisregion Mitt", Kind.police_unit)],
        [("Uppsala kommun", "Polisregion Mitt", RelationType.COLLABORATES_WITH, Status.existing, text)],
    )


def memory_store(extractions) -> "MemoryStore":
    """The embedded reference store holding these extractions: what another backend must equal."""
    from graph.memory import MemoryStore

    store = MemoryStore()
    for x in extractions:
        store.add(x)
    return store
