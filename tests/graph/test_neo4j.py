"""The server store answers on the server: read commands never download the graph, paths
are found within a depth bound, names are looked up through an index, several ingesters
write at once. Against FalkorDB's Bolt listener (tests/graph/conftest.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import memory_store
from graph.model import Kind, RelationType, Status
from graph.neo4j import Neo4jStore
from loaders.pipeline import extract_file
from queries.between import between
from queries.catalog import agreements, projects
from queries.lookup import lookup
from queries.network import brokers, communities, matrix
from queries.partners import partners
from queries.profile import evidence_between, profile
from tests.conftest import CLEAN, OCR
from tests.helpers import entity, extraction

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def examples():
    return [extract_file(CLEAN), extract_file(OCR)]


@pytest.fixture
def server(falkordb_uri):
    store = Neo4jStore(falkordb_uri, dialect="falkordb")
    store.clear()
    yield store
    store.close()


class WholeGraphRead(AssertionError):
    pass


def _forbid_whole_graph_reads(store: Neo4jStore, monkeypatch) -> None:
    """Every read that downloads the whole graph (records with evidence) fails the test."""
    def refuse(*_, **__):
        raise WholeGraphRead("a read command downloaded the whole graph")

    for method in ("snapshot", "dump", "to_networkx", "entities"):
        monkeypatch.setattr(store, method, refuse)
    relations = store.relations

    def relations_of_one(entity=None, types=None, statuses=None, evidence=True):
        if entity is None and evidence:
            refuse()
        return relations(entity, types, statuses, evidence)

    monkeypatch.setattr(store, "relations", relations_of_one)


def test_read_commands_answer_on_the_server_as_the_embedded_store_does(server, examples, monkeypatch):
    for x in examples:
        server.add(x)
    reference = memory_store(examples)
    _forbid_whole_graph_reads(server, monkeypatch)
    for actor in ["polisregion-stockholm", "kriminalvarden", "lokalpolisomrade-rinkeby"]:
        for quotes in (None, 0, 2):
            assert partners(server, actor, quotes=quotes) == partners(reference, actor, quotes=quotes)
            assert profile(server, actor, quotes=quotes, documents=20) == profile(
                reference, actor, quotes=quotes, documents=20)
        assert server.subgraph([actor], depth=2).edges(keys=True) == reference.subgraph([actor], depth=2).edges(
            keys=True)
    for a, b in [("kriminalvarden", "polisregion-stockholm"), ("lokalpolisomrade-rinkeby", "kriminalvarden")]:
        assert between(server, a, b) == between(reference, a, b)
        assert evidence_between(server, a, b) == evidence_between(reference, a, b)
    assert agreements(server) == agreements(reference)
    assert projects(server) == projects(reference)
    assert lookup(server, "POLISREGION STOCKHOLMS") == lookup(reference, "POLISREGION STOCKHOLMS")
    assert server.stats() == reference.stats()


def test_one_actors_relations_and_their_evidence_as_the_embedded_store_gives_them(server, examples):
    """relations(entity) in one undirected match (ends from startNode/endNode), and
    relation_evidence / evidence_summary reading relations and evidence in one query each:
    per actor, filtered or not, the same records as the embedded store."""
    for x in examples:
        server.add(x)
    reference = memory_store(examples)
    filters = [(None, None), ([RelationType.PARTY_TO, RelationType.PARTICIPATES_IN], None),
               ([RelationType.COLLABORATES_WITH], [Status.existing, Status.planned]), (None, [Status.ended])]
    for e in reference.entities(evidence=False):
        for types, statuses in filters:
            for evidence in (False, True):
                assert server.relations(e.id, types, statuses, evidence) == reference.relations(
                    e.id, types, statuses, evidence), (e.id, types, statuses, evidence)
        ids = [r.id for r in reference.relations(e.id, evidence=False)] + ["rel-none"]
        assert server.relation_evidence(ids) == reference.relation_evidence(ids)
        for quotes in (0, 2):
            assert server.evidence_summary(ids, quotes) == reference.evidence_summary(ids, quotes)
    assert server.relations("no-such-body") == [] and server.relation_evidence(["rel-none"]) == {}
    assert server.evidence_summary([], 2) == {} and server.relation_evidence([]) == {}


def test_whole_graph_analytics_read_no_evidence(server, examples, monkeypatch):
    for x in examples:
        server.add(x)
    reference = memory_store(examples)
    _forbid_whole_graph_reads(server, monkeypatch)
    monkeypatch.setattr(server, "relation_evidence", lambda *_: pytest.fail("evidence read for analytics"))
    assert not server.gds()  # FalkorDB has no Graph Data Science plugin: computed here
    assert brokers(server) == brokers(reference)
    assert communities(server) == communities(reference)
    assert matrix(server) == matrix(reference)


def _chain() -> list:
    """Two routes of two steps from Tullverket to Kustbevakningen, one of three, and an
    unconnected body: paths, not direct ties, are what between finds."""
    bodies = ["Tullverket", "Kustbevakningen", "Polisregion Syd", "Polisregion Väst", "Sjöfartsverket",
              "Skatteverket", "Försäkringskassan"]
    ties = [("Tullverket", "Polisregion Syd"), ("Polisregion Syd", "Kustbevakningen"),
            ("Tullverket", "Polisregion Väst"), ("Kustbevakningen", "Polisregion Väst"),
            ("Tullverket", "Sjöfartsverket"), ("Sjöfartsverket", "Skatteverket"), ("Skatteverket", "Kustbevakningen")]
    return [extraction("kedjan", "kedja.txt", [entity(b, Kind.agency) for b in bodies],
                       [(a, b, RelationType.COLLABORATES_WITH, Status.existing, f"{a} samverkar med {b}.")
                        for a, b in ties])]


def test_paths_between_actors_without_a_direct_tie(server):
    records = _chain()
    for x in records:
        server.add(x)
    reference = memory_store(records)
    found = between(server, "tullverket", "kustbevakningen")
    assert [[s.id for s in p] for p in found.paths] == [
        ["tullverket", "polisregion-syd", "kustbevakningen"], ["tullverket", "polisregion-vast", "kustbevakningen"]]
    expected = between(reference, "tullverket", "kustbevakningen")
    assert sorted(map(tuple, ([s.id for s in p] for p in expected.paths))) == [
        tuple(s.id for s in p) for p in found.paths]
    assert server.shortest_paths("sjofartsverket", "polisregion-syd") == [
        ["sjofartsverket", "tullverket", "polisregion-syd"]]
    assert server.shortest_paths("skatteverket", "polisregion-syd", max_paths=5) == [
        ["skatteverket", "kustbevakningen", "polisregion-syd"]]
    assert server.shortest_paths("tullverket", "forsakringskassan") == []
    assert server.shortest_paths("tullverket", "kustbevakningen", depth=1) == []
    assert server.shortest_paths("tullverket", "no-such-body") == []


def test_find_uses_folded_names_and_aliases(server):
    x = extraction("namn", "namn.txt", [entity("Polisregion Stockholm", Kind.police_unit, aliases=("RPS",)),
                                        entity("Socialförvaltningen", Kind.administration)],
                   [("Polisregion Stockholm", "Socialförvaltningen", RelationType.COLLABORATES_WITH, Status.existing,
                     "Polisregion Stockholm samverkar med Socialförvaltningen.")])
    server.add(x)
    reference = memory_store([x])
    for typed in ("polisregion stockholm", "POLISREGION STOCKHOLMS", "rps", "Socialforvaltningen", "Socialförvaltnigen",
                  "Ingen alls"):
        assert server.find(typed) == reference.find(typed)
        assert server.find(typed, evidence=False) == reference.find(typed, evidence=False)
    assert server.find("rps")[0].how == "alias"


def test_a_graph_written_before_name_nodes_is_brought_up_to_date(falkordb_uri, server, examples):
    for x in examples:
        server.add(x)
    summary = server.evidence_summary([r.id for r in server.relations(entity="kriminalvarden", evidence=False)], 2)
    names = "MATCH (n:Name) RETURN count(n) AS n"
    (written,) = server._read(names)
    assert written["n"] > len(server.names())  # names, labels and aliases
    for statement in ("MATCH (n:Name) DELETE n", "MATCH (s:Samverkan) DELETE s",
                      "MATCH (v:Evidence) REMOVE v.length"):
        server._write(statement)
    assert server._read(names) == [{"n": 0}]
    reopened = Neo4jStore(falkordb_uri, dialect="falkordb")
    try:
        assert reopened._read(names) == [written]
        assert [(m.entity.id, m.how) for m in reopened.find("Kriminalvården")] == [("kriminalvarden", "exact")]
        assert reopened.evidence_summary(list(summary), 2) == summary
    finally:
        reopened.close()


def test_a_graph_at_the_current_schema_opens_with_one_read(falkordb_uri, server, examples, monkeypatch):
    """Every command opens a store: the indexes are created once per graph (and again when
    SCHEMA_VERSION rises), not at every open. A graph at version 2 gets the indexes and the
    new version, without its Name nodes read again."""
    from graph.neo4j import DIALECT, SCHEMA_VERSION

    server.add(examples[0])
    probes = "MATCH (p:Probe) RETURN count(p) AS n"
    monkeypatch.setitem(DIALECT["falkordb"], "schema", ["MERGE (:Probe {id: 'created'})"])
    try:
        Neo4jStore(falkordb_uri, dialect="falkordb").close()
        assert server._read(probes) == [{"n": 0}]
        server._write("MATCH (s:Samverkan {id: 'schema'}) SET s.version = 2")
        server._write("MATCH (n:Name) WITH n LIMIT 1 DELETE n")  # not put back: Name nodes are not rewritten
        names = server._read("MATCH (n:Name) RETURN count(n) AS n")
        Neo4jStore(falkordb_uri, dialect="falkordb").close()
        assert server._read(probes) == [{"n": 1}]
        assert server._read("MATCH (s:Samverkan {id: 'schema'}) RETURN s.version AS v") == [{"v": SCHEMA_VERSION}]
        assert server._read("MATCH (n:Name) RETURN count(n) AS n") == names
    finally:
        server._write("MATCH (p:Probe) DELETE p")


def test_two_ingest_processes_at_once_land_in_full_and_merge_the_shared_document(server, tmp_path):
    """Different documents from each, and one document from both: all of it once."""
    shared = tmp_path / "delad.txt"
    shared.write_text("Region Uppsala och Uppsala kommun samverkar kring trygghet. "
                      "Polisregion Mitt deltar i samverkan med Uppsala kommun.", encoding="utf-8")
    env = {**os.environ, "NEO4J_DIALECT": "falkordb", "PYTHONPATH": str(ROOT)}
    env.pop("NEO4J_URI", None)
    script = "import sys; from samverkan import app; sys.argv[0] = 'samverkan'; app()"
    running = [subprocess.Popen([sys.executable, "-c", script, "ingest", str(own), str(shared), "--neo4j", server.uri],
                                env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
               for own in (CLEAN, OCR)]
    for process in running:
        output, _ = process.communicate(timeout=600)
        assert process.returncode == 0, output
    reference = memory_store([extract_file(CLEAN), extract_file(OCR), extract_file(shared)])
    assert server.dump() == reference.dump()
    assert len(server.documents()) == 3


def test_an_ingest_retried_after_a_transient_error_writes_once(server, examples, monkeypatch):
    from neo4j.exceptions import TransientError

    failures = iter([TransientError("deadlock"), TransientError("deadlock")])
    real = server._add

    def flaky(x):
        real(x)  # the first writes land, then the transaction fails: the retry must merge, not duplicate
        error = next(failures, None)
        if error is not None:
            raise error

    monkeypatch.setattr(server, "_add", flaky)
    server.add(examples[0])
    assert server.dump() == memory_store(examples[:1]).dump()

