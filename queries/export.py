"""Exports: the JSON contract other tools read, and the files Gephi, yEd, Kumu and Excel open
as they are (all documented in docs/EXPORT.md).

GraphML, GEXF and the CSV tables are one undirected network: most ties (cooperation,
co-location) have no direction, and Gephi reads a graph of one kind without asking. The ties
that do have one (a party to its agreement, a body part of another) keep it in the column
`Riktad` with Source → Target in that direction. Every format carries Swedish labels beside
the codes, every quote of a tie, and for each actor its degree, betweenness and community.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Iterable

from graph.files import write_all_atomic, write_atomic
from graph.model import COOPERATION_TYPES, Kind, RelationType
from graph.store import Store
from queries.export_graph import Network, relation_rows
from queries.export_graph import network as export_network
from queries.graphml import _declared, graphml_bytes, in_halves
from queries.present import CsvStyle, Sheet, csv_text, write_workbook
from queries.xlsx import RowsInBackground

if TYPE_CHECKING:
    import networkx as nx

EXPORT_FORMAT = "samverkan-export/1"


def export_json(store: Store, min_confidence: float = 0.0) -> dict:
    """The whole graph; with min_confidence, only the relations read at least that surely
    (every actor and document stays)."""
    return {
        "format": EXPORT_FORMAT,
        "entities": [
            {"id": e.id, "name": e.name, "kind": e.kind.value, "aliases": list(e.aliases), "parent": e.parent,
             "label": e.label, "attributes": dict(sorted(e.attributes.items()))}
            for e in store.entities(evidence=False)  # the JSON lists no entity evidence: not read
        ],
        # As rows (queries/export_graph.py relation_rows): a SQLite store makes no record per
        # relation and quote, what reading the store as records spent most of its time on.
        "relations": [
            {
                "id": r.id,
                "source": r.source,
                "target": r.target,
                "type": r.type,
                "status": r.status,
                "via": r.via,
                "since": r.since,
                "evidence": [
                    {"document": document, "section": section, "sentence": sentence, "start": start, "end": end}
                    for document, section, sentence, start, end, _ in r.evidence
                ],
            }
            for r in relation_rows(store, min_confidence)
        ],
        "documents": [
            {"id": d.id, "source": d.source, "title": d.title, "type": d.type.value, "dnr": d.dnr, "date": d.date}
            for d in store.documents()
        ],
    }


#: The columns of the actor table (CSV, GraphML, GEXF, the workbook), in order: Gephi's own
#: Id and Label, then samverkan's, in Swedish. GraphML and GEXF give the label as `label`.
NODE_COLUMNS = ["Id", "Label", "Typ", "Typkod", "Även kallad", "Del av", "Dnr", "Dokument", "Grad",
                "Mellanliggande", "Gemenskap"]
#: The tie table: Gephi's Source, Target, Type (Undirected: see the module's docstring), Id,
#: Label and Weight (pieces of evidence), then samverkan's. `Belägg` holds every quote.
EDGE_COLUMNS = ["Source", "Target", "Type", "Id", "Label", "Weight", "Sambandskod", "Riktad", "Status", "Statuskod",
                "Via", "Sedan", "Källor", "Säkerhet", "Belägg", "Dokument"]

FORMATS = ("graphml", "gexf", "csv", "xlsx", "kumu")


def node_rows(network: Network) -> list[list[Any]]:
    keys = ["label", *NODE_COLUMNS[2:]]
    return [[node, *(d.get(k) for k in keys)] for node, d in network.nodes.items()]


def edge_rows(network: Network) -> list[list[Any]]:
    keys = ["label", "weight", *EDGE_COLUMNS[6:]]
    return [[u, v, "Undirected", key, *(d.get(k) for k in keys)] for u, v, key, d in network.edges]


def write_export(store: Store, fmt: str, output: Path, min_confidence: float = 0.0,
                 csv_style: CsvStyle = CsvStyle.excel) -> list[Path]:
    """Write the graph as graphml, gexf, csv (a nodes file and an edges file), xlsx (a workbook
    for Excel) or kumu (a workbook, or with a .csv name an elements and a connections file,
    for Kumu); returns the files. Each is written whole or not at all (graph/files.py);
    min_confidence as in export_json."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    network = export_network(store, min_confidence, evidence=fmt == "xlsx")
    if fmt == "graphml":
        return [write_atomic(output, lambda fh: fh.write(graphml_bytes(network)), encoding=None)]
    if fmt == "gexf":
        return [write_atomic(output, lambda fh: _write_gexf(network.nodes, network.edges, False, fh))]
    if fmt == "xlsx":
        return [write_workbook(output, workbook_sheets(network, background=True))]
    if fmt == "kumu":
        return write_kumu(network, output, csv_style)
    stem = output.with_suffix("") if output.suffix == ".csv" else output
    nodes, edges = stem.with_name(stem.name + ".nodes.csv"), stem.with_name(stem.name + ".edges.csv")
    return write_all_atomic([(nodes, lambda fh: fh.write(csv_text(NODE_COLUMNS, node_rows(network), csv_style))),
                             (edges, lambda fh: fh.write(csv_in_halves(EDGE_COLUMNS, edge_rows(network), csv_style)))],
                            encoding="utf-8", newline="")


def csv_in_halves(headers: list[str], rows: list[list[Any]], style: CsvStyle) -> str:
    """csv_text(headers, rows, style), a long table's second half made in a child process
    (in_halves): the text of the rows alone is what follows the header csv_text starts with."""
    head = csv_text(headers, [], style)
    return head + in_halves(lambda some: csv_text(headers, some, style)[len(head):], rows)


# --- The Excel workbook ---------------------------------------------------------------------


QUOTE_COLUMNS = ["Från", "Till", "Samband", "Status", "Dokument", "Avsnitt", "Start", "Slut", "Säkerhet", "Citat"]


def workbook_sheets(network: Network, background: bool = False) -> list[Sheet]:
    """Aktörer, Samband, Belägg (every quote, one a row), Avtal och projekt, Matris.
    background=True: the Belägg sheet's rows and their XML are made in a child process
    while the other sheets are (queries/xlsx.py RowsInBackground); the same workbook."""
    labels = {n: d.get("label", n) for n, d in network.nodes.items()}
    quotes: Any = (RowsInBackground(lambda: _quote_rows(network, labels), QUOTE_COLUMNS) if background
                   else _quote_rows(network, labels))
    actors = Sheet("Aktörer", ["Namn", *NODE_COLUMNS[2:], "Id"],
                   sorted(([*row[1:], row[0]] for row in node_rows(network)), key=lambda r: (str(r[0]).lower(), r[-1])))
    tie_columns = ["Från", "Till", "Samband", "Sambandskod", "Riktad", "Status", "Statuskod", "Via", "Sedan", "Källor",
                   "Belägg", "Säkerhet", "Id"]
    ties = []
    for u, v, key, d in network.edges:
        ties.append([labels[u], labels[v], d.get("label"), d.get("Sambandskod"), d.get("Riktad"), d.get("Status"),
                     d.get("Statuskod"), d.get("Via"), d.get("Sedan"), d.get("Källor"), d.get("weight"),
                     d.get("Säkerhet"), key])
    ties.sort(key=lambda r: (str(r[0]).lower(), str(r[1]).lower(), r[-1]))
    return [
        actors,
        Sheet("Samband", tie_columns, ties),
        Sheet("Belägg", QUOTE_COLUMNS, quotes),
        Sheet("Avtal och projekt", ["Namn", "Typ", "Parter", "Dnr", "Dokument", "Id"], _vehicle_rows(network)),
        _matrix_sheet(network),
    ]


def _quote_rows(network: Network, labels: dict[str, str]) -> list[list[Any]]:
    """The Belägg sheet: every quote of every tie, one a row, by from, to, document, start."""
    evidence = network.evidence
    quotes = []
    for u, v, key, d in network.edges:
        for source, section, start, end, confidence, sentence in evidence.get(key, ()):
            quotes.append([labels[u], labels[v], d.get("label"), d.get("Status"), source, section, start, end,
                           confidence, sentence])
    quotes.sort(key=lambda r: (str(r[0]).lower(), str(r[1]).lower(), r[4], r[6]))
    return quotes


_VEHICLE_CODES = frozenset({Kind.agreement.value, Kind.project.value, Kind.programme.value, Kind.group.value})
_COOPERATION_CODES = frozenset(t.value for t in COOPERATION_TYPES)


def _vehicle_rows(network: Network) -> list[list[Any]]:
    rows = []
    for node, d in network.nodes.items():
        if d.get("Typkod") not in _VEHICLE_CODES:
            continue
        parties = {}
        for other, e in network.incident(node):
            if e.get("Sambandskod") in (RelationType.PARTY_TO.value, RelationType.PARTICIPATES_IN.value):
                name = network.label(other)
                parties[name] = name if e.get("Statuskod") == "existing" else f"{name} ({e.get('Status')})"
        rows.append([d.get("label", node), d.get("Typ"), "; ".join(parties[k] for k in sorted(parties)), d.get("Dnr"),
                     d.get("Dokument"), node])
    return sorted(rows, key=lambda r: (str(r[0]).lower(), r[-1]))


def _matrix_sheet(network: Network) -> Sheet:
    """As `samverkan matrix`: actors (not agreements, projects, groups) by actors, the number
    of documents stating a direct tie plus one per agreement, project or group they share."""
    from itertools import combinations

    weights: dict[tuple[str, str], int] = {}

    def add(a: str, b: str, w: int) -> None:
        if a != b:
            pair = (a, b) if a < b else (b, a)
            weights[pair] = weights.get(pair, 0) + w

    actor = {n for n, d in network.nodes.items() if d.get("Typkod") not in _VEHICLE_CODES}
    members: dict[str, set[str]] = {}
    for u, v, _, d in network.edges:
        if d.get("Sambandskod") not in _COOPERATION_CODES:
            continue
        if u in actor and v in actor:
            add(u, v, d.get("Källor") or 0)
        elif u in actor or v in actor:
            member, vehicle = (u, v) if u in actor else (v, u)
            members.setdefault(vehicle, set()).add(member)
    for group in members.values():
        for a, b in combinations(sorted(group), 2):
            add(a, b, 1)
    ids = sorted({n for pair in weights for n in pair}, key=lambda n: (network.label(n).lower(), n))
    names = [network.label(n) for n in ids]
    rows = [[name, *(weights.get((a, b) if a < b else (b, a), 0) if a != b else 0 for b in ids)]
            for a, name in zip(ids, names)]
    return Sheet("Matris", ["Aktör", *names], rows)


# --- Kumu -------------------------------------------------------------------------------------


KUMU_ELEMENT_COLUMNS = ["Label", "Type", "Typkod", "Även kallad", "Del av", "Dnr", "Dokument", "Grad",
                        "Mellanliggande", "Gemenskap", "Id"]
KUMU_CONNECTION_COLUMNS = ["From", "To", "Type", "Direction", "Status", "Statuskod", "Sambandskod", "Via", "Sedan",
                           "Källor", "Säkerhet", "Belägg", "Dokument"]


def kumu_sheets(network: Network) -> list[Sheet]:
    """Kumu's two sheets: Elements (Label, Type, ...) and Connections (From, To by label,
    Type, Direction, ...). Kumu joins connections to elements by label, so a label that two
    actors share gets the kind and then the id added, until each is unique."""
    names = kumu_labels(network)
    elements = [[names[n], d.get("Typ"), d.get("Typkod"), d.get("Även kallad"), d.get("Del av"), d.get("Dnr"),
                 d.get("Dokument"), d.get("Grad"), d.get("Mellanliggande"), d.get("Gemenskap"), n]
                for n, d in network.nodes.items()]
    connections = [[names[u], names[v], d.get("label"), "directed" if d.get("Riktad") else "undirected",
                    d.get("Status"), d.get("Statuskod"), d.get("Sambandskod"), d.get("Via"), d.get("Sedan"),
                    d.get("Källor"), d.get("Säkerhet"), d.get("Belägg"), d.get("Dokument")]
                   for u, v, _, d in network.edges]
    return [Sheet("Elements", KUMU_ELEMENT_COLUMNS, sorted(elements, key=lambda r: (r[0].lower(), r[-1]))),
            Sheet("Connections", KUMU_CONNECTION_COLUMNS, sorted(connections, key=lambda r: (r[0].lower(), r[1].lower())))]


def kumu_labels(network: Network) -> dict[str, str]:
    """node -> a label no other node has (Kumu matches From and To by label)."""
    from collections import Counter

    names = {n: d.get("label", n) for n, d in network.nodes.items()}
    counts = Counter(names.values())
    for n, d in network.nodes.items():
        if counts[names[n]] > 1:
            names[n] = f"{names[n]} ({d.get('Typ')})"
    counts = Counter(names.values())
    for n in network.nodes:
        if counts[names[n]] > 1:
            names[n] = f"{names[n]} [{n}]"
    return names


def write_kumu(network: Network, output: Path, csv_style: CsvStyle = CsvStyle.excel) -> list[Path]:
    """A workbook with Kumu's Elements and Connections sheets; with a .csv name, the two as
    NAME.elements.csv and NAME.connections.csv."""
    elements, connections = kumu_sheets(network)
    if output.suffix.lower() != ".csv":
        return [write_workbook(output, [elements, connections])]
    stem = output.with_suffix("")
    files = []
    for sheet, suffix in ((elements, ".elements.csv"), (connections, ".connections.csv")):
        text = csv_in_halves(sheet.headers, list(sheet.rows), csv_style)
        files.append((stem.with_name(stem.name + suffix), (lambda t: lambda fh: fh.write(t))(text)))
    return write_all_atomic(files, encoding="utf-8", newline="")


_GEXF_TYPES = {int: "integer", float: "double", bool: "boolean", str: "string"}

#: What quoteattr escapes or chooses its quotes by: a text without any is only put in double quotes.
_ESCAPED_IN_ATTRIBUTES = re.compile("[&<>\"\n\r\t]").search


def write_gexf(graph: "nx.MultiDiGraph", path: Path) -> None:
    """A networkx graph as GEXF 1.2 for Gephi, written as a stream (see _write_gexf)."""
    write_atomic(path, lambda fh: _write_gexf(dict(graph.nodes(data=True)), list(graph.edges(keys=True, data=True)),
                                              graph.is_directed(), fh))


def _write_gexf(nodes: dict[str, dict], edges: list[tuple[str, str, str, dict]], directed: bool, fh: IO) -> None:
    """GEXF 1.2 for Gephi, written as a stream.

    networkx's writer builds an ElementTree of every attribute value and needs over a
    second for ten thousand relations; streaming the same document takes a tenth of that.
    The result reads back with networkx.read_gexf (tested).
    """
    from xml.sax.saxutils import quoteattr as quoted

    def quoteattr(text: str) -> str:  # as xml.sax.saxutils.quoteattr; most texts need nothing escaped
        return quoted(text) if _ESCAPED_IN_ATTRIBUTES(text) else '"' + text + '"'

    def declare(kind: str, items) -> tuple[list[str], dict[str, str]]:
        """The attribute declarations (each name with the type of its first value) and, per
        name, the start of its attvalue element."""
        keys: dict[str, type] = {}
        for key, value_type in _declared(items):  # each name and type once, in the order first met
            if key != "label" and key not in keys:
                keys[key] = value_type
        ids = {key: i for i, key in enumerate(sorted(keys))}
        lines = [f'<attribute id="{ids[k]}" title={quoteattr(k)} type="{_GEXF_TYPES.get(keys[k], "string")}"/>'
                 for k in sorted(keys)]
        return ([f'<attributes class="{kind}" mode="static">', *lines, "</attributes>"],
                {k: f'<attvalue for="{i}" value=' for k, i in ids.items()})

    def values(data: dict, starts: dict[str, str]) -> str:
        cells = []
        for k, v in data.items():
            start = starts.get(k)
            if start is not None:
                kind = type(v)
                text = v if kind is str else str(v).lower() if kind is bool else str(v)
                cells.append(start + (quoted(text) if _ESCAPED_IN_ATTRIBUTES(text) else '"' + text + '"') + "/>")
        return "<attvalues>" + "".join(cells) + "</attvalues>" if cells else ""

    node_decl, node_ids = declare("node", nodes.values())
    edge_decl, edge_ids = declare("edge", (d for _, _, _, d in edges))
    fh.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    fh.write('<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2">\n')
    fh.write(f'<graph defaultedgetype="{"directed" if directed else "undirected"}" mode="static">\n')
    fh.write("\n".join(node_decl + edge_decl) + "\n<nodes>\n")
    for node, data in nodes.items():
        label = quoteattr(str(data.get("label", node)))
        fh.write(f"<node id={quoteattr(str(node))} label={label}>{values(data, node_ids)}</node>\n")
    fh.write("</nodes>\n<edges>\n")

    def edge_text(some: list) -> str:
        text = []
        for u, v, key, data in some:
            weight = f' weight="{float(data["weight"])}"' if "weight" in data else ""
            label = f" label={quoteattr(str(data['label']))}" if "label" in data else ""
            text.append(f"<edge id={quoteattr(str(key))} source={quoteattr(str(u))} target={quoteattr(str(v))}"
                        f"{label}{weight}>{values(data, edge_ids)}</edge>\n")
        return "".join(text)

    fh.write(in_halves(edge_text, edges))  # the two halves on two cores
    fh.write("</edges>\n</graph>\n</gexf>\n")
