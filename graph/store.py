"""The Store protocol: the only thing queries and views may rely on.

Keeping queries on this narrow surface is what lets the embedded networkx file and a
shared Neo4j server answer the same questions the same way.
"""

from __future__ import annotations

from typing import Iterable, Optional, Protocol, runtime_checkable

import networkx as nx
from pydantic import BaseModel

from graph.model import Document, Entity, Extraction, Relation, RelationType, Status


class NameMatch(BaseModel):
    """A candidate for a name the user typed, with how it matched and how well."""

    entity: Entity
    how: str  # "exact", "alias", "fuzzy"
    score: float


class StoreStats(BaseModel):
    documents: int
    entities: int
    relations: int
    evidence: int
    by_kind: dict[str, int]
    by_status: dict[str, int]


@runtime_checkable
class Store(Protocol):
    def add(self, extraction: Extraction, owned: bool = False) -> None:
        """Merge one document's records in. owned=True hands the records over: the caller
        will not use them again, so the store may keep and grow them instead of copies."""
        ...

    def entity(self, entity_id: str) -> Optional[Entity]: ...

    def entities(self) -> list[Entity]: ...

    def documents(self) -> list[Document]: ...

    def find(self, name: str, limit: int = 5) -> list[NameMatch]: ...

    def relations(
        self,
        entity: Optional[str] = None,
        types: Optional[Iterable[RelationType]] = None,
        statuses: Optional[Iterable[Status]] = None,
    ) -> list[Relation]: ...

    def subgraph(self, ids: Iterable[str], depth: int = 1) -> "nx.MultiDiGraph": ...

    def to_networkx(self) -> "nx.MultiDiGraph": ...

    def stats(self) -> StoreStats: ...
