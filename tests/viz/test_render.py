"""The map's drawing of ties, without a browser."""

from graph.model import RelationType, Status, make_relation, slug
from tests.helpers import evidence
from viz.render import Pair


def _pair(confidence: float, status: Status = Status.existing) -> Pair:
    ev = evidence("doc-1", "Kiruna kommun och Gällivare kommun samverkar.").model_copy(update={"confidence": confidence})
    rel = make_relation(slug("Kiruna kommun"), slug("Gällivare kommun"), RelationType.COLLABORATES_WITH, status, [ev])
    return Pair(rel.source, rel.target, [rel])


def test_the_best_evidence_decides_how_sure_a_tie_is():
    pair = _pair(0.6)
    stronger = evidence("doc-2", "Avtalet tecknades.").model_copy(update={"confidence": 0.95})
    pair.relations[0].evidence.append(stronger)
    assert pair.confidence == 0.95


def test_a_review_given_with_an_edge_reaches_its_line():
    import networkx as nx

    from viz.render import pairs

    rel = _pair(0.9).relations[0]
    graph = nx.MultiDiGraph()
    review = {"verdict": "avvisad", "by": "Nils Ek", "date": "2026-12-01", "note": "Fel kommun."}
    graph.add_edge(rel.source, rel.target, key=rel.id, relation=rel, review=review)
    (line,) = pairs(graph)
    assert line.review == review and line.id == "gallivare-kommun|kiruna-kommun"
    graph.edges[rel.source, rel.target, rel.id].pop("review")
    assert pairs(graph)[0].review is None


def test_a_reviewed_tie_between_two_parties_of_an_agreement_is_drawn_with_its_review():
    import networkx as nx

    from viz.render import pairs

    ev = [evidence("doc-1", "Kiruna kommun och Gällivare kommun tecknade avtalet.")]
    a, b, deal = slug("Kiruna kommun"), slug("Gällivare kommun"), slug("Avtal om skolskjuts")
    tie = make_relation(a, b, RelationType.COLLABORATES_WITH, Status.existing, ev, via=deal)
    graph = nx.MultiDiGraph()
    for party in (a, b):
        member = make_relation(party, deal, RelationType.PARTY_TO, Status.existing, ev)
        graph.add_edge(party, deal, key=member.id, relation=member)
    graph.add_edge(tie.source, tie.target, key=tie.id, relation=tie)
    assert len(pairs(graph)) == 2  # the two lines to the agreement already draw the tie
    review = {"verdict": "bekräftad", "by": "Nils Ek", "date": "2026-12-01", "note": "Stämmer."}
    graph.edges[tie.source, tie.target, tie.id]["review"] = review
    assert [p.review for p in pairs(graph) if p.review] == [review]


def test_a_large_graph_is_laid_out_the_same_way_every_time():
    import random

    import networkx as nx

    from viz.layout import positions

    graph = nx.MultiDiGraph()
    rng = random.Random(5)
    edges = [(f"n{rng.randrange(1200)}", f"n{rng.randrange(1200)}") for _ in range(2400)]
    graph.add_nodes_from(f"n{i}" for i in range(1200))
    first = positions(graph, edges)
    random.seed(99)  # whatever else used Python's random numbers in between
    assert positions(graph, edges) == first
