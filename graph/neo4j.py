"""The shared server backend: the same Store contract, kept in Neo4j.

Writes are `UNWIND $rows ... MERGE` in batches inside one transaction per document,
idempotent (MERGE on ids, evidence merged on its key), with every value passed as a
parameter: no user text is ever spliced into Cypher. Reads take a consistent snapshot
of the graph into the embedded store's structures, so every query and view answers
exactly as it does on a laptop.

Model: (:Document), (:Entity), [:REL {id, type, status, via, since}] between entities
(the relation type is a property: relationship types cannot be parameters), and
(:Evidence {key, owner, document, section, sentence, start, end, rule, confidence})
for the quotes of entities and relations alike.

The "falkordb" dialect stays within what FalkorDB's Bolt listener can do: it splices
parameters into the query text (so ', $ and \\ are escaped on the way in and restored on
the way out), it fails on messages over about 4 KB (small batches, long texts written in
pieces), it has no rollback and one graph whatever the database name.
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterable, Iterator, Optional

import networkx as nx

from graph.memory import FORMAT, MemoryStore, StoreError, StoreFile
from graph.model import Document, Entity, Evidence, Extraction, Relation, RelationType, Status, evidence_key
from graph.store import EntityName, EvidenceSummary, NameMatch, StoreStats

DIALECTS = ("neo4j", "falkordb")
DEFAULT_BATCH_BYTES = {"neo4j": 1_000_000, "falkordb": 1800}
_ESCAPES = [("%", "%25"), ("'", "%27"), ("$", "%24"), ("\\", "%5C")]

SCHEMA = {
    "neo4j": [
        "CREATE CONSTRAINT samverkan_entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE",
        "CREATE CONSTRAINT samverkan_document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE",
        "CREATE CONSTRAINT samverkan_evidence_key IF NOT EXISTS FOR (v:Evidence) REQUIRE v.key IS UNIQUE",
        "CREATE INDEX samverkan_evidence_owner IF NOT EXISTS FOR (v:Evidence) ON (v.owner)",
        "CREATE INDEX samverkan_evidence_document IF NOT EXISTS FOR (v:Evidence) ON (v.document)",
    ],
    # FalkorDB has neither IF NOT EXISTS nor named constraints; MERGE keeps ids unique.
    "falkordb": [
        "CREATE INDEX FOR (e:Entity) ON (e.id)",
        "CREATE INDEX FOR (d:Document) ON (d.id)",
        "CREATE INDEX FOR (v:Evidence) ON (v.key)",
        "CREATE INDEX FOR (v:Evidence) ON (v.owner)",
    ],
}

PUT_DOCUMENT = """
UNWIND $rows AS row
MERGE (d:Document {id: row.id})
SET d.source = row.source, d.title = row.title, d.type = row.type, d.dnr = row.dnr,
    d.date = row.date, d.author = row.author, d.length = row.length
"""
PUT_ENTITIES = """
UNWIND $rows AS row
MERGE (e:Entity {id: row.id})
ON CREATE SET e.name = row.name, e.kind = row.kind, e.aliases = []
SET e.aliases = e.aliases + [a IN row.aliases WHERE NOT a IN e.aliases],
    e.parent = coalesce(e.parent, row.parent), e.attributes = row.attributes
"""
GET_ATTRIBUTES = "UNWIND $rows AS row MATCH (e:Entity {id: row.id}) RETURN e.id AS id, e.attributes AS attributes"
PUT_RELATIONS = """
UNWIND $rows AS row
MATCH (a:Entity {id: row.source}), (b:Entity {id: row.target})
MERGE (a)-[r:REL {id: row.id}]->(b)
ON CREATE SET r.type = row.type, r.status = row.status
SET r.via = coalesce(r.via, row.via),
    r.since = CASE WHEN r.since IS NULL THEN row.since WHEN row.since IS NULL THEN r.since
                   WHEN row.since < r.since THEN row.since ELSE r.since END
"""
PUT_EVIDENCE = """
UNWIND $rows AS row
MERGE (v:Evidence {key: row.key})
SET v.owner = row.owner, v.document = row.document, v.section = row.section, v.sentence = row.sentence,
    v.start = row.start, v.end = row.end, v.rule = row.rule, v.confidence = row.confidence
"""
APPEND_SENTENCE = "MATCH (v:Evidence {key: $key}) SET v.sentence = v.sentence + $piece"
FIND_SOURCE = "MATCH (d:Document {source: $source}) RETURN d.id AS id"


class Neo4jStore:
    """Store on a Neo4j server (or FalkorDB's Bolt listener, with dialect="falkordb")."""

    def __init__(
        self,
        uri: str,
        user: Optional[str] = None,
        password: Optional[str] = None,
        database: Optional[str] = None,
        dialect: Optional[str] = None,
        batch_rows: int = 500,
        batch_bytes: Optional[int] = None,
    ) -> None:
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, ConfigurationError, Neo4jError, ServiceUnavailable

        self.uri = uri
        self.dialect = (dialect or os.environ.get("NEO4J_DIALECT") or "neo4j").lower()
        if self.dialect not in DIALECTS:
            raise StoreError(f"unknown Neo4j dialect {self.dialect!r} (known: {', '.join(DIALECTS)})")
        self.database = database
        self.batch_rows = max(1, batch_rows)
        self.batch_bytes = batch_bytes or DEFAULT_BATCH_BYTES[self.dialect]
        self.path = uri  # what the CLI shows as where the graph lives
        auth = (user, password or "") if user else None
        # FalkorDB's listener fails the first handshake after any client has left; a short
        # timeout and a second try get past it (see the module docstring).
        timeout = 3 if self.dialect == "falkordb" else 15
        try:
            self._driver = GraphDatabase.driver(uri, auth=auth, connection_timeout=timeout,
                                                connection_acquisition_timeout=timeout, max_transaction_retry_time=5)
            self._retrying(self._driver.verify_connectivity)
        except AuthError as exc:
            self._close_quietly()
            raise StoreError(f"{uri}: the server refused the login for user {user!r} ({exc.message})") from exc
        except (ServiceUnavailable, OSError, ConfigurationError, ValueError) as exc:
            self._close_quietly()
            raise StoreError(f"{uri}: cannot reach the Neo4j server ({exc})") from exc
        except Neo4jError as exc:
            self._close_quietly()
            raise StoreError(f"{uri}: the server refused the connection ({exc.message})") from exc
        self._view: Optional[MemoryStore] = None
        self._schema()

    # -- plumbing --------------------------------------------------------------

    def _close_quietly(self) -> None:
        driver = getattr(self, "_driver", None)
        if driver is not None:
            try:
                driver.close()
            except Exception:  # the driver may not have connected at all
                pass

    def close(self) -> None:
        self._driver.close()

    def __enter__(self) -> "Neo4jStore":
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()

    def _retrying(self, action, *args, **kwargs):
        """Run an action, once more if FalkorDB dropped the handshake."""
        from neo4j.exceptions import ServiceUnavailable

        attempts = 3 if self.dialect == "falkordb" else 1
        for attempt in range(attempts):
            try:
                return action(*args, **kwargs)
            except ServiceUnavailable:
                if attempt == attempts - 1:
                    raise
        return None

    def _session(self):
        return self._driver.session(database=self.database) if self.database else self._driver.session()

    def _schema(self) -> None:
        from neo4j.exceptions import Neo4jError

        def create(statement: str) -> None:
            with self._session() as session:
                session.run(statement).consume()

        for statement in SCHEMA[self.dialect]:
            try:
                self._retrying(create, statement)
            except Neo4jError:
                pass  # already there (FalkorDB cannot say IF NOT EXISTS)

    def _out(self, value: Any) -> Any:
        """Values on their way to the server; FalkorDB's text splicing needs a few escapes."""
        if self.dialect != "falkordb":
            return value
        if isinstance(value, str):
            for raw, escaped in _ESCAPES:
                value = value.replace(raw, escaped)
            return value
        if isinstance(value, list):
            return [self._out(v) for v in value]
        if isinstance(value, dict):
            return {k: self._out(v) for k, v in value.items()}
        return value

    def _in(self, value: Any) -> Any:
        if self.dialect != "falkordb":
            return value
        if isinstance(value, str):
            for raw, escaped in reversed(_ESCAPES):
                value = value.replace(escaped, raw)
            return value
        if isinstance(value, list):
            return [self._in(v) for v in value]
        if isinstance(value, dict):
            return {k: self._in(v) for k, v in value.items()}
        return value

    def _batches(self, query: str, rows: list[dict]) -> Iterator[list[dict]]:
        """Rows in batches of at most batch_rows rows and batch_bytes bytes of message."""
        batch: list[dict] = []
        size = len(query.encode("utf-8")) + 64
        for row in rows:
            row_size = len(json.dumps(row, ensure_ascii=False).encode("utf-8")) + 8
            if batch and (len(batch) >= self.batch_rows or size + row_size > self.batch_bytes):
                yield batch
                batch, size = [], len(query.encode("utf-8")) + 64
            batch.append(row)
            size += row_size
        if batch:
            yield batch

    def _run(self, tx, query: str, rows: list[dict]) -> None:
        for batch in self._batches(query, rows):
            tx.run(query, rows=batch).consume()

    # -- writing ---------------------------------------------------------------

    def add(self, extraction: Extraction, owned: bool = False) -> None:
        from neo4j.exceptions import Neo4jError, ServiceUnavailable

        try:
            self._retrying(self._add, extraction)
        except ServiceUnavailable as exc:
            raise StoreError(f"{self.uri}: lost the connection to the server while writing ({exc})") from exc
        except Neo4jError as exc:
            raise StoreError(f"{self.uri}: the server refused a write ({exc.message})") from exc
        self._view = None

    def _add(self, extraction: Extraction) -> None:
        doc = extraction.document
        ids = {e.id for e in extraction.entities}
        outside = sorted({end for r in extraction.relations for end in (r.source, r.target)} - ids)
        with self._session() as session:
            # Ends not in this extraction must already be on the server; asked for directly,
            # not by reading the whole graph.
            known = {r["id"] for r in session.run(
                "UNWIND $ids AS id MATCH (e:Entity {id: id}) RETURN e.id AS id", ids=outside).data()} if outside else set()
            for end in outside:
                if end not in known:
                    raise StoreError(f"{self.uri}: a relation names unknown entity {end!r}")
            old = [r["id"] for r in session.run(FIND_SOURCE, source=self._out(doc.source)).data()
                   if r["id"] != doc.id]
            for old_id in old:
                self.remove_document(old_id)
            evidence, long_texts = self._evidence_rows(extraction)
            entity_rows = self._entity_rows(session, extraction.entities)
            with session.begin_transaction() as tx:
                self._run(tx, PUT_DOCUMENT, [self._out(_document_row(doc))])
                self._run(tx, PUT_ENTITIES, entity_rows)
                self._run(tx, PUT_RELATIONS, [self._out(_relation_row(r)) for r in extraction.relations])
                self._run(tx, PUT_EVIDENCE, evidence)
                for key, pieces in long_texts:
                    for piece in pieces:
                        tx.run(APPEND_SENTENCE, key=key, piece=piece).consume()
                tx.commit()

    def _entity_rows(self, session, entities: list[Entity]) -> list[dict]:
        """Entity rows whose attributes keep what the server has and add what is new,
        as the embedded store does (Cypher cannot merge two maps portably)."""
        rows = [self._out(_entity_row(e)) for e in entities]
        existing: dict[str, dict] = {}
        for batch in self._batches(GET_ATTRIBUTES, [{"id": e.id} for e in entities]):
            for record in session.run(GET_ATTRIBUTES, rows=batch).data():
                existing[record["id"]] = json.loads(self._in(record["attributes"]) or "{}")
        for row, entity in zip(rows, entities):
            merged = {**entity.attributes, **existing.get(entity.id, {})}
            row["attributes"] = self._out(json.dumps(merged, ensure_ascii=False, sort_keys=True))
        return rows

    def _evidence_rows(self, extraction: Extraction) -> tuple[list[dict], list[tuple[str, list[str]]]]:
        """Evidence rows; sentences too long for one message go in pieces after their row."""
        rows: list[dict] = []
        long_texts: list[tuple[str, list[str]]] = []
        piece = max(200, self.batch_bytes // 3)
        owners = [(e.id, e.evidence) for e in extraction.entities] + [(r.id, r.evidence) for r in extraction.relations]
        for owner, evidence in owners:
            for ev in evidence:
                row = self._out(_evidence_row(owner, ev))
                if len(row["sentence"].encode("utf-8")) > piece:
                    sentence = row["sentence"]
                    chunks = [sentence[i : i + piece // 2] for i in range(0, len(sentence), piece // 2)]
                    row["sentence"] = chunks[0]
                    long_texts.append((row["key"], chunks[1:]))
                rows.append(row)
        return rows, long_texts

    def remove_document(self, document_id: str) -> None:
        """Forget one document: its evidence goes, and so does every record left without any."""
        with self._session() as session:
            owners = [r["owner"] for r in session.run(
                "MATCH (v:Evidence {document: $doc}) RETURN DISTINCT v.owner AS owner", doc=document_id).data()]
            session.run("MATCH (v:Evidence {document: $doc}) DELETE v", doc=document_id).consume()
            session.run("MATCH (d:Document {id: $doc}) DELETE d", doc=document_id).consume()
            for batch in self._batches("x" * 300, [{"id": o} for o in owners]):
                ids = [row["id"] for row in batch]
                session.run(
                    "UNWIND $ids AS id MATCH ()-[r:REL {id: id}]->() OPTIONAL MATCH (v:Evidence {owner: id}) "
                    "WITH r, count(v) AS n WHERE n = 0 DELETE r", ids=ids).consume()
                session.run(
                    "UNWIND $ids AS id MATCH (e:Entity {id: id}) OPTIONAL MATCH (v:Evidence {owner: id}) "
                    "WITH e, count(v) AS n WHERE n = 0 OPTIONAL MATCH (e)-[r:REL]-() "
                    "WITH e, count(r) AS degree WHERE degree = 0 DELETE e", ids=ids).consume()
        self._view = None

    def clear(self) -> None:
        """Delete everything samverkan wrote (FalkorDB has one graph whatever the database name)."""
        def run() -> None:
            with self._session() as session:
                for label in ("Evidence", "Document", "Entity"):
                    session.run(f"MATCH (n:{label}) DETACH DELETE n").consume()

        self._retrying(run)
        self._view = None

    def save(self, path: Any = None) -> str:
        """Writes are already on the server; kept so the CLI can treat every store alike."""
        return self.uri

    # -- reading ---------------------------------------------------------------

    def snapshot(self) -> StoreFile:
        return self._retrying(self._snapshot)

    def _snapshot(self) -> StoreFile:
        with self._session() as session:
            documents = [Document.model_validate(self._in(r["p"])) for r in
                         session.run("MATCH (d:Document) RETURN properties(d) AS p").data()]
            evidence: dict[str, list[Evidence]] = {}
            for r in session.run("MATCH (v:Evidence) RETURN properties(v) AS p").data():
                p = self._in(r["p"])
                evidence.setdefault(p.pop("owner"), []).append(
                    Evidence(**{k: p[k] for k in ("document", "section", "sentence", "start", "end", "rule",
                                                  "confidence") if k in p and p[k] is not None}))
            entities = []
            for r in session.run("MATCH (e:Entity) RETURN properties(e) AS p").data():
                p = self._in(r["p"])
                p["attributes"] = json.loads(p.get("attributes") or "{}")
                p["aliases"] = sorted(p.get("aliases") or [])
                p["evidence"] = sorted(evidence.get(p["id"], []), key=evidence_key)
                entities.append(Entity.model_validate({k: v for k, v in p.items() if v is not None}))
            relations = []
            for r in session.run("MATCH (a:Entity)-[r:REL]->(b:Entity) "
                                 "RETURN a.id AS source, b.id AS target, properties(r) AS p").data():
                p = self._in(r["p"])
                p.update(source=r["source"], target=r["target"],
                         evidence=sorted(evidence.get(p["id"], []), key=evidence_key))
                relations.append(Relation.model_validate({k: v for k, v in p.items() if v is not None}))
        return StoreFile(format=FORMAT, documents=sorted(documents, key=lambda d: d.id),
                         entities=sorted(entities, key=lambda e: e.id), relations=sorted(relations, key=lambda r: r.id))

    def view(self) -> MemoryStore:
        """The graph as the embedded store holds it, read once per change."""
        if self._view is None:
            self._view = MemoryStore.from_snapshot(self.snapshot())
        return self._view

    def dump(self) -> dict:
        return self.view().dump()

    def entity(self, entity_id: str, evidence: bool = True) -> Optional[Entity]:
        return self.view().entity(entity_id, evidence)

    def entities(self, evidence: bool = True) -> list[Entity]:
        return self.view().entities(evidence)

    def names(self, ids: Optional[Iterable[str]] = None) -> dict[str, EntityName]:
        return self.view().names(ids)

    def children(self, parent: str) -> list[EntityName]:
        return self.view().children(parent)

    def mentions(self, entity_id: str) -> dict[str, int]:
        return self.view().mentions(entity_id)

    def documents(self, ids: Optional[Iterable[str]] = None) -> list[Document]:
        return self.view().documents(ids)

    def find(self, name: str, limit: int = 5, evidence: bool = True) -> list[NameMatch]:
        return self.view().find(name, limit, evidence)

    def relations(
        self,
        entity: Optional[str] = None,
        types: Optional[Iterable[RelationType]] = None,
        statuses: Optional[Iterable[Status]] = None,
        evidence: bool = True,
    ) -> list[Relation]:
        return self.view().relations(entity, types, statuses, evidence)

    def relation_evidence(self, ids: Iterable[str]) -> dict[str, list[Evidence]]:
        return self.view().relation_evidence(ids)

    def evidence_summary(self, ids: Iterable[str], quotes: int = 2) -> dict[str, EvidenceSummary]:
        return self.view().evidence_summary(ids, quotes)

    def sources(self, entities: Iterable[str] = (), relations: Iterable[str] = ()) -> int:
        return self.view().sources(entities, relations)

    def document_counts(self, ids: Iterable[str]) -> dict[str, int]:
        return self.view().document_counts(ids)

    def subgraph(self, ids: Iterable[str], depth: int = 1) -> nx.MultiDiGraph:
        return self.view().subgraph(ids, depth)

    def to_networkx(self) -> nx.MultiDiGraph:
        return self.view().to_networkx()

    def stats(self) -> StoreStats:
        return self.view().stats()


def _document_row(doc: Document) -> dict:
    return {"id": doc.id, "source": doc.source, "title": doc.title, "type": doc.type.value, "dnr": list(doc.dnr),
            "date": doc.date, "author": doc.author, "length": doc.length}


def _entity_row(entity: Entity) -> dict:
    return {"id": entity.id, "name": entity.name, "kind": entity.kind.value, "aliases": list(entity.aliases),
            "parent": entity.parent, "attributes": json.dumps(entity.attributes, ensure_ascii=False, sort_keys=True)}


def _relation_row(rel: Relation) -> dict:
    return {"id": rel.id, "source": rel.source, "target": rel.target, "type": rel.type.value,
            "status": rel.status.value, "via": rel.via, "since": rel.since}


def _evidence_row(owner: str, ev: Evidence) -> dict:
    key = "|".join([owner, ev.document, str(ev.start), str(ev.end), ev.rule])
    return {"key": key, "owner": owner, "document": ev.document, "section": ev.section, "sentence": ev.sentence,
            "start": ev.start, "end": ev.end, "rule": ev.rule, "confidence": ev.confidence}
