"""The map's data: what map.js draws, filters, searches and shows in its panel, as compact JSON.

A large store's map held every quote of every tie, 27 MB for 2,000 documents, and the
browser spent seconds reading it. Now each tie carries its best few quotes (every tie
keeps at least one: every fact carries its evidence) and the number of documents behind
it; quotes, documents and node names are stored once, in tables, and referred to by index.
Rows are arrays, their fields named once in NODE_FIELDS and EDGE_FIELDS.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable, Optional

import networkx as nx

from graph.model import Entity, Relation
from graph.store import best_quotes
from viz.labels import labels
from viz.metrics import map_metrics
from viz.search_index import alias_index

if TYPE_CHECKING:
    from viz.render import Pair

#: Quotes the panel shows per tie and per actor; the rest is counted by document.
QUOTES_PER_EDGE = 2
QUOTES_PER_NODE = 2

NODE_FIELDS = ["id", "name", "kind", "x", "y", "partners", "betweenness", "community", "parent", "aliases", "quotes"]
EDGE_FIELDS = ["source", "target", "statuses", "status", "documents", "years", "confidence", "quotes", "ties",
               "review"]

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def year_of(text: Optional[str]) -> Optional[int]:
    """The first four-digit year in a date or a 'since' ('2019-03-01', 'hösten 2018')."""
    found = _YEAR.search(text or "")
    return int(found.group(1)) if found else None


class _Table(dict):
    """Values stored once in `rows`, referred to by their position: table[key] is the position
    of the row `make(key)` made when the key was first asked for (a plain dict lookup after)."""

    def __init__(self, make) -> None:
        super().__init__()
        self.rows: list = []
        self._make = make

    def __missing__(self, key) -> int:
        at = self[key] = len(self.rows)
        self.rows.append(self._make(key))
        return at


def payload(graph: nx.MultiDiGraph, drawn: list["Pair"], documents: dict[str, str], dates: dict[str, str],
            actors: Optional[Iterable[Entity]], positions: dict[str, tuple[float, float]],
            fixed_layout: bool, tied: Optional[set[str]] = None,
            metrics: Optional[tuple[dict[str, float], dict[str, int]]] = None) -> dict:
    """Everything the page needs, keyed as map.js reads it. `metrics`: map_metrics of the
    drawn lines if computed already (viz/render.py computes them beside the rest, or
    finds them kept in the store)."""
    order = list(graph.nodes)
    at = {n: i for i, n in enumerate(order)}
    docs = _Table(lambda d: [documents.get(d, d), dates.get(d)])
    spans: dict[tuple, object] = {}  # the evidence of each quoted span, for its row
    quotes = _Table(lambda span: [spans[span].sentence, docs[span[0]], spans[span].section, span[1], span[2]])

    def quote(e) -> int:
        span = (e.document, e.start, e.end)
        spans.setdefault(span, e)
        return quotes[span]

    if metrics is None:
        metrics = map_metrics(order, drawn_lines(drawn))
    scores, community = metrics
    partners: dict[str, set[str]] = {n: set() for n in order}
    for p in drawn:
        if p.source != p.target:
            partners[p.source].add(p.target)
            partners[p.target].add(p.source)
    year = {d: year_of(date) for d, date in dates.items()}
    names = {e.id: e.label for e in actors} if actors is not None else {}
    edges = [_edge(p, at, docs, quote, year, names) for p in drawn]
    nodes = []
    for n in order:
        entity: Entity = graph.nodes[n]["entity"]
        parent = graph.nodes[entity.parent]["entity"].label if entity.parent in graph else entity.parent
        x, y = positions.get(n, (None, None))
        nodes.append([n, entity.label, entity.kind.value, x, y, len(partners[n]), round(scores.get(n, 0.0), 6),
                      community[n], parent or "", entity.aliases[:8],
                      [quote(e) for e in best_quotes(entity.evidence, QUOTES_PER_NODE)]])
    index, absent = alias_index(order, actors if actors is not None else
                                (graph.nodes[n]["entity"] for n in order), tied)
    styles = labels()
    present_statuses = set().union(*(e[2] for e in edges)) if edges else set()
    present_kinds = {n[2] for n in nodes}
    return {
        "present": {"kinds": [k for k in styles["kinds"] if k in present_kinds] + sorted(present_kinds - set(styles["kinds"])),
                    "statuses": [s for s in styles["statuses"] if s in present_statuses]},
        "nodeFields": NODE_FIELDS, "edgeFields": EDGE_FIELDS,
        "nodes": nodes, "edges": edges, "docs": docs.rows, "quotes": quotes.rows,
        "index": index, "absent": absent, "fixedLayout": fixed_layout,
        "kinds": styles["kinds"], "statuses": styles["statuses"], "relations": styles["relations"],
        "palette": styles["palette"], "reviews": styles["reviews"], "text": styles["ui"],
        "weak": {"confidence": styles["weak_confidence"], "opacity": styles["weak_opacity"]},
    }


def drawn_lines(drawn: list["Pair"]) -> list[tuple[str, str, int]]:
    """The lines between two different nodes, as map_metrics takes them."""
    return [(p.source, p.target, 1) for p in drawn if p.source != p.target]


def _via(via: Optional[str], at: dict[str, int], names: dict[str, str]) -> "int | str | None":
    """What a tie goes through: a node on the map by index, else its name (or id)."""
    if not via:
        return None
    return at[via] if via in at else names.get(via, via)


def _edge(pair: "Pair", at: dict[str, int], docs: _Table, quote, year: dict[str, Optional[int]],
          names: dict[str, str]) -> list:
    """One drawn line: its ends, statuses, documents, years, confidence, best quotes, ties, review."""
    relations = pair.relations
    single = len(relations) == 1
    if single and pair.facts is not None:
        found, top = pair.facts.get(relations[0].id, _NO_FACTS)
        doc_ids = sorted(found)
        confidence = 1.0 if top is None else top
    else:
        doc_ids = sorted(pair.document_ids)
        confidence = pair.confidence
    years = {y for y in map(year.get, doc_ids) if y}
    ties = []
    for r in relations if single else sorted(relations, key=_tie_order):
        if r.since and (y := year_of(r.since)):
            years.add(y)
        ties.append([r.type.value, at.get(r.source, -1), at.get(r.target, -1), r.status.value,
                     _via(r.via, at, names), r.since])
    # load() gives each relation its best quotes already in best_quotes' order.
    if single and pair.facts is not None:
        best = relations[0].evidence[:QUOTES_PER_EDGE]
    else:
        best = best_quotes([e for r in relations for e in r.evidence], QUOTES_PER_EDGE)
    statuses = sorted({t[3] for t in ties})
    return [at[pair.source], at[pair.target], statuses, ties[0][3] if single else pair.status.value,
            [docs[d] for d in doc_ids], sorted(years), round(confidence, 3),
            [quote(e) for e in best], ties, pair.review]


_NO_FACTS: tuple = ((), None)


def _tie_order(r: Relation) -> tuple:
    """Ties in a line's panel: the firmest status first (render.STATUS_RANK), then by type."""
    from viz.render import STATUS_RANK

    return (STATUS_RANK.index(r.status), r.type.value, r.id)
