"""The per-document caps: what is cut, what is kept, and that the record says so."""

from graph.model import Document, Entity, Evidence, Extraction, Kind, RelationType, Status, make_relation
from loaders.reading.limits import CHARS_PER_SENTENCE, Limits, cap_evidence, cap_sentences


def test_a_text_under_the_cap_is_left_alone():
    text = "Uppsala kommun samverkar med Polisen. " * 10
    assert cap_sentences(text, 10) == (text, None)
    assert cap_sentences(text, 100) == (text, None)


def test_a_long_text_is_cut_after_the_cap_and_says_where():
    text = "".join(f"Mening {i} om samverkan. " for i in range(1000))
    cut, note = cap_sentences(text, 100)
    assert cut.endswith("Mening 99 om samverkan.") and "Mening 100 " not in cut
    assert "100 meningarna" in note and "--max-sentences" in note


def test_blank_lines_end_blocks_for_the_count():
    text = "\n\n".join(f"# Rubrik {i}" for i in range(50))
    cut, note = cap_sentences(text, 10)
    assert cut.count("# Rubrik") == 10 and note


def evidence(n: int, doc: str = "doc-1") -> list[Evidence]:
    return [Evidence.trusted(doc, "", f"Mening {i}.", i * 10, i * 10 + 5, "rule", 1.0) for i in range(n)]


def extraction(sizes: list[int]) -> Extraction:
    entities = [Entity(id=f"e{i}", name=f"E{i}", kind=Kind.municipality, evidence=evidence(n))
                for i, n in enumerate(sizes)]
    relations = [make_relation("e0", "e1", RelationType.COLLABORATES_WITH, Status.existing, evidence(7))]
    return Extraction(document=Document(id="doc-1", source="x.txt"), entities=entities, relations=relations)


def test_evidence_under_the_cap_is_kept_whole():
    x = cap_evidence(extraction([3, 4]), 100)
    assert [len(e.evidence) for e in x.entities] == [3, 4] and x.document.limited is None


def test_evidence_over_the_cap_is_shared_and_every_record_keeps_some():
    x = cap_evidence(extraction([1000, 2, 500, 1]), 100)
    sizes = [len(e.evidence) for e in x.entities] + [len(r.evidence) for r in x.relations]
    assert sizes == [45, 2, 45, 1, 7]  # the small ones whole, the large ones share the rest evenly
    assert [e.start for e in x.entities[0].evidence] == sorted(e.start for e in x.entities[0].evidence)
    assert "av 1 510 belägg sparades" in x.document.limited and "--max-evidence" in x.document.limited


def test_even_a_tiny_cap_keeps_one_piece_each_and_notes_both_caps():
    x = cap_evidence(extraction([50, 50, 50]), 2, note="bara de första 10 meningarna lästes")
    assert all(len(r.evidence) == 1 for r in [*x.entities, *x.relations])
    assert x.document.limited.startswith("bara de första 10 meningarna lästes; ")


def test_the_defaults_are_far_above_ordinary_documents():
    limits = Limits()
    assert limits.max_sentences >= 30_000 and limits.max_evidence >= 20_000 and limits.max_pdf_pages >= 3_000
    assert limits.max_bytes == 50 * 1024 * 1024


def test_a_text_without_sentence_ends_is_cut_by_characters():
    """Lines without full stops counted as no sentences at all: 20 MB of them was extracted
    whole (160 s, 1.2 GB). Past max_sentences * CHARS_PER_SENTENCE characters it is cut, at
    a word's end."""
    text = "Uppsala kommun samverkar med Polisregion Mitt om trygghet\n" * 2_000
    cut, note = cap_sentences(text, 100)
    assert len(cut) <= 100 * CHARS_PER_SENTENCE and text[len(cut)] in " \n"
    assert "--max-sentences" in note and "miljoner tecken" in note
    prose = "Uppsala kommun samverkar med Polisregion Mitt. " * 90
    assert cap_sentences(prose, 100) == (prose, None)  # ordinary prose is never cut by its characters


def test_one_documents_memory_is_bounded_by_the_caps(tmp_path):
    """A 4 MB text without sentence ends, read the way a worker reads it, with a cap of 5,000
    sentences (1 million characters). Before the character budget it was extracted whole
    (256 MB, 15 s; 20 MB took 1.2 GB). Bound: the file read and decoded (a few times its
    size) plus about 75 bytes a character extracted, with twice that room."""
    from tests.loaders.bounded import run_bounded
    from tests.loaders.corpus import swedish_prose

    path = tmp_path / "utan-punkt.txt"
    path.write_text(swedish_prose(4_000_000).replace(".", "").replace("\n\n", "\n"), encoding="utf-8")
    run = run_bounded(
        "from pathlib import Path\n"
        "from loaders.batch import extract_one\n"
        "from loaders.reading.limits import Limits\n"
        f"result = extract_one(Path({str(path)!r}), limits=Limits(max_sentences=5_000))\n"
        "report = getattr(result, 'problem', None) or result.document.limited\n",
        extra_bytes=500_000_000, timeout=600)
    assert run.outcome == "ok", run
    assert "1 miljoner tecken" in run.report, run
    assert run.grown < 4 * path.stat().st_size + 150 * 1_000_000, run
    print(f"\n4 MB without sentence ends: {run.seconds:.1f} s, peak RSS +{run.grown / 1e6:.0f} MB")
