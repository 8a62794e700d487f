"""Text in, one Extraction out: the pure function every ingestion path calls.

Pure (no I/O, no global state but cached data tables), so it can run in worker
processes or on other machines, and its output can be stored as JSON Lines.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Optional

from graph.model import (
    Kind,
    RelationType,
    Status,
    Document,
    Entity,
    Evidence,
    Extraction,
    make_relation,
    document_id,
    evidence_key,
    fold,
    slug,
)
from loaders.extraction import timing
from loaders.reading import ocr, structure
from loaders.extraction.periods import Period, has_date, period_of, refers_back
from loaders.data_files import load
from loaders.extraction.joint import JointReader
from loaders.extraction.lists import listed_party_facts, title_vehicle
from loaders.extraction.parties import parties_facts
from loaders.extraction.regulation import regulated_facts
from loaders.extraction.services import service_facts
from loaders.extraction.tables import table_facts
from loaders.reading.normalize import normalize
from loaders.reading.formats import title_site
from loaders.reading.read import MAX_BYTES, read
from loaders.extraction.recognize import recognize
from loaders.language.spans import Sentence, parse, sentence_at, sentences
from loaders.extraction.relate import CLAUSE_TENSE_RULE, Fact, Relater, has, infer_author, sentence_status, weaker
from loaders.extraction.resolve import Actor, resolve


def extract_file(path: Path | str, max_bytes: int = MAX_BYTES) -> Extraction:
    """Read and extract one file; raises LoaderError naming the file when it cannot be read."""
    raw = read(path, max_bytes=max_bytes)
    return extract_text(raw.text, source=raw.path, markdown=raw.format == "markdown" or _looks_markdown(raw.text))


def _looks_markdown(text: str) -> bool:
    """Many .txt exports are Markdown; headings at line starts give them away."""
    return sum(1 for line in text.splitlines() if line.startswith("#")) >= 2


def extract_text(text: str, source: str = "<text>", markdown: bool = False) -> Extraction:
    """Every actor, tie and piece of evidence of one document's text.

    Memory at the peak is about 55-60 times the text's characters (README, "Limits"):
    spaCy's Doc of every block (about 35 bytes a character) lives through recognition, and
    is let go as soon as that is done. Callers that read untrusted files cut the text first
    (limits.cap_sentences), which bounds it.
    """
    normal = normalize(text, markdown=markdown)
    doc_id = document_id(normal.text)
    # Recognition reads the repaired text; quotes and offsets come from the text as written.
    damaged = ocr.is_damaged(normal.text)
    view = replace(normal, text=ocr.repair(normal.text)) if damaged else normal
    parsed = parse(view)
    sents = sentences(parsed)
    mentions = recognize(view, parsed, fuzzy=damaged, sents=sents)
    del parsed  # the Docs: over half the memory of what follows, and nothing after needs them
    if damaged:  # quotes show the text as written, not as repaired
        mentions = [m._replace(text=normal.text[m.start : m.end]) for m in mentions]
    scope = f"dokument {doc_id.removeprefix('doc-')[:8]}"  # labels a body whose municipality is unknown
    resolved, actors, ctx = resolve(view, mentions, scope=scope)
    headings = frozenset(i for i, block in enumerate(view.blocks) if block.kind == "heading")
    title = structure.agreement_title(view, load("cues")["agreement_nouns"])
    relater = Relater(view.text, actors, resolved, headings, title, _owner(view, resolved, actors))
    facts = relater.run(sents)
    author = None if ctx.author else _infer_author(relater, sents, mentions, resolved)
    if author:
        resolved, actors, ctx = resolve(view, mentions, author=author, scope=scope)
        relater = Relater(view.text, actors, resolved, headings, title, _owner(view, resolved, actors))
        facts = relater.run(sents)
    facts += listed_party_facts(view, sents, relater)
    facts += parties_facts(facts, sents, relater)
    facts += table_facts(view, sents, relater)
    facts += JointReader(relater, title_vehicle(view, sents, relater), facts).run(sents)
    facts += regulated_facts(facts, sents, relater)
    facts += service_facts(sents, relater)
    facts = _signed_by_municipality(facts, actors)  # before evidence: a municipality it adds needs its own
    # Not cooperation: the police's own levels, a body and its own board or administration
    # ("Omsorgsförvaltningen samarbetar med Norrby kommun"), whichever rule read the tie.
    facts = [f for f in facts if not _within_the_police(f, actors)
             and not (relater.own_unit(f.source, f.target) or relater.own_unit(f.target, f.source))]
    sections = structure.sections(normal)

    # One quote string and one section lookup per sentence, however many records cite it.
    quoted: dict[int, tuple[str, str]] = {}

    def evidence(start: int, end: int, sentence: Sentence, rule: str) -> Evidence:
        where = quoted.get(sentence.start)
        if where is None:
            heading = structure.section_at(sections, sentence.start).heading
            where = quoted[sentence.start] = (heading, normal.text[sentence.start : sentence.end])
        # Built from values this function controls: no need to validate them again.
        return Evidence.trusted(doc_id, where[0], where[1], start, end, rule, confidence(rule))

    entity_evidence: dict[str, list[Evidence]] = defaultdict(list)
    starts = [s.start for s in sents]
    for r in resolved:
        sentence = sentence_at(sents, starts, r.mention.start)
        if sentence is not None:
            entity_evidence[r.actor].append(evidence(r.mention.start, r.mention.end, sentence, r.mention.rule))
    for fact in facts:
        for end in (fact.source, fact.target):
            if end not in entity_evidence:
                # an actor known only from a tie (a listed party's line, an agreement's
                # sentence): the first sentence that ties it is its evidence
                entity_evidence[end].append(evidence(fact.sentence.start, fact.sentence.end, fact.sentence,
                                                     fact.rule))
        if fact.rule.startswith("relate:agreement"):
            entity_evidence[fact.target if fact.type.value == "PARTY_TO" else fact.source].append(
                evidence(fact.sentence.start, fact.sentence.end, fact.sentence, fact.rule)
            )

    periods = _vehicle_periods(sents, relater)
    facts = _with_former_bodies(facts, relater)
    facts = _declined_after(facts, sents, relater)
    facts += _joined_members(facts, relater)
    facts = _ended_vehicles(_planned_before(_ended_after(_timed(facts, normal.text, sections, relater, periods), sents),
                                            sents, timing.own_date(normal.text)))
    relations = _relations(facts, evidence)
    named = {a for a, evs in entity_evidence.items() if any(e.rule != "generic:possessive" for e in evs)}
    used = {r.source for r in relations} | {r.target for r in relations} | named
    entities = []
    # agreements the text names by a name of their own ("Medborgarlöftet Trygga Norrby"): undated
    own_names = relater.named_agreements | {r.actor for r in relater.resolved if r.mention.generic is None
                                            and relater.actors[r.actor].kind is Kind.agreement}
    for actor_id in sorted(used):
        actor = actors[actor_id]
        entities.append(
            Entity.trusted(  # values from the gazetteer and the resolver, checked there
                id=actor.id,
                name=actor.name if actor_id in own_names else _dated_name(actor, periods.get(actor.id)),
                kind=Kind(actor.kind),
                aliases=sorted(actor.aliases - {actor.name}),
                parent=actor.parent,
                attributes=_attributes(actor, relater.agreement_attributes.get(actor.id, {}),
                                       periods.get(actor.id)),
                evidence=_dedupe(entity_evidence[actor_id]),
            )
        )
    document = Document(
        id=doc_id,
        source=source,
        title=structure.title(normal),
        type=structure.document_type(normal),
        dnr=structure.dnrs(normal.text),
        date=structure.document_date(normal.text),
        author=ctx.author,
        length=len(normal.text),
    )
    return Extraction(document=document, entities=entities, relations=relations)


def confidence(rule: str) -> float:
    """How sure a reading is, by the rule that made it (relations.yaml, confidence): an explicit
    predicate of joint action with a coordinated subject is surer than a co-mention."""
    table = load("relations")["confidence"]
    return table.get(rule, table.get(rule.split(":", 1)[0] + ":*", table["default"]))


def _owner(view, resolved, actors) -> Optional[str]:
    """The body whose document it is: the one its first line wholly names ("ÖSTERSUNDS KOMMUN",
    "Länsstyrelsen Skåne"), a municipality, region, agency, police unit or förbund. A web page
    names its site's owner after its title ("Tidiga insatser – Norrby kommun"); the HTML reader
    writes a page's site name from its <title> under its first line."""
    for block in view.blocks[:OWNER_BLOCKS]:  # "PRESSMEDDELANDE" / "Kvinnojouren X i Växjö"
        line = view.text[block.start : block.end].split("\n", 1)[0]
        for start, part in _owner_parts(line):
            for r in resolved:
                if block.start + start <= r.mention.start < block.start + start + len(part) + 1 \
                        and r.mention.generic is None \
                        and len(r.mention.text.strip()) >= OWNER_SHARE * len(part.strip().split(" i ")[0]) \
                        and actors[r.actor].kind in _OWNER_KINDS:
                    return r.actor
    return _owner_in_capitals(view, actors)


def _owner_in_capitals(view, actors) -> Optional[str]:
    """'SÖDRA NORRBYS RÄDDNINGSTJÄNSTFÖRBUND' over a plan: a first line in capitals names the
    body whose document it is when it is, letter for letter, the name of a body the text
    names in ordinary case (the name patterns read capitalised words, so none was found there)."""
    for block in view.blocks[:OWNER_BLOCKS]:
        line = view.text[block.start : block.end].split("\n", 1)[0].strip()
        if not line.isupper():
            continue
        key = fold(line)
        found = next((a for a, actor in actors.items() if actor.kind in _OWNER_KINDS and fold(actor.name) == key), None)
        if found is not None:
            return found
    return None


def _owner_parts(line: str) -> list[tuple[int, str]]:
    """(offset, text) of the parts of a first line that may wholly name the document's body:
    the line, and the site's name after a page title. (A breadcrumb trail's first step is the
    site too, but a funder's project bank is no author of the projects it lists.)"""
    site = title_site(line)
    parts = [(0, line), site] if site else [(0, line)]
    masthead = _MASTHEAD_SEPARATOR.search(line)
    if masthead:  # "Föreningen X · Nummer 4 · November 2026": a masthead's first field is its publisher
        parts.append((0, line[: masthead.start()]))
    return parts


#: Between the fields of a masthead, a byline or a title line ("Föreningen X · Nummer 4",
#: "Föreningen X – Årsberättelse 2026").
_MASTHEAD_SEPARATOR = re.compile(r"\s[·|•–—]\s")


#: The first blocks that may name the document's own body.
OWNER_BLOCKS = 2
_OWNER_KINDS = (Kind.municipality, Kind.region, Kind.agency, Kind.police_unit, Kind.ngo, Kind.company)


#: How much of a document's first line a body's name must fill to make the document that body's.
OWNER_SHARE = 0.9


def _within_the_police(fact: Fact, actors: dict) -> bool:
    """'Lokalpolisområde X ingår i Polisområde Y inom Polisregion Z': the police authority's own
    levels (cues.yaml: police_levels) are its organisation, not cooperation with its units."""
    ends = [actors[a] for a in (fact.source, fact.target) if a in actors]
    if len(ends) < 2 or not all(a.kind in (Kind.police_unit, Kind.agency) for a in ends):
        return False
    levels = _police_levels()
    higher = [a for a in ends if a.name.startswith(levels)]
    return bool(higher) and all(a.kind is Kind.police_unit or a.name.startswith(levels) for a in ends)


@lru_cache(maxsize=1)
def _police_levels() -> tuple[str, ...]:
    return tuple(load("cues")["police_levels"])


def _signed_by_municipality(facts: list[Fact], actors: dict) -> list[Fact]:
    """Kommunstyrelsen signs and decides for its municipality (bodies.yaml, signs_for_municipality):
    as a party to an agreement or a joint act, the party is the municipality itself."""
    signing = frozenset(load("bodies")["signs_for_municipality"])
    replaced: dict[str, str] = {}
    for actor in list(actors.values()):
        if actor.kind is Kind.board and actor.municipality and actor.name in signing:
            replaced[actor.id] = _municipality_actor(actors, actor.municipality)
    if not replaced:
        return facts
    out = []
    for f in facts:
        if f.rule.startswith(_SIGNING_RULES) and (f.source in replaced or f.target in replaced):
            f = f._replace(source=replaced.get(f.source, f.source), target=replaced.get(f.target, f.target))
        out.append(f)
    return out


#: Readings in which a body acts as a party (not those in which it merely decides or reports).
_SIGNING_RULES = ("relate:agreement", "list:", "joint:")


def _municipality_actor(actors: dict, name: str) -> str:
    actor_id = slug(name)
    actors.setdefault(actor_id, Actor(id=actor_id, name=name, kind=Kind.municipality))
    return actor_id


def _with_former_bodies(facts: list[Fact], relater: Relater) -> list[Fact]:
    """'... tecknade avtal med dåvarande Polismyndigheten i X län': a tie with a body named as it
    no longer is belongs to the past; told as existing, it has ended."""
    markers = _former_markers()
    lowered = relater.text.lower()
    if not any(marker in lowered for marker in markers):
        return facts  # most documents name no body as it was
    out = []
    for f in facts:
        if f.status is Status.existing:
            text, start = relater.text, f.sentence.start
            for r in relater.mentions_in(f.sentence.start, f.sentence.end):
                # "dåvarande Polismyndigheten i S0dermanlands lan": a name that goes on past the
                # mention ("i" and a capital) was another body than the one read.
                if r.actor in (f.source, f.target) and not _NAME_GOES_ON.match(text, r.mention.end) and \
                        text[max(start, r.mention.start - 16) : r.mention.start].lower().rstrip().endswith(markers):
                    f = f._replace(status=Status.ended)
                    break
        out.append(f)
    return out


_NAME_GOES_ON = re.compile(r" i [A-ZÅÄÖ]")


@lru_cache(maxsize=1)
def _former_markers() -> tuple[str, ...]:
    return tuple(f" {m}" for m in load("cues")["former_markers"]) + tuple(load("cues")["former_markers"])


def _ended_after(facts: list[Fact], sents: list[Sentence]) -> list[Fact]:
    """'... i samarbete med Trafikverket. Det samarbetet avslutades 2022.': the next sentence
    ends the cooperation the one before it told of."""
    ended = {prev.start for prev, nxt in zip(sents, sents[1:]) if timing.ends_the_one_before(nxt.text)}
    if not ended:
        return facts
    return [f._replace(status=Status.ended) if f.status is Status.existing and f.sentence.start in ended else f
            for f in facts]


def _declined_after(facts: list[Fact], sents: list[Sentence], relater: Relater) -> list[Fact]:
    """'A bjöd in B att delta i projektet X. B avböjde.': a sentence in which one body alone
    declines (cues.yaml: declines) rejects the ties the sentence before gave it; one that
    refuses an application (cues.yaml: refusals) rejects the ties the sentence before proposed."""
    declined: dict[int, str] = {}  # the sentence before -> the body that declines
    refused: set[int] = set()  # the sentences before a refusal of what they asked for
    declines, refusals = has("declines", relater.lowered), has("refusals", relater.lowered)
    if not (declines or refusals):
        return facts  # most documents: no decline anywhere
    for prev, nxt in zip(sents, sents[1:]):
        if nxt.block > prev.block + 1:
            continue
        lowered = nxt.text.lower()
        if refusals and has("refusals", lowered):  # "Arbetsutskottet avslog ansökan den 22 april."
            refused.add(prev.start)
        if not (declines and has("declines", lowered)):
            continue
        bodies = {r.actor for r in relater.mentions_in(nxt.start, nxt.end)}
        if len(bodies) == 1:
            declined[prev.start] = bodies.pop()
    if not (declined or refused):
        return facts
    return [f._replace(status=Status.rejected)
            if f.status in (Status.proposed, Status.existing) and declined.get(f.sentence.start) in (f.source, f.target)
            or f.status is Status.proposed and f.sentence.start in refused
            else f for f in facts]


def _joined_members(facts: list[Fact], relater: Relater) -> list[Fact]:
    """'Partnerskapet X bildades av A och B. C anslöt sig till partnerskapet 2025.': a body that
    joins a vehicle (cues.yaml: joining) cooperates through it with the members told before it, as firmly as the
    weaker of the two memberships (an invited body only proposes). Pairs already read are kept."""
    if not has("joining", relater.lowered):
        return []  # most documents: nobody joins anything
    members: dict[str, list[tuple[str, Status, int]]] = {}  # vehicle -> (member, status, sentence start)
    for f in sorted(facts, key=lambda f: f.sentence.start):
        if f.type in (RelationType.PARTICIPATES_IN, RelationType.PARTY_TO):
            members.setdefault(f.target, []).append((f.source, f.status, f.sentence.start))
    told = {(frozenset((f.source, f.target)), f.via) for f in facts if f.type is RelationType.COLLABORATES_WITH}
    out: list[Fact] = []
    for f in facts:
        if f.type not in (RelationType.PARTICIPATES_IN, RelationType.PARTY_TO) \
                or not has("joining", f.sentence.text.lower()):
            continue
        for member, status, start in members.get(f.target, []):
            pair = (frozenset((member, f.source)), f.target)
            if start >= f.sentence.start or member == f.source or pair in told \
                    or relater._is_ancestor(member, f.source) or relater._is_ancestor(f.source, member):
                continue
            told.add(pair)
            out.append(Fact(member, f.source, RelationType.COLLABORATES_WITH, weaker(f.status, status), f.sentence,
                            "relate:joined", via=f.target))
    return out


def _planned_before(facts: list[Fact], sents: list[Sentence], written: Optional[str] = None) -> list[Fact]:
    """'Nästa gemensamma insats är planerad till maj. Den genomförs av A tillsammans med B.':
    a sentence that opens with a pronoun for what the sentence before planned is planned too;
    so is one after a sentence that starts something after the document's date ("Från hösten
    2026 startar piloten X. Den genomförs av A och B.")."""
    told = {f.sentence.start for f in facts if f.status is Status.existing}
    if not told:
        return facts
    planned = {nxt.start for prev, nxt in zip(sents, sents[1:]) if nxt.start in told and prev.block == nxt.block
               and _PRONOUN_START.match(nxt.text) and sentence_status(nxt.text, False) is Status.existing
               and (sentence_status(prev.text, False) is Status.planned
                    or written is not None and has("starting_present", prev.text.lower())
                    and timing.starts_after(prev.text, written))}
    if not planned:
        return facts
    return [f._replace(status=Status.planned) if f.status is Status.existing and f.sentence.start in planned else f
            for f in facts]


#: A sentence that opens by pointing back at what the one before told of.
_PRONOUN_START = re.compile(r"(?:Den|Det|Dessa|De)\s")


def _ended_vehicles(facts: list[Fact]) -> list[Fact]:
    """A tie through an agreement or project that the document says has ended (or is ended by
    this decision) is ended, though other sentences tell its history in the present perfect
    ("Sedan 2016 har A och B samverkat enligt avtalet"); so is a tie through a vehicle that one
    of its ends has left."""
    def vehicle(f: Fact) -> Optional[str]:
        return f.target if f.type.value in ("PARTY_TO", "PARTICIPATES_IN") else f.via

    ended = {(frozenset((f.source, f.target)), vehicle(f)) for f in facts
             if f.status is Status.ended and vehicle(f) is not None}
    if not ended:
        return facts
    # A member that left a vehicle ("X utträder ur nätverket") no longer cooperates through it.
    left = {(f.source, f.target) for f in facts if f.status is Status.ended and f.type.value == "PARTICIPATES_IN"}

    def through_left(f: Fact) -> bool:
        return f.via is not None and ((f.source, f.via) in left or (f.target, f.via) in left)

    return [f._replace(status=Status.ended)
            if f.status is Status.existing and ((frozenset((f.source, f.target)), vehicle(f)) in ended
                                                or through_left(f)) else f
            for f in facts]


def _timed(facts: list[Fact], text: str, sections, relater: Relater,
           periods: dict[str, Period]) -> list[Fact]:
    """Status corrected by the document as a whole (loaders/extraction/timing.py): a proposal's section,
    an agreement that comes into force after the document's date, a tie through a vehicle
    whose period ended before the document's date."""
    written = timing.own_date(text)
    labelled = timing.labelled_date(text)
    later = timing.starts_later(text, written)
    document_agreement = slug(relater.title) if relater.title else None
    out = []
    for fact in facts:
        heading = structure.section_at(sections, fact.sentence.start).heading
        own = document_agreement is not None and document_agreement in (fact.target, fact.via) \
            or fact.rule == "list:parties"
        told = "" if fact.rule == CLAUSE_TENSE_RULE else fact.sentence.text  # a clause's own tense stands
        status = timing.adjust(fact.status, heading, later, own, told, written)
        if status is Status.existing and written:
            status = _at_date(periods.get(_vehicle(fact)), written, labelled)
        out.append(fact._replace(status=status) if status is not fact.status else fact)
    return out


def _at_date(period: Optional[Period], written: str, labelled: Optional[str]) -> Status:
    """An existing tie through a vehicle, on the document's date: ended when the vehicle's
    period ended before it; planned when it begins after the date the document is labelled
    with ("Datum: 2024-06-20"). Only a labelled date counts for that: the date own_date
    falls back on is often one the text cites, and the years of a title ("2016–2019")
    would then make an agreement signed in 2016 planned."""
    if period and period.valid_to and period.valid_to < written:
        return Status.ended
    if period and period.valid_from and labelled and period.valid_from > labelled:
        return Status.planned
    return Status.existing


def _vehicle(fact: Fact) -> Optional[str]:
    """The agreement, project or programme a tie runs through, if any."""
    return fact.target if fact.type.value in ("PARTY_TO", "PARTICIPATES_IN") else fact.via


#: Kinds of actor that run for a period.
_PERIOD_KINDS = (Kind.agreement, Kind.project, Kind.programme)


def _vehicle_periods(sents: list[Sentence], relater: Relater) -> dict[str, Period]:
    """Each agreement's, medborgarlöfte's and project's period (loaders/extraction/periods.py), from the
    sentences that name it alone, or that speak of the one last named by a definite form
    ("Avtalet löper ut 2026"); before any is named, such a sentence speaks of the agreement
    the document is."""
    named: dict[int, list[str]] = defaultdict(list)
    for draft in relater.settled:
        agreement = relater.agreement_id(draft)
        for s in draft.sentences:
            named[s.start].append(agreement)
    starts = [s.start for s in sents]
    for r in relater.resolved:
        if relater.actors[r.actor].kind in _PERIOD_KINDS:
            sentence = sentence_at(sents, starts, r.mention.start)
            if sentence is not None:
                named[sentence.start].append(r.actor)
    own = slug(relater.title) if relater.title else None
    last = own if own in relater.actors else _title_agreement(relater) or _titled_vehicle(relater)
    if last:  # the title's own line, and any sentence that repeats the title, name it
        title = relater.title.lower()
        for s in sents:
            if title in s.text.lower():
                named[s.start].append(last)
    periods: dict[str, Period] = {}
    for s in sents:
        here = list(dict.fromkeys(named.get(s.start, ())))
        # "Projektet finansierades av Europeiska socialfonden och avslutades 2025": a sentence that
        # opens with a definite form speaks of the project it points back at, though it names the
        # programme that funds it ("Projektet bygger på förstudien X, som … 2022–2023" dates X).
        opens = bool(here) and bool(last) and relater.actors[last].kind is not Kind.programme \
            and all(relater.actors[v].kind is Kind.programme for v in here) \
            and _opens_with_reference(s.text) and _refers_to(s.text, relater.actors[last].kind)
        if (len(here) == 1 or (not here or opens) and last and _refers_to(s.text, relater.actors[last].kind)) \
                and has_date(s.text):
            vehicle = last if opens else here[0] if here else last
            found = period_of(s.text)
            if found:
                periods[vehicle] = periods.get(vehicle, Period()).joined(found)
        if here and not opens:
            last = here[-1]
    return periods


def _opens_with_reference(sentence: str) -> bool:
    """Does the sentence open with a definite form of a vehicle ("Projektet", "Avtalet")?"""
    first = sentence.lstrip()[:OPENING_CHARS]
    return refers_back(first) and refers_back(first.split(" ", 1)[0])


#: How much of a sentence its opening word is looked for in.
OPENING_CHARS = 30


def _refers_to(sentence: str, kind: Kind) -> bool:
    """Does the sentence point back by a definite form at a vehicle of this kind: "Avtalet"
    at an agreement, "Projektet" at a project, not "Projektet" at the agreement named last?"""
    if not refers_back(sentence):
        return False
    lowered = sentence.lower()
    if kind is Kind.agreement:
        return not has("project_references", lowered) or has("agreement_references", lowered)
    return not has("agreement_references", lowered) or has("project_references", lowered)


def _titled_vehicle(relater: Relater) -> Optional[str]:
    """The one project or programme a document's title names ("Slutrapport – Stegvis Norrby"):
    its fields ("Projektperiod: …") are that project's."""
    if not relater.title:
        return None
    title = fold(relater.title)
    named = [a.id for a in relater.actors.values() if a.kind in (Kind.project, Kind.programme)
             and len(a.name) > 3 and fold(a.name) in title]
    return named[0] if len(named) == 1 else None


def _title_agreement(relater: Relater) -> Optional[str]:
    """The agreement a document is, when its title names the kind of only one agreement the
    text makes ("Samverkansöverenskommelse om …" over the parties' table): its own fields
    ("Giltighetstid: …") tell that agreement's period."""
    if not relater.title:
        return None
    title = fold(relater.title)
    drafts = [d for d in relater.settled if fold(d.noun) in title]
    return relater.agreement_id(drafts[0]) if len(drafts) == 1 else None


def _dated_name(actor, period: Optional[Period]) -> str:
    """An agreement's name with the years it runs, when the text gives them and the name does
    not ("Medborgarlöfte för centrum mellan A och B 2023–2024"): agreements of the same parties
    follow one another, and their years tell them apart. The id stays as it was. (A name of
    its own, "Medborgarlöftet Trygga Norrby", is kept as written: the caller does not ask.)"""
    if actor.kind is not Kind.agreement or not period or not period.valid_from:
        return actor.name
    first, last = period.valid_from[:4], (period.valid_to or "")[:4]
    if first in actor.name or (last and last in actor.name):
        return actor.name
    return f"{actor.name} {first}–{last}" if last and last != first else f"{actor.name} {first}"


def _attributes(actor, agreement: dict[str, str], period: Optional[Period] = None) -> dict[str, str]:
    """An agreement's dnr and date, a vehicle's period (valid_from, valid_to); the
    municipality of a body every municipality has."""
    out = dict(agreement)
    if period:
        out.update({k: v for k, v in period._asdict().items() if v})
    if actor.municipality:
        out["municipality"] = actor.municipality
    return out


def _infer_author(relater: Relater, sents: list[Sentence], mentions, resolved) -> str | None:
    placed = {r.mention.start for r in resolved}
    unresolved = [m for m in mentions if m.generic in ("administration", "board") and m.start not in placed]
    return infer_author(relater, sents, unresolved) if unresolved else None


def _relations(facts: list[Fact], evidence) -> list:
    grouped: dict[tuple, list[Fact]] = defaultdict(list)
    for fact in facts:
        if fact.source == fact.target:
            continue
        a, b = fact.source, fact.target
        if fact.type.value in ("COLLABORATES_WITH", "CO_LOCATED_WITH") and b < a:
            a, b = b, a
        grouped[(a, b, fact.type, fact.status)].append(fact)
    out = []
    for (a, b, rel_type, status), group in sorted(grouped.items(), key=_group_order):
        ev = _dedupe([evidence(f.sentence.start, f.sentence.end, f.sentence, f.rule) for f in group])
        via = next((f.via for f in group if f.via), None)
        since = min((f.since for f in group if f.since), default=None)
        out.append(make_relation(a, b, rel_type, status, ev, via=via, since=since))
    return out


def _group_order(item: tuple[tuple, list]) -> tuple[str, str, str, str]:
    (a, b, rel_type, status), _ = item
    return a, b, _text(rel_type), _text(status)


_text = lru_cache(maxsize=None)(str)  # str() of an enum member runs Python code: once per member


def _dedupe(items: list[Evidence]) -> list[Evidence]:
    by_key = {evidence_key(e): e for e in items}
    return [by_key[k] for k in sorted(by_key)]

