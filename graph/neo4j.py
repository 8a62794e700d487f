"""The shared server backend: the same Store contract, kept in Neo4j and answered there.

Writes are `UNWIND $rows ... MERGE` in batches inside one transaction per document,
idempotent (MERGE on ids, evidence merged on its key), with every value passed as a
parameter: no user text is ever spliced into Cypher. A document that fails on a transient
error (a deadlock between two ingesters, a dropped connection) is written again whole, so
several `samverkan ingest` processes can write to one server at once.

Reads are Cypher that reads only what the question needs, through indexes: one actor's
relations, these relations' evidence, the neighbourhood of a focus. Nothing downloads the
graph but the whole-graph reads (`entities()`, `relations()` without an actor, `to_networkx`,
`snapshot`/`dump`), which only whole-graph commands (export, brokers, communities, matrix,
view without --focus) call; those that only need the graph's shape read it without evidence.

Model: (:Document), (:Entity), [:REL {id, type, status, via, since}] between entities
(the relation type is a property: relationship types cannot be parameters),
(:Evidence {key, owner, document, section, sentence, start, end, length, rule, confidence})
for the quotes of entities and relations alike (`length`: the sentence's length, so best
quotes are chosen without reading sentences), and (:Name {key, entity, folded, how}): each
entity's case- and diacritic-folded name, label ("exact") and aliases ("alias"), indexed on
`folded`, which `find` looks up. (:Samverkan {id: "schema", version}) says which of these a
graph has; an older graph is brought up to date when opened.

Dialects (the one place where Neo4j 5 and the FalkorDB stand-in differ, see DIALECT):
FalkorDB's Bolt listener splices parameters into the query text (so ', $ and \\ are escaped
on the way in and restored on the way out), fails on messages over about 4 KB (small
batches, long texts written in pieces, long id lists read in chunks), has no rollback, one
graph whatever the database name, no IF NOT EXISTS, and finds shortest paths only along the
direction of relationships (so undirected paths are found by a breadth-first search from both
ends, one indexed query per step). Neo4j finds them with allShortestPaths. The Graph Data
Science plugin (gds.betweenness, gds.louvain) is looked for at run time, on Neo4j only.
"""

from __future__ import annotations

import json
import os
import random
import time
from typing import Any, Callable, Iterable, Iterator, Optional

import networkx as nx

from graph.memory import FORMAT, StoreError, StoreFile
from graph.model import (
    COOPERATION_TYPES, Document, Entity, Evidence, Extraction, Kind, Relation, RelationType, Status, evidence_key,
    fold,
)
from graph.names import _variants, find_in
from graph.review import Statement
from graph.store import EntityName, EvidenceSummary, NameMatch, StoreStats

DIALECTS = ("neo4j", "falkordb")
_ESCAPES = [("%", "%25"), ("'", "%27"), ("$", "%24"), ("\\", "%5C")]

#: What the graph on the server holds (the Samverkan schema node): 2 adds Name nodes and
#: Evidence.length; 3 says every index and constraint of DIALECT["schema"] (the Statement
#: index among them) was created. An older graph is brought up to date when a store opens
#: it; a graph at this version is opened with one read, so a new index in DIALECT["schema"]
#: needs this number raised, or graphs already at it never get the index.
SCHEMA_VERSION = 3

#: How many steps a path `between` looks for may have on the server (the embedded stores
#: search the whole graph; on a national graph an unbounded search could visit all of it).
PATH_DEPTH = 6

#: At most this many shortest paths are read before the first `max_paths` are chosen.
PATH_CANDIDATES = 200

#: Above this many ids, document_counts counts every relation's documents in one
#: aggregate (a whole-graph projection for brokers and communities) instead of id by id.
WHOLE_GRAPH_IDS = 2000

#: How long transient errors (deadlocks between writers, a leader switch, a dropped
#: connection) are retried for one document, in seconds.
RETRY_SECONDS = 30.0

DIALECT: dict[str, dict[str, Any]] = {
    "neo4j": {
        # Bytes of one message's rows: Neo4j takes large messages.
        "batch_bytes": 1_000_000,
        # Ids per read: a list parameter, any length, but not unbounded.
        "chunk_bytes": 400_000,
        "timeout": 15,
        "schema": [
            "CREATE CONSTRAINT samverkan_entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE",
            "CREATE CONSTRAINT samverkan_document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE",
            "CREATE CONSTRAINT samverkan_evidence_key IF NOT EXISTS FOR (v:Evidence) REQUIRE v.key IS UNIQUE",
            "CREATE CONSTRAINT samverkan_name_key IF NOT EXISTS FOR (n:Name) REQUIRE n.key IS UNIQUE",
            "CREATE INDEX samverkan_evidence_owner IF NOT EXISTS FOR (v:Evidence) ON (v.owner)",
            "CREATE INDEX samverkan_evidence_document IF NOT EXISTS FOR (v:Evidence) ON (v.document)",
            "CREATE INDEX samverkan_entity_parent IF NOT EXISTS FOR (e:Entity) ON (e.parent)",
            "CREATE INDEX samverkan_document_source IF NOT EXISTS FOR (d:Document) ON (d.source)",
            "CREATE INDEX samverkan_name_folded IF NOT EXISTS FOR (n:Name) ON (n.folded)",
            "CREATE INDEX samverkan_name_entity IF NOT EXISTS FOR (n:Name) ON (n.entity)",
            "CREATE INDEX samverkan_rel_id IF NOT EXISTS FOR ()-[r:REL]-() ON (r.id)",
            "CREATE CONSTRAINT samverkan_statement_id IF NOT EXISTS FOR (t:Statement) REQUIRE t.id IS UNIQUE",
        ],
        "paths": "allShortestPaths",
        "gds": True,
    },
    # FalkorDB has neither IF NOT EXISTS nor named constraints; MERGE keeps ids unique.
    "falkordb": {
        "batch_bytes": 1800,
        "chunk_bytes": 1800,
        "timeout": 3,
        "schema": [
            "CREATE INDEX FOR (e:Entity) ON (e.id)",
            "CREATE INDEX FOR (d:Document) ON (d.id)",
            "CREATE INDEX FOR (v:Evidence) ON (v.key)",
            "CREATE INDEX FOR (v:Evidence) ON (v.owner)",
            "CREATE INDEX FOR (v:Evidence) ON (v.document)",
            "CREATE INDEX FOR (e:Entity) ON (e.parent)",
            "CREATE INDEX FOR (d:Document) ON (d.source)",
            "CREATE INDEX FOR (n:Name) ON (n.key)",
            "CREATE INDEX FOR (n:Name) ON (n.folded)",
            "CREATE INDEX FOR (n:Name) ON (n.entity)",
            "CREATE INDEX FOR (s:Samverkan) ON (s.id)",
            "CREATE INDEX FOR (t:Statement) ON (t.id)",
            "CREATE INDEX FOR ()-[r:REL]-() ON (r.id)",
        ],
        "paths": "search",  # shortestPath() follows relationship direction only
        "gds": False,
    },
}
DEFAULT_BATCH_BYTES = {name: d["batch_bytes"] for name, d in DIALECT.items()}
SCHEMA = {name: d["schema"] for name, d in DIALECT.items()}

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
PUT_NAMES = """
UNWIND $rows AS row
MATCH (e:Entity {id: row.entity})
MERGE (n:Name {key: row.key})
SET n.entity = row.entity, n.folded = row.folded, n.how = row.how
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
# The sentence is written when the piece of evidence is created, never again: a second
# writer of the same document must not cut a long sentence back to its first piece.
PUT_EVIDENCE = """
UNWIND $rows AS row
MERGE (v:Evidence {key: row.key})
ON CREATE SET v.sentence = row.sentence, v.pieces = 0
SET v.owner = row.owner, v.document = row.document, v.section = row.section,
    v.start = row.start, v.end = row.end, v.length = row.length, v.rule = row.rule, v.confidence = row.confidence
"""
# Piece n of a long sentence is appended only after piece n - 1: two writers of one
# document append each piece once.
APPEND_SENTENCE = """
MATCH (v:Evidence {key: $key}) WHERE coalesce(v.pieces, 0) = $index
SET v.sentence = v.sentence + $piece, v.pieces = $index + 1
"""
FIND_SOURCE = "MATCH (d:Document {source: $source}) RETURN d.id AS id"

_ENTITY_FIELDS = "e.id AS id, e.name AS name, e.kind AS kind, e.aliases AS aliases, e.parent AS parent, " \
                 "e.attributes AS attributes"
_NAME_FIELDS = "e.id AS id, e.name AS name, e.kind AS kind, e.parent AS parent, e.attributes AS attributes"
_RELATION_FIELDS = "a.id AS source, b.id AS target, r.id AS id, r.type AS type, r.status AS status, " \
                   "r.via AS via, r.since AS since"
#: The relation fields of an undirected match, its ends read from the relationship itself.
_UNDIRECTED_FIELDS = "startNode(r).id AS source, endNode(r).id AS target, r.id AS id, r.type AS type, " \
                     "r.status AS status, r.via AS via, r.since AS since"
_EVIDENCE_FIELDS = "v.owner AS owner, v.document AS document, v.section AS section, v.sentence AS sentence, " \
                   "v.start AS start, v.end AS stop, v.rule AS rule, v.confidence AS confidence"

_KINDS = {k.value: k for k in Kind}
_TYPES = {t.value: t for t in RelationType}
_STATUSES = {s.value: s for s in Status}
_VEHICLES = [Kind.agreement.value, Kind.project.value, Kind.programme.value, Kind.group.value]


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
        self._dialect = DIALECT[self.dialect]
        self.database = database
        self.batch_rows = max(1, batch_rows)
        self.batch_bytes = batch_bytes or self._dialect["batch_bytes"]
        self.path = uri  # what the CLI shows as where the graph lives
        self._gds: Optional[bool] = None
        auth = (user, password or "") if user else None
        # FalkorDB's listener fails the first handshake after any client has left; a short
        # timeout and a second try get past it (see the module docstring).
        timeout = self._dialect["timeout"]
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

    def _retrying(self, action: Callable, *args: Any, **kwargs: Any) -> Any:
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

    def _transient(self, action: Callable, *args: Any) -> Any:
        """Run a write again, whole, while it fails on a transient error: a deadlock between
        two writers of the same records, a lost connection. The writes are idempotent."""
        from neo4j.exceptions import ServiceUnavailable, SessionExpired, TransientError

        deadline = time.monotonic() + RETRY_SECONDS
        pause = 0.05
        while True:
            try:
                return action(*args)
            except (TransientError, ServiceUnavailable, SessionExpired):
                if time.monotonic() > deadline:
                    raise
                time.sleep(pause * (1 + random.random()))
                pause = min(pause * 2, 1.0)

    def _session(self):
        return self._driver.session(database=self.database) if self.database else self._driver.session()

    def _schema(self) -> None:
        """Indexes and constraints, then an older graph brought up to date; a graph already at
        SCHEMA_VERSION had both done by the store that wrote it, so opening it is one read.
        (Every read command opens a store: creating thirteen indexes that are already there,
        each refused by FalkorDB, took 0.7 s of every command.)"""
        from neo4j.exceptions import Neo4jError

        found = self._read("MATCH (s:Samverkan {id: 'schema'}) RETURN s.version AS version")
        version = found[0]["version"] if found else None
        if version is not None and version >= SCHEMA_VERSION:
            return

        def create(statement: str) -> None:
            with self._session() as session:
                session.run(statement).consume()

        for statement in self._dialect["schema"]:
            try:
                self._retrying(create, statement)
            except Neo4jError:
                pass  # already there (FalkorDB cannot say IF NOT EXISTS)
        self._upgrade(version)

    def _upgrade(self, version: Optional[int]) -> None:
        """Bring a graph written by an older samverkan (schema `version`, None before the
        schema node) up to SCHEMA_VERSION: Name nodes for `find` and Evidence.length for best
        quotes (before 2). Idempotent; two processes may both run it."""
        if version is None and not self._read("MATCH (e:Entity) RETURN e.id AS id LIMIT 1"):
            self._write("MERGE (s:Samverkan {id: 'schema'}) SET s.version = $version", version=SCHEMA_VERSION)
            return
        if version is not None and version >= 2:  # only the indexes were missing: created above
            self._write("MERGE (s:Samverkan {id: 'schema'}) SET s.version = $version", version=SCHEMA_VERSION)
            return
        rows = []
        for r in self._read(f"MATCH (e:Entity) RETURN {_ENTITY_FIELDS}"):
            attributes = json.loads(r["attributes"] or "{}")
            rows += _name_rows(r["id"], r["name"], r["aliases"] or [], attributes)
        self._write_rows(PUT_NAMES, [self._out(row) for row in rows])
        while True:
            missing = self._read("MATCH (v:Evidence) WHERE v.length IS NULL RETURN v.key AS key, "
                                 "v.sentence AS sentence LIMIT 500")
            if not missing:
                break
            self._write_rows("UNWIND $rows AS row MATCH (v:Evidence {key: row.key}) SET v.length = row.length",
                             [{"key": self._out(r["key"]), "length": len(r["sentence"] or "")} for r in missing])
        self._write("MERGE (s:Samverkan {id: 'schema'}) SET s.version = $version", version=SCHEMA_VERSION)

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
        return _bounded(rows, len(query.encode("utf-8")) + 64, 8, self.batch_bytes, self.batch_rows)

    def _chunks(self, query: str, values: list) -> Iterator[list]:
        """Values of one list parameter in chunks that keep each message small enough."""
        return _bounded(values, len(query.encode("utf-8")) + 200, 4, self._dialect["chunk_bytes"])

    def _run(self, tx, query: str, rows: list[dict]) -> None:
        for batch in self._batches(query, rows):
            tx.run(query, rows=batch).consume()

    def _read(self, query: str, **params: Any) -> list[dict]:
        """One read query; parameters go out escaped and every value comes back restored."""
        def run() -> list[dict]:
            with self._session() as session:
                return session.run(query, **{k: self._out(v) for k, v in params.items()}).data()

        return [self._in(r) for r in self._retrying(run)]

    def _read_each(self, query: str, ids: Iterable[str], **params: Any) -> list[dict]:
        """A read over a list of ids (`$ids`), in as many messages as the dialect needs."""
        values = sorted(set(ids))
        if not values:
            return []
        out: list[dict] = []
        for chunk in self._chunks(query, [self._out(v) for v in values]):
            def run(chunk: list = chunk) -> list[dict]:
                with self._session() as session:
                    return session.run(query, ids=chunk, **{k: self._out(v) for k, v in params.items()}).data()

            out.extend(self._in(r) for r in self._retrying(run))
        return out

    def _write(self, query: str, **params: Any) -> None:
        def run() -> None:
            with self._session() as session:
                session.run(query, **{k: self._out(v) for k, v in params.items()}).consume()

        self._retrying(run)

    def _write_rows(self, query: str, rows: list[dict]) -> None:
        """Rows (already escaped) in batches, each its own transaction."""
        for batch in self._batches(query, rows):
            def run(batch: list = batch) -> None:
                with self._session() as session:
                    session.run(query, rows=batch).consume()

            self._retrying(run)

    # -- writing ---------------------------------------------------------------

    def add(self, extraction: Extraction, owned: bool = False) -> None:
        from neo4j.exceptions import Neo4jError, ServiceUnavailable

        try:
            self._transient(self._retrying, self._add, extraction)
        except ServiceUnavailable as exc:
            raise StoreError(f"{self.uri}: lost the connection to the server while writing ({exc})") from exc
        except Neo4jError as exc:
            raise StoreError(f"{self.uri}: the server refused a write ({exc.message})") from exc

    def _add(self, extraction: Extraction) -> None:
        doc = extraction.document
        ids = {e.id for e in extraction.entities}
        outside = sorted({end for r in extraction.relations for end in (r.source, r.target)} - ids)
        # Ends not in this extraction must already be on the server; asked for directly,
        # not by reading the whole graph.
        known = {r["id"] for r in self._read_each(
            "UNWIND $ids AS id MATCH (e:Entity {id: id}) RETURN e.id AS id", outside)}
        for end in outside:
            if end not in known:
                raise StoreError(f"{self.uri}: a relation names unknown entity {end!r}")
        old = [r["id"] for r in self._read(FIND_SOURCE, source=doc.source) if r["id"] != doc.id]
        for old_id in old:
            self.remove_document(old_id)
        with self._session() as session:
            evidence, long_texts = self._evidence_rows(extraction)
            entity_rows, name_rows = self._entity_rows(session, extraction.entities)
            with session.begin_transaction() as tx:
                self._run(tx, PUT_DOCUMENT, [self._out(_document_row(doc))])
                self._run(tx, PUT_ENTITIES, entity_rows)
                self._run(tx, PUT_NAMES, name_rows)
                self._run(tx, PUT_RELATIONS, [self._out(_relation_row(r)) for r in extraction.relations])
                self._run(tx, PUT_EVIDENCE, evidence)
                for key, pieces in long_texts:
                    for index, piece in enumerate(pieces):
                        tx.run(APPEND_SENTENCE, key=key, index=index, piece=piece).consume()
                tx.commit()

    def _entity_rows(self, session, entities: list[Entity]) -> tuple[list[dict], list[dict]]:
        """Entity rows whose attributes keep what the server has and add what is new,
        as the embedded store does (Cypher cannot merge two maps portably), and the rows
        of their folded names."""
        rows = [self._out(_entity_row(e)) for e in entities]
        names: list[dict] = []
        existing: dict[str, dict] = {}
        for batch in self._batches(GET_ATTRIBUTES, [{"id": self._out(e.id)} for e in entities]):
            for record in session.run(GET_ATTRIBUTES, rows=batch).data():
                existing[self._in(record["id"])] = json.loads(self._in(record["attributes"]) or "{}")
        for row, entity in zip(rows, entities):
            merged = {**entity.attributes, **existing.get(entity.id, {})}
            row["attributes"] = self._out(json.dumps(merged, ensure_ascii=False, sort_keys=True))
            names += [self._out(n) for n in _name_rows(entity.id, entity.name, entity.aliases, merged)]
        return rows, names

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
            doc = self._out(document_id)
            owners = [r["owner"] for r in session.run(
                "MATCH (v:Evidence {document: $doc}) RETURN DISTINCT v.owner AS owner", doc=doc).data()]
            session.run("MATCH (v:Evidence {document: $doc}) DELETE v", doc=doc).consume()
            session.run("MATCH (d:Document {id: $doc}) DELETE d", doc=doc).consume()
            for batch in self._batches("x" * 300, [{"id": o} for o in owners]):
                ids = [row["id"] for row in batch]
                session.run(
                    "UNWIND $ids AS id MATCH ()-[r:REL {id: id}]->() OPTIONAL MATCH (v:Evidence {owner: id}) "
                    "WITH r, count(v) AS n WHERE n = 0 DELETE r", ids=ids).consume()
                gone = [r["id"] for r in session.run(
                    "UNWIND $ids AS id MATCH (e:Entity {id: id}) OPTIONAL MATCH (v:Evidence {owner: id}) "
                    "WITH e, count(v) AS n WHERE n = 0 OPTIONAL MATCH (e)-[r:REL]-() "
                    "WITH e, count(r) AS degree WHERE degree = 0 RETURN e.id AS id", ids=ids).data()]
                if gone:
                    session.run("UNWIND $ids AS id MATCH (n:Name {entity: id}) DELETE n", ids=gone).consume()
                    session.run("UNWIND $ids AS id MATCH (e:Entity {id: id}) DELETE e", ids=gone).consume()

    # -- review statements -------------------------------------------------------
    # (:Statement {id, seq, record}): beside the graph, never applied to it (graph/reviewed.py);
    # `seq` keeps the order they were made in, `record` is the statement as JSON, written
    # in pieces small enough for FalkorDB's messages.

    def add_statement(self, statement: Statement) -> None:
        """Keep a statement; the same statement (same id) again changes nothing."""
        if self._read("MATCH (t:Statement {id: $id}) RETURN t.id AS id", id=statement.id):
            return
        record = statement.record()
        size = max(100, self._dialect["chunk_bytes"] // 8)
        pieces = [record[i:i + size] for i in range(0, len(record), size)]
        self._write("OPTIONAL MATCH (s:Statement) WITH coalesce(max(s.seq), 0) + 1 AS next "
                    "MERGE (t:Statement {id: $id}) ON CREATE SET t.seq = next, t.record = $piece, t.pieces = 1",
                    id=statement.id, piece=pieces[0])
        for index, piece in enumerate(pieces[1:], start=1):
            self._write("MATCH (t:Statement {id: $id}) WHERE t.pieces = $index "
                        "SET t.record = t.record + $piece, t.pieces = $index + 1",
                        id=statement.id, index=index, piece=piece)

    def statements(self) -> list[Statement]:
        """Every statement, in the order they were made."""
        rows = self._read("MATCH (t:Statement) RETURN t.seq AS seq, t.record AS record")
        return [Statement.from_record(r["record"]) for r in sorted(rows, key=lambda r: r["seq"])]

    def remove_statement(self, statement_id: str) -> bool:
        """Take a statement back; False when there is none with that id."""
        if not self._read("MATCH (t:Statement {id: $id}) RETURN t.id AS id", id=statement_id):
            return False
        self._write("MATCH (t:Statement {id: $id}) DELETE t", id=statement_id)
        return True

    def clear(self) -> None:
        """Delete everything samverkan wrote (FalkorDB has one graph whatever the database name)."""
        def run() -> None:
            with self._session() as session:
                for label in ("Evidence", "Document", "Name", "Entity", "Statement"):
                    session.run(f"MATCH (n:{label}) DETACH DELETE n").consume()

        self._retrying(run)

    def save(self, path: Any = None) -> str:
        """Writes are already on the server; kept so the CLI can treat every store alike."""
        return self.uri

    # -- reading one thing -------------------------------------------------------

    def is_empty(self) -> bool:
        """Whether the server has no entity, reading at most one."""
        return not self._read("MATCH (e:Entity) RETURN e.id AS id LIMIT 1")

    def entity(self, entity_id: str, evidence: bool = True) -> Optional[Entity]:
        found = self._entities_by_id([entity_id], evidence)
        return found[0] if found else None

    def names(self, ids: Optional[Iterable[str]] = None) -> dict[str, EntityName]:
        if ids is None:
            rows = self._read(f"MATCH (e:Entity) RETURN {_NAME_FIELDS}")
        else:
            rows = self._read_each(f"UNWIND $ids AS id MATCH (e:Entity {{id: id}}) RETURN {_NAME_FIELDS}", ids)
        return {r["id"]: _name(r) for r in sorted(rows, key=lambda r: r["id"])}

    def children(self, parent: str) -> list[EntityName]:
        rows = self._read(f"MATCH (e:Entity {{parent: $parent}}) RETURN {_NAME_FIELDS}", parent=parent)
        return [_name(r) for r in sorted(rows, key=lambda r: r["id"])]

    def mentions(self, entity_id: str) -> dict[str, int]:
        """Counted on the server: a body named in thousands of documents has as many pieces of evidence."""
        rows = self._read("MATCH (v:Evidence {owner: $id}) RETURN v.document AS document, count(*) AS n",
                          id=entity_id)
        return {r["document"]: r["n"] for r in rows}

    def entity_document_counts(self) -> dict[str, int]:
        """Per entity: how many documents its own evidence comes from, counted on the server."""
        rows = self._read("MATCH (e:Entity) OPTIONAL MATCH (v:Evidence {owner: e.id}) "
                          "RETURN e.id AS id, count(DISTINCT v.document) AS n")
        return {r["id"]: r["n"] for r in rows}

    def documents(self, ids: Optional[Iterable[str]] = None) -> list[Document]:
        if ids is None:
            rows = self._read("MATCH (d:Document) RETURN properties(d) AS p")
        else:
            rows = self._read_each("UNWIND $ids AS id MATCH (d:Document {id: id}) RETURN properties(d) AS p", ids)
        return sorted((Document.model_validate(r["p"]) for r in rows), key=lambda d: (d.source, d.id))

    def find(self, name: str, limit: int = 5, evidence: bool = True) -> list[NameMatch]:
        """Exact name or label, then alias, through the indexed folded names; only when
        neither matches are the names (without evidence) read for fuzzy matching."""
        rows = self._read_each("UNWIND $ids AS f MATCH (n:Name {folded: f}) RETURN DISTINCT n.entity AS id, "
                               "n.how AS how", _variants(name))
        for how in ("exact", "alias"):
            ids = sorted({r["id"] for r in rows if r["how"] == how})[:limit]
            if ids:
                return [NameMatch(entity=e, how=how, score=100.0) for e in self._entities_by_id(ids, evidence)]
        matches = find_in(self._entities_by_id(None, evidence=False), name, limit)
        if not evidence:
            return matches
        full = {e.id: e for e in self._entities_by_id([m.entity.id for m in matches], True)}
        return [m.model_copy(update={"entity": full[m.entity.id]}) for m in matches]

    def relations(
        self,
        entity: Optional[str] = None,
        types: Optional[Iterable[RelationType]] = None,
        statuses: Optional[Iterable[Status]] = None,
        evidence: bool = True,
    ) -> list[Relation]:
        """One actor's relations through its node, both directions in one undirected match
        (each end named by startNode/endNode), or every relation. partners asks this of
        every agreement an actor is party to: one round trip each, not two."""
        where, params = _relation_filter(types, statuses)
        if entity is None:
            rows = self._read(f"MATCH (a:Entity)-[r:REL]->(b:Entity) {where} RETURN {_RELATION_FIELDS}", **params)
        else:
            rows = self._read(f"MATCH (x:Entity {{id: $id}})-[r:REL]-(:Entity) {where} "
                              f"RETURN {_UNDIRECTED_FIELDS}", id=entity, **params)
        found = {r["id"]: r for r in rows}
        if not evidence:
            quotes = {}
        elif entity is None:  # every relation's evidence in one read, not id by id
            quotes = _by_owner(self._read(f"MATCH (a:Entity)-[r:REL]->(b:Entity) {where} "
                                          f"MATCH (v:Evidence {{owner: r.id}}) RETURN {_EVIDENCE_FIELDS}", **params))
        else:
            quotes = self._evidence_of(found)
        return [_relation(found[i], quotes.get(i, [])) for i in sorted(found)]

    def relation_evidence(self, ids: Iterable[str]) -> dict[str, list[Evidence]]:
        """The evidence of the relations among `ids`, read with the relations in one query."""
        rows = self._read_each(f"UNWIND $ids AS id MATCH ()-[r:REL {{id: id}}]->() "
                               f"OPTIONAL MATCH (v:Evidence {{owner: id}}) RETURN id AS relation, {_EVIDENCE_FIELDS}",
                               ids)
        found = _by_owner([r for r in rows if r["owner"] is not None])
        return {i: found.get(i, []) for i in sorted({r["relation"] for r in rows})}

    def evidence_summary(self, ids: Iterable[str], quotes: int = 2) -> dict[str, EvidenceSummary]:
        """Each relation's documents and its best `quotes` quotes (graph.store.best_quotes:
        one per span, the last rule by name, shortest sentence first), chosen from the evidence
        rows without their sentences, read with the relations in one query; only the winners'
        sentences are read."""
        rows = self._read_each(
            "UNWIND $ids AS id MATCH ()-[r:REL {id: id}]->() OPTIONAL MATCH (v:Evidence {owner: id}) "
            "RETURN id AS relation, v.owner AS owner, v.key AS key, v.document AS document, v.start AS start, "
            "v.end AS stop, v.rule AS rule, v.length AS length", ids)
        known = sorted({r["relation"] for r in rows})
        rows = [r for r in rows if r["owner"] is not None]
        documents: dict[str, set[str]] = {i: set() for i in known}
        spans: dict[str, dict[tuple, dict]] = {i: {} for i in known}
        for r in rows:
            documents[r["owner"]].add(r["document"])
            span = (r["document"], r["start"], r["stop"])
            kept = spans[r["owner"]].get(span)
            if kept is None or r["rule"] > kept["rule"]:
                spans[r["owner"]][span] = r
        best = {i: sorted(found.values(), key=lambda r: (r["length"], r["document"], r["start"], r["stop"]))[:quotes]
                for i, found in spans.items()} if quotes > 0 else {i: [] for i in known}
        keys = [r["key"] for chosen in best.values() for r in chosen]
        texts = {r["key"]: r for r in self._read_each(
            "UNWIND $ids AS k MATCH (v:Evidence {key: k}) RETURN v.key AS key, v.section AS section, "
            "v.sentence AS sentence, v.confidence AS confidence", keys)}
        return {i: EvidenceSummary(frozenset(documents[i]), [
            _evidence({**r, "section": texts[r["key"]]["section"], "sentence": texts[r["key"]]["sentence"],
                       "confidence": texts[r["key"]]["confidence"]}) for r in best[i]])
            for i in sorted(known)}

    def sources(self, entities: Iterable[str] = (), relations: Iterable[str] = ()) -> int:
        owners = set(entities) | set(relations)
        rows = self._read_each("UNWIND $ids AS id MATCH (v:Evidence {owner: id}) RETURN DISTINCT v.document AS d",
                               owners)
        return len({r["d"] for r in rows})

    def document_counts(self, ids: Iterable[str]) -> dict[str, int]:
        """Per relation: how many documents state it. For many ids (a whole-graph view) one
        aggregate over the evidence owners, which streams a number per owner, no sentence."""
        wanted = set(ids)
        if len(wanted) > WHOLE_GRAPH_IDS:
            rows = self._read("MATCH (a:Entity)-[r:REL]->(b:Entity) MATCH (v:Evidence {owner: r.id}) "
                              "RETURN r.id AS id, count(DISTINCT v.document) AS n")
        else:
            rows = self._read_each("UNWIND $ids AS id MATCH ()-[r:REL {id: id}]->() "
                                   "MATCH (v:Evidence {owner: id}) RETURN id, count(DISTINCT v.document) AS n",
                                   wanted)
        return {r["id"]: r["n"] for r in rows if r["id"] in wanted}

    def subgraph(self, ids: Iterable[str], depth: int = 1) -> nx.MultiDiGraph:
        """The neighbourhood of `ids` up to `depth` steps, either direction, read step by
        step on the server: only the records inside it are read, with their evidence."""
        start = {r["id"] for r in self._read_each("UNWIND $ids AS id MATCH (e:Entity {id: id}) RETURN e.id AS id",
                                                    ids)}
        keep, frontier = set(start), set(start)
        for _ in range(depth):
            if not frontier:
                break
            reached = set().union(*self._neighbours(frontier, None).values())
            frontier = reached - keep
            keep |= reached
        entities = self._entities_by_id(sorted(keep), True)
        rows = self._read_each(f"UNWIND $ids AS id MATCH (a:Entity {{id: id}})-[r:REL]->(b:Entity) "
                               f"RETURN {_RELATION_FIELDS}", keep)
        found = {r["id"]: r for r in rows if r["target"] in keep}
        quotes = self._evidence_of(found)
        relations = [_relation(found[i], quotes.get(i, [])) for i in sorted(found)]
        return _graph(entities, relations)

    def shortest_paths(self, a: str, b: str, types: Iterable[RelationType] = COOPERATION_TYPES,
                       max_paths: int = 3, depth: int = PATH_DEPTH) -> list[list[str]]:
        """The shortest undirected paths from a to b over relations of these types, at most
        `depth` steps, as entity ids; the first `max_paths` by their ids. Neo4j finds them
        with allShortestPaths; FalkorDB's shortestPath follows direction only, so there a
        search from both ends asks for one step of neighbours at a time (DIALECT "paths")."""
        if a == b:
            return [[a]]
        kinds = sorted(t.value for t in types)
        if self._dialect["paths"] == "allShortestPaths":
            rows = self._read(
                f"MATCH (a:Entity {{id: $a}}), (b:Entity {{id: $b}}) "
                f"MATCH p = allShortestPaths((a)-[:REL*..{int(depth)}]-(b)) "
                f"WHERE all(r IN relationships(p) WHERE r.type IN $types) "
                f"RETURN [n IN nodes(p) | n.id] AS ids LIMIT {PATH_CANDIDATES}", a=a, b=b, types=kinds)
            paths = {tuple(r["ids"]) for r in rows}
        else:
            paths = set(self._search_paths(a, b, kinds, depth))
        return [list(p) for p in sorted(paths)[:max_paths]]

    def _search_paths(self, a: str, b: str, types: list[str], depth: int) -> list[tuple[str, ...]]:
        """All shortest paths by breadth-first search from both ends, expanding the smaller
        frontier one step at a time (one indexed query per step)."""
        if len(self._read_each("UNWIND $ids AS id MATCH (e:Entity {id: id}) RETURN e.id AS id", [a, b])) < 2:
            return []
        parents = {a: {a: []}, b: {b: []}}  # per side: node -> its neighbours one step nearer that end
        frontier = {a: {a}, b: {b}}
        steps = 0
        while steps < depth and frontier[a] and frontier[b]:
            side = a if len(frontier[a]) <= len(frontier[b]) else b
            seen = parents[side]
            found: dict[str, list[str]] = {}
            for here, there in self._neighbours(frontier[side], types).items():
                for node in there:
                    if node not in seen:
                        found.setdefault(node, []).append(here)
            nodes = {node: sorted(set(nearer)) for node, nearer in found.items()}
            seen.update(nodes)
            frontier[side] = set(nodes)
            steps += 1
            other = parents[b if side == a else a]
            meeting = sorted(n for n in frontier[side] if n in other)
            if meeting:
                out: list[tuple[str, ...]] = []
                for node in meeting:
                    for left in _walks(parents[a], node):
                        for right in _walks(parents[b], node):
                            out.append(tuple(reversed(left)) + tuple(right[1:]))
                            if len(out) >= PATH_CANDIDATES:
                                return out
                return out
        return []

    def _neighbours(self, ids: Iterable[str], types: Optional[list[str]]) -> dict[str, set[str]]:
        """Each node's neighbours, either direction, over relations of these types (any when None)."""
        where = "WHERE r.type IN $types" if types is not None else ""
        params = {"types": types} if types is not None else {}
        rows = self._read_each(f"UNWIND $ids AS id MATCH (x:Entity {{id: id}})-[r:REL]-(y:Entity) {where} "
                               f"RETURN DISTINCT x.id AS x, y.id AS y", ids, **params)
        out: dict[str, set[str]] = {}
        for r in rows:
            out.setdefault(r["x"], set()).add(r["y"])
        return out

    def stats(self) -> StoreStats:
        def count(query: str) -> int:
            return self._read(query)[0]["n"]

        return StoreStats(
            documents=count("MATCH (d:Document) RETURN count(d) AS n"),
            entities=count("MATCH (e:Entity) RETURN count(e) AS n"),
            relations=count("MATCH (:Entity)-[r:REL]->(:Entity) RETURN count(r) AS n"),
            evidence=count("MATCH (:Entity)-[r:REL]->(:Entity) MATCH (v:Evidence {owner: r.id}) RETURN count(v) AS n"),
            by_kind={r["k"]: r["n"] for r in self._read("MATCH (e:Entity) RETURN e.kind AS k, count(e) AS n")},
            by_status={r["k"]: r["n"] for r in self._read(
                "MATCH (:Entity)-[r:REL]->(:Entity) RETURN r.status AS k, count(r) AS n")},
        )

    # -- whole-graph reads ---------------------------------------------------------

    def entities(self, evidence: bool = True) -> list[Entity]:
        """Every entity: for exports and whole-graph views only."""
        return self._entities_by_id(None, evidence)

    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole graph with evidence, as the map without --focus draws it."""
        return _graph(self.entities(), self.relations())

    def snapshot(self) -> StoreFile:
        """The whole graph as one record (dumps, migration); no query reads it."""
        return StoreFile(format=FORMAT, documents=sorted(self.documents(), key=lambda d: d.id),
                         entities=self.entities(), relations=self.relations(), statements=self.statements())

    def dump(self) -> dict:
        return self.snapshot().model_dump(mode="json")

    # -- analytics on the server (Graph Data Science) ------------------------------

    def gds(self) -> bool:
        """Whether the Neo4j Graph Data Science plugin answers (asked once per store)."""
        if self._gds is None:
            self._gds = False
            if self._dialect["gds"]:
                try:
                    self._read("RETURN gds.version() AS version")
                    self._gds = True
                except Exception:  # no plugin: the procedure is unknown
                    self._gds = False
        return self._gds

    def _project_actors(self, statuses: Optional[Iterable[Status]]) -> str:
        """Project the actor graph of queries.graphs.actor_graph into GDS: actors tied when
        they cooperate directly (weight: documents) or share an agreement, project or group
        (weight 1 each). Returns the projection's name; the caller drops it."""
        name = f"samverkan-actors-{os.getpid()}-{random.randrange(1 << 30)}"
        status_filter = "AND r.status IN $statuses" if statuses else ""
        s1 = "AND r1.status IN $statuses AND r2.status IN $statuses" if statuses else ""
        self._read(
            "CALL { "
            f"MATCH (a:Entity)-[r:REL]->(b:Entity) WHERE r.type IN $types {status_filter} "
            "AND NOT a.kind IN $vehicles AND NOT b.kind IN $vehicles AND a <> b "
            "OPTIONAL MATCH (v:Evidence {owner: r.id}) "
            "WITH a, b, r, count(DISTINCT v.document) AS docs RETURN a, b, docs AS weight "
            "UNION ALL "
            f"MATCH (a:Entity)-[r1:REL]-(v:Entity)-[r2:REL]-(b:Entity) WHERE v.kind IN $vehicles "
            f"AND r1.type IN $types AND r2.type IN $types {s1} "
            "AND NOT a.kind IN $vehicles AND NOT b.kind IN $vehicles AND a.id < b.id "
            "WITH DISTINCT a, b, v RETURN a, b, 1 AS weight } "
            "WITH CASE WHEN a.id < b.id THEN a ELSE b END AS x, CASE WHEN a.id < b.id THEN b ELSE a END AS y, weight "
            "WITH x, y, sum(weight) AS weight "
            "WITH gds.graph.project($name, x, y, {relationshipProperties: {weight: toFloat(weight)}}, "
            "{undirectedRelationshipTypes: ['*']}) AS g RETURN g.graphName AS graph",
            name=name, types=sorted(t.value for t in COOPERATION_TYPES), vehicles=_VEHICLES,
            statuses=sorted(s.value for s in statuses or []))
        return name

    def gds_betweenness(self, nodes: int, statuses: Optional[Iterable[Status]] = None) -> dict[str, float]:
        """Betweenness of the actor graph by gds.betweenness, normalised as
        queries.network.betweenness is: by (n - 1)(n - 2) / 2 for n actors."""
        name = self._project_actors(statuses)
        try:
            rows = self._read("CALL gds.betweenness.stream($name) YIELD nodeId, score "
                              "RETURN gds.util.asNode(nodeId).id AS id, score", name=name)
        finally:
            self._read("CALL gds.graph.drop($name, false) YIELD graphName RETURN graphName", name=name)
        scale = max((nodes - 1) * (nodes - 2) / 2, 1)
        return {r["id"]: r["score"] / scale for r in rows}

    def gds_louvain(self, statuses: Optional[Iterable[Status]] = None) -> list[set[str]]:
        """Communities of the actor graph by gds.louvain, weighted like the embedded version."""
        name = self._project_actors(statuses)
        try:
            rows = self._read("CALL gds.louvain.stream($name, {relationshipWeightProperty: 'weight'}) "
                              "YIELD nodeId, communityId RETURN gds.util.asNode(nodeId).id AS id, communityId",
                              name=name)
        finally:
            self._read("CALL gds.graph.drop($name, false) YIELD graphName RETURN graphName", name=name)
        groups: dict[int, set[str]] = {}
        for r in rows:
            groups.setdefault(r["communityId"], set()).add(r["id"])
        return list(groups.values())

    # -- reading rows into records ---------------------------------------------------

    def _entities_by_id(self, ids: Optional[list[str]], evidence: bool) -> list[Entity]:
        """Entities in id order: these (the ones the server has) or every one."""
        if ids is None:
            rows = self._read(f"MATCH (e:Entity) RETURN {_ENTITY_FIELDS}")
        else:
            rows = self._read_each(f"UNWIND $ids AS id MATCH (e:Entity {{id: id}}) RETURN {_ENTITY_FIELDS}", ids)
        rows.sort(key=lambda r: r["id"])
        quotes: dict[str, list[Evidence]] = {}
        if evidence and rows:
            if ids is None:
                found = self._read(f"MATCH (e:Entity) MATCH (v:Evidence {{owner: e.id}}) RETURN {_EVIDENCE_FIELDS}")
            else:
                found = self._read_each(f"UNWIND $ids AS id MATCH (v:Evidence {{owner: id}}) RETURN {_EVIDENCE_FIELDS}",
                                        [r["id"] for r in rows])
            quotes = _by_owner(found)
        return [_entity(r, quotes.get(r["id"], [])) for r in rows]

    def _evidence_of(self, ids: Iterable[str]) -> dict[str, list[Evidence]]:
        """The evidence of these owners, each list in key order."""
        return _by_owner(self._read_each(
            f"UNWIND $ids AS id MATCH (v:Evidence {{owner: id}}) RETURN {_EVIDENCE_FIELDS}", ids))


def _relation_filter(types: Optional[Iterable[RelationType]], statuses: Optional[Iterable[Status]]) -> tuple[str, dict]:
    clauses, params = [], {}
    if types:
        clauses.append("r.type IN $types")
        params["types"] = sorted({t.value for t in types})
    if statuses:
        clauses.append("r.status IN $statuses")
        params["statuses"] = sorted({s.value for s in statuses})
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def _walks(parents: dict[str, list[str]], node: str) -> Iterator[list[str]]:
    """Every walk from `node` back to the start of a search, following its parents."""
    nearer = parents[node]
    if not nearer:
        yield [node]
        return
    for parent in nearer:
        for walk in _walks(parents, parent):
            yield [node, *walk]


def _evidence(r: dict) -> Evidence:
    return Evidence(**{k: v for k, v in (
        ("document", r["document"]), ("section", r.get("section")), ("sentence", r["sentence"]),
        ("start", r["start"]), ("end", r["stop"]), ("rule", r["rule"]), ("confidence", r.get("confidence")),
    ) if v is not None})


def _by_owner(rows: list[dict]) -> dict[str, list[Evidence]]:
    out: dict[str, list[Evidence]] = {}
    for r in rows:
        out.setdefault(r["owner"], []).append(_evidence(r))
    for found in out.values():
        found.sort(key=evidence_key)
    return out


def _entity(r: dict, evidence: list[Evidence]) -> Entity:
    data = {"id": r["id"], "name": r["name"], "kind": r["kind"], "aliases": sorted(r["aliases"] or []),
            "parent": r["parent"], "attributes": json.loads(r["attributes"] or "{}"), "evidence": evidence}
    return Entity.model_validate({k: v for k, v in data.items() if v is not None})


def _name(r: dict) -> EntityName:
    attributes = json.loads(r["attributes"] or "{}")
    municipality = attributes.get("municipality")
    label = f"{r['name']} ({municipality})" if municipality else r["name"]
    return EntityName(r["id"], r["name"], _KINDS[r["kind"]], label, r["parent"])


def _relation(r: dict, evidence: list[Evidence]) -> Relation:
    data = {"id": r["id"], "source": r["source"], "target": r["target"], "type": r["type"], "status": r["status"],
            "via": r["via"], "since": r["since"], "evidence": evidence}
    return Relation.model_validate({k: v for k, v in data.items() if v is not None})


def _graph(entities: list[Entity], relations: list[Relation]) -> nx.MultiDiGraph:
    """The networkx view the embedded stores give: nodes carry `entity`, edges `relation`, keyed by id."""
    graph = nx.MultiDiGraph()
    graph.add_nodes_from((e.id, {"entity": e}) for e in entities)
    graph.add_edges_from((r.source, r.target, r.id, {"relation": r}) for r in relations)
    return graph


def _name_rows(entity_id: str, name: str, aliases: Iterable[str], attributes: dict) -> list[dict]:
    """The folded names `find` looks up: the name and label exactly, the aliases as aliases."""
    municipality = attributes.get("municipality")
    label = f"{name} ({municipality})" if municipality else name
    rows = {("exact", fold(name)), ("exact", fold(label))} | {("alias", fold(a)) for a in aliases}
    return [{"key": f"{how}|{folded}|{entity_id}", "entity": entity_id, "folded": folded, "how": how}
            for how, folded in sorted(rows)]


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
            "start": ev.start, "end": ev.end, "length": len(ev.sentence), "rule": ev.rule,
            "confidence": ev.confidence}


def _bounded(items: list, base: int, overhead: int, max_bytes: int,
             max_items: Optional[int] = None) -> Iterator[list]:
    """Items in runs whose message stays within max_bytes (base for the query, each item its
    JSON size plus overhead) and, when given, within max_items items; an item larger than
    max_bytes goes alone."""
    run: list = []
    size = base
    for item in items:
        item_size = len(json.dumps(item, ensure_ascii=False).encode("utf-8")) + overhead
        if run and ((max_items is not None and len(run) >= max_items) or size + item_size > max_bytes):
            yield run
            run, size = [], base
        run.append(item)
        size += item_size
    if run:
        yield run
