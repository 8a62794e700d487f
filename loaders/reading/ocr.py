"""Repairing OCR damage ("forvaltningen", "Skirholmens", "&r") against a Swedish vocabulary.

Repairs swap one character for one character, so the repaired text has the same
length as the damaged one: recognition runs on the repaired text, while quotes and
offsets are taken from the text as the document wrote it. A word is changed only when
the vocabulary knows the changed form and not the original, with as few swaps as
possible; names the vocabulary does not know are left to fuzzy matching.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import combinations, islice, product
from typing import Optional

from loaders.data_files import load
from loaders.reading.vocabulary import Vocabulary, VocabularyMissing, vocabulary

_WORD = re.compile(r"[^\W_]+|&[^\W\d_]+")


@lru_cache(maxsize=1)
def _settings() -> dict:
    return load("ocr")


def is_damaged(text: str) -> bool:
    """Swedish prose without å, ä and ö is prose whose å, ä and ö the scanner lost."""
    swedish = sum(text.count(ch) for ch in "åäöÅÄÖ")
    if swedish > _settings()["min_share_aao"] * len(text):
        return False  # plenty of å, ä and ö whatever the share of letters: not damaged
    letters = sum(map(str.isalpha, text))
    if letters < _settings()["min_letters"]:
        return False
    return swedish / letters < _settings()["min_share_aao"]


def _candidates(word: str, count: int, positions: list[int]) -> list[tuple[int, str]]:
    """Spellings with `count` swaps, cheapest first (see `costs` in ocr.yaml).

    Every spelling while there are at most `max_candidates`; past that only the likeliest
    spelling of each further set of positions, and no more than `max_position_sets` sets in
    all. Both bounds are needed: the sets of four positions in a 500-letter word number
    2.6 billion, and collecting one spelling for each took gigabytes.
    """
    settings = _settings()
    confusions: dict[str, list[str]] = settings["confusions"]
    costs: dict[str, int] = settings.get("costs", {})
    most = settings["max_candidates"]
    out: list[tuple[int, str]] = []
    for chosen in islice(combinations(positions, count), settings["max_position_sets"]):
        cost = sum(costs.get(word[i], 1) for i in chosen)
        for replacement in product(*(confusions[word[i]] for i in chosen)):
            chars = list(word)
            for i, ch in zip(chosen, replacement):
                chars[i] = ch
            out.append((cost, "".join(chars)))
            if len(out) > most:
                break  # the next set of positions, with its likeliest spelling only
    return sorted(out, key=lambda pair: pair[0])


def repair_word(word: str, vocab: Vocabulary) -> Optional[str]:
    """The known spelling that needs the fewest and likeliest swaps, or None when there is none.

    Plain word forms are tried before compounds, and the word as written is accepted as
    a compound only when no plain form is near: "forvaltningen" is "for" + "valtningen"
    to a lenient compound check, but "förvaltningen" to the dictionary.
    """
    if not word or word.isdigit() or len(word) > _settings()["max_word_length"] or word.lower() in vocab.forms:
        return None  # a word longer than any Swedish word is glued words or noise: left as written
    confusions: dict[str, list[str]] = _settings()["confusions"]
    positions = [i for i, ch in enumerate(word) if ch in confusions]
    most = min(_settings()["max_substitutions"], len(positions))
    for count in range(1, most + 1):
        for _, candidate in _candidates(word, count, positions):
            if candidate.lower() in vocab.forms:
                return candidate
    if vocab.knows(word):
        return None
    for count in range(1, min(2, most) + 1):
        for _, candidate in _candidates(word, count, positions):
            if vocab.knows(candidate):
                return candidate
    return None


def repair(text: str) -> str:
    """The text with damaged words repaired; same length, so every offset still holds."""
    try:
        vocab = vocabulary()
    except VocabularyMissing:
        return text
    ambiguous: dict[str, str] = {str(k): v for k, v in _settings()["ambiguous_words"].items()}
    out = list(text)
    cache: dict[str, Optional[str]] = {}
    for m in _WORD.finditer(text):
        word = m.group(0)
        lowered = word.lower()
        if lowered in ambiguous and len(ambiguous[lowered]) == len(word):
            fixed: Optional[str] = _same_case(ambiguous[lowered], word)
        else:
            if word not in cache:
                cache[word] = repair_word(word, vocab)
            fixed = cache[word]
        if fixed and len(fixed) == len(word):
            out[m.start() : m.end()] = fixed
    return "".join(out)


def _same_case(fixed: str, original: str) -> str:
    if original.isupper() and len(original) > 1:
        return fixed.upper()
    if original[:1].isupper():
        return fixed[:1].upper() + fixed[1:]
    return fixed
