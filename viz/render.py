"""The map: one self-contained HTML file that opens offline and can be mailed on.

The page is written here, not by pyvis's template: vis-network (the copy pyvis ships) and
our script and styles are inlined, so opening the file makes no request to any other host.
The data travels as one JSON block (viz/mapdata.py) and every text from documents reaches
the page through textContent, never as markup.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Optional

import networkx as nx
import orjson

from graph.files import write_text_atomic
from graph.model import Entity, Relation, RelationType, Status, confidence_of
from viz.controls import controls
from viz.layout import positions_of
from viz.mapdata import QUOTES_PER_EDGE, QUOTES_PER_NODE, payload
from viz.metrics import map_metrics

#: Above this many nodes the layout is computed in Python and physics is switched off:
#: the browser's simulation of 300 nodes took 15 s in headless Chromium on a busy two-core
#: machine, of 100 nodes 6 s, of 30 nodes 2 s; igraph lays out thousands in under a second.
PHYSICS_LIMIT = 60
#: Start positions of a small map's layout; fixed so a map looks the same wherever it is opened.
LAYOUT_SEED = 1

_ASSETS = Path(__file__).with_name("assets")
STATUS_RANK = [Status.existing, Status.planned, Status.proposed, Status.ended, Status.rejected, Status.unknown]


@dataclass
class Pair:
    """Every relation between two nodes, drawn as one line."""

    source: str
    target: str
    relations: list[Relation]
    #: Per relation id, (its documents, its best confidence or None without evidence) when
    #: the graph was read by load() with only the best quotes of each relation; None when
    #: every relation carries all of its evidence.
    facts: Optional[dict[str, tuple[set, Optional[float]]]] = None
    #: A person's review of the tie, when one was given with an edge's data: {"verdict",
    #: "by", "date", "note"} (stored elsewhere; the map only shows it).
    review: Optional[dict] = None

    @property
    def id(self) -> str:
        return f"{self.source}|{self.target}"

    @property
    def status(self) -> Status:
        return min((r.status for r in self.relations), key=STATUS_RANK.index)

    @property
    def document_ids(self) -> frozenset:
        if self.facts is not None:
            return frozenset().union(*(self.facts[r.id][0] for r in self.relations if r.id in self.facts))
        return frozenset(e.document for r in self.relations for e in r.evidence)

    @property
    def documents(self) -> int:
        return len(self.document_ids)

    @property
    def confidence(self) -> float:
        """How sure the best reading of the tie is (the highest confidence of its evidence)."""
        if self.facts is not None:
            return max((c for c in (self.facts.get(r.id, (None, None))[1] for r in self.relations) if c is not None),
                       default=1.0)
        return max((e.confidence for r in self.relations for e in r.evidence), default=1.0)


def _edge_list(graph: nx.MultiDiGraph) -> list[tuple[str, str, dict]]:
    """graph.edges(data=True) as a list: walking networkx's edge view costs more than what
    is done with each edge."""
    return list(graph.edges(data=True))


def pairs(graph: nx.MultiDiGraph, edges: Optional[list[tuple[str, str, dict]]] = None) -> list[Pair]:
    """Relations grouped per pair of nodes; a tie between two parties of an agreement or
    project on the map is left out, since both lines to that node already draw it, unless a
    person reviewed it."""
    edges = _edge_list(graph) if edges is None else edges
    membership = (RelationType.PARTY_TO, RelationType.PARTICIPATES_IN)
    members = {(u, v) for u, v, d in edges if d["relation"].type in membership}
    grouped: dict[tuple[str, str], list[Relation]] = defaultdict(list)
    facts: dict[str, tuple[set, Optional[float]]] = {}
    reviews: dict[tuple[str, str], dict] = {}
    for u, v, data in edges:
        rel: Relation = data["relation"]
        if rel.type is RelationType.COLLABORATES_WITH and rel.via and (u, rel.via) in members \
                and (v, rel.via) in members and not data.get("review"):
            continue  # (a reviewed tie is drawn all the same: its mark and note must show)
        key = (u, v) if u <= v else (v, u)
        grouped[key].append(rel)
        if "documents" in data:
            facts[rel.id] = (data["documents"], data["confidence"])
        if data.get("review"):
            reviews[key] = data["review"]
    return [Pair(a, b, rels, facts or None, reviews.get((a, b))) for (a, b), rels in sorted(grouped.items())]


def _is_large(graph: nx.MultiDiGraph) -> bool:
    return graph.number_of_nodes() > PHYSICS_LIMIT


@lru_cache(maxsize=1)
def _vis() -> tuple[str, str]:
    """vis-network's script and styles, as pyvis ships them (no CDN)."""
    from importlib.util import find_spec

    folder = Path(find_spec("pyvis").origin).with_name("lib") / "vis-9.1.2"  # found, not imported (half a second)
    return ((folder / "vis-network.min.js").read_text(encoding="utf-8"),
            (folder / "vis-network.css").read_text(encoding="utf-8"))


def _data_script(data: dict) -> str:
    """The map's data as JSON in a script element that no text in it can close. orjson
    writes the 7 MB of a 2,000-document map in a tenth of the time json takes, and writes
    a float that is not a number as null, which the browser's JSON.parse accepts."""
    text = orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script id="samverkan-data" type="application/json">{text}</script>'


def page(graph: nx.MultiDiGraph, documents: dict[str, str], title: str = "Samverkanskarta",
         dates: Optional[dict[str, str]] = None, actors: Optional[Iterable[Entity]] = None,
         tied: Optional[set[str]] = None) -> str:
    """The whole page. `documents` names documents, `dates` dates them (for the year filter);
    `actors` are every actor of the store, for the search (by default those drawn); `tied`,
    for a map that leaves ties out (a focus or a filter), the actors with any tie in the store."""
    drawn = pairs(graph)
    large = _is_large(graph)
    derived = _derived(graph, drawn, large)  # layout and metrics: kept, or computed beside what follows
    actors = list(actors) if actors is not None else None
    fixed, metrics = derived()
    data = payload(graph, drawn, documents, dates or {}, actors, fixed, large, tied, metrics)
    vis_js, vis_css = _vis()
    css = (_ASSETS / "map.css").read_text(encoding="utf-8")
    js = (_ASSETS / "map.js").read_text(encoding="utf-8")
    options = {"seed": LAYOUT_SEED}
    return (
        '<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{vis_css}</style>\n<style>{css}</style>\n</head>\n<body>\n"
        f"{controls(title, data['present']['kinds'], data['present']['statuses'])}\n"
        f"<script>{vis_js}</script>\n{_data_script(data)}\n"
        f'<script id="samverkan-options" type="application/json">{json.dumps(options)}</script>\n'
        f"<script>{js}</script>\n</body>\n</html>\n"
    )


#: Where load() leaves the store a map's graph was read from, for page() to keep its layout in.
STORE_KEY = "samverkan_store"
#: The kind under which a map's layout and metrics are kept in the store (queries/derived.py).
LAYOUT_KIND = "map-layout"

Derived = tuple[dict[str, tuple[float, float]], tuple[dict[str, float], dict[str, int]]]


def _layout_and_metrics(nodes: list[str], edges: list[tuple[str, str]], large: bool) -> Derived:
    """The fixed layout of a large map ({} for a small one, which the browser lays out) and
    map_metrics of its lines."""
    fixed = positions_of(nodes, edges) if large else {}
    return fixed, map_metrics(nodes, [(u, v, 1) for u, v in edges if u != v])


def _derived(graph: nx.MultiDiGraph, drawn: list[Pair], large: bool) -> Callable[[], Derived]:
    """A function giving the map's layout and metrics. They depend on the nodes and lines
    drawn alone: kept in the store the graph was read from (load() names it), under their
    fingerprint, they are taken from there; else computed in a child process while the
    rest of the page is made (queries/background.py) and then kept. The same either way."""
    from queries.background import in_background
    from queries.derived import fingerprint, keep, kept

    nodes = list(graph.nodes)
    edges = [(p.source, p.target) for p in drawn]
    store = graph.graph.get(STORE_KEY)
    if store is None or len(nodes) <= PHYSICS_LIMIT:  # a small map is computed at once
        return lambda: _layout_and_metrics(nodes, edges, large)
    key = fingerprint(LAYOUT_KIND, nodes, edges, [str(large), str(LAYOUT_SEED)])
    found = kept(store, LAYOUT_KIND, key)
    if found is not None:
        fixed, (scores, community) = found
        return lambda: ({n: tuple(xy) for n, xy in fixed.items()}, (scores, community))
    pending = in_background(_layout_and_metrics, nodes, edges, large)

    def result() -> Derived:
        answer = pending()
        keep(store, LAYOUT_KIND, key, answer)
        return answer

    return result


def render(graph: nx.MultiDiGraph, documents: dict[str, str], out: Path, title: str = "Samverkanskarta",
           dates: Optional[dict[str, str]] = None, actors: Optional[Iterable[Entity]] = None,
           tied: Optional[set[str]] = None) -> Path:
    """Write the map to `out`, whole or not at all (graph/files.py)."""
    return write_text_atomic(Path(out), page(graph, documents, title, dates, actors, tied))


def external_references(page_text: str) -> list[str]:
    """Every http(s) URL the page would load: what the offline guarantee is checked against."""
    return re.findall(r"(?:src|href)\s*=\s*[\"'](https?://[^\"']+)", page_text)


def select(graph: nx.MultiDiGraph, statuses: Optional[set[Status]] = None,
           isolated: bool = False, min_confidence: float = 0.0) -> nx.MultiDiGraph:
    """Only relations with these statuses, read with at least min_confidence, and the nodes
    they touch (all nodes with isolated=True)."""
    keep = nx.MultiDiGraph()
    if isolated:
        keep.add_nodes_from(graph.nodes(data=True))
    for u, v, key, data in graph.edges(keys=True, data=True):
        rel = data["relation"]
        if (not statuses or rel.status in statuses) and \
                (min_confidence <= 0 or _confidence(data) >= min_confidence):
            keep.add_node(u, **graph.nodes[u])
            keep.add_node(v, **graph.nodes[v])
            keep.add_edge(u, v, key=key, **data)
    return keep


def _confidence(data: dict) -> float:
    """confidence_of the relation's evidence, from load()'s figures when it read only the best quotes."""
    if "documents" in data:
        return data["confidence"] or 0.0
    return confidence_of(data["relation"].evidence)



def load(store, focus: Optional[str] = None, depth: int = 1, statuses: Optional[set[Status]] = None,
         isolated: bool = False, min_confidence: float = 0.0) -> nx.MultiDiGraph:
    """The graph the map is drawn from: the whole graph or `focus`'s neighbourhood up to
    `depth` steps (as store.subgraph), then select()ed with statuses, isolated and
    min_confidence.

    A store that digests evidence by SQL (SQLite: quote_digest) gives each actor and each
    relation only the quotes the panel can show (QUOTES_PER_NODE, QUOTES_PER_EDGE, as
    tuples with Evidence's fields), with
    each edge's documents and best confidence beside them, and the selection is made
    before the networkx graph is: reading every quote of the graph, and building the
    graph twice, were most of `view`'s time. The map drawn is the same: the nodes and
    edges are in the order select() gives them."""
    if not hasattr(store, "quote_digest"):
        graph = store.subgraph([focus], depth=depth) if focus else store.to_networkx()
        return select(graph, statuses, isolated, min_confidence)
    # The whole graph's actors' quotes do not depend on which ties are drawn: read in a
    # child process while this one reads the ties. (The ties' quotes read in a second child
    # as well made the map no faster on two cores, and cost more CPU time.)
    actor_quotes = _digest_in_background(store, "entities", QUOTES_PER_NODE) if focus is None else None
    relations = store.relations(evidence=False)
    entities = store.entities(evidence=False)
    subset = None
    if focus is not None:
        known = {e.id for e in entities}
        keep = frontier = {focus} & known
        for _ in range(depth):
            if not frontier:
                break
            reached = {end for r in relations if r.source in frontier or r.target in frontier
                       for end in (r.source, r.target)}
            frontier = reached - keep
            keep = keep | reached
        entities = [e for e in entities if e.id in keep]
        relations = [r for r in relations if r.source in keep and r.target in keep]
        subset = keep
    digests = store.quote_digest("relations", QUOTES_PER_EDGE, None if subset is None else [r.id for r in relations])
    nodes = {e.id: e for e in entities}
    # The whole graph's edge order (networkx's: by source node, then target as first
    # tied, then relation id), and select()'s choice of edges and nodes in that order.
    outgoing: dict[str, dict[str, list[Relation]]] = {}
    for r in relations:
        outgoing.setdefault(r.source, {}).setdefault(r.target, []).append(r)
    chosen: list[tuple[Relation, tuple]] = []
    order: dict[str, None] = dict.fromkeys(nodes) if isolated else {}
    for source in nodes:
        for target, ties in outgoing.get(source, {}).items():
            for r in ties:
                documents, best, top = digests.get(r.id, (set(), [], None))
                if (statuses and r.status not in statuses) or (min_confidence > 0 and (top or 0.0) < min_confidence):
                    continue
                chosen.append((r, (documents, best, top)))
                order.setdefault(source)
                order.setdefault(target)
    quotes = actor_quotes() if actor_quotes is not None else \
        store.quote_digest("entities", QUOTES_PER_NODE, None if subset is None else list(order))
    graph = nx.MultiDiGraph()
    for n in order:  # records read without evidence here: they take their quotes
        nodes[n].__dict__["evidence"] = quotes[n][1] if n in quotes else []
    graph.add_nodes_from((n, {"entity": nodes[n]}) for n in order)
    edges = []
    review = getattr(store, "review", None)  # a reviewed store: each reviewed tie's mark, as its graph has it
    for r, (documents, best, top) in chosen:
        r.__dict__["evidence"] = best
        data = {"relation": r, "documents": documents, "confidence": top}
        if review is not None and (found := review(r.id)) is not None:
            data["review"] = found
        edges.append((r.source, r.target, r.id, data))
    graph.add_edges_from(edges)
    graph.graph[STORE_KEY] = store
    return graph


def _digest_in_background(store, owners: str, quotes: int) -> Optional[Callable[[], dict]]:
    """store.quote_digest(owners, quotes) of the whole graph, computed in a child process on
    its own connection (a SQLite connection must not be used across a fork), for a SQLite
    store itself; None for any other (a view over a store, a reviewed store)."""
    from graph.sqlite import SQLiteStore
    from queries.background import in_background

    if type(store) is not SQLiteStore or not store.path.exists():
        return None
    return in_background(_digest, store.path, owners, quotes)


def _digest(path: Path, owners: str, quotes: int) -> dict:
    from graph.sqlite import SQLiteStore

    store = SQLiteStore(path)
    try:
        return store.quote_digest(owners, quotes)
    finally:
        store.close()


def quoted_documents(graph: nx.MultiDiGraph) -> set[str]:
    """The documents the map names: of every quote, and every document behind a tie (the
    document filter lists them, and a tie's years come from their dates)."""
    found = {e.document for _, data in graph.nodes(data=True) for e in data["entity"].evidence}
    for _, _, data in graph.edges(data=True):
        if "documents" in data:
            found.update(data["documents"])
        found.update(e.document for e in data["relation"].evidence)
    return found
