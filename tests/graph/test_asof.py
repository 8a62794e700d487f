"""`--as-of`: the ties in force at a date, on every backend, from documents of several years."""

import pytest

from graph.asof import AsOfStore, DateError, Dating, at, expiring, in_force, span_of
from graph.model import Document, Extraction, Kind, RelationType, Status, document_id, make_relation, slug
from queries.network import matrix
from queries.partners import partners
from tests.helpers import entity, evidence

CW, PT = RelationType.COLLABORATES_WITH, RelationType.PARTY_TO


def _document(text: str, date: str, entities, ties) -> Extraction:
    """One dated document; ties are (a, b, type, status, since, via name)."""
    doc = document_id(text)
    for e in entities:
        e.evidence = [evidence(doc, e.name)]
    relations = [make_relation(slug(a), slug(b), t, status, [evidence(doc, f"{a} och {b}.", start=10 * i)],
                               via=slug(via) if via else None, since=since)
                 for i, (a, b, t, status, since, via) in enumerate(ties)]
    return Extraction(document=Document(id=doc, source=f"{date}.txt", date=date, length=len(text)),
                      entities=entities, relations=relations)


def _agreement(name: str, valid_from: str, valid_to: str):
    e = entity(name, Kind.agreement)
    e.attributes = {"valid_from": valid_from, "valid_to": valid_to}
    return e


def _history():
    """Ekby kommun's ties over the years:
    - with Polisen Ekby through an agreement running 2016-2018 (told in 2016);
    - with Ekby folkhögskola since 2015, told in 2020 as existing, and in 2023 as ended;
    - with Ekby hembygdsförening, told in 2021, no start given: known from 2021;
    - with Ekby bygdegård, proposed in 2021: never in force."""
    kommun, polis = entity("Ekby kommun", Kind.municipality), entity("Polisen Ekby", Kind.police_unit)
    avtal = _agreement("Avtal om trygghet i Ekby", "2016-01-01", "2018-12-31")
    skola, forening = entity("Ekby folkhögskola", Kind.ngo), entity("Ekby hembygdsförening", Kind.ngo)
    bygd = entity("Ekby bygdegård", Kind.ngo)
    return [
        _document("ett avtal 2016", "2016-03-01", [kommun, polis, avtal],
                  [("Ekby kommun", "Polisen Ekby", CW, Status.existing, None, "Avtal om trygghet i Ekby"),
                   ("Ekby kommun", "Avtal om trygghet i Ekby", PT, Status.existing, None, None),
                   ("Polisen Ekby", "Avtal om trygghet i Ekby", PT, Status.existing, None, None)]),
        _document("en rapport 2020", "2020-06-01", [entity("Ekby kommun", Kind.municipality), skola],
                  [("Ekby kommun", "Ekby folkhögskola", CW, Status.existing, "2015", None)]),
        _document("en nyhet 2021", "2021-09-01",
                  [entity("Ekby kommun", Kind.municipality), forening, bygd],
                  [("Ekby kommun", "Ekby hembygdsförening", CW, Status.existing, None, None),
                   ("Ekby kommun", "Ekby bygdegård", CW, Status.proposed, None, None)]),
        _document("en årsredovisning 2023", "2023-02-01",
                  [entity("Ekby kommun", Kind.municipality), entity("Ekby folkhögskola", Kind.ngo)],
                  [("Ekby kommun", "Ekby folkhögskola", CW, Status.ended, None, None)]),
    ]


@pytest.fixture()
def history(backend):
    _, _, store = backend  # a fresh, empty store of that backend
    for x in _history():
        store.add(x)
    return store


def _partner_names(store, when):
    seen = at(store, when)
    return sorted(r.partner for r in partners(seen, slug("Ekby kommun"), quotes=0))


@pytest.mark.parametrize("when, expected", [
    ("2014", []),
    ("2015", ["Ekby folkhögskola"]),
    ("2017", ["Ekby folkhögskola", "Polisen Ekby"]),
    ("2019-06-30", ["Ekby folkhögskola"]),
    ("2021", ["Ekby folkhögskola", "Ekby hembygdsförening"]),
    ("2024", ["Ekby hembygdsförening"]),
])
def test_partners_at_a_date_are_those_whose_ties_were_in_force(history, when, expected):
    assert _partner_names(history, when) == expected


def test_without_a_date_every_tie_is_there(history):
    assert at(history, None) is history
    assert len(partners(history, slug("Ekby kommun"), quotes=0)) == 5


def test_a_tie_in_force_both_as_existing_and_as_ended_is_shown_once_as_existing(history):
    rows = partners(at(history, "2020"), slug("Ekby kommun"), quotes=0)
    assert [(r.partner, r.status) for r in rows if r.partner == "Ekby folkhögskola"] == [("Ekby folkhögskola", Status.existing)]


def test_the_matrix_at_a_date_counts_only_ties_in_force(history):
    then = matrix(at(history, "2017"), None, None)
    assert set(then.names) >= {"Ekby kommun", "Polisen Ekby"}
    later = matrix(at(history, "2024"), None, None)
    row = dict(zip(later.names, later.cells))["Ekby kommun"]
    assert row[later.names.index("Ekby hembygdsförening")] == 1
    assert "Polisen Ekby" not in later.names or row[later.names.index("Polisen Ekby")] == 0


def test_fast_paths_that_read_every_tie_are_hidden():
    class Fast:
        def tie_rows(self):
            return []

        path = "x"

    seen = AsOfStore(Fast(), span_of("2020"))
    assert not hasattr(seen, "tie_rows") and seen.path == "x"


def test_undated_ties_are_counted():
    x = _history()[2]
    x.document.date = None
    from graph.memory import MemoryStore

    store = MemoryStore()
    store.add(x)
    seen = at(store, "2021")
    assert seen.relations() == [] and seen.undated == 1  # the proposed one is never in force, not undated


@pytest.mark.parametrize("text, first, last", [
    ("2019", "2019-01-01", "2019-12-31"),
    ("2020-02", "2020-02-01", "2020-02-29"),
    ("2021-06-15", "2021-06-15", "2021-06-15"),
])
def test_a_date_stands_for_its_year_month_or_day(text, first, last):
    assert span_of(text) == (first, last)


@pytest.mark.parametrize("text", ["igår", "2019-13", "2019-02-30", "19", "2019/05"])
def test_a_date_that_is_none_is_refused_in_swedish(text):
    with pytest.raises(DateError, match="inget datum"):
        span_of(text)


def test_in_force_needs_a_start_and_an_end_after_the_span_begins():
    assert not in_force(Dating(None, None), span_of("2020"))
    assert in_force(Dating("2019-05-01", None), span_of("2020"))
    assert in_force(Dating("2019-05-01", "2020-01-01"), span_of("2020"))
    assert not in_force(Dating("2019-05-01", "2019-12-31"), span_of("2020"))
    assert not in_force(Dating("2021-01-01", None), span_of("2020"))


def test_expiring_is_the_end_of_the_period_within_the_span():
    assert expiring({"valid_to": "2025-06-30"}, "2025")
    assert expiring({"valid_to": "2025-06-30"}, "2025-06")
    assert not expiring({"valid_to": "2025-06-30"}, "2026")
    assert not expiring({}, "2025")
