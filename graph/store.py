"""The Store protocol: the only thing queries and views may rely on.

Keeping queries on this narrow surface is what lets the embedded stores (SQLite, JSON) and
a shared Neo4j server answer the same questions the same way. Besides whole records the
protocol offers cheap reads (names without evidence, evidence summaries): a body named in
tens of thousands of documents has as many pieces of evidence, and a question that shows a
name, a count and two quotes must not read all of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, NamedTuple, Optional, Protocol, runtime_checkable


from graph.model import Document, Entity, Evidence, Extraction, Kind, Model, Relation, RelationType, Status

if TYPE_CHECKING:
    import networkx as nx

    from graph.review import Statement


class NameMatch(Model):
    """A candidate for a name the user typed, with how it matched and how well."""

    entity: Entity
    how: str  # "exact", "alias", "fuzzy"
    score: float


class StoreStats(Model):
    documents: int
    entities: int
    relations: int
    evidence: int
    by_kind: dict[str, int]
    by_status: dict[str, int]


class EntityName(NamedTuple):
    """Who an entity is, without its aliases and evidence: what a row of an answer names."""

    id: str
    name: str
    kind: Kind
    label: str
    parent: Optional[str] = None

    @classmethod
    def of(cls, entity: Entity) -> "EntityName":
        return cls(entity.id, entity.name, entity.kind, entity.label, entity.parent)


class EvidenceSummary(NamedTuple):
    """What a table shows of a relation's evidence: the documents it comes from and its best quotes."""

    documents: frozenset[str]
    best: list[Evidence]  # best_quotes(evidence, quotes): shortest sentence first


def best_quotes(evidence: Iterable[Evidence], limit: int = 2) -> list[Evidence]:
    """The most focused quotes first: a short sentence that states the tie beats a long survey.

    One quote per span (document, start, end); of several rules on one span the last in key
    order is kept. Every backend's evidence_summary gives exactly this (tested)."""
    unique = {(e.document, e.start, e.end): e for e in sorted(evidence, key=Evidence.key)}
    return sorted(unique.values(), key=quote_order)[:limit]


def quote_order(e: Evidence) -> tuple:
    """How quotes rank: shorter sentence, then document and position."""
    return (len(e.sentence), e.document, e.start, e.end)


def summarise(evidence: Iterable[Evidence], quotes: int) -> EvidenceSummary:
    """The summary of evidence already in memory (the JSON store's and merged rows' way)."""
    evidence = list(evidence)
    return EvidenceSummary(frozenset(e.document for e in evidence), best_quotes(evidence, quotes))


@runtime_checkable
class Store(Protocol):
    def add(self, extraction: Extraction, owned: bool = False) -> None:
        """Merge one document's records in. owned=True hands the records over: the caller
        will not use them again, so the store may keep and grow them instead of copies."""
        ...

    def entity(self, entity_id: str, evidence: bool = True) -> Optional[Entity]:
        """One entity; evidence=False leaves its evidence list empty (not read)."""
        ...

    def entities(self, evidence: bool = True) -> list[Entity]:
        """Every entity by id; evidence=False leaves their evidence lists empty (not read)."""
        ...

    def names(self, ids: Optional[Iterable[str]] = None) -> dict[str, EntityName]:
        """Names and kinds of these entities (every entity when ids is None), without evidence;
        ids the store does not have are left out."""
        ...

    def children(self, parent: str) -> list[EntityName]:
        """The entities whose parent is `parent`."""
        ...

    def mentions(self, entity_id: str) -> dict[str, int]:
        """Pieces of the entity's own evidence per document id."""
        ...

    def documents(self, ids: Optional[Iterable[str]] = None) -> list[Document]:
        """Documents by source; only these ids when given."""
        ...

    def find(self, name: str, limit: int = 5, evidence: bool = True) -> list[NameMatch]:
        """Entities a typed name may mean, best first; evidence=False: without their evidence."""
        ...

    def relations(
        self,
        entity: Optional[str] = None,
        types: Optional[Iterable[RelationType]] = None,
        statuses: Optional[Iterable[Status]] = None,
        evidence: bool = True,
    ) -> list[Relation]:
        """Relations by id; evidence=False leaves their evidence lists empty (not read)."""
        ...

    def relation_evidence(self, ids: Iterable[str]) -> dict[str, list[Evidence]]:
        """The whole evidence of these relations, in key order."""
        ...

    def evidence_summary(self, ids: Iterable[str], quotes: int = 2) -> dict[str, EvidenceSummary]:
        """Per relation: the documents of its evidence and its best `quotes` quotes."""
        ...

    def sources(self, entities: Iterable[str] = (), relations: Iterable[str] = ()) -> int:
        """How many documents the evidence of these entities and relations comes from, together."""
        ...

    def document_counts(self, ids: Iterable[str]) -> dict[str, int]:
        """Per relation: how many documents state it (the weight of a tie in whole-graph views)."""
        ...

    def subgraph(self, ids: Iterable[str], depth: int = 1) -> "nx.MultiDiGraph": ...

    def to_networkx(self) -> "nx.MultiDiGraph": ...

    def stats(self) -> StoreStats: ...

    # Review statements (graph/review.py) are kept beside the records and never change them;
    # graph/reviewed.py applies them to the answers.

    def add_statement(self, statement: "Statement") -> None:
        """Keep a statement; the same statement (same id) again changes nothing."""
        ...

    def statements(self) -> list["Statement"]:
        """Every statement, in the order they were made."""
        ...

    def remove_statement(self, statement_id: str) -> bool:
        """Take a statement back; False when there is none with that id."""
        ...
