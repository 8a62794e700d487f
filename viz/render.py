"""The map: one self-contained HTML file that opens offline and can be mailed on.

pyvis inlines vis-network with cdn_resources="in_line" but still links bootstrap from
a CDN and leaves a commented-out reference to node_modules; both are removed so that
opening the file makes no request to any other host.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from pathlib import Path
import networkx as nx
from pyvis.network import Network

from graph.model import Entity, Relation
from viz.labels import kind_label, labels, relation_label, status_label

#: Above this many nodes the layout is computed in Python and physics is switched off.
PHYSICS_LIMIT = 300

_EXTERNAL = [
    re.compile(r"<!--\s*<link[^>]*node_modules.*?-->", re.S),
    re.compile(r"<link[^>]*href=\"https?://[^\"]*\"[^>]*>", re.S),
    re.compile(r"<script[^>]*src=\"https?://[^\"]*\"[^>]*>\s*</script>", re.S),
]


def _quote_lines(relation: Relation, documents: dict[str, str], limit: int = 5) -> list[str]:
    lines = []
    for ev in relation.evidence[:limit]:
        where = documents.get(ev.document, ev.document)
        section = f", {ev.section}" if ev.section else ""
        lines.append(f"”{ev.sentence}” ({where}{section})")
    if len(relation.evidence) > limit:
        lines.append(f"… och {len(relation.evidence) - limit} belägg till")
    return lines


def _node_title(entity: Entity, partners: int) -> str:
    lines = [entity.name, f"Typ: {kind_label(entity.kind.value)}"]
    if entity.aliases:
        lines.append("Även: " + ", ".join(entity.aliases[:6]))
    if entity.parent:
        lines.append(f"Del av: {entity.parent}")
    lines.append(f"Samband: {partners}")
    return html.escape("\n".join(lines))


def build(graph: nx.MultiDiGraph, documents: dict[str, str], title: str = "Samverkanskarta") -> Network:
    net = Network(height="800px", width="100%", directed=False, cdn_resources="in_line", heading="")
    styles = labels()
    degree = defaultdict(int)
    for u, v in graph.edges():
        degree[u] += 1
        degree[v] += 1
    large = graph.number_of_nodes() > PHYSICS_LIMIT
    positions = nx.spring_layout(nx.Graph(graph), seed=1, scale=1500) if large and graph.number_of_nodes() else {}
    for node, data in graph.nodes(data=True):
        entity: Entity = data["entity"]
        style = styles["kinds"].get(entity.kind.value, {})
        kw = {}
        if node in positions:
            kw = {"x": float(positions[node][0]), "y": float(positions[node][1]), "physics": False}
        net.add_node(
            node,
            label=entity.name,
            title=_node_title(entity, degree[node]),
            color=style.get("color", "#999999"),
            shape=style.get("shape", "dot"),
            size=12 + min(degree[node], 20),
            group=entity.kind.value,
            **kw,
        )
    for u, v, data in graph.edges(data=True):
        rel: Relation = data["relation"]
        style = styles["statuses"].get(rel.status.value, {})
        head = f"{relation_label(rel.type.value)} ({status_label(rel.status.value)})"
        net.add_edge(
            u,
            v,
            title=html.escape("\n".join([head, *_quote_lines(rel, documents)])),
            dashes=bool(style.get("dashes")),
            width=1 + min(len({e.document for e in rel.evidence}) * 1.5, 8),
            color={"color": "#555555", "opacity": float(style.get("opacity", 1.0))},
        )
    if large:
        net.toggle_physics(False)
    else:
        net.barnes_hut()
        net.set_options(
            '{"physics": {"stabilization": {"enabled": true, "iterations": 400}},'
            ' "interaction": {"hover": true, "tooltipDelay": 120}}'
        )
    return net


def legend_html() -> str:
    items = []
    for kind, style in labels()["kinds"].items():
        items.append(
            f'<span style="display:inline-block;margin:2px 8px"><span style="display:inline-block;width:12px;'
            f'height:12px;background:{style["color"]};border-radius:6px"></span> {html.escape(style["label"])}</span>'
        )
    statuses = " · ".join(
        f"{html.escape(s['label'])}: {'streckad' if s['dashes'] else 'heldragen'}" + (" (blek)" if s["opacity"] < 0.5 else "")
        for s in labels()["statuses"].values()
    )
    return (
        '<div id="samverkan-legend" style="font-family:sans-serif;font-size:13px;padding:6px">'
        "<b>Teckenförklaring</b><br>" + "".join(items) + f"<br>Linjer: {statuses}</div>"
    )


def offline_html(net: Network, title: str) -> str:
    page = net.generate_html()
    for pattern in _EXTERNAL:
        page = pattern.sub("", page)
    page = page.replace("<h1></h1>", f"<h1 style=\"font-family:sans-serif\">{html.escape(title)}</h1>" + legend_html(), 1)
    return page


def render(graph: nx.MultiDiGraph, documents: dict[str, str], out: Path, title: str = "Samverkanskarta") -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(offline_html(build(graph, documents, title), title), encoding="utf-8")
    return out


def external_references(page: str) -> list[str]:
    """Every http(s) URL the page would load: what the offline guarantee is checked against."""
    return re.findall(r"(?:src|href)\s*=\s*[\"'](https?://[^\"']+)", page)


__all__ = ["render", "build", "offline_html", "external_references", "PHYSICS_LIMIT"]
