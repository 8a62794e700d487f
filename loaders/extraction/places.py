"""When a place name is a municipality: the roles a bare place plays in administrative Swedish.

The NE tagger calls "Danderyd" a place. Most of the time it is one (an area: "kring
Göteborg i norr"), but two constructions make it the municipality itself:
- after a body every municipality has, "i <ort>" says whose body it is: "kommunfullmäktige
  i Danderyd" is Danderyds kommun's council, and Danderyds kommun is named;
- in a list that follows "kommunerna" ("de fyra kommunerna – Lomma, Burlöv och Kävlinge"),
  each place is a member municipality;
- a list of two places or more that are all municipalities, standing where no preposition
  of place puts it ("har Arvika, Eda och Årjäng en gemensam nämnd", "samarbetar med Eda och
  Årjäng", not "i Arvika och Eda"), in a sentence that speaks of cooperation: each is the
  municipality that acts.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from graph.model import Kind
from loaders.data_files import load
from loaders.extraction.gazetteer import gazetteer, municipality_by_place
from loaders.language.phrases import phrase_pattern
from loaders.language.spans import Mention

#: What may stand between the members of a list of places.
_BETWEEN = re.compile(r"^\s*(?:,\s*|\s(?:och|samt|&)\s+)\s*$")
#: A list of municipalities is announced by this word earlier in its sentence.
_MUNICIPALITIES_WORD = re.compile(r"\b(?:kommunerna|kommuner|medlemskommunerna|ägarkommunerna|grannkommunerna)\b",
                                  re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"[.!?\n]")
_IN = re.compile(r"\s+i\s+$")
#: What the language layer makes of a bare municipality's name: a place, or now and then an institution.
_PLACE_RULES = ("language:place", "language:inst")


def place_roles(mentions: list[Mention], text: str) -> list[Mention]:
    """The mentions, with places that are municipalities (see the module's docstring) made so."""
    places = municipality_by_place()
    out = list(mentions)
    for i, m in enumerate(out):
        if m.rule != "language:place" or m.name not in places:
            continue
        owner = _owner_before(out, i, text)
        if owner is not None:
            out[owner] = out[owner]._replace(parent=places[m.name])
            out[i] = _as_municipality(m, places[m.name])
    for i, m in enumerate(out):
        # "Varberg" read as the Stockholm district "Vårberg": a listed area whose written form
        # is a municipality's place differs from it in diacritics only; keep the written place.
        written = text[m.start : m.end]
        if m.kind is Kind.area and written in places and written != m.name:
            out[i] = m._replace(name=written, rule="language:place")
    for group in _place_lists(out, text):
        first = out[group[0]]
        sentence_start = max((b.end() for b in _SENTENCE_BREAK.finditer(text, max(0, first.start - 300), first.start)),
                             default=max(0, first.start - 300))
        acting = _acting_places(out, group, text, sentence_start)
        if not acting and not _MUNICIPALITIES_WORD.search(text, sentence_start, first.start):
            continue
        for j in group:
            m = out[j]
            if m.name in places and (m.rule == "language:place" or acting and m.rule in _PLACE_RULES):
                out[j] = _as_municipality(m, places[m.name])
    return out


def _owner_before(mentions: list[Mention], i: int, text: str) -> Optional[int]:
    """The body every municipality has right before "i <place>", if any."""
    if i == 0:
        return None
    before = mentions[i - 1]
    if not _IN.fullmatch(text[before.end : mentions[i].start]):
        return None
    body = gazetteer().bodies.get(before.name or "")
    if body is None or not body.municipal:
        return None
    return i - 1


def _place_lists(mentions: list[Mention], text: str) -> list[list[int]]:
    """Runs of mentions joined by commas and 'och', holding at least two places."""
    groups: list[list[int]] = []
    run: list[int] = []
    for i, m in enumerate(mentions):
        if run and _BETWEEN.match(text[mentions[run[-1]].end : m.start]):
            run.append(i)
            continue
        if len(run) >= 2:
            groups.append(run)
        run = [i]
    if len(run) >= 2:
        groups.append(run)
    return [g for g in groups if sum(mentions[j].rule == "language:place" for j in g) >= 2]


def _acting_places(mentions: list[Mention], group: list[int], text: str, sentence_start: int) -> bool:
    """Is a list of places a list of municipalities that cooperate (see the module's docstring)?"""
    places = municipality_by_place()
    if not all(mentions[j].rule in _PLACE_RULES and mentions[j].name in places for j in group):
        return False
    before = text[sentence_start : mentions[group[0]].start].split()
    if before and before[-1].lower() in _locatives():
        return False
    end = _SENTENCE_BREAK.search(text, mentions[group[-1]].end)
    sentence = text[sentence_start : end.start() if end else len(text)].lower()
    return _cooperation().search(sentence) is not None


@lru_cache(maxsize=1)
def _locatives() -> frozenset[str]:
    return frozenset(load("cues")["place_prepositions"])


@lru_cache(maxsize=1)
def _cooperation() -> re.Pattern[str]:
    cues = load("cues")
    return phrase_pattern([*cues["collaboration"], *cues["agreement_nouns"]])


def _as_municipality(m: Mention, name: str) -> Mention:
    return m._replace(kind=Kind.municipality, name=name, rule="language:municipality", parent=None)


def opens_sentence(text: str, start: int) -> bool:
    """Is the place the subject that opens its sentence, or one of a list that does?"""
    boundary = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), text.rfind("? ", 0, start),
                   text.rfind("! ", 0, start))
    return _LEADING_NAMES.fullmatch(text[boundary + 1 : start].lstrip()) is not None


#: Names joined as a list up to a place: only those may stand before a place that opens its sentence.
_LEADING_NAMES = re.compile(r"(?:[A-ZÅÄÖ][\wåäö-]*(?: kommuns?| stads?)?(?:,\s*|\s+och\s+|\s+samt\s+))*")
