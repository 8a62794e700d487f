"""The embedded store on SQLite: one file, transactional, safe under concurrent writers.

The first embedded store was one JSON file that every command read whole and every ingest
rewrote whole: two ingests at once silently lost one's work, and every question paid for
loading the whole graph. Here every document is merged in its own transaction
(`BEGIN IMMEDIATE`, so a second writer waits on `busy_timeout` instead of failing), the
journal is a write-ahead log (readers never block the writer, a kill -9 at any moment
leaves the last committed state), and queries read only the rows they need through
indexes. Whole-graph algorithms get a networkx graph built from the rows.

The schema is documented in docs/STORE.md and versioned with `PRAGMA user_version`.
Answers are the same as the JSON store's for the same input: merging follows
graph/memory.py rule for rule (tests/graph/test_contract.py runs on both).
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from contextlib import contextmanager
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, NamedTuple, Optional, Sequence

from graph.merge import merge_aliases
from graph.model import (
    Document, DocumentType, Entity, Evidence, Extraction, Kind, Model, Relation, RelationType, Status, _field_names,
    evidence_key, fold,
)
from graph.collector import collector_paused
from graph.files import check_writable
from graph.names import _variants, find_in
from graph.store import EntityName, EvidenceSummary, NameMatch, StoreStats
from graph.review import Statement
from graph.storefile import FORMAT, StoreError, StoreFile

if TYPE_CHECKING:  # networkx is imported by the whole-graph reads that need it, not by every command
    import networkx as nx

#: The schema version this code writes; PRAGMA user_version of every store it creates.
SCHEMA_VERSION = 3

#: How long a writer waits for another writer's transaction before giving up, in seconds.
DEFAULT_BUSY_TIMEOUT = 60.0

SQLITE_HEADER = b"SQLite format 3\x00"

#: Review statements (graph/review.py), beside the records and never applied to them; `seq`
#: keeps the order they were made in, `record` is the statement as JSON (schema 3).
STATEMENTS_TABLE = """CREATE TABLE statements (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, record TEXT NOT NULL)"""

SCHEMA = [
    """CREATE TABLE documents (
        id TEXT PRIMARY KEY, source TEXT NOT NULL, title TEXT NOT NULL, type TEXT NOT NULL,
        date TEXT, record TEXT NOT NULL)""",
    "CREATE INDEX documents_source ON documents(source)",
    """CREATE TABLE entities (
        key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, kind TEXT NOT NULL, parent TEXT,
        attributes TEXT NOT NULL, folded TEXT NOT NULL, label_folded TEXT NOT NULL)""",
    "CREATE INDEX entities_folded ON entities(folded)",
    "CREATE INDEX entities_label_folded ON entities(label_folded)",
    "CREATE INDEX entities_parent ON entities(parent)",
    "CREATE INDEX entities_kind ON entities(kind)",
    """CREATE TABLE aliases (
        entity TEXT NOT NULL, position INTEGER NOT NULL, alias TEXT NOT NULL, folded TEXT NOT NULL,
        PRIMARY KEY (entity, position)) WITHOUT ROWID""",
    "CREATE INDEX aliases_folded ON aliases(folded)",
    """CREATE TABLE relations (
        key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, source TEXT NOT NULL, target TEXT NOT NULL,
        type TEXT NOT NULL, status TEXT NOT NULL, via TEXT, since TEXT)""",
    "CREATE INDEX relations_source ON relations(source, type, status)",
    "CREATE INDEX relations_target ON relations(target, type, status)",
    "CREATE INDEX relations_type ON relations(type, status)",
    """CREATE TABLE quotes (
        id INTEGER PRIMARY KEY, document TEXT NOT NULL, section TEXT NOT NULL, sentence TEXT NOT NULL)""",
    "CREATE INDEX quotes_document ON quotes(document)",
    "CREATE TABLE rules (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
    # Evidence rows are integers but for the document: the owner's key, the quote, the rule's
    # number (text ids everywhere made the file four times larger). The quote's document and
    # its sentence's length are repeated in the row (schema 2), so that counting a body's
    # documents and choosing its shortest quotes read these rows alone, not a quote each.
    *(f"""CREATE TABLE {table} (
        owner INTEGER NOT NULL, quote INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
        rule INTEGER NOT NULL, confidence REAL NOT NULL, document TEXT NOT NULL DEFAULT '',
        length INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (owner, quote, start, "end", rule)) WITHOUT ROWID""" for table in
      ("entity_evidence", "relation_evidence")),
    "CREATE INDEX entity_evidence_quote ON entity_evidence(quote)",
    "CREATE INDEX relation_evidence_quote ON relation_evidence(quote)",
    """CREATE VIRTUAL TABLE quotes_fts USING fts5(
        sentence, content='quotes', content_rowid='id', tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
        INSERT INTO quotes_fts(rowid, sentence) VALUES (new.id, new.sentence); END""",
    """CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
        INSERT INTO quotes_fts(quotes_fts, rowid, sentence) VALUES ('delete', old.id, old.sentence); END""",
    STATEMENTS_TABLE,
]

#: Upgrades of an older schema: MIGRATIONS[n] takes a store from version n to n + 1.
MIGRATIONS: dict[int, list[str]] = {
    # 1 -> 2: the quote's document and sentence length in every evidence row.
    1: [statement for table in ("entity_evidence", "relation_evidence") for statement in (
        f"ALTER TABLE {table} ADD COLUMN document TEXT NOT NULL DEFAULT ''",
        f"ALTER TABLE {table} ADD COLUMN length INTEGER NOT NULL DEFAULT 0",
        f"UPDATE {table} SET (document, length) = (SELECT q.document, length(q.sentence) FROM quotes q "
        f"WHERE q.id = {table}.quote)",
    )],
    # 2 -> 3: review statements, in a table of their own; no record changes.
    2: [STATEMENTS_TABLE],
}

_KINDS = {k.value: k for k in Kind}
_TYPES = {t.value: t for t in RelationType}
_STATUSES = {s.value: s for s in Status}
_DOC_TYPES = {t.value: t for t in DocumentType}

_ENTITY_KEYED = "key, id, name, kind, parent, attributes"
_RELATION_KEYED = "key, id, source, target, type, status, via, since"
_IDS = "(SELECT value FROM json_each(?))"  # a list of ids as one parameter, of any length
#: How many matches of a full-text query search() ranks at most: the latest stored. A word
#: in every fifth quote of a 100,000-document store matched 225,600 of them, and ranking
#: each (bm25() reads its sentence's length) took half a second; a query that matches more
#: ranks the newest SEARCH_RANKED, and the command says so and how many matched in all
#: (counting them costs a twentieth of ranking them).
SEARCH_RANKED = 20_000
#: search(): the ids of the best `limit` quotes among the SEARCH_RANKED newest that match a
#: full-text query, in the order rank, document, id (parameters: the query, SEARCH_RANKED,
#: limit - 1, limit). FTS5 walks the matches newest first and stops at the bound; each one's
#: rank (bm25(), what `rank` is by default) is computed once, into a table of two columns
#: (MATERIALIZED; SQLite before 3.35 has no such word and materialises a table used twice
#: itself); of them only those ranked at most as well as the limit-th are joined to their
#: quote for its document.
_BEST_MATCHES = (
    f"WITH m AS {'MATERIALIZED ' if sqlite3.sqlite_version_info >= (3, 35) else ''}("
    "SELECT rowid AS id, bm25(quotes_fts) AS score FROM quotes_fts WHERE quotes_fts MATCH ? "
    "ORDER BY rowid DESC LIMIT ?) "
    "SELECT q.id FROM m JOIN quotes q ON q.id = m.id "
    "WHERE m.score <= COALESCE((SELECT score FROM m ORDER BY score LIMIT 1 OFFSET ?), (SELECT MAX(score) FROM m)) "
    "ORDER BY m.score, q.document, q.id LIMIT ?")
_ENTITY_COLUMNS = "id, name, kind, parent, attributes"



class EvidenceRow(NamedTuple):
    """A piece of evidence as a tuple, with Evidence's fields: what a view that only shows
    quotes reads (tens of thousands of records cost it more than the SQL did)."""

    document: str
    section: str
    sentence: str
    start: int
    end: int
    rule: str
    confidence: float


class SearchHit(Model):
    """One quoted sentence that mentions the searched words, with who it names."""

    document: str
    source: str
    section: str
    sentence: str
    actors: list[str]  # labels of the entities and relation ends the sentence is evidence for


class SQLiteStore:
    """The Store protocol over one SQLite file (see the module docstring and docs/STORE.md)."""

    def __init__(self, path: Path | str, busy_timeout: float = DEFAULT_BUSY_TIMEOUT, batch: int = 1) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        #: Documents per write transaction. 1: add() commits each document. More: add() keeps
        #: documents until that many are waiting (or a read, save() or close() comes) and
        #: commits them in one transaction, for `ingest --jobs`, whose workers extract faster
        #: than one commit per document. A crash then loses the documents not yet committed.
        self.batch = batch
        self._pending: list[Extraction] = []
        self._db: Optional[sqlite3.Connection] = None
        self._on_disk = False
        self._writable = False  # checked before the first write (graph/files.py check_writable)
        # Entities read since the store last changed, by id: a query that asks for the same
        # body again and again (a profile lists every agreement's parties) reads it once.
        self._cache: dict[str, Entity] = {}
        self._cache_version: Optional[int] = None
        if self.path.exists():
            self._db = self._connect()

    # -- connecting ------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        """Open (or create) the file, set WAL and the busy timeout, bring the schema up to date."""
        _check_header(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None,
                                 check_same_thread=False)
            db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            _use_wal(db, self.busy_timeout)
            db.execute("PRAGMA synchronous = NORMAL")  # in WAL: durable against crashes of the process
            db.execute("PRAGMA foreign_keys = OFF")
            _ensure_schema(db, self.path)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: kan inte öppna grafen ({exc})") from exc
        self._on_disk = True
        return db

    def _reader(self) -> sqlite3.Connection:
        """A connection to read from; a store with no file yet reads as an empty in-memory one,
        so asking a question never creates a file."""
        if self._pending:
            self.flush()
        if self._db is None:
            if self.path.exists():
                self._db = self._connect()
            else:
                db = sqlite3.connect(":memory:", isolation_level=None)
                _ensure_schema(db, self.path)
                self._db = db
        return self._db

    def _writer(self) -> sqlite3.Connection:
        if not self._on_disk:
            if self._db is not None:
                self._db.close()
            self._db = self._connect()
        return self._db

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; the write lock is taken at its start, so two writers queue
        on busy_timeout rather than one failing when it tries to upgrade a read. A store file
        whose mode has no write bit is not written (root could)."""
        if not self._writable:
            check_writable(self.path)
            self._writable = True
        db = self._writer()
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"{self.path}: grafen är låst av en annan skrivare ({exc})") from exc
        self._cache.clear()
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        finally:
            self._cache.clear()
        db.execute("COMMIT")

    def close(self) -> None:
        self.flush()
        self.disconnect()

    def disconnect(self) -> None:
        """Close the connection and write nothing: what was committed stays, documents
        add() keeps for their batch are dropped. SQLite moves its write-ahead log into the
        file and removes it when the last connection closes, so the file alone is the store."""
        if self._db is not None:
            self._db.close()
            self._db = None
            self._on_disk = False

    def __enter__(self) -> "SQLiteStore":
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------

    def add(self, extraction: Extraction, owned: bool = False) -> None:
        """Merge one document in, in one transaction: all of it lands or none of it (with
        batch > 1, in the transaction of its batch). `owned` changes nothing here: rows are
        written, no records are kept."""
        if self.batch > 1:
            self._pending.append(extraction)
            if len(self._pending) >= self.batch:
                self.flush()
            return
        with self._transaction() as db:
            _Writer(db).add(extraction)

    def flush(self) -> None:
        """Commit the documents add() is keeping for their batch, in one transaction."""
        pending, self._pending = self._pending, []
        if pending:
            self.add_many(pending)

    def add_many(self, extractions: Iterable[Extraction]) -> None:
        """Merge several documents in one transaction: fewer commits for a batch."""
        with self._transaction() as db:
            writer = _Writer(db)
            for extraction in extractions:
                writer.add(extraction)

    def remove_document(self, document_id: str) -> None:
        """Forget one document: its evidence goes, and so does every record left without any."""
        self.flush()
        with self._transaction() as db:
            _Writer(db).remove(document_id)

    def install(self, snapshot: StoreFile) -> None:
        """Write a whole snapshot (another store's records, as they are) into this empty store."""
        self.flush()
        with self._transaction() as db:
            if db.execute("SELECT 1 FROM documents UNION ALL SELECT 1 FROM entities LIMIT 1").fetchone():
                raise StoreError(f"{self.path}: grafen är inte tom; konvertera till en ny fil")
            _Writer(db).install(snapshot)

    def save(self, path: Optional[Path] = None) -> Path:
        """Commits the documents waiting for their batch; otherwise nothing to do, every
        document was committed as it was added. Kept so that the ingest loop treats both
        embedded stores alike."""
        if path is not None and Path(path) != self.path:
            raise StoreError(f"{self.path}: en SQLite-graf sparas inte till en annan fil; "
                             f"använd samverkan store migrate")
        self.flush()
        return self.path

    # -- review statements -------------------------------------------------------

    def add_statement(self, statement: Statement) -> None:
        """Keep a statement, committed at once; the same statement (same id) again changes nothing."""
        self.flush()
        with self._transaction() as db:
            db.execute("INSERT OR IGNORE INTO statements (id, record) VALUES (?, ?)",
                       (statement.id, statement.record()))

    def statements(self) -> list[Statement]:
        """Every statement, in the order they were made."""
        rows = self._reader().execute("SELECT record FROM statements ORDER BY seq").fetchall()
        return [Statement.from_record(record) for record, in rows]

    def remove_statement(self, statement_id: str) -> bool:
        """Take a statement back; False when there is none with that id."""
        self.flush()
        with self._transaction() as db:
            return db.execute("DELETE FROM statements WHERE id = ?", (statement_id,)).rowcount > 0

    # -- reading ---------------------------------------------------------------

    def is_empty(self) -> bool:
        """Whether the store has no entity, without reading any."""
        return self._reader().execute("SELECT 1 FROM entities LIMIT 1").fetchone() is None

    def entity(self, entity_id: str, evidence: bool = True) -> Optional[Entity]:
        if evidence:
            cached = self._cached().get(entity_id)
            if cached is not None:
                return cached
        found = self._entities("WHERE id = ?", (entity_id,), evidence)
        return found[0] if found else None

    def entities(self, evidence: bool = True) -> list[Entity]:
        return self._entities("", ()) if evidence else self._names()

    def names(self, ids: Optional[Iterable[str]] = None) -> dict[str, EntityName]:
        """From the entities table alone: no aliases, no evidence."""
        where, params = ("", ()) if ids is None else (f"WHERE id IN {_IDS}", (json.dumps(sorted(set(ids))),))
        rows = self._reader().execute(f"SELECT {_ENTITY_COLUMNS} FROM entities {where} ORDER BY id", params)
        return {row[0]: _name(row) for row in rows}

    def children(self, parent: str) -> list[EntityName]:
        rows = self._reader().execute(f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE parent = ? ORDER BY id",
                                      (parent,))
        return [_name(row) for row in rows]

    def mentions(self, entity_id: str) -> dict[str, int]:
        """Counted by SQL: a body named in thousands of documents has as many evidence rows."""
        return dict(self._reader().execute(
            "SELECT document, COUNT(*) FROM entity_evidence "
            "WHERE owner = (SELECT key FROM entities WHERE id = ?) GROUP BY document", (entity_id,)))

    def entity_document_counts(self) -> dict[str, int]:
        """Per entity: how many documents its own evidence comes from, counted by SQL."""
        return dict(self._reader().execute(
            "SELECT n.id, (SELECT COUNT(DISTINCT e.document) FROM entity_evidence e WHERE e.owner = n.key) "
            "FROM entities n"))

    def document_sources(self) -> dict[str, str]:
        """Document id -> source, from two columns: an export names every document by its
        file, and parsing every record for it took longer than the rest of the read."""
        return dict(self._reader().execute("SELECT id, source FROM documents"))

    def export_relations(self) -> Iterator[tuple]:
        """Every relation as (id, source, target, type, status, via, since, evidence), by
        id, its evidence as (document, section, sentence, start, end, confidence) tuples
        in Evidence.key order (document, start, end, rule by name; then the quote, as the
        stable sort of the table's own order had it): what a file export writes, without
        an Evidence record per quote (queries/export_graph.py; a hundred thousand of them)."""
        db = self._reader()
        with collector_paused():
            evidence: dict[int, list[tuple]] = {}
            rows = db.execute('SELECT e.owner, e.document, q.section, q.sentence, e.start, e."end", e.confidence '
                              'FROM relation_evidence e JOIN quotes q ON q.id = e.quote JOIN rules r ON r.id = e.rule '
                              'ORDER BY e.owner, e.document, e.start, e."end", r.name, e.quote')
            for owner, group in groupby(rows, key=itemgetter(0)):
                evidence[owner] = [row[1:] for row in group]
            relations = db.execute(f"SELECT {_RELATION_KEYED} FROM relations ORDER BY id").fetchall()
        for key, *row in relations:
            yield (*row, evidence.get(key, []))

    def _cached(self) -> dict[str, Entity]:
        """The entity cache, emptied when another process has committed since it was filled
        (PRAGMA data_version changes; this connection's own writes empty it themselves)."""
        version = self._reader().execute("PRAGMA data_version").fetchone()[0]
        if version != self._cache_version:
            self._cache.clear()
            self._cache_version = version
        return self._cache

    def documents(self, ids: Optional[Iterable[str]] = None) -> list[Document]:
        where, params = ("", ()) if ids is None else (f"WHERE id IN {_IDS}", (json.dumps(sorted(set(ids))),))
        rows = self._reader().execute(f"SELECT record FROM documents {where} ORDER BY source, id", params)
        return [_document(record) for (record,) in rows]

    def find(self, name: str, limit: int = 5, evidence: bool = True) -> list[NameMatch]:
        """Exact name or label, then alias, through the folded-name indexes; only when neither
        matches are the names (without evidence) read for fuzzy matching."""
        wanted = json.dumps(sorted(_variants(name)))
        db = self._reader()
        exact = [i for (i,) in db.execute(
            f"SELECT id FROM entities WHERE folded IN {_IDS} OR label_folded IN {_IDS} ORDER BY id LIMIT ?",
            (wanted, wanted, limit))]
        if exact:
            return [NameMatch(entity=e, how="exact", score=100.0) for e in self._by_ids(exact, evidence)]
        alias = [i for (i,) in db.execute(
            f"SELECT DISTINCT entity FROM aliases WHERE folded IN {_IDS} ORDER BY entity LIMIT ?",
            (wanted, limit))]
        if alias:
            return [NameMatch(entity=e, how="alias", score=100.0) for e in self._by_ids(alias, evidence)]
        matches = find_in(self._names(), name, limit)
        full = {e.id: e for e in self._by_ids([m.entity.id for m in matches], evidence)}
        return [m.model_copy(update={"entity": full[m.entity.id]}) for m in matches]

    def relations(
        self,
        entity: Optional[str] = None,
        types: Optional[Iterable[RelationType]] = None,
        statuses: Optional[Iterable[Status]] = None,
        evidence: bool = True,
    ) -> list[Relation]:
        clauses, params = [], []
        if entity is not None:
            clauses.append("(source = ? OR target = ?)")
            params += [entity, entity]
        _enum_filters(clauses, params, types, statuses)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        if not evidence:
            return self._relations(where, tuple(params), owners_from="none")
        return self._relations(where, tuple(params), owners_from=None if entity or types or statuses else "all")

    def relation_evidence(self, ids: Iterable[str]) -> dict[str, list[Evidence]]:
        db = self._reader()
        keys = dict(db.execute(f"SELECT key, id FROM relations WHERE id IN {_IDS}", (json.dumps(sorted(set(ids))),)))
        if not keys:
            return {}
        with collector_paused():
            found = _evidence(db, "relation_evidence", list(keys))
        return {i: found.get(key, []) for key, i in keys.items()}

    def evidence_summary(self, ids: Iterable[str], quotes: int = 2) -> dict[str, EvidenceSummary]:
        """Read from the evidence rows alone, which carry their document and sentence length
        (schema 2): each relation's distinct documents, and its best `quotes` quotes,
        following graph.store.best_quotes: one per span (document, start, end), the last
        rule by name, shortest sentence first (see _digest). Only the winners' sentences
        are read."""
        db = self._reader()
        keys = dict(db.execute(f"SELECT key, id FROM relations WHERE id IN {_IDS}", (json.dumps(sorted(set(ids))),)))
        if not keys:
            return {}
        if quotes <= 0:
            documents = {key: set() for key in keys} | _owner_documents(db, "relation_evidence", list(keys))[0]
            return {i: EvidenceSummary(frozenset(documents[key]), []) for key, i in keys.items()}
        digests = _digest(db, "relation_evidence", list(keys), quotes)
        trusted = Evidence.trusted
        return {i: EvidenceSummary(frozenset(digests[key][0]), [trusted(*row) for row in digests[key][1]])
                if key in digests else EvidenceSummary(frozenset(), []) for key, i in keys.items()}

    def quote_digest(self, owners: str, quotes: int, ids: Optional[Iterable[str]] = None,
                     ) -> dict[str, tuple[set, list[EvidenceRow], float]]:
        """Per entity (owners="entities") or relation (owners="relations"), every one or
        those in `ids`, if it has evidence: (the documents of its evidence, its best `quotes`
        quotes as graph.store.best_quotes chooses them, as EvidenceRow tuples, its best
        confidence), from one read of the evidence rows (_digest). What the map shows of
        the whole graph: reading its every quote took seconds."""
        table = {"entities": "entity_evidence", "relations": "relation_evidence"}[owners]
        db = self._reader()
        if ids is None:
            keys = dict(db.execute(f"SELECT key, id FROM {owners}"))
        else:
            keys = dict(db.execute(f"SELECT key, id FROM {owners} WHERE id IN {_IDS}", (json.dumps(sorted(set(ids))),)))
        digests = _digest(db, table, None if ids is None else list(keys), quotes)
        return {keys[owner]: digest for owner, digest in digests.items() if owner in keys}

    def subgraph(self, ids: Iterable[str], depth: int = 1) -> "nx.MultiDiGraph":
        """The neighbourhood of `ids` up to `depth` steps, either direction, read step by step."""
        db = self._reader()
        start = [i for (i,) in db.execute(f"SELECT id FROM entities WHERE id IN {_IDS}", (json.dumps(list(ids)),))]
        keep, frontier = set(start), set(start)
        for _ in range(depth):
            if not frontier:
                break
            step = json.dumps(sorted(frontier))
            rows = db.execute(f"SELECT source, target FROM relations WHERE source IN {_IDS} "
                              f"UNION SELECT source, target FROM relations WHERE target IN {_IDS}", (step, step))
            reached = {end for row in rows for end in row}
            frontier = reached - keep
            keep |= reached
        chosen = json.dumps(sorted(keep))
        return _graph(self._entities(f"WHERE id IN {_IDS}", (chosen,)),
                      self._relations(f"WHERE source IN {_IDS} AND target IN {_IDS}", (chosen, chosen)))

    def to_networkx(self) -> "nx.MultiDiGraph":
        return _graph(self.entities(), self.relations())

    def stats(self) -> StoreStats:
        db = self._reader()

        def count(table: str) -> int:
            return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

        return StoreStats(
            documents=count("documents"),
            entities=count("entities"),
            relations=count("relations"),
            evidence=count("relation_evidence"),
            by_kind=dict(db.execute("SELECT kind, COUNT(*) FROM entities GROUP BY kind").fetchall()),
            by_status=dict(db.execute("SELECT status, COUNT(*) FROM relations GROUP BY status").fetchall()),
        )

    def snapshot(self) -> StoreFile:
        """The whole store as one record, in the JSON store's order (for dumps and migration)."""
        documents = sorted(self.documents(), key=lambda d: d.id)
        return StoreFile(format=FORMAT, documents=documents, entities=self.entities(), relations=self.relations(),
                         statements=self.statements())

    def dump(self) -> dict:
        return self.snapshot().model_dump(mode="json")

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Quoted sentences that contain every word of `text` (as a word or the start of one:
        Swedish inflects and compounds at the end), best match first, with their actors;
        the best of the SEARCH_RANKED newest when more match (search_count says how many)."""
        query = fts_query(text)
        if not query:
            return []
        db = self._reader()
        if limit <= 0:
            return []
        best = [quote for (quote,) in db.execute(_BEST_MATCHES, (query, SEARCH_RANKED, limit - 1, limit))]
        found = {row[0]: row for row in db.execute(
            f"SELECT q.id, q.document, q.section, q.sentence, d.source FROM quotes q "
            f"LEFT JOIN documents d ON d.id = q.document WHERE q.id IN {_IDS}", (json.dumps(best),))}
        rows = [found[quote] for quote in best]
        return [SearchHit(document=doc, source=source or doc, section=section, sentence=sentence,
                          actors=self._actors_of(quote)) for quote, doc, section, sentence, source in rows]

    def search_count(self, text: str) -> int:
        """How many quoted sentences search(text) matches in all."""
        query = fts_query(text)
        if not query:
            return 0
        return self._reader().execute("SELECT COUNT(*) FROM quotes_fts WHERE quotes_fts MATCH ?", (query,)).fetchone()[0]

    def _actors_of(self, quote: int) -> list[str]:
        db = self._reader()
        ids = {i for (i,) in db.execute(
            "SELECT n.id FROM entity_evidence e JOIN entities n ON n.key = e.owner WHERE e.quote = ?", (quote,))}
        for source, target in db.execute(
                "SELECT r.source, r.target FROM relation_evidence e JOIN relations r ON r.key = e.owner "
                "WHERE e.quote = ?", (quote,)):
            ids |= {source, target}
        labels = [_label(name, attributes) for name, attributes in db.execute(
            f"SELECT name, attributes FROM entities WHERE id IN {_IDS}", (json.dumps(sorted(ids)),))]
        return sorted(labels)

    # -- reading rows into records ---------------------------------------------

    def sources(self, entities: Iterable[str] = (), relations: Iterable[str] = ()) -> int:
        """One SQL count. The quotes are made distinct before their documents are looked up:
        a sentence that names an agreement's parties backs every party's membership."""
        return self._reader().execute(
            f"SELECT COUNT(*) FROM ("
            f"SELECT e.document FROM entity_evidence e JOIN entities n ON n.key = e.owner WHERE n.id IN {_IDS} "
            f"UNION SELECT e.document FROM relation_evidence e JOIN relations r ON r.key = e.owner "
            f"WHERE r.id IN {_IDS})",
            (json.dumps(sorted(set(entities))), json.dumps(sorted(set(relations))))).fetchone()[0]

    def sources_many(self, groups: dict[str, tuple[Iterable[str], Iterable[str]]]) -> dict[str, int]:
        """sources(entities, relations) for many groups at once: a list of 4,000 agreements
        asked one count each. Each owner's documents are read once, joined by SQLite
        (_owner_documents), and each group's made distinct here: SQL's COUNT(DISTINCT) over
        the hundred thousand evidence rows of a busy body's agreements took twice as long."""
        db = self._reader()
        keys = []
        for table, index in (("entities", 0), ("relations", 1)):
            ids = sorted({i for group in groups.values() for i in group[index]})
            keys.append(dict(db.execute(f"SELECT id, key FROM {table} WHERE id IN {_IDS}", (json.dumps(ids),))))
        entity_keys, relation_keys = keys
        entity_documents = _owner_documents(db, "entity_evidence", sorted(set(entity_keys.values())))[0]
        relation_documents = _owner_documents(db, "relation_evidence", sorted(set(relation_keys.values())))[0]
        counts = {}
        for group, (entities, relations) in groups.items():
            found = [entity_documents.get(entity_keys.get(i)) for i in set(entities)]
            found += [relation_documents.get(relation_keys.get(i)) for i in set(relations)]
            counts[group] = len(set().union(*filter(None, found)))
        return counts

    def vehicle_rows(self, kinds: Iterable[Kind], memberships: Iterable[RelationType]) -> list[tuple]:
        """Every entity of these kinds with its members, in three queries and without a record
        per row: (id, name, kind, attributes, members, sources) by id, where members are
        (source, source's label or None, status, since) of the relations of the `memberships`
        types that end at it, by relation id, and sources counts the documents of its own
        evidence and its members' as sources() does. What queries/catalog.py lists: reading
        every entity and membership as records was most of `agreements`."""
        db = self._reader()
        kinds_param = json.dumps(sorted({k.value for k in kinds}))
        types_param = json.dumps(sorted({t.value for t in memberships}))
        chosen = f"SELECT id FROM entities WHERE kind IN {_IDS}"
        members: dict[str, list[tuple]] = {}
        for target, source, name, attributes, status, since in db.execute(
                f"SELECT r.target, r.source, s.name, s.attributes, r.status, r.since FROM relations r "
                f"LEFT JOIN entities s ON s.id = r.source "
                f"WHERE r.type IN {_IDS} AND r.target IN ({chosen}) ORDER BY r.id", (types_param, kinds_param)):
            label = None if name is None else (_label(name, attributes) if attributes != "{}" else name)
            members.setdefault(target, []).append((source, label, _STATUSES[status], since))
        sources = dict(db.execute(
            f"SELECT id, COUNT(DISTINCT document) FROM ("
            f"SELECT n.id, e.document FROM entities n JOIN entity_evidence e ON e.owner = n.key "
            f"WHERE n.kind IN {_IDS} UNION ALL "
            f"SELECT r.target, e.document FROM relations r JOIN relation_evidence e ON e.owner = r.key "
            f"WHERE r.type IN {_IDS} AND r.target IN ({chosen})) GROUP BY id",
            (kinds_param, types_param, kinds_param)))
        return [(id_, name, _KINDS[kind], json.loads(attributes), members.get(id_, []), sources.get(id_, 0))
                for id_, name, kind, attributes in db.execute(
                    f"SELECT id, name, kind, attributes FROM entities WHERE kind IN {_IDS} ORDER BY id",
                    (kinds_param,))]

    def document_counts(self, ids: Iterable[str]) -> dict[str, int]:
        """Counted by SQL, one row per relation: sets of document ids for every tie in the
        graph took brokers seconds."""
        rows = self._reader().execute(
            f"SELECT r.id, COUNT(DISTINCT e.document) FROM relations r JOIN relation_evidence e ON e.owner = r.key "
            f"WHERE r.id IN {_IDS} GROUP BY r.key", (json.dumps(sorted(set(ids))),))
        return dict(rows)

    def degrees(self, types: Optional[Iterable[RelationType]] = None) -> dict[str, int]:
        """Per entity with any: how many relations of these types have it at either end
        (a relation from an entity to itself counts twice), counted by SQL."""
        where, params = "", ()
        if types:
            # "+type": not by the type index, whose rows SQLite sorted by source and by target
            # (a fourth of `actors`), but along relations_source and relations_target, in order.
            where, params = f"WHERE +type IN {_IDS}", (json.dumps(sorted({t.value for t in types})),)
        return dict(self._reader().execute(
            f"SELECT id, SUM(n) FROM (SELECT source AS id, COUNT(*) AS n FROM relations {where} GROUP BY source "
            f"UNION ALL SELECT target, COUNT(*) FROM relations {where} GROUP BY target) GROUP BY id", params * 2))

    def tie_rows(self, types: Optional[Iterable[RelationType]] = None, statuses: Optional[Iterable[Status]] = None,
                 counted: bool = True) -> list[tuple[str, str, str, int, float]]:
        """Every relation of these types and statuses as (id, source, target, documents,
        confidence), by id, in one query: what whole-graph views weigh ties by, without a
        record per relation. documents as document_counts, confidence as confidence_of its
        evidence (0 without any); counted=False: 0 and 0.0, the evidence not read."""
        clauses, params = [], []
        _enum_filters(clauses, params, types, statuses, "r.")
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        if not counted:
            return [(i, s, t, 0, 0.0) for i, s, t in self._reader().execute(
                f"SELECT r.id, r.source, r.target FROM relations r {where} ORDER BY r.id", params)]
        # Each relation's evidence counted where it is (its rows are together under the
        # primary key): a join grouped by relation sorted every evidence row, twice as long
        # for a store of 100,000 documents.
        return [(i, s, t, n, c or 0.0) for i, s, t, n, c in self._reader().execute(
            f"SELECT r.id, r.source, r.target, "
            f"(SELECT COUNT(DISTINCT e.document) FROM relation_evidence e WHERE e.owner = r.key), "
            f"(SELECT MAX(e.confidence) FROM relation_evidence e WHERE e.owner = r.key) "
            f"FROM relations r {where} ORDER BY r.id", params)]

    def _by_ids(self, ids: Sequence[str], evidence: bool = True) -> list[Entity]:
        """Entities in the order of `ids`."""
        found = {e.id: e for e in self._entities(f"WHERE id IN {_IDS}", (json.dumps(list(ids)),), evidence)}
        return [found[i] for i in ids if i in found]

    def _names(self) -> list[Entity]:
        """Every entity without its evidence: what fuzzy name matching looks at."""
        db = self._reader()
        aliases = _aliases(db, "", ())
        return [_entity(row, aliases.get(row[0], []), []) for row in
                db.execute(f"SELECT {_ENTITY_COLUMNS} FROM entities ORDER BY id")]

    def _entities(self, where: str, params: tuple, evidence: bool = True) -> list[Entity]:
        """Entities with their aliases, and their evidence unless evidence=False (then not cached)."""
        db = self._reader()
        with collector_paused():
            rows = db.execute(f"SELECT {_ENTITY_KEYED} FROM entities {where} ORDER BY id", params).fetchall()
            if not rows:
                return []
            ids = None if not where else json.dumps([r[1] for r in rows])
            aliases = _aliases(db, "" if ids is None else f"WHERE entity IN {_IDS}", () if ids is None else (ids,))
            if not evidence:
                return [_entity(row[1:], aliases.get(row[1], []), []) for row in rows]
            owned = _evidence(db, "entity_evidence", None if not where else [r[0] for r in rows])
            found = [_entity(row[1:], aliases.get(row[1], []), owned.get(row[0], [])) for row in rows]
            self._cached().update((e.id, e) for e in found)
            return found

    def _relations(self, where: str, params: tuple, owners_from: Optional[str] = None) -> list[Relation]:
        db = self._reader()
        with collector_paused():
            rows = db.execute(f"SELECT {_RELATION_KEYED} FROM relations {where} ORDER BY id", params).fetchall()
            if not rows:
                return []
            if owners_from == "none":
                return [_relation(row[1:], []) for row in rows]
            evidence = _evidence(db, "relation_evidence", None if owners_from == "all" else [r[0] for r in rows])
            return [_relation(row[1:], evidence.get(row[0], [])) for row in rows]


class _Writer:
    """The rows of one transaction: merges records the way graph/memory.py does."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._quotes: dict[tuple[str, str, str], int] = {}
        self._quoted_documents: set[str] = set()
        self._rules: dict[str, int] = {}
        self._entity_keys: dict[str, int] = {}  # entity ids seen in this transaction

    def add(self, extraction: Extraction) -> None:
        doc = extraction.document
        for (old,) in self.db.execute("SELECT id FROM documents WHERE source = ?", (doc.source,)).fetchall():
            if old != doc.id:
                self.remove(old)
        self.db.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?)", _document_row(doc))
        for entity in extraction.entities:
            self._put_entity(entity)
        for relation in extraction.relations:
            for end in (relation.source, relation.target):
                if not self._exists(end):
                    raise StoreError(f"relation {relation.id} names unknown entity {end!r}")
            self._put_relation(relation)

    def _exists(self, entity_id: str) -> bool:
        if entity_id not in self._entity_keys:
            row = self.db.execute("SELECT key FROM entities WHERE id = ?", (entity_id,)).fetchone()
            if row is None:
                return False
            self._entity_keys[entity_id] = row[0]
        return True

    def _put_entity(self, entity: Entity) -> None:
        row = self.db.execute("SELECT key, name, parent, attributes FROM entities WHERE id = ?",
                              (entity.id,)).fetchone()
        if row is None:
            key = self._insert_entity(entity)
        else:
            key = row[0]
            self._merge_entity(entity, *row[1:])
        self._entity_keys[entity.id] = key
        self._insert_evidence("entity_evidence", key, entity.evidence)

    def _insert_entity(self, entity: Entity) -> int:
        attributes = dict(entity.attributes)
        key = self.db.execute(
            "INSERT INTO entities (id, name, kind, parent, attributes, folded, label_folded) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (entity.id, entity.name, entity.kind.value, entity.parent, json.dumps(attributes, ensure_ascii=False),
             fold(entity.name), fold(_label(entity.name, attributes)))).lastrowid
        self._write_aliases(entity.id, entity.aliases)
        return key

    def _merge_entity(self, entity: Entity, name: str, parent: Optional[str], attributes_json: str) -> None:
        """Aliases joined, a missing parent filled in, attributes kept where set: as memory.py."""
        if entity.aliases:
            current = [a for (a,) in self.db.execute(
                "SELECT alias FROM aliases WHERE entity = ? ORDER BY position", (entity.id,))]
            if set(entity.aliases) - set(current):
                self.db.execute("DELETE FROM aliases WHERE entity = ?", (entity.id,))
                self._write_aliases(entity.id, merge_aliases(current, entity.aliases, name))
        if parent is None and entity.parent is not None:
            self.db.execute("UPDATE entities SET parent = ? WHERE id = ?", (entity.parent, entity.id))
        if entity.attributes:
            attributes = json.loads(attributes_json)
            new = {k: v for k, v in entity.attributes.items() if k not in attributes}
            if new:
                attributes.update(new)
                self.db.execute("UPDATE entities SET attributes = ?, label_folded = ? WHERE id = ?",
                                (json.dumps(attributes, ensure_ascii=False), fold(_label(name, attributes)),
                                 entity.id))

    def _write_aliases(self, entity_id: str, aliases: list[str]) -> None:
        self.db.executemany("INSERT INTO aliases VALUES (?, ?, ?, ?)",
                            [(entity_id, i, a, fold(a)) for i, a in enumerate(aliases)])

    def _put_relation(self, relation: Relation) -> None:
        row = self.db.execute("SELECT key, via, since FROM relations WHERE id = ?", (relation.id,)).fetchone()
        if row is None:
            key = self._insert_relation(relation)
        else:
            key, via, since = row
            if via is None and relation.via is not None:
                self.db.execute("UPDATE relations SET via = ? WHERE key = ?", (relation.via, key))
            if relation.since is not None and (since is None or relation.since < since):
                self.db.execute("UPDATE relations SET since = ? WHERE key = ?", (relation.since, key))
        self._insert_evidence("relation_evidence", key, relation.evidence)

    def _insert_relation(self, relation: Relation) -> int:
        return self.db.execute("INSERT INTO relations (id, source, target, type, status, via, since) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)", _relation_row(relation)).lastrowid

    def _insert_evidence(self, table: str, owner: int, evidence: list[Evidence]) -> None:
        """New evidence only: a piece already there (same quote, span and rule) keeps its row."""
        if evidence:
            self.db.executemany(
                f"INSERT OR IGNORE INTO {table} VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(owner, self._quote(e), e.start, e.end, self._rule(e.rule), e.confidence, e.document,
                  len(e.sentence)) for e in evidence])

    def _rule(self, name: str) -> int:
        found = self._rules.get(name)
        if found is None:
            row = self.db.execute("SELECT id FROM rules WHERE name = ?", (name,)).fetchone()
            found = row[0] if row else self.db.execute("INSERT INTO rules (name) VALUES (?)", (name,)).lastrowid
            self._rules[name] = found
        return found

    def _quote(self, e: Evidence) -> int:
        """The id of the (document, section, sentence) row, written once however many facts cite it."""
        key = (e.document, e.section, e.sentence)
        found = self._quotes.get(key)
        if found is None:
            if e.document not in self._quoted_documents:
                self._quoted_documents.add(e.document)
                for quote, section, sentence in self.db.execute(
                        "SELECT id, section, sentence FROM quotes WHERE document = ?", (e.document,)):
                    self._quotes.setdefault((e.document, section, sentence), quote)
                found = self._quotes.get(key)
            if found is None:
                found = self.db.execute("INSERT INTO quotes (document, section, sentence) VALUES (?, ?, ?)",
                                        key).lastrowid
                self._quotes[key] = found
        return found

    def remove(self, document_id: str) -> None:
        db = self.db
        db.execute("DELETE FROM documents WHERE id = ?", (document_id,))
        for table in ("entity_evidence", "relation_evidence"):
            db.execute(f"DELETE FROM {table} WHERE quote IN (SELECT id FROM quotes WHERE document = ?)",
                       (document_id,))
        db.execute("DELETE FROM quotes WHERE document = ?", (document_id,))
        self._quotes = {k: v for k, v in self._quotes.items() if k[0] != document_id}
        self._quoted_documents.discard(document_id)
        db.execute("DELETE FROM relations WHERE NOT EXISTS "
                   "(SELECT 1 FROM relation_evidence e WHERE e.owner = relations.key)")
        gone = db.execute(
            "DELETE FROM entities WHERE NOT EXISTS (SELECT 1 FROM entity_evidence e WHERE e.owner = entities.key) "
            "AND NOT EXISTS (SELECT 1 FROM relations r WHERE r.source = entities.id) "
            "AND NOT EXISTS (SELECT 1 FROM relations r WHERE r.target = entities.id) RETURNING id").fetchall()
        if gone:
            db.execute(f"DELETE FROM aliases WHERE entity IN {_IDS}", (json.dumps([i for (i,) in gone]),))
            for (i,) in gone:
                self._entity_keys.pop(i, None)

    def install(self, snapshot: StoreFile) -> None:
        """Every record as it is, no merging: the snapshot is already one consistent store."""
        self.db.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?)", map(_document_row, snapshot.documents))
        for entity in snapshot.entities:
            self._insert_evidence("entity_evidence", self._insert_entity(entity), entity.evidence)
        for relation in snapshot.relations:
            self._insert_evidence("relation_evidence", self._insert_relation(relation), relation.evidence)
        self.db.executemany("INSERT OR IGNORE INTO statements (id, record) VALUES (?, ?)",
                            ((s.id, s.record()) for s in snapshot.statements))


# -- schema ---------------------------------------------------------------------


def _check_header(path: Path) -> None:
    """A file that is not SQLite (an old JSON store, say) is named, not opened as a database."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: kan inte läsa grafen ({exc.strerror or exc})") from exc
    if head and head != SQLITE_HEADER:
        raise StoreError(f"{path}: inte en SQLite-graf (en JSON-graf konverteras med "
                         f"samverkan store migrate GAMMAL.json NY.sqlite)")


def _ensure_schema(db: sqlite3.Connection, path: Path) -> None:
    """Create the tables in a new store, or upgrade an older schema, inside one transaction
    (two processes opening a new store at once: one creates, the other sees it done)."""
    if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"{path}: grafen har schemaversion {version}, som är nyare än den här versionen "
                             f"av samverkan kan läsa ({SCHEMA_VERSION}); uppdatera samverkan")
        if version == 0:
            if db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone():
                raise StoreError(f"{path}: en SQLite-fil utan samverkans schema")
            for statement in SCHEMA:
                db.execute(statement)
        else:
            for step in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[step]:
                    db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


# -- rows and records -----------------------------------------------------------


def _document_row(doc: Document) -> tuple:
    """The columns other tools filter on, and the whole record as JSON: a field added to
    Document later is kept without a schema change."""
    return (doc.id, doc.source, doc.title, doc.type.value, doc.date, doc.model_dump_json())


_DOCUMENT_DEFAULTS = {name: field.get_default(call_default_factory=True)
                      for name, field in Document.model_fields.items() if not field.is_required()}


def _document(record: str) -> Document:
    """A stored document back as the record; fields it was written without take their defaults."""
    data = json.loads(record)
    data["type"] = _DOC_TYPES[data["type"]]
    return Document.trusted(**{**_DOCUMENT_DEFAULTS, **data})


def _relation_row(rel: Relation) -> tuple:
    return (rel.id, rel.source, rel.target, rel.type.value, rel.status.value, rel.via, rel.since)


def _relation(row: tuple, evidence: list[Evidence]) -> Relation:
    id_, source, target, type_, status, via, since = row
    return Relation.trusted(id_, source, target, _TYPES[type_], _STATUSES[status], via, since, evidence)


def _entity(row: tuple, aliases: list[str], evidence: list[Evidence]) -> Entity:
    id_, name, kind, parent, attributes = row
    return Entity.trusted(id_, name, _KINDS[kind], aliases, parent, json.loads(attributes), evidence)


def _label(name: str, attributes: dict | str) -> str:
    """Entity.label from stored columns."""
    if isinstance(attributes, str):
        attributes = json.loads(attributes)
    municipality = attributes.get("municipality")
    return f"{name} ({municipality})" if municipality else name


def _name(row: tuple) -> EntityName:
    """An EntityName from (id, name, kind, parent, attributes)."""
    id_, name, kind, parent, attributes = row
    return EntityName(id_, name, _KINDS[kind], _label(name, attributes) if attributes != "{}" else name, parent)


def _aliases(db: sqlite3.Connection, where: str, params: tuple) -> dict[str, list[str]]:
    rows = db.execute(f"SELECT entity, alias FROM aliases {where} ORDER BY entity, position", params)
    return {owner: [alias for _, alias in group] for owner, group in groupby(rows, key=itemgetter(0))}


def _evidence(db: sqlite3.Connection, table: str, owners: Optional[list[int]]) -> dict[int, list[Evidence]]:
    """Evidence by owner key, each list in key order (document, start, end, rule), for the
    owners given or for every owner. A sentence read twice is one string.

    Every owner's: the quotes are read once into a dict and the evidence rows without a
    join, in the table's own order. The records are made inline (Record.trusted's work
    without its call): a whole-graph export makes over a hundred thousand of them."""
    rules = dict(db.execute("SELECT id, name FROM rules"))
    if owners is None:
        texts = {q: (section, sentence) for q, section, sentence in db.execute("SELECT id, section, sentence FROM quotes")}
        rows = ((owner, *texts[quote], document, start, end, rule, confidence)
                for owner, quote, document, start, end, rule, confidence in db.execute(
                    f'SELECT owner, quote, document, start, "end", rule, confidence FROM {table} ORDER BY owner'))
    else:
        shared: dict[str, str] = {}
        intern = shared.setdefault
        rows = ((owner, section, intern(sentence, sentence), document, start, end, rule, confidence)
                for owner, section, sentence, document, start, end, rule, confidence in db.execute(
                    f'SELECT e.owner, q.section, q.sentence, e.document, e.start, e."end", e.rule, e.confidence '
                    f'FROM {table} e JOIN quotes q ON q.id = e.quote WHERE e.owner IN {_IDS} ORDER BY e.owner',
                    (json.dumps(owners),)))
    new, set_ = object.__new__, object.__setattr__
    all_set = _field_names(Evidence)[1]
    out: dict[int, list[Evidence]] = {}
    for owner, group in groupby(rows, key=itemgetter(0)):
        found = []
        for _, section, sentence, document, start, end, rule, confidence in group:
            record = new(Evidence)
            set_(record, "__dict__", {"document": document, "section": section, "sentence": sentence, "start": start,
                                      "end": end, "rule": rules[rule], "confidence": confidence})
            set_(record, "__pydantic_fields_set__", all_set)
            set_(record, "__pydantic_extra__", None)
            set_(record, "__pydantic_private__", None)
            found.append(record)
        found.sort(key=evidence_key)
        out[owner] = found
    return out


def _digest(db: sqlite3.Connection, table: str, owners: Optional[list[int]],
            quotes: int) -> dict[int, tuple[set, list[EvidenceRow], float]]:
    """Per owner key (of these owners, or of every one) with evidence: the documents of its
    evidence, its best `quotes` quotes and its best confidence.

    The best quotes follow graph.store.best_quotes: one per span (document, start, end),
    of a span's rules the last by name, the shortest sentence first, then by document and
    position. The evidence rows carry their document and sentence length (schema 2), so
    SQL hands them over in that order and one pass keeps each owner's first `quotes`
    spans: a window function over every row took twice as long. Only the winners'
    sentences are read."""
    if owners is not None and len(owners) <= _FEW_OWNERS:
        digests = _digest_few(db, table, owners, quotes)
        return _with_sentences(db, digests)
    where, params = ("", ()) if owners is None else (f"WHERE e.owner IN {_IDS}", (json.dumps(owners),))
    # One span's rows are together (a span is one sentence, so one length), its last rule first.
    rows = db.execute(f'SELECT e.owner, e.document, e.start, e."end", r.name, e.confidence, e.quote '
                      f'FROM {table} e JOIN rules r ON r.id = e.rule {where} '
                      f'ORDER BY e.owner, e.length, e.document, e.start, e."end", r.name DESC', params)
    digests: dict[int, tuple[set, list, float]] = {}
    for owner, group in groupby(rows, key=itemgetter(0)):
        documents: set[str] = set()
        best: list[tuple] = []
        top = -1.0
        last = None
        for _, document, start, end, rule, confidence, quote in group:
            documents.add(document)
            if confidence > top:
                top = confidence
            if len(best) < quotes and (document, start, end) != last:
                last = (document, start, end)
                best.append((quote, document, start, end, rule, confidence))
        digests[owner] = (documents, best, top)
    return _with_sentences(db, digests)


#: Up to this many owners, _digest asks for each one's best quotes apart (see _digest_few).
_FEW_OWNERS = 2000
#: Rows _digest_few reads per best quote at first: a span has a row per rule that read it.
_ROWS_PER_SPAN = 4


def _digest_few(db: sqlite3.Connection, table: str, owners: list[int], quotes: int) -> dict[int, tuple[set, list, float]]:
    """_digest's answer before the sentences are read, for a few owners (a body's ties):
    the documents and best confidence from the evidence rows as they are stored (no
    sort, two columns: taking a hundred thousand sorted rows of seven into Python was
    most of `partners` for a busy body), and each owner's best spans from its own
    query, whose LIMIT lets SQLite keep only the best rows as it sorts. A span read by
    several rules has several rows; when the rows read hold fewer than `quotes` spans,
    the owner's rows are read whole."""
    documents, tops = _owner_documents(db, table, owners)
    sql = (f'SELECT e.document, e.start, e."end", r.name, e.confidence, e.quote FROM {table} e '
           f'JOIN rules r ON r.id = e.rule WHERE e.owner = ? ORDER BY e.length, e.document, e.start, e."end", r.name DESC')
    limited = sql + " LIMIT ?"
    digests: dict[int, tuple[set, list, float]] = {}
    rows_per_read = max(quotes, 1) * _ROWS_PER_SPAN
    for owner in sorted(set(owners)):  # in key order, as _digest's one sorted read gave them
        if owner not in documents:
            continue
        best: list[tuple] = []
        rows = db.execute(limited, (owner, rows_per_read)).fetchall() if quotes > 0 else []
        if len(rows) == rows_per_read and len({row[:3] for row in rows}) < quotes:
            rows = db.execute(sql, (owner,)).fetchall()
        last = None
        for document, start, end, rule, confidence, quote in rows:
            if len(best) >= quotes:
                break
            if (document, start, end) != last:
                last = (document, start, end)
                best.append((quote, document, start, end, rule, confidence))
        digests[owner] = (documents[owner], best, tops[owner])
    return digests


def _owner_documents(db: sqlite3.Connection, table: str, owners: list[int]) -> tuple[dict[int, set[str]], dict[int, float]]:
    """Per owner with evidence: the documents of its evidence and its best confidence.

    Each owner's documents come as one string joined by SQLite (unit separator between
    them) and are split here: a row per piece of evidence cost three times as long for a
    body with a hundred thousand. An owner whose split does not give as many documents
    as it has rows (a document id holding the separator) is read row by row."""
    documents: dict[int, set[str]] = {}
    tops: dict[int, float] = {}
    odd = []
    for owner, joined, count, top in db.execute(
            f"SELECT owner, group_concat(document, char(31)), COUNT(*), MAX(confidence) FROM {table} "
            f"WHERE owner IN {_IDS} GROUP BY owner", (json.dumps(owners),)):
        parts = joined.split("\x1f")
        if len(parts) != count:
            odd.append(owner)
            continue
        documents[owner] = set(parts)
        tops[owner] = top
    if odd:
        for owner, document in db.execute(f"SELECT owner, document FROM {table} WHERE owner IN {_IDS}",
                                          (json.dumps(odd),)):
            documents.setdefault(owner, set()).add(document)
        tops.update(db.execute(f"SELECT owner, MAX(confidence) FROM {table} WHERE owner IN {_IDS} GROUP BY owner",
                               (json.dumps(odd),)))
    return documents, tops


def _with_sentences(db: sqlite3.Connection, digests: dict[int, tuple[set, list, float]],
                    ) -> dict[int, tuple[set, list[EvidenceRow], float]]:
    """The digests with each best quote's section and sentence read: only the winners'."""
    texts = {q: (section, sentence) for q, section, sentence in db.execute(
        f"SELECT id, section, sentence FROM quotes WHERE id IN {_IDS}",
        (json.dumps(sorted({b[0] for _, best, _ in digests.values() for b in best})),))}
    return {owner: (documents, [EvidenceRow(document, *texts[quote], start, end, rule, confidence)
                                for quote, document, start, end, rule, confidence in best], top)
            for owner, (documents, best, top) in digests.items()}


def _graph(entities: list[Entity], relations: list[Relation]) -> "nx.MultiDiGraph":
    """The networkx view the JSON store keeps: nodes carry `entity`, edges `relation`, keyed by id."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    graph.add_nodes_from((e.id, {"entity": e}) for e in entities)
    graph.add_edges_from((r.source, r.target, r.id, {"relation": r}) for r in relations)
    return graph


_WORD = re.compile(r"\w+(\*?)")


def _use_wal(db: sqlite3.Connection, timeout: float) -> None:
    """Put the file in WAL mode, waiting up to `timeout` seconds for other connections.
    Switching needs the file to itself, and SQLite answers "database is locked" at once
    instead of calling the busy handler: two ingests that start together on a new store
    both try it, one while the other is writing the schema."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.02)


def fts_query(text: str) -> str:
    """The user's words as an FTS5 query every word of which must match, each as a quoted
    prefix: no user text is read as FTS5 syntax, and 'överenskommelse' finds
    'överenskommelsen'."""
    words = [m.group(0).rstrip("*") for m in _WORD.finditer(text)]
    return " ".join(f'"{w}"*' for w in words)




# -- opening and migrating ------------------------------------------------------


def is_sqlite_file(path: Path) -> bool:
    try:
        with Path(path).open("rb") as fh:
            return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def migrate(old: Path, new: Path) -> StoreStats:
    """Convert a JSON store (samverkan-store/1 or /2) into a new SQLite store; the old file is
    left as it was. Returns the new store's figures, checked against the old one's."""
    from graph.memory import MemoryStore

    if not Path(old).exists():
        raise StoreError(f"{old}: filen finns inte")
    if Path(new).exists():
        raise StoreError(f"{new}: filen finns redan; ange en ny fil")
    source = MemoryStore(Path(old))
    expected = source.stats()
    target = SQLiteStore(new)
    try:
        target.install(source.snapshot())
        got = target.stats()
    finally:
        target.close()
    if got != expected:
        raise StoreError(f"{new}: konverteringen gav {got.documents} dokument, {got.entities} aktörer och "
                         f"{got.relations} samband, men {old} har {expected.documents}, {expected.entities} "
                         f"och {expected.relations}")
    return got


__all__ = ["SCHEMA_VERSION", "SEARCH_RANKED", "SQLiteStore", "SearchHit", "StoreError", "fts_query", "is_sqlite_file", "migrate"]


def _enum_filters(clauses: list[str], params: list, types, statuses, prefix: str = "") -> None:
    """The WHERE clauses (and their parameters) that keep relations of these types and
    statuses; none for an empty or missing set. prefix names the table ("r.")."""
    for column, values in (("type", types), ("status", statuses)):
        if values:
            clauses.append(f"{prefix}{column} IN {_IDS}")
            params.append(json.dumps(sorted({v.value for v in values})))


# --- Results derived from the graph, kept in the store (queries/derived.py) -------------------
#
# Appended as functions set on SQLiteStore rather than written into the class, so that this
# block stays apart from the read paths above. A derived result (the exports' betweenness,
# the map's layout) is kept under a kind with the fingerprint of the graph it was computed
# from: a changed graph has another fingerprint, so nothing is ever invalidated by hand.

_DERIVED_TABLE = ("CREATE TABLE IF NOT EXISTS derived (kind TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, "
                  "value TEXT NOT NULL)")


def _derived(self: SQLiteStore, kind: str, fingerprint: str) -> Optional[str]:
    """The value kept for `kind` if it was computed from a graph with this fingerprint."""
    if not self.path.exists():
        return None
    try:
        row = self._reader().execute("SELECT value FROM derived WHERE kind = ? AND fingerprint = ?",
                                     (kind, fingerprint)).fetchone()
    except sqlite3.OperationalError:  # no table yet: nothing was ever kept
        return None
    return row[0] if row else None


def _keep_derived(self: SQLiteStore, kind: str, fingerprint: str, value: str) -> bool:
    """Keep `value` for `kind`, replacing what was kept for another graph. Best effort: a
    read-only store is not written, and another writer (an ingest) is never waited for;
    False when nothing was kept. On its own connection, so that no read of this one is
    left inside a write transaction."""
    if not self._on_disk or not self.path.exists():
        return False
    try:
        check_writable(self.path)
    except StoreError:
        return False
    try:
        db = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        try:
            db.execute(_DERIVED_TABLE)
            db.execute("INSERT OR REPLACE INTO derived (kind, fingerprint, value) VALUES (?, ?, ?)",
                       (kind, fingerprint, value))
        finally:
            db.close()
    except sqlite3.Error:
        return False
    return True


SQLiteStore.derived = _derived  # type: ignore[attr-defined]
SQLiteStore.keep_derived = _keep_derived  # type: ignore[attr-defined]


def _export_entities(self: SQLiteStore) -> list[tuple]:
    """Every entity as (id, label, kind, aliases, parent, dnr, documents), by id: what a
    file export lists of an actor (queries/export_graph.py EntityRow), in one query and
    without a record per entity. documents: how many documents its own evidence comes from."""
    db = self._reader()
    with collector_paused():
        aliases = _aliases(db, "", ())
        rows = db.execute("SELECT n.id, n.name, n.kind, n.parent, n.attributes, "
                          "(SELECT COUNT(DISTINCT e.document) FROM entity_evidence e WHERE e.owner = n.key) "
                          "FROM entities n ORDER BY n.id").fetchall()
        found = []
        for id_, name, kind, parent, attributes, documents in rows:
            if attributes == "{}":
                found.append((id_, name, kind, aliases.get(id_, []), parent, None, documents))
            else:
                attributes = json.loads(attributes)
                found.append((id_, _label(name, attributes), kind, aliases.get(id_, []), parent,
                              attributes.get("dnr"), documents))
        return found


SQLiteStore.export_entities = _export_entities  # type: ignore[attr-defined]
