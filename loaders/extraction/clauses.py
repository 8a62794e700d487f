"""Where in a sentence its cooperation is said: the clause of the cue, and what interrupts,
reports or denies it.

Pure functions over a lower-cased sentence and the cue words of cues.yaml, so that the
relation reader (relate.py) need only decide who the parties are.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple, Optional

from spacy.lang.sv.stop_words import STOP_WORDS

from loaders.data_files import load


class Cue(NamedTuple):
    """A sentence read for its cue: the text with asides blanked out, the cue and the asides."""

    lowered: str
    cue: Optional[re.Match]
    collaboration: Optional[re.Match]
    asides: list[tuple[int, int]]


def find_cue(lowered: str, collaboration: re.Pattern[str], participation: re.Pattern[str]) -> Cue:
    """The first cue of cooperation (else of participation) outside asides, and the asides
    before it blanked out with spaces: "Förvaltningen, som ansvarar för X, samverkar med ..."
    is read past the aside, offsets unchanged."""
    every = [m.span() for m in _ASIDE.finditer(lowered)] if ", " in lowered and _ASIDE_WORD.search(lowered) else []
    found = first_outside(collaboration, lowered, every)
    cue = found or first_outside(participation, lowered, every)
    asides = [(a, b) for a, b in every if cue and b <= cue.start()]
    for a, b in asides:
        lowered = lowered[:a] + " " * (b - a) + lowered[b:]
    return Cue(lowered, cue, found, asides)


#: A relative clause set off by commas: ", som ansvarar för skolan,".
_ASIDE = re.compile(r", (?:som|där|vilket|vilka|vars) [^,.;]{1,150},")
_ASIDE_WORD = re.compile(r", (?:som|där|vilket|vilka|vars) ")


@lru_cache(maxsize=1)
def reported_speech() -> re.Pattern[str]:
    verbs = "|".join(sorted(load("cues")["reported_speech"], key=len, reverse=True))
    # an adverb or a date may stand between: "beslutade den 21 oktober 2025 att ..."
    return re.compile(rf"\b(?:{verbs})(?: [a-zåäö0-9]+){{0,{SPEECH_GAP}}} att ")


#: Words between a reporting verb and its "att".
SPEECH_GAP = 4


def first_outside(pattern: re.Pattern[str], lowered: str, asides) -> Optional[re.Match]:
    """The first cue outside the relative clauses set off by commas, else the first there is.

    "Uppsala kommun, som tidigare samarbetade med Region Uppsala, samverkar nu med ..." speaks
    of the main clause's cooperation; the aside is read only when the cue is nowhere else.
    """
    if not asides:
        return pattern.search(lowered)
    first = None
    for m in pattern.finditer(lowered):
        first = first or m
        if not any(a <= m.start() < b for a, b in asides):
            return m
    return first


def clause_around(lowered: str, pos: int) -> tuple[int, int]:
    """The clause holding position pos: from the end of the last clause break before it
    to the start of the first one after it."""
    lo, hi = 0, len(lowered)
    for brk in load("cues")["clause_breaks"]:
        before = lowered.rfind(brk, 0, pos)
        if before >= 0 and before + len(brk) > lo:
            lo = before + len(brk)
        after = lowered.find(brk, pos)
        if 0 <= after < hi:
            hi = after
    return lo, hi


def negated(lowered: str, cue: re.Match) -> bool:
    """'samarbetar inte med', 'ingen samverkan mellan': the words around the cue deny it.

    The window runs a few words to each side, to a comma or a word that opens another clause;
    a negation that the next word turns into an intensifier ("inte bara") denies nothing.
    """
    near = lowered[max(0, cue.start() - NEAR_CHARS) : cue.end() + NEAR_CHARS]
    if _negation_word().search(near) is None:  # nearly every sentence: no negation near the cue
        return False
    cues = load("cues")
    stops, negations, kept = cues["negation_stops"], cues["negation_words"], cues["negation_kept"]
    before = lowered[max(0, cue.start() - NEAR_CHARS) : cue.start()].split()
    window: list[tuple[str, str]] = []  # (word, the word after it)
    for i in range(len(before) - 1, max(-1, len(before) - 1 - cues["negation_words_before"]), -1):
        word = before[i]
        if word.endswith((",", ";", ":")) or word in stops:
            break
        window.append((word, before[i + 1] if i + 1 < len(before) else ""))
    written = lowered[cue.end() :].split()
    after = [w.strip(",.;:") for w in written]
    for i, word in enumerate(after[: cues["negation_words_after"]]):
        if word in stops:
            break
        window.append((word, after[i + 1] if i + 1 < len(after) else ""))
        if written[i].endswith((",", ";", ":", ".")):
            break
    return any(word in negations and follower not in kept for word, follower in window)


#: Characters on each side of a cue that hold its negation window, however long its words.
NEAR_CHARS = 80


@lru_cache(maxsize=1)
def denial_words() -> frozenset[str]:
    """The negation words that deny on their own ("inte", "aldrig", "ingen"), for rules that look
    for one in a few words beside a predicate: "någon" and "något" deny only with another."""
    return frozenset(load("cues")["negation_words"]) - {"någon", "något"}


@lru_cache(maxsize=1)
def _negation_word() -> re.Pattern[str]:
    words = "|".join(sorted(load("cues")["negation_words"], key=len, reverse=True))
    return re.compile(rf"\b(?:{words})\b")


def unknown_subject(words_before: str) -> bool:
    """'Den lokala kvinnojouren samarbetar med ...': a definite noun no gazetteer knows is the subject."""
    endings, references = _subject_words()
    words = re.findall(r"[a-zåäöé]+", words_before)
    # a word after "att" is an infinitive ("att teckna avtal med X"), however it ends
    return any(len(w) > 3 and w.endswith(endings) and w not in STOP_WORDS and w not in references
               and (i == 0 or words[i - 1] != "att") for i, w in enumerate(words))


@lru_cache(maxsize=1)
def _subject_words() -> tuple[tuple[str, ...], frozenset[str]]:
    """A definite noun's endings, and the definite nouns that are no unknown subject: the
    cooperation itself and the body's own governing board."""
    cues = load("cues")
    return tuple(cues["definite_noun_endings"]), frozenset([*cues["cooperation_references"],
                                                            *cues["own_governing_bodies"]])
