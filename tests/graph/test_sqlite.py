"""The SQLite store on its own: files, schema versions, reads that answer like the JSON
store's, search, migration. Concurrency and kills are in test_sqlite_processes.py."""

import json
import sqlite3

import pytest

from graph.memory import MemoryStore
from graph.model import Kind, RelationType, Status
from graph.sqlite import SCHEMA_VERSION, SQLiteStore, StoreError, fts_query, migrate
from tests.graph.synthetic import document
from tests.helpers import entity, extraction, sample_extraction




def _both(extractions):
    memory = MemoryStore()
    for x in extractions:
        memory.add(x)
    return memory


@pytest.fixture
def synthetic():
    return [document(n, "t", ties=15) for n in range(40)]


def test_a_reopened_store_has_what_was_added(tmp_path):
    path = tmp_path / "g.sqlite"
    with SQLiteStore(path) as store:
        store.add(sample_extraction())
        before = store.dump()
    again = SQLiteStore(path)
    assert again.dump() == before
    assert again.stats().relations == 1


def test_the_file_is_sqlite_in_wal_mode_with_the_schema_version(tmp_path):
    path = tmp_path / "g.sqlite"
    SQLiteStore(path).add(sample_extraction())
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("SELECT COUNT(*) FROM relations").fetchone()[0] == 1


def test_asking_a_question_creates_no_file(tmp_path):
    store = SQLiteStore(tmp_path / "sub" / "g.sqlite")
    assert store.is_empty() and store.entities() == [] and store.find("Uppsala") == []
    assert not (tmp_path / "sub").exists()
    store.add(sample_extraction())
    assert (tmp_path / "sub" / "g.sqlite").exists() and not store.is_empty()


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "g.sqlite"
    SQLiteStore(path).add(sample_extraction())
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError, match="schemaversion"):
        SQLiteStore(path)


@pytest.mark.parametrize("content", [b'{"format": "samverkan-store/2"}', b"not a database at all"])
def test_a_file_that_is_not_a_sqlite_store_is_named_and_left_alone(tmp_path, content):
    path = tmp_path / "g.sqlite"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="g.sqlite: inte en SQLite-graf"):
        SQLiteStore(path)
    assert path.read_bytes() == content


def test_another_sqlite_database_is_not_taken_for_a_store(tmp_path):
    path = tmp_path / "other.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="utan samverkans schema"):
        SQLiteStore(path)


def test_a_failing_document_leaves_nothing_behind(tmp_path):
    store = SQLiteStore(tmp_path / "g.sqlite")
    store.add(sample_extraction())
    before = store.dump()
    broken = sample_extraction("Uppsala kommun och Region Uppsala samverkar.", "b.txt")
    broken.relations[0].target = "finns-inte"
    with pytest.raises(StoreError, match="finns-inte"):
        store.add(broken)
    assert store.dump() == before


def test_many_documents_give_the_json_stores_graph(tmp_path, synthetic):
    store = SQLiteStore(tmp_path / "g.sqlite")
    for x in synthetic:
        store.add(x)
    store.add(synthetic[3])  # again: changes nothing
    reference = _both(synthetic)
    assert store.dump() == reference.dump()
    assert store.stats() == reference.stats()
    assert store.documents() == reference.documents()
    for actor in ["aktor-000", "aktor-017", "aktor-059"]:
        assert store.relations(entity=actor) == reference.relations(entity=actor)
        assert store.relations(entity=actor, types=[RelationType.CO_LOCATED_WITH], statuses=[Status.planned]) == \
            reference.relations(entity=actor, types=[RelationType.CO_LOCATED_WITH], statuses=[Status.planned])
        assert store.entity(actor) == reference.entity(actor)
    assert store.relations(statuses=[Status.ended]) == reference.relations(statuses=[Status.ended])
    assert store.entity("finns-inte") is None and store.relations(entity="finns-inte") == []


def test_networkx_views_are_the_json_stores(tmp_path, synthetic):
    store = SQLiteStore(tmp_path / "g.sqlite")
    store.add_many(synthetic[:10])
    reference = _both(synthetic[:10])
    for mine, theirs in [(store.to_networkx(), reference.to_networkx()),
                         (store.subgraph(["aktor-003"], depth=1), reference.subgraph(["aktor-003"], depth=1)),
                         (store.subgraph(["aktor-003", "aktor-040"], depth=2),
                          reference.subgraph(["aktor-003", "aktor-040"], depth=2))]:
        assert sorted(mine.nodes) == sorted(theirs.nodes)
        assert sorted(mine.edges(keys=True)) == sorted(theirs.edges(keys=True))
        assert all(mine.nodes[n]["entity"] == theirs.nodes[n]["entity"] for n in mine)
        assert all(d["relation"] == theirs.edges[u, v, k]["relation"] for u, v, k, d in mine.edges(keys=True, data=True))


def test_removing_a_document_removes_what_only_it_said(tmp_path, synthetic):
    store, reference = SQLiteStore(tmp_path / "g.sqlite"), MemoryStore()
    for x in synthetic[:12]:
        store.add(x)
        reference.add(x)
    for doc in [synthetic[0].document.id, synthetic[7].document.id]:
        store.remove_document(doc)
        reference.remove_document(doc)
    assert store.dump() == reference.dump()
    assert not store._reader().execute("SELECT 1 FROM quotes WHERE document = ?", (synthetic[0].document.id,)).fetchone()


def test_find_matches_like_the_json_store(tmp_path):
    store, reference = SQLiteStore(tmp_path / "g.sqlite"), MemoryStore()
    x = extraction("t", "t.txt", [entity("Polisregion Mitt", Kind.police_unit, aliases=("PRM",)),
                                  entity("Uppsala kommun", Kind.municipality),
                                  entity("Socialförvaltningen", Kind.administration)], [])
    x.entities[2].attributes["municipality"] = "Uppsala kommun"
    for s in (store, reference):
        s.add(x)
    for name in ["polisregion mitt", "Uppsala kommuns", "Upsala kommun", "prm", "Kiruna",
                 "Socialförvaltningen (Uppsala kommun)", "socialforvaltningen", "Polisregion"]:
        assert store.find(name) == reference.find(name), name


def test_search_finds_quotes_by_word_and_start_of_word(tmp_path):
    store = SQLiteStore(tmp_path / "g.sqlite")
    store.add(extraction("x", "rapport.txt", [entity("Trefas AB", Kind.company), entity("Uppsala kommun", Kind.municipality)],
                         [("Trefas AB", "Uppsala kommun", RelationType.PARTY_TO, Status.existing,
                           "Uppsala kommun tecknade överenskommelsen med Trefas AB.")]))
    (hit,) = store.search("överenskommelse")
    assert hit.sentence == "Uppsala kommun tecknade överenskommelsen med Trefas AB."
    assert hit.source == "rapport.txt" and hit.actors == ["Trefas AB", "Uppsala kommun"]
    assert [h.sentence for h in store.search("trefas")][0] == "Trefas AB"  # shortest match ranks first
    assert store.search("Trefas Uppsala") == [hit]  # every word must be there
    assert store.search("Kiruna") == []
    assert store.search('"; DROP TABLE quotes; -- NEAR( *') == []
    assert store.search("   ") == []


def test_search_ranks_the_newest_matches_when_too_many_match(tmp_path, monkeypatch):
    """Time stays bounded at any store size: beyond SEARCH_RANKED matches only the newest
    are ranked, and search_count tells how many matched in all."""
    import graph.sqlite

    store = SQLiteStore(tmp_path / "g.sqlite")
    for i in range(6):  # the later the document, the longer (the worse ranked) its sentence
        store.add(sample_extraction(f"Uppsala kommun och Polisregion Mitt samverkar om Trefas{' i år' * i}.",
                                    f"d{i}.txt"))
    everything = [h.document for h in store.search("Trefas", 3)]
    monkeypatch.setattr(graph.sqlite, "SEARCH_RANKED", 2)
    newest = [h.document for h in store.search("Trefas", 3)]
    assert len(everything) == 3 and len(newest) == 2 and not set(newest) & set(everything)
    assert store.search_count("Trefas") == 6 and store.search_count("Kiruna") == store.search_count(" ") == 0


def test_the_search_index_forgets_removed_documents(tmp_path):
    store = SQLiteStore(tmp_path / "g.sqlite")
    store.add(sample_extraction("Uppsala kommun och Polisregion Mitt samverkar om Trefas.", "a.txt"))
    assert store.search("Trefas")
    store.add(sample_extraction("Uppsala kommun och Polisregion Mitt samverkar.", "a.txt"))  # a changed a.txt
    assert store.search("Trefas") == []
    assert store._reader().execute("INSERT INTO quotes_fts(quotes_fts) VALUES ('integrity-check')") is not None


def test_fts_query_quotes_every_word():
    assert fts_query("Trefas") == '"Trefas"*'
    assert fts_query('Rinkeby-Kista "AND" x*') == '"Rinkeby"* "Kista"* "AND"* "x"*'
    assert fts_query("-- *") == ""


def test_migrate_converts_a_json_store(tmp_path, synthetic):
    old, new = tmp_path / "g.json", tmp_path / "g.sqlite"
    reference = MemoryStore(old)
    for x in synthetic[:15]:
        reference.add(x)
    reference.save()
    stats = migrate(old, new)
    assert stats == reference.stats()
    assert SQLiteStore(new).dump() == MemoryStore(old).dump()
    migrated = SQLiteStore(new)  # and it keeps merging as the JSON store would have
    migrated.add(synthetic[20])
    reference.add(synthetic[20])
    assert migrated.dump() == reference.dump()


def test_migrate_never_overwrites(tmp_path):
    old, new = tmp_path / "g.json", tmp_path / "g.sqlite"
    store = MemoryStore(old)
    store.add(sample_extraction())
    store.save()
    new.write_bytes(b"precious")
    with pytest.raises(StoreError, match="finns redan"):
        migrate(old, new)
    assert new.read_bytes() == b"precious"
    with pytest.raises(StoreError, match="finns inte"):
        migrate(tmp_path / "none.json", tmp_path / "other.sqlite")


def test_the_document_record_keeps_every_field(tmp_path):
    store = SQLiteStore(tmp_path / "g.sqlite")
    x = sample_extraction()
    x.document.dnr = ["KS 2024/12"]
    x.document.title = "Överenskommelse"
    store.add(x)
    assert SQLiteStore(tmp_path / "g.sqlite").documents() == [x.document]
    row = store._reader().execute("SELECT source, title, record FROM documents").fetchone()
    assert row[:2] == ("a.txt", "Överenskommelse") and json.loads(row[2])["dnr"] == ["KS 2024/12"]


def test_a_second_process_sees_what_the_first_wrote(tmp_path):
    """Entities read are kept for the next question, but not past another writer's commit."""
    path = tmp_path / "g.sqlite"
    reader, writer = SQLiteStore(path), SQLiteStore(path)
    writer.add(sample_extraction())
    assert len(reader.entity("uppsala-kommun").evidence) == 1
    writer.add(sample_extraction("Uppsala kommun och Polisregion Mitt samverkar. Igen.", "b.txt"))
    assert len(reader.entity("uppsala-kommun").evidence) == 2
    reader.add(sample_extraction("Uppsala kommun och Polisregion Mitt samverkar. En tredje gång.", "c.txt"))
    assert len(reader.entity("uppsala-kommun").evidence) == 3


def _committed(path) -> int:
    """Documents another connection sees: what is committed."""
    with sqlite3.connect(path) as db:
        return db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]


def test_batched_writes_commit_a_batch_at_a_time_and_give_the_same_graph(tmp_path, synthetic):
    path = tmp_path / "g.sqlite"
    store = SQLiteStore(path, batch=15)
    store.add(synthetic[0])  # the file exists from the first commit on; nothing is committed yet
    assert not path.exists() or _committed(path) == 0
    for x in synthetic[1:15]:
        store.add(x)
    assert _committed(path) == 15  # the fifteenth document committed the batch
    for x in synthetic[15:20]:
        store.add(x)
    assert _committed(path) == 15
    assert store.stats().documents == 20  # a read commits what is waiting first
    assert _committed(path) == 20
    for x in synthetic[20:]:
        store.add(x)
    store.save()
    assert _committed(path) == len(synthetic)
    assert store.dump() == _both(synthetic).dump()
    store.add(synthetic[0])
    store.close()  # closing commits too
    assert SQLiteStore(path).dump() == _both(synthetic).dump()


#: The evidence tables as schema 1 had them: no document, no sentence length.
_SCHEMA_1_EVIDENCE = """CREATE TABLE {table} (
    owner INTEGER NOT NULL, quote INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    rule INTEGER NOT NULL, confidence REAL NOT NULL,
    PRIMARY KEY (owner, quote, start, "end", rule)) WITHOUT ROWID"""


def _as_schema_1(path) -> None:
    """Turn a store into what schema 1 wrote: the same rows, the evidence without its two new columns."""
    db = sqlite3.connect(path)
    for table in ("entity_evidence", "relation_evidence"):
        db.execute(_SCHEMA_1_EVIDENCE.format(table="old"))
        db.execute(f'INSERT INTO old SELECT owner, quote, start, "end", rule, confidence FROM {table}')
        db.execute(f"DROP TABLE {table}")
        db.execute(f"ALTER TABLE old RENAME TO {table}")
        db.execute(f"CREATE INDEX {table}_quote ON {table}(quote)")
    db.execute("DROP TABLE statements")  # schema 3's
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()


def test_a_schema_1_store_is_migrated_on_open_and_answers_alike(tmp_path, synthetic):
    path = tmp_path / "g.sqlite"
    with SQLiteStore(path) as store:
        for x in synthetic:
            store.add(x)
    memory = _both(synthetic)
    ids = [r.id for r in memory.relations()]
    busiest = max(memory.entities(), key=lambda e: len(memory.relations(entity=e.id, evidence=False))).id
    _as_schema_1(path)
    db = sqlite3.connect(path)
    assert "length" not in [c[1] for c in db.execute("PRAGMA table_info(relation_evidence)")]
    db.close()
    migrated = SQLiteStore(path)
    assert migrated.evidence_summary(ids, 2) == memory.evidence_summary(ids, 2)
    assert migrated.mentions(busiest) == memory.mentions(busiest)
    assert migrated.sources([busiest], ids[:5]) == memory.sources([busiest], ids[:5])
    assert migrated.document_counts(ids) == memory.document_counts(ids)
    assert migrated.dump() == memory.dump()
    migrated.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    assert db.execute("SELECT COUNT(*) FROM relation_evidence WHERE document = '' OR length = 0").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM relation_evidence e JOIN quotes q ON q.id = e.quote "
                      "WHERE e.document != q.document OR e.length != length(q.sentence)").fetchone()[0] == 0


def test_evidence_summary_keeps_the_last_rule_of_a_span_and_the_shortest_sentences(tmp_path):
    """The SQL that picks the best quotes against graph.store.best_quotes on ties of every kind."""
    from graph.model import Evidence, make_relation
    from graph.store import best_quotes

    x = sample_extraction()
    rel = x.relations[0]
    doc = x.document.id
    pieces = [Evidence(document=doc, sentence="Kort mening.", start=5, end=9, rule="b"),
              Evidence(document=doc, sentence="Kort mening.", start=5, end=9, rule="a"),
              Evidence(document=doc, sentence="En lite längre mening.", start=0, end=3, rule="a"),
              Evidence(document=doc, sentence="Lika lång 1.", start=1, end=2, rule="z", confidence=0.5),
              Evidence(document=doc, sentence="Lika lång 2.", start=0, end=2, rule="c")]
    x.relations = [make_relation(rel.source, rel.target, rel.type, rel.status, pieces)]
    with SQLiteStore(tmp_path / "g.sqlite") as store:
        store.add(x)
        summary = store.evidence_summary([x.relations[0].id], 3)[x.relations[0].id]
    assert summary.best == best_quotes(pieces, 3)
    assert [e.rule for e in summary.best] == ["c", "z", "b"]
