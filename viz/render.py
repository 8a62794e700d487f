"""The map: one self-contained HTML file that opens offline and can be mailed on.

pyvis draws the network with vis-network inlined (cdn_resources="in_line"); it still
links bootstrap from a CDN and leaves a commented-out reference to node_modules, and
both are removed, so opening the file makes no request to any other host. Our own
panel, search, filters and legend are added around it; every text from documents
travels as JSON data and reaches the page through textContent, never as markup.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Optional

import networkx as nx
from pyvis.network import Network

from graph.files import write_text_atomic
from graph.model import COOPERATION_TYPES, Entity, Relation, RelationType, Status, confidence_of
from viz.labels import kind_label, labels, relation_label, status_label
from viz.layout import positions

#: Above this many nodes the layout is computed in Python and physics is switched off.
PHYSICS_LIMIT = 300
#: Start positions of a small map's layout; fixed so a map looks the same wherever it is opened.
LAYOUT_SEED = 1
QUOTES_PER_EDGE = 6

_ASSETS = Path(__file__).with_name("assets")
_EXTERNAL = [
    re.compile(r"<!--\s*<link[^>]*node_modules.*?-->", re.S),
    re.compile(r"<link[^>]*href=\"https?://[^\"]*\"[^>]*>", re.S),
    re.compile(r"<script[^>]*src=\"https?://[^\"]*\"[^>]*>\s*</script>", re.S),
]
_STATUS_RANK = [Status.existing, Status.planned, Status.proposed, Status.ended, Status.rejected, Status.unknown]


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

    @property
    def id(self) -> str:
        return f"{self.source}|{self.target}"

    @cached_property
    def status(self) -> Status:
        return min((r.status for r in self.relations), key=_STATUS_RANK.index)

    @property
    def documents(self) -> int:
        if self.facts is not None:
            return len(frozenset().union(*(self.facts[r.id][0] for r in self.relations)))
        return len({e.document for r in self.relations for e in r.evidence})

    @property
    def confidence(self) -> float:
        """How sure the best reading of the tie is (the highest confidence of its evidence)."""
        if self.facts is not None:
            return max((c for c in (self.facts[r.id][1] for r in self.relations) if c is not None), default=1.0)
        return max((e.confidence for r in self.relations for e in r.evidence), default=1.0)


def _edge_list(graph: nx.MultiDiGraph) -> list[tuple[str, str, dict]]:
    """graph.edges(data=True) as a list: walking networkx's edge view costs more than what
    is done with each edge, and the map walks the edges three times."""
    return list(graph.edges(data=True))


def pairs(graph: nx.MultiDiGraph, edges: Optional[list[tuple[str, str, dict]]] = None) -> list[Pair]:
    """Relations grouped per pair of nodes; a tie between two parties of an agreement or
    project on the map is left out, since both lines to that node already draw it."""
    edges = _edge_list(graph) if edges is None else edges
    membership = (RelationType.PARTY_TO, RelationType.PARTICIPATES_IN)
    members = {(u, v) for u, v, d in edges if d["relation"].type in membership}
    grouped: dict[tuple[str, str], list[Relation]] = defaultdict(list)
    facts: dict[str, tuple[set, Optional[float]]] = {}
    for u, v, data in edges:
        rel: Relation = data["relation"]
        if rel.type is RelationType.COLLABORATES_WITH and rel.via and (u, rel.via) in members \
                and (v, rel.via) in members:
            continue
        grouped[(u, v) if u <= v else (v, u)].append(rel)
        if "documents" in data:
            facts[rel.id] = (data["documents"], data["confidence"])
    return [Pair(a, b, rels, facts or None) for (a, b), rels in sorted(grouped.items())]


def _where(ev, documents: dict[str, str]) -> str:
    section = f", {ev.section}" if ev.section else ""
    return f"{documents.get(ev.document, ev.document)}{section}, tecken {ev.start}–{ev.end}"


def _quotes(evidence, documents: dict[str, str], limit: int) -> list[dict]:
    unique = {(e.document, e.start, e.end): e for e in evidence}
    ordered = sorted(unique.values(), key=lambda e: (len(e.sentence), e.document, e.start))[:limit]
    return [{"sentence": e.sentence, "where": _where(e, documents)} for e in ordered]


def panel_data(graph: nx.MultiDiGraph, drawn: list[Pair], documents: dict[str, str],
               edges: Optional[list[tuple[str, str, dict]]] = None) -> dict:
    """What the side panel shows, keyed by node and edge id."""
    names = {n: d["entity"].label for n, d in graph.nodes(data=True)}
    neighbours: dict[str, set[str]] = defaultdict(set)
    for u, v, data in (_edge_list(graph) if edges is None else edges):
        if data["relation"].type in COOPERATION_TYPES:
            neighbours[u].add(v)
            neighbours[v].add(u)
    nodes = {}
    for node, data in graph.nodes(data=True):
        entity: Entity = data["entity"]
        parent = graph.nodes[entity.parent]["entity"].label if entity.parent in graph else entity.parent
        nodes[node] = {
            "name": entity.label,
            "kind": kind_label(entity.kind.value),
            "kindKey": entity.kind.value,
            "aliases": entity.aliases[:8],
            "parent": parent,
            "partners": sorted(names[n] for n in neighbours[node]),
            "quotes": _quotes(entity.evidence, documents, 3),
        }
    edges = {}
    for pair in drawn:
        ties = []
        for rel in sorted(pair.relations, key=lambda r: (_STATUS_RANK.index(r.status), r.type.value)):
            via = f" via {names.get(rel.via, rel.via)}" if rel.via else ""
            since = f", sedan {rel.since}" if rel.since else ""
            ties.append(f"{names[rel.source]} {relation_label(rel.type.value)} {names[rel.target]}{via} "
                        f"({status_label(rel.status.value)}{since})")
        edges[pair.id] = {
            "title": f"{names[pair.source]} – {names[pair.target]}",
            "ties": ties,
            "statuses": sorted({r.status.value for r in pair.relations}),
            "quotes": _quotes([e for r in pair.relations for e in r.evidence], documents, QUOTES_PER_EDGE),
        }
    return {"nodes": nodes, "edges": edges, "fixedLayout": _is_large(graph)}


def _is_large(graph: nx.MultiDiGraph) -> bool:
    return graph.number_of_nodes() > PHYSICS_LIMIT


def build(graph: nx.MultiDiGraph, drawn: list[Pair]) -> Network:
    # directed=True only spares pyvis a quadratic duplicate check; arrows are switched off below.
    net = Network(height="800px", width="100%", directed=True, cdn_resources="in_line", heading="")
    net.node_ids = _Ids()  # pyvis looks every node and both ends of every edge up in this list
    styles = labels()
    degree: dict[str, int] = defaultdict(int)
    for pair in drawn:
        degree[pair.source] += 1
        degree[pair.target] += 1
    large = _is_large(graph)
    fixed = positions(graph, [(p.source, p.target) for p in drawn]) if large else {}
    for node, data in graph.nodes(data=True):
        entity: Entity = data["entity"]
        style = styles["kinds"].get(entity.kind.value, {})
        extra = {"x": fixed[node][0], "y": fixed[node][1], "physics": False} if node in fixed else {}
        net.add_node(node, label=_short(entity.label), title=f"{entity.label}\n{kind_label(entity.kind.value)}",
                     color=style.get("color", "#999999"), shape=style.get("shape", "dot"),
                     size=10 + min(degree[node], 20), **extra)
    for pair in drawn:
        style = styles["statuses"].get(pair.status.value, {})
        net.add_edge(pair.source, pair.target, id=pair.id,
                     title=f"{relation_label(pair.relations[0].type.value)} ({status_label(pair.status.value)})",
                     dashes=bool(style.get("dashes")), width=1 + min(pair.documents * 1.5, 8), arrows="",
                     color={"color": "#555555", "opacity": _opacity(pair, style, styles)})
    options = {
        "edges": {"arrows": {"to": {"enabled": False}}, "smooth": not large},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": large},
        "physics": {"enabled": not large, "solver": "barnesHut",
                    "stabilization": {"enabled": True, "iterations": 300}},
        # One seed: the same graph opens as the same picture, on the sender's screen and the colleague's.
        "layout": {"improvedLayout": not large, "randomSeed": LAYOUT_SEED},
    }
    net.set_options(json.dumps(options))
    return net


class _Ids(list):
    """pyvis's list of node ids, with a set beside it: `id in list` for each of 20,000
    edges' ends among 4,000 nodes took a second and a half."""

    def __init__(self) -> None:
        super().__init__()
        self._set: set = set()

    def append(self, item) -> None:
        super().append(item)
        self._set.add(item)

    def __contains__(self, item) -> bool:
        return item in self._set


def _opacity(pair: Pair, style: dict, styles: dict) -> float:
    """The status's opacity, lighter for a tie read only weakly (a co-mention, representatives)."""
    opacity = float(style.get("opacity", 1.0))
    if pair.confidence < float(styles.get("weak_confidence", 0.0)):
        opacity *= float(styles.get("weak_opacity", 1.0))
    return round(opacity, 3)


def _short(name: str, limit: int = 42) -> str:
    """Long agreement names crowd the map; the panel shows them whole."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _controls(graph: nx.MultiDiGraph, drawn: list[Pair], title: str) -> str:
    styles = labels()
    kinds = sorted({d["entity"].kind.value for _, d in graph.nodes(data=True)}, key=list(styles["kinds"]).index)
    statuses = sorted({r.status.value for p in drawn for r in p.relations}, key=[s.value for s in _STATUS_RANK].index)
    kind_boxes = "".join(
        f'<label><input type="checkbox" checked data-kind="{k}"><span class="sv-swatch" '
        f'style="background:{styles["kinds"][k]["color"]}"></span>{html.escape(kind_label(k))}</label>'
        for k in kinds
    )
    status_boxes = "".join(
        f'<label><input type="checkbox" checked data-status="{s}">{html.escape(status_label(s))} '
        f'({"streckad" if styles["statuses"][s]["dashes"] else "heldragen"}'
        f'{", blek" if styles["statuses"][s]["opacity"] < 0.5 else ""})</label>'
        for s in statuses
    )
    return (
        f'<div id="sv-header"><h1>{html.escape(title)}</h1>'
        '<input id="sv-search" type="search" placeholder="Sök aktör och tryck Enter" aria-label="Sök aktör">'
        '<button id="sv-png" type="button">Spara som PNG</button><span id="sv-notice"></span>'
        f'<div id="sv-filters"><fieldset><legend>Typ (teckenförklaring)</legend>{kind_boxes}</fieldset>'
        f'<fieldset><legend>Status</legend>{status_boxes}'
        '<span class="sv-note">Ljusare linje: svagt belagd samverkan (läst ur en svagare formulering).</span>'
        '</fieldset></div></div>'
    )


def _data_script(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script id="samverkan-data" type="application/json">{text}</script>'


def page(graph: nx.MultiDiGraph, documents: dict[str, str], title: str = "Samverkanskarta") -> str:
    edges = _edge_list(graph)
    drawn = pairs(graph, edges)
    html_page = build(graph, drawn).generate_html()
    for pattern in _EXTERNAL:
        html_page = pattern.sub("", html_page)
    css = (_ASSETS / "map.css").read_text(encoding="utf-8")
    js = (_ASSETS / "map.js").read_text(encoding="utf-8")
    html_page = html_page.replace("</head>", f"<style>{css}</style>\n<title>{html.escape(title)}</title>\n</head>", 1)
    html_page = html_page.replace("<center>\n<h1></h1>\n</center>", "", 1)
    body_start = html_page.index("<body>") + len("<body>")
    card = html_page.index('<div class="card"', body_start)
    html_page = (html_page[:body_start] + _controls(graph, drawn, title) + '<div id="sv-main">'
                 + html_page[body_start:card] + html_page[card:])
    panel = ('<aside id="sv-panel"><p class="sv-hint">Klicka på en aktör eller en linje för att se belägg: '
             "citat, dokument och avsnitt.</p></aside></div>")
    scripts = _data_script(panel_data(graph, drawn, documents, edges)) + f"<script>{js}</script>"
    return html_page.replace("</body>", panel + scripts + "\n</body>", 1)


def render(graph: nx.MultiDiGraph, documents: dict[str, str], out: Path, title: str = "Samverkanskarta") -> Path:
    """Write the map to `out`, whole or not at all (graph/files.py)."""
    return write_text_atomic(Path(out), page(graph, documents, title))


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


#: Quotes the side panel shows for an actor.
QUOTES_PER_NODE = 3


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
    quotes = store.quote_digest("entities", QUOTES_PER_NODE, None if subset is None else list(order))
    graph = nx.MultiDiGraph()
    for n in order:  # records read without evidence here: they take their quotes
        nodes[n].__dict__["evidence"] = quotes[n][1] if n in quotes else []
    graph.add_nodes_from((n, {"entity": nodes[n]}) for n in order)
    edges = []
    for r, (documents, best, top) in chosen:
        r.__dict__["evidence"] = best
        edges.append((r.source, r.target, r.id, {"relation": r, "documents": documents, "confidence": top}))
    graph.add_edges_from(edges)
    return graph


def quoted_documents(graph: nx.MultiDiGraph) -> set[str]:
    """The documents of every quote on the map: the ones whose names it shows."""
    found = {e.document for _, data in graph.nodes(data=True) for e in data["entity"].evidence}
    found.update(e.document for _, _, data in graph.edges(data=True) for e in data["relation"].evidence)
    return found
