"""Brokers and communities of the drawn map, for node size and colour.

Computed as `samverkan brokers` and `communities` compute them (queries/network.py: igraph's
betweenness, normalised the same way, and seeded Louvain), over the lines the map draws, so
what a node's size or colour says is what the map shows. Exact betweenness of a map of
4,000 actors took three seconds, most of `view`'s time: above EXACT_LIMIT nodes it is
estimated from shortest paths out of SOURCES evenly spread actors, scaled up, which
ranks the brokers the same way at a tenth of the cost.
"""

from __future__ import annotations

from queries.graphs import Ties, igraph_graph
from queries.network import betweenness, louvain

#: Up to this many nodes betweenness is exact.
EXACT_LIMIT = 1000
#: How many actors the shortest paths of the estimate start from.
SOURCES = 300


def estimated_betweenness(ties: Ties, sources: int = SOURCES) -> dict[str, float]:
    """Normalised betweenness from the paths out of `sources` nodes spread evenly over the
    graph's order (the same nodes every run), scaled by how many nodes there are per source."""
    nodes = list(ties.nodes)
    n = len(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    graph = igraph_graph(n, [(index[u], index[v]) for u, v, _ in ties.edges()])
    step = max(1, n // sources)
    chosen = list(range(0, n, step))
    raw = graph.betweenness(directed=False, sources=chosen)
    # Scaled to all n sources and normalised as betweenness() normalises the exact count.
    scale = (n / len(chosen)) / ((n - 1) * (n - 2) / 2)
    return {node: raw[i] * scale for node, i in index.items()}


def map_metrics(nodes: list[str], lines: list[tuple[str, str, int]]) -> tuple[dict[str, float], dict[str, int]]:
    """(betweenness per node, community number per node): communities numbered from 1 by
    size, largest first; a node without a line has community 0."""
    ties = Ties({n: {} for n in nodes}, lines)
    if len(nodes) > EXACT_LIMIT:
        scores = estimated_betweenness(ties)
    else:
        scores = betweenness(ties) if nodes else {}
    tied = ties.without_isolated()
    groups = louvain(tied) if tied.nodes else []
    ranked = sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))
    community = {n: i for i, g in enumerate(ranked, start=1) for n in g}
    return scores, {n: community.get(n, 0) for n in nodes}
