"""Views of the store as plain networkx graphs, for the questions graph algorithms answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Optional

from graph.model import COOPERATION_TYPES, Kind, Status, confidence_of
from graph.store import Store

if TYPE_CHECKING:
    import networkx as nx

VEHICLE_KINDS = frozenset({Kind.agreement, Kind.project, Kind.programme, Kind.group})


def cooperation_graph(store: Store, statuses: Optional[Iterable[Status]] = None,
                      min_confidence: float = 0.0) -> "nx.Graph":
    """Undirected: every cooperation relation once, weighted by how many documents state it.
    Names and document counts only: the evidence itself is read only to leave out the
    relations read with less than min_confidence."""
    import networkx as nx

    graph = nx.Graph()
    for entity in store.names().values():
        graph.add_node(entity.id, name=entity.name, kind=entity.kind.value)
    relations = store.relations(types=COOPERATION_TYPES, statuses=statuses, evidence=False)
    if min_confidence > 0:
        sure = {i for i, evidence in store.relation_evidence([r.id for r in relations]).items()
                if confidence_of(evidence) >= min_confidence}
        relations = [r for r in relations if r.id in sure]
    counts = store.document_counts([r.id for r in relations])
    for rel in relations:
        docs = counts.get(rel.id, 0)
        if graph.has_edge(rel.source, rel.target):
            graph[rel.source][rel.target]["weight"] += docs
        else:
            graph.add_edge(rel.source, rel.target, weight=docs)
    return graph


def actor_graph(store: Store, statuses: Optional[Iterable[Status]] = None, min_confidence: float = 0.0) -> "nx.Graph":
    """Actors only: two actors are tied when they cooperate directly or share an agreement,
    project or group. This is the graph 'who cooperates with whom' is about."""
    import networkx as nx

    full = cooperation_graph(store, statuses, min_confidence)
    graph = nx.Graph()
    for node, data in full.nodes(data=True):
        if Kind(data["kind"]) not in VEHICLE_KINDS:
            graph.add_node(node, **data)
    for u, v, data in full.edges(data=True):
        if u in graph and v in graph:
            _add_weight(graph, u, v, data["weight"])
    for node, data in full.nodes(data=True):
        if Kind(data["kind"]) in VEHICLE_KINDS:
            members = sorted(n for n in full.neighbors(node) if n in graph)
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    _add_weight(graph, a, b, 1)
    return graph


def _add_weight(graph: "nx.Graph", u: str, v: str, weight: int) -> None:
    if graph.has_edge(u, v):
        graph[u][v]["weight"] += weight
    else:
        graph.add_edge(u, v, weight=weight)
