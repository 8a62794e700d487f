"""The exported network built in dicts is the one the networkx construction gave.

The reference below is the construction the file exports used before (a MultiDiGraph of
the store with scalar attributes, an undirected MultiGraph of it with Swedish columns, the
metrics on a simple nx.Graph): the new one must give the same nodes, ties, attributes and
quotes in the same order, and the GraphML writer the same bytes as networkx's, on the
JSON store (records) and on the SQLite store (rows), with and without min_confidence.
The graph has what trips exports up: ties both ways and several between one pair, a tie
of an actor to itself, XML markup and a control character in names and quotes, aliases,
parents, a dnr, municipalities in labels, weak readings, an isolated actor.
"""

from __future__ import annotations

import random
import re

import networkx as nx
import pytest

from graph.memory import MemoryStore
from graph.model import (
    SYMMETRIC_TYPES, Document, Entity, Evidence, Extraction, Kind, RelationType, Status, confidence_of, document_id,
    make_relation, slug,
)
from graph.sqlite import SQLiteStore
from queries.export_graph import entity_rows, network, relation_rows
from queries.graphml import graphml_bytes

NAMES = [("Alby kommun", Kind.municipality), ("Polisen <Syd> & co", Kind.police_unit), ("Skatteverket", Kind.agency),
         ('Region "Väst"', Kind.region), ("Tullverket\x07", Kind.agency), ("Socialförvaltningen", Kind.administration),
         ("Kustbevakningen", Kind.agency), ("Ensam myndighet", Kind.agency), ("Avtal A", Kind.agreement),
         ("Projekt B", Kind.project), ("Nätverket C", Kind.group)]
STATUSES = [Status.existing, Status.planned, Status.proposed, Status.ended]
TYPES = [RelationType.COLLABORATES_WITH, RelationType.COLLABORATES_WITH, RelationType.PART_OF]


def _entity(name: str, kind: Kind, quote) -> Entity:
    attributes = {"municipality": "Alby kommun"} if name == "Socialförvaltningen" else {}
    if kind is Kind.agreement:
        attributes["dnr"] = "KS 2024/17"
    return Entity(id=slug(name), name=name, kind=kind, aliases=["Förkortning"] if kind is Kind.agency else [],
                  parent=slug("Alby kommun") if name == "Socialförvaltningen" else None, attributes=attributes,
                  evidence=[quote(f"{name} nämns i texten.", 11)])


def _document(number: int) -> Extraction:
    rng = random.Random(number)
    doc = Document(id=document_id(f"dokument {number}"), source=f"mapp/dok{number:02d}.txt", title=f"Dok {number}")

    def quote(sentence: str, at: int, rule: str = "r1", confidence: float = 1.0) -> Evidence:
        return Evidence(document=doc.id, section=f"Del {at % 2}", sentence=sentence, start=at, end=at + len(sentence),
                        rule=rule, confidence=confidence)

    actors = NAMES[:7]
    chosen = rng.sample(actors, 5) + [NAMES[8 + number % 3]]
    entities = [_entity(name, kind, quote) for name, kind in chosen]
    relations: dict[str, object] = {}

    def tie(a: str, b: str, rel_type: RelationType, status: Status, at: int) -> None:
        sentence = f"{a} & {b} <samverkar>" + "." * rng.randint(1, 2)
        evidence = [quote(sentence, at, "r1", rng.choice([1.0, 0.9, 0.6]))]
        if rng.random() < 0.3:
            evidence.append(quote(sentence, at, "r0", 0.5))  # the same span read by another rule
        rel = make_relation(slug(a), slug(b), rel_type, status, evidence,
                            since=str(rng.randint(2018, 2024)) if rng.random() < 0.5 else None)
        if rel.id in relations:
            relations[rel.id].evidence.extend(rel.evidence)
        else:
            relations[rel.id] = rel

    present = [name for name, _ in chosen[:5]]
    for n in range(6):
        a, b = rng.sample(present, 2)
        tie(a, b, rng.choice(TYPES), rng.choice(STATUSES), 100 + 50 * n)
    if number % 4 == 0:
        tie(present[0], present[0], RelationType.COLLABORATES_WITH, Status.existing, 900)
    vehicle, kind = chosen[5]
    membership = RelationType.PARTY_TO if kind is Kind.agreement else RelationType.PARTICIPATES_IN
    for m, member in enumerate(present[:3]):
        tie(member, vehicle, membership, Status.existing, 1000 + 40 * m)
    if number == 0:
        entities.append(_entity("Ensam myndighet", Kind.agency, quote))
    return Extraction(document=doc, entities=entities, relations=list(relations.values()))


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    extractions = [_document(n) for n in range(16)]
    memory, sqlite = MemoryStore(), SQLiteStore(tmp_path_factory.mktemp("export") / "g.sqlite")
    for x in extractions:
        memory.add(x)
        sqlite.add(x)
    yield memory, sqlite
    sqlite.close()


# --- The networkx construction the exports used before ---------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def _present(**attributes) -> dict:
    return {k: _xml(v) if isinstance(v, str) else v for k, v in attributes.items() if v not in (None, "")}


def reference_flat(store, min_confidence: float, evidence: dict) -> nx.MultiDiGraph:
    docs = {d.id: d.source for d in store.documents()}
    graph = nx.MultiDiGraph()
    for e in store.entities():
        graph.add_node(_xml(e.id), **_present(label=e.label, kind=e.kind.value, aliases="; ".join(e.aliases),
                                              parent=e.parent, dnr=e.attributes.get("dnr"),
                                              documents=len({ev.document for ev in e.evidence})))
    for r in store.relations():
        if min_confidence > 0 and confidence_of(r.evidence) < min_confidence:
            continue
        sources = list(dict.fromkeys(docs.get(ev.document, ev.document) for ev in r.evidence))
        graph.add_edge(_xml(r.source), _xml(r.target), key=_xml(r.id), **_present(
            type=r.type.value, status=r.status.value, via=r.via, since=r.since, sources=len(sources),
            weight=len(r.evidence), confidence=round(confidence_of(r.evidence), 4) if r.evidence else None,
            quote="\n".join(dict.fromkeys(ev.sentence for ev in r.evidence)) or None,
            document="; ".join(sources) or None))
        evidence[_xml(r.id)] = [(_xml(docs.get(ev.document, ev.document)), _xml(ev.section), ev.start, ev.end,
                                 ev.confidence, _xml(ev.sentence)) for ev in r.evidence]
    return graph


def reference_metrics(flat: nx.MultiDiGraph) -> dict:
    from queries.network import betweenness, louvain

    simple = nx.Graph()
    simple.add_nodes_from(flat.nodes)
    for u, v in flat.edges():
        if u != v:
            w = simple[u][v]["weight"] + 1 if simple.has_edge(u, v) else 1
            simple.add_edge(u, v, weight=w)
    between = betweenness(simple)
    tied = simple.subgraph([n for n in simple if simple.degree(n)]).copy()
    groups = sorted((sorted(g) for g in louvain(tied)), key=lambda g: (-len(g), g[0])) if tied.number_of_nodes() else []
    community = {n: i for i, g in enumerate(groups, start=1) for n in g}
    return {n: {"Grad": simple.degree(n), "Mellanliggande": round(between.get(n, 0.0), 6),
                "Gemenskap": community.get(n)} for n in simple}


def reference_network(flat: nx.MultiDiGraph) -> nx.MultiGraph:
    from viz.labels import kind_label, relation_label, status_label

    def label(node):
        return flat.nodes[node].get("label", node) if node and node in flat else node

    metrics = reference_metrics(flat)
    graph = nx.MultiGraph()
    for node, d in flat.nodes(data=True):
        graph.add_node(node, **_present(**{
            "label": d.get("label", node), "Typ": kind_label(d["kind"]), "Typkod": d["kind"],
            "Även kallad": d.get("aliases"), "Del av": label(d.get("parent")), "Dnr": d.get("dnr"),
            "Dokument": d.get("documents"), **metrics[node]}))
    for u, v, key, d in flat.edges(keys=True, data=True):
        graph.add_edge(u, v, key=key, **_present(**{
            "label": relation_label(d["type"]), "weight": d.get("weight", 1), "Sambandskod": d["type"],
            "Riktad": RelationType(d["type"]) not in SYMMETRIC_TYPES, "Status": status_label(d["status"]),
            "Statuskod": d["status"], "Via": label(d.get("via")), "Sedan": d.get("since"),
            "Källor": d.get("sources"), "Säkerhet": d.get("confidence"), "Belägg": d.get("quote"),
            "Dokument": d.get("document")}))
    return graph


def own_direction(flat: nx.MultiDiGraph, edges) -> list:
    """networkx's MultiGraph edges with each directed tie from its own source to its own
    target (the flat graph's ends): what the exports write since the direction fix."""
    ends = {key: (u, v) for u, v, key, d in flat.edges(keys=True, data=True)
            if RelationType(d["type"]) not in SYMMETRIC_TYPES}
    return [(*ends.get(key, (u, v)), key, d) for u, v, key, d in edges]


def own_direction_graphml(flat: nx.MultiDiGraph, text: bytes) -> bytes:
    """networkx's GraphML of reference_network(flat) with each directed tie's ends as its own."""
    for u, v, key, d in flat.edges(keys=True, data=True):
        if RelationType(d["type"]) not in SYMMETRIC_TYPES:
            a, b = (re.escape(x.encode()) for x in (u, v))
            text = re.sub(b'<edge source="(' + a + b'|' + b + b')" target="(' + a + b'|' + b + b')" id="' +
                          re.escape(key.encode()) + b'"',
                          f'<edge source="{u}" target="{v}" id="{key}"'.encode(), text)
    return text


# --- The tests ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("min_confidence", [0.0, 0.8])
@pytest.mark.parametrize("which", ["memory", "sqlite"])
def test_the_network_is_the_networkx_constructions_in_its_order(stores, which, min_confidence):
    store = dict(zip(["memory", "sqlite"], stores))[which]
    evidence: dict = {}
    flat = reference_flat(store, min_confidence, evidence)
    expected = reference_network(flat)
    got = network(store, min_confidence, evidence=True)
    assert list(got.nodes.items()) == list(expected.nodes(data=True))
    assert got.edges == own_direction(flat, expected.edges(keys=True, data=True))
    assert got.evidence == evidence
    for node in expected:
        assert list(got.incident(node)) == [(v, d) for _, v, d in expected.edges(node, data=True)]
    assert any(d.get("Gemenskap") for d in got.nodes.values()) and any(d["Mellanliggande"] for d in got.nodes.values())
    assert any(u == v for u, v, _, _ in got.edges) and any(d["Riktad"] for *_, d in got.edges)


@pytest.mark.parametrize("min_confidence", [0.0, 0.95])
def test_graphml_is_networkxs_to_the_byte(stores, min_confidence):
    import io

    _, sqlite = stores
    buffer = io.BytesIO()
    flat = reference_flat(sqlite, min_confidence, {})
    nx.write_graphml(reference_network(flat), buffer)
    assert graphml_bytes(network(sqlite, min_confidence)) == own_direction_graphml(flat, buffer.getvalue())


def test_graphml_of_an_empty_network_and_a_lone_actor_is_networkxs(tmp_path):
    import io

    from tests.helpers import entity, extraction

    store = SQLiteStore(tmp_path / "g.sqlite")
    for graph in (reference_network(reference_flat(store, 0.0, {})),):
        buffer = io.BytesIO()
        nx.write_graphml(graph, buffer)
        assert graphml_bytes(network(store)) == buffer.getvalue()
    store.add(extraction("ett dokument", "ett.txt", [entity("Ensam kommun", Kind.municipality)], []))
    buffer = io.BytesIO()
    nx.write_graphml(reference_network(reference_flat(store, 0.0, {})), buffer)
    assert graphml_bytes(network(store)) == buffer.getvalue()
    store.close()


def test_the_sqlite_rows_are_the_records(stores):
    """export_relations and the document counts read rows; the records say the same."""
    memory, sqlite = stores
    records = [(r.id, r.source, r.target, r.type.value, r.status.value, r.via, r.since,
                [(e.document, e.section, e.sentence, e.start, e.end, e.confidence) for e in r.evidence])
               for r in sqlite.relations()]
    assert [tuple(r) for r in relation_rows(sqlite)] == records
    assert [tuple(r) for r in relation_rows(memory)] == records
    assert entity_rows(sqlite) == entity_rows(memory)


def test_metrics_come_from_the_tie_rows_read_first_or_from_the_graph_if_they_differ(stores, monkeypatch):
    """Betweenness starts from the ties' ends read before the quotes; if the store changed
    between the two reads (another process wrote), the metrics are those of the graph read."""
    import queries.export_graph as export_graph

    _, sqlite = stores
    expected = network(sqlite)
    real = export_graph._tie_ends
    monkeypatch.setattr(export_graph, "_tie_ends", lambda store, m: real(store, m)[:-3])
    assert network(sqlite).nodes == expected.nodes
    monkeypatch.setattr(export_graph, "in_background", lambda compute, *args: (lambda: {}))
    assert network(sqlite).nodes == expected.nodes  # the answer read first is not used


def test_gexf_attributes_skip_quoteattr_only_when_it_would_change_nothing():
    from xml.sax.saxutils import quoteattr

    from queries.export import _ESCAPED_IN_ATTRIBUTES

    rng = random.Random(3)
    for _ in range(5000):
        text = "".join(rng.choice("ab &<>\"'\n\r\tå😀") for _ in range(rng.randint(0, 6)))
        assert (quoteattr(text) if _ESCAPED_IN_ATTRIBUTES(text) else f'"{text}"') == quoteattr(text)


def test_a_view_that_filters_ties_and_passes_other_reads_on_is_read_through_its_relations(stores):
    """A wrapper whose relations() leaves ties out but which forwards every other read
    (__getattr__, as the --as-of view does) exports its own ties, not the store's rows."""
    _, sqlite = stores

    class Filtered:
        def __init__(self, store):
            self._store = store

        def __getattr__(self, name):
            return getattr(self._store, name)

        def relations(self, *args, **kwargs):
            return [r for r in self._store.relations(*args, **kwargs) if r.status is Status.existing]

    view = Filtered(sqlite)
    got = network(view)
    assert {d["Statuskod"] for *_, d in got.edges} == {"existing"}
    flat = reference_flat(view, 0.0, {})
    assert got.edges == own_direction(flat, reference_network(flat).edges(keys=True, data=True))


@pytest.mark.parametrize("backend", ["memory", "sqlite"])
def test_every_format_writes_a_directed_tie_from_its_own_source(tmp_path, backend):
    """A party (orebro-kommun) to an agreement (avtal-a) whose id sorts before it: each file
    says Örebro kommun -> Avtal A, as the tie does, not the other way round (the ends were
    once written in the order of the nodes). The symmetric tie stays as it was."""
    import csv
    import io
    import json

    from lxml import etree
    from openpyxl import load_workbook

    from queries.export import export_json, write_export
    from queries.present import CsvStyle
    from tests.helpers import entity, extraction

    store = MemoryStore() if backend == "memory" else SQLiteStore(tmp_path / "g.sqlite")
    store.add(extraction(
        "Örebro kommun är part i Avtal A och samverkar med Bjuvs kommun.", "avtal.txt",
        [entity("Örebro kommun", Kind.municipality), entity("Avtal A", Kind.agreement),
         entity("Bjuvs kommun", Kind.municipality)],
        [("Örebro kommun", "Avtal A", RelationType.PARTY_TO, Status.existing, "Örebro kommun är part i Avtal A."),
         ("Örebro kommun", "Bjuvs kommun", RelationType.COLLABORATES_WITH, Status.existing,
          "Örebro kommun samverkar med Bjuvs kommun.")]))
    party = next(r for r in store.relations() if r.type is RelationType.PARTY_TO)
    assert (party.source, party.target) == ("orebro-kommun", "avtal-a")
    mutual = next(r for r in store.relations() if r.type is RelationType.COLLABORATES_WITH)
    expected_mutual = (mutual.source, mutual.target)  # bjuvs-kommun first, in node order and by id

    (graphml,) = write_export(store, "graphml", tmp_path / "g.graphml")
    edges = {e.get("id"): (e.get("source"), e.get("target")) for e in etree.parse(str(graphml)).iter(
        "{http://graphml.graphdrawing.org/xmlns}edge")}
    assert edges == {party.id: ("orebro-kommun", "avtal-a"), mutual.id: expected_mutual}
    (gexf,) = write_export(store, "gexf", tmp_path / "g.gexf")
    edges = {e.get("id"): (e.get("source"), e.get("target")) for e in etree.parse(str(gexf)).iter(
        "{http://www.gexf.net/1.2draft}edge")}
    assert edges == {party.id: ("orebro-kommun", "avtal-a"), mutual.id: expected_mutual}
    _, edge_csv = write_export(store, "csv", tmp_path / "g", csv_style=CsvStyle.rfc4180)
    rows = {r["Id"]: (r["Source"], r["Target"], r["Riktad"])
            for r in csv.DictReader(io.StringIO(edge_csv.read_text(encoding="utf-8")))}
    assert rows == {party.id: ("orebro-kommun", "avtal-a", "true"), mutual.id: (*expected_mutual, "false")}
    _, connections = write_export(store, "kumu", tmp_path / "kumu.csv", csv_style=CsvStyle.rfc4180)
    rows = [(r["From"], r["To"], r["Direction"])
            for r in csv.DictReader(io.StringIO(connections.read_text(encoding="utf-8")))]
    assert ("Örebro kommun", "Avtal A", "directed") in rows and ("Avtal A", "Örebro kommun", "directed") not in rows
    (kumu,) = write_export(store, "kumu", tmp_path / "kumu.xlsx")
    assert ("Örebro kommun", "Avtal A") in [r[:2] for r in load_workbook(kumu)["Connections"].values]
    (xlsx,) = write_export(store, "xlsx", tmp_path / "g.xlsx")
    book = load_workbook(xlsx)
    ties = [r for r in book["Samband"].values if r[-1] == party.id]
    assert [r[:2] for r in ties] == [("Örebro kommun", "Avtal A")]
    assert [r[:2] for r in book["Belägg"].values if r[2] == "part i"] == [("Örebro kommun", "Avtal A")]
    relations = {r["id"]: (r["source"], r["target"]) for r in json.loads(json.dumps(export_json(store)))["relations"]}
    assert relations[party.id] == ("orebro-kommun", "avtal-a") and relations[mutual.id] == expected_mutual


# --- Metrics kept in the store (queries/derived.py) ------------------------------------------------


def test_metrics_kept_in_the_store_are_those_computed_and_follow_the_graph(tmp_path, monkeypatch):
    """The second export of an unchanged graph takes its metrics from the store, the same
    as computed; a changed graph has another fingerprint and is computed again; a damaged
    row is computed again and replaced."""
    import queries.export_graph as export_graph

    store = SQLiteStore(tmp_path / "g.sqlite")
    for n in range(6):
        store.add(_document(n))
    first = network(store)
    assert store.derived(export_graph.METRICS_KIND, "no such graph") is None
    computed = export_graph.in_background

    def refused(*args):
        raise AssertionError("computed again")

    monkeypatch.setattr(export_graph, "in_background", refused)
    again = network(SQLiteStore(store.path))
    assert again.nodes == first.nodes and again.edges == first.edges
    monkeypatch.setattr(export_graph, "in_background", computed)
    store.add(_document(7))
    changed = network(store)
    monkeypatch.setattr(export_graph, "in_background", refused)
    assert network(store).nodes == changed.nodes
    monkeypatch.setattr(export_graph, "in_background", computed)
    db = __import__("sqlite3").connect(store.path)
    db.execute("UPDATE derived SET value = 'not json'")
    db.commit()
    db.close()
    assert network(store).nodes == changed.nodes
    assert json_ok(store)
    store.close()


def json_ok(store) -> bool:
    import json

    (value,) = store._reader().execute("SELECT value FROM derived").fetchone()
    return bool(json.loads(value))


def test_a_read_only_or_locked_store_is_exported_without_keeping_anything(tmp_path):
    import os
    import sqlite3

    path = tmp_path / "g.sqlite"
    store = SQLiteStore(path)
    for n in range(4):
        store.add(_document(n))
    store.close()
    os.chmod(path, 0o444)
    try:
        got = network(SQLiteStore(path))
        assert SQLiteStore(path).derived("export-metrics", "x") is None
        assert "derived" not in {n for (n,) in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    finally:
        os.chmod(path, 0o644)
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")  # another writer holds the store: not waited for
    try:
        assert network(SQLiteStore(path)).nodes == got.nodes
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert network(SQLiteStore(path)).nodes == got.nodes


def test_xml_text_takes_out_exactly_what_xml_forbids():
    """The printable texts it returns at once have nothing the expression would take out."""
    from queries.export_graph import xml_text

    rng = random.Random(5)
    alphabet = "aå é\n\t\r\x00\x07\x0b\x1f\x7f\x85\u00a0\u2028\ud800\udfff\ufffe\uffff😀<&"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        assert xml_text(text) == _NOT_XML.sub("", text)


def test_the_workbook_with_its_quotes_made_in_a_child_process_is_the_same(stores, tmp_path, monkeypatch):
    import zipfile

    import queries.xlsx as xlsx
    from queries.export import workbook_sheets
    from queries.present import write_workbook

    _, sqlite = stores
    net = network(sqlite, evidence=True)
    monkeypatch.setattr(xlsx, "SPLIT_ROWS", 7)  # the other long sheets in halves too
    write_workbook(tmp_path / "child.xlsx", workbook_sheets(net, background=True))
    monkeypatch.setattr(xlsx, "SPLIT_ROWS", 10**9)
    write_workbook(tmp_path / "here.xlsx", workbook_sheets(net))

    def parts(path):
        with zipfile.ZipFile(path) as z:
            return {i.filename: z.read(i) for i in z.infolist() if not i.filename.startswith("docProps/")}

    assert parts(tmp_path / "child.xlsx") == parts(tmp_path / "here.xlsx")


@pytest.mark.parametrize("min_confidence", [0.0, 0.8])
def test_the_json_relations_read_as_rows_are_the_records(stores, min_confidence):
    """export_json reads relations as rows (relation_rows); the records said the same."""
    from queries.export import export_json

    for store in stores:
        expected = [{"id": r.id, "source": r.source, "target": r.target, "type": r.type.value,
                     "status": r.status.value, "via": r.via, "since": r.since,
                     "evidence": [{"document": e.document, "section": e.section, "sentence": e.sentence,
                                   "start": e.start, "end": e.end} for e in r.evidence]}
                    for r in store.relations() if confidence_of(r.evidence) >= min_confidence]
        assert export_json(store, min_confidence)["relations"] == expected


@pytest.mark.parametrize("fmt, name", [("graphml", "g.graphml"), ("gexf", "g.gexf"), ("csv", "g"),
                                       ("kumu", "k.csv")])
def test_files_written_in_two_halves_on_two_cores_are_the_same(stores, tmp_path, monkeypatch, fmt, name):
    """GraphML's and GEXF's ties and the CSV tables' rows, their second half made in a
    child process (queries/graphml.py in_halves), give the same files, byte for byte."""
    import queries.graphml as graphml
    from queries.export import write_export

    _, sqlite = stores
    written = {}
    for least, folder in ((1, "halves"), (10**9, "whole")):
        monkeypatch.setattr(graphml, "HALVES_FROM", least)
        (tmp_path / folder).mkdir()
        paths = write_export(sqlite, fmt, tmp_path / folder / name)
        written[folder] = [p.read_bytes() for p in paths]
    assert written["halves"] == written["whole"] and all(written["whole"])


def test_in_halves_makes_a_short_list_at_once_and_a_long_one_in_order():
    from queries.graphml import in_halves

    assert in_halves(lambda some: "".join(some), list("abcde"), least=10) == "abcde"
    assert in_halves(lambda some: "".join(some), list("abcde"), least=1) == "abcde"
    assert in_halves(lambda some: "".join(some), [], least=0) == ""
