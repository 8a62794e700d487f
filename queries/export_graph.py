"""The network every file export writes, built once in plain dicts.

The exports used to build it as networkx graphs: a MultiDiGraph of the store with scalar
attributes (the flat graph), then an undirected MultiGraph of it with Swedish columns and
each actor's degree, betweenness and community, computed on a third, simple graph. For
2,000 documents that took seconds before a byte was written. Here the same nodes, ties
and attributes are made in dicts, in the order networkx held them (its iteration order is
the order of every table and file, and the metrics are computed on edge lists in that
order), and the store is read as rows where it can (SQLite: `export_relations`), not as
records with an Evidence object per quote.

tests/queries/test_export_graph.py checks it against the networkx construction it replaced.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterable, Iterator, NamedTuple, Optional

from graph.collector import collector_paused
from queries.background import in_background
from graph.model import SYMMETRIC_TYPES, RelationType, Status
from graph.store import Store
from queries.derived import fingerprint, keep, kept

if TYPE_CHECKING:
    from queries.graphs import Ties

#: Between the quotes of one tie in a single cell or attribute.
QUOTE_SEPARATOR = "\n"

#: Characters XML 1.0 does not allow in a document: C0 controls but tab, newline and carriage
#: return, lone surrogates (from undecodable file names), U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 forbids (a control character in a file name,
    U+FFFF in a document): GraphML and GEXF readers refuse the whole file for one of them.
    A printable text has none of them (controls, surrogates and noncharacters are not
    printable), and str.isprintable asks that in a third of the expression's time."""
    return text if text.isprintable() else _NOT_XML.sub("", text)


def _kept(**attributes) -> dict:
    """present() for values already fit for XML."""
    return {k: v for k, v in attributes.items() if v not in (None, "")}


def present(**attributes) -> dict:
    """Attributes that have a value: empty ones only make GraphML and GEXF files slower to write and read.
    Texts are made fit for XML."""
    return {k: xml_text(v) if isinstance(v, str) else v for k, v in attributes.items() if v not in (None, "")}


class Quote(NamedTuple):
    """One piece of a relation's evidence, as the export needs it (a plain tuple of these
    fields from a store that reads rows)."""

    document: str
    section: str
    sentence: str
    start: int
    end: int
    confidence: float


class RelationRow(NamedTuple):
    """A relation with its evidence in Evidence.key order, without records."""

    id: str
    source: str
    target: str
    type: str
    status: str
    via: Optional[str]
    since: Optional[str]
    evidence: list[Quote]


def relation_rows(store: Store, min_confidence: float = 0.0) -> Iterable[RelationRow]:
    """Every relation (with min_confidence, only those read at least that surely), by id as
    store.relations() gives them. A store that can (SQLite) hands over rows; others records.
    The rows are asked of the store's own class only: a view that filters ties and passes
    other reads on to the store it wraps (`--as-of`) must not hand over every tie."""
    if hasattr(type(store), "export_relations"):
        rows = map(RelationRow._make, store.export_relations())
    else:
        rows = (RelationRow(r.id, r.source, r.target, r.type.value, r.status.value, r.via, r.since,
                            [Quote(e.document, e.section, e.sentence, e.start, e.end, e.confidence)
                             for e in r.evidence])
                for r in store.relations())
    if min_confidence <= 0:
        return rows
    return (r for r in rows if max((q[5] for q in r.evidence), default=0.0) >= min_confidence)


class EntityRow(NamedTuple):
    id: str
    label: str
    kind: str
    aliases: list[str]
    parent: Optional[str]
    dnr: Any
    documents: int


def entity_rows(store: Store) -> list[EntityRow]:
    """Every entity with the number of documents its own evidence comes from; a store that
    counts them itself (SQLite) is not asked for the evidence, and one that lists them as
    rows (SQLite's own class: export_entities) makes no record per entity."""
    if hasattr(type(store), "export_entities"):
        return [EntityRow._make(row) for row in store.export_entities()]
    if hasattr(store, "entity_document_counts"):
        counts = store.entity_document_counts()
        return [EntityRow(e.id, e.label, e.kind.value, e.aliases, e.parent, e.attributes.get("dnr"),
                          counts.get(e.id, 0)) for e in store.entities(evidence=False)]
    return [EntityRow(e.id, e.label, e.kind.value, e.aliases, e.parent, e.attributes.get("dnr"),
                      len({ev.document for ev in e.evidence})) for e in store.entities()]


def document_sources(store: Store) -> dict[str, str]:
    """Document id -> source (its file), without the records where the store can."""
    if hasattr(store, "document_sources"):
        return store.document_sources()
    return {d.id: d.source for d in store.documents()}


class Network:
    """The undirected multigraph the files hold, as networkx's MultiGraph held it.

    nodes: node -> attributes, in order; adjacency: node -> neighbour -> edge keys, in the
    order networkx's adjacency had them; edges: (u, v, key, attributes) in
    MultiGraph.edges(keys=True, data=True) order (each tie once; u the end that comes
    first among the nodes, but a directed tie's own source: _edges_in_order); evidence:
    edge key -> its quotes as workbook rows."""

    def __init__(self) -> None:
        self._data: dict[str, dict[str, Any]] = {}
        self.nodes: dict[str, dict[str, Any]] = {}
        self.adjacency: dict[str, dict[str, list[str]]] = {}
        self.edges: list[tuple[str, str, str, dict[str, Any]]] = []
        self.evidence: dict[str, list[tuple]] = {}

    def incident(self, node: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """(neighbour, attributes) of every tie at `node`, as MultiGraph.edges(node, data=True)."""
        for other, keys in self.adjacency[node].items():
            for key in keys:
                yield other, self._data[key]

    def label(self, node: str) -> str:
        return self.nodes[node].get("label", node)


class _Flat(NamedTuple):
    """The directed graph of the store (what flat_graph made): nodes with their scalar
    attributes, and the ties in MultiDiGraph order, each already with the columns the
    files write (_Columns), so that no tie's attributes are made twice."""

    nodes: dict[str, dict[str, Any]]
    edges: list[tuple[str, str, str, dict[str, Any]]]  # MultiDiGraph.edges(keys=True, data=True) order


class _Columns:
    """The Swedish labels of kinds, statuses and relation types, each looked up and made
    fit for XML once, and the direction of each relation type."""

    def __init__(self) -> None:
        from viz.labels import kind_label, relation_label, status_label

        self._find = {"kind": kind_label, "status": status_label, "relation": relation_label}
        self._labels: dict[tuple[str, str], Any] = {}
        self.directed = {t.value: t not in SYMMETRIC_TYPES for t in RelationType}

    def label(self, kind: str, code: str) -> Any:
        found = self._labels.get((kind, code))
        if found is None:
            text = self._find[kind](code)
            found = self._labels[(kind, code)] = xml_text(text) if isinstance(text, str) else text
        return found


@collector_paused()
def _flat(store: Store, min_confidence: float, evidence: Optional[dict], entities: list[EntityRow],
          fit_for_xml: Optional[dict[str, str]] = None, columns: Optional[_Columns] = None) -> _Flat:
    """Nodes with their attributes in the store's order, ties grouped as a MultiDiGraph
    holds them: by source in node order, then by target in the order first tied, then by id.
    Each tie's attributes are the columns of the files (label, weight, Sambandskod, Riktad,
    Status, Statuskod, Via, Sedan, Källor, Säkerhet, Belägg, Dokument; empty ones left
    out), made here in one step from its row.
    fit_for_xml: texts already made fit for XML (xml_text), shared with _structure."""
    columns = columns or _Columns()
    docs = document_sources(store)
    nodes: dict[str, dict[str, Any]] = {}
    for e in entities:
        attributes = present(label=e.label, kind=e.kind, aliases="; ".join(e.aliases), parent=e.parent, dnr=e.dnr,
                             documents=e.documents)
        node = xml_text(e.id)
        if node in nodes:
            nodes[node].update(attributes)
        else:
            nodes[node] = attributes
    # The name a tie's Via shows: an entity's label; an end only ties made has none (its id).
    names = {node: d["label"] for node, d in nodes.items() if "label" in d}
    successors: dict[str, dict[str, dict[str, dict]]] = {}
    codes = fit_for_xml if fit_for_xml is not None else {}  # ids and years recur: each made fit for XML once

    def code(text: str) -> str:
        found = codes.get(text)
        if found is None:
            found = codes[text] = xml_text(text)
        return found

    # A type or status code -> (code, label, direction) fit for XML, looked up once each.
    kinds: dict[str, tuple] = {}
    statuses: dict[str, tuple] = {}
    directed = columns.directed
    for r in relation_rows(store, min_confidence):
        quotes = r.evidence
        key, u, v = code(r.id), code(r.source), code(r.target)
        for end in (u, v):
            if end not in nodes:  # networkx adds an end it has not seen, without attributes
                nodes[end] = {}
        kind = kinds.get(r.type)
        if kind is None:
            typed = code(r.type)
            kind = kinds[r.type] = (typed, columns.label("relation", typed), directed[typed])
        status = statuses.get(r.status)
        if status is None:
            coded = code(r.status)
            status = statuses[r.status] = (coded, columns.label("status", coded))
        # _kept(label=..., weight=..., Sambandskod=..., ...) written out: a value None or ""
        # is left out; every text is fit for XML.
        data: dict[str, Any] = {}
        if kind[1] not in (None, ""):
            data["label"] = kind[1]
        data["weight"] = len(quotes)
        data["Sambandskod"] = kind[0]
        data["Riktad"] = kind[2]
        if status[1] not in (None, ""):
            data["Status"] = status[1]
        data["Statuskod"] = status[0]
        if r.via not in (None, ""):
            via = code(r.via)
            data["Via"] = names.get(via, via)
        if r.since not in (None, ""):
            data["Sedan"] = code(r.since)
        if quotes:
            if len(quotes) == 1:
                document, _, sentence, _, _, confidence = quotes[0]
                source = docs.get(document, document)
                data["Källor"] = 1
                data["Säkerhet"] = round(confidence, 4)
                if sentence:
                    data["Belägg"] = xml_text(sentence)
                if source:
                    data["Dokument"] = xml_text(source)
            else:
                sources = list(dict.fromkeys([docs.get(d, d) for d in dict.fromkeys([q[0] for q in quotes])]))
                data["Källor"] = len(sources)
                data["Säkerhet"] = round(max([q[5] for q in quotes]), 4)
                quote = QUOTE_SEPARATOR.join(dict.fromkeys([q[2] for q in quotes]))
                if quote:
                    data["Belägg"] = xml_text(quote)
                document = "; ".join(sources)
                if document:
                    data["Dokument"] = xml_text(document)
        else:
            data["Källor"] = 0
        successors.setdefault(u, {}).setdefault(v, {})[key] = data
        if evidence is not None:
            evidence[key] = [(xml_text(docs.get(document, document)), xml_text(section), start, end, confidence,
                              xml_text(sentence)) for document, section, sentence, start, end, confidence in quotes]
    edges = [(u, v, key, data) for u in nodes for v, keyed in successors.get(u, {}).items()
             for key, data in keyed.items()]
    return _Flat(nodes, edges)


def simple_graph(nodes: Iterable[str], pairs: Iterable[tuple[str, str]]) -> "Ties":
    """The network as one undirected graph, each pair of neighbours once, weighted by its
    ties (ties of an actor to itself left out), with the adjacency networkx's nx.Graph had
    when the ties were added to it one by one in `pairs` order."""
    from queries.graphs import Ties

    simple = Ties({}, [])
    simple.nodes = {n: {} for n in nodes}
    adj: dict[str, dict[str, int]] = {n: {} for n in simple.nodes}
    for u, v in pairs:
        if u != v:
            weight = adj[u].get(v, 0) + 1
            adj[u][v] = weight
            adj[v][u] = weight
    simple.adj = adj
    return simple


def betweenness_of(nodes: list[str], pairs: list[tuple[str, str]]) -> dict[str, float]:
    """queries.network.betweenness of simple_graph(nodes, pairs)."""
    from queries.network import betweenness

    return betweenness(simple_graph(nodes, pairs))


def node_metrics(nodes: Iterable[str], pairs: Iterable[tuple[str, str]],
                 between: Optional[dict[str, float]] = None) -> dict[str, dict[str, Any]]:
    """Per actor, on the exported network as one undirected graph (simple_graph): Grad
    (neighbours), Mellanliggande (normalised betweenness, as `brokers`; `between` if
    computed already), Gemenskap (Louvain community as `communities`, 1 the largest; none
    for an actor without ties).

    The graphs are Ties with the adjacency networkx gave the simple graph, and the copy of
    its subgraph of tied actors that Louvain was run on: igraph is given the same edge
    lists in the same order, so the numbers are the same to the last bit."""
    from queries.graphs import Ties
    from queries.network import betweenness, louvain

    simple = simple_graph(nodes, pairs)
    adj = simple.adj
    if between is None:
        between = betweenness(simple)
    tied = Ties({}, [])
    tied.nodes = {n: {} for n in simple.nodes if adj[n]}
    copied: dict[str, dict[str, int]] = {n: {} for n in tied.nodes}
    for u in tied.nodes:  # Graph.subgraph(...).copy() adds each edge as it meets it, from either end
        for v, weight in adj[u].items():
            copied[u][v] = weight
            copied[v][u] = weight
    tied.adj = copied
    groups = sorted((sorted(g) for g in louvain(tied)), key=lambda g: (-len(g), g[0])) if tied.nodes else []
    community = {n: i for i, g in enumerate(groups, start=1) for n in g}
    return {n: {"Grad": len(adj[n]), "Mellanliggande": round(between.get(n, 0.0), 6),
                "Gemenskap": community.get(n)} for n in simple.nodes}


def _structure(entities: list[EntityRow], ties: Iterable[tuple[str, str, str]],
               clean: dict[str, str]) -> tuple[list[str], list[tuple[str, str]]]:
    """The flat graph's nodes and the (source, target) of its ties in MultiDiGraph order
    (by source in node order, then by target in the order first tied, then by id), from
    the entities and (id, source, target) of the ties by id: what the metrics need. `clean`
    keeps each text made fit for XML (xml_text), for _flat to use again."""
    nodes = dict.fromkeys(xml_text(e.id) for e in entities)
    successors: dict[str, dict[str, dict[str, None]]] = {}
    for key, u, v in ties:
        u = clean.get(u) or clean.setdefault(u, xml_text(u))
        v = clean.get(v) or clean.setdefault(v, xml_text(v))
        for end in (u, v):
            if end not in nodes:
                nodes[end] = None
        successors.setdefault(u, {}).setdefault(v, {})[clean.get(key) or clean.setdefault(key, xml_text(key))] = None
    return list(nodes), [(u, v) for u in nodes for v, keys in successors.get(u, {}).items() for _ in keys]


def _tie_ends(store: Store, min_confidence: float) -> Optional[list[tuple[str, str, str]]]:
    """(id, source, target) of every relation (read at least min_confidence surely) by id,
    from a store that reads them as rows (SQLite: tie_rows); None from others."""
    if not hasattr(type(store), "tie_rows"):  # the store's own class, as relation_rows asks
        return None
    return [(i, s, t) for i, s, t, _, confidence in store.tie_rows(None, None, counted=min_confidence > 0)
            if min_confidence <= 0 or confidence >= min_confidence]


#: The kind under which an export's node metrics are kept in the store (queries/derived.py).
METRICS_KIND = "export-metrics"


def _label(nodes: dict[str, dict], node: Optional[str]) -> Optional[str]:
    return nodes[node].get("label", node) if node and node in nodes else node


def _edges_in_order(adjacency: dict[str, dict[str, list[str]]], data: dict[str, dict[str, Any]],
                    own: dict[str, tuple[str, str]]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """Every tie once, in MultiGraph.edges(keys=True) order (by the end that comes first
    among the nodes). A tie without direction is written from that end; a directed one
    from its own source to its own target (`own`), which the order of the nodes must not
    turn round: Gephi, Kumu and a reader of `Riktad` take Source -> Target as its direction."""
    edges: list[tuple[str, str, str, dict[str, Any]]] = []
    seen: set[str] = set()
    for node, around in adjacency.items():
        for other, keys in around.items():
            if other not in seen:
                for key in keys:
                    ends = own.get(key)
                    edges.append((ends[0], ends[1], key, data[key]) if ends else (node, other, key, data[key]))
        seen.add(node)
    return edges


def network(store: Store, min_confidence: float = 0.0, evidence: bool = False) -> Network:
    """The network of the store (with min_confidence, only the ties read at least that
    surely): Swedish columns, labels beside codes, each actor's degree, betweenness and
    community; with evidence=True also every tie's quotes (for a workbook)."""
    out = Network()
    quotes: Optional[dict] = {} if evidence else None
    entities = entity_rows(store)
    ends = _tie_ends(store, min_confidence)
    between = None
    clean: dict[str, str] = {}
    known: Optional[dict[str, dict[str, Any]]] = None
    if ends is not None:
        nodes, pairs = _structure(entities, ends, clean)
        key = fingerprint(METRICS_KIND, nodes, pairs)
        known = kept(store, METRICS_KIND, key)  # the metrics of this very graph, kept by an earlier run
        if known is None:  # betweenness (the longest step) computed while the quotes are read
            between = in_background(betweenness_of, nodes, pairs)
    columns = _Columns()
    flat = _flat(store, min_confidence, quotes, entities, clean, columns)
    flat_pairs = [(u, v) for u, v, _, _ in flat.edges]
    if ends is not None and (nodes, pairs) == (list(flat.nodes), flat_pairs):
        if known is None:
            known = node_metrics(nodes, pairs, between())
            keep(store, METRICS_KIND, key, known)
        metrics = known
    else:  # no rows to start from, or the store changed between the two reads
        metrics = node_metrics(flat.nodes, flat_pairs)
    with collector_paused():  # every value below is already fit for XML (from the flat graph or label())
        for node, d in flat.nodes.items():
            parent = d.get("parent")
            out.nodes[node] = _kept(**{
                "label": d.get("label", node), "Typ": columns.label("kind", d["kind"]), "Typkod": d["kind"],
                "Även kallad": d.get("aliases"), "Del av": _label(flat.nodes, parent), "Dnr": d.get("dnr"),
                "Dokument": d.get("documents"), **metrics[node]})
            out.adjacency[node] = {}
        data: dict[str, dict[str, Any]] = {}
        adjacency = out.adjacency
        own: dict[str, tuple[str, str]] = {}  # a directed tie's own (source, target)
        for u, v, key, d in flat.edges:
            if d["Riktad"]:
                own[key] = (u, v)
            data[key] = d
            keys = adjacency[u].get(v)
            if keys is None:
                keys = adjacency[u][v] = []
                adjacency[v][u] = keys
            keys.append(key)
        out.edges = _edges_in_order(adjacency, data, own)
    out._data = data
    out.evidence = quotes or {}
    return out
