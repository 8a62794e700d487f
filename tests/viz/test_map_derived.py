"""The map's layout and metrics kept in the store, and its actors' quotes read in a child
process, give the very page computed here and now (viz/render.py _derived, load)."""

from __future__ import annotations

import random

import pytest

from graph.model import Kind, RelationType, Status
from graph.sqlite import SQLiteStore
from tests.helpers import entity, extraction
from viz import render
from viz.render import LAYOUT_KIND, PHYSICS_LIMIT, load, page


@pytest.fixture()
def store(tmp_path):
    """More actors than PHYSICS_LIMIT (a large map: laid out in Python), tied at random."""
    rng = random.Random(7)
    names = [f"Aktör {n}" for n in range(PHYSICS_LIMIT + 20)]
    store = SQLiteStore(tmp_path / "g.sqlite")
    for d in range(12):
        chosen = rng.sample(names, 12)
        ties = [(a, b, RelationType.COLLABORATES_WITH, rng.choice([Status.existing, Status.planned]),
                 f"{a} samverkar med {b} ({d}).") for a, b in zip(chosen, chosen[1:])]
        store.add(extraction(f"dokument {d}", f"dok{d}.txt", [entity(n, Kind.agency) for n in chosen], ties))
    yield store
    store.close()


def test_a_kept_layout_gives_the_page_computed_here(store, monkeypatch):
    graph = load(store)
    first = page(graph, {})
    assert store._reader().execute("SELECT COUNT(*) FROM derived WHERE kind = ?", (LAYOUT_KIND,)).fetchone()[0] == 1

    def refused(*args):
        raise AssertionError("computed again")

    monkeypatch.setattr(render, "_layout_and_metrics", refused)
    assert page(load(SQLiteStore(store.path)), {}) == first
    monkeypatch.undo()
    here = load(store)
    del here.graph[render.STORE_KEY]  # no store to keep it in: computed at once
    assert page(here, {}) == first


def test_a_changed_graph_is_laid_out_again(store):
    before = page(load(store), {})
    store.add(extraction("dokument ny", "ny.txt", [entity("Aktör 1", Kind.agency), entity("Ny aktör", Kind.ngo)],
                         [("Aktör 1", "Ny aktör", RelationType.COLLABORATES_WITH, Status.existing, "Ny.")]))
    after = load(store)
    assert "ny-aktor" in after and page(after, {}) != before
    del after.graph[render.STORE_KEY]
    assert page(load(store), {}) == page(after, {})


def test_the_quotes_read_in_child_processes_are_those_read_here(store, monkeypatch):
    child = load(store)
    monkeypatch.setattr(render, "_digest_in_background", lambda store, owners, quotes: None)
    here = load(store)
    assert list(child.nodes) == list(here.nodes)
    assert [child.nodes[n]["entity"].evidence for n in child] == [here.nodes[n]["entity"].evidence for n in here]
    assert any(child.nodes[n]["entity"].evidence for n in child)
    assert list(child.edges(keys=True)) == list(here.edges(keys=True))
    assert [(d["relation"].evidence, d["documents"], d["confidence"]) for *_, d in child.edges(keys=True, data=True)] \
        == [(d["relation"].evidence, d["documents"], d["confidence"]) for *_, d in here.edges(keys=True, data=True)]
    assert page(child, {}) == page(here, {})


@pytest.mark.parametrize("focus", [None, "exempelby-kommun"])
def test_a_reviewed_store_digests_quotes_as_its_records_say(tmp_path, monkeypatch, focus):
    """A reviewed SQLite store's map is read through the review's quote_digest (merged,
    split, renamed actors; rejected, corrected and added ties): the very page its records
    give, each reviewed line marked."""
    from graph.reviewed import ReviewedStore
    from tests.graph.test_reviewed import GARD, KOMMUN, POLIS, RTJ, RTJ2, SOC, TRYGG, _document, _say

    store = SQLiteStore(tmp_path / "g.sqlite")
    store.add(_document())
    for s in [_say("status", KOMMUN, POLIS, value="planned"), _say("merge", RTJ, RTJ2),
              _say("split", SOC, value="Socialförvaltningen"), _say("reject", KOMMUN, RTJ),
              _say("via", POLIS, RTJ, value=TRYGG), _say("rename", GARD, value="Ungdomsgården Ljuset"),
              _say("add", "ungdomsgarden-ljuset", KOMMUN, value="existing", note="Enligt rektorn.", reference="Möte"),
              _say("confirm", POLIS, SOC, note="Sett.")]:
        store.add_statement(s)
    view = ReviewedStore(store, store.statements())
    assert hasattr(view, "quote_digest")
    digested = load(view, focus=focus)
    assert any("review" in d for _, _, d in digested.edges(data=True))
    assert all("documents" in d for _, _, d in digested.edges(data=True))  # read through the digest
    with_digest = page(digested, {})
    monkeypatch.delattr(ReviewedStore, "quote_digest")
    assert not hasattr(view, "quote_digest")
    read_whole = load(ReviewedStore(store, store.statements()), focus=focus)
    assert [(u, v, k) for u, v, k in digested.edges(keys=True)] == [(u, v, k) for u, v, k in read_whole.edges(keys=True)]
    assert with_digest == page(read_whole, {})


def test_a_reviewed_store_over_a_store_without_a_digest_has_none():
    from graph.memory import MemoryStore
    from graph.reviewed import ReviewedStore

    assert not hasattr(ReviewedStore(MemoryStore(), []), "quote_digest")
