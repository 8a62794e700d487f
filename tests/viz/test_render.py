"""The map's drawing of ties, without a browser."""

from graph.model import RelationType, Status, make_relation, slug
from tests.helpers import evidence
from viz.render import Pair, _opacity
from viz.labels import labels


def _pair(confidence: float, status: Status = Status.existing) -> Pair:
    ev = evidence("doc-1", "Kiruna kommun och Gällivare kommun samverkar.").model_copy(update={"confidence": confidence})
    rel = make_relation(slug("Kiruna kommun"), slug("Gällivare kommun"), RelationType.COLLABORATES_WITH, status, [ev])
    return Pair(rel.source, rel.target, [rel])


def test_a_weakly_read_tie_is_drawn_lighter_than_a_strong_one():
    styles = labels()
    style = styles["statuses"]["existing"]
    strong, weak = _opacity(_pair(0.95), style, styles), _opacity(_pair(0.6), style, styles)
    assert weak < strong == 1.0


def test_the_best_evidence_decides_how_sure_a_tie_is():
    pair = _pair(0.6)
    stronger = evidence("doc-2", "Avtalet tecknades.").model_copy(update={"confidence": 0.95})
    pair.relations[0].evidence.append(stronger)
    assert pair.confidence == 0.95
