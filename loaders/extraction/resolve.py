"""One canonical actor per real body: names, spellings and generic references resolved.

"Kronofogden" and "Kronofogdemyndigheten" are one agency; "förvaltningen" in Bromma's
section is Bromma stadsdelsförvaltning; "staden" is the municipality the document
belongs to; "Socialnämnden" of Stockholm is not Socialnämnden of Malmö, so bodies
every municipality has are qualified by the document's municipality in their id.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple, Optional

from rapidfuzz import fuzz, process
from spacy.lang.sv.stop_words import STOP_WORDS

from graph.model import Kind, fold, slug
from loaders.data_files import load
from loaders.extraction.gazetteer import Body, gazetteer, municipality_by_place, place_names, split_district
from loaders.extraction.places import opens_sentence
from loaders.reading.normalize import NormalText
from loaders.language.spans import Mention
from loaders.reading.structure import hands_over

#: The end of a sentence between two mentions.
_SENTENCE_END = re.compile(r"[.!?:]\s|\n")
#: Minimum rapidfuzz ratio for a spelling to be taken as a known body's name.
FUZZY_NAME = 90


@dataclass
class Actor:
    """An actor as one document knows it, before it becomes an Entity."""

    id: str
    name: str
    kind: Kind
    parent: Optional[str] = None
    aliases: set[str] = field(default_factory=set)
    municipality: Optional[str] = None  # whose body it is, when every municipality has one so named


class Resolved(NamedTuple):
    mention: Mention
    actor: str  # Actor.id


@dataclass
class Context:
    """What a document is about: its municipality, its police, who speaks where."""

    municipality: Optional[str] = None
    scope: Optional[str] = None  # the label of a municipal body whose municipality is unknown
    police_region: Optional[str] = None
    local_police: Optional[str] = None
    author: Optional[str] = None
    speakers: list[tuple[int, Optional[str]]] = field(default_factory=list)  # (from char, body name)
    top_bodies: list[Mention] = field(default_factory=list)  # bodies named in the document's first lines
    text: str = ""  # the document's text, to tell where its sentences end

    def speaker_at(self, char: int) -> Optional[str]:
        """Who speaks at a character: the last voice handed the word before it (speakers
        are in text order), or the author."""
        i = bisect_right(self.speakers, char, key=lambda speaker: speaker[0]) - 1
        return (self.speakers[i][1] if i >= 0 else None) or self.author


@lru_cache(maxsize=1)
def _fuzzy_choices() -> dict[str, str]:
    """Known names by their folded form: rapidfuzz compares a dict's values and returns the
    key with the match, so the folded forms are compared and the gazetteer's name comes back."""
    return {name: fold(name) for name in gazetteer().bodies}


def canonical(mention: Mention) -> Mention:
    """A named mention with its name replaced by the gazetteer's, exact or close enough.

    A district stays on the name ("Socialförvaltningen Nordost"): only the body before it is
    looked up, so a close spelling cannot pull the name back to the undivided body.
    """
    base, district = split_district(mention.name or "")
    body = _known_body(base, mention.kind)
    if body is None:
        return mention
    name = f"{body.name} {district}" if district else body.name
    return mention._replace(name=name, kind=body.kind, parent=body.parent or mention.parent)


@lru_cache(maxsize=20000)
def _body(name: str) -> Optional[Body]:
    """The known body a name is, or a district of."""
    return gazetteer().bodies.get(split_district(name)[0])


@lru_cache(maxsize=20000)
def _known_body(name: str, kind: Optional[Kind]) -> Optional[Body]:
    gaz = gazetteer()
    body = gaz.lookup(name)
    if body is None and name:
        hit = process.extractOne(fold(name), _fuzzy_choices(), scorer=fuzz.ratio, score_cutoff=FUZZY_NAME)
        if hit:
            candidate = gaz.bodies[hit[2]]
            if kind in (None, candidate.kind):
                body = candidate
    return body


def context(normal: NormalText, named: list[Mention]) -> Context:
    gaz = gazetteer()
    ctx = Context()
    votes: Counter[str] = Counter()
    for m in named:
        if m.kind is Kind.municipality:
            votes[m.name] += 2
        body = _body(m.name or "")
        if body and body.parent and body.parent in gaz.bodies and gaz.bodies[body.parent].kind is Kind.municipality:
            votes[body.parent] += 1
        elif m.parent and m.parent in gaz.bodies and gaz.bodies[m.parent].kind is Kind.municipality:
            votes[m.parent] += 2  # "socialnämnden i Lund"
    if votes:
        ctx.municipality = votes.most_common(1)[0][0]
    regions = sorted({m.name for m in named if m.kind is Kind.police_unit and m.name.startswith("Polisregion")})
    locals_ = sorted({m.name for m in named if m.kind is Kind.police_unit and m.name.startswith("Lokalpolisområde")})
    ctx.police_region = regions[0] if len(regions) == 1 else None
    ctx.local_police = locals_[0] if len(locals_) == 1 else None
    ctx.speakers = _speakers(normal, named)
    ctx.text = normal.text
    top = normal.blocks[LETTERHEAD_BLOCKS - 1].end if len(normal.blocks) >= LETTERHEAD_BLOCKS else len(normal.text)
    ctx.top_bodies = [m for m in named if m.start < top and m.kind not in (Kind.person, Kind.area, Kind.party)]
    return ctx


#: Blocks at the top of a document that may hold its letterhead, before the text begins.
LETTERHEAD_BLOCKS = 4
#: How much of a heading a body's name must fill to make the heading that body's section,
#: and to make a letterhead line (wholly the name, so a stricter share).
SPEAKER_SHARE = 0.6
LETTERHEAD_SHARE = 0.9


def _speakers(normal: NormalText, named: list[Mention]) -> list[tuple[int, Optional[str]]]:
    bodies = (Kind.board, Kind.administration, Kind.agency, Kind.municipality, Kind.police_unit, Kind.region)
    out: list[tuple[int, Optional[str]]] = []
    # Mentions in text order, found per block by bisection: a test of every mention in every
    # block made a 1 MB document (thousands of each) take over ten times longer per MB.
    ordered = sorted((m for m in named if m.kind in bodies), key=lambda m: m.start)
    starts = [m.start for m in ordered]
    for block in normal.blocks:
        inside = ordered[bisect_left(starts, block.start) : bisect_left(starts, block.end)]
        text = normal.block_text(block)
        if block.kind == "heading":
            out.append((block.start, _naming(inside, text, SPEAKER_SHARE)))
        elif inside and hands_over(text):
            out.append((block.start, inside[0].name))
    return out


#: The longest opening block of a plain text that may be a letterhead (a body's name, a unit,
#: the document's genre and date), not prose.
LETTERHEAD_CHARS = 120


def letterhead(normal: NormalText, named: list[Mention]) -> Optional[str]:
    """The body a document's first lines name as its own ("Tjänsteutlåtande" / "Socialförvaltningen Nordost").

    Only a line that is wholly a board or an administration counts (a heading, or a plain
    text's first line), and only above the first paragraph of prose: further down such a line
    is a section of someone else's.
    """
    bodies = (Kind.board, Kind.administration)
    for index, block in enumerate(normal.blocks[:LETTERHEAD_BLOCKS]):
        text = normal.block_text(block)
        if block.kind != "heading":
            # a plain text opens with its letterhead ("Norrby stadsdelsförvaltning" over
            # "Tjänsteutlåtande", lines the reader joins): a body named by its first words
            opening = text[: len(text) - len(text.lstrip())]
            if index == 0 and len(text.strip()) <= LETTERHEAD_CHARS:
                first = next((m for m in named if m.start == block.start + len(opening) and m.kind in bodies), None)
                if first is not None:
                    return first.name
            if len(text.strip()) > 80:
                return None
            continue
        inside = [m for m in named if block.start <= m.start < block.end and m.kind in bodies]
        name = _naming(inside, text, LETTERHEAD_SHARE)
        if name:
            return name
    return None


def _naming(inside: list[Mention], heading: str, share: float) -> Optional[str]:
    """The body whose mention fills at least `share` of a heading: the heading is its name."""
    width = len(heading.strip())
    return next((m.name for m in inside if (m.end - m.start) >= share * width), None)


def _counterpart(name: str, field: str, from_suffix: int) -> str:
    """The other half of a nämnd/förvaltning pair: from the data, else by the suffix rule.

    A district carries over: Socialnämnden Nordost's administration is Socialförvaltningen Nordost.
    """
    base, district = split_district(name)
    body = gazetteer().bodies.get(base)
    other = base
    if body and getattr(body, field):
        other = getattr(body, field)
    else:
        for pair in load("morphology")["board_to_administration"]:
            if base.endswith(pair[from_suffix]):
                other = base[: -len(pair[from_suffix])] + pair[1 - from_suffix]
                break
    return f"{other} {district}" if district else other


def administration_of(board: str) -> str:
    return _counterpart(board, "administration", 0)


def board_of(administration: str) -> str:
    return _counterpart(administration, "board", 1)


def _kind_of(name: str, fallback: Kind) -> Kind:
    body = _body(name)
    return body.kind if body else fallback


def resolve_generic(mention: Mention, ctx: Context, named: list[Mention]) -> Optional[Mention]:
    """Point a generic reference at the body the context makes it mean, or drop it."""
    target: Optional[str] = None
    kind: Optional[Kind] = None
    cues = load("cues")
    if mention.generic == "municipality":
        # the municipality named just before in the same sentence; else the document's own
        before = [m for m in named if m.kind is Kind.municipality and 0 <= mention.start - m.end < 300
                  and not _SENTENCE_END.search(ctx.text, m.end, mention.start)]
        target = before[-1].name if before else ctx.municipality
        kind = Kind.municipality
    elif mention.generic in ("administration", "board"):
        speaker = ctx.speaker_at(mention.start)
        if speaker:
            speaker_kind = _kind_of(speaker, Kind.board if "nämnd" in speaker else Kind.administration)
            if mention.generic == "administration":
                target = speaker if speaker_kind is Kind.administration else administration_of(speaker)
                kind = Kind.administration
            else:
                target = speaker if speaker_kind is Kind.board else board_of(speaker)
                kind = Kind.board
            if target and kind and _kind_of(target, kind) is not kind:
                target = None
    elif mention.generic == "police":
        # A local document (a medborgarlöfte, a municipality's agreement) that names one
        # lokalpolisområde and no region means that unit by "polisen".
        if ctx.local_police and not ctx.police_region:
            target, kind = ctx.local_police, _kind_of(ctx.local_police, Kind.police_unit)
        else:
            target, kind = cues["police_authority"], Kind.agency
    elif mention.generic == "own_body":
        found = _own_body(mention, ctx, named)
        if found is not None:
            target, kind = found.name, found.kind
    elif mention.generic == "local_police":
        target = ctx.local_police or cues["police_authority"]
        kind = _kind_of(target, Kind.police_unit)
    if not target or not kind:
        return None
    body = _body(target)
    return mention._replace(name=target, kind=kind, parent=body.parent if body else mention.parent)


def _own_body(mention: Mention, ctx: Context, named: list[Mention]) -> Optional[Mention]:
    """'förbundet', 'bolaget', 'föreningen': the body whose head noun it is, in the document's
    first lines (its own page or letter), else the last one named before it."""
    head = fold(load("cues")["own_body_heads"].get(mention.text.lower(), ""))
    if not head:
        return None
    def fits(m: Mention) -> bool:
        return head in fold(m.name or "") or _defined_as(m, head, ctx.text)
    own = next((m for m in ctx.top_bodies if fits(m)), None)
    if own is not None:
        return own
    return next((m for m in reversed(named) if m.end <= mention.start and fits(m)
                 and m.kind not in (Kind.person, Kind.area, Kind.party)), None)


def _defined_as(mention: Mention, head: str, text: str) -> bool:
    """'Räddningstjänsten Mälardalen (RTMD) är ett kommunalförbund': the body is a förbund, though
    its name does not say so, and "förbundet" may then mean it."""
    found = _DEFINITION.match(text, mention.end, mention.end + DEFINITION_REACH)
    return found is not None and any(fold(word).endswith(head) for word in found.groups() if word)


#: What follows a body's name when the text says what kind of body it is: its noun, perhaps
#: after an adjective ("är ett kommunalförbund", "är en ideell förening").
_DEFINITION = re.compile(r"\s*(?:\([A-ZÅÄÖ]{2,8}\)\s*)?(?:är|var) (?:ett|en) (\w+)(?: (\w+))?")
DEFINITION_REACH = 80


def _needs_municipality(body: Optional[Body], mention: Mention) -> bool:
    if body is not None:
        return body.municipal
    return mention.kind in (Kind.board, Kind.administration) and mention.parent == "$MUNICIPALITY" \
        and " " not in split_district(mention.name or "")[0]


def _is_municipality(name: str) -> bool:
    body = gazetteer().bodies.get(name)
    return body is not None and body.kind is Kind.municipality


def actor_for(mention: Mention, ctx: Context) -> Actor:
    body = _body(mention.name or "")
    parent = mention.parent
    if parent == "$MUNICIPALITY":
        parent = ctx.municipality
    elif parent == "$POLICE_REGION":
        parent = ctx.police_region or load("cues")["police_authority"]
    qualifier = None
    if _needs_municipality(body, mention):
        # "kommunfullmäktige i Danderyd" says whose body it is; else the document's municipality;
        # else the body stays the document's own, never one national "Kommunstyrelsen".
        named = parent if parent and _is_municipality(parent) else None
        qualifier = named or ctx.municipality or ctx.scope
        parent = named or parent or ctx.municipality
    actor_id = slug(f"{mention.name} {qualifier}") if qualifier else slug(mention.name or "")
    return Actor(id=actor_id, name=mention.name or "", kind=mention.kind or Kind.group,
                 parent=slug(parent) if parent else None, municipality=qualifier)


def resolve(
    normal: NormalText, mentions: list[Mention], author: Optional[str] = None, scope: Optional[str] = None
) -> tuple[list[Resolved], dict[str, Actor], Context]:
    """Canonical actors for every mention; `author` is the body whose document it is, when known.

    `scope` names the document (e.g. "dokument 1a2b3c4d"): a body every municipality has,
    in a document that does not say whose it is, is qualified by it rather than merged with
    every other document's body of that name.
    """
    named = [canonical(m) for m in mentions if m.generic is None and m.name]
    named = _short_regional_names(_merge_bare_groups(_merge_kind_prefixed(named)))
    named = _places_of_named_municipalities(named, normal.text)
    ctx = context(normal, named)
    ctx.scope = f"okänd kommun, {scope}" if scope else None
    ctx.author = author or letterhead(normal, named)
    resolved_mentions = list(named)
    for m in mentions:
        if m.generic is not None:
            r = resolve_generic(m, ctx, named)
            if r is not None:
                resolved_mentions.append(r)
    actors: dict[str, Actor] = {}
    out: list[Resolved] = []
    for m in sorted(resolved_mentions, key=lambda m: (m.start, m.end)):
        actor = actor_for(m, ctx)
        known = actors.setdefault(actor.id, actor)
        if m.generic is None and m.text.strip() and fold(m.text) != fold(known.name):
            known.aliases.add(m.text.strip())
        out.append(Resolved(m, known.id))
    return out, actors, ctx


#: The rule of a bare place that names a municipality the text names in full: an alias that takes no part.
PLACE_ALIAS_RULE = "place:of_municipality"


def _places_of_named_municipalities(named: list[Mention], text: str) -> list[Mention]:
    """'Hedemora' in a text that names Hedemora kommun is that municipality, named by its place
    (Swedish writes a municipality by its town's name all the time): an alias of it, not an
    area of its own. A place takes no part in what its sentence tells (relate.Relater.acts):
    most say where ("stationerna i Hedemora och Avesta"), and the constructions where a place
    acts as its municipality are read before this, by places.place_roles."""
    places = municipality_by_place()
    present = {m.name for m in named if m.kind is Kind.municipality}
    if not present:
        return named
    out = []
    for m in named:
        # the NE tagger now and then calls a bare place an institution: "Leksand" is no company
        if (m.kind is Kind.area or m.rule == _TAGGED_BODY_RULE) and m.name in places and places[m.name] in present:
            before = text[max(0, m.start - 24) : m.start].split()
            after = text[m.end : m.end + 2]
            if before and text[m.start - 1] == " " and before[-1][:1].isupper() \
                    and before[-1].lower() not in STOP_WORDS or after[:1] == " " and after[1:].isupper():
                out.append(m)  # "City Örebro", "Norrby Företagarförening": part of a longer name
                continue
            # one the tagger read as a body acts as one ("med Norrby och Söderby"), and so does one that
            # opens its sentence, alone or in a list ("Hedemora avböjde", "Norrby och Söderby har ansökt")
            acting = m.rule == _TAGGED_BODY_RULE or opens_sentence(text, m.start)
            rule = "place:municipality" if acting else PLACE_ALIAS_RULE
            m = m._replace(name=places[m.name], kind=Kind.municipality, parent=None, rule=rule)
        out.append(m)
    return out


#: The rule of the NE tagger's institutions: a bare municipality's place among them is the municipality.
_TAGGED_BODY_RULE = "language:inst"


def _short_regional_names(named: list[Mention]) -> list[Mention]:
    """'Länsstyrelsen' in a text that names Länsstyrelsen i Skåne län is that one: there is
    one länsstyrelse per county and no national one, so the bare word names the one at hand
    (bodies.yaml, regional_families). Several named ones leave the bare word as it is."""
    families = _regional_families()
    full: dict[str, set[str]] = {}
    for m in named:
        first = (m.name or "").split(" ", 1)[0]
        if first in families and m.name != first:
            full.setdefault(first, set()).add(m.name or "")
    if not full:
        return named
    return [m._replace(name=next(iter(full[m.name])), parent=None)
            if m.name in full and len(full[m.name]) == 1 else m for m in named]


@lru_cache(maxsize=1)
def _regional_families() -> frozenset[str]:
    return frozenset(load("bodies").get("regional_families", []))


def _merge_kind_prefixed(named: list[Mention]) -> list[Mention]:
    """'den ideella föreningen Trappsteget' and 'Föreningen Trappsteget' in a table are one body:
    a name that the document also writes after its kind as a capitalised prefix takes that
    longer name (patterns.yaml: kind_prefixes)."""
    prefixes = load("patterns")["kind_prefixes"]
    longer = {m.name.split(" ", 1)[1]: m.name for m in named
              if m.name and " " in m.name and m.name.split(" ", 1)[0] in prefixes}
    # "Kustjouren" after "Föreningen Kustjouren Bohuslän": one word of one association's longer
    # name, and of no other's, is that association named short.
    words: dict[str, set[str]] = {}
    for m in named:
        if m.kind is Kind.ngo and m.name and " " in m.name:
            for word in m.name.split()[1:] if m.name.split(" ", 1)[0] in prefixes else m.name.split():
                words.setdefault(word, set()).add(m.name)
    for word, names in words.items():
        if len(names) == 1 and word[:1].isupper() and word not in place_names():
            longer.setdefault(word, next(iter(names)))
    # "Kinnekulle Automation" after "Kinnekulle Automation AB": the company without its form
    companies = {m.name[: -len(" AB")]: m for m in named
                 if m.kind is Kind.company and m.name and m.name.endswith(" AB")}
    if not longer and not companies:
        return named
    out = []
    for m in named:
        if m.name in longer and m.kind is Kind.ngo:
            m = m._replace(name=longer[m.name])
        elif m.name in companies and m.kind is not Kind.company:
            m = m._replace(name=companies[m.name].name, kind=Kind.company)
        out.append(m)
    return out


def _merge_bare_groups(named: list[Mention]) -> list[Mention]:
    """'aktionsgrupperna' after 'myndighetsgemensamma aktionsgrupper' is that same group."""
    groups = [m for m in named if m.kind is Kind.group]
    by_head: dict[str, str] = {}
    for m in sorted(groups, key=lambda m: -len(m.name or "")):
        head = fold(m.name or "").split()[-1].rstrip("na")
        by_head.setdefault(head, m.name or "")
    out = []
    for m in named:
        if m.kind is Kind.group:
            head = fold(m.name or "").split()[-1].rstrip("na")
            m = m._replace(name=by_head.get(head, m.name))
        out.append(m)
    return out
