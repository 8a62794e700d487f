"""The JSON export: a stable contract other tools read (documented in docs/EXPORT.md)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import IO, TYPE_CHECKING, Iterable

from graph.files import write_all_atomic, write_atomic
from graph.model import Relation, confidence_of
from graph.store import Store

if TYPE_CHECKING:
    import networkx as nx

EXPORT_FORMAT = "samverkan-export/1"


def _relations(store: Store, min_confidence: float = 0.0) -> Iterable[Relation]:
    """Every relation, or only those read with at least min_confidence (their best evidence)."""
    relations = store.relations()
    if min_confidence <= 0:
        return relations
    return [r for r in relations if confidence_of(r.evidence) >= min_confidence]


def export_json(store: Store, min_confidence: float = 0.0) -> dict:
    """The whole graph; with min_confidence, only the relations read at least that surely
    (every actor and document stays)."""
    return {
        "format": EXPORT_FORMAT,
        "entities": [
            {"id": e.id, "name": e.name, "kind": e.kind.value, "aliases": list(e.aliases), "parent": e.parent,
             "label": e.label, "attributes": dict(sorted(e.attributes.items()))}
            for e in store.entities()
        ],
        "relations": [
            {
                "id": r.id,
                "source": r.source,
                "target": r.target,
                "type": r.type.value,
                "status": r.status.value,
                "via": r.via,
                "since": r.since,
                "evidence": [
                    {"document": ev.document, "section": ev.section, "sentence": ev.sentence,
                     "start": ev.start, "end": ev.end}
                    for ev in r.evidence
                ],
            }
            for r in _relations(store, min_confidence)
        ],
        "documents": [
            {"id": d.id, "source": d.source, "title": d.title, "type": d.type.value, "dnr": d.dnr, "date": d.date}
            for d in store.documents()
        ],
    }


def flat_graph(store: Store, min_confidence: float = 0.0) -> "nx.MultiDiGraph":
    """The graph with only scalar attributes, as GraphML and GEXF (Gephi, yEd) require;
    every text holds only characters XML 1.0 allows."""
    import networkx as nx

    docs = {d.id: d.source for d in store.documents()}
    graph = nx.MultiDiGraph()
    for e in store.entities():
        graph.add_node(xml_text(e.id), **_present(label=e.label, kind=e.kind.value, aliases="; ".join(e.aliases),
                                                  parent=e.parent, dnr=e.attributes.get("dnr"),
                                                  documents=len({ev.document for ev in e.evidence})))
    for r in _relations(store, min_confidence):
        first = r.evidence[0] if r.evidence else None
        graph.add_edge(xml_text(r.source), xml_text(r.target), key=xml_text(r.id), **_present(
            type=r.type.value, status=r.status.value, via=r.via, since=r.since,
            sources=len({ev.document for ev in r.evidence}), weight=len(r.evidence),
            quote=first.sentence if first else None, document=docs.get(first.document) if first else None,
        ))
    return graph


def _present(**attributes) -> dict:
    """Attributes that have a value: empty ones only make GraphML and GEXF files slower to write and read.
    Texts are made fit for XML."""
    return {k: xml_text(v) if isinstance(v, str) else v for k, v in attributes.items() if v not in (None, "")}


#: Characters XML 1.0 does not allow in a document: C0 controls but tab, newline and carriage
#: return, lone surrogates (from undecodable file names), U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 forbids (a control character in a file name,
    U+FFFF in a document): GraphML and GEXF readers refuse the whole file for one of them."""
    return _NOT_XML.sub("", text)


NODE_COLUMNS = ["id", "label", "kind", "aliases", "parent", "dnr", "documents"]
EDGE_COLUMNS = ["source", "target", "type", "status", "via", "since", "sources", "weight", "quote", "document"]


def write_export(store: Store, fmt: str, output: Path, min_confidence: float = 0.0) -> list[Path]:
    """Write the graph as graphml, gexf or csv (a nodes file and an edges file); returns the files.
    Each is written whole or not at all (graph/files.py); min_confidence as in export_json."""
    import csv

    import networkx as nx

    if fmt not in ("graphml", "gexf", "csv"):
        raise ValueError(f"unknown export format {fmt!r}")
    graph = flat_graph(store, min_confidence)
    if fmt == "graphml":
        return [write_atomic(output, lambda fh: nx.write_graphml(graph, fh), encoding=None)]
    if fmt == "gexf":
        return [write_atomic(output, lambda fh: _write_gexf(graph, fh))]
    stem = output.with_suffix("") if output.suffix == ".csv" else output
    nodes, edges = stem.with_name(stem.name + ".nodes.csv"), stem.with_name(stem.name + ".edges.csv")

    def write_nodes(fh: IO) -> None:
        writer = csv.DictWriter(fh, NODE_COLUMNS)
        writer.writeheader()
        for node, data in graph.nodes(data=True):
            writer.writerow({"id": node, **data})

    def write_edges(fh: IO) -> None:
        writer = csv.DictWriter(fh, EDGE_COLUMNS)
        writer.writeheader()
        for u, v, data in graph.edges(data=True):
            writer.writerow({"source": u, "target": v, **data})

    return write_all_atomic([(nodes, write_nodes), (edges, write_edges)], encoding="utf-8-sig", newline="")


_GEXF_TYPES = {int: "integer", float: "double", bool: "boolean", str: "string"}


def write_gexf(graph: "nx.MultiDiGraph", path: Path) -> None:
    """GEXF 1.2 for Gephi, written as a stream.

    networkx's writer builds an ElementTree of every attribute value and needs over a
    second for ten thousand relations; streaming the same document takes a tenth of that.
    The result reads back with networkx.read_gexf (tested).
    """
    write_atomic(path, lambda fh: _write_gexf(graph, fh))


def _write_gexf(graph: "nx.MultiDiGraph", fh: IO) -> None:
    from xml.sax.saxutils import quoteattr

    def declare(kind: str, items) -> tuple[list[str], dict[str, int]]:
        keys: dict[str, type] = {}
        for _, data in items:
            for key, value in data.items():
                if key != "label" and key not in keys:
                    keys[key] = type(value)
        ids = {key: i for i, key in enumerate(sorted(keys))}
        lines = [f'<attributes class="{kind}" mode="static">']
        lines += [f'<attribute id="{ids[k]}" title={quoteattr(k)} type="{_GEXF_TYPES.get(keys[k], "string")}"/>'
                  for k in sorted(keys)]
        lines.append("</attributes>")
        return lines, ids

    def values(data: dict, ids: dict[str, int]) -> str:
        cells = "".join(f'<attvalue for="{ids[k]}" value={quoteattr(str(v).lower() if isinstance(v, bool) else str(v))}/>'
                        for k, v in data.items() if k in ids)
        return f"<attvalues>{cells}</attvalues>" if cells else ""

    node_decl, node_ids = declare("node", graph.nodes(data=True))
    edge_decl, edge_ids = declare("edge", ((None, d) for _, _, d in graph.edges(data=True)))
    fh.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    fh.write('<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">\n')
    fh.write('<graph defaultedgetype="directed" mode="static">\n')
    fh.write("\n".join(node_decl + edge_decl) + "\n<nodes>\n")
    for node, data in graph.nodes(data=True):
        label = quoteattr(str(data.get("label", node)))
        fh.write(f"<node id={quoteattr(str(node))} label={label}>{values(data, node_ids)}</node>\n")
    fh.write("</nodes>\n<edges>\n")
    for u, v, key, data in graph.edges(keys=True, data=True):
        weight = f' weight="{float(data["weight"])}"' if "weight" in data else ""
        fh.write(f"<edge id={quoteattr(str(key))} source={quoteattr(str(u))} target={quoteattr(str(v))}{weight}>"
                 f"{values(data, edge_ids)}</edge>\n")
    fh.write("</edges>\n</graph>\n</gexf>\n")
