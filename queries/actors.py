"""The actors in the graph, with how connected and how well sourced each is."""

from __future__ import annotations

from typing import Iterable, Optional

from pydantic import BaseModel

from graph.model import COOPERATION_TYPES, Kind
from graph.store import Store


class ActorRow(BaseModel):
    id: str
    name: str
    kind: Kind
    parent: Optional[str] = None
    relations: int
    documents: int


def actors(store: Store, kinds: Optional[Iterable[Kind]] = None) -> list[ActorRow]:
    wanted = set(kinds) if kinds else None
    degree: dict[str, int] = {}
    for rel in store.relations(types=COOPERATION_TYPES):
        degree[rel.source] = degree.get(rel.source, 0) + 1
        degree[rel.target] = degree.get(rel.target, 0) + 1
    rows = [
        ActorRow(
            id=e.id,
            name=e.label,
            kind=e.kind,
            parent=e.parent,
            relations=degree.get(e.id, 0),
            documents=len({ev.document for ev in e.evidence}),
        )
        for e in store.entities()
        if wanted is None or e.kind in wanted
    ]
    return sorted(rows, key=lambda r: (-r.relations, r.name))
