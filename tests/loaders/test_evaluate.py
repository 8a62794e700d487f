import json

import pytest

from graph.model import Kind, RelationType, Status
from loaders.evaluate import GoldError, evaluate, load_gold, match_actors, score_document
from tests.helpers import entity, extraction

GOLD = {
    "actors": [
        {"name": "Uppsala kommun", "kind": "municipality", "aliases_in_text": ["kommunen"]},
        {"name": "Polisregion Mitt", "kind": "police_unit", "aliases_in_text": []},
        {"name": "Skatteverket", "kind": "agency", "aliases_in_text": []},
    ],
    "collaborations": [
        {"a": "Polisregion Mitt", "b": "Uppsala kommun", "status": "existing", "type": "collaboration"},
        {"a": "Skatteverket", "b": "Uppsala kommun", "status": "proposed", "type": "collaboration"},
    ],
}


def _predicted(status_tax=Status.existing):
    return extraction(
        "text", "a.txt",
        [entity("Uppsala kommun", Kind.municipality), entity("Polisregion Mitt", Kind.police_unit),
         entity("Skatteverket", Kind.agency), entity("Lantmäteriet", Kind.agency)],
        [("Uppsala kommun", "Polisregion Mitt", RelationType.COLLABORATES_WITH, Status.existing, "q1"),
         ("Uppsala kommun", "Skatteverket", RelationType.COLLABORATES_WITH, status_tax, "q2")],
    )


def test_actor_scores():
    score = score_document("a.txt", _predicted(), GOLD)
    assert (score.actors.true_positives, score.actors.predicted, score.actors.gold) == (3, 4, 3)
    assert score.actors.precision == pytest.approx(0.75) and score.actors.recall == 1.0


def test_a_proposal_counted_as_existing_is_an_error_not_a_near_miss():
    score = score_document("a.txt", _predicted(Status.existing), GOLD)
    assert score.pairs.f1 == 1.0
    assert (score.existing.true_positives, score.existing.predicted, score.existing.gold) == (1, 2, 1)
    right = score_document("a.txt", _predicted(Status.proposed), GOLD)
    assert right.existing.f1 == 1.0 and right.status.f1 == 1.0


def test_each_gold_actor_is_matched_once_and_exact_names_win():
    entities = [entity("Uppsala kommunen", Kind.municipality), entity("Uppsala kommun", Kind.municipality)]
    assert match_actors(entities, GOLD["actors"]) == {"uppsala-kommun": "Uppsala kommun"}


def test_fuzzy_names_match_by_token_set():
    entities = [entity("Samverkansöverenskommelse Polisregion Mitt och Uppsala kommun", Kind.agreement)]
    gold = [{"name": "Samverkansöverenskommelse Uppsala kommun och Polisregion Mitt", "kind": "agreement"}]
    assert len(match_actors(entities, gold)) == 1


def test_gold_file_is_checked(tmp_path):
    bad = tmp_path / "g.json"
    bad.write_text(json.dumps({"format": "other"}))
    with pytest.raises(GoldError, match="g.json"):
        load_gold(bad)


def test_evaluate_reports_missing_documents(tmp_path):
    gold = tmp_path / "g.json"
    gold.write_text(json.dumps({"format": "samverkan-gold/1", "documents": {"a.txt": GOLD, "b.txt": GOLD}}))
    scores, total, missing = evaluate(gold, {"a.txt": tmp_path / "a.txt"}, lambda _: _predicted())
    assert missing == ["b.txt"] and len(scores) == 1 and total.actors.gold == 3


def _gold(tmp_path, documents) -> "Path":
    path = tmp_path / "gold.json"
    path.write_text(json.dumps({"format": "samverkan-gold/1", "documents": documents}), encoding="utf-8")
    return path


def test_an_ocr_copy_is_scored_against_its_clean_twins_annotation(tmp_path):
    clean = {"actors": [{"name": "Mora kommun", "kind": "municipality"}], "collaborations": []}
    gold = load_gold(_gold(tmp_path, {"ren.txt": clean, "skannad.txt": {"same_as": "ren.txt"}}))
    assert gold["documents"]["skannad.txt"] == clean


@pytest.mark.parametrize("documents, message", [
    ({"a.txt": {"same_as": "saknas.txt"}}, "same_as"),
    ({"a.txt": {"same_as": "b.txt"}, "b.txt": {"same_as": "a.txt"}}, "cirkel"),
    ({"a.txt": {"actors": "fel", "collaborations": []}}, "'actors'"),
    ({"a.txt": {"actors": [{"kind": "municipality"}], "collaborations": []}}, "aktör nr 1"),
    ({"a.txt": {"actors": [], "collaborations": [{"a": "X"}]}}, "samband nr 1"),
    ([], "'documents'"),
])
def test_a_broken_gold_file_is_one_clear_error(tmp_path, documents, message):
    with pytest.raises(GoldError, match=message):
        load_gold(_gold(tmp_path, documents))


def test_a_confidence_threshold_leaves_out_the_weaker_ties():
    from graph.model import RelationType, Status
    from loaders.evaluate import confident
    from tests.helpers import extraction, entity
    from graph.model import Kind

    x = extraction("t", "a.txt", [entity("Kiruna kommun", Kind.municipality), entity("Gällivare kommun", Kind.municipality)],
                   [("Kiruna kommun", "Gällivare kommun", RelationType.COLLABORATES_WITH, Status.existing, "q")])
    x.relations[0].evidence[0] = x.relations[0].evidence[0].model_copy(update={"confidence": 0.7})
    assert confident(x, 0.8).relations == []
    assert confident(x, 0.7).relations == x.relations


def test_a_short_name_inside_a_long_one_does_not_take_its_match():
    from graph.model import Entity, Kind
    from loaders.evaluate import match_actors

    place = Entity(id="lunnaby", name="Lunnaby", kind=Kind.area)
    agreement = Entity(id="samverkansavtal-om-trygghet-i-lunnaby", name="Samverkansavtal om trygghet i Lunnaby",
                       kind=Kind.agreement)
    gold = [{"name": "Samverkansavtal om trygghet i Lunnaby 2024", "kind": "agreement"}]
    assert match_actors([place, agreement], gold) == {agreement.id: gold[0]["name"]}
