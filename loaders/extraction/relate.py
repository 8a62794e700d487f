"""Relations from sentences: who cooperates with whom, through what, with what status.

A sentence yields relations only when it speaks of cooperation (cues.yaml). Its parties
are the actors of the clause that holds the cue, less the body that merely reports
("Socialnämnden framhåller ..."); "mellan A och B" names the parties outright. A
multi-party statement about an agreement or project yields a node for it, an edge per
party and collaboration between the parties. Status comes from the sentence's own
words, and a motion's demands become rejected when the document rejects the motion.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from typing import NamedTuple, Optional

from graph.model import Kind, RelationType, Status, fold, slug

from loaders.extraction.clauses import clause_around, denial_words, find_cue, negated, reported_speech, unknown_subject
from loaders.data_files import load
from loaders.extraction.gazetteer import gazetteer
from loaders.language.phrases import alternation, phrase_pattern
from loaders.reading.structure import MONTHS
from loaders.language.spans import Sentence, sentence_at
from loaders.extraction.resolve import PLACE_ALIAS_RULE, Actor, Resolved

PARTY_KINDS = {
    Kind.municipality, Kind.board, Kind.administration, Kind.agency, Kind.police_unit,
    Kind.region, Kind.company, Kind.ngo,
}
VEHICLE_KINDS = {Kind.project, Kind.programme, Kind.group}
# Word boundaries are checked after a leading character class, as in structure.py.
_YEAR = re.compile(r"((?:19[5-9]|20\d)\d)(?<!\w....)\b")
_BETWEEN = re.compile(r"m(?<!\w.)ellan(?!\w)")
#: "och" and a capitalised word after a name: it may go on ("Samordningsförbundet Tjust och Sevede").
_NAME_GOES_ON = re.compile(r" och [A-ZÅÄÖ]")
#: "med" right after an agreement's noun: the partner follows ("avtalet med X").
_PARTNER_AFTER = re.compile(r"\s+med\s")
#: "vi" and "oss" as the body that speaks in its own document.
_WE = re.compile(r"\b(?:vi|oss)\b")
_DNR = re.compile(r"[Dd](?<!\w.)nr\.?:?\s*([A-ZÅÄÖ]{1,5}\s?\d{2,4}[/:.-]\d{1,6})")


class Fact(NamedTuple):
    """One relation read from one sentence, before it becomes a Relation with Evidence."""

    source: str
    target: str
    type: RelationType
    status: Status
    sentence: Sentence
    rule: str
    via: Optional[str] = None
    since: Optional[str] = None


@dataclass
class AgreementDraft:
    parties: set[str]
    noun: str
    qualifier: str = ""
    dnr: Optional[str] = None
    since: Optional[str] = None
    sentences: list[Sentence] = field(default_factory=list)
    topic: str = ""  # what the text says it is about: "om gemensam IT-drift"
    plural: bool = False  # named in the plural ("tre samverkansöverenskommelser"): several agreements
    joined: set[str] = field(default_factory=set)  # parties later sentences name for it (joins settle last)
    about: Optional[str] = None  # the named effort it is about ("samverkansavtal om BID Hertsön")
    name: str = ""  # its own name, given in apposition ("ett partnerskap, IOP Trygg hemma, som")


@lru_cache(maxsize=None)
def _phrases(key: str) -> re.Pattern[str]:
    cues = load("cues")
    if key == "collaboration":  # naming an agreement speaks of cooperation
        return phrase_pattern([*cues[key], *(n for n in cues["agreement_nouns"] if n not in cues[key])])
    return phrase_pattern(cues[key])


@lru_cache(maxsize=1)
def _status_patterns() -> list[tuple[Status, re.Pattern[str]]]:
    return [(Status(status), phrase_pattern(_status_phrases(status))) for status in load("cues")["status"]]


def _status_phrases(status: str) -> list[str]:
    """A status's cue phrases; planned ones also a start in the present before a month ("startar
    i november", "inleds i mars"): the present of a start names a coming one."""
    phrases = list(load("cues")["status"][status])
    if status == "planned":
        phrases += [f"{verb} i {month}" for verb in load("cues")["starting_present"] for month in MONTHS]
    return phrases


@lru_cache(maxsize=1)
def _separated_status() -> dict[Status, re.Pattern[str]]:
    """Status -> a pattern of its particle verbs with up to three words between verb and
    particle (cues.yaml: separated_status): "bjöd nätverket in"."""
    out = {}
    for status, pairs in load("cues")["separated_status"].items():
        either = "|".join(rf"{re.escape(verb)}(?:\s+[\wåäö-]+){{1,3}}?\s+{re.escape(particle)}" for verb, particle in pairs)
        out[Status(status)] = re.compile(rf"\b({either})\b")
    return out


@lru_cache(maxsize=1)
def _topic() -> re.Pattern[str]:
    """What an agreement is about, right after its noun (or the abbreviation in brackets after
    it: "partnerskap (IOP) om stöd"): "avtal om gemensam IT-drift", "medborgarlöfte för
    2023–2024"; up to six words, ending before a partner, a clause, a list or a finite verb
    ("med", "mellan", "som", a comma; "Avtalet med X om Y gäller": cues.yaml topic_end_verbs)."""
    stops = r"med|mellan|som|där|och|samt|enligt|" + alternation(load("cues")["topic_end_verbs"])
    return re.compile(r"(?:\s+\([A-ZÅÄÖ]{2,6}\))?\s+((?:om|för|kring|avseende|gällande)\s+(?:(?!(?:%s)\b|"
                      r"i\s+[A-ZÅÄÖ])[\w–/-]+\s*){1,6})(?=[,.;:()]|\s+(?:%s|i)\b|$)" % (stops, stops))


@lru_cache(maxsize=1)
def _shared_premises() -> re.Pattern[str]:
    """'delar Norrby kommun lokaler med', 'delade i tre år lokal med': sharing premises with the
    subject or an adverb between verb and object, as the inverted word order puts them
    (cues.yaml: shared_premises)."""
    data = load("cues")["shared_premises"]
    return re.compile(r"\b(?:%s)(?:\s+[\wåäö-]+){1,4}?\s+(?:%s)\b" % ("|".join(data["verbs"]), "|".join(data["objects"])))


@lru_cache(maxsize=1)
def _member_of() -> tuple[str, ...]:
    """The words right before a förbund that make it what its members join, each with its space."""
    return tuple(f"{phrase} " for phrase in load("cues")["member_of"])


@lru_cache(maxsize=1)
def _any_status() -> re.Pattern[str]:
    """Every status cue in one pattern: a sentence it does not match has none of them."""
    return phrase_pattern([phrase for status in load("cues")["status"] for phrase in _status_phrases(status)])


@lru_cache(maxsize=None)
def _words(key: str) -> frozenset[str]:
    return frozenset(load("cues")[key])


def has(key: str, lowered: str) -> bool:
    """Does the (already lower-cased) text hold one of the cue phrases listed under key?

    A phrase found as whole words is found as a substring first; str's substring search
    settles most texts ten times faster than the regex engine, which a whole document
    (document_rejects_motion) made plain.
    """
    return any(phrase in lowered for phrase in _words(key)) and bool(_phrases(key).search(lowered))


#: Statuses from the weakest tie to the strongest: two members of one vehicle are as tied as
#: the weaker of their memberships (an invited member is only proposed).
_STRENGTH = (Status.rejected, Status.proposed, Status.planned, Status.ended, Status.existing)


def weaker(a: Status, b: Status) -> Status:
    """The weaker of two statuses; `a` when either is not ranked (unknown)."""
    if a not in _STRENGTH or b not in _STRENGTH:
        return a
    return min(a, b, key=_STRENGTH.index)


def sentence_status(text: str, motion_rejected: bool, uncued: Status = Status.existing) -> Status:
    """The strongest status cue in the sentence; without one, `uncued`: plain statements of
    fact are existing."""
    lowered = text.lower()
    separated = _separated_status()
    if not _any_status().search(lowered) and not any(p.search(lowered) for p in separated.values()):
        return uncued  # most sentences: a search or two instead of one per status
    for status, pattern in _status_patterns():
        found = pattern.search(lowered) or (separated[status].search(lowered) if status in separated else None)
        if found:
            if status is Status.proposed and _decided(lowered, found, pattern):
                return Status.planned  # "har beslutat att ansluta sig": decided, not yet begun
            if status is Status.proposed and found.group(0).startswith("ansök") and _for_money(lowered, found.end()):
                return Status.planned  # "ansökte om ett projektbidrag för att …": money sought, as "ansökt om medel"
            if status is Status.proposed and motion_rejected and has("motion_reporting", lowered):
                return Status.rejected
            if status is Status.planned and has("continuing", lowered):
                return Status.existing  # "kommer även i fortsättningen att delta": it goes on
            if status is Status.planned and _purpose_after_fact(lowered, found, pattern):
                return Status.existing
            return status
    return uncued


@lru_cache(maxsize=1)
def _leading_boards() -> dict[str, str]:
    """The boards that lead a municipality or a region, by the kind they lead (bodies.yaml)."""
    return dict(load("bodies")["leading_boards"])


#: How far before a body its "anmäls till" may stand.
RECIPIENT_REACH = 40


@lru_cache(maxsize=1)
def _recipient() -> re.Pattern[str]:
    """A verb of sending or reporting and "till", right before a body."""
    return re.compile(r"(?<!\w)(?:" + alternation(_words("recipient_verbs")) + r")\s+till\s+$")


def _without_place_clause(lowered: str, inside: list[Resolved], offset: int) -> str:
    """The sentence up to a clause on a place or a situation (", där deltagarna kommer att ...")
    that opens after every body it names: that clause's tense is not the tie's."""
    last = max((r.mention.end - offset for r in inside), default=0)
    at = lowered.find(", där ", last)
    return lowered[:at] if at >= 0 else lowered


def _purpose_after_fact(lowered: str, cue: re.Match, pattern: re.Pattern[str]) -> bool:
    """Are the sentence's planned cues all purpose clauses ("för att gemensamt ..."), after a
    cue of a tie that exists ("bildades 2022 av A och B för att gemensamt ...")?"""
    purposes = _words("purpose")
    if any(m.group(1) not in purposes for m in pattern.finditer(lowered)):
        return False
    existing = dict(_status_patterns())[Status.existing]
    return existing.search(lowered[: cue.start()]) is not None


def _decided(lowered: str, cue: re.Match, pattern: re.Pattern[str]) -> bool:
    """Is the only proposing cue an infinitive ("att ansluta sig") that a decision governs
    ("Regionen har beslutat att ansluta sig")?"""
    if not cue.group(0).startswith("att ") or pattern.search(lowered, cue.end()):
        return False
    before = lowered[max(0, cue.start() - 40) : cue.start() + 3]
    return any(before.endswith(phrase) for phrase in _words("decided_to"))


#: Words after an application in which the money it asks for is named.
MONEY_REACH = 40


def _for_money(lowered: str, at: int) -> bool:
    """Does a noun of money (cues.yaml: money_nouns) follow within a few words?"""
    return any(w.strip(".,;:") in _words("money_nouns") for w in lowered[at : at + MONEY_REACH].split()[:4])


def document_rejects_motion(text: str) -> bool:
    lowered = text.lower()
    return has("motion_rejected", lowered) and not has("motion_accepted", lowered)


class Relater:
    """Reads relations sentence by sentence, remembering what the document named before."""

    def __init__(self, text: str, actors: dict[str, Actor], resolved: list[Resolved],
                 headings: frozenset[int] = frozenset(), title: Optional[str] = None,
                 owner: Optional[str] = None) -> None:
        self.text = text
        self.lowered = text.lower()  # for the document-wide cue checks of the passes after this reader
        self.owner = owner  # the body whose document it is, by its first line, if that names one
        self.title = title  # the name the document's own heading gives its agreement, if any
        self._titled: Optional[int] = None  # the draft that took it
        self.headings = headings  # indexes of the heading blocks
        self.actors = actors
        self.resolved = sorted(resolved, key=lambda r: r.mention.start)
        self._starts = [r.mention.start for r in self.resolved]
        self.motion_rejected = document_rejects_motion(text)
        # whether the document has a word of funding or of taking no part at all: most have neither,
        # and every party check would otherwise look for them around its body
        self._pays = any(phrase in self.lowered for phrase in load("cues")["funded_by"])  # plain scans: C speed
        self._no_party = any(phrase in self.lowered for phrase in load("cues")["no_party_after"])
        self.named_agreements: set[str] = set()  # agreements made under the name the text gives them
        self._funders: dict[int, bool] = {}  # mention start -> whether it pays (funds, asked per mention often)
        self.facts: list[Fact] = []
        self.agreements: list[AgreementDraft] = []
        self._agreement_facts: list[tuple[AgreementDraft, Status, Sentence, set[str]]] = []
        self._agreement_joins: list[tuple[AgreementDraft, list[str], Status, Sentence]] = []
        self._last_project: Optional[str] = None
        self._named_vehicles: list[tuple[str, str]] = []  # (actor, its mention and the word before, lower-cased)
        self._last_subject: Optional[tuple[int, str]] = None  # (block, actor id)
        self.agreement_attributes: dict[str, dict[str, str]] = {}
        self.settled: list[AgreementDraft] = []

    def run(self, sentences: list[Sentence]) -> list[Fact]:
        for sentence in sentences:
            inside = self._mentions(sentence.start, sentence.end)
            if inside:  # most sentences name no actor: nothing to relate
                self._sentence(sentence, inside)
        self._title_parties(sentences)
        self._settle_agreements()
        return self.facts

    def _title_parties(self, sentences: list[Sentence]) -> None:
        """An agreement's title, then a line that lists its parties and nothing else:
        "Medborgarlöfte för centrum 2024" / "Lunnaby kommun, Lokalpolisområde Lunnaby och X".
        No sentence of such a document need name the parties again, so the line makes the
        agreement. Only when no agreement the text names already takes the title."""
        if not self.title or any(fold(d.noun) in fold(self.title) for d in self.agreements):
            return
        head = _phrases("agreement_nouns").search(self.title.lower())
        if head is None:
            return
        for s in sentences:
            if s.block >= TITLE_PARTY_BLOCKS:
                break
            # A byline goes on after its parties with facts of its own, each after a dot or a
            # bar ("A och B · Undertecknat i X den 3 mars 2025 · Dnr 2025/12"): the first part counts.
            separator = _BYLINE_SEPARATOR.search(s.text)
            end = s.start + (separator.start() if separator else len(s.text))
            inside = [r for r in self._mentions(s.start, s.end) if r.mention.end <= end]
            parties = _unique(r.actor for r in inside if self.actors[r.actor].kind in PARTY_KINDS)
            if len(parties) >= 2 and _only_names(s.text[: end - s.start], [(r.mention.start - s.start, r.mention.end - s.start)
                                                                          for r in inside]):
                draft = AgreementDraft(set(parties), load("cues")["agreement_nouns"][head.group(1)], sentences=[s])
                self.agreements.append(draft)
                self._agreement_facts.append((draft, Status.existing, s, set(parties)))
                return

    # -- one sentence ----------------------------------------------------------

    def _described_together(self, s: Sentence, inside: list[Resolved], a: str, b: str) -> Optional[Status]:
        """'A och B, som sedan 2023 delar på en jurist, har erbjudit C att ansluta sig': a relative
        clause on two bodies named together tells their own tie, with its own tense; the status
        of its cue (None when it has none, or the two are not described so)."""
        if ", som " not in s.text:
            return None  # nearly every sentence: no such clause
        for i in range(len(inside)):
            chain = coordinated(inside[i:], s.text, s.start)
            if len(chain) < 2 or not {a, b} <= {r.actor for r in chain}:
                continue
            if s.text[: chain[0].mention.start - s.start].lower().rstrip().endswith(_OBJECT_OF):
                return None  # "Samarbetet mellan A och B, som startade 2015, ...": the clause is the cooperation's
            clause = _DESCRIBED.match(s.text, chain[-1].mention.end - s.start)
            if clause is None:
                return None
            found = sentence_status(clause.group(1).lower(), False, Status.unknown)
            return None if found is Status.unknown else found
        return None

    def _referred_vehicle(self, lowered: str) -> Optional[str]:
        """The vehicle a definite noun points back at ("partnerskapet", "nätverkets"): the last
        one named with that word in its name ("Partnerskapet Fjällkraft", "Ambulansnätverket
        Norr"). The nouns and the word each looks for are data (cues.yaml: vehicle_references)."""
        found = _phrases("vehicle_references").search(lowered)
        if found is None:
            return None
        word = load("cues")["vehicle_references"][found.group(1)]
        return next((actor for actor, text in reversed(self._named_vehicles) if word in text), None)

    def mentions_in(self, start: int, end: int) -> list[Resolved]:
        """The resolved mentions that lie wholly between two characters, in text order."""
        return self._mentions(start, end)

    def agreement_id(self, draft: AgreementDraft) -> str:
        """The actor id of a settled agreement."""
        return self._agreement_actor(draft)

    def _mentions(self, start: int, end: int) -> list[Resolved]:
        first, last = bisect_left(self._starts, start), bisect_left(self._starts, end)
        if first == last:
            return []
        return [r for r in self.resolved[first:last] if r.mention.end <= end]

    def _sentence(self, s: Sentence, inside: list[Resolved]) -> None:
        """Relations read from one sentence; inside are the actors it names."""
        if self._run_by_relative(s, inside):
            return
        lowered, cue, collaboration, asides = find_cue(s.text.lower(), _phrases("collaboration"),
                                                       _phrases("participation"))
        shared = _shared_premises().search(lowered) if collaboration is None and " del" in lowered else None
        if shared is not None:  # "Där delar Norrby kommun lokaler med X": verb and object apart
            cue = collaboration = shared
        if asides:  # the actors of an aside take no part in the cooperation of the main clause
            inside = [r for r in inside if not any(a <= r.mention.start - s.start < b for a, b in asides)]
        lo, hi = clause_around(lowered, cue.start()) if cue else (0, len(lowered))
        vehicles = _unique(r.actor for r in inside if self.actors[r.actor].kind in VEHICLE_KINDS
                           and lo <= r.mention.start - s.start < hi)
        joins = bool(vehicles) and bool(_phrases("participation").search(lowered[lo:hi]))
        if vehicles and not joins:  # "A och B har sedan 2023 ett lokalt jobbspår …, Lagerspåret, som"
            joins = self._hold_together(s, inside, lowered, vehicles)
        if vehicles and not joins and collaboration:  # "samverkar A, B och C i Kontrollteam Norr"
            joins = any(r.actor in vehicles and lowered.endswith(_WITHIN, 0, r.mention.start - s.start)
                        and r.mention.start - s.start > collaboration.start() for r in inside)
        if not joins and len(vehicles) <= 1 and cue is not None:
            defined = self._defined_vehicle(s, inside, lowered, cue.start())
            if defined:  # "Nätverket X bildades 2022 och är ett samarbete mellan A och B"
                vehicles, joins = [defined], True
        if not vehicles and self._last_project and has("project_references", lowered):
            vehicles, joins = [self._last_project], True
        federation = self._federation_joined(s, inside, lowered) if not vehicles else None
        if federation is not None:  # "A är tillsammans med B medlem i Norrbys miljöförbund"
            vehicles, joins = [federation], True
            inside = [r for r in inside if r.actor != federation]
        if not vehicles:  # "X anslöt sig till partnerskapet": the partnership last named by that word
            referred = self._referred_vehicle(lowered)
            joining = _phrases("participation").search(lowered) if referred is not None else None
            if joining is not None and not negated(lowered, joining):
                vehicles, joins = [referred], True
        for r in inside:
            if self.actors[r.actor].kind is Kind.project:
                self._last_project = r.actor
            if self.actors[r.actor].kind in VEHICLE_KINDS:  # "partnerskapet Fjällkraft": the word before counts
                before = self.text[max(0, r.mention.start - 30) : r.mention.start].split()
                self._named_vehicles.append((r.actor, " ".join(before[-1:] + [r.mention.text]).lower()))
        if not (collaboration or joins) or (cue is not None and negated(lowered, cue)):
            return
        if has("investigation", lowered):
            return  # "i uppdrag att utreda ... med X": an investigation, no tie
        agreement_noun = _phrases("agreement_nouns").search(lowered)
        if agreement_noun and self.title and self._of_another_agreement(s.text):
            return  # "Tjänsteköpsavtalet mellan A och B upphör när detta avtal träder i kraft"
        parties, subject, between = self._parties(s, inside, lowered, (lo, hi) if cue else clause_around(lowered, 0))
        if agreement_noun and len(parties) < 2:  # "det samverkansavtal om X som A och B har haft sedan 2021"
            relative = self._relative_parties(s, inside, agreement_noun.end())
            if len(relative) >= 2:
                parties, subject = relative, None
        said = reported_speech().search(lowered, 0, cue.start()) if cue else None
        if said is not None:  # "X har föreslagit att A och B tecknar ...": X says it, A and B do it
            told = _unique(r.actor for r in inside if r.actor in parties and r.mention.start - s.start >= said.end())
            if len(told) >= 2 or told and joins:  # "KS beslutar att X utträder ur nätverket": X alone
                parties, subject = told, None
        if joins and not parties:
            # "Staden ser ett värde i att delta i ...": the body that speaks is the one that joins.
            parties = _unique(r.actor for r in inside if self.acts(r))
        if len(parties) == 1 and self.owner and self.owner not in parties and _WE.search(lowered[lo:hi] if cue else lowered):
            # "Med Lokalpolisområde X samarbetar vi sedan länge": "vi" is the body whose document it is
            parties, subject = [self.owner, parties[0]], self.owner
        if has("normative", lowered) and not between:
            return
        # A heading without a cue ("Samverkan mellan Stockholms stad och Tullverket" over a
        # proposal) names a topic, not a fact.
        status = sentence_status(_without_place_clause(lowered, inside, s.start), self.motion_rejected,
                                 Status.unknown if s.block in self.headings else Status.existing)
        since = _first_year(s.text)
        qualifier = self._qualifier(lowered, agreement_noun.start()) if agreement_noun else ""
        referred = self._referred_agreement(lowered, agreement_noun, parties, qualifier) if agreement_noun else None
        if referred is not None and len(parties) == 1 and any(
                negated(lowered, m) for m in _phrases("participation").finditer(lowered)):
            return  # "X har informerats om avsiktsförklaringen men deltar inte": X takes no part
        if referred is not None:
            self._agreement_joins.append((referred, parties, status, s))
            referred.joined.update(parties)
            return
        named = _APPOSITIVE.match(s.text, agreement_noun.end()) if agreement_noun else None
        if named:  # "ett partnerskap, IOP Trygg hemma, som": no party is named inside its name
            parties = [p for p in parties if not any(r.actor == p and named.start(1) <= r.mention.start - s.start
                                                         < named.end(1) for r in inside)]
        titled = _topic().match(s.text, agreement_noun.end()) if agreement_noun and agreement_noun.start() > 0 \
            and s.text[agreement_noun.start()].isupper() else None
        if titled:  # "tecknade Medborgarlöfte för Norrsund 2024–2025": a title's words name no party
            parties = [p for p in parties if any(r.actor == p and not titled.start(1) <= r.mention.start - s.start
                                                 < titled.end(1) for r in inside)]
        if agreement_noun and len(parties) >= 2 and not _of_a_kind(lowered, agreement_noun.start()) \
                and agreement_noun.group(1) not in _words("agreement_reference_only"):
            noun = load("cues")["agreement_nouns"][agreement_noun.group(1)]
            dnr = _DNR.search(s.text)
            topic = _topic().match(s.text, agreement_noun.end()) or self._topic_after_partner(s, inside, agreement_noun.end())
            draft = AgreementDraft(set(parties), noun, qualifier, dnr.group(1) if dnr else None, since, [s],
                                   topic.group(1).strip() if topic else "",
                                   plural=agreement_noun.group(1) in _words("agreement_plurals"),
                                   about=self._about(s, inside, agreement_noun.end()),
                                   name=_appositive_name(s.text, agreement_noun.end())
                                   or self._named_at(s, inside, agreement_noun.start(1)))
            self.agreements.append(draft)
            self._agreement_facts.append((draft, status, s, set(parties)))
            return
        for vehicle in vehicles if joins else []:
            for party in parties:
                self.facts.append(Fact(party, vehicle, RelationType.PARTICIPATES_IN, status, s,
                                       "relate:participation", since=since))
        rel_type = RelationType.CO_LOCATED_WITH if has("colocation", lowered) or shared is not None \
            else RelationType.COLLABORATES_WITH
        via = vehicles[0] if len(vehicles) == 1 else None
        if subject and not vehicles:
            pairs = [(subject, p) for p in parties if p != subject]
        else:
            pairs = list(combinations(parties, 2))
        for a, b in pairs:
            own = (self._described_together(s, inside, a, b) if status not in (Status.ended, Status.rejected)
                   else None) or status
            self.facts.append(Fact(a, b, rel_type, own, s, "relate:" + rel_type.value.lower(), via=via, since=since))
        if parties:
            self._last_subject = (s.block, subject or parties[0])

    def _parties(self, s: Sentence, inside: list[Resolved], lowered: str,
                 clause: tuple[int, int]) -> tuple[list[str], Optional[str], bool]:
        """(parties in order, the subject when partners follow 'med', whether 'mellan' named them).

        lowered is the sentence in lower case; clause the span of the clause with the cooperation cue.
        """
        acting = [r for r in inside if self.acts(r)]
        candidates = [r for r in acting if not self._reports(r) and not self._decides(r)]
        between = _BETWEEN.search(lowered)
        if between:
            named = _listed_after(s, candidates, between.end())
            if len(named) >= 2:
                return named, None, True
        lo, hi = clause
        marker = _phrases("partner_markers").search(lowered)
        if marker and lo <= marker.start() < hi:
            # "X ser vinster med samverkan och har tillsammans med Y ingått ...": X reports and acts.
            before = _unique(r.actor for r in acting if lo <= r.mention.start - s.start < marker.start())
            after = _unique(r.actor for r in candidates if marker.end() <= r.mention.start - s.start < hi)
            subject = before[0] if before else None
            if subject is None and self._last_subject and self._last_subject[0] == s.block and after \
                    and not unknown_subject(lowered[lo : marker.start()]):
                subject = self._last_subject[1]
            if subject is None and self.owner and after and self.owner not in after and s.block not in self.headings \
                    and not any(r.actor not in after for r in acting) \
                    and not unknown_subject(_outside_prepositions(lowered[lo : marker.start()])):
                # "Samarbetet med Bergs kommun upphörde" in Östersunds kommun's own report: its own
                subject = self.owner
            if subject and after:
                return _unique([subject, *before[1:], *after]), subject if not before[1:] else None, False
        in_clause = [r for r in candidates if lo <= r.mention.start - s.start < hi]
        return _unique(r.actor for r in in_clause), None, False

    @staticmethod
    def _of_another_agreement(text: str) -> bool:
        """Does a sentence of an agreement open with another agreement, by a compound of its own
        ("Tjänsteköpsavtalet mellan A och B upphör ...", "Hyresavtalet för lokalerna ...")? What it
        says (that one ends, say) is not said of the document's agreement it mentions."""
        first = _FIRST_WORD.match(text)
        if first is None:
            return False
        word = first.group(0).lower()
        nouns = load("cues")["agreement_nouns"]
        return word not in nouns and any(word.endswith(n) and len(word) > len(n) + 2 for n in nouns)

    def _hold_together(self, s: Sentence, inside: list[Resolved], lowered: str, vehicles: list[str]) -> bool:
        """Do bodies named together hold the effort the sentence names: "A och B har (sedan 2023)
        ett lokalt jobbspår …, Lagerspåret"? A coordinated subject, a verb of having
        (cues.yaml: joint_possession) and an indefinite article, and the effort named after it."""
        held = _HOLDS.search(lowered)
        if held is None or held.group(1) not in _words("joint_possession"):
            return False
        before = [r for r in inside if r.mention.end - s.start <= held.start() and self.acts(r)]
        if len(before) < 2 or not all(_COORDINATED.fullmatch(s.text[a.mention.end - s.start : b.mention.start - s.start])
                                      for a, b in zip(before, before[1:])):
            return False
        return any(r.actor in vehicles and r.mention.start - s.start > held.end() for r in inside)

    def _relative_parties(self, s: Sentence, inside: list[Resolved], noun_end: int) -> list[str]:
        """The bodies of a relative clause that holds an agreement: "(det samverkansavtal om
        forskning) som Region X och Högskolan i Y har haft sedan 2021", "(avtalet) som A
        tecknade med B". The clause opens within a few words of the noun (its topic) and
        names its bodies, coordinated, right before a verb of having or making an agreement
        (cues.yaml: agreement_relative_verbs)."""
        opened = _RELATIVE.match(s.text, noun_end)
        if opened is None:
            return []
        after = [r for r in inside if r.mention.start - s.start >= opened.end()]
        if not after or after[0].mention.start - s.start != opened.end():
            return []
        chain = coordinated(after, s.text, s.start)
        tail = chain[-1].mention.end  # where the verb follows, in the document's text
        while tail < s.end and self.text[tail] == " ":
            tail += 1
        rest = self.text[tail : s.end].lower()
        verb = _phrases("agreement_relative_verbs").match(rest)
        if verb is None:
            return []
        parties = _unique(r.actor for r in chain if self.acts(r))
        partner = _WITH_PARTY.match(rest, verb.end())
        if partner:  # "som A tecknade med B"
            parties += [r.actor for r in inside if r.mention.start == tail + partner.end() and self.acts(r)
                        and r.actor not in parties]
        return parties

    def acts(self, r: Resolved) -> bool:
        """Can this mention be a party: a body, not a generic genitive, not a place of the body
        before it, not a body that the next words name more exactly, not one that receives a
        matter, not the office of a signer who acts for another body, not one the text says is
        no party, and not one that pays?"""
        return self.actors[r.actor].kind in PARTY_KINDS and not _possessive(r) and r.mention.rule != PLACE_ALIAS_RULE \
            and not self._places_previous(r) and not self._named_exactly_after(r) and not self._receives(r) \
            and not self._office_of_signer(r) and not (self._no_party and self._said_to_be_no_party(r)) \
            and not (self._pays and self.funds(r))

    def funds(self, r: Resolved) -> bool:
        """'finansieras av Europeiska socialfonden genom Svenska ESF-rådet', 'drivs av A med stöd
        från Allmänna arvsfonden': a body that pays takes no part (cues.yaml: funded_by); one
        listed after it, or after "genom", pays too."""
        known = self._funders.get(r.mention.start)
        if known is not None:
            return known
        before = self.text[max(0, r.mention.start - FUNDER_REACH) : r.mention.start]
        boundary = max(before.rfind(mark) for mark in _SENTENCE_MARKS)  # the body's own sentence only
        if boundary >= 0:
            before = " " * (boundary + 1) + before[boundary + 1 :]
        self._funders[r.mention.start] = found = self._paid_by_cue(r, before)
        return found

    def _paid_by_cue(self, r: Resolved, before: str) -> bool:
        cue = None
        for cue in _funded_by().finditer(before.lower()):
            pass  # the last cue before the body
        if cue is None:
            return False
        start = r.mention.start - len(before) + cue.end()
        gap, at = [], start
        for other in self.mentions_in(start, r.mention.start):  # other payers named between
            gap.append(self.text[at : other.mention.start])
            at = max(at, other.mention.end)
        gap.append(self.text[at : r.mention.start])
        return all(w in _FUNDER_GLUE or w[:1].isupper() or not w.isalpha()
                   for w in _GAP_WORDS.findall(" ".join(gap)))

    def _federation_joined(self, s: Sentence, inside: list[Resolved], lowered: str) -> Optional[str]:
        """'medlem i Norrbys miljöförbund', 'ingår i Fyrbodals kommunalförbund': a förbund is a body
        of its own and its members' vehicle at once; right after a word of membership it is the
        vehicle its members join (cues.yaml: member_of)."""
        if "förbund" not in lowered:
            return None  # nearly every sentence
        for r in inside:
            if self.actors[r.actor].kind in (Kind.agency, Kind.group) and "förbund" in self.actors[r.actor].name.lower() \
                    and lowered[: r.mention.start - s.start].endswith(_member_of()) \
                    and not _NAME_GOES_ON.match(self.text, r.mention.end):
                return r.actor
        return None

    def _said_to_be_no_party(self, r: Resolved) -> bool:
        """'finansieras av Länsstyrelsen X, som inte är part', 'Region Y (inte part)': the text
        says outright that the body takes no part (cues.yaml: no_party_after)."""
        after = self.text[r.mention.end : r.mention.end + NO_PARTY_REACH]
        return after[:1] in (",", " ") and _no_party_after().match(after.lower()) is not None

    def _named_at(self, s: Sentence, inside: list[Resolved], noun_start: int) -> str:
        """The name of an agreement the text names where its noun stands ("ingå IOP Trygg kust
        med X": the noun opens the name), "" when none is named there."""
        return next((self.actors[r.actor].name for r in inside if r.mention.start - s.start == noun_start
                     and self.actors[r.actor].kind is Kind.agreement and r.mention.generic is None), "")

    def _office_of_signer(self, r: Resolved) -> bool:
        """'av kommunstyrelsens ordförande Eva Berg (S) för Norrby kommun': a body in the
        genitive before a person's title says where the person sits; the body named after
        "för" is the one the person acts for, and the party."""
        if not r.mention.text.endswith("s") or not self.text.startswith(" ", r.mention.end):
            return False
        return _office_for().match(self.text, r.mention.end) is not None

    def _receives(self, r: Resolved) -> bool:
        """'... anmäls till Integritetsskyddsmyndigheten', 'redovisas till Länsstyrelsen': the
        body a matter is sent or reported to receives it and takes no part (cues.yaml: recipient_verbs)."""
        before = self.text[max(0, r.mention.start - RECIPIENT_REACH) : r.mention.start]
        if not before.rstrip().endswith("till"):
            return False  # nearly every mention: no "till" right before it
        return _recipient().search(before.lower()) is not None

    def _named_exactly_after(self, r: Resolved) -> bool:
        """'Polisen, Lokalpolisområde Botkyrka', 'Polisen lokalpolisområde Nyköping': the unit right
        after is the party, not all of the police."""
        if not self.text.startswith((",", " "), r.mention.end):
            return False
        i = bisect_left(self._starts, r.mention.end)
        if i >= len(self.resolved):
            return False
        nxt = self.resolved[i]
        gap = self.text[r.mention.end : nxt.mention.start]
        return gap.strip() in (",", "") and self._is_ancestor(r.actor, nxt.actor)

    def _places_previous(self, r: Resolved) -> bool:
        """'Socialförvaltningen i Göteborgs stad': a municipality or region that says whose body the one before is."""
        if self.actors[r.actor].kind not in (Kind.municipality, Kind.region):
            return False
        i = bisect_left(self._starts, r.mention.start) - 1
        while i >= 0 and self.resolved[i].mention.end > r.mention.start:
            i -= 1
        if i < 0 or self.actors[self.resolved[i].actor].kind not in PARTY_KINDS:
            return False
        gap = self.text[self.resolved[i].mention.end : r.mention.start].split()
        return len(gap) == 1 and gap[0].lower() in _words("belonging")

    def _defined_vehicle(self, s: Sentence, inside: list[Resolved], lowered: str, cue_start: int) -> Optional[str]:
        """The named effort a sentence opens with and defines as the cooperation it tells of:
        "Trygga gränser (bildades 2022 och) är ett samarbete mellan A, B och C"."""
        first = inside[0] if inside else None
        if first is None or first.mention.start - s.start > DEFINED_START \
                or self.actors[first.actor].kind not in VEHICLE_KINDS:
            return None
        between = lowered[first.mention.end - s.start : cue_start]
        return first.actor if _COPULA.search(between) and len(between) <= DEFINED_GAP else None

    def _topic_after_partner(self, s: Sentence, inside: list[Resolved], noun_end: int) -> Optional[re.Match]:
        """'ett idéburet offentligt partnerskap (IOP) med Norrby kommun om anhörigstöd': the topic
        after the partner the agreement is with."""
        partner = _WITH_PARTNER.match(s.text, noun_end)
        if partner is None:
            return None
        at = s.start + partner.end()
        named = next((r for r in inside if r.mention.start == at), None)
        return _topic().match(s.text, named.mention.end - s.start) if named is not None else None

    def _about(self, s: Sentence, inside: list[Resolved], noun_end: int) -> Optional[str]:
        """The named effort right after "avtal om" ("ett samverkansavtal om BID Hertsön"): its
        parties take part in it too."""
        topic = _ABOUT.match(s.text, noun_end)
        if topic is None:
            return None
        at = s.start + topic.end()
        return next((r.actor for r in inside if r.mention.start == at
                     and self.actors[r.actor].kind in VEHICLE_KINDS), None)

    def _run_by_relative(self, s: Sentence, inside: list[Resolved]) -> bool:
        """'Startgropen, en arbetsträning för unga vuxna, som Norrby kommun driver tillsammans med
        Arbetsförmedlingen': the bodies of a relative clause that runs a named effort take part in
        it and cooperate through it. True when the sentence was read so."""
        lowered = s.text.lower()
        if " som " not in lowered or not _phrases("relative_run_verbs").search(lowered):
            return False
        # a named agreement too ("Medborgarlöftet Trygga Norrby, som A och B står bakom")
        vehicles = [r for r in inside if self.actors[r.actor].kind in VEHICLE_KINDS
                    or self.actors[r.actor].kind is Kind.agreement and r.mention.generic is None]
        if len({r.actor for r in vehicles}) != 1:
            return False
        vehicle = vehicles[0]
        membership = RelationType.PARTY_TO if self.actors[vehicle.actor].kind is Kind.agreement \
            else RelationType.PARTICIPATES_IN
        end = vehicle.mention.end - s.start
        # "X i Norrby, som A driver", or "X, ett nätverk för ... som sedan 2023 drivs av A": the
        # clause on the vehicle or on the noun in apposition to it
        at = lowered.find(", som ", end)
        if 0 <= at and at - end <= APPOSITION_CHARS:
            opens = at + 6
        else:
            opened = _RELATIVE_ON.match(lowered, end)
            if opened is None:
                return False
            at, opens = opened.start(), opened.end()
        starts = {r.mention.start - s.start for r in inside}
        clause_end = next((m for m in _CLAUSE_END.finditer(lowered, opens)
                           if not (m.group(0).startswith(",") and m.end() in starts)), None)  # "A, B och C"
        clause = lowered[opens : clause_end.start() if clause_end else len(lowered)]
        if not _phrases("relative_run_verbs").search(clause) \
                or denial_words() & set(clause[:RELATIVE_NEGATION_REACH].split()):
            return False
        lo, hi = s.start + opens, s.start + opens + len(clause)
        parties = _unique(r.actor for r in inside if lo <= r.mention.start < hi and self.acts(r)
                          and self.actors[r.actor].kind in PARTY_KINDS)
        if not parties:
            return False
        # The clause's own tense ("som sedan 2023 drivs av A", though the main clause plans to
        # join), unless the main clause ends or rejects the effort itself.
        status = sentence_status(lowered, self.motion_rejected)
        own = sentence_status(clause, self.motion_rejected, Status.unknown)
        rule = "relate:relative"
        if own is not Status.unknown and status not in (Status.ended, Status.rejected):
            # the clause's tense, not the main clause's dates, says when (pipeline._timed)
            status, rule = own, CLAUSE_TENSE_RULE
        since = _first_year(s.text)
        for party in parties:
            self.facts.append(Fact(party, vehicle.actor, membership, status, s, rule, since=since))
        for a, b in combinations(parties, 2):
            self.facts.append(Fact(a, b, RelationType.COLLABORATES_WITH, status, s, rule, via=vehicle.actor,
                                   since=since))
        # "A deltar i nätverket X, som samordnas av B": the main clause is read as well.
        main = lowered[:at]
        return not (_phrases("participation").search(main) or _phrases("collaboration").search(main))

    def _decides(self, r: Resolved) -> bool:
        """Is this actor the agent of a passive decision ('... avslogs av kommunstyrelsen')?"""
        start = r.mention.start
        if not self.text.endswith(("av ", "av\n"), 0, start):  # nearly always: no need to look further
            return False
        return self.text[max(0, start - 30) : start].lower().rstrip().endswith(_decision_phrases())

    def _reports(self, r: Resolved) -> bool:
        """Is this actor the subject of a reporting verb ('Socialnämnden framhåller ...')?"""
        following = self.text[r.mention.end : r.mention.end + 40].split(None, 1)
        return bool(following) and following[0].lower() in _words("reporting")

    def _referred_agreement(self, lowered: str, noun: re.Match, parties: list[str],
                            qualifier: str) -> Optional[AgreementDraft]:
        """The agreement named before that 'överenskommelsen' points back at, if it does.

        One party joins the last agreement; several join the last one that already has one of
        them, else they make a new agreement. A different qualifier ("den lokala" after a
        "stadsövergripande") is another agreement; "inom ramen för överenskommelsen" joins none.
        """
        if not parties or noun.group(1) not in _words("agreement_references"):
            return None
        if lowered[: noun.start()].rstrip().endswith(tuple(_words("agreement_framing"))):
            return None
        # "överenskommelsen" is one agreement: not the several of "tre samverkansöverenskommelser".
        fitting = [d for d in reversed(self.agreements)
                   if not d.plural and not (qualifier and d.qualifier and qualifier != d.qualifier)]
        if self.title and _DISTAL.search(lowered[: noun.start()]):
            # "…; det avtalet sades upp": in an agreement, "det avtalet" is one told of before, not this one
            fitting = [d for d in fitting if fold(d.noun) not in fold(self.title)]
        if _PARTNER_AFTER.match(lowered, noun.end()):
            # "Avtalet med X om Y upphörde": an agreement told by its partner is one with that partner
            fitting = [d for d in fitting if set(parties) <= d.parties | d.joined]
        if len(parties) == 1:
            return fitting[0] if fitting else None
        sharing = next((d for d in fitting if (d.parties | d.joined) & set(parties)), None)
        if sharing is None and noun.group(1) in _words("agreement_reference_only"):
            return fitting[0] if fitting else None  # "löftet" names no agreement of its own
        if sharing is None and self.title:
            # Of a document that is an agreement, "överenskommelsen" is that agreement.
            return next((d for d in reversed(fitting) if fold(d.noun) in fold(self.title)), None)
        return sharing

    @staticmethod
    def _qualifier(lowered: str, noun_start: int) -> str:
        words = lowered[:noun_start].split()
        return words[-1] if words and words[-1] in _words("agreement_qualifiers") else ""

    # -- agreements ------------------------------------------------------------

    def _settle_agreements(self) -> None:
        """Each agreement once: a party set that names a parent body of another's is the same agreement."""
        canonical: list[AgreementDraft] = []
        def specificity(d: AgreementDraft) -> tuple[int, int]:
            # Most parties first, then the most specific ones (förvaltningar before their nämnder).
            return (-len(d.parties), sum(1 for p in d.parties if self.actors[p].kind is Kind.board))

        for draft in sorted(self.agreements, key=specificity):
            home = next((c for c in canonical if self._subsumes(c.parties, draft.parties)
                         and _one_kind(c.noun, draft.noun)), None)
            if home is None:
                canonical.append(draft)
            else:
                home.sentences += draft.sentences
                home.dnr = home.dnr or draft.dnr
                home.since = min(filter(None, [home.since, draft.since]), default=None)
                home.qualifier = home.qualifier or draft.qualifier
                home.noun = max(home.noun, draft.noun, key=len)
                home.topic = home.topic or draft.topic
        self.settled = canonical
        for draft, status, sentence, parties in self._agreement_facts:
            home = self._home(canonical, draft, parties)
            agreement = self._agreement_actor(home)
            for party in sorted(home.parties):
                self.facts.append(Fact(party, agreement, RelationType.PARTY_TO, status, sentence,
                                       "relate:agreement", since=home.since))
            for a, b in combinations(sorted(home.parties), 2):
                self.facts.append(Fact(a, b, RelationType.COLLABORATES_WITH, status, sentence,
                                       "relate:agreement", via=agreement, since=home.since))
            if draft.about:
                for party in sorted(parties):
                    self.facts.append(Fact(party, draft.about, RelationType.PARTICIPATES_IN, status, sentence,
                                           "relate:agreement", since=home.since))
        for draft, parties, status, sentence in self._agreement_joins:
            self._join(self._home(canonical, draft, draft.parties), parties, status, sentence)

    def _home(self, canonical: list[AgreementDraft], draft: AgreementDraft, parties: set[str]) -> AgreementDraft:
        return next(c for c in canonical if c is draft or self._subsumes(c.parties, parties)
                    and _one_kind(c.noun, draft.noun))

    def _join(self, home: AgreementDraft, parties: list[str], status: Status, sentence: Sentence) -> None:
        """The parties a later sentence names for an agreement, with that sentence's status and words.

        A body above a party, or a nämnd for its förvaltning, names that party ("överenskommelsen
        mellan staden och Polisen" is Polisregion Stockholm's). A party the agreement did not have
        cooperates through it with every party it had, but not with a body it belongs to
        (Socialnämnden with its own city).
        """
        agreement = self._agreement_actor(home)
        named = _unique(next((p for p in sorted(home.parties) if self._stands_for(party, p)), party)
                        for party in parties)
        rule, since = "relate:agreement-reference", _first_year(sentence.text)
        for party in named:
            self.facts.append(Fact(party, agreement, RelationType.PARTY_TO, status, sentence, rule, since=since))
        pairs = set(combinations(sorted(named), 2))
        for party in named:
            if party not in home.parties:
                pairs |= {tuple(sorted((party, other))) for other in home.parties}
        for a, b in sorted(pairs):
            if a != b and not (self._is_ancestor(a, b) or self._is_ancestor(b, a)):
                self.facts.append(Fact(a, b, RelationType.COLLABORATES_WITH, status, sentence, rule,
                                       via=agreement, since=since))

    def _subsumes(self, big: set[str], small: set[str]) -> bool:
        """'överenskommelsen mellan staden och Polisen' is the one staden signed with Polisregion Stockholm.

        At least one party must be shared as named, and at most one may be named by a body above it.
        """
        shared = small & big
        rest = small - big
        if not shared:
            return False
        return len(rest) <= 1 and all(any(self._stands_for(p, q) for q in big - shared) for p in rest)

    def _stands_for(self, general: str, specific: str) -> bool:
        """A body above another, or a nämnd for its own förvaltning, can name the same party."""
        if self._is_ancestor(general, specific):
            return True
        g, s = self.actors.get(general), self.actors.get(specific)
        if g is None or s is None or g.kind is not Kind.board or s.kind is not Kind.administration:
            return False
        from loaders.extraction.resolve import administration_of

        return administration_of(g.name) == s.name

    def own_unit(self, body: str, unit: str) -> bool:
        """Is `unit` an administration or board of `body`'s own: under it, or named as its
        ("Socialförvaltningen i Vetlanda kommun", "Regionstyrelsen i Region Gotland")? A joint
        board that a municipality hosts is not: it is its partners' too."""
        kind = self.actors[unit].kind
        if kind not in (Kind.administration, Kind.board) or self.actors[body].kind not in PARTY_KINDS:
            return False
        leads = _leading_boards().get(self.actors[unit].name)  # "Regionstyrelsen" for its region
        if leads is not None and self.actors[body].kind.value == leads:
            owner = self.actors[unit].municipality  # a municipality's is known by it; a region has one
            return leads != Kind.municipality.value or owner is None or owner == self.actors[body].name
        named_as = fold(self.actors[body].name) in fold(self.actors[unit].name)
        return named_as or kind is Kind.administration and self._is_ancestor(body, unit)

    def _is_ancestor(self, ancestor: str, child: str) -> bool:
        seen = set()
        current = self.actors.get(child)
        while current and current.parent and current.parent not in seen:
            if current.parent == ancestor:
                return True
            seen.add(current.parent)
            current = self.actors.get(current.parent) or _gazetteer_actor(current.parent)
        return False

    def _agreement_actor(self, draft: AgreementDraft) -> str:
        names = sorted(self.actors[p].name for p in draft.parties)
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]
        noun = draft.noun if not draft.qualifier else f"{draft.qualifier.capitalize()} {draft.noun.lower()}"
        # Named by its topic when the text tells it ("Avtal om gemensam IT-drift"); its id keeps its
        # parties, so that two municipalities' agreements on the same topic stay two.
        topical = len(draft.topic.split()) >= 3  # "om gemensam IT-drift"; "om trygghet" says too little
        actor_id = slug(f"{noun} {listed} {draft.topic}" if draft.topic and topical else f"{noun} {listed}")
        # A short topic ("för 2023–2024", "om trygghet") names it together with its parties.
        name = (f"{noun} {draft.topic}" if topical else f"{noun} {draft.topic} mellan {listed}") if draft.topic \
            else f"{noun} {listed}"
        if draft.name:  # the name the text gives it; the agreement of that name when the text named it so
            named = slug(draft.name)
            known = named in self.actors and self.actors[named].kind is Kind.agreement
            name, actor_id = draft.name, named if known else slug(f"{draft.name} {listed}")
            self.named_agreements.add(actor_id)
        elif self.title and fold(draft.noun) in fold(self.title) and self._titled in (None, id(draft)):
            # The agreement the document is: its heading names it better than its parties do.
            self._titled = id(draft)
            name = self.title
            actor_id = slug(name)
        if actor_id not in self.actors:
            self.actors[actor_id] = Actor(id=actor_id, name=name, kind=Kind.agreement)
        actor = self.actors[actor_id]
        if draft.dnr:
            actor.aliases.add(f"dnr {draft.dnr}")
        self.agreement_attributes[actor_id] = {k: v for k, v in (("dnr", draft.dnr), ("date", draft.since)) if v}
        return actor_id


#: Characters before a body in which a word of funding makes it the one who pays.
FUNDER_REACH = 90
#: What ends a sentence inside that reach: a payer of the sentence before pays for its own.
_SENTENCE_MARKS = (".", "!", "?", "\n")
#: Words that may stand between a word of funding and the body that pays.
_FUNDER_GLUE = frozenset({"och", "samt", "genom", "av", "från", "via"})
_GAP_WORDS = re.compile(r"[\w+-]+|[^\w\s]")


@lru_cache(maxsize=1)
def _funded_by() -> re.Pattern[str]:
    return re.compile(r"\b(?:%s)\b" % alternation(load("cues")["funded_by"]))


#: Characters after a body that may say it is no party.
NO_PARTY_REACH = 40


@lru_cache(maxsize=1)
def _no_party_after() -> re.Pattern[str]:
    return re.compile(r"[ ,(]*(?:%s)\b" % alternation(load("cues")["no_party_after"]))


@lru_cache(maxsize=1)
def _office_for() -> re.Pattern[str]:
    """After a body in the genitive: a title ("ordförande", "förvaltningschef"), a person's name,
    perhaps a party in parentheses, then "för" and the body acted for."""
    titles = "|".join(sorted(load("names")["title_endings"], key=len, reverse=True))
    return re.compile(r" (?:vice |tillförordnad |t\.f\. )?[a-zåäö-]*(?:%s) (?:[A-ZÅÄÖ][^\W\d_]+(?:-[^\W\d_]+)? ){1,3}"
                      r"(?:\([A-ZÅÄÖ]{1,3}\) )?för [A-ZÅÄÖ]" % titles)

#: What parts a byline's facts: a middle dot, a bullet or a bar between spaces.
_BYLINE_SEPARATOR = re.compile(r"\s[·•|]\s")

#: The first blocks of a document, where a line under an agreement's title may list its parties.
TITLE_PARTY_BLOCKS = 6
#: What may stand between the names of a list of parties.
_LIST_GLUE = re.compile(r"(?i)[\s,;&:]+|\b(?:och|samt|mellan|parter|parterna)\b")


#: An agreement's own name in apposition right after its noun: "ett idéburet offentligt partnerskap,
#: IOP Trygg hemma, som gäller …". Capitalised, short, closed by a comma before "som"/"där".
_FIRST_WORD = re.compile(r"\s*[A-ZÅÄÖ][a-zåäö-]+\b")
#: A distal demonstrative right before an agreement's noun: "det avtalet", "den överenskommelsen".
_DISTAL = re.compile(r"(?:^|\W)(?:det|den|de)\s+$")
#: A preposition right before a named effort that a cooperation takes place in.
_WITHIN = (" i ", " inom ")
#: A verb of having (checked against cues.yaml: joint_possession), a few adverbial words, an indefinite article.
_HOLDS = re.compile(r"\b(har haft|har|hade)\s+(?:[a-zåäö0-9]+\s+){0,3}?(?:ett|en)\s")
#: After an agreement's noun: its topic in a few words, then a relative clause ("om forskning och utbildning som ").
_RELATIVE = re.compile(r"(?:\s+(?:om|för|kring)\s+[^,.;:()]{1,60}?)?\s+som\s+")
#: Between bodies named together: a comma, "och", "samt".
_COORDINATED = re.compile(r",\s*|\s+(?:och|samt)\s+|,\s+(?:och|samt)\s+")
#: A partner after the verb: "tecknade med ", "har ingått med ".
_WITH_PARTY = re.compile(r"(?:\s+[a-zåäö]+){0,3}?\s+med\s+")
_APPOSITIVE = re.compile(r"(?:\s+\([A-ZÅÄÖ]{2,6}\))?,\s+([A-ZÅÄÖ][^,.;:()\n]{2,60}?),\s+(?:som|där|vilket|vilken|mellan|med)\b")


#: Words after which bodies named together are an object, not the subject a clause describes.
_OBJECT_OF = ("mellan", "med", "av", "till", "för")
#: ", som sedan 2023 delar på en jurist," right after bodies named together: the clause.
_DESCRIBED = re.compile(r"\s*,\s*som\s+([^,.;:]+),")


def coordinated(mentions: list[Resolved], text: str, offset: int) -> list[Resolved]:
    """The first of `mentions` and those coordinated with it right after ("Lunnaby kommun, Norrby
    kommun och Region X"); `text` is the sentence's, starting at document offset `offset`."""
    chain = mentions[:1]
    for previous, mention in zip(mentions, mentions[1:]):
        if not _COORDINATED.fullmatch(text[previous.mention.end - offset : mention.mention.start - offset]):
            break
        chain.append(mention)
    return chain


def _appositive_name(text: str, noun_end: int) -> str:
    m = _APPOSITIVE.match(text, noun_end)
    return m.group(1).strip() if m and len(m.group(1).split()) <= 6 else ""


#: "är ett gränsöverskridande", "var en": a copula with an indefinite article before the cue.
_COPULA = re.compile(r"\b(?:är|var) (?:ett|en)\b")
#: Characters before a sentence's first mention that may open it ("- ", "Sedan 2020 ").
DEFINED_START = 3
#: Characters between the named effort and the cooperation noun that defines it.
DEFINED_GAP = 80
#: "(IOP) med " after an agreement's noun: its partner follows.
_WITH_PARTNER = re.compile(r"(?:\s+\([A-ZÅÄÖ]{2,6}\))?\s+med\s+")
#: What an agreement is about, up to the named effort: "om BID Hertsön", or the effort in apposition
#: to its topic, "om en gemensam jobbcoachpool, Stegvis-poolen".
_ABOUT = re.compile(r" (?:om|kring|för) (?:(?:en|ett) (?:[a-zåäöé-]+ ){0,3}[a-zåäöé-]+, )?")
#: How far after a named effort its relative clause may begin (the apposition between them).
APPOSITION_CHARS = 120
#: The rule of ties a relative clause tells in its own tense ("…, som sedan 2023 drivs av A"):
#: the dates of the sentence around it do not time them.
CLAUSE_TENSE_RULE = "relate:relative-tense"
#: Right after a vehicle's name: ", som", or an apposition (no comma in it) and its " som".
_RELATIVE_ON = re.compile(r",(?: [^,.;:]{0,%d}?)? som " % APPOSITION_CHARS)
#: Where a relative clause ends: a comma or a full stop that closes it.
_CLAUSE_END = re.compile(r",\s|[.;]\s|[.;]$")
#: A negation in the first characters of a relative clause denies it ("som X inte längre driver").
RELATIVE_NEGATION_REACH = 60


def _only_names(text: str, spans: list[tuple[int, int]]) -> bool:
    """Is the line names and list glue only ("A, B och C")?"""
    rest, at = [], 0
    for start, end in sorted(spans):
        rest.append(text[at:start])
        at = max(at, end)
    rest.append(text[at:])
    return not _LIST_GLUE.sub("", "".join(rest)).strip(".")


def _of_a_kind(lowered: str, noun_start: int) -> bool:
    """'den här typen av överenskommelser', 'sådana avtal': a kind of agreement, not one."""
    return lowered[:noun_start].rstrip().endswith(tuple(_words("agreement_kind_markers")))


def _one_kind(noun: str, other: str) -> bool:
    """May two agreement nouns name one agreement? A medborgarlöfte is never a samverkansavtal."""
    distinct = _distinct_nouns()
    return noun == other or (noun not in distinct and other not in distinct)


@lru_cache(maxsize=1)
def _distinct_nouns() -> frozenset[str]:
    return frozenset(load("cues")["distinct_agreement_nouns"])


def infer_author(relater: Relater, sentences: list[Sentence], unresolved: list) -> Optional[str]:
    """Who "förvaltningen" is in a document that never says: the party an agreement is missing.

    "Förvaltningen har tillsammans med X och Y ingått en överenskommelse", and elsewhere
    "A och X har tillsammans med Y ingått en överenskommelse": the förvaltning is A.
    Call after relater.run().
    """
    wanted = {"administration": Kind.administration, "board": Kind.board}
    starts = [s.start for s in sentences]
    for mention in unresolved:
        sentence = sentence_at(sentences, starts, mention.start)
        if sentence is None or not _phrases("agreement_nouns").search(sentence.text.lower()):
            continue
        others = {
            r.actor for r in relater._mentions(sentence.start, sentence.end)
            if relater.actors[r.actor].kind in PARTY_KINDS and not _possessive(r)
        }
        for draft in relater.settled:
            extra = draft.parties - others
            if others and others < draft.parties and len(extra) == 1:
                (candidate,) = extra
                if relater.actors[candidate].kind is wanted.get(mention.generic):
                    return relater.actors[candidate].name
    return None


def _gazetteer_actor(actor_id: str) -> Optional[Actor]:
    for body in gazetteer().bodies.values():
        if slug(body.name) == actor_id:
            return Actor(id=actor_id, name=body.name, kind=body.kind, parent=slug(body.parent) if body.parent else None)
    return None


def _possessive(r: Resolved) -> bool:
    """'stadens utsatta områden', 'polisens ansvar': a generic genitive modifies, it does not act."""
    return r.mention.rule == "generic:possessive"


#: What may stand between two names of one list: commas, "och", "samt", a few modifiers.
_LIST_GAP = re.compile(r"^[\s,]*(?:(?:och|samt|respektive)\s+)?(?:[a-zåäö]+\s+){0,3}$")


def _listed_after(s: Sentence, candidates: list[Resolved], pos: int) -> list[str]:
    """The actors listed right after a word such as 'mellan': 'mellan staden, Polisen och ...'."""
    out: list[str] = []
    cursor = pos
    for r in sorted(candidates, key=lambda r: r.mention.start):
        start = r.mention.start - s.start
        if start < cursor:
            continue
        if not _LIST_GAP.match(s.text[cursor:start]):
            break
        if r.actor not in out:
            out.append(r.actor)
        cursor = r.mention.end - s.start
    return out


def _outside_prepositions(words_before: str) -> str:
    """The words before a partner marker less those governed by a preposition ("vid årsskiftet"):
    a noun in a prepositional phrase is no subject."""
    words = words_before.split()
    preps = _words("prepositions")
    return " ".join(w for i, w in enumerate(words) if not (i and words[i - 1] in preps))


def _unique(ids) -> list[str]:
    out: list[str] = []
    for i in ids:
        if i not in out:
            out.append(i)
    return out


def _first_year(text: str) -> Optional[str]:
    """The year a tie dates from: the first one, unless it is when the tie ended ('avslutades 2023')."""
    first = _YEAR.search(text)
    if first is None or _ended_cue().search(text) is None:
        return first.group(1) if first else None
    ended = _status_words("ended")
    for m in _YEAR.finditer(text):
        words_before = text[max(0, m.start() - 30) : m.start()].lower().split()
        if not any(w in ended for w in words_before[-3:]):
            return m.group(1)
    return None


@lru_cache(maxsize=1)
def _decision_phrases() -> tuple[str, ...]:
    return tuple(load("cues")["decided_by"])


@lru_cache(maxsize=1)
def _ended_cue() -> re.Pattern[str]:
    """Any single-word cue of an ended tie, in any case: most sentences have none."""
    return re.compile("|".join(sorted(_status_words("ended"), key=len, reverse=True)), re.IGNORECASE)


@lru_cache(maxsize=None)
def _status_words(status: str) -> frozenset[str]:
    """The single words among one status's cues."""
    return frozenset(c for c in load("cues")["status"][status] if " " not in c)
