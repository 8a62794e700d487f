"""Actor mentions: the gazetteer, general patterns and generic references, put together.

No trained Swedish NER model can be had here, so recognition runs spaCy's Swedish
tokenizer (spans.py) with a PhraseMatcher over every inflected form of the known bodies
and a Matcher over patterns that name bodies the gazetteer does not know ("<Namn>
kommun", "Lokalpolisområde <Namn>"); single words ("-myndigheten", "staden") are found
in one scan of the text, and persons, projects, groups and acronyms in names.py.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, NamedTuple, Optional

from spacy.lang.sv.stop_words import STOP_WORDS
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from graph.model import Kind, fold
from loaders.data_files import load
from loaders.extraction.appositions import apposition_mentions
from loaders.extraction.gazetteer import (
    Body, district_names, district_of, gazetteer, inflections, place_names, places_of_municipality,
)
from loaders.extraction.names import (
    acronym_mentions, against_mentions, centre_mention, first_names, group_mentions, party_mentions,
    person_mentions, project_mention, titled_effort,
)
from loaders.reading.normalize import NormalText
from loaders.language.spans import (
    Mention, Sentence, nlp, sentences, span_mention, text_of, token_range, tokens_mention,
)
from loaders.extraction.places import opens_sentence, place_roles
from loaders.extraction.repeated_names import cue_verbs, headed_names, repeated_names
from loaders.language.tagged import attach_tags, extend_projects, language_mentions, trim_names

_WORD = re.compile(r"[\w-]+")




# -- matchers ------------------------------------------------------------------


# A capitalised word. Function words ("I", "Under", "Det") are trimmed from matches afterwards:
# a stop-word predicate in the pattern would be a Python call for every token of every text.
_NAME_TOKEN = {"IS_TITLE": True}


def _expand(token_pattern: list) -> list[list[dict]]:
    """The spaCy patterns one entry of patterns.yaml stands for.

    A word list ({LOWER: {IN: [kommun, kommuns]}}) becomes one pattern per word: spaCy tests
    IN with a Python call for every token it meets, a plain {LOWER: kommun} in C, and this
    made the Matcher the largest single cost of recognition.
    """
    alternatives: list[list[dict]] = [[]]
    for item in token_pattern:
        if item == "$NAME":
            choices = [dict(_NAME_TOKEN)]
        elif item == "$NAME+":
            choices = [{**_NAME_TOKEN, "OP": "+"}]
        else:
            choices = _word_choices(item)
        alternatives = [pattern + [choice] for pattern in alternatives for choice in choices]
    return alternatives


@lru_cache(maxsize=1)
def _compass_prefixes() -> frozenset[str]:
    return frozenset(load("patterns")["compass_prefixes"])


def _word_choices(item: dict) -> list[dict]:
    for key, value in item.items():
        if isinstance(value, dict) and set(value) == {"IN"}:
            rest = {k: v for k, v in item.items() if k != key}
            return [{**rest, key: word} for word in value["IN"]]
    return [item]


@lru_cache(maxsize=1)
def patterns() -> dict:
    return {p["id"]: p for p in load("patterns")["patterns"]}


@lru_cache(maxsize=1)
def _matchers() -> tuple[PhraseMatcher, PhraseMatcher, dict[str, Matcher]]:
    """Names in any case, acronyms in capitals only, and the token patterns by anchor word.

    An acronym in any case would be a common word: "SIG" (sociala insatsgrupper) in
    "yttra sig", "EST" in "est".
    """
    vocab = nlp().vocab
    phrases = PhraseMatcher(vocab, attr="LOWER")
    acronyms = PhraseMatcher(vocab, attr="ORTH")
    gaz = gazetteer()
    capitals = {fold(form) for body in gaz.bodies.values() for label in _acronyms(body)
                for form in inflections(label)}
    by_name: dict[str, list[str]] = {}
    for surface, name in gaz.surface.items():
        if surface not in capitals:
            by_name.setdefault(name, []).append(surface)
    for name, surfaces in by_name.items():
        phrases.add(name, [nlp().make_doc(s) for s in surfaces])
    # Forms with the original diacritics and case: fold() removed them for indexing.
    for body in gaz.bodies.values():
        capital_labels = _acronyms(body)
        for label in (body.name, *body.aliases):
            matcher = acronyms if label in capital_labels else phrases
            matcher.add(body.name, [nlp().make_doc(f) for f in inflections(label)])
    return phrases, acronyms, _anchor_matchers(vocab)


def _acronyms(body: Body) -> list[str]:
    return [label for label in (body.name, *body.aliases) if label.isupper()]


def _anchor_matchers(vocab) -> dict[str, Matcher]:
    """One Matcher per anchor word, holding the token patterns that contain that word.

    The Matcher's cost grows with tokens times patterns. A window is opened around an
    anchor word, so only the patterns that hold one of its anchors need to run there.
    """
    grouped: dict[str, dict[str, list[list[dict]]]] = {}
    for pattern_id, spec in patterns().items():
        for pattern in _expand(spec["tokens"]) if "tokens" in spec else []:
            anchor = _anchor_word(pattern)  # every pattern has one; _anchors() lists them all
            grouped.setdefault(anchor, {}).setdefault(pattern_id, []).append(pattern)
    matchers = {}
    for anchor, by_id in grouped.items():
        matchers[anchor] = Matcher(vocab)
        for pattern_id, alternatives in by_id.items():
            matchers[anchor].add(pattern_id, alternatives, greedy="LONGEST")
    return matchers


def _words_of(pattern: list[dict]) -> list[str]:
    """The fixed words of one expanded token pattern, lower-cased."""
    return [item[key].lower() for item in pattern for key in ("LOWER", "TEXT") if isinstance(item.get(key), str)]


@lru_cache(maxsize=1)
def _word_patterns() -> list[tuple[dict, re.Pattern[str]]]:
    """Single-word patterns given as regular expressions."""
    return [(spec, re.compile(spec["word"])) for spec in patterns().values() if "word" in spec]


@lru_cache(maxsize=1)
def _suffix_patterns() -> list[tuple[dict, tuple[str, ...]]]:
    """Single-word patterns given by their endings, each ending also with a genitive -s."""
    out = []
    for spec in patterns().values():
        if "suffixes" in spec:
            endings = tuple(e for suffix in spec["suffixes"] for e in (suffix, suffix + "s"))
            out.append((spec, endings))
    return out


@lru_cache(maxsize=1)
def _anchors() -> frozenset[str]:
    """The first fixed word of each token pattern, without which it cannot match: windows for
    the Matcher open around them, as wide as _reach() says its patterns reach. The other
    fixed words ("och", "i", "län") are everywhere in Swedish and would open windows for nothing."""
    return frozenset(_reach())


# -- recognition ---------------------------------------------------------------


def recognize(normal: NormalText, parsed: list[tuple[int, Doc]], fuzzy: bool = False,
              sents: Optional[list[Sentence]] = None) -> list[Mention]:
    """Every actor mention in the document, overlaps resolved in favour of longer spans.

    With fuzzy=True (OCR-damaged text) names that repair could not mend are matched
    approximately against the gazetteer ("Lokalpolisomriade Rinkeby").
    """
    found: list[Mention] = []
    emphasis = {start: end for start, end in normal.emphasis}
    scan = _scan_words(normal, parsed)
    block_starts = [offset for offset, _ in parsed]
    # the blocks with a word in capitals, where acronyms are looked for: most have none
    capitals = {_block_of(block_starts, m.start()) for m in _CAPITALS.finditer(normal.text)}
    for index, (offset, doc) in enumerate(parsed):
        text = text_of(doc)
        found += _gazetteer_mentions(doc, offset, index in capitals)
        if fuzzy:
            found += _fuzzy_gazetteer_mentions(doc, offset)
        if index in scan.windows:
            found += _pattern_mentions(doc, offset, emphasis, scan.windows[index])
        found += scan.mentions.get(index, [])  # in block order: overlaps of equal rank keep their order
        if index in scan.group_blocks:
            found += group_mentions(doc, offset)
        if index in scan.name_blocks:
            found += person_mentions(doc, offset)
        if "(" in text:
            found += party_mentions(doc, offset)
    found += titled_effort(normal)
    if "(" in normal.text:
        found += acronym_mentions(normal, parsed)
    if " mot " in normal.text:
        found += against_mentions(parsed)
    found = sorted(_without_overlaps(found), key=lambda m: m.start)
    attach_tags(parsed, sents if sents is not None else sentences(parsed), found)
    found = extend_projects(trim_names(found, parsed), parsed)
    if "- och " in normal.text:
        found = _without_overlaps(found + _coordinated_compounds(normal.text))
    if " kommuner" in normal.text:
        found = _with_shared_head(found, _coordinated_municipalities(normal.text))
    # a heading that opens with a body's name is that body's, not an effort's ("Samordningsförbundet X och Y")
    bodies_at = {m.start for m in found if not m.rule.startswith("language:")}
    headed = [m for m in headed_names(normal) if m.start not in bodies_at]
    found = _with_repeated_names(found, repeated_names(normal.text) + headed)
    found += _in_gaps(apposition_mentions(normal.text), found)
    found += _in_gaps(language_mentions(parsed), found)
    found = _without_overlaps(_coordinations(found, parsed))
    extended = _with_slashed_places(_with_districts(found, normal.text), normal.text)
    if extended is not found:  # a longer name may now cover a mention of its own
        found = _without_overlaps(extended)
    found = _named_heads(sorted(found, key=lambda m: (m.start, m.end)), normal.text)
    found = _with_bare_places(found, normal.text)
    return place_roles(found, normal.text)


def _acts_next(text: str, end: int) -> bool:
    """Is the word after a place a verb of the cue vocabulary or an auxiliary, or does a list go on?"""
    nxt = _FOLLOWING.match(text, end)
    return nxt is not None and (nxt.group(1) in ("och", "samt", ",") or nxt.group(1) in cue_verbs())


#: The word or comma right after a name.
_FOLLOWING = re.compile(r"\s*(,|[a-zåäö]+)")


def _with_bare_places(found: list[Mention], text: str) -> list[Mention]:
    """'Tidaholm ingår i …' in a text that names Tidaholms kommun: the municipality's bare place as
    the subject that opens a sentence (before a verb of the cue vocabulary, or in a list) is a
    place mention that resolve makes the acting municipality. The tagger finds such names only
    now and then."""
    places = places_of_municipality()
    named = {m.name for m in found if m.kind is Kind.municipality and m.name in places}
    if not named:
        return found
    taken = sorted((m.start, m.end) for m in found)
    starts = [a for a, _ in taken]
    extra = []
    for name in named:
        for first, last in _occurrences(text, [f for f in places[name] if f[:1].isupper()]):
            i = bisect_right(starts, first) - 1
            if i >= 0 and taken[i][1] > first or i + 1 < len(taken) and taken[i + 1][0] < last:
                continue  # inside or across another mention
            if not opens_sentence(text, first) or not _acts_next(text, last):
                continue  # only a subject: "Norrby avböjde", "Norrby och Söderby har …", not "Norrby stadsförsamling"
            extra.append(Mention(first, last, text[first:last], Kind.area, "place:bare", name=text[first:last]))
    return sorted(found + extra, key=lambda m: (m.start, m.end)) if extra else found


def _named_heads(mentions: list[Mention], text: str) -> list[Mention]:
    """'Kvinnojouren Tranan', 'Föreningen Hela Staden': an association's head word right before
    a proper name the language layer found is one name with it."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if prev is not None and prev.kind is Kind.ngo and prev.rule.startswith("pattern:") \
                and m.rule.startswith("language:") and text[prev.end : m.start] == " " and m.text[:1].isupper():
            name = f"{prev.name or prev.text} {m.text}"
            out[-1] = prev._replace(end=m.end, text=text[prev.start : m.end], name=name)
            continue
        out.append(m)
    taken = {m.start for m in out}
    # a place the language layer found right after the head may be part of the name ("… Norrby Södra")
    places = {m.start: m for m in out if m.rule.startswith("language:") and m.kind is Kind.area and " " not in m.text}
    absorbed: set[int] = set()
    for i, m in enumerate(out):
        # capitalised words right after the head that no mention explains: "Kvinnojouren Frida",
        # "Idrottsföreningen Norrby Södra"
        end = m.end
        while m.kind is Kind.ngo and m.rule.startswith("pattern:") and len(text[m.end : end].split()) < 3:
            word = _NAME_AFTER.match(text, end)
            if not word or word.group(1).lower() in STOP_WORDS or _BODY_AFTER.match(text, word.end(1)) \
                    or (word.start(1) in taken and word.start(1) not in places):
                break
            end = word.end(1)
        if end > m.end:
            out[i] = m._replace(end=end, text=text[m.start : end], name=f"{m.name or m.text}{text[m.end : end]}")
            absorbed.update(start for start in places if m.end < start < end)
    return [m for m in out if m.start not in absorbed or m.start not in places or places[m.start] is not m]


#: One capitalised word right after a name's head, on the same line.
_NAME_AFTER = re.compile(r" ([A-ZÅÄÖ][a-zåäöé]+)\b(?!:)")
#: Words after a capitalised word that make it the start of another body's name ("… Norrby kommun").
_BODY_AFTER = re.compile(r" (?:kommuns?|stads?|läns?|AB)\b")


#: "Kvinno- och tjejjouren Storsjöbygden": two compounds sharing their head, an association's
#: name, with the place or name after it.
_COORDINATED_COMPOUND = re.compile(r"\b[A-ZÅÄÖ][a-zåäö]+- och [a-zåäö]+(?:jouren|föreningen|förbundet)"
                                   r"(?: [A-ZÅÄÖ][a-zåäö]+(?:-[A-ZÅÄÖ][a-zåäö]+)?)?")


#: "Dalslands miljö- och energiförbund", "Södra Norrbys vatten- och avfallsförbund": a förbund of
#: two fields, named by its area in the genitive.
_COORDINATED_FORBUND = re.compile(r"\b(?:(?:%s) )?[A-ZÅÄÖ][a-zåäö]+s [a-zåäö]+- och [a-zåäö]+förbund\b")


@lru_cache(maxsize=1)
def _coordinated_forbund() -> re.Pattern[str]:
    return re.compile(_COORDINATED_FORBUND.pattern % "|".join(load("patterns")["compass_prefixes"]))


#: "Vård- och omsorgsförvaltningen", "Barn- och ungdomsnämnden": a municipality's unit of two fields.
_COORDINATED_UNIT = re.compile(r"\b[A-ZÅÄÖa-zåäö][a-zåäö]+- och [a-zåäö]+(förvaltningen|nämnden)\b")


def _coordinated_compounds(text: str) -> list[Mention]:
    ngos = [Mention(m.start(), m.end(), m.group(0), Kind.ngo, "pattern:coordinated_compound", name=m.group(0))
            for m in _COORDINATED_COMPOUND.finditer(text)]
    units = [Mention(m.start(), m.end(), m.group(0), Kind.administration if m.group(1) == "förvaltningen" else Kind.board,
                     "pattern:coordinated_compound", name=m.group(0)[:1].upper() + m.group(0)[1:], parent="$MUNICIPALITY")
             for m in _COORDINATED_UNIT.finditer(text)]
    forbund = [Mention(m.start(), m.end(), m.group(0), Kind.agency, "pattern:coordinated_compound", name=m.group(0))
               for m in _coordinated_forbund().finditer(text)]
    return ngos + units + forbund


#: "Lysekils, Sotenäs och Munkedals kommuner": places in the genitive sharing one plural head,
#: matched backwards from the head over the few words before it.
_SHARED_HEAD = re.compile(r"((?:[A-ZÅÄÖ][\wåäö-]+, )*[A-ZÅÄÖ][\wåäö-]+ (?:och|samt) [A-ZÅÄÖ][\wåäö-]+)$")
_PLACE_WORD = re.compile(r"[A-ZÅÄÖ][\wåäö-]+")
#: Characters before " kommuner" that the places may take.
SHARED_HEAD_REACH = 160


def _coordinated_municipalities(text: str) -> list[Mention]:
    """'med Lysekils, Sotenäs och Munkedals kommuner': each place is its municipality. Only
    when every place is a known municipality's (a list of other words is no such phrase)."""
    out: list[Mention] = []
    places = place_names()
    at = text.find(" kommuner")
    while at >= 0:
        lo = max(0, at - SHARED_HEAD_REACH)
        m = _SHARED_HEAD.search(text, lo, at) if text[at - 1 : at].isalpha() else None
        at_end = at + len(" kommuner")
        if m is not None:
            words = list(_PLACE_WORD.finditer(m.group(1)))
            if all(w.group(0) in places for w in words):
                for w in words:
                    start, end = m.start(1) + w.start(), m.start(1) + w.end()
                    if w is words[-1]:
                        end = at_end  # the last place carries the head
                    out.append(Mention(start, end, text[start:end], Kind.municipality, "pattern:shared_head",
                                       name=f"{places[w.group(0)]} kommun"))
        at = text.find(" kommuner", at_end)
    return out


def _with_repeated_names(found: list[Mention], repeated: list[Mention]) -> list[Mention]:
    """Sentence-case names in place of the shorter mentions inside them ("Nästa" of "Nästa steg
    Öst"); where one overlaps a longer mention, the longer one stays."""
    if not repeated:
        return found
    return sorted(_without_overlaps(found + repeated), key=lambda m: m.start)


def _with_shared_head(found: list[Mention], shared: list[Mention]) -> list[Mention]:
    """The municipalities of a shared head in place of whatever covered their words."""
    if not shared:
        return found
    spans = [(m.start, m.end) for m in shared]
    kept = [m for m in found if not any(m.start < e and s < m.end for s, e in spans)]
    return sorted(kept + shared, key=lambda m: m.start)


def _in_gaps(candidates: list[Mention], taken: list[Mention]) -> list[Mention]:
    """The candidates that overlap no taken mention: the language layer fills gaps only."""
    spans = sorted((m.start, m.end) for m in taken)  # taken spans do not overlap: ends are sorted too
    starts = [s for s, _ in spans]
    out = []
    for m in candidates:
        i = bisect_left(starts, m.end)  # the spans that start before m ends
        if i and spans[i - 1][1] > m.start:
            continue
        out.append(m)
    return out


def _gazetteer_mentions(doc: Doc, offset: int, capitals: bool = True) -> list[Mention]:
    """Known bodies by any inflected form; acronyms (in capitals only) where `capitals` says
    the block holds a word in capitals."""
    phrases, acronyms, _ = _matchers()
    gaz = gazetteer()
    out = []
    matches = phrases(doc)
    if capitals:
        matches += acronyms(doc)
    for match_id, start, end in matches:
        name = nlp().vocab.strings[match_id]
        body = gaz.bodies[name]
        out.append(tokens_mention(doc, start, end, offset, body.kind, "gazetteer", name=name, parent=body.parent))
    return out


@lru_cache(maxsize=1)
def _surfaces_by_length() -> dict[int, tuple[list[str], list[str]]]:
    """Folded gazetteer forms (and their bodies) grouped by word count, to compare like with like."""
    out: dict[int, tuple[list[str], list[str]]] = {}
    for surface, name in gazetteer().surface.items():
        if len(surface) >= 8:
            forms, names = out.setdefault(len(surface.split()), ([], []))
            forms.append(surface)
            names.append(name)
    return out


def _fuzzy_gazetteer_mentions(doc: Doc, offset: int) -> list[Mention]:
    from rapidfuzz import fuzz, process

    from graph.model import fold

    cutoff = load("ocr")["fuzzy_name_ratio"]
    gaz = gazetteer()
    out = []
    by_length = _surfaces_by_length()
    for start in range(len(doc)):
        if not (doc[start].is_alpha and doc[start].text[:1].isupper()):
            continue
        for length, (choices, names) in by_length.items():
            end = start + length
            if end > len(doc) or not all(t.is_alpha or "-" in t.text for t in doc[start:end]):
                continue
            span = doc[start:end]
            hit = process.extractOne(fold(span.text), choices, scorer=fuzz.ratio, score_cutoff=cutoff)
            if hit:
                body = gaz.bodies[names[hit[2]]]
                out.append(span_mention(span, offset, body.kind, "fuzzy", name=body.name, parent=body.parent))
    return out


@dataclass
class WordScan:
    """What one pass over a document's words finds: the mentions single words make (generic
    references, '-myndigheten', '<Namn>-modellen'), the token windows of each block around
    anchor words where the token patterns may match, and the blocks that hold a known first
    name or a group head word, where the slower searches for persons and groups are worth it."""

    mentions: dict[int, list[Mention]]  # by block
    windows: dict[int, list["Window"]]
    name_blocks: set[int]
    group_blocks: set[int]


def _occurrences(haystack: str, needles: Iterable[str]) -> list[tuple[int, int]]:
    """Whole-word occurrences of each needle, found with str.find rather than word by word."""
    out = []
    for needle in needles:
        at = haystack.find(needle)
        while at >= 0:
            end = at + len(needle)
            before = haystack[at - 1] if at else " "
            after = haystack[end] if end < len(haystack) else " "
            if not (before.isalnum() or before in "-_") and not (after.isalnum() or after in "-_"):
                out.append((at, end))
            at = haystack.find(needle, at + 1)
    return sorted(out)


@lru_cache(maxsize=1)
def _bare_endings() -> frozenset[str]:
    return frozenset(_all_endings())


@lru_cache(maxsize=1)
def _all_endings() -> tuple[str, ...]:
    return tuple(e for _, endings in _suffix_patterns() for e in endings)


def _scan_words(normal: NormalText, parsed: list[tuple[int, Doc]]) -> WordScan:
    """Single-word mentions and where the costlier matchers should look, in one pass over the
    distinct words of the whole document: most words are none of these, so each is decided
    once, and only the occurrences of the wanted ones are visited."""
    text = normal.text
    generic = load("cues")["generic"]
    not_bodies = _not_bodies()
    all_endings = _all_endings()
    anchors = _anchors()
    lowered = text.lower()
    words = _distinct_words(lowered)
    bare = _bare_endings()  # "samverkan", "forum": an ending alone is no compound, and common
    wanted = {w for w in words if w in generic or w in anchors
              or (w.endswith(all_endings) and w not in not_bodies and w not in bare)}
    capitalised: set[str] = set()
    if "modell" in lowered or "området" in lowered:
        regexes = _word_patterns()
        capitalised = {w for w in _WORD.findall(text)
                       if w[:1].isupper() and any(p.fullmatch(w) for _, p in regexes)}
    names = words & first_names()
    heads = [h for h in load("patterns")["group_heads"] if h in lowered]
    if len(lowered) == len(text):
        spans = _occurrences(lowered, wanted) + _occurrences(text, capitalised)
        name_spans = _occurrences(lowered, names)
    else:  # a rare character whose lower case is longer: go word by word
        spans = [m.span() for m in _WORD.finditer(text)
                 if m.group(0).lower() in wanted or m.group(0) in capitalised]
        name_spans = [m.span() for m in _WORD.finditer(text) if m.group(0).lower() in names]
    block_starts = [offset for offset, _ in parsed]
    anchor_chars: dict[int, list[tuple[int, int, str]]] = {}
    mentions: dict[int, list[Mention]] = {}
    for first, last in sorted(set(spans)):
        word = text[first:last]
        lowered_word = word.lower()
        block = _block_of(block_starts, first)
        if lowered_word in anchors:
            anchor_chars.setdefault(block, []).append((first, last, lowered_word))
        mention = _word_mention(word, lowered_word, first, last, word in capitalised)
        if mention:
            mentions.setdefault(block, []).append(mention)
    windows = {index: _windows(parsed[index], chars) for index, chars in anchor_chars.items()}
    return WordScan(
        mentions,
        {index: ranges for index, ranges in windows.items() if ranges},
        {_block_of(block_starts, first) for first, _ in name_spans},
        _blocks_holding(parsed, heads),
    )


def _distinct_words(text: str) -> set[str]:
    """The distinct words of a text as _WORD finds them, from its whitespace-separated tokens:
    most are words already, and str.split does in C what the regex does a character at a time."""
    out: set[str] = set()
    for token in set(text.split()):
        if token.isalnum():
            out.add(token)
        else:  # punctuation in or around it: "kommun,", "(SIG)", "kommun/region"
            out.update(_WORD.findall(token))
    return out


def _block_of(block_starts: list[int], char: int) -> int:
    """The index of the block holding a character of the normalised text."""
    return bisect_right(block_starts, char) - 1


def _blocks_holding(parsed: list[tuple[int, Doc]], needles: list[str]) -> set[int]:
    if not needles:
        return set()
    out = set()
    for i, (_, doc) in enumerate(parsed):
        lowered = text_of(doc).lower()  # once per block, not once per needle
        if any(n in lowered for n in needles):
            out.add(i)
    return out


def _word_mention(word: str, lowered_word: str, start: int, end: int, capitalised: bool) -> Optional[Mention]:
    """The mention one word makes by itself, if any."""
    generic = load("cues")["generic"]
    if lowered_word in generic:
        # A genitive ("stadens utsatta områden") modifies a noun; it is marked so that it is
        # neither taken as a party nor, alone, as a reason to put the body on the map.
        rule = "generic:possessive" if lowered_word.endswith("s") else "generic"
        return Mention(start, end, word, None, rule, generic=generic[lowered_word])
    if lowered_word.endswith(_all_endings()) and lowered_word.isalpha() and lowered_word not in _not_bodies():
        for spec, endings in _suffix_patterns():
            ending = next((e for e in endings if lowered_word.endswith(e)), None)
            if spec.get("capitalised") and not word[:1].isupper():
                continue
            if ending and len(lowered_word) - len(ending) >= 3:
                return Mention(start, end, word, Kind(spec["kind"]), f"pattern:{spec['id']}",
                               name=_definite_base(word), parent=spec.get("parent"))
        return None
    if capitalised:
        for spec, pattern in _word_patterns():
            if pattern.fullmatch(word):
                rule = f"pattern:{spec['id']}"
                if spec["canonical"] == "model":
                    stem = re.match(r"([A-ZÅÄÖ][a-zåäö]+?)-?modell", word).group(1)
                    return Mention(start, end, word, Kind.programme, rule, name=f"{stem}-modellen")
                if spec["canonical"] == "area":
                    return Mention(start, end, word, Kind.area, rule, name=word[: -len("området")])
                return None
    return None


def _windows(block: tuple[int, Doc], anchor_chars: list[tuple[int, int, str]]) -> list[Window]:
    """Token ranges around the anchor words of the token patterns, merged where they touch."""
    offset, doc = block
    ranges: list[Window] = []
    reach = _reach()
    for first, last, word in anchor_chars:
        tokens = token_range(doc, first - offset, last - offset)
        if tokens is None:
            continue
        before, after = reach[word]
        lo, hi = max(0, tokens[0] - before), min(len(doc), tokens[1] + after)
        if ranges and lo <= ranges[-1].end:
            previous = ranges[-1]
            ranges[-1] = Window(previous.start, max(hi, previous.end), previous.anchors | {word})
        else:
            ranges.append(Window(lo, hi, frozenset([word])))
    return ranges


@lru_cache(maxsize=1)
def _reach() -> dict[str, tuple[int, int]]:
    """How many tokens before and after its first fixed word each pattern can span, by that
    word: one before "kommun" in "$NAME kommun", WINDOW more for a name of any length
    ("$NAME+"). The Matcher's cost grows with the tokens it is given."""
    out: dict[str, tuple[int, int]] = {}
    for spec in patterns().values():
        for pattern in _expand(spec["tokens"]) if "tokens" in spec else []:
            anchor = _anchor_word(pattern)
            at = next(i for i, item in enumerate(pattern) if _words_of([item]) == [anchor])
            before, after = _side_reach(pattern[:at]), _side_reach(pattern[at + 1 :])
            old_before, old_after = out.get(anchor, (0, 0))
            out[anchor] = (max(before, old_before), max(after, old_after))
    return out


def _anchor_word(pattern: list[dict]) -> str:
    """The fixed word a pattern's windows open around: its first, unless that is a word found in
    every sentence ("i" in "$NAME i $NAME AB"), when a rarer one after it serves."""
    words = _words_of(pattern)
    common = _COMMON_FIXED_WORDS
    return next((w for w in words if w not in common), words[0])


#: Fixed words of patterns too common to open windows around ("Bruksgårdar i Norrby AB": "ab" does).
_COMMON_FIXED_WORDS = frozenset({"i", "och", "av", "för", "med", "på", "den", "det", "län"})


def _side_reach(items: list[dict]) -> int:
    """Tokens a run of pattern items can span: one each, or WINDOW beside the fixed ones when
    one of them repeats or may be left out (a name of any length)."""
    fixed = sum(1 for item in items if not item.get("OP"))
    return fixed + WINDOW if len(items) > fixed else fixed


class Window(NamedTuple):
    """Tokens start..end of a block, where the patterns of these anchor words may match."""

    start: int
    end: int
    anchors: frozenset[str]


@lru_cache(maxsize=1)
def _pattern_order() -> dict[int, int]:
    """Match ids in the order patterns.yaml lists the patterns: ties are broken the same way every run."""
    strings = nlp().vocab.strings
    return {strings.add(pattern_id): rank for rank, pattern_id in enumerate(patterns())}


@lru_cache(maxsize=1)
def _not_bodies() -> frozenset[str]:
    return frozenset(load("patterns")["not_bodies"])


#: Tokens on each side of an anchor word that a pattern may span.
WINDOW = 6


def _pattern_mentions(doc: Doc, offset: int, emphasis: dict[int, int], windows: list[Window]) -> list[Mention]:
    """Token patterns, run only on windows around their anchor words: most of a document has none."""
    _, _, matchers = _matchers()
    found = set()
    for lo, hi, anchors in windows:
        span = doc[lo:hi]
        for anchor in anchors & matchers.keys():  # a pattern's matcher is under its first fixed word
            found.update((lo + start, lo + end, match_id) for match_id, start, end in matchers[anchor](span))
    order = _pattern_order()
    matches = [(match_id, start, end) for start, end, match_id in
               sorted(found, key=lambda m: (m[0], m[1], order[m[2]]))]
    out = []
    for match_id, start, end in matches:
        spec = patterns()[nlp().vocab.strings[match_id]]
        start, end = _trim_function_words(doc, start, end, spec)
        if start is None:
            continue
        if spec.get("compass") and start > 0 and doc[start - 1].text in _compass_prefixes():
            start -= 1  # "Södra Norrbys räddningstjänstförbund": looked at here, not by a Matcher predicate
        for start, end in _parts(doc, start, end, spec):
            mention = _pattern_mention(doc, start, end, offset, emphasis, spec)
            if mention is not None:
                out.append(mention)
    return out


def _parts(doc: Doc, start: int, end: int, spec: dict) -> list[tuple[int, int]]:
    """A match as the names it holds. Lines of a list that the text runs together ("Föreningen A
    Föreningen B Munkedals kommun") make one long match: the head again opens another name, and
    a last word that a body's head follows begins that body's name; a municipality's name before
    its head is one or two words (patterns.yaml: max_name_words)."""
    if not isinstance(spec["tokens"][0], dict):
        if spec.get("max_name_words"):
            start = _name_start(doc, start, end - 1, spec["max_name_words"])
        return [(start, end)]
    heads = [i for i in range(start, end) if doc[i].lower_ == doc[start].lower_] + [end]
    parts = list(zip(heads, heads[1:]))
    last_start, last_end = parts[-1]
    if last_end < len(doc) and last_end - last_start > 2 and _BODY_AFTER.match(" " + doc[last_end].text):
        parts[-1] = (last_start, last_end - 1)
    return [(a, b) for a, b in parts if b - a >= 2]


def _pattern_mention(doc: Doc, start: int, end: int, offset: int, emphasis: dict[int, int],
                     spec: dict) -> Optional[Mention]:
    """The mention a token pattern's match makes, named as the pattern says."""
    if spec["canonical"] == "project":
        return project_mention(doc, start, offset, emphasis, Kind(spec["kind"]))
    if spec["canonical"] == "centre":
        return centre_mention(doc[start:end], offset)
    if spec.get("own_name") and not _own_name(doc, start + 1, end):
        return None
    if spec.get("known_place") and not _known_place(doc[start].text):
        return None
    head = _head_index(start, end, spec)
    rest = doc[head + 1 : end].text if head == start else doc[start:head].text  # as written, commas kept
    name = spec["canonical"].format(name=" ".join(doc[i].text for i in range(start, end) if i != head),
                                    head=doc[head].lower_, Head=doc[head].text, rest=rest)
    return tokens_mention(doc, start, end, offset, Kind(spec["kind"]), f"pattern:{spec['id']}", name=name,
                          parent=spec.get("parent"))


@lru_cache(maxsize=1)
def _name_connectors() -> frozenset[str]:
    return frozenset(load("patterns")["name_connectors"])


def _name_start(doc: Doc, start: int, head: int, most: int) -> int:
    """Where a municipality's name before its head begins: at most `most` words, and only the
    last when that is a known municipality's place ("Munkedals" in "… Brastad Munkedals kommun")."""
    if head - start <= 1:
        return start
    if doc[head - 1].text in place_names():
        return head - 1
    return max(start, head - most)


def _known_place(word: str) -> bool:
    """A municipality's place, or a town across the border (patterns.yaml: foreign_towns)."""
    return word in place_names() or word in _foreign_towns()


@lru_cache(maxsize=1)
def _foreign_towns() -> frozenset[str]:
    return frozenset(load("patterns")["foreign_towns"])


@lru_cache(maxsize=1)
def _body_openers() -> frozenset[str]:
    return frozenset(load("patterns")["body_openers"])


def _own_name(doc: Doc, start: int, end: int) -> bool:
    """Are tokens start..end a body's own name after a lower-case word of its kind ("föreningen
    Trygga Gator", "bostadsbolaget Norrbyhem")? Not when they begin another body's name
    ("företaget Lunnaby kommun") or are only a municipality's place ("föreningen i Norrby" aside,
    "föreningen Norrby" says where, not who)."""
    after = doc[end].text if end < len(doc) else ""
    if _BODY_AFTER.match(" " + after) or doc[start].text in _body_openers():
        return False  # "företaget Lunnaby kommun", "bolaget Region Norrland": another body's name
    if after in _name_connectors() and any(t.text == "AB" for t in doc[end + 1 : end + 4]):
        return False  # "fastighetsbolaget Bruksgårdar i Norrby AB": the company's whole name goes on
    return not (end - start == 1 and doc[start].text in place_names())


def _trim_function_words(doc: Doc, start: int, end: int, spec: dict) -> tuple[Optional[int], int]:
    """Drop capitalised function words from the name part of a match; None when nothing is left."""
    tokens = spec.get("tokens", [])
    name_first = bool(tokens) and isinstance(tokens[0], str)  # "$NAME ... kommun"
    if name_first:
        # nor a body of its own: "Hyresgästföreningen Norrby kommun" is two names
        while start < end - 1 and (doc[start].lower_ in STOP_WORDS or doc[start].lower_.endswith(_all_endings())):
            start += 1
        return (start, end) if doc[start].lower_ not in STOP_WORDS and start < end - 1 else (None, end)
    # a capitalised district ends a name ("Räddningstjänsten Dala Mitt"), though "mitt" is also a pronoun
    while end > start + 1 and doc[end - 1].lower_ in STOP_WORDS and doc[end - 1].text not in district_names():
        end -= 1
    return (start, end) if end > start + 1 else (None, end)


def _head_index(start: int, end: int, spec: dict) -> int:
    """The token of a pattern match (tokens start..end) that is its fixed word, not part of the name."""
    return start if isinstance(spec["tokens"][0], dict) else end - 1


@lru_cache(maxsize=4096)
def _definite_base(word: str) -> str:
    """'Kronofogdemyndighetens' -> 'Kronofogdemyndigheten'; capitalised as a name."""
    for cls in load("morphology")["noun_classes"]:
        definite, genitive = (cls[2], cls[3]) if len(cls) >= 4 else (None, None)
        if genitive and word.lower().endswith(genitive):
            word = word[: len(word) - len(genitive)] + definite
            break
    return word[:1].upper() + word[1:]






def _coordinations(mentions: list[Mention], parsed: list[tuple[int, Doc]]) -> list[Mention]:
    """'Rinkeby-Kista och Spånga-Tensta stadsdelsförvaltning': the head is shared by both names."""
    plural = load("morphology")["plural_heads"]
    coordinable = {p["id"] for p in patterns().values() if p.get("coordination")}
    extra: list[Mention] = []
    docs = [(offset, offset + len(text_of(doc)), doc) for offset, doc in parsed]
    for mention in mentions:
        if mention.kind not in (Kind.board, Kind.administration):
            continue
        if not (mention.rule.removeprefix("pattern:") in coordinable or mention.rule == "gazetteer"):
            continue
        doc, offset = _doc_at(docs, mention.start)
        if doc is None:
            continue
        tokens = token_range(doc, mention.start - offset, mention.end - offset)
        if tokens is None or tokens[1] - tokens[0] < 2:
            continue
        span = doc[tokens[0] : tokens[1]]
        head = span[-1].lower_
        base_head = plural.get(head, head.rstrip("s") if head.endswith(("nämnds", "förvaltnings")) else head)
        if not base_head.startswith("stadsdels"):
            continue
        i = span.start - 1
        while i >= 1 and doc[i].lower_ in {",", "och", "samt"} and doc[i - 1].is_title \
                and doc[i - 1].lower_ not in STOP_WORDS:
            conj = doc[i - 1]
            extra.append(mention._replace(start=offset + conj.idx, end=offset + conj.idx + len(conj.text),
                                 text=conj.text, rule="coordination", name=f"{conj.text} {base_head}"))
            i -= 2
        if head in plural or head != base_head:
            name_tokens = span[:-1].text
            mention_name = f"{name_tokens} {base_head}"
            if mention.name != mention_name and mention.rule != "gazetteer":
                extra.append(mention._replace(name=mention_name))
    replaced = {(e.start, e.end) for e in extra}
    return [m for m in mentions if (m.start, m.end) not in replaced] + extra


#: Two capitals in a row: a block without them holds no acronym.
_CAPITALS = re.compile(r"[A-ZÅÄÖ]{2,}")  # a whole run of capitals is one match

#: A capitalised word right after a mention ("Upplands-Bro" is one).
_NEXT_WORD = re.compile(r" ([A-ZÅÄÖ][a-zåäöé]+(?:-[A-ZÅÄÖ][a-zåäöé]+)?)\b")


def _with_districts(mentions: list[Mention], text: str) -> list[Mention]:
    """'Socialförvaltningen Nordost', 'Kvinnojouren Helsingborg': a district or place in the name.

    Returns the list it was given when no name grew, so the caller can skip another overlap pass.

    Without it the four socialförvaltningar of a city would be one actor, and so would every
    town's kvinnojour. The word is only taken from district_names (after a one-word board or
    administration) or, for patterns with place_follows, the municipalities and district_names, or
    for patterns with name_after any name (without one the mention is dropped); a mention of its
    own there (a place) gives way to the longer name.
    """
    out, changed = [], False
    for m in mentions:
        if m.name and " " not in m.name:
            nxt = _NEXT_WORD.match(text, m.end)
            area = _NEXT_WORD.match(text, nxt.end()) if nxt and nxt.group(1) in _compass_prefixes() else None
            word = _qualifier(m, nxt.group(1)) if nxt and not _BODY_AFTER.match(text, nxt.end()) else None
            if area and _qualifier(m, area.group(1)) is not None or area and _names_its_area(m):
                # "Överförmyndarnätverket Sydvästra Skåne": a word of direction and the area it points at
                m = m._replace(end=area.end(), text=text[m.start : area.end()],
                               name=f"{m.name} {nxt.group(1)} {area.group(1)}")
                changed = True
            elif word:
                m = m._replace(end=nxt.end(), text=text[m.start:nxt.end()], name=f"{m.name} {word}")
                second = _NEXT_WORD.match(text, m.end) if _names_freely(m) else None
                if second and _BODY_AFTER.match(text, second.end()):
                    second = None  # "… Norrby Lunnaby kommun": the next word opens another body's name
                if second and (second.group(1).lower() not in STOP_WORDS or district_of(second.group(1))):
                    m = m._replace(end=second.end(), text=text[m.start : second.end()],
                                   name=f"{m.name} {second.group(1)}")
                changed = True
            elif _needs_name(m):  # "Myndighetssamverkan är viktig": a common noun, no effort's name
                changed = True
                continue
        out.append(m)
    return out if changed else mentions


def _names_its_area(mention: Mention) -> bool:
    """Does the mention's pattern take a place after its name ("Jämtlandsnätverket Norr")?"""
    spec = patterns().get(mention.rule.removeprefix("pattern:"))
    return bool(spec and (spec.get("place_follows") or spec.get("name_after")))


def _names_freely(mention: Mention) -> bool:
    spec = patterns().get(mention.rule.removeprefix("pattern:"))
    return bool(spec and spec.get("name_follows_any"))


def _needs_name(mention: Mention) -> bool:
    spec = patterns().get(mention.rule.removeprefix("pattern:"))
    return bool(spec and spec.get("name_after"))


#: "/Knivsta" right after a name: a second place the name covers ("Lokalpolisområde Uppsala/Knivsta",
#: "Gottsunda/Valsätra").
_SLASHED = re.compile(r"/([A-ZÅÄÖ][a-zåäöé]+(?:-[A-ZÅÄÖ][a-zåäöé]+)?)\b(?!/\d)")
#: Kinds whose names end in a place, and so may end in two.
_PLACED_KINDS = frozenset({Kind.police_unit, Kind.ngo, Kind.administration, Kind.board, Kind.area,
                           Kind.group, Kind.company, Kind.project})


def _with_slashed_places(mentions: list[Mention], text: str) -> list[Mention]:
    """A name that ends in "A/B" covers both places: one actor, not an actor and a place.
    Returns the list it was given when no name grew."""
    out, changed = [], False
    for m in mentions:
        slashed = _SLASHED.match(text, m.end) if m.kind in _PLACED_KINDS and text[m.end : m.end + 1] == "/" else None
        if slashed and m.name and text[m.start : m.end].split()[-1][:1].isupper():
            m = m._replace(end=slashed.end(), text=text[m.start : slashed.end()], name=m.name + slashed.group(0))
            changed = True
        out.append(m)
    return out if changed else mentions


def _qualifier(mention: Mention, word: str) -> Optional[str]:
    if mention.kind in (Kind.board, Kind.administration):
        return district_of(word)
    spec = patterns().get(mention.rule.removeprefix("pattern:"))
    lowered = (mention.name or "").lower()
    named_council = mention.kind is Kind.group and lowered.endswith(load("patterns")["council_ending"]) \
        and lowered not in _not_bodies()
    if spec and spec.get("name_after") or named_council:  # "Platssamverkan Tensta", "Gränsrådet Tornedalen": any name
        return word if word.lower() not in STOP_WORDS or district_of(word) else None  # "Mitt" is a quarter
    if not (spec and spec.get("place_follows")):
        return None
    if spec.get("name_follows_any") and word.lower() not in STOP_WORDS and word not in _body_openers():
        return word  # "Folkhälsonätverket Skaraborg": a network's own name, place or not
    return place_names().get(word) or district_of(word)  # "Jämtlandsnätverket Norr": a quarter names it too


def _doc_at(docs: list[tuple[int, int, Doc]], char: int) -> tuple[Optional[Doc], int]:
    """The block holding a character; blocks are in text order and do not overlap."""
    i = bisect_right(docs, char, key=lambda d: d[0]) - 1
    if i >= 0 and docs[i][0] <= char < docs[i][1]:
        return docs[i][2], docs[i][0]
    return None, 0


_RULE_RANK = {"gazetteer": 0, "acronym": 1, "coordination": 2, "fuzzy": 4}


def _without_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Longest span wins; at equal length the gazetteer beats a pattern, a name beats a generic."""
    ranked = sorted(
        mentions,
        key=lambda m: (-(m.end - m.start), m.generic is not None, _RULE_RANK.get(m.rule, 3), m.start),
    )
    taken: list[Mention] = []
    starts: list[int] = []  # starts of taken spans, sorted; taken spans never overlap
    ends: list[int] = []
    for m in ranked:
        i = bisect_left(starts, m.start)
        if (i < len(starts) and starts[i] < m.end) or (i > 0 and ends[i - 1] > m.start):
            continue
        starts.insert(i, m.start)
        ends.insert(i, m.end)
        taken.append(m)
    return taken
