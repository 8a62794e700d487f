"""The network's shape: who brokers between otherwise separate parts, and which groups hang together."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Optional


from graph.model import Kind, Model, Status
from graph.store import Store
from queries.graphs import Ties, actor_ties, igraph_graph

if TYPE_CHECKING:
    import networkx as nx

class Broker(Model):
    id: str
    name: str
    kind: Kind
    betweenness: float
    partners: int


class Community(Model):
    number: int
    size: int
    members: list[str]  # names
    ids: list[str]


class Matrix(Model):
    ids: list[str]
    names: list[str]
    cells: list[list[int]]


def _edge_list(graph: "nx.Graph | Ties") -> list[tuple[str, str, int]]:
    """(u, v, weight) of a networkx graph or of Ties, in graph order."""
    return graph.edges() if isinstance(graph, Ties) else list(graph.edges(data="weight"))


def betweenness(graph: "nx.Graph | Ties") -> dict[str, float]:
    """Exact normalised betweenness, computed by igraph's C core: networkx's pure-Python
    version takes seconds on a few thousand ties, igraph a fraction of one."""
    nodes = list(graph.nodes)
    if len(nodes) < 3:
        return {n: 0.0 for n in nodes}
    index = {n: i for i, n in enumerate(nodes)}
    ig = igraph_graph(len(nodes), [(index[u], index[v]) for u, v, _ in _edge_list(graph)])
    raw = ig.betweenness(directed=False)
    scale = (len(nodes) - 1) * (len(nodes) - 2) / 2
    return {n: raw[i] / scale for n, i in index.items()}


def _gds(store: Store) -> bool:
    """Whether the store computes betweenness and Louvain itself (Neo4j with its Graph Data
    Science plugin, detected at run time; see graph/neo4j.py)."""
    detect = getattr(store, "gds", None)
    return bool(detect and detect())


def brokers(store: Store, top: int = 20, statuses: Optional[Iterable[Status]] = None) -> list[Broker]:
    graph = actor_ties(store, statuses, counted=False)  # betweenness and degree: who is tied, not how much
    if not graph.nodes:
        return []
    scores = betweenness(graph) if not _gds(store) else {
        n: s for n, s in store.gds_betweenness(graph.number_of_nodes(), statuses).items() if n in graph}
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], graph.nodes[kv[0]]["name"]))
    return [
        Broker(id=n, name=graph.nodes[n]["name"], kind=Kind(graph.nodes[n]["kind"]), betweenness=round(s, 6),
               partners=graph.degree(n))
        for n, s in ranked[:top]
        if s > 0
    ]


def louvain(graph: "nx.Graph | Ties") -> list[set[str]]:
    """Louvain communities by igraph's multilevel method, seeded so that answers repeat."""
    import random

    import igraph

    nodes = list(graph.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    edges = _edge_list(graph)
    ig = igraph_graph(len(nodes), [(index[u], index[v]) for u, v, _ in edges])
    igraph.set_random_number_generator(random.Random(1))
    try:
        clustering = ig.community_multilevel(weights=[w for _, _, w in edges])
    finally:
        igraph.set_random_number_generator(random)
    return [{nodes[i] for i in members} for members in clustering]


def communities(store: Store, statuses: Optional[Iterable[Status]] = None, min_size: int = 2) -> list[Community]:
    graph = actor_ties(store, statuses).without_isolated()
    if not graph.nodes:
        return []
    groups = louvain(graph) if not _gds(store) else [
        {n for n in g if n in graph} for g in store.gds_louvain(statuses)]
    ordered = sorted((sorted(g, key=lambda n: graph.nodes[n]["name"]) for g in groups if len(g) >= min_size),
                     key=lambda g: (-len(g), graph.nodes[g[0]]["name"]))
    return [
        Community(number=i, size=len(g), members=[graph.nodes[n]["name"] for n in g], ids=g)
        for i, g in enumerate(ordered, start=1)
    ]


def matrix(store: Store, kinds: Optional[Iterable[Kind]] = None,
           statuses: Optional[Iterable[Status]] = None, min_confidence: float = 0.0) -> Matrix:
    """Actor x actor: how many ties (direct or through a shared agreement/project) join each pair;
    with min_confidence, only ties read at least that surely."""
    graph = actor_ties(store, statuses, min_confidence)
    wanted = set(kinds) if kinds else None
    ids = sorted(
        (n for n, d in graph.nodes.items() if graph.degree(n) and (wanted is None or Kind(d["kind"]) in wanted)),
        key=lambda n: graph.nodes[n]["name"],
    )
    index = {n: i for i, n in enumerate(ids)}
    cells = [[0] * len(ids) for _ in ids]
    for u, v, weight in graph.edges():
        if u in index and v in index:
            cells[index[u]][index[v]] = cells[index[v]][index[u]] = weight
    return Matrix(ids=ids, names=[graph.nodes[n]["name"] for n in ids], cells=cells)
