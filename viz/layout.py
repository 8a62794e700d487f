"""Positions for large maps, computed once in Python so the browser need not simulate physics.

igraph's Fruchterman-Reingold runs in C: a few thousand nodes take well under a second,
where networkx's spring layout takes many.
"""

from __future__ import annotations

import math
import random

import networkx as nx

from queries.graphs import igraph_graph


def _rounds(nodes: int) -> int:
    """Rounds of the layout: 300, but 150 above 2,000 nodes, where the picture is a cloud
    anyway and 300 rounds cost 4,000 actors' map more than half a second."""
    return 300 if nodes <= 2000 else 150


def _spacing(nodes: int) -> float:
    """About how far apart neighbouring nodes are put: roomier on a map of a hundred nodes,
    whose labels are read, than in a cloud of thousands."""
    return 130.0 if nodes <= 1000 else 60.0


def positions(graph: nx.MultiDiGraph, edges: list[tuple[str, str]], seed: int = 1) -> dict[str, tuple[float, float]]:
    return positions_of(list(graph.nodes), edges, seed)


def positions_of(nodes: list[str], edges: list[tuple[str, str]], seed: int = 1) -> dict[str, tuple[float, float]]:
    """positions() of a graph with these nodes in this order: what it needs of the graph,
    so that it can be computed in a child process or kept in the store."""
    import igraph

    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    ig = igraph_graph(len(nodes), [(index[u], index[v]) for u, v in edges])
    rng = random.Random(seed)
    # Start spread over the area the layout will fill (igraph's grid has cells of about
    # one unit): squeezed into [-1, 1], every node repelled every other through all 300
    # rounds, and 4,000 actors took 25 s instead of under one.
    spread = math.sqrt(len(nodes)) / 2
    start = [[rng.uniform(-spread, spread), rng.uniform(-spread, spread)] for _ in nodes]
    # igraph draws random numbers from Python's random module unless told otherwise: seeded
    # here, the same graph is laid out the same way every time `view` runs.
    igraph.set_random_number_generator(random.Random(seed))
    try:
        layout = ig.layout_fruchterman_reingold(seed=start, niter=_rounds(len(nodes)), grid=len(nodes) > 1000)
    finally:
        igraph.set_random_number_generator(random)
    xs, ys = zip(*layout.coords)
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = _spacing(len(nodes)) * math.sqrt(len(nodes)) / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    return {n: (round((x - cx) * scale, 1), round((y - cy) * scale, 1)) for n, (x, y) in zip(nodes, layout.coords)}
