"""Views of the store as plain networkx graphs, for the questions graph algorithms answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Iterator, Optional

from graph.collector import collector_paused
from graph.model import COOPERATION_TYPES, Kind, Status, confidence_of
from graph.store import Store

if TYPE_CHECKING:
    import igraph
    import networkx as nx

VEHICLE_KINDS = frozenset({Kind.agreement, Kind.project, Kind.programme, Kind.group})
_VEHICLE_VALUES = frozenset(k.value for k in VEHICLE_KINDS)


def ties(store: Store, statuses: Optional[Iterable[Status]] = None, min_confidence: float = 0.0,
         counted: bool = True) -> list[tuple[str, str, str, int]]:
    """Every cooperation relation as (id, source, target, documents stating it), by id; with
    min_confidence only those read at least that surely; counted=False: 0 documents each,
    for questions of who is tied to whom only. A store that can (SQLite) answers with one
    query of rows; others through relation records and document_counts."""
    if hasattr(store, "tie_rows"):
        counted = counted or min_confidence > 0
        return [(i, s, t, docs) for i, s, t, docs, confidence in store.tie_rows(COOPERATION_TYPES, statuses, counted)
                if min_confidence <= 0 or confidence >= min_confidence]
    relations = store.relations(types=COOPERATION_TYPES, statuses=statuses, evidence=False)
    if not counted and min_confidence <= 0:
        return [(r.id, r.source, r.target, 0) for r in relations]
    if min_confidence > 0:
        sure = {i for i, evidence in store.relation_evidence([r.id for r in relations]).items()
                if confidence_of(evidence) >= min_confidence}
        relations = [r for r in relations if r.id in sure]
    counts = store.document_counts([r.id for r in relations])
    return [(r.id, r.source, r.target, counts.get(r.id, 0)) for r in relations]


def _cooperation(store: Store, statuses: Optional[Iterable[Status]], min_confidence: float,
                 counted: bool = True) -> tuple[dict[str, dict], dict[str, dict[str, int]], list[tuple[str, str]]]:
    """Nodes (id -> attributes), weighted adjacency (id -> neighbour -> weight) and the
    order in which edges were first added, as networkx would hold them had every relation
    been added to an nx.Graph by id: built in plain dicts, a tenth of networkx's add_edge
    per relation. The order matters: path searches follow the adjacency order."""
    nodes = {n.id: {"name": n.name, "kind": n.kind.value} for n in store.names().values()}
    adjacency: dict[str, dict[str, int]] = {n: {} for n in nodes}
    order: list[tuple[str, str]] = []
    for _, source, target, docs in ties(store, statuses, min_confidence, counted):
        for end in (source, target):
            if end not in adjacency:  # networkx adds an end it has not seen, without attributes
                nodes[end] = {}
                adjacency[end] = {}
        around = adjacency[source]
        if target in around:
            around[target] += docs
            if source != target:
                adjacency[target][source] += docs
        else:
            around[target] = docs
            adjacency[target][source] = docs
            order.append((source, target))
    return nodes, adjacency, order


def _edges(adjacency: dict[str, dict[str, int]]) -> Iterable[tuple[str, str, int]]:
    """Each edge once, in nx.Graph.edges() order."""
    seen: set[str] = set()
    for node, around in adjacency.items():
        for other, weight in around.items():
            if other not in seen:
                yield node, other, weight
        seen.add(node)


def _to_networkx(nodes: dict[str, dict], edges: Iterable[tuple[str, str, int]]) -> "nx.Graph":
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(nodes.items())
    graph.add_edges_from((u, v, {"weight": w}) for u, v, w in edges)
    return graph


# The collector is paused while the graphs are built: tens of thousands of small dicts and
# tuples, no cycles among them, and its rounds over them cost a fifth of the time.
@collector_paused()
def cooperation_graph(store: Store, statuses: Optional[Iterable[Status]] = None,
                      min_confidence: float = 0.0) -> "nx.Graph":
    """Undirected: every cooperation relation once, weighted by how many documents state it.
    Names and document counts only: the evidence itself is read only to leave out the
    relations read with less than min_confidence."""
    nodes, adjacency, order = _cooperation(store, statuses, min_confidence)
    return _to_networkx(nodes, ((u, v, adjacency[u][v]) for u, v in order))


class Ties:
    """An undirected weighted graph as plain dicts, holding its nodes, and each node's
    neighbours, in the order an nx.Graph given the same edges in the same order holds
    them: what brokers, communities and the matrix need of actor_graph, without importing
    networkx (a third of a second) or building its graph."""

    def __init__(self, nodes: dict[str, dict], edges: Iterable[tuple[str, str, int]]) -> None:
        self.nodes = nodes
        self.adj: dict[str, dict[str, int]] = {n: {} for n in nodes}
        for u, v, weight in edges:
            for end in (u, v):
                if end not in self.adj:
                    self.nodes[end] = {}
                    self.adj[end] = {}
            self.adj[u][v] = weight
            self.adj[v][u] = weight

    def degree(self, node: str) -> int:
        """As networkx counts it: a tie of a node to itself counts twice."""
        around = self.adj[node]
        return len(around) + (node in around)

    def edges(self) -> list[tuple[str, str, int]]:
        """(u, v, weight), each edge once, in nx.Graph.edges() order."""
        return list(_edges(self.adj))

    def without_isolated(self) -> "Ties":
        """The graph less its nodes without any tie (networkx's remove_nodes_from keeps the order)."""
        kept = Ties({}, [])
        kept.nodes = {n: d for n, d in self.nodes.items() if self.adj[n]}
        kept.adj = {n: around for n, around in self.adj.items() if around}
        return kept


@collector_paused()
def actor_ties(store: Store, statuses: Optional[Iterable[Status]] = None, min_confidence: float = 0.0,
               counted: bool = True) -> Ties:
    """Actors only: two actors are tied when they cooperate directly or share an agreement,
    project or group. This is the graph 'who cooperates with whom' is about. counted=False:
    the weights leave out the documents behind direct ties (not read), for questions of
    who is tied to whom only.

    Weights are summed in a dict and the graph is made once, with its nodes and edges in
    the order adding them one by one gave (community detection depends on it)."""
    full_nodes, adjacency, _ = _cooperation(store, statuses, min_confidence, counted)
    nodes = {n: data for n, data in full_nodes.items() if data.get("kind") not in _VEHICLE_VALUES}
    weights: dict[tuple[str, str], int] = {}  # insertion order: the order edges were first added
    get = weights.get
    for u, v, weight in _edges(adjacency):
        if u in nodes and v in nodes:
            key = (u, v) if u <= v else (v, u)
            weights[key] = get(key, 0) + weight
    for node, data in full_nodes.items():
        if data.get("kind") in _VEHICLE_VALUES:
            members = sorted(n for n in adjacency[node] if n in nodes)
            for i, a in enumerate(members):
                for b in members[i + 1:]:  # sorted: a < b
                    weights[(a, b)] = get((a, b), 0) + 1
    return Ties(nodes, ((u, v, w) for (u, v), w in weights.items()))


def actor_graph(store: Store, statuses: Optional[Iterable[Status]] = None, min_confidence: float = 0.0) -> "nx.Graph":
    """actor_ties as a networkx graph."""
    ties = actor_ties(store, statuses, min_confidence)
    return _to_networkx(ties.nodes, ties.edges())


def igraph_graph(n: int, edges: list[tuple[int, int]]) -> "igraph.Graph":
    """igraph.Graph(n=n, edges=edges, directed=False) without its constructor, which
    imports numpy (a fifth of a second) to ask whether the edges are an array."""
    import igraph

    graph = igraph.Graph.__new__(igraph.Graph)
    igraph.GraphBase.__init__(graph, n, edges, False)
    return graph


def all_shortest_paths(store: Store, source: str, target: str) -> Iterator[list[str]]:
    """networkx.all_shortest_paths(cooperation_graph(store), source, target), path for path
    in its order, from the cooperation graph's adjacency in plain dicts (the same order):
    a path search then needs neither networkx (a third of a second to import) nor the
    documents behind each tie. Nothing when there is no path."""
    with collector_paused():
        _, adjacency, _ = _cooperation(store, None, 0.0, counted=False)
    if source not in adjacency:
        return
    # networkx.predecessor: breadth first, every predecessor one level up, in adjacency order.
    level, nextlevel, seen, pred = 0, [source], {source: 0}, {source: []}
    while nextlevel:
        level += 1
        thislevel, nextlevel = nextlevel, []
        for v in thislevel:
            for w in adjacency[v]:
                if w not in seen:
                    pred[w] = [v]
                    seen[w] = level
                    nextlevel.append(w)
                elif seen[w] == level:
                    pred[w].append(v)
    if target not in pred:
        return
    # networkx's _build_paths_from_predecessors, from the target back to the source.
    on_path = {target}
    stack = [[target, 0]]
    top = 0
    while top >= 0:
        node, i = stack[top]
        if node == source:
            yield [p for p, _ in reversed(stack[: top + 1])]
        if len(pred[node]) > i:
            stack[top][1] = i + 1
            step = pred[node][i]
            if step in on_path:
                continue
            on_path.add(step)
            top += 1
            if top == len(stack):
                stack.append([step, 0])
            else:
                stack[top][:] = [step, 0]
        else:
            on_path.discard(node)
            top -= 1
