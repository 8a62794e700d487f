"""Review statements applied as a view (graph/reviewed.py), on every backend: each statement,
and the same answers after the same document, or a changed one, is read again."""

from __future__ import annotations

import pytest

from graph.memory import MemoryStore
from graph.model import Kind, RelationType, Status, relation_id
from graph.review import Action, make_statement
from graph.reviewed import REVIEW_RULE, ReviewedStore, reviewed
from queries.between import between
from queries.partners import partners
from tests.helpers import entity, extraction

C, P = RelationType.COLLABORATES_WITH, RelationType.PARTICIPATES_IN

KOMMUN, POLIS, RTJ, RTJ2, SOC, GARD, TRYGG = (
    "exempelby-kommun", "polisen-i-exempelby", "raddningstjansten-vast", "raddningstjansten-i-exempelby",
    "socialtjansten-exempelby", "fritidsgarden-ljuset", "trygg-sommar")


def _document(changed: bool = False):
    """One invented document; `changed` words it differently (another document id), with the same ties."""
    since = "sedan länge" if changed else "sedan 2019"
    quotes = [
        f"Exempelby kommun och Polisen i Exempelby samverkar {since} kring trygghet.",
        "Exempelby kommun har avtal med Räddningstjänsten Väst om brandskydd.",
        "Polisen i Exempelby övar med Räddningstjänsten i Exempelby varje höst.",
        "Socialförvaltningen och Polisen i Exempelby har gemensamma möten.",
        "Fritidsgården Ljuset deltar i Trygg sommar.",
    ]
    text = " ".join(quotes)
    entities = [entity("Exempelby kommun", Kind.municipality), entity("Polisen i Exempelby", Kind.police_unit),
                entity("Räddningstjänsten Väst", Kind.agency), entity("Räddningstjänsten i Exempelby", Kind.agency),
                entity("Socialtjänsten Exempelby", Kind.administration, aliases=("Socialförvaltningen",)),
                entity("Fritidsgården Ljuset", Kind.ngo), entity("Trygg sommar", Kind.project)]
    ties = [("Exempelby kommun", "Polisen i Exempelby", C, Status.existing, quotes[0]),
            ("Exempelby kommun", "Räddningstjänsten Väst", C, Status.existing, quotes[1]),
            ("Polisen i Exempelby", "Räddningstjänsten i Exempelby", C, Status.existing, quotes[2]),
            ("Socialtjänsten Exempelby", "Polisen i Exempelby", C, Status.existing, quotes[3]),
            ("Fritidsgården Ljuset", "Trygg sommar", P, Status.existing, quotes[4])]
    return extraction(text, "exempelby.txt", entities, ties)


def _say(action, source, target=None, type_=C, **fields):
    tie = dict(target=target, type_=type_) if action in ("confirm", "reject", "status", "via", "add") else \
        dict(target=target)
    return make_statement(action, source, by="Anna", date="2026-12-03", **tie, **fields)


@pytest.fixture
def store(backend):
    _, _, store = backend
    store.add(_document())
    return store


def _view(store, *statements, include_rejected=False):
    for s in statements:
        store.add_statement(s)
    return ReviewedStore(store, store.statements(), include_rejected)


def _tie(view, a, b):
    return [r for r in view.relations(entity=a) if {r.source, r.target} == {a, b}]


def test_no_statements_no_view(store):
    assert reviewed(store) is store


def test_confirm_marks_the_tie_and_changes_nothing_else(store):
    view = _view(store, _say("confirm", KOMMUN, POLIS, note="Stämmer, se protokoll."))
    (tie,) = _tie(view, KOMMUN, POLIS)
    assert tie.model_dump(exclude={"evidence"}) == _tie(store, KOMMUN, POLIS)[0].model_dump(exclude={"evidence"})
    assert [s.action for s in view.review_of(tie.id)] == [Action.confirm]
    assert view.review(tie.id) == {"verdict": "bekräftad", "by": "Anna", "date": "2026-12-03",
                                   "note": "Stämmer, se protokoll."}
    assert "Granskad: bekräftad av Anna 2026-12-03: Stämmer, se protokoll." == \
        between(view, KOMMUN, POLIS).direct[0].review


def test_reject_hides_the_tie_unless_asked(store):
    view = _view(store, _say("reject", RTJ, KOMMUN))
    assert _tie(view, KOMMUN, RTJ) == []
    assert RTJ not in {row.partner_id for row in partners(view, KOMMUN)}
    assert between(view, KOMMUN, RTJ).direct == []
    shown = ReviewedStore(store, store.statements(), include_rejected=True)
    (tie,) = _tie(shown, KOMMUN, RTJ)
    assert shown.review(tie.id)["verdict"] == "avvisad"
    assert RTJ in {row.partner_id for row in partners(shown, KOMMUN)}
    edges = shown.to_networkx().get_edge_data(KOMMUN, RTJ)
    assert edges[tie.id]["review"]["verdict"] == "avvisad"


def test_a_confirm_after_a_reject_shows_the_tie_again(store):
    view = _view(store, _say("reject", KOMMUN, RTJ), _say("confirm", KOMMUN, RTJ, note="Ändå rätt."))
    assert len(_tie(view, KOMMUN, RTJ)) == 1


def test_status_correction_gets_its_own_id_and_keeps_the_evidence(store):
    view = _view(store, _say("status", POLIS, KOMMUN, value="planned"))
    (tie,) = _tie(view, KOMMUN, POLIS)
    assert tie.status is Status.planned
    assert tie.id == relation_id(KOMMUN, POLIS, C, Status.planned)
    assert tie.evidence == _tie(store, KOMMUN, POLIS)[0].evidence
    assert view.relation_evidence([tie.id])[tie.id] == tie.evidence
    assert view.document_counts([tie.id]) == {tie.id: 1}
    assert view.evidence_summary([tie.id], 1)[tie.id].documents == {tie.evidence[0].document}


def test_via_correction_names_the_project(store):
    view = _view(store, _say("via", KOMMUN, POLIS, value=TRYGG))
    (tie,) = _tie(view, KOMMUN, POLIS)
    assert tie.via == TRYGG
    assert between(view, KOMMUN, POLIS).direct[0].via == "Trygg sommar"


def test_merge_answers_two_actors_as_one(store):
    view = _view(store, _say("merge", RTJ, RTJ2))
    assert RTJ2 not in view.names()
    merged = view.entity(RTJ)
    assert "Räddningstjänsten i Exempelby" in merged.aliases
    assert {e.document for e in merged.evidence} == {e.document for e in store.entity(RTJ2).evidence}
    assert {row.partner_id for row in partners(view, RTJ)} == {KOMMUN, POLIS}
    assert view.find("Räddningstjänsten i Exempelby", evidence=False)[0].entity.id == RTJ
    assert sum(view.mentions(RTJ).values()) == 2  # both names' own evidence


def test_a_merge_joins_duplicate_ties(store):
    """Merging the kommun into the police would make their tie a tie with itself: it goes."""
    view = _view(store, _say("merge", POLIS, KOMMUN))
    assert all(r.source != r.target for r in view.relations())
    assert {row.partner_id for row in partners(view, POLIS)} == {RTJ, RTJ2, SOC}


def test_split_gives_the_name_its_own_actor_and_the_ties_that_quote_it(store):
    view = _view(store, _say("split", SOC, value="Socialförvaltningen"))
    assert view.entity(SOC).aliases == []
    assert view.entity("socialforvaltningen").name == "Socialförvaltningen"
    assert {row.partner_id for row in partners(view, "socialforvaltningen")} == {POLIS}
    assert partners(view, SOC) == []


def test_split_takes_back_a_merge(store):
    view = _view(store, _say("merge", RTJ, RTJ2), _say("split", RTJ, value="Räddningstjänsten i Exempelby"))
    assert set(view.names()) == set(store.names())
    assert {row.partner_id for row in partners(view, RTJ2)} == {POLIS}
    assert view.entity(RTJ).aliases == []


def test_rename_keeps_the_old_name_as_an_alias(store):
    view = _view(store, _say("rename", POLIS, value="Lokalpolisområde Exempelby"))
    renamed = view.entity("lokalpolisomrade-exempelby")
    assert renamed.name == "Lokalpolisområde Exempelby" and renamed.aliases == ["Polisen i Exempelby"]
    assert POLIS not in view.names()
    assert view.find("Polisen i Exempelby", evidence=False)[0].entity.id == renamed.id
    assert {row.partner_id for row in partners(view, renamed.id)} == {KOMMUN, RTJ2, SOC}
    # A statement made before the rename still finds its tie.
    view = _view(store, _say("status", KOMMUN, POLIS, value="ended"))
    assert _tie(view, KOMMUN, renamed.id)[0].status is Status.ended


def test_add_is_a_tie_with_a_persons_word_as_evidence(store):
    view = _view(store, _say("add", GARD, KOMMUN, value="existing", note="Berättat av föreståndaren.",
                             reference="Samtal 2 december"))
    (tie,) = _tie(view, KOMMUN, GARD)
    (ev,) = tie.evidence
    assert (ev.rule, ev.confidence) == (REVIEW_RULE, 1.0)
    assert ev.sentence == "Berättat av föreståndaren. (källa: Samtal 2 december)"
    (doc,) = view.documents([ev.document])
    assert doc.title == "Samtal 2 december" and doc.author == "Anna"
    assert view.review(tie.id)["verdict"] == "tillagd"
    assert view.sources(relations=[tie.id]) == 1


def test_statements_apply_to_the_same_ties_after_reingest(store):
    made = [_say("reject", KOMMUN, RTJ), _say("status", KOMMUN, POLIS, value="planned"), _say("merge", RTJ, RTJ2),
            _say("rename", GARD, value="Ungdomsgården Ljuset"), _say("add", GARD, KOMMUN, value="existing",
                                                                     note="Enligt rektorn.", reference="Möte")]
    before = _view(store, *made)
    shape = _shape(before)
    store.add(_document())  # the same document again
    assert _shape(ReviewedStore(store, store.statements())) == shape
    store.add(_document(changed=True))  # reworded: a new document id, the same ties
    assert len(store.documents()) == 1
    after = ReviewedStore(store, store.statements())
    assert _shape(after) == shape
    (tie,) = _tie(after, KOMMUN, POLIS)
    assert tie.status is Status.planned and tie.evidence[0].sentence.endswith("sedan länge kring trygghet.")


def test_every_backend_gives_the_json_stores_answers(store):
    made = [_say("status", KOMMUN, POLIS, value="planned"), _say("merge", RTJ, RTJ2),
            _say("split", SOC, value="Socialförvaltningen"), _say("add", GARD, KOMMUN, note="Ja.", reference="Möte")]
    reference = MemoryStore()
    reference.add(_document())
    view, expected = _view(store, *made), _view(reference, *made)
    assert view.relations() == expected.relations()
    assert view.entities() == expected.entities()
    assert view.stats() == expected.stats()
    assert partners(view, KOMMUN) == partners(expected, KOMMUN)


def _shape(view) -> tuple:
    """What the statements decide: actors and ties, without the quotes (a reworded document has others)."""
    return ({i: (n.name, n.kind) for i, n in view.names().items()},
            [r.model_dump(exclude={"evidence"}) for r in view.relations(evidence=False)])


def test_the_map_gets_the_review_of_each_reviewed_edge(tmp_path):
    """viz.render.load reads a reviewed store through to_networkx/subgraph: each reviewed edge
    carries `review` (verdict, by, date, note) for the map to mark, the others none."""
    from viz.render import load

    store = MemoryStore()
    store.add(_document())
    view = _view(store, _say("confirm", KOMMUN, POLIS, note="Sett i protokollet."))
    for graph in (load(view), load(view, focus=KOMMUN)):
        reviews = {(u, v): d.get("review") for u, v, d in graph.edges(data=True)}
        assert reviews.pop((KOMMUN, POLIS)) == {"verdict": "bekräftad", "by": "Anna", "date": "2026-12-03",
                                                "note": "Sett i protokollet."}
        assert set(reviews.values()) == {None}
