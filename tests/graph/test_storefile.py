import json

import pytest

from graph.memory import MemoryStore
from graph.model import Kind, RelationType, Status
from graph.storefile import FORMAT, FORMAT_1, StoreError, StoreFile, decode, encode
from tests.helpers import entity, extraction

SENTENCE = "Uppsala kommun och Polisregion Mitt samverkar."


def _store() -> MemoryStore:
    store = MemoryStore()
    store.add(extraction(
        SENTENCE, "a.txt",
        [entity("Uppsala kommun", Kind.municipality), entity("Polisregion Mitt", Kind.police_unit)],
        [("Uppsala kommun", "Polisregion Mitt", RelationType.COLLABORATES_WITH, Status.existing, SENTENCE),
         ("Polisregion Mitt", "Uppsala kommun", RelationType.CO_LOCATED_WITH, Status.planned, SENTENCE)],
    ))
    return store


def test_encoding_round_trips_every_record():
    snapshot = _store().snapshot()
    assert decode(encode(snapshot), "g.json").model_dump() == snapshot.model_dump()


def test_a_sentence_quoted_by_several_facts_is_written_once():
    raw = encode(_store().snapshot())
    assert raw.count(SENTENCE.encode()) == 1
    data = json.loads(raw)
    assert data["format"] == FORMAT
    assert len(data["quotes"]) == 3 and len(data["rules"]) == 1  # two names and the shared sentence


def test_encoding_is_deterministic():
    assert encode(_store().snapshot()) == encode(_store().snapshot())


def test_loaded_evidence_shares_one_string_per_quote(tmp_path):
    path = tmp_path / "g.json"
    store = _store()
    store.path = path
    store.save()
    sentences = [e.sentence for r in MemoryStore(path).relations() for e in r.evidence]
    assert len(sentences) == 2 and sentences[0] is sentences[1]


def test_stores_of_the_first_format_are_still_read(tmp_path):
    path = tmp_path / "old.json"
    snapshot = _store().snapshot()
    old = StoreFile(format=FORMAT_1, documents=snapshot.documents, entities=snapshot.entities,
                    relations=snapshot.relations)
    path.write_text(old.model_dump_json(), encoding="utf-8")
    loaded = MemoryStore(path)
    assert loaded.dump() == _store().dump()
    loaded.save()
    assert json.loads(path.read_bytes())["format"] == FORMAT  # saving upgrades it


def test_the_format_is_found_wherever_it_stands():
    data = json.loads(encode(_store().snapshot()))
    moved = {key: data[key] for key in reversed(list(data))}
    assert decode(json.dumps(moved, indent=2).encode(), "g.json").model_dump() == _store().snapshot().model_dump()


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda d: d.update(format="samverkan-store/9"), "format 'samverkan-store/9'"),
        (lambda d: d.pop("format"), "no format field"),
        (lambda d: d["relations"][0]["evidence"][0].__setitem__(0, 99), "points past the quote"),
        (lambda d: d["relations"][0]["evidence"][0].__setitem__(3, -1), "relations.0.evidence.0.3"),
        (lambda d: d["entities"][0].__setitem__("kind", "planet"), "entities.0.kind"),
        (lambda d: d.update(evidence_row=["start", "quote"]), "evidence rows are"),
    ],
)
def test_damage_is_reported_with_the_file_and_the_place(damage, message):
    data = json.loads(encode(_store().snapshot()))
    damage(data)
    with pytest.raises(StoreError, match="g.json") as raised:
        decode(json.dumps(data).encode(), "g.json")
    assert message in str(raised.value)


def test_text_that_is_not_json_is_reported():
    with pytest.raises(StoreError, match="g.json: not a samverkan store"):
        decode(b"\x00\x01 not json", "g.json")
