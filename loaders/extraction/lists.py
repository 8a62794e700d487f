"""Parties listed under a heading: "Parter" followed by one body per line or table row.

Project descriptions and agreements often name their parties only in such a list, never
in a sentence, so sentence rules find nothing. When the document's title names the
project, programme or agreement, each body of the list takes part in it, with the list
item as its evidence.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple, Optional

from graph.model import Kind, RelationType, Status, fold, slug

from loaders.data_files import load
from loaders.language.swedish import tagger
from loaders.reading.structure import heading_words
from loaders.reading.normalize import NormalText
from loaders.extraction.resolve import Actor
from loaders.extraction.relate import PARTY_KINDS, VEHICLE_KINDS, Fact, Relater, sentence_status
from loaders.language.spans import Sentence

#: A list item longer than this is prose, read by the sentence rules alone.
ITEM_CHARS = 160


@lru_cache(maxsize=1)
def _guest() -> re.Pattern[str]:
    """Words that make a listed person a guest of the meeting (cues.yaml: guest_words)."""
    return re.compile(r"\b(?:%s)\b" % "|".join(map(re.escape, load("cues")["guest_words"])))


@lru_cache(maxsize=1)
def _party_headings() -> frozenset[str]:
    return frozenset(load("cues")["party_headings"])


class Item(NamedTuple):
    """One listed party: its words, and the sentence quoted as its evidence."""

    start: int
    end: int
    sentence: Sentence


def listed_party_facts(normal: NormalText, sentences: list[Sentence], relater: Relater) -> list[Fact]:
    """The parties listed under a party heading or signing at the end ("För Region X"): each
    takes part in what the document's title names, and they cooperate with one another."""
    items = _items(normal, sentences, relater)
    if not items:
        return []
    vehicle = title_vehicle(normal, sentences, relater) or _titled_agreement(relater) or _page_vehicle(normal, relater)
    kind = relater.actors[vehicle].kind if vehicle else None
    rel_type = RelationType.PARTY_TO if kind is Kind.agreement else RelationType.PARTICIPATES_IN
    listed: list[tuple[str, Sentence]] = []
    for item in items:
        if _guest().search(item.sentence.text.lower()):
            continue  # "Anna Berg, Kriminalvården (gäst under punkt 4)": a guest sits in no group
        parties = _parties_in(relater, item) or _line_party(relater, normal.text[item.start : item.end])
        listed += [(actor, item.sentence) for actor in parties if actor != vehicle]
    if len({actor for actor, _ in listed}) < 2 and vehicle is None:
        return []
    effort = title_effort(normal, sentences, relater) if kind is Kind.agreement else title_group(normal, sentences, relater)
    facts = []
    statuses: dict[int, Status] = {}  # a list's lines are often one sentence: read it once
    for n, (actor, s) in enumerate(listed):
        status = statuses.get(s.start) or statuses.setdefault(s.start, sentence_status(s.text, False))
        if vehicle is not None:
            facts.append(Fact(actor, vehicle, rel_type, status, s, "list:parties"))
        if effort is not None and actor != effort:
            facts.append(Fact(actor, effort, RelationType.PARTICIPATES_IN, status, s, "list:parties"))
        for other, _ in listed[:n]:  # each pair once, with the later item's line as its evidence
            if other != actor and not (relater._is_ancestor(actor, other) or relater._is_ancestor(other, actor)):
                facts.append(Fact(other, actor, RelationType.COLLABORATES_WITH, status, s, "list:parties",
                                  via=vehicle))
    return facts


def _titled_agreement(relater: Relater) -> Optional[str]:
    """The agreement a document's heading names, when no sentence made it yet: its party
    list is what makes it."""
    if not relater.title:
        return None
    actor_id = slug(relater.title)
    relater.actors.setdefault(actor_id, Actor(id=actor_id, name=relater.title, kind=Kind.agreement))
    return actor_id


def _items(normal: NormalText, sentences: list[Sentence], relater: Relater) -> list[Item]:
    """Every listed party's span: lines under a party heading, short name-like headings right
    after one, bullets of a paragraph that opens with one ("Parter – A – B"), signature lines."""
    blocks = _listed_blocks(normal) | _signature_blocks(normal, sentences, relater) | _name_headings(normal, relater)
    out = [Item(s.start, s.start + _party_cells(relater, s), s) for s in sentences
           if s.block in blocks and (len(s.text) <= ITEM_CHARS and not _prose(s.text) or s.text.rstrip().endswith(":"))]
    for s in sentences:
        bullets = _inline_bullets(s.text) or _field(s.text)
        out += [Item(s.start + a, s.start + b, s) for a, b in bullets]
    return out


def _prose(text: str) -> bool:
    """A full sentence under a list's heading ("Det beslutade kommunstyrelsen i oktober."), not an item."""
    stripped = text.strip()
    return stripped.endswith(".") and len(stripped.split()) > MAX_NAME_WORDS


def _first_cell(text: str) -> int:
    """A table row names its party in the first cell ("X, Y stad | Projektägare"): where it ends."""
    cut = text.find(" | ")
    return cut if cut > 0 else len(text)


def _party_cells(relater: Relater, s: Sentence) -> int:
    """Where a row's party cells end: after the first cell, unless that names a person ("Anna
    Berg | Norrby kommun | ordförande" in a steering group's table), whose body the row names
    after (read as a register line: _parties_in)."""
    cut = _first_cell(s.text)
    if cut < len(s.text) and any(relater.actors[r.actor].kind is Kind.person
                                 for r in relater.mentions_in(s.start, s.start + cut)):
        return len(s.text)
    return cut


def _field(text: str) -> list[tuple[int, int]]:
    """'Projektägare | X' or 'Projektägare: X' on a project page: the span of X."""
    m = _FIELD.match(text) if "|" in text or ":" in text else None
    if m is None or m.group(1).strip().lower() not in _party_fields():
        return []
    end = text.find(" | ", m.end())
    return [(m.end(), end if end > 0 else len(text))]


_FIELD = re.compile(r"^\s*([A-ZÅÄÖa-zåäö][\wåäö ]{2,30}?)\s*(?:\||:)\s*")


@lru_cache(maxsize=1)
def _party_fields() -> frozenset[str]:
    return frozenset(load("cues")["party_fields"])


_BULLET = re.compile(r"\s[–•*-]\s")


def _inline_bullets(text: str) -> list[tuple[int, int]]:
    """'Parter – A – B – C' run together on one line: the spans of A, B and C."""
    head = text.split("–", 1)[0].split("•", 1)[0].strip().rstrip(":").lower()
    if head not in _party_headings() or not _BULLET.search(text):
        return []
    cuts = [m.end() for m in _BULLET.finditer(text)]
    ends = [m.start() for m in _BULLET.finditer(text)][1:] + [len(text)]
    return [(a, b) for a, b in zip(cuts, ends) if b - a <= ITEM_CHARS]


def _name_headings(normal: NormalText, relater: Relater) -> set[int]:
    """Short lines that a text's layout made headings, right after a party heading: the list
    goes on while each line is a name (a known body or a proper noun), not a section title."""
    out: set[int] = set()
    inside = False
    for index, block in enumerate(normal.blocks):
        text = normal.block_text(block).strip()
        if block.kind != "heading":
            inside = inside and text.endswith(":")  # "... och följande kommuner:" opens the list
        elif heading_words(text) in _party_headings():
            inside = True
        elif inside and _is_name(relater, normal, block, text):
            out.add(index)
        else:
            inside = False
    return out


def _is_name(relater: Relater, normal: NormalText, block, text: str) -> bool:
    if any(relater.acts(r) for r in relater.mentions_in(block.start, block.end)):
        return True
    return len(text.split()) <= MAX_NAME_WORDS and _has_proper_noun(text.split())


def _unit_after(relater: Relater, body, unit) -> bool:
    """Is `unit` a förvaltning or nämnd named right after the municipality or region it belongs to,
    after a comma or a dash ("Norrby kommun, utbildningsförvaltningen", "Region X – vårdcentralerna")?"""
    kinds = relater.actors[body.actor].kind, relater.actors[unit.actor].kind
    return kinds[0] in (Kind.municipality, Kind.region) and kinds[1] in (Kind.administration, Kind.board) \
        and _UNIT_GAP.fullmatch(relater.text[body.mention.end : unit.mention.start]) is not None


#: Between a body and its unit: a comma or a dash, and the first part of a compound the unit
#: shares ("Norrby kommun, barn- och utbildningsförvaltningen").
_UNIT_GAP = re.compile(r"\s*[,–-]\s*(?:[a-zåäö]+-\s+och\s+)?")


def _belongs_to(relater: Relater, body, place) -> bool:
    """Is `place` the municipality or region that a body right before it, after a comma, belongs to?"""
    kinds = relater.actors[body.actor].kind, relater.actors[place.actor].kind
    return kinds[0] in (Kind.administration, Kind.board) and kinds[1] in (Kind.municipality, Kind.region) \
        and relater.text[body.mention.end : place.mention.start].strip() == ","


def _line_party(relater: Relater, line: str) -> list[str]:
    """A list item that names no known body is itself a party's name ("Fastighetsägarna
    Mitt", "City Östersund"): short, capitalised, no verb, no digits."""
    text = _LIST_MARK.sub("", line).strip().rstrip(".,;")
    if any(c in text for c in ",()|"):
        return []  # "Anna Berg, projektledare (sekreterare)": a person and a role, not a body's name
    words = text.split()
    if not (1 <= len(words) <= MAX_NAME_WORDS) or not words[0][:1].isupper() or any(c.isdigit() for c in text):
        return []
    pos = _parts_of_speech(words)  # tagged once, for both questions
    if words[0].lower() in _not_names() or not _looks_like_name(words, pos) or "VB" in pos:
        return []  # "Styrgruppen sammanträder fyra gånger per år.": a sentence, not a name
    name = " ".join(words)
    bare = fold(" ".join(w for w in words if w not in _LEGAL_FORMS))
    known = next((a for a in relater.actors.values() if fold(a.name) in (fold(name), bare)
                  or bare and fold(" ".join(w for w in a.name.split() if w not in _LEGAL_FORMS)) == bare), None)
    if known is not None:  # "AB Norrbyhem" in the list, "Norrbyhem" in the text: one company
        return [known.id] if known.kind in PARTY_KINDS else []  # a person's or a group's name is no party
    actor_id = slug(name)
    if actor_id not in relater.actors:
        relater.actors[actor_id] = Actor(id=actor_id, name=name, kind=_line_kind(words))
    return [actor_id]


def _looks_like_name(words: list[str], pos: Optional[frozenset[str]] = None) -> bool:
    """A proper noun, an institution's head noun or a legal form: 'Organisation' or 'Bakgrund'
    alone is a table's or a section's heading, not a party."""
    return any(w in _LEGAL_FORMS for w in words) or _inst_head(words) \
        or "PM" in (pos if pos is not None else _parts_of_speech(words))


def _has_proper_noun(words: list[str]) -> bool:
    """Does the language layer tag one of the words a proper noun (none without the layer)?"""
    return "PM" in _parts_of_speech(words)


def _parts_of_speech(words: list[str]) -> frozenset[str]:
    """The parts of speech the language layer gives the words (none without the layer)."""
    model = tagger()
    return frozenset(tag.pos for tag in model.tag(words)) if model is not None else frozenset()


def _inst_head(words: list[str]) -> bool:
    return any(w.lower().endswith(ending) for ending, _ in load("language")["inst_heads"] for w in (words[0], words[-1]))


def _line_kind(words: list[str]) -> Kind:
    for ending, kind in load("language")["inst_heads"]:
        if any(w.lower().endswith(ending) for w in (words[0], words[-1])):
            return Kind(kind)
    return Kind.company if words[-1] == "AB" else Kind.ngo


def _signature_blocks(normal: NormalText, sentences: list[Sentence], relater: Relater) -> set[int]:
    """Blocks that sign for a party: 'För Kommunen X' alone on a line, two of them or more."""
    out = set()
    for s in sentences:
        text = normal.text[s.start : s.end].strip()
        if text.startswith(("För ", "for ")) and len(text.split()) <= MAX_NAME_WORDS + 1 and text[-1:] not in ".:" \
                and s.end - s.start == len(normal.block_text(normal.blocks[s.block]).strip()):
            out.add(s.block)
    return out if len(out) >= 2 else set()


#: Words of a company's legal form, written before or after its name.
_LEGAL_FORMS = frozenset({"AB", "HB", "KB", "ek.", "för.", "ekonomisk", "förening"})
#: A list item that is a name has at most this many words.
MAX_NAME_WORDS = 6
_LIST_MARK = re.compile(r"^\s*(?:[-–•*]|\d+[.)])\s*|^\s*[Ff]ör\s+")


@lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    """First words that make a line a sentence or a heading, not a name."""
    return frozenset(load("cues")["list_not_names"])


def _listed_blocks(normal: NormalText) -> set[int]:
    """Indexes of the blocks under a party heading, up to the next heading, and the rows of a
    table whose first column header names parties ("Organisation | Ledamot")."""
    out: set[int] = set()
    inside = False
    table = False  # inside a table of parties: its rows are listed until the table ends
    for index, block in enumerate(normal.blocks):
        text = normal.block_text(block)
        row = " | " in text
        if block.kind == "heading":
            inside = heading_words(text) in _party_headings()
        elif inside:
            out.add(index)
        if table and row:
            out.add(index)
        table = row and (table or text.split(" | ", 1)[0].strip().lower() in _party_columns())
    return out


@lru_cache(maxsize=1)
def _party_columns() -> frozenset[str]:
    return frozenset(load("cues")["party_columns"])


def title_vehicle(normal: NormalText, sentences: list[Sentence], relater: Relater) -> Optional[str]:
    """The project, programme or agreement the document's title names: its first block, or its
    first main heading when the page opens with a breadcrumb trail ("Start › Projekt › ...")."""
    block = _title_block(normal)
    first = next((s for s in sentences if s.block == block), None)
    if first is None:
        return None
    # "Protokoll" / "Styrgruppen för projektet X": the project may be named in the next short line.
    # An agreement's title ("Samverkansöverenskommelse om Kompetenscentrum X") names the agreement
    # the document is, not the effort it is about (its parties take part in that: title_effort).
    for s in sentences:
        if block <= s.block < block + 3 and len(s.text) <= ITEM_CHARS:
            named = [r.actor for r in relater.mentions_in(s.start, s.end)
                     if relater.actors[r.actor].kind in VEHICLE_KINDS
                     and not (relater.title and s.block == block and relater.actors[r.actor].kind is not Kind.agreement)]
            if named:
                return named[0]
    if relater.title and slug(relater.title) in relater.actors:  # the agreement its heading names
        return slug(relater.title)
    for draft in relater.settled:  # "Samverkansöverenskommelse mellan A och B" as the title
        if any(s.start == first.start for s in draft.sentences):
            return relater.agreement_id(draft)
    return None


def title_group(normal: NormalText, sentences: list[Sentence], relater: Relater) -> Optional[str]:
    """The group whose minutes the document is, named on a line of its title ("Protokoll /
    Styrgruppen för projektet Framtidsspåret Norrby"): the bodies its register lists sit in it,
    as well as taking part in what it steers. Its heads are data (cues.yaml: minutes_groups)."""
    block = _title_block(normal)
    for s in sentences:
        if not block <= s.block < block + 3 or len(s.text) > ITEM_CHARS:
            continue
        line = s.text.strip().rstrip(".")
        head = _group_head(line)
        if head is not None:
            known = slug(head)  # "Trygghetsrådet", already read as a group, is the council the line places
            if known in relater.actors and relater.actors[known].kind is Kind.group:
                return known
            actor_id = slug(line)
            relater.actors.setdefault(actor_id, Actor(id=actor_id, name=line, kind=Kind.group))
            return actor_id
    return None


def _group_head(line: str) -> Optional[str]:
    """'Styrgruppen för projektet X', 'Folkhälsorådet i X', 'Brottsförebyggande rådet i X': the
    words that name the group ('Folkhälsorådet'), when the line is a group's name: a head
    (cues.yaml: minutes_groups, or a word ending as minutes_group_ends) of at most two words,
    then its remit ('för') or place ('i' and a name), the whole line short enough for a name."""
    words = line.split()
    if len(words) > MAX_NAME_WORDS + 3 or not words[0][:1].isupper():
        return None
    lowered = [w.lower() for w in words]
    for n in (1, 2):
        if len(words) > n + 1 and (lowered[n] == "för" or lowered[n] == "i" and words[n + 1][:1].isupper()):
            head = lowered[n - 1]
            named = head in _minutes_groups() or head.endswith(_minutes_group_ends())
            return " ".join(words[:n]) if named else None
    return None


@lru_cache(maxsize=1)
def _minutes_groups() -> frozenset[str]:
    return frozenset(load("cues")["minutes_groups"])


@lru_cache(maxsize=1)
def _minutes_group_ends() -> tuple[str, ...]:
    return tuple(load("cues")["minutes_group_ends"])


def title_effort(normal: NormalText, sentences: list[Sentence], relater: Relater) -> Optional[str]:
    """The named effort an agreement's title says it is about ("Samverkansöverenskommelse om
    Kompetenscentrum Smart Industri Norrby"): the agreement's parties take part in it."""
    if not relater.title:
        return None
    block = _title_block(normal)
    first = next((s for s in sentences if s.block == block), None)
    if first is None:
        return None
    return next((r.actor for r in relater.mentions_in(first.start, first.end)
                 if relater.actors[r.actor].kind in VEHICLE_KINDS and relater.actors[r.actor].kind is not Kind.agreement),
                None)


def _title_block(normal: NormalText) -> int:
    """The index of the block that holds the document's title."""
    for index, block in enumerate(normal.blocks[:TITLE_BLOCKS]):
        text = normal.block_text(block)
        if _BREADCRUMB.search(text):
            continue
        if block.kind == "heading" and block.level == 1 or index == 0:
            return index
        return index
    return 0


def _page_vehicle(normal: NormalText, relater: Relater) -> Optional[str]:
    """A project page's main heading names its project ("# Trygg i Norrby"), when the page
    speaks of a project and the heading is a short name."""
    block = normal.blocks[_title_block(normal)] if normal.blocks else None
    if block is None or block.kind != "heading":
        return None
    name = _without_genre(normal.block_text(block).strip())
    words = name.split()
    if not 1 <= len(words) <= MAX_NAME_WORDS or not words[0][:1].isupper() or name.endswith((".", ":")):
        return None
    head = next((k for h, k in load("relations")["vehicle_heads"].items()
                 if words[0].lower().startswith(h) or words[-1].lower().endswith(h)), None)
    fields = _PROJECT_FIELD.search(normal.text[:3000])
    if head is None and not fields:
        return None  # a heading such as "Årsrapport 2024" names the document, not a project
    if not fields and not _looks_like_name(words):
        return None  # a project's fields make any short heading its name ("Gränsbygdens kompetenslyft")
    actor_id = slug(name)
    relater.actors.setdefault(actor_id, Actor(id=actor_id, name=name, kind=Kind(head or "project")))
    return actor_id


def _without_genre(heading: str) -> str:
    """'Slutrapport – Stegvis Norrby' -> 'Stegvis Norrby': the report's genre names no project."""
    genre = _GENRE.match(heading)
    return heading[genre.end():] if genre and genre.group(1).lower() in _genres() else heading


_GENRE = re.compile(r"([A-ZÅÄÖa-zåäö]+)\s*[–:-]\s+(?=\S)")


@lru_cache(maxsize=1)
def _genres() -> frozenset[str]:
    return frozenset(load("cues")["document_genres"])


#: A project page's fields: "Projektägare | ...", "Projektperiod: ...".
_PROJECT_FIELD = re.compile(r"(?m)^\s*Projekt[a-zåäö]+\s*(?:\||:)")
#: A navigation trail at the top of a web page.
_BREADCRUMB = re.compile(r"\s[›»>]\s")
#: The opening blocks that may hold the title.
TITLE_BLOCKS = 4


def _parties_in(relater: Relater, s) -> list[str]:
    """The bodies a list item names. A line of an attendance register opens with a person
    ("Anna Berg, socialförvaltningen, Norrby kommun"): the body the person represents is the
    municipality or region the unit belongs to, not the unit."""
    found: list[str] = []
    previous = None
    mentions = relater.mentions_in(s.start, s.end)
    register = bool(mentions) and relater.actors[mentions[0].actor].kind is Kind.person
    for r in mentions:
        if previous is not None and _belongs_to(relater, previous, r):
            if register and found and found[-1] == previous.actor and r.actor not in found:
                found[-1] = r.actor
            continue  # "Stadskansliet, Göteborgs Stad": the city says whose kansli it is
        if previous is not None and (register and relater.actors[r.actor].parent == previous.actor
                                     or _unit_after(relater, previous, r)):
            if previous.actor not in found:  # "Helena Ek, Kriminalvården, frivården i Norrby": she
                found.append(previous.actor)  # represents Kriminalvården; "Norrby kommun, socialförvaltningen"
            continue                          # or "Norrby kommun – socialförvaltningen": the party is Norrby kommun
        previous = r
        if relater.acts(r) and r.actor not in found:
            found.append(r.actor)
    return found
