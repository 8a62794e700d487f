"""The JSON export: a stable contract other tools read (documented in docs/EXPORT.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from graph.store import Store

if TYPE_CHECKING:
    import networkx as nx

EXPORT_FORMAT = "samverkan-export/1"


def export_json(store: Store) -> dict:
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
            for r in store.relations()
        ],
        "documents": [
            {"id": d.id, "source": d.source, "title": d.title, "type": d.type.value, "dnr": d.dnr, "date": d.date}
            for d in store.documents()
        ],
    }


def flat_graph(store: Store) -> "nx.MultiDiGraph":
    """The graph with only scalar attributes, as GraphML and GEXF (Gephi, yEd) require."""
    import networkx as nx

    docs = {d.id: d.source for d in store.documents()}
    graph = nx.MultiDiGraph()
    for e in store.entities():
        graph.add_node(e.id, **_present(label=e.label, kind=e.kind.value, aliases="; ".join(e.aliases),
                                        parent=e.parent, dnr=e.attributes.get("dnr"),
                                        documents=len({ev.document for ev in e.evidence})))
    for r in store.relations():
        first = r.evidence[0] if r.evidence else None
        graph.add_edge(r.source, r.target, key=r.id, **_present(
            type=r.type.value, status=r.status.value, via=r.via, since=r.since,
            sources=len({ev.document for ev in r.evidence}), weight=len(r.evidence),
            quote=first.sentence if first else None, document=docs.get(first.document) if first else None,
        ))
    return graph


def _present(**attributes) -> dict:
    """Attributes that have a value: empty ones only make GraphML and GEXF files slower to write and read."""
    return {k: v for k, v in attributes.items() if v not in (None, "")}


NODE_COLUMNS = ["id", "label", "kind", "aliases", "parent", "dnr", "documents"]
EDGE_COLUMNS = ["source", "target", "type", "status", "via", "since", "sources", "weight", "quote", "document"]


def write_export(store: Store, fmt: str, output: Path) -> list[Path]:
    """Write the graph as graphml, gexf or csv (a nodes file and an edges file); returns the files."""
    import csv
    import os

    import networkx as nx

    output.parent.mkdir(parents=True, exist_ok=True)
    graph = flat_graph(store)
    if fmt in ("graphml", "gexf"):
        tmp = output.with_name(f".{output.name}.tmp")
        if fmt == "graphml":
            nx.write_graphml(graph, tmp)
        else:
            write_gexf(graph, tmp)
        os.replace(tmp, output)
        return [output]
    if fmt != "csv":
        raise ValueError(f"unknown export format {fmt!r}")
    stem = output.with_suffix("") if output.suffix == ".csv" else output
    nodes, edges = stem.with_name(stem.name + ".nodes.csv"), stem.with_name(stem.name + ".edges.csv")
    with nodes.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.DictWriter(fh, NODE_COLUMNS)
        writer.writeheader()
        for node, data in graph.nodes(data=True):
            writer.writerow({"id": node, **data})
    with edges.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.DictWriter(fh, EDGE_COLUMNS)
        writer.writeheader()
        for u, v, data in graph.edges(data=True):
            writer.writerow({"source": u, "target": v, **data})
    return [nodes, edges]


_GEXF_TYPES = {int: "integer", float: "double", bool: "boolean", str: "string"}


def write_gexf(graph: "nx.MultiDiGraph", path: Path) -> None:
    """GEXF 1.2 for Gephi, written as a stream.

    networkx's writer builds an ElementTree of every attribute value and needs over a
    second for ten thousand relations; streaming the same document takes a tenth of that.
    The result reads back with networkx.read_gexf (tested).
    """
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
    with path.open("w", encoding="utf-8") as fh:
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
