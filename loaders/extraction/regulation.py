"""'Samarbetet regleras i Lokal överenskommelse om TSI i Norrby': the agreement a cooperation is under.

A page or a report tells who cooperates in one sentence and, in the next, names the agreement
that governs it, pointing back with a definite noun: "Samarbetet regleras i …", "Samverkan
bygger på …", "Arbetet styrs av …". The bodies of the cooperation told just before are the
agreement's parties, and their ties run through it. The subjects, verbs and prepositions are
data (cues.yaml: regulated_back); the agreement is taken only when the sentence names it (a
capitalised noun phrase whose head is an agreement noun), up to a comma, "som" or the end.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from graph.model import COOPERATION_TYPES, Kind, RelationType, slug
from loaders.data_files import load
from loaders.language.phrases import alternation
from loaders.extraction.relate import Fact, Relater
from loaders.extraction.resolve import Actor
from loaders.language.spans import Sentence

#: Where a named agreement ends: a comma, a relative clause, a date range or the sentence's end.
_NAME_END = re.compile(r",| som | från | \d{4}|\.?\s*$")


@lru_cache(maxsize=1)
def _opening() -> re.Pattern[str]:
    cues = load("cues")["regulated_back"]
    subjects, verbs, prepositions = (alternation(cues[key]) for key in ("subjects", "verbs", "prepositions"))
    return re.compile(rf"(?i){subjects}\s+{verbs}\s+{prepositions}\s+")


@lru_cache(maxsize=1)
def _heads() -> tuple[str, ...]:
    return tuple(load("cues")["agreement_nouns"])


def agreement_named(sentence: str) -> Optional[str]:
    """The agreement a sentence says governs the cooperation told before it, by its name."""
    opening = _opening().match(sentence)
    if opening is None or not sentence[opening.end() : opening.end() + 1].isupper():
        return None
    rest = sentence[opening.end():]
    name = rest[: _NAME_END.search(rest).start()].strip()
    words = name.split()
    if not 2 <= len(words) <= MAX_WORDS or not any(w.lower() in _heads() for w in words[:3]):
        return None
    return name


#: The longest agreement name taken ("Lokal överenskommelse om tidiga samordnade insatser i Norrby kommun").
MAX_WORDS = 12


def regulated_facts(facts: list[Fact], sents: list[Sentence], relater: Relater) -> list[Fact]:
    """PARTY_TO facts of the bodies of the cooperation a sentence told, to the agreement the
    next sentence names as governing it (see the module's docstring); the ties between them
    read from that sentence run through the agreement."""
    told: dict[int, list[Fact]] = {}
    for f in facts:
        if f.type in COOPERATION_TYPES:
            told.setdefault(f.sentence.start, []).append(f)
    out: list[Fact] = []
    for prev, nxt in zip(sents, sents[1:]):
        if prev.start not in told or nxt.block > prev.block + 1:  # the same paragraph or the next
            continue
        name = agreement_named(nxt.text)
        if name is None:
            continue
        parties = list(dict.fromkeys(end for f in told[prev.start] for end in (f.source, f.target)
                                     if relater.actors[end].kind not in _VEHICLES))
        if len(parties) < 2:
            continue
        agreement = slug(name)
        relater.actors.setdefault(agreement, Actor(id=agreement, name=name, kind=Kind.agreement))
        status = told[prev.start][0].status
        out += [Fact(party, agreement, RelationType.PARTY_TO, status, nxt, "relate:regulated") for party in parties]
    return out


_VEHICLES = (Kind.agreement, Kind.project, Kind.programme, Kind.group)
