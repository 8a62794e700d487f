"""The JSON export: a stable contract other tools read (documented in docs/EXPORT.md)."""

from __future__ import annotations

from pathlib import Path

from graph.store import Store

EXPORT_FORMAT = "samverkan-export/1"


def export_json(store: Store) -> dict:
    return {
        "format": EXPORT_FORMAT,
        "entities": [
            {"id": e.id, "name": e.name, "kind": e.kind.value, "aliases": list(e.aliases), "parent": e.parent}
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
        graph.add_node(e.id, label=e.name, kind=e.kind.value, aliases="; ".join(e.aliases), parent=e.parent or "",
                       dnr=e.attributes.get("dnr", ""), documents=len({ev.document for ev in e.evidence}))
    for r in store.relations():
        first = r.evidence[0] if r.evidence else None
        graph.add_edge(
            r.source, r.target, key=r.id, type=r.type.value, status=r.status.value, via=r.via or "",
            since=r.since or "", sources=len({ev.document for ev in r.evidence}), weight=len(r.evidence),
            quote=first.sentence if first else "", document=docs.get(first.document, "") if first else "",
        )
    return graph


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
        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(graph, tmp)
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
