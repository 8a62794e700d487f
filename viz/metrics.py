"""Brokers and communities of the drawn map, for node size and colour.

Computed by the same functions as `samverkan brokers` and `communities` (queries/network.py:
igraph's exact betweenness, seeded Louvain), over the lines the map draws, so what a node's
size or colour says is what the map shows.
"""

from __future__ import annotations

from queries.graphs import Ties
from queries.network import betweenness, louvain


def map_metrics(nodes: list[str], lines: list[tuple[str, str, int]]) -> tuple[dict[str, float], dict[str, int]]:
    """(betweenness per node, community number per node): communities numbered from 1 by
    size, largest first; a node without a line has community 0."""
    ties = Ties({n: {} for n in nodes}, lines)
    scores = betweenness(ties) if nodes else {}
    tied = ties.without_isolated()
    groups = louvain(tied) if tied.nodes else []
    ranked = sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))
    community = {n: i for i, g in enumerate(ranked, start=1) for n in g}
    return scores, {n: community.get(n, 0) for n in nodes}
