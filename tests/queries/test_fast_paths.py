"""The SQLite store's fast paths answer as the JSON store's record-by-record reads do.

Whole-graph views from tie rows, agreements with their sources counted in one query, the
map read with only the quotes it shows, search ordered from the index's ranks: each is
checked here against the JSON store (or the SQLite store's full records) on the same
graph, a generated one with agreements and projects, several quotes per tie, repeated
spans read by two rules, ties of equal sentence length and weak readings.
"""

from __future__ import annotations

import random

import pytest

from graph.memory import MemoryStore
from graph.model import (
    Document, Entity, Evidence, Extraction, Kind, RelationType, Status, document_id, make_relation, slug,
)
from graph.sqlite import SQLiteStore
from queries.catalog import agreements, projects, vehicles
from queries.graphs import actor_graph, cooperation_graph
from queries.network import brokers, communities, matrix

ACTORS = [(f"Aktör {i:02d}", [Kind.municipality, Kind.agency, Kind.police_unit, Kind.region][i % 4]) for i in range(30)]
VEHICLES = [(f"Avtal {i}", Kind.agreement) for i in range(6)] + [(f"Projekt {i}", Kind.project) for i in range(4)]
STATUSES = [Status.existing, Status.existing, Status.planned, Status.proposed, Status.ended]


def _document(number: int) -> Extraction:
    rng = random.Random(number)
    text = f"Dokument {number}"
    doc = Document(id=document_id(text), source=f"d/{number:03d}.txt", title=text, length=5000)

    def quote(sentence: str, at: int, rule: str = "r1", confidence: float = 1.0) -> Evidence:
        return Evidence(document=doc.id, section=f"Avsnitt {at % 3}", sentence=sentence, start=at,
                        end=at + len(sentence), rule=rule, confidence=confidence)

    chosen = rng.sample(ACTORS, 8) + rng.sample(VEHICLES, 2)
    entities = [Entity(id=slug(name), name=name, kind=kind, evidence=[quote(f"{name} nämns här.", 7 * i),
                                                                      quote(f"{name}.", 3000 + i)])
                for i, (name, kind) in enumerate(chosen)]
    relations: dict[str, object] = {}

    def tie(a: str, b: str, rel_type: RelationType, status: Status, n: int, via: str | None = None) -> None:
        # Sentences of few lengths (ties in quote order), some spans read by two rules.
        sentence = f"{a} och {b} samverkar" + "." * rng.randint(1, 3)
        evidence = [quote(sentence, 100 * n, "r1", rng.choice([1.0, 0.9, 0.6]))]
        if rng.random() < 0.3:
            evidence.append(quote(sentence, 100 * n, "r2", 0.5))
        rel = make_relation(slug(a), slug(b), rel_type, status, evidence, via=via,
                            since=str(rng.randint(2015, 2024)) if rng.random() < 0.5 else None)
        if rel.id in relations:
            relations[rel.id].evidence.extend(rel.evidence)
        else:
            relations[rel.id] = rel

    actors = [name for name, _ in chosen[:8]]
    for n in range(12):
        a, b = rng.sample(actors, 2)
        tie(a, b, RelationType.COLLABORATES_WITH, rng.choice(STATUSES), n)
    for k, (vehicle, kind) in enumerate(chosen[8:]):
        members = rng.sample(actors, 3)
        membership = RelationType.PARTY_TO if kind is Kind.agreement else RelationType.PARTICIPATES_IN
        status = rng.choice(STATUSES)
        for m, member in enumerate(members):
            tie(member, vehicle, membership, status, 20 + 5 * k + m)
        tie(members[0], members[1], RelationType.COLLABORATES_WITH, status, 40 + k, via=slug(vehicle))
    return Extraction(document=doc, entities=entities, relations=list(relations.values()))


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    extractions = [_document(n) for n in range(40)]
    memory, sqlite = MemoryStore(), SQLiteStore(tmp_path_factory.mktemp("fast") / "g.sqlite")
    for x in extractions:
        memory.add(x)
        sqlite.add(x)
    yield memory, sqlite
    sqlite.close()


def _shape(graph) -> tuple:
    """Nodes with their data and each node's neighbours in networkx's own order."""
    return (list(graph.nodes(data=True)), [(n, list(graph.adj[n].items())) for n in graph])


@pytest.mark.parametrize("statuses, min_confidence", [(None, 0.0), ([Status.existing], 0.0), (None, 0.8)])
def test_whole_graph_views_are_the_json_stores_in_the_same_order(stores, statuses, min_confidence):
    memory, sqlite = stores
    assert _shape(cooperation_graph(sqlite, statuses, min_confidence)) == \
        _shape(cooperation_graph(memory, statuses, min_confidence))
    assert _shape(actor_graph(sqlite, statuses, min_confidence)) == _shape(actor_graph(memory, statuses, min_confidence))
    assert matrix(sqlite, statuses=statuses, min_confidence=min_confidence) == \
        matrix(memory, statuses=statuses, min_confidence=min_confidence)


def test_brokers_and_communities_are_the_json_stores(stores):
    memory, sqlite = stores
    assert brokers(sqlite) == brokers(memory)
    assert communities(sqlite) == communities(memory)
    assert communities(sqlite, [Status.existing]) == communities(memory, [Status.existing])


def test_tie_rows_are_relations_with_their_document_counts_and_confidence(stores):
    _, sqlite = stores
    relations = sqlite.relations()
    assert sqlite.tie_rows() == [(r.id, r.source, r.target, len({e.document for e in r.evidence}),
                                  max(e.confidence for e in r.evidence)) for r in relations]


def test_actors_are_the_json_stores(stores):
    from queries.actors import actors

    memory, sqlite = stores
    assert actors(sqlite) == actors(memory)
    assert actors(sqlite, [Kind.agreement, Kind.police_unit]) == actors(memory, [Kind.agreement, Kind.police_unit])


@pytest.mark.parametrize("read_all_above", [0, 10_000])
def test_agreements_and_projects_are_the_json_stores(stores, read_all_above, monkeypatch):
    import queries.catalog

    monkeypatch.setattr(queries.catalog, "_READ_ALL_ABOVE", read_all_above)  # every vehicle read at once, or one by one
    memory, sqlite = stores
    assert agreements(sqlite) == agreements(memory)
    assert projects(sqlite) == projects(memory)
    some = [slug(name) for name, _ in VEHICLES[::3]] + ["finns-inte", slug(ACTORS[0][0])]
    assert vehicles(sqlite, [Kind.agreement, Kind.project], ids=some) == \
        vehicles(memory, [Kind.agreement, Kind.project], ids=some)


@pytest.mark.parametrize("read_all_above", [0, 10_000])
def test_vehicle_rows_are_the_record_by_record_reads(stores, read_all_above, monkeypatch):
    """SQLite's vehicle_rows (three queries) against the same store read as records."""
    import queries.catalog

    _, sqlite = stores
    fast = agreements(sqlite), projects(sqlite), vehicles(sqlite, [Kind.agreement, Kind.project, Kind.municipality])
    monkeypatch.setattr(queries.catalog, "_READ_ALL_ABOVE", read_all_above)
    monkeypatch.setattr(SQLiteStore, "vehicle_rows", property(lambda self: (_ for _ in ()).throw(AttributeError)))
    assert not hasattr(sqlite, "vehicle_rows")
    assert fast == (agreements(sqlite), projects(sqlite),
                    vehicles(sqlite, [Kind.agreement, Kind.project, Kind.municipality]))
    assert any(row.parties for row in fast[0]) and any(row.sources for row in fast[1])


def test_sources_many_counts_each_group_as_sources(stores):
    _, sqlite = stores
    vehicle = slug(VEHICLES[0][0])
    members = [r.id for r in sqlite.relations(entity=vehicle)]
    groups = {"v": ([vehicle], members), "r": ([], members[:1]), "e": ([slug(ACTORS[1][0])], []), "none": ([], []),
              "unknown": (["finns-inte"], ["finns-inte-heller"])}
    assert sqlite.sources_many(groups) == {k: sqlite.sources(*group) for k, group in groups.items()}


def test_quote_digest_is_best_quotes_documents_and_confidence(stores):
    from graph.store import best_quotes

    _, sqlite = stores
    for owners, records in (("entities", sqlite.entities()), ("relations", sqlite.relations())):
        digest = sqlite.quote_digest(owners, 3)
        assert set(digest) == {r.id for r in records if r.evidence}
        for record in records:
            if record.evidence:
                documents, best, top = digest[record.id]
                assert documents == {e.document for e in record.evidence}
                assert top == max(e.confidence for e in record.evidence)
                assert [tuple(b) for b in best] == [
                    (e.document, e.section, e.sentence, e.start, e.end, e.rule, e.confidence)
                    for e in best_quotes(record.evidence, 3)]
        some = [r.id for r in records[::5]]
        assert sqlite.quote_digest(owners, 2, some) == {
            i: (documents, best[:2], top) for i, (documents, best, top) in digest.items() if i in some}


@pytest.mark.parametrize("options", [
    {}, {"statuses": {Status.existing}}, {"min_confidence": 0.8}, {"isolated": True},
    {"focus": "aktor-03", "depth": 1}, {"focus": "aktor-03", "depth": 2, "statuses": {Status.planned}},
])
def test_the_map_read_with_only_its_quotes_is_the_map_of_every_quote(stores, options):
    from queries.documents import document_names
    from viz.render import load, page, quoted_documents, select

    memory, sqlite = stores
    light = load(sqlite, options.get("focus"), options.get("depth", 1), options.get("statuses"),
                 options.get("isolated", False), options.get("min_confidence", 0.0))
    focus = options.get("focus")
    full = sqlite.subgraph([focus], depth=options["depth"]) if focus else sqlite.to_networkx()
    full = select(full, options.get("statuses"), options.get("isolated", False), options.get("min_confidence", 0.0))
    assert list(light.nodes) == list(full.nodes) and list(light.edges(keys=True)) == list(full.edges(keys=True))
    names = document_names(sqlite.documents())
    assert page(light, document_names(sqlite.documents(quoted_documents(light)))) == page(full, names)
    # The JSON store's graph holds its nodes in another order; it has the same nodes and ties.
    reference = load(memory, focus, options.get("depth", 1), options.get("statuses"),
                     options.get("isolated", False), options.get("min_confidence", 0.0))
    assert sorted(reference.nodes) == sorted(light.nodes)
    assert sorted(reference.edges(keys=True)) == sorted(light.edges(keys=True))


@pytest.mark.parametrize("words, limit", [("samverkar", 5), ("samverkar", 300), ("Aktör 03", 7), ("nämns", 1),
                                          ("nämns", 10_000), ("samverkar", 0),
                                          ("finns inte", 5)])
def test_search_orders_by_rank_document_and_id_as_one_query_did(stores, words, limit):
    from graph.sqlite import fts_query

    _, sqlite = stores
    expected = sqlite._reader().execute(
        "SELECT q.id, q.document, q.section, q.sentence, d.source FROM quotes_fts "
        "JOIN quotes q ON q.id = quotes_fts.rowid LEFT JOIN documents d ON d.id = q.document "
        "WHERE quotes_fts MATCH ? ORDER BY rank, q.document, q.id LIMIT ?", (fts_query(words), limit)).fetchall()
    hits = sqlite.search(words, limit)
    assert [(h.document, h.section, h.sentence) for h in hits] == [(d, s, t) for _, d, s, t, _ in expected]


def test_network_answers_from_ties_are_those_from_the_networkx_graph(stores):
    """brokers, communities and matrix read Ties; the same questions asked of the networkx
    graph (as they were asked before) give the same answers, in the same order."""
    from queries.network import Broker, Community, Matrix, betweenness, louvain

    _, sqlite = stores
    graph = actor_graph(sqlite)
    scores = betweenness(graph)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], graph.nodes[kv[0]]["name"]))
    assert brokers(sqlite, top=50) == [
        Broker(id=n, name=graph.nodes[n]["name"], kind=Kind(graph.nodes[n]["kind"]), betweenness=round(s, 6),
               partners=graph.degree(n)) for n, s in ranked[:50] if s > 0]
    graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
    ordered = sorted((sorted(g, key=lambda n: graph.nodes[n]["name"]) for g in louvain(graph) if len(g) >= 2),
                     key=lambda g: (-len(g), graph.nodes[g[0]]["name"]))
    assert communities(sqlite) == [Community(number=i, size=len(g), members=[graph.nodes[n]["name"] for n in g], ids=g)
                                   for i, g in enumerate(ordered, start=1)]
    graph = actor_graph(sqlite)
    ids = sorted((n for n in graph.nodes if graph.degree(n)), key=lambda n: graph.nodes[n]["name"])
    index = {n: i for i, n in enumerate(ids)}
    cells = [[0] * len(ids) for _ in ids]
    for u, v, data in graph.edges(data=True):
        cells[index[u]][index[v]] = cells[index[v]][index[u]] = data["weight"]
    assert matrix(sqlite) == Matrix(ids=ids, names=[graph.nodes[n]["name"] for n in ids], cells=cells)


@pytest.mark.parametrize("quotes", [0, 1, 2, 6])
def test_evidence_summaries_are_the_json_stores(stores, quotes):
    memory, sqlite = stores
    ids = [r.id for r in memory.relations()] + ["finns-inte"]
    assert sqlite.evidence_summary(ids, quotes) == memory.evidence_summary(ids, quotes)


def test_shortest_paths_are_networkxs_in_its_order(stores):
    import networkx as nx

    from queries.graphs import all_shortest_paths

    memory, sqlite = stores
    graph = cooperation_graph(sqlite)
    nodes = sorted(graph.nodes)
    pairs = [(a, b) for a in nodes[::4] for b in nodes[1::5]] + [(nodes[0], nodes[0]), (nodes[0], "finns-inte")]
    for a, b in pairs:
        try:
            expected = list(nx.all_shortest_paths(graph, a, b))
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            expected = []
        assert list(all_shortest_paths(sqlite, a, b)) == expected
        assert list(all_shortest_paths(memory, a, b)) == expected


def test_a_path_search_between_actors_without_a_shared_tie_is_the_json_stores(stores):
    from queries.between import between

    memory, sqlite = stores
    actors = [slug(name) for name, _ in ACTORS]
    for a, b in [(actors[0], actors[29]), (actors[5], actors[17]), (actors[11], actors[2])]:
        assert between(sqlite, a, b) == between(memory, a, b)


@pytest.mark.parametrize("rows_per_span", [1, 4])
def test_a_few_owners_digested_one_by_one_are_the_one_sorted_read(stores, monkeypatch, rows_per_span):
    """_digest_few (a body's ties, each owner's best spans by its own query) gives what the
    sorted read of every row gives; with one row read per span, owners whose best spans
    were read by two rules are read again whole."""
    import graph.sqlite

    _, sqlite = stores
    ids = [r.id for r in sqlite.relations()]
    monkeypatch.setattr(graph.sqlite, "_ROWS_PER_SPAN", rows_per_span)
    few = {quotes: sqlite.quote_digest("relations", quotes, ids) for quotes in (0, 1, 2, 5)}
    summaries = {quotes: sqlite.evidence_summary(ids, quotes) for quotes in (0, 1, 2, 5)}
    monkeypatch.setattr(graph.sqlite, "_FEW_OWNERS", 0)
    for quotes in (0, 1, 2, 5):
        assert few[quotes] == sqlite.quote_digest("relations", quotes, ids)
        assert list(few[quotes]) == list(sqlite.quote_digest("relations", quotes, ids))
        assert summaries[quotes] == sqlite.evidence_summary(ids, quotes)


def test_documents_whose_id_holds_the_separator_are_read_row_by_row(tmp_path):
    """_owner_documents joins each owner's documents with U+001F; an id holding it is not split."""
    odd = Document(id="doc\x1fdelad", source="d/udda.txt", title="Udda", length=100)
    plain = Document(id="doc-vanlig", source="d/vanlig.txt", title="Vanlig", length=100)
    memory, sqlite = MemoryStore(), SQLiteStore(tmp_path / "udda.sqlite")
    for doc in (odd, plain):
        sentence = "Alby kommun samverkar med Polisen."
        evidence = [Evidence(document=doc.id, section="A", sentence=sentence, start=0, end=len(sentence), rule="r1",
                             confidence=0.9)]
        entities = [Entity(id=slug(n), name=n, kind=Kind.agency, evidence=evidence) for n in ("Alby kommun", "Polisen")]
        rel = make_relation(slug("Alby kommun"), slug("Polisen"), RelationType.COLLABORATES_WITH, Status.existing,
                            evidence)
        x = Extraction(document=doc, entities=entities, relations=[rel])
        memory.add(x)
        sqlite.add(x)
    ids = [r.id for r in memory.relations()]
    for quotes in (0, 2):
        assert sqlite.evidence_summary(ids, quotes) == memory.evidence_summary(ids, quotes)
    assert sqlite.evidence_summary(ids, 0)[ids[0]].documents == {odd.id, plain.id}
    sqlite.close()
