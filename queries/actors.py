"""The actors in the graph, with how connected and how well sourced each is."""

from __future__ import annotations

from typing import Iterable, Optional


from graph.model import COOPERATION_TYPES, Kind, Model
from graph.store import EntityName, Store


class ActorRow(Model):
    id: str
    name: str
    kind: Kind
    parent: Optional[str] = None
    relations: int
    documents: int


def actors(store: Store, kinds: Optional[Iterable[Kind]] = None) -> list[ActorRow]:
    """Names, ties and document counts only: no evidence is read where the store can count
    (SQLite counts each actor's documents in one query; loading every quote took seconds)."""
    wanted = set(kinds) if kinds else None
    if hasattr(store, "degrees"):
        degree = store.degrees(COOPERATION_TYPES)
    else:
        degree = {}
        for rel in store.relations(types=COOPERATION_TYPES, evidence=False):
            degree[rel.source] = degree.get(rel.source, 0) + 1
            degree[rel.target] = degree.get(rel.target, 0) + 1
    if hasattr(store, "entity_document_counts"):
        documents = store.entity_document_counts()
        names = list(store.names().values())
    else:
        entities = store.entities()
        documents = {e.id: len({ev.document for ev in e.evidence}) for e in entities}
        names = [EntityName.of(e) for e in entities]
    rows = [
        ActorRow(id=e.id, name=e.label, kind=e.kind, parent=e.parent, relations=degree.get(e.id, 0),
                 documents=documents.get(e.id, 0))
        for e in names
        if wanted is None or e.kind in wanted
    ]
    return sorted(rows, key=lambda r: (-r.relations, r.name))
