"""Both example documents into one store: the clean and the OCR-damaged account of the
same local agreement become one agreement with evidence from both."""

from graph.memory import MemoryStore
from graph.model import Kind, RelationType
from loaders.pipeline import extract_file
from tests.conftest import CLEAN, OCR


def test_clean_and_damaged_documents_merge_into_one_agreement(tmp_path):
    store = MemoryStore(tmp_path / "g.json")
    store.add(extract_file(CLEAN))
    store.add(extract_file(OCR))
    local = [e for e in store.entities() if e.kind is Kind.agreement and "Lokalpolisområde Rinkeby" in e.name]
    assert len(local) == 1
    agreement = local[0]
    assert agreement.attributes.get("dnr") == "RK 2020/196"
    parties = store.relations(entity=agreement.id, types=[RelationType.PARTY_TO])
    assert {r.source for r in parties} == {
        "lokalpolisomrade-rinkeby", "rinkeby-kista-stadsdelsforvaltning", "spanga-tensta-stadsdelsforvaltning"
    }
    documents = {e.document for r in parties for e in r.evidence}
    assert len(documents) == 2


def test_every_relation_has_evidence_with_a_quote_that_is_in_its_document(tmp_path):
    from loaders.reading.normalize import normalize
    from loaders.reading.read import read

    for path in (CLEAN, OCR):
        x = extract_file(path)
        text = normalize(read(path).text, markdown=path == CLEAN).text
        for rel in x.relations:
            assert rel.evidence
            for ev in rel.evidence:
                assert text[ev.start : ev.end] == ev.sentence
