"""Tables of cooperations: one named effort a row, its parties in a column of their own.

Annual reports, remissvar and follow-ups list what a body takes part in as a table:

    Insats        | Parter                                  | Period
    Steget vidare | Norrby kommun, Arbetsförmedlingen       | 2023-03-01–2025-12-31

The first column names the effort (its header says what kind: "Insats", "Nätverk", "Avtal"),
a column headed "Parter" (or "Samverkansparter", "Medlemmar" ...) names its parties. Each
party of a row takes part in the row's effort, and the parties of one row cooperate through
it. The headers are data (cues.yaml: table_vehicle_columns, table_party_columns); a row's
period is read as any sentence's is (pipeline._timed), so a row that ended is ended.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations
from typing import Optional

from graph.model import Kind, RelationType, Status, slug
from loaders.data_files import load
from loaders.reading.normalize import NormalText
from loaders.extraction.relate import VEHICLE_KINDS, Fact, Relater, sentence_status
from loaders.extraction.resolve import Actor
from loaders.language.spans import Sentence
from loaders.extraction.timing import adjust, own_date

#: The longest name a first cell may hold to be an effort's (in words).
NAME_WORDS = 10


def table_facts(normal: NormalText, sentences: list[Sentence], relater: Relater) -> list[Fact]:
    """The ties of every row of every table of cooperations in the document."""
    if "|" not in normal.text:
        return []  # most documents hold no table
    facts: list[Fact] = []
    header: Optional[tuple[Kind, int]] = None  # the current table's kind of effort and party column
    written = own_date(normal.text)
    for block in normal.blocks:
        text = normal.block_text(block)
        if "|" not in text:
            header = None
            continue
        cells = _cells(text)
        found = _header(cells)
        if found is not None:
            header = found
            continue
        if header is None or all(set(c.strip()) <= set("-: ") for c, _ in cells):
            continue  # not in a table of cooperations, or a Markdown table's rule
        kind, column = header
        if column >= len(cells):
            continue
        status = _row_status(text, written, relater)
        facts += _row_facts(cells, kind, column, block.start, status, sentences, relater)
    return facts


def _cells(text: str) -> list[tuple[str, int]]:
    """A row's cells and where each starts in the row, without a Markdown table's outer pipes."""
    out, at = [], 0
    for part in text.split("|"):
        lead = len(part) - len(part.lstrip())
        out.append((part.strip(), at + lead))
        at += len(part) + 1
    if out and not out[0][0] and text.lstrip().startswith("|"):
        out = out[1:]
    if out and not out[-1][0] and text.rstrip().endswith("|"):
        out = out[:-1]
    return out


def _header(cells: list[tuple[str, int]]) -> Optional[tuple[Kind, int]]:
    """(the kind of effort its first column names, the index of its party column), for the
    header of a table of cooperations; None for any other row."""
    names = [c.lower().rstrip(":") for c, _ in cells]
    if len(names) < 2 or names[0] not in _vehicle_columns():
        return None
    column = next((i for i, name in enumerate(names[1:], start=1) if name in _party_columns()), None)
    return (Kind(_vehicle_columns()[names[0]]), column) if column is not None else None


def _row_status(row: str, written: Optional[str], relater: Relater) -> Status:
    """A row's status: its cue words, and its period against the document's date (a row is
    often cut into several sentences, so its period is read from the whole row)."""
    return adjust(sentence_status(row, relater.motion_rejected), "", False, False, row, written)


def _row_facts(cells: list[tuple[str, int]], kind: Kind, column: int, offset: int, status: Status,
               sentences: list[Sentence], relater: Relater) -> list[Fact]:
    name, name_at = cells[0]
    cell, cell_at = cells[column]
    row = next((s for s in sentences if s.start <= offset + name_at < s.end), None)
    if row is None or not name or len(name.split()) > NAME_WORDS:
        return []
    start, end = offset + cell_at, offset + cell_at + len(cell)
    parties = list(dict.fromkeys(r.actor for r in relater.mentions_in(start, end) if relater.acts(r)))
    if not parties:
        return []
    vehicle = _vehicle(name, offset + name_at, kind, relater)
    parties = [p for p in parties if p != vehicle]
    rel_type = RelationType.PARTY_TO if relater.actors[vehicle].kind is Kind.agreement else RelationType.PARTICIPATES_IN
    facts = [Fact(party, vehicle, rel_type, status, row, "table:parties") for party in parties]
    facts += [Fact(a, b, RelationType.COLLABORATES_WITH, status, row, "table:parties", via=vehicle)
              for a, b in combinations(parties, 2)
              if not (relater._is_ancestor(a, b) or relater._is_ancestor(b, a))]
    return facts


def _vehicle(name: str, at: int, kind: Kind, relater: Relater) -> str:
    """The effort a first cell names: a vehicle recognised there up to the cell's end, else the
    cell's words as one ("Nätverket Trygg kust", of which a pattern reads "Trygg" alone)."""
    named = [r.actor for r in relater.mentions_in(at, at + len(name))
             if relater.actors[r.actor].kind in VEHICLE_KINDS and r.mention.end == at + len(name)]
    if named:
        return named[0]
    actor_id = slug(name)
    relater.actors.setdefault(actor_id, Actor(id=actor_id, name=name, kind=kind))
    return actor_id


@lru_cache(maxsize=1)
def _vehicle_columns() -> dict[str, str]:
    return dict(load("cues")["table_vehicle_columns"])


@lru_cache(maxsize=1)
def _party_columns() -> frozenset[str]:
    return frozenset(load("cues")["table_party_columns"])
