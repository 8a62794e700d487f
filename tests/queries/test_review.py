"""queries/review.py: which tie a pair of actors means, and statements as `review list` shows them."""

from __future__ import annotations

import pytest

from graph.memory import MemoryStore
from graph.model import Kind, RelationType, Status
from graph.review import Action, make_statement
from graph.reviewed import ReviewedStore
from queries.review import ReviewError, describe, find_tie
from tests.helpers import entity, extraction

C, L = RelationType.COLLABORATES_WITH, RelationType.CO_LOCATED_WITH


@pytest.fixture
def store():
    text = "Polisen i Exempelby och Exempelby kommun samverkar och delar lokaler i stadshuset."
    store = MemoryStore()
    store.add(extraction(text, "a.txt", [entity("Polisen i Exempelby", Kind.police_unit),
                                         entity("Exempelby kommun", Kind.municipality)],
                         [("Polisen i Exempelby", "Exempelby kommun", C, Status.existing, text),
                          ("Polisen i Exempelby", "Exempelby kommun", L, Status.existing, text)]))
    return store


def test_a_pair_with_ties_of_several_types_needs_a_type(store):
    a, b = store.entity("polisen-i-exempelby"), store.entity("exempelby-kommun")
    with pytest.raises(ReviewError, match="har samband av flera typer: samverkar med .*, samlokaliserad med .*--typ"):
        find_tie(store, a, b)
    assert find_tie(store, b, a, L) == ("exempelby-kommun", "polisen-i-exempelby", L)


def test_a_pair_without_a_tie_is_refused(store):
    store.add(extraction("Tullverket.", "b.txt", [entity("Tullverket", Kind.agency)], []))
    with pytest.raises(ReviewError, match="Inget samband mellan Tullverket och Exempelby kommun"):
        find_tie(store, store.entity("tullverket"), store.entity("exempelby-kommun"))


def test_the_list_names_actors_as_they_were_when_the_statement_was_made(store):
    made = [make_statement(Action.rename, "polisen-i-exempelby", by="Anna", value="Lokalpolisen", date="2026-12-01"),
            make_statement(Action.status, "lokalpolisen", by="Bo", target="exempelby-kommun", type_=L,
                           value="ended", date="2026-12-02")]
    rows = describe(ReviewedStore(store, made), made)
    assert [r.statement for r in rows] == [
        "omdöpt: Polisen i Exempelby → Lokalpolisen",
        "status rättad: Exempelby kommun – Lokalpolisen (samlokaliserad med) till avslutad"]
