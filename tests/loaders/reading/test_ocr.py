"""OCR repair stays bounded on words no dictionary has: one long word once took gigabytes."""

from __future__ import annotations

from loaders.reading import ocr
from loaders.reading.vocabulary import vocabulary
from tests.loaders.bounded import run_bounded


def test_the_candidate_spellings_of_one_word_are_bounded():
    """Sixty confusable letters, four swaps: 487,635 sets of positions, each of which once
    added a spelling past the cap."""
    settings = ocr._settings()
    word = "a" * 60
    spellings = ocr._candidates(word, 4, list(range(len(word))))
    assert len(spellings) <= settings["max_candidates"] + settings["max_position_sets"]
    assert [cost for cost, _ in spellings] == sorted(cost for cost, _ in spellings)


def test_a_word_longer_than_any_swedish_word_is_left_as_written():
    """Two words the scanner glued make a 'compound' the lenient check accepts; past the
    longest Swedish word nothing is tried (this one was repaired before the bound)."""
    glued = "samverkansoverenskommelse" * 2
    assert len(glued) > ocr._settings()["max_word_length"]
    assert ocr.repair_word(glued, vocabulary()) is None
    assert ocr.repair_word("forvaltningen", vocabulary()) == "förvaltningen"  # the bound is no blanket refusal


def test_one_long_word_costs_little_time_and_memory():
    """'a' * 500 grew past 6 GB (a MemoryError after 94 s at a 3.8 GB ceiling). Here it gets
    1 GB of address space above the loaded models and 300 s, far above what it needs."""
    run = run_bounded(
        "from loaders.pipeline import extract_text\n"
        "extract_text('a' * 500)\n"
        "extract_text('Uppsala kommun samverkar med ' + 'o' * 1000 + ' och Polisregion Mitt.')\n"
        "extract_text(' '.join('samverkansoverenskommelse' * n for n in range(1, 40)))\n",
        extra_bytes=1_000_000_000, timeout=300)
    assert run.outcome == "ok", run
    assert run.grown < 300_000_000, run
    print(f"\nlong words: {run.seconds:.1f} s, peak RSS +{run.grown / 1e6:.0f} MB")
