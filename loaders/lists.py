"""Parties listed under a heading: "Parter" followed by one body per line or table row.

Project descriptions and agreements often name their parties only in such a list, never
in a sentence, so sentence rules find nothing. When the document's title names the
project, programme or agreement, each body of the list takes part in it, with the list
item as its evidence.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

from graph.model import Kind, RelationType

from loaders.data_files import load
from loaders.normalize import NormalText
from loaders.relate import VEHICLE_KINDS, Fact, Relater, sentence_status
from loaders.spans import Sentence

#: A list item longer than this is prose, read by the sentence rules alone.
ITEM_CHARS = 160


@lru_cache(maxsize=1)
def _party_headings() -> frozenset[str]:
    return frozenset(load("cues")["party_headings"])


def listed_party_facts(normal: NormalText, sentences: list[Sentence], relater: Relater) -> list[Fact]:
    """PARTICIPATES_IN (or PARTY_TO) for every body listed under a party heading."""
    lists = _listed_blocks(normal)
    if not lists:
        return []
    vehicle = title_vehicle(normal, sentences, relater)
    if vehicle is None:
        return []
    kind = relater.actors[vehicle].kind
    rel_type = RelationType.PARTY_TO if kind is Kind.agreement else RelationType.PARTICIPATES_IN
    facts = []
    for s in sentences:
        if s.block not in lists or len(s.text) > ITEM_CHARS:
            continue
        status = sentence_status(s.text, False)
        for actor in _parties_in(relater, s):
            facts.append(Fact(actor, vehicle, rel_type, status, s, "list:parties"))
    return facts


def _listed_blocks(normal: NormalText) -> set[int]:
    """Indexes of the blocks under a party heading, up to the next heading."""
    out: set[int] = set()
    inside = False
    for index, block in enumerate(normal.blocks):
        if block.kind == "heading":
            inside = normal.block_text(block).strip().rstrip(":").lower() in _party_headings()
        elif inside:
            out.add(index)
    return out


def title_vehicle(normal: NormalText, sentences: list[Sentence], relater: Relater) -> Optional[str]:
    """The project, programme or agreement the document's first block is named after."""
    first = next((s for s in sentences if s.block == 0), None)
    if first is None:
        return None
    named = [r.actor for r in relater.mentions_in(first.start, first.end)
             if relater.actors[r.actor].kind in VEHICLE_KINDS]
    if named:
        return named[0]
    for draft in relater.settled:  # "Samverkansöverenskommelse mellan A och B" as the title
        if any(s.start == first.start for s in draft.sentences):
            return relater.agreement_id(draft)
    return None


def _parties_in(relater: Relater, s: Sentence) -> list[str]:
    found: list[str] = []
    for r in relater.mentions_in(s.start, s.end):
        if relater.acts(r) and r.actor not in found:
            found.append(r.actor)
    return found
