"""Joint action read from the structure of a tagged sentence.

Swedish states cooperation far more often by structure than by a fixed phrase: a
coordinated subject of a verb of joint action ("Kommunen, polisen och bostadsbolaget har
tecknat ...", "Därför lovar A, B och C att ..."), a list of members in a frame of
membership ("I nätverket ingår A, B och C", "Medlemmar i förbundet är A och B",
"Rådet består av A, B och C"), or who sends people ("representanter från A och B").
The lexicon is lemmas (relations.yaml); the language layer gives each word its lemma, so
"undertecknade", "har undertecknat" and "undertecknar" are one predicate.

A predicate with one actor and no partner is no tie; a distributive word ("respektive",
"var för sig") takes the joint reading away.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import combinations
from typing import NamedTuple, Optional

from graph.model import Kind, RelationType, Status, fold, slug

from loaders.extraction.clauses import denial_words
from loaders.data_files import load
from loaders.reading.structure import MONTHS
from loaders.language.swedish import Tag, tagger
from loaders.language.phrases import phrase_pattern
from loaders.extraction.relate import VEHICLE_KINDS, Fact, Relater, has, sentence_status, weaker
from loaders.extraction.resolve import Actor, Resolved
from loaders.language.spans import Sentence

#: Longest sentence (in words) read for joint action: a longer "sentence" is a table or a list
#: run together, whose structure the tagger cannot be trusted with.
MAX_WORDS = 120
#: A list under a sentence that announces it: at most this many items of at most this length.
MAX_LISTED = 40
LIST_ITEM_CHARS = 120
#: Words that may stand between a coordinated subject and its verb ("A och B har nu tecknat").
SUBJECT_GAP = 5
#: Words that may stand between an inverted verb and its subject ("lovar därför A och B").
INVERTED_GAP = 3
_WORD = re.compile(r"\w+(?:[-:]\w+)*|[^\w\s]")
_AUXILIARIES = frozenset({"ha", "skola", "komma", "kunna", "vilja", "avse", "böra", "få", "måste", "vara", "bli",
                          "att", "sig", "även", "också", "nu", "gemensamt", "tillsammans", "båda", "alla", "redan",
                          "därför", "dessutom", "sedan", "härmed", "numera", "fortsatt", "fortsättningsvis"})
_TOGETHER = re.compile(r"\b(?:[Tt]illsammans|[Jj]ämte|[Ii] samverkan) med\b")
_RELATIVE = re.compile(r",\s*(?:som|vilka|vilken|vars|där)\b")
#: A relative clause on one member, closed by a comma, after which the list goes on:
#: "A, som äger husen, och föreningen B".
_LIST_GOES_ON = re.compile(r",\s*(?:som|vilka|vilken|vars)\b[^.;:,]*,\s+(?:och|samt)\s+(?:[a-zåäö-]+\s+){0,2}$")
_SUBJECT_PRONOUNS = frozenset({"jag", "vi", "de", "han", "hon", "man", "ni", "du"})


class Word(NamedTuple):
    text: str
    start: int  # in the document
    end: int
    tag: Tag

    @property
    def lemma(self) -> str:
        return self.tag.lemma.lower()


class Member(NamedTuple):
    """A list of actors that act as one: their ids, and where the list stands in the sentence."""

    actors: list[str]
    start: int  # document offsets
    end: int


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    data = load("relations")
    predicates: dict[str, list[tuple[str, ...]]] = {}
    for entry in data["joint_predicates"]:
        verb, *rest = entry.split()
        predicates.setdefault(verb, []).append(tuple(rest))
    return {
        "predicates": predicates,
        "copulas": frozenset(data["copulas"]),
        "members": frozenset(data["member_nouns"]),
        "composition": frozenset(data["composition_verbs"]),
        "agent": frozenset(data["agent_verbs"]),
        "membership": frozenset(v.split()[0] for v in data["membership_verbs"]),
        "inclusive": frozenset(data["list_inclusive"]),
        "distributive": tuple(data["distributive"]),
        "heads": dict(data["vehicle_heads"]),
        "replacement": frozenset(data["replacement_verbs"]),
        "own_effort": frozenset(data["own_effort_nouns"]),
        "any_effort": frozenset(data["any_effort_heads"]),
        "behind": frozenset(data["behind_frame"]["prepositions"]),
        "stand": frozenset(data["behind_frame"]["verbs"]),
        "joining": frozenset(data["joining_verbs"]),
    }


class JointReader:
    """Reads joint action sentence by sentence, beside the cue rules of relate.Relater."""

    def __init__(self, relater: Relater, title_vehicle: Optional[str] = None, known: list[Fact] = ()) -> None:
        self.relater = relater
        # pairs the cue rules read, by sentence: a list they read whole needs no second reading,
        # and a pair they read is not read again (one sentence is one piece of evidence)
        self._read = {(f.sentence.start, frozenset((f.source, f.target))) for f in known}
        self._members: dict[str, list[tuple[str, Status]]] = {}  # each vehicle's members by this reader's facts
        # the members the cue rules gave each vehicle: (sentence start, member, status)
        self._known_members: dict[str, list[tuple[int, str, Status]]] = {}
        self._placed: set[tuple[int, str]] = set()  # members the cue rules put in a vehicle, by sentence
        for f in known:
            if f.type in (RelationType.PARTY_TO, RelationType.PARTICIPATES_IN):
                self._known_members.setdefault(f.target, []).append((f.sentence.start, f.source, f.status))
                self._placed.add((f.sentence.start, f.source))
        self.actors = relater.actors
        self.title_vehicle = title_vehicle
        self.facts: list[Fact] = []
        self._vehicles: list[str] = []  # vehicles named so far, in text order
        self._municipalities: list[str] = []  # the municipalities the text enumerated last
        self._item_of: dict[str, Sentence] = {}  # members listed under the current sentence, by their line

    def run(self, sentences: list[Sentence]) -> list[Fact]:
        """The facts of joint action, less the pairs the cue rules read in the same sentence."""
        model = tagger()
        self._sentences = sentences
        for index, s in enumerate(sentences):
            self._index = index
            inside = self.relater.mentions_in(s.start, s.end)
            self._vehicles += [r.actor for r in inside if self._is_vehicle(r.actor)]
            announces = s.text.rstrip().endswith(":") and bool(_frame_surface().search(s.text.lower()))
            if model is None or not (inside or announces):
                continue
            lists = self._lists(s, inside)
            self._remember_municipalities(lists)
            if not lists and not announces and not self._may_list_members(s, inside):
                continue
            if lists and not announces and not _worth_reading(s.text.lower()):
                continue  # a list with no word of joint action or membership near it
            if lists and not announces and self._read_already(s, lists):
                continue  # the cue rules read every pair of its lists, and put them in the vehicle it names
            words = _tag(model, s, lists)
            if words:
                self._sentence(s, inside, lists, words)
        return [f for f in self.facts if (f.sentence.start, frozenset((f.source, f.target))) not in self._read]

    # -- lists ---------------------------------------------------------------

    def _read_already(self, s: Sentence, lists: list[Member]) -> bool:
        if not all((s.start, frozenset(p)) in self._read for m in lists for p in combinations(m.actors, 2)):
            return False
        return not _names_vehicle(s.text.lower()) or all((s.start, a) in self._placed for m in lists for a in m.actors)

    def _lists(self, s: Sentence, inside: list[Resolved]) -> list[Member]:
        """Runs of two or more parties joined by commas, "och", "samt", "liksom" ..."""
        parties = [r for r in inside if self.relater.acts(r)]
        out: list[Member] = []
        run: list[Resolved] = []
        for r in parties:
            if run and not self._joined(run[-1], r):
                out += self._member(run)
                run = []
            run.append(r)
        out += self._member(run)
        return out

    def _member(self, run: list[Resolved]) -> list[Member]:
        ids = list(dict.fromkeys(r.actor for r in run))
        if len(ids) < 2:
            return []
        return [Member(ids, run[0].mention.start, run[-1].mention.end)]

    def _joined(self, a: Resolved, b: Resolved) -> bool:
        gap = self.relater.text[a.mention.end : b.mention.start]
        return bool(_list_gap().match(gap))

    def _may_list_members(self, s: Sentence, inside: list[Resolved]) -> bool:
        """A sentence with one party may still list members ("I rådet möts Region X och de
        fem kommunerna"): worth tagging when it holds a word of a membership frame."""
        lowered = s.text.lower()
        if _frame_surface().search(lowered):
            return any(self.relater.acts(r) for r in inside) and not self._frame_adds_nothing(s, inside, lowered)
        if " av " not in lowered or not _agent_surface().search(lowered):
            return False
        # "Projektet X drivs av A": worth tagging unless the cue rules put every party in a vehicle
        parties = [r.actor for r in inside if self.relater.acts(r)]
        return bool(parties) and not all((s.start, p) in self._placed for p in parties)

    def _frame_adds_nothing(self, s: Sentence, inside: list[Resolved], lowered: str) -> bool:
        """'Sedan 2022 samverkar A med B kring …': every pair of the sentence's parties read by the
        cue rules (and so dropped from a frame's facts), and nothing a frame could place them in:
        no vehicle named or pointed at, no effort the document is, no "kommunerna" to count, no
        copula or "ha" to open a frame on the sentence before. Tagging it would find nothing new."""
        parties = {r.actor for r in inside if self.relater.acts(r)}
        if len(parties) < 2 or self.title_vehicle is not None or "kommuner" in lowered:
            return False
        if any(self._is_vehicle(r.actor) for r in inside) or _names_vehicle(lowered):
            return False
        if not _copula_forms().isdisjoint(lowered.split()):
            return False
        return all((s.start, frozenset(pair)) in self._read for pair in combinations(parties, 2))

    # -- one sentence --------------------------------------------------------

    def _sentence(self, s: Sentence, inside: list[Resolved], lists: list[Member], words: list[Word]) -> None:
        lowered = s.text.lower()
        if _distributive().search(lowered) or has("investigation", lowered):
            return
        frame = self._frame(s, inside, words) or self._members_where(s, inside, words)
        if frame is not None:
            members, vehicle = frame
            self._emit(members, vehicle, self._status(s, words), s, "joint:members")
            return
        for member in lists:
            how = self._subject_membership(s, member, words, inside) or self._joint(s, member, words, inside)
            if how is None:
                continue
            rule, vehicle = how
            partners = self._together_with(lists, member, inside) if rule == "joint:predicate" else []
            self._emit(list(dict.fromkeys(member.actors + partners)), vehicle, self._status(s, words, member.start),
                       s, rule)

    def _together_with(self, lists: list[Member], subject: Member, inside: list[Resolved]) -> list[str]:
        """'Tillsammans med A och B har C och D bildat ...': the partners after "tillsammans med"
        act with the subject. A list, or a single party, right after the marker."""
        out: list[str] = []
        text = self.relater.text
        for m in _TOGETHER.finditer(text, inside[0].mention.start - 40 if inside else 0, subject.start):
            after = next((x for x in lists if x is not subject and x.start >= m.end() and
                          not text[m.end() : x.start].strip()), None)
            if after is not None:
                out += after.actors
            else:
                out += [r.actor for r in inside if r.mention.start >= m.end() and self.relater.acts(r)
                        and not text[m.end() : r.mention.start].strip()][:1]
        return out

    def _frame(self, s: Sentence, inside: list[Resolved],
               words: list[Word]) -> Optional[tuple[list[str], Optional[str]]]:
        """A sentence that lists the members of a vehicle, with the members after its verb:
        'I nätverket ingår A, B och C', 'Medlemmar i förbundet är A och B', 'Rådet består av
        A och B', 'I gruppen sitter representanter från A och B men även från C'. Every party
        after the verb is a member, however the lists are split."""
        lex = _lexicon()
        for i, w in enumerate(words):
            if w.tag.pos != "VB" or not _finite(w.tag):
                continue
            clause = words[_clause_start(words, i) : i]
            if not clause:
                continue
            fronted_in = clause[0].lemma in ("i", "inom") and (_vehicle_word(clause) is not None
                                                               or self._own_effort(clause) is not None) \
                or clause[0].lemma in lex["behind"] and w.lemma in lex["stand"] and _vehicle_word(clause) is not None
            if _denied_after(words, i):
                continue  # "Avtalet omfattar inte den tillsyn som X utövar": X is no member
            if s.text.rstrip().endswith(":") and w.lemma in lex["membership"]:
                # "Följande organisationer ingår i rådet:" and the list under it
                rest = words[i + 1 : i + 6]
                members = self._listed_below()
                if members and _vehicle_word(rest):
                    return members, self._vehicle_from(rest, s, inside, words)
            if w.lemma in lex["membership"] and not fronted_in:
                inverted = self._inverted_membership(s, inside, words, i)
                if inverted is not None:
                    return inverted
            counted = self._members_counted(s, inside, words, i, clause)
            if counted is not None:
                return counted
            if w.lemma in lex["joining"]:
                joined = self._joins_own_effort(inside, words, i)
                if joined is not None:
                    return joined
            if (w.lemma in lex["membership"] or w.lemma in lex["stand"]) and fronted_in \
                    or w.lemma in lex["copulas"] and any(x.lemma in lex["members"] and x.tag.has("PLU")
                                                         for x in clause) \
                    or w.lemma in lex["composition"] and _vehicle_word(clause) is not None \
                    or _agentive_passive(words, i) and (_vehicle_word(clause) is not None
                                                        or self._names_vehicle_in(clause, inside)):
                word = _vehicle_word(clause)
                if word is not None and word.tag.has("PLU") and word.tag.has("DEF"):
                    return None  # "I grupperna ingår ...": several groups, whose members need not meet
                members = self._members_after(inside, w.end, words)
                if not members and s.text.rstrip().endswith(":"):
                    members = self._listed_below()  # "Medlemmar i förbundet är:" and a list under it
                if len(members) >= 2 or members and (_vehicle_word(clause) or self._own_effort(clause)):
                    vehicle = self._vehicle_from(clause, s, inside, words) or self._own_effort(clause)
                    if vehicle is None and w.lemma in lex["copulas"]:  # "X bildades 2016. Medlemmar är A och B."
                        vehicle = self._topic_vehicle(s)
                    return members, vehicle
            # only the sentence's first finite verb can open such a frame, or a passive joined to
            # it that shares its subject ("Projektet X pågår sedan 2025 och drivs av A och B")
            return self._joined_passive(s, inside, words, i, clause)
        return None

    def _members_counted(self, s: Sentence, inside: list[Resolved], words: list[Word], verb: int,
                         clause: list[Word]) -> Optional[tuple[list[str], Optional[str]]]:
        """'X är ett kommunalförbund med fyra medlemmar: A, B och C', 'Nätverket har fem parter:
        A, B ...': a plural member noun right before a colon, in the clause of the first verb
        (a copula or "ha"), lists after the colon the members of what the subject names."""
        lex = _lexicon()
        if words[verb].lemma not in lex["copulas"] and words[verb].lemma != "ha":
            return None
        for j in range(verb + 1, min(len(words) - 1, verb + 1 + COUNTED_GAP)):
            if words[j].text in ",;.":
                return None
            if words[j + 1].text == ":" and words[j].lemma in lex["members"] and words[j].tag.has("PLU"):
                members = self._members_after(inside, words[j + 1].end, words)
                vehicle = self._vehicle_from(clause, s, inside, words) or self._own_effort(clause)
                return (members, vehicle) if len(members) >= 2 and vehicle is not None else None
        return None

    def _members_where(self, s: Sentence, inside: list[Resolved],
                       words: list[Word]) -> Optional[tuple[list[str], Optional[str]]]:
        """'…, ett nätverk för erfarenhetsutbyte där A, B och C ingår': a relative clause opened by
        "där" after a vehicle, with parties before a verb of membership, names the vehicle's members."""
        lex = _lexicon()
        for i, w in enumerate(words):
            if w.lemma != "där" or i == 0:
                continue
            end = next((j for j in range(i + 1, len(words)) if words[j].text in ";.:"), len(words))  # past a list's commas
            verb = next((j for j in range(i + 1, end) if words[j].tag.pos == "VB" and words[j].lemma in lex["membership"]),
                        None)
            if verb is None:
                continue
            members = [r.actor for r in inside if w.end <= r.mention.start < words[verb].start and self.relater.acts(r)]
            vehicle = self._vehicle_from(words[max(0, i - WHERE_REACH) : i], s, inside, words)
            if len(set(members)) >= 2 and vehicle is not None:
                return list(dict.fromkeys(members)), vehicle
        return None

    def _joined_passive(self, s: Sentence, inside: list[Resolved], words: list[Word], first: int,
                        clause: list[Word]) -> Optional[tuple[list[str], Optional[str]]]:
        """A passive of running or founding after "och" in the first verb's clause, its subject
        the first verb's: the parties after its "av" run the vehicle the subject names."""
        if _vehicle_word(clause) is None and not self._names_vehicle_in(clause, inside):
            return None
        for j in range(first + 1, min(len(words), first + 1 + JOINED_VERB_GAP)):
            if words[j].text in ",;:":
                return None
            if words[j - 1].lemma == "och" and _agentive_passive(words, j):
                members = self._members_after(inside, words[j].end, words)
                if members:
                    return members, self._vehicle_from(clause, s, inside, words)
        return None

    def _joins_own_effort(self, inside: list[Resolved], words: list[Word],
                          verb: int) -> Optional[tuple[list[str], Optional[str]]]:
        """'Från och med den 1 september ansluter Studieförbundet X', 'X tillkommer under 2026':
        a verb of joining with nothing it joins ("till", "i") joins the effort the document is
        (its title names an agreement or a project). Its subject, before the verb or after it
        (inverted), in the verb's clause, joins."""
        if self.title_vehicle is None:
            return None
        start = _clause_start(words, verb)
        end = next((j for j in range(verb + 1, len(words)) if words[j].text in ",;:."), len(words))
        if any(w.lemma in ("till", "i", "inom", "med") and w.tag.pos == "PP" and not _when_after(words, j)
               for j, w in enumerate(words[verb + 1 : end], start=verb + 1)):
            return None  # "ansluter till nätverket", "går med i": the vehicle is named ("i januari" is a time)
        lo, hi = words[start].start, words[end - 1].end if end > verb else words[verb].end
        members = [r.actor for r in inside if lo <= r.mention.start < hi and self.relater.acts(r)]
        return (list(dict.fromkeys(members)), self.title_vehicle) if members else None

    def _own_effort(self, clause: list[Word]) -> Optional[str]:
        """'I genomförandet medverkar även A och B', 'I arbetet deltar A': in a document that is
        an agreement or a project (its title names it), the carrying out of it is its own
        effort, and those taking part in that take part in it (relations.yaml: own_effort_nouns)."""
        if self.title_vehicle is None or len(clause) > OWN_EFFORT_WORDS:
            return None
        nouns = [w for w in clause if w.tag.pos == "NN"]
        if len(nouns) == 1 and nouns[0].lemma in _lexicon()["own_effort"] and nouns[0].tag.has("DEF"):
            return self.title_vehicle
        return None

    def _names_vehicle_in(self, clause: list[Word], inside: list[Resolved]) -> bool:
        """Does a vehicle's name stand among these words ("Dalslands upphandlingssamverkan bildades")?"""
        lo, hi = clause[0].start, clause[-1].end
        return any(lo <= r.mention.start < hi and self._is_vehicle(r.actor) for r in inside)

    def _topic_vehicle(self, s: Sentence) -> Optional[str]:
        """The vehicle the sentence before, in the same paragraph, opened with: the topic that
        'Medlemmar är A och B' goes on about."""
        if self._index == 0:
            return None
        prev = self._sentences[self._index - 1]
        if prev.block != s.block:
            return None
        first = next(iter(self.relater.mentions_in(prev.start, prev.end)), None)
        if first is None or first.mention.start - prev.start > TOPIC_START:
            return None
        if self._is_vehicle(first.actor) or _federation(self.actors[first.actor].name):
            return first.actor
        return None

    def _inverted_membership(self, s: Sentence, inside: list[Resolved], words: list[Word],
                             verb: int) -> Optional[tuple[list[str], Optional[str]]]:
        """'Från och med 2027 ingår även X i rådet': the verb in second place, its subject after
        it, and the vehicle after "i"; nothing before the verb may be the subject."""
        clause_start = _clause_start(words, verb)
        if any(r.mention.start < words[verb].start and r.mention.start >= words[clause_start].start
               and self.relater.acts(r) for r in inside):
            return None
        prep = next((j for j in range(verb + 1, min(len(words), verb + 12)) if words[j].lemma in ("i", "inom")), None)
        if prep is None:
            return None
        vehicle_words = words[prep + 1 : prep + 5]
        if _vehicle_word(vehicle_words) is None:
            return None
        members = [r.actor for r in inside if words[verb].end <= r.mention.start < words[prep].start
                   and self.relater.acts(r)]
        if not members:
            return None
        return list(dict.fromkeys(members)), self._vehicle_from(vehicle_words, s, inside, words)

    def _listed_below(self) -> list[str]:
        """The parties of the list items right after the current sentence: one short line each,
        up to the first line that names none."""
        out: list[str] = []
        for s in self._sentences[self._index + 1 : self._index + 1 + MAX_LISTED]:
            if len(s.text) > LIST_ITEM_CHARS:
                break
            found = [r.actor for r in self.relater.mentions_in(s.start, s.end) if self.relater.acts(r)]
            if not found:
                break
            for actor in found:
                if actor not in out:
                    out.append(actor)
                    self._item_of[actor] = s  # the item's own line is its evidence
        return out

    def _members_after(self, inside: list[Resolved], pos: int, words: list[Word] = ()) -> list[str]:
        """The parties after a position, up to a relative clause that describes one of them;
        "kommunerna" among them are the municipalities the text enumerated last."""
        out: list[str] = self._plural_municipalities(words, pos)
        for r in inside:
            if r.mention.start < pos or not self.relater.acts(r):
                continue
            if out and _RELATIVE.search(self.relater.text, pos, r.mention.start) \
                    and not _LIST_GOES_ON.search(self.relater.text, pos, r.mention.start):
                break
            if r.actor not in out:
                out.append(r.actor)
            pos = r.mention.end
        return out

    def _joint(self, s: Sentence, member: Member, words: list[Word],
               inside: list[Resolved]) -> Optional[tuple[str, Optional[str]]]:
        """The list as the subject of a verb of joint action, before it or (inverted) after it."""
        first, last = _word_range(words, member.start, member.end)
        verb = self._predicate_after(words, last) if last is not None else None
        if verb is None and first is not None:
            verb = self._predicate_before(words, first, member, inside)
        if verb is None or _denied(words, verb, first, last):
            return None
        return "joint:predicate", self._vehicle_in(s, inside, words, after=words[verb].end)

    def _predicate_after(self, words: list[Word], last: int) -> Optional[int]:
        """'A och B har nu tecknat': the first verb after the list, past auxiliaries and adverbs."""
        for i in range(last + 1, min(len(words), last + 1 + SUBJECT_GAP)):
            w = words[i]
            if self._is_predicate(words, i):
                return i
            if w.tag.pos in ("AB", "IE") or w.lemma in _AUXILIARIES or w.tag.pos == "VB" and w.lemma in _AUXILIARIES:
                continue
            if i == last + 1 and w.text in ("–", "-"):  # "A, B och C – samverkar": a dash closing an apposition
                continue
            return None
        return None

    def _predicate_before(self, words: list[Word], first: int, member: Member,
                          inside: list[Resolved]) -> Optional[int]:
        """'Därför lovar A och B att ...', 'Sedan 2019 driver A och B ...': a verb in second
        place, its subject after it; the words before the verb must hold no subject."""
        for i in range(first - 1, max(-1, first - 1 - INVERTED_GAP), -1):
            w = words[i]
            if self._is_predicate(words, i) and w.tag.pos == "VB" and _finite(w.tag):
                clause_start = _clause_start(words, i)
                fronted = words[clause_start:i]
                if any(f.text.lower() in _SUBJECT_PRONOUNS for f in fronted):
                    return None
                if any(r.mention.start < w.start and r.mention.start >= (fronted[0].start if fronted else w.start)
                       for r in inside if self.relater.acts(r)):
                    return None
                return i
            if w.tag.pos in ("AB", "PN", "PL") or w.lemma in _AUXILIARIES:
                continue
            return None
        return None

    def _is_predicate(self, words: list[Word], i: int) -> bool:
        w = words[i]
        if w.tag.pos not in ("VB", "PC"):
            return False
        for rest in _lexicon()["predicates"].get(w.lemma, ()):
            if all(any(x.lemma == part or x.text.lower() == part for x in words[i + 1 : i + 4]) for part in rest):
                return True
        return False

    def _subject_membership(self, s: Sentence, member: Member, words: list[Word],
                            inside: list[Resolved]) -> Optional[tuple[str, Optional[str]]]:
        """'A och B ingår i rådet', 'representanter från A och B deltog'."""
        lex = _lexicon()
        first, last = _word_range(words, member.start, member.end)
        if first is None or last is None:
            return None
        if first >= 2 and words[first - 1].lemma in ("från", "för") and words[first - 2].lemma in lex["members"]:
            word = _vehicle_word(words)
            if word is not None and word.tag.has("PLU") and word.tag.has("DEF"):
                return None  # representatives in several groups need not meet each other
            return "joint:representatives", self._vehicle_in(s, inside, words, after=0)
        after = words[last + 1 : last + 1 + SUBJECT_GAP + 3]
        for j, w in enumerate(after):
            if w.tag.pos == "VB" and w.lemma in lex["membership"]:
                rest = after[j + 1 : j + 6]
                if rest and any(x.lemma in ("i", "inom") for x in rest[:2]) and _vehicle_word(rest):
                    return "joint:members", self._vehicle_from(rest, s, inside, words)
                break
            if not (w.tag.pos in ("AB", "IE") or w.lemma in _AUXILIARIES):
                break
        return None

    def _plural_municipalities(self, words: list[Word], pos: int) -> list[str]:
        """'de sex kommunerna' after an enumeration of six municipalities: those six."""
        if not self._municipalities:
            return []
        for w in words:
            if w.start >= pos and w.lemma == "kommun" and w.tag.has("PLU") and w.tag.has("DEF"):
                return list(self._municipalities)
        return []

    def _remember_municipalities(self, lists: list[Member]) -> None:
        for member in lists:
            found = [a for a in member.actors if self.actors[a].kind is Kind.municipality]
            if len(found) >= 2:
                self._municipalities = found

    # -- vehicles ------------------------------------------------------------

    def _is_vehicle(self, actor: str) -> bool:
        return self.actors[actor].kind in VEHICLE_KINDS or self.actors[actor].kind is Kind.agreement

    def _vehicle_in(self, s: Sentence, inside: list[Resolved], words: list[Word], after: int) -> Optional[str]:
        """The vehicle a clause names after a position (the predicate's object): a project,
        group or agreement mention, else a definite noun of a vehicle ('gruppen', 'förbundet')
        pointing back at the last one named."""
        named = [r.actor for r in inside if self._is_vehicle(r.actor) and r.mention.start >= after]
        if named:
            return named[0]
        rest = [w for w in words if w.start >= after]
        return self._vehicle_from(rest[: _clause_end(rest)], s, inside, words, named_first=False)

    def _vehicle_from(self, span: list[Word], s: Sentence, inside: list[Resolved], words: list[Word],
                      named_first: bool = True) -> Optional[str]:
        """The vehicle a stretch of words names: a mention of one, a proper name with a vehicle
        head ('I Kommun- och regionledningsforum'), a specific compound ('hemsjukvårdsavtalet'),
        or a definite noun ('gruppen') that points back at the last one of its kind."""
        if span and named_first:
            lo, hi = span[0].start, span[-1].end
            named = [r.actor for r in inside if lo <= r.mention.start < hi and
                     (self._is_vehicle(r.actor) or _vehicle_head(self.actors[r.actor].name.lower())
                      or r.mention.generic is not None and _names_by_head(r.mention.text))]
            if named:
                return named[0]
        word = _vehicle_word(span)
        if word is None:
            return None
        head = _vehicle_head(word.lemma)
        named = self._proper_vehicle(span, word, head) or self._specific_vehicle(words, word, head)
        if named is not None:
            return named
        if not word.tag.has("DEF"):
            return None  # "en avsiktsförklaring" introduces a new one; only "avsiktsförklaringen" points back
        folded = fold(head) if head else ""
        for actor in reversed(self._vehicles):
            if folded and folded in fold(self.actors[actor].name):
                return actor
        for r in reversed(self.relater.resolved):  # a party-kind body named by its head: "förbundet"
            if r.mention.start < s.start and folded and folded in fold(self.actors[r.actor].name) \
                    and self.relater.acts(r):
                return r.actor
        kind = _lexicon()["heads"].get(head)
        for actor in reversed(self._vehicles):
            if self.actors[actor].kind.value == kind:
                return actor
        if self.title_vehicle and self.actors[self.title_vehicle].kind.value == kind:
            return self.title_vehicle
        if head in _lexicon()["any_effort"] and self._vehicles:  # "satsningen" after "Testbädd X", a group
            return self._vehicles[-1]
        return None

    def _proper_vehicle(self, span: list[Word], word: Word, head: Optional[str]) -> Optional[str]:
        """'I Kommun- och regionledningsforum möts ...': a phrase ending in the vehicle's head
        that opens with a capital after a preposition is a name, not a common noun."""
        at = span.index(word)
        first = at
        while first > 0 and span[first - 1].tag.pos != "PP" and (span[first - 1].text[:1].isupper()
                                                               or span[first - 1].text in ("-", "och")):
            first -= 1
        while first < at and not span[first].text[:1].isupper():
            first += 1
        if not span[first].text[:1].isupper() or first == 0 or span[first - 1].tag.pos != "PP":
            return None
        return self._new_vehicle(self.relater.text[span[first].start : word.end], head)

    def _specific_vehicle(self, words: list[Word], word: Word, head: Optional[str]) -> Optional[str]:
        """'enligt hemsjukvårdsöverenskommelsen i Halland': a definite compound more specific than
        the generic nouns of cooperation names one agreement; 'i <Place>' after it is part of it."""
        if not word.tag.has("DEF") or word.lemma in _generic_vehicles() or len(word.lemma) < len(head or "") + 4:
            return None
        name = word.text[:1].upper() + word.text[1:]
        i = words.index(word)
        if i + 2 < len(words) and words[i + 1].lemma == "i" and words[i + 2].tag.pos == "PM":
            name += " i " + words[i + 2].text
        for actor in reversed(self._vehicles):
            if fold(self.actors[actor].name).startswith(fold(word.lemma)):
                return actor
        return self._new_vehicle(name, head)

    def _new_vehicle(self, name: str, head: Optional[str]) -> str:
        kind = Kind(_lexicon()["heads"].get(head, "group"))
        actor_id = slug(name)
        if actor_id not in self.actors:
            self.actors[actor_id] = Actor(id=actor_id, name=name, kind=kind)
        self._vehicles.append(actor_id)
        return actor_id

    # -- facts ---------------------------------------------------------------

    def _status(self, s: Sentence, words: list[Word], at: Optional[int] = None) -> Status:
        """The clause's status; what a new agreement replaces ("ersätter den överenskommelse som A
        och B undertecknade") has ended."""
        before = [w for w in words if at is None or w.start < at]
        if any(w.tag.pos == "VB" and w.lemma in _lexicon()["replacement"] and not w.tag.has("SFO") for w in before):
            return Status.ended
        return sentence_status(s.text, self.relater.motion_rejected)

    def _emit(self, parties: list[str], vehicle: Optional[str], status: Status, s: Sentence, rule: str) -> None:
        parties = [p for p in parties if p != vehicle]
        if vehicle is not None:
            rel_type = RelationType.PARTY_TO if self.actors[vehicle].kind is Kind.agreement \
                else RelationType.PARTICIPATES_IN
            for party in parties:
                for quoted in self._quotes(s, party):
                    self.facts.append(Fact(party, vehicle, rel_type, status, quoted, rule))
        pairs = [(a, b, status) for a, b in combinations(parties, 2)]
        if vehicle is not None:  # a member that joins cooperates with the members it joins
            earlier: dict[str, Status] = {m: weaker(status, st) for m, st in self._members.get(vehicle, [])}
            for start, m, known in self._known_members.get(vehicle, []):  # told before, by the cue rules
                if start < s.start:
                    earlier[m] = weaker(status, known)  # an invited member is only proposed
            pairs += [(m, p, st) for p in parties for m, st in earlier.items() if m not in parties]
            self._members.setdefault(vehicle, []).extend((p, status) for p in parties)
        for a, b, pair_status in pairs:
            if a == b or self.relater._is_ancestor(a, b) or self.relater._is_ancestor(b, a):
                continue
            for quoted in self._quotes(s, b):
                self.facts.append(Fact(a, b, RelationType.COLLABORATES_WITH, pair_status, quoted, rule, via=vehicle))
        self._item_of.clear()

    def _quotes(self, s: Sentence, party: str) -> list[Sentence]:
        """The sentence that announces a list and, for a member listed under it, its own line."""
        item = self._item_of.get(party)
        return [s, item] if item is not None else [s]


# -- helpers -------------------------------------------------------------------


def _denied(words: list[Word], verb: int, first: Optional[int], last: Optional[int]) -> bool:
    """'A och B ingår inte i nätverket', 'Därför har inte A och B tecknat': a negation between
    the list and its verb, or right after the verb, denies the joint action."""
    lo, hi = (last + 1, verb + 3) if last is not None and verb > last else (verb + 1, (last or verb) + 3)
    negations = denial_words()
    return any(w.text.lower() in negations for w in words[lo : min(hi, len(words))])


def _denied_after(words: list[Word], verb: int) -> bool:
    """A negation right after a verb ('omfattar inte', 'ingår inte'), unless it limits rather
    than denies ('omfattar inte bara A utan även B')."""
    after = [w.text.lower() for w in words[verb + 1 : verb + 3]]
    if not after or after[0] not in denial_words():
        return False
    return not (len(after) > 1 and after[1] in _LIMITING)


#: Words after "inte" that make it limit, not deny: "inte bara", "inte enbart", "inte endast", "inte minst".
_LIMITING = frozenset({"bara", "enbart", "endast", "minst"})


@lru_cache(maxsize=1)
def _list_gap() -> re.Pattern[str]:
    """What may stand between two names of one list: commas, a dash, an inclusive word, an
    abbreviation in brackets ("Effektiv samordning (EST), ...")."""
    words = "|".join(sorted(_lexicon()["inclusive"], key=len, reverse=True))
    return re.compile(rf"^(?:\s+(?:i|region)\s+[A-ZÅÄÖ][\w-]*)?(?:\s*\([^()\n]{{1,20}}\))?[\s,–-]*(?:(?:{words})\s+)?"
                      rf"(?:de\s+|det\s+|den\s+)?(?:(?:[a-zåäö]+\s+){{0,2}}[a-zåäö]+(?:na|ena)\s*[–:]\s*)?$")


@lru_cache(maxsize=1)
def _frame_surface() -> re.Pattern[str]:
    """Written forms of the membership frames' words, to find the sentences worth tagging."""
    stems = "|".join(sorted(load("relations")["frame_surface"], key=len, reverse=True))
    return re.compile(rf"\b(?:{stems})")


@lru_cache(maxsize=1)
def _copula_forms() -> frozenset[str]:
    return frozenset(load("relations")["copula_surface"])


@lru_cache(maxsize=1)
def _agent_surface() -> re.Pattern[str]:
    """Written forms of the passives of running and founding ("drivs", "bildades")."""
    return re.compile(r"\b(?:%s)\b" % "|".join(load("relations")["agent_surface"]))


@lru_cache(maxsize=1)
def _distributive() -> re.Pattern[str]:
    """Words that make a coordinated subject act each on its own ("respektive", "var för sig")."""
    return phrase_pattern(_lexicon()["distributive"])


def _tag(model, s: Sentence, lists: list[Member] = ()) -> list[Word]:
    """The sentence's words with their tags; in a long sentence with lists, only a window
    around them (the verb, the frame and the vehicle stand near the list they govern)."""
    found = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(s.text)]
    if not found:
        return []
    if lists and len(found) > WINDOW_WORDS:
        first = next(i for i, (_, a, _) in enumerate(found) if s.start + a >= lists[0].start)
        last = max(i for i, (_, a, _) in enumerate(found) if s.start + a < lists[-1].end)
        found = found[max(0, first - WINDOW_BEFORE) : last + 1 + WINDOW_AFTER]
    if len(found) > MAX_WORDS:
        return []
    tags = model.tag([w for w, _, _ in found], names=False)
    return [Word(w, s.start + a, s.start + b, t) for (w, a, b), t in zip(found, tags)]


#: Words before "där" that may name the vehicle its relative clause is about.
WHERE_REACH = 12

#: Words between the verb and "medlemmar:" in "X är ett förbund med fyra medlemmar: ...".
COUNTED_GAP = 8

#: A sentence longer than this (in words) is tagged only around its lists, this far on each side.
WINDOW_WORDS = 30
WINDOW_BEFORE = 10
WINDOW_AFTER = 14


@lru_cache(maxsize=1)
def _surface() -> re.Pattern[str]:
    """Word starts of the lexicon's verbs and nouns, to skip sentences that hold none of them."""
    data = load("relations")
    stems = set(data["surface_extra"]) | set(data["frame_surface"])
    for entry in [*data["joint_predicates"], *data["membership_verbs"], *data["composition_verbs"], *data["agent_verbs"],
                  *data["member_nouns"]]:
        word = entry.split()[0]
        stems.add(word[:-1] if word.endswith("a") and len(word) >= 5 else word)
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, stems), key=len, reverse=True)) + ")")


def _names_vehicle(lowered: str) -> bool:
    """Does the sentence name a vehicle by its head, alone or in a compound ('samverkansgruppen')?"""
    return _vehicle_heads_pattern().search(lowered) is not None


@lru_cache(maxsize=1)
def _vehicle_heads_pattern() -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, _lexicon()["heads"]), key=len, reverse=True)))


def _worth_reading(lowered: str) -> bool:
    return _surface().search(lowered) is not None


def _word_range(words: list[Word], start: int, end: int) -> tuple[Optional[int], Optional[int]]:
    inside = [i for i, w in enumerate(words) if start <= w.start and w.end <= end]
    return (inside[0], inside[-1]) if inside else (None, None)


def _clause_start(words: list[Word], i: int) -> int:
    """The first word of the clause that holds word i: after the last comma, semicolon,
    colon or subordinating word before it."""
    for j in range(i - 1, -1, -1):
        w = words[j]
        if w.text in (",", ";", ":", "–") or w.tag.pos in ("HP", "SN") and w.text.lower() != "att":
            return j + 1
    return 0


def _clause_end(words: list[Word]) -> int:
    """How many words from the start belong to the first clause."""
    for j, w in enumerate(words):
        if j and (w.text in (";", ":") or w.tag.pos in ("HP", "SN") and w.text.lower() != "att"):
            return j
    return len(words)


#: Heads of bodies that are their members' vehicle too: a kommunalförbund, a samordningsförbund.
_BODY_VEHICLE_HEADS = ("förbund",)


def _names_by_head(text: str) -> bool:
    """'Förbundets', 'förbundet': a reference to a body by a vehicle's head ("Förbundets medlemmar
    är ..." names the members of the kommunalförbund the document is about)."""
    word = text.strip().lower()
    return any(word.startswith(head) for head in _BODY_VEHICLE_HEADS)


def _federation(name: str) -> bool:
    """'Samordningsförbundet Norrsund': a body named by a vehicle head in the definite form (a
    förbund is a body of its own and its members' vehicle at once)."""
    first = name.split(" ", 1)[0].lower()
    return any(first.endswith(head + ending) for head in _BODY_VEHICLE_HEADS for ending in ("et", "en", ""))


def _when_after(words: list[Word], j: int) -> bool:
    """Is the word after preposition j a month, a season or a year ("i januari", "i höst", "i 2026")?"""
    nxt = words[j + 1].text.lower() if j + 1 < len(words) else ""
    return nxt in MONTHS or nxt in load("cues")["season_months"] or nxt in ("höst", "vår", "sommar") or nxt.isdigit()


def _agentive_passive(words: list[Word], verb: int) -> bool:
    """'drivs av', 'bildades 2022 av', 'leds sedan 2022 av': a passive of a verb of running or
    founding (relations.yaml: agent_verbs) whose agent follows "av" within a few words."""
    w = words[verb]
    if w.lemma not in _lexicon()["agent"] or not w.tag.has("SFO"):
        return False
    return any(x.lemma == "av" and x.tag.pos == "PP" for x in words[verb + 1 : verb + 1 + AGENT_GAP])


#: Words between a sentence's first verb and a passive joined to it by "och" ("pågår sedan januari 2025 och drivs").
JOINED_VERB_GAP = 8

#: The words of a fronted phrase on a document's own effort at most ("I det praktiska genomförandet").
OWN_EFFORT_WORDS = 4

#: How far into a sentence the vehicle it is about may be named ("Sedan 2016 är X ...").
TOPIC_START = 15

#: Words between a passive verb and the "av" of its agent ("bildades i mars 2022 av").
AGENT_GAP = 5


def _finite(tag: Tag) -> bool:
    return tag.has("PRS") or tag.has("PRT")


def _vehicle_head(lemma: str) -> Optional[str]:
    """The vehicle head a (compound) lemma ends with: 'samverkansgrupp' -> 'grupp'."""
    return next((head for head in _heads_longest_first() if lemma.endswith(head)), None)


@lru_cache(maxsize=1)
def _heads_longest_first() -> tuple[str, ...]:
    return tuple(sorted(_lexicon()["heads"], key=len, reverse=True))


@lru_cache(maxsize=1)
def _generic_vehicles() -> frozenset[str]:
    """Lemmas of the general nouns of cooperation: they name no one vehicle by themselves."""
    heads = set(_lexicon()["heads"])
    return frozenset(heads | {p + h for h in heads for p in ("samverkans", "samarbets", "avsikts")}
                     | {fold(n).lower() for n in load("cues")["agreement_nouns"]} | set(load("cues")["agreement_nouns"]))


def _vehicle_word(words: list[Word]) -> Optional[Word]:
    return next((w for w in words if w.tag.pos == "NN" and _vehicle_head(w.lemma)), None)
