"""One contract, every backend: the same Extractions in, the same answers out."""

import pytest

from graph.memory import MemoryStore, StoreError
from graph.model import Kind, RelationType, Status
from loaders.pipeline import extract_file, extract_text
from queries.between import between
from queries.catalog import agreements
from queries.export import export_json
from queries.partners import partners
from tests.conftest import CLEAN, OCR
from tests.helpers import entity, extraction, sample_extraction

ODD_NAME = 'Föreningen "Trygg" {Järva} (ideell)'


@pytest.fixture(scope="module")
def examples():
    return [extract_file(CLEAN), extract_file(OCR)]


def _reference(extractions) -> MemoryStore:
    store = MemoryStore()
    for x in extractions:
        store.add(x)
    return store


def test_same_extractions_same_graph(backend, examples):
    name, _, store = backend
    for x in examples:
        store.add(x)
    assert store.dump() == _reference(examples).dump()


def test_same_answers(backend, examples):
    _, _, store = backend
    for x in examples:
        store.add(x)
    reference = _reference(examples)
    for actor in ["polisregion-stockholm", "kriminalvarden", "lokalpolisomrade-rinkeby"]:
        assert partners(store, actor) == partners(reference, actor)
    assert between(store, "kriminalvarden", "polisregion-stockholm") == between(
        reference, "kriminalvarden", "polisregion-stockholm")
    assert agreements(store) == agreements(reference)
    assert export_json(store) == export_json(reference)


def test_reingest_changes_nothing(backend, examples):
    _, _, store = backend
    store.add(examples[0])
    before = store.dump()
    store.add(examples[0])
    assert store.dump() == before


def test_a_changed_document_replaces_its_old_version(backend):
    _, _, store = backend
    first = extract_text("Uppsala kommun samverkar med Polisregion Mitt.", source="a.txt")
    second = extract_text("Uppsala kommun samverkar med Region Uppsala.", source="a.txt")
    store.add(first)
    store.add(second)
    reference = _reference([first, second])
    assert store.dump() == reference.dump()
    assert {e.name for e in store.entities()} == {"Uppsala kommun", "Region Uppsala"}


def test_names_with_quotes_and_braces_are_parameters_not_cypher(backend):
    _, _, store = backend
    x = extraction("odd", "odd.txt", [entity(ODD_NAME, Kind.ngo), entity("Tullverket", Kind.agency)],
                   [(ODD_NAME, "Tullverket", RelationType.COLLABORATES_WITH, Status.existing,
                     'Hon sa: "samverkan {alltid}" och MATCH (n) DETACH DELETE n;')])
    store.add(x)
    assert {e.name for e in store.entities()} == {ODD_NAME, "Tullverket"}
    assert store.find(ODD_NAME)[0].entity.name == ODD_NAME
    (rel,) = store.relations()
    assert rel.evidence[0].sentence.endswith("MATCH (n) DETACH DELETE n;")


def test_dollar_apostrophe_and_backslash_round_trip(backend):
    """FalkorDB splices parameters into the query text; the falkordb dialect escapes them."""
    _, _, store = backend
    odd = "O'Brien $param \\n \\\\ %27 100%"
    x = extraction("d", "d.txt", [entity(odd, Kind.person), entity("Skatteverket", Kind.agency)],
                   [(odd, "Skatteverket", RelationType.COLLABORATES_WITH, Status.existing, odd + " samverkar.")])
    store.add(x)
    assert odd in {e.name for e in store.entities()}
    assert store.relations()[0].evidence[0].sentence == odd + " samverkar."


def test_a_long_quote_survives_small_messages(backend):
    _, _, store = backend
    sentence = "Uppsala kommun och Polisregion Mitt samverkar " + "mycket nära och länge " * 400 + "."
    x = extraction("long", "long.txt", [entity("Uppsala kommun", Kind.municipality),
                                        entity("Polisregion Mitt", Kind.police_unit)],
                   [("Uppsala kommun", "Polisregion Mitt", RelationType.COLLABORATES_WITH, Status.existing,
                     sentence)])
    store.add(x)
    assert store.relations()[0].evidence[0].sentence == sentence


def test_small_batches_give_the_same_graph(backend, examples):
    name, factory, store = backend
    if name in ("memory", "sqlite"):
        pytest.skip("the embedded stores do not batch")
    small = factory(batch_rows=3)
    small.add(examples[1])
    assert small.dump() == _reference([examples[1]]).dump()


def test_unreachable_server_is_a_clear_error():
    from graph.neo4j import Neo4jStore

    with pytest.raises(StoreError, match="cannot reach"):
        Neo4jStore("bolt://127.0.0.1:1", dialect="neo4j")


def test_a_refused_login_is_a_clear_error(falkordb_uri):
    """FalkorDB drops the connection on a wrong password; Neo4j answers with an AuthError
    (tested below against a real Neo4j). Either way: a StoreError naming the server."""
    from graph.neo4j import Neo4jStore

    with pytest.raises(StoreError, match="127.0.0.1"):
        Neo4jStore(falkordb_uri, user="default", password="fel", dialect="falkordb")


def test_neo4j_auth_error_message():
    """Neo4j only: FalkorDB cannot refuse a login with an authentication error."""
    import os

    from graph.neo4j import Neo4jStore

    if not os.environ.get("NEO4J_URI"):
        pytest.skip("NEO4J_URI not set")
    with pytest.raises(StoreError, match="refused the login"):
        Neo4jStore(os.environ["NEO4J_URI"], user="neo4j", password="definitely-wrong")


def _spans_with_two_rules() -> list:
    """Two documents; one tie quoted three times, once by two rules on the same span, so that
    best quotes must pick one piece per span and rank spans by sentence length."""
    x = extraction("two rules", "rules.txt", [entity("Tullverket", Kind.agency), entity("Kustbevakningen", Kind.agency)],
                   [("Tullverket", "Kustbevakningen", RelationType.COLLABORATES_WITH, Status.existing,
                     "Tullverket samverkar med Kustbevakningen i en lång mening om mycket annat också.")])
    (rel,) = x.relations
    first = rel.evidence[0]
    rel.evidence += [first.model_copy(update={"rule": "another"}),
                     first.model_copy(update={"sentence": "Kort: Tullverket och Kustbevakningen.", "start": 200,
                                              "end": 236}),
                     first.model_copy(update={"sentence": "Tullverket samverkar med Kustbevakningen.", "start": 300,
                                              "end": 341, "rule": "zeta"})]
    rel.evidence.sort(key=lambda e: e.key())
    y = extraction("again", "again.txt", [entity("Tullverket", Kind.agency), entity("Kustbevakningen", Kind.agency)],
                   [("Tullverket", "Kustbevakningen", RelationType.COLLABORATES_WITH, Status.existing,
                     "Tullverket och Kustbevakningen.")])
    return [x, y]


def test_cheap_reads_agree_with_whole_records(backend, examples):
    """names, children, mentions, documents(ids), relation evidence, summaries and counts: what the
    whole records say, on every backend."""
    from graph.store import EntityName, best_quotes

    _, _, store = backend
    records = examples + _spans_with_two_rules()
    for x in records:
        store.add(x)
    entities = store.entities()
    relations = store.relations()
    assert store.names() == {e.id: EntityName.of(e) for e in entities}
    assert store.entities(evidence=False) == [e.model_copy(update={"evidence": []}) for e in entities]
    some = [entities[0].id, entities[-1].id, "no-such-body"]
    assert store.names(some) == {e.id: EntityName.of(e) for e in (entities[0], entities[-1])}
    with_parent = [e for e in entities if e.parent]
    for e in with_parent[:3]:
        assert store.children(e.parent) == [EntityName.of(c) for c in entities if c.parent == e.parent]
    for e in entities[:5]:
        counted: dict[str, int] = {}
        for ev in e.evidence:
            counted[ev.document] = counted.get(ev.document, 0) + 1
        assert store.mentions(e.id) == counted
        assert store.entity(e.id, evidence=False) == e.model_copy(update={"evidence": []})
    docs = store.documents()
    assert store.documents([docs[-1].id, docs[0].id, "doc-none"]) == [docs[0], docs[-1]]
    assert store.relations(evidence=False) == [r.model_copy(update={"evidence": []}) for r in relations]
    ids = [r.id for r in relations]
    assert store.relation_evidence(ids + ["rel-none"]) == {r.id: r.evidence for r in relations}
    for quotes in (0, 1, 2, 5):
        summary = store.evidence_summary(ids, quotes)
        assert {i: (s.documents, s.best) for i, s in summary.items()} == {
            r.id: (frozenset(e.document for e in r.evidence), best_quotes(r.evidence, quotes)) for r in relations}
    assert store.document_counts(ids) == {r.id: len({e.document for e in r.evidence}) for r in relations}
    for some_entities, some_relations in ((entities[:3], relations[-4:]), (entities, []), ([], relations), ([], [])):
        assert store.sources([e.id for e in some_entities], [r.id for r in some_relations]) == len(
            {ev.document for record in [*some_entities, *some_relations] for ev in record.evidence})
    (tie,) = [r for r in relations if {r.source, r.target} == {"tullverket", "kustbevakningen"}]
    best = store.evidence_summary([tie.id], 3)[tie.id].best
    assert [e.sentence for e in best] == ["Tullverket och Kustbevakningen.", "Kort: Tullverket och Kustbevakningen.",
                                          "Tullverket samverkar med Kustbevakningen."]
    assert len({(e.document, e.start) for e in best}) == 3  # one piece per span
    match = store.find("Tullverket", evidence=False)[0]
    assert match.entity == store.entity("tullverket").model_copy(update={"evidence": []})


# -- review statements: kept beside the records, the same on every backend ------------------


def _statements():
    from graph.review import Action, make_statement

    tie = dict(source="uppsala-kommun", target="polisregion-mitt", type_=RelationType.COLLABORATES_WITH)
    return [
        make_statement(Action.reject, by="Anna", note="Fel läst.", date="2026-12-01", **tie),
        make_statement(Action.status, by="Anna", value="planned", date="2026-12-02", **tie),
        make_statement(Action.rename, "uppsala-kommun", by="Bo", value="Uppsala kommun (KS)", date="2026-12-03"),
        make_statement(Action.add, by="Bo", note='Sa "ja" på mötet; 100 $ och 50 % \\ klart.',
                       reference="Protokoll 4/2026", date="2026-12-03", **tie),
    ]


def test_statements_are_kept_in_the_order_they_were_made(backend):
    _, _, store = backend
    store.add(sample_extraction())
    before = store.relations()
    made = _statements()
    for s in made:
        store.add_statement(s)
    store.add_statement(made[0])  # the same statement again: one statement
    assert store.statements() == made
    assert store.relations() == before  # the records are not touched


def test_a_statement_can_be_taken_back(backend):
    _, _, store = backend
    made = _statements()
    for s in made:
        store.add_statement(s)
    assert store.remove_statement(made[1].id) is True
    assert store.remove_statement(made[1].id) is False
    assert store.statements() == [made[0], *made[2:]]


def test_statements_survive_reingest_and_a_changed_document(backend):
    _, _, store = backend
    store.add(sample_extraction())
    made = _statements()
    for s in made:
        store.add_statement(s)
    store.add(sample_extraction())
    store.add(sample_extraction("Uppsala kommun och Polisregion Mitt samverkar sedan 2020."))
    assert store.statements() == made
    assert store.dump()["statements"] == [s.model_dump(mode="json") for s in made]


def test_a_long_note_survives_small_messages(backend):
    from graph.review import Action, make_statement

    _, _, store = backend
    long = make_statement(Action.confirm, "a", by="Anna", target="b", type_=RelationType.COLLABORATES_WITH,
                          note="Bekräftat på plats. " * 400, date="2026-12-03")
    store.add_statement(long)
    assert store.statements() == [long]
