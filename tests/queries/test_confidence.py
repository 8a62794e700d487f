"""Leaving out ties read with little confidence, in queries and on the map."""

from graph.memory import MemoryStore
from graph.model import Kind, RelationType, Status
from queries.partners import partners
from tests.helpers import entity, extraction
from viz.render import select


def _store(confidence: float) -> MemoryStore:
    x = extraction("t", "a.txt", [entity("Kiruna kommun", Kind.municipality), entity("Gällivare kommun", Kind.municipality)],
                   [("Kiruna kommun", "Gällivare kommun", RelationType.COLLABORATES_WITH, Status.existing, "q")])
    x.relations[0].evidence[0] = x.relations[0].evidence[0].model_copy(update={"confidence": confidence})
    store = MemoryStore()
    store.add(x)
    return store


def test_partners_leaves_out_a_tie_below_the_threshold():
    assert [r.partner for r in partners(_store(0.7), "kiruna-kommun", min_confidence=0.8)] == []
    assert [r.partner for r in partners(_store(0.9), "kiruna-kommun", min_confidence=0.8)] == ["Gällivare kommun"]


def test_the_map_leaves_out_a_tie_below_the_threshold():
    graph = _store(0.7).to_networkx()
    assert select(graph, min_confidence=0.8).number_of_edges() == 0
    assert select(graph, min_confidence=0.6).number_of_edges() == 1
