"""A small store for the map's interaction tests: two dated documents, actors of several
kinds, ties of several statuses, sources and confidences, and one actor without ties."""

from __future__ import annotations

from pathlib import Path

from graph.memory import MemoryStore
from graph.model import Document, Entity, Evidence, Extraction, Kind, RelationType, Status, make_relation, slug
from queries.documents import document_names
from viz.render import render, select

SPRING = Document(id="dok-var", source="protokoll-var-2019.txt", date="2019-04-11", length=900)
AUTUMN = Document(id="dok-host", source="rapport-host-2022.txt", date="2022-10-03", length=900)

ACTORS = [
    ("Polismyndigheten", Kind.agency, ("Polisen",)),
    ("Malmö stad", Kind.municipality, ()),
    ("Kriminalvården", Kind.agency, ()),
    ("Räddningstjänsten Syd", Kind.ngo, ()),
    ("Region Skåne", Kind.region, ()),
    ("Länsstyrelsen Skåne", Kind.agency, ()),
    ("Trygg i Malmö", Kind.project, ()),
    ("Tullverket", Kind.agency, ()),  # exists, no ties
]

#: (a, b, status, document, sentence, confidence, since)
TIES = [
    ("Polismyndigheten", "Malmö stad", Status.existing, SPRING,
     "Polismyndigheten och Malmö stad har ett gemensamt trygghetsråd.", 0.95, None),
    ("Polismyndigheten", "Malmö stad", Status.existing, AUTUMN,
     "Trygghetsrådet mellan polisen och staden möts varje månad.", 0.9, None),
    ("Kriminalvården", "Polismyndigheten", Status.existing, SPRING,
     "Kriminalvården lämnar lägesbilder till Polismyndigheten.", 0.9, None),
    ("Malmö stad", "Räddningstjänsten Syd", Status.planned, AUTUMN,
     "Staden planerar övningar med Räddningstjänsten Syd.", 0.85, "2023"),
    ("Region Skåne", "Länsstyrelsen Skåne", Status.existing, AUTUMN,
     "Region Skåne nämns bredvid Länsstyrelsen Skåne i rapporten.", 0.6, None),
    ("Malmö stad", "Region Skåne", Status.proposed, SPRING,
     "Ett samarbete med Region Skåne om unga föreslås.", 0.9, None),
    ("Malmö stad", "Trygg i Malmö", Status.existing, AUTUMN,
     "Malmö stad driver projektet Trygg i Malmö.", 0.95, None),
    ("Polismyndigheten", "Trygg i Malmö", Status.existing, AUTUMN,
     "Polisen deltar i Trygg i Malmö.", 0.95, None),
]


def interaction_store() -> MemoryStore:
    entities = {name: Entity(id=slug(name), name=name, kind=kind, aliases=list(aliases),
                             evidence=[Evidence(document=SPRING.id, section="Deltagare", sentence=f"{name} deltog.",
                                                start=0, end=len(name) + 8, rule="test")])
                for name, kind, aliases in ACTORS}
    relations = {}
    for i, (a, b, status, doc, sentence, confidence, since) in enumerate(TIES):
        rel_type = RelationType.PARTICIPATES_IN if b == "Trygg i Malmö" else RelationType.COLLABORATES_WITH
        ev = Evidence(document=doc.id, section="Samverkan", sentence=sentence, start=100 * i,
                      end=100 * i + len(sentence), rule="test", confidence=confidence)
        rel = make_relation(slug(a), slug(b), rel_type, status, [ev], since=since)
        if rel.id in relations:
            relations[rel.id].evidence.append(ev)
        else:
            relations[rel.id] = rel
    store = MemoryStore()
    for doc in (SPRING, AUTUMN):
        mine = [r for r in relations.values() if r.evidence[0].document == doc.id]
        store.add(Extraction(document=doc, entities=list(entities.values()) if doc is SPRING else [],
                             relations=mine))
    return store


def render_interaction_map(out: Path, store: MemoryStore | None = None, graph=None,
                           tied: set[str] | None = None) -> Path:
    """The map as `view` draws it: actors without ties only in the search index."""
    store = store or interaction_store()
    graph = select(store.to_networkx()) if graph is None else graph
    documents = store.documents()
    return render(graph, document_names(documents), out, title="Samverkan i Skåne",
                  dates={d.id: d.date for d in documents if d.date}, actors=store.entities(), tied=tied)
