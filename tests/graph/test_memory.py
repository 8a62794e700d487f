import json

import pytest

from graph.memory import MemoryStore, StoreError
from graph.model import Kind, RelationType, Status
from tests.helpers import entity, extraction, sample_extraction




def test_save_and_load_give_the_same_graph(tmp_path):
    path = tmp_path / "g.json"
    store = MemoryStore(path)
    store.add(sample_extraction())
    store.save()
    again = MemoryStore(path)
    assert again.dump() == store.dump()
    assert again.stats().relations == 1


def test_adding_the_same_extraction_twice_changes_nothing(tmp_path):
    store = MemoryStore(tmp_path / "g.json")
    store.add(sample_extraction())
    before = json.dumps(store.dump(), sort_keys=True)
    store.add(sample_extraction())
    assert json.dumps(store.dump(), sort_keys=True) == before


def test_a_changed_document_replaces_its_old_version(tmp_path):
    store = MemoryStore(tmp_path / "g.json")
    store.add(sample_extraction())
    changed = extraction(
        "Uppsala kommun och Region Uppsala samverkar.",
        "a.txt",
        [entity("Uppsala kommun", Kind.municipality), entity("Region Uppsala", Kind.region)],
        [("Uppsala kommun", "Region Uppsala", RelationType.COLLABORATES_WITH, Status.existing, "x")],
    )
    store.add(changed)
    assert store.stats().documents == 1
    assert {e.name for e in store.entities()} == {"Uppsala kommun", "Region Uppsala"}


def test_two_documents_merge_evidence_on_one_relation(tmp_path):
    store = MemoryStore(tmp_path / "g.json")
    store.add(sample_extraction())
    store.add(sample_extraction("Uppsala kommun och Polisregion Mitt samverkar. Igen.", "b.txt"))
    (relation,) = store.relations()
    assert len({e.document for e in relation.evidence}) == 2


def test_a_damaged_store_file_is_reported_not_overwritten(tmp_path):
    path = tmp_path / "g.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreError, match="g.json"):
        MemoryStore(path)
    assert path.read_text(encoding="utf-8") == "{not json"


def test_save_leaves_no_temporary_files(tmp_path):
    store = MemoryStore(tmp_path / "g.json")
    store.add(sample_extraction())
    store.save()
    assert [p.name for p in tmp_path.iterdir()] == ["g.json"]


def test_find_forgives_case_inflection_and_typos(tmp_path):
    store = MemoryStore(tmp_path / "g.json")
    store.add(sample_extraction())
    assert store.find("polisregion mitt")[0].entity.name == "Polisregion Mitt"
    assert store.find("Uppsala kommuns")[0].entity.name == "Uppsala kommun"
    assert store.find("Upsala kommun")[0].entity.name == "Uppsala kommun"
    assert store.find("Kiruna") == []


def test_relations_filter_by_entity_type_and_status(tmp_path):
    store = MemoryStore(tmp_path / "g.json")
    store.add(sample_extraction())
    assert len(store.relations(entity="uppsala-kommun")) == 1
    assert store.relations(statuses=[Status.proposed]) == []
    assert store.relations(types=[RelationType.PARTY_TO]) == []
    assert set(store.subgraph(["uppsala-kommun"], depth=1).nodes) == {"uppsala-kommun", "polisregion-mitt"}


def test_evidence_reads_in_key_order_whatever_order_documents_came_in(tmp_path):
    texts = [f"Uppsala kommun och Polisregion Mitt samverkar. Dokument {i}." for i in range(6)]
    path = tmp_path / "g.json"
    store = MemoryStore(path)
    for i, text in enumerate(texts):
        store.add(sample_extraction(text, f"{i}.txt"))  # document ids are hashes: they arrive out of order
    (relation,) = store.relations()
    documents = [e.document for e in relation.evidence]
    assert documents == sorted(documents) and len(documents) == 6
    assert [e.document for e in store.entity("uppsala-kommun").evidence] == documents
    store.save()
    assert MemoryStore(path).relations() == store.relations()


def test_records_handed_over_make_the_same_store_as_copied_ones(tmp_path):
    from loaders.pipeline import extract_file
    from tests.conftest import CLEAN, OCR

    copied, kept = MemoryStore(tmp_path / "a.json"), MemoryStore(tmp_path / "b.json")
    for path in (CLEAN, OCR, CLEAN):
        copied.add(extract_file(path))
        kept.add(extract_file(path), owned=True)
    assert copied.save().read_bytes() == kept.save().read_bytes()
    # a copied record is the store's own: changing what was added changes nothing stored
    x = extract_file(CLEAN)
    store = MemoryStore()
    store.add(x)
    x.entities[0].evidence.clear()
    assert store.entity(x.entities[0].id).evidence
