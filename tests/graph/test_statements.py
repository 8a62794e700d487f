"""The review statement record (graph/review.py) and its storage in the store files."""

from __future__ import annotations

import sqlite3

import pytest

from graph.memory import MemoryStore
from graph.model import RelationType
from graph.review import Action, Statement, make_statement, parse_relation_type, review_line
from graph.sqlite import SCHEMA_VERSION, SQLiteStore
from tests.helpers import sample_extraction

C = RelationType.COLLABORATES_WITH


def test_the_id_is_the_content_and_symmetric_ends_are_ordered():
    one = make_statement(Action.confirm, "b-kommun", by="Anna", target="a-polis", type_=C, date="2026-12-03")
    other = make_statement(Action.confirm, "a-polis", by="Anna", target="b-kommun", type_=C, date="2026-12-03")
    assert one == other and (one.source, one.target) == ("a-polis", "b-kommun")
    assert one.id != make_statement(Action.confirm, "a-polis", by="Bo", target="b-kommun", type_=C,
                                    date="2026-12-03").id
    directed = make_statement(Action.reject, "b-kommun", by="Anna", target="a-avtal", type_=RelationType.PARTY_TO)
    assert (directed.source, directed.target) == ("b-kommun", "a-avtal")


def test_a_statement_round_trips_as_its_record():
    s = make_statement(Action.add, "a", by="Anna", target="b", type_=C, value="planned", note='Sa "ja".',
                       reference="Möte", date="2026-12-03")
    assert Statement.from_record(s.record()) == s


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        make_statement(Action.confirm, "a", by="Anna", target="b", type_=C, date="3 december")
    with pytest.raises(ValueError):
        make_statement(Action.status, "a", by="Anna", target="b", type_=C, value="kanske")
    with pytest.raises(ValueError):
        make_statement(Action.reject, "a", by="Anna")  # a tie needs both ends and a type


def test_relation_types_in_swedish():
    assert parse_relation_type("samverkar") is C
    assert parse_relation_type("Part i") is RelationType.PARTY_TO
    assert parse_relation_type("PARTICIPATES_IN") is RelationType.PARTICIPATES_IN
    with pytest.raises(ValueError, match="är inte en sambandstyp"):
        parse_relation_type("grannar")


def test_the_review_line_says_who_when_and_why():
    made = [make_statement(Action.status, "a", by="Anna", target="b", type_=C, value="ended", note="Avslutat 2025.",
                           date="2026-12-01"),
            make_statement(Action.via, "a", by="Bo", target="b", type_=C, value="avtal-x", date="2026-12-02")]
    assert review_line(made, {"avtal-x": "Avtal X"}) == (
        "Granskad: status rättad till avslutad av Anna 2026-12-01: Avslutat 2025.; "
        "via rättad till Avtal X av Bo 2026-12-02")


def test_the_json_store_saves_and_reads_its_statements(tmp_path):
    path = tmp_path / "g.json"
    store = MemoryStore(path)
    store.add(sample_extraction())
    store.save()
    without = path.read_bytes()
    assert b'"statements"' not in without  # a store no one reviewed keeps the bytes it had
    s = make_statement(Action.reject, "uppsala-kommun", by="Anna", target="polisregion-mitt", type_=C)
    store.add_statement(s)
    store.save()
    assert MemoryStore(path).statements() == [s]
    store.remove_statement(s.id)
    store.save()
    assert path.read_bytes() == without


def test_a_schema_2_sqlite_store_gains_the_statements_table_on_open(tmp_path):
    path = tmp_path / "g.sqlite"
    with SQLiteStore(path) as store:
        store.add(sample_extraction())
        before = store.dump()
    db = sqlite3.connect(path)
    db.execute("DROP TABLE statements")
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()
    s = make_statement(Action.confirm, "uppsala-kommun", by="Anna", target="polisregion-mitt", type_=C)
    with SQLiteStore(path) as store:
        assert store.dump() == before
        store.add_statement(s)
    with SQLiteStore(path) as store:
        assert store.statements() == [s]
        assert store.dump() == {**before, "statements": [s.model_dump(mode="json")]}
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    db.close()


def test_migrating_a_json_store_keeps_its_statements(tmp_path):
    from graph.sqlite import migrate

    old = MemoryStore(tmp_path / "g.json")
    old.add(sample_extraction())
    s = make_statement(Action.rename, "uppsala-kommun", by="Anna", value="Uppsala kommun (KS)")
    old.add_statement(s)
    old.save()
    migrate(tmp_path / "g.json", tmp_path / "g.sqlite")
    with SQLiteStore(tmp_path / "g.sqlite") as new:
        assert new.statements() == [s]
