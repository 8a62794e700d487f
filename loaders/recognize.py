"""Actor mentions: the gazetteer, general patterns, acronyms and generic references.

No trained Swedish NER model can be had here, so recognition is a spaCy blank "sv"
pipeline (tokenizer and sentencizer) with a PhraseMatcher over every inflected form
of the known bodies and a Matcher over patterns that name bodies the gazetteer does
not know ("<Namn> kommun", "Lokalpolisområde <Namn>", "-myndigheten", ...).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterable, Optional

import spacy
from spacy.lang.sv.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from graph.model import Kind
from loaders.data_files import load
from loaders.gazetteer import gazetteer, inflections
from loaders.normalize import NormalText


_WORD = re.compile(r"[\w-]+")


@dataclass(frozen=True)
class Mention:
    """A span of the normalised text that names (or refers to) an actor."""

    start: int
    end: int
    text: str
    kind: Optional[Kind]
    rule: str
    name: Optional[str] = None  # canonical name; None for a generic reference
    generic: Optional[str] = None  # what a generic reference points at, see cues.yaml
    parent: Optional[str] = None


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    block: int


# -- the pipeline --------------------------------------------------------------


@lru_cache(maxsize=1)
def nlp() -> Language:
    """spaCy's Swedish tokenizer, taught the Swedish abbreviations that do not end a sentence."""
    pipeline = spacy.blank("sv")
    for abbreviation in load("text")["abbreviations"]:
        for form in {abbreviation, abbreviation.capitalize()}:
            pipeline.tokenizer.add_special_case(form, [{"ORTH": form}])
    return pipeline


_SENTENCE_END = (".", "!", "?", "…", "!?", "?!", "...")
_CLOSING = ('"', "”", "’", "'", ")", "]", "»")


@lru_cache(maxsize=1)
def _sentence_hashes() -> tuple[frozenset[int], frozenset[int]]:
    strings = nlp().vocab.strings
    return frozenset(strings.add(p) for p in _SENTENCE_END), frozenset(strings.add(p) for p in _CLOSING)


def parse(normal: NormalText) -> list[tuple[int, Doc]]:
    """One spaCy Doc per block, with the block's offset into the normalised text.

    Each Doc keeps its text in user_data: Doc.text rebuilds the string from every token.
    """
    texts = [normal.block_text(b) for b in normal.blocks]
    parsed = []
    for block, text, doc in zip(normal.blocks, texts, nlp().tokenizer.pipe(texts)):
        doc.user_data["text"] = text
        parsed.append((block.start, doc))
    return parsed


def text_of(doc: Doc) -> str:
    return doc.user_data.get("text") or doc.text


def sentence_starts(doc: Doc) -> list[int]:
    """Character offsets where sentences begin: after sentence-final punctuation (and any
    closing quote or bracket), worked out on token arrays rather than token by token.
    Abbreviations ("bl.a.", "enl.") are single tokens, so they end nothing."""
    if not len(doc):
        return []
    ends, closing = _sentence_hashes()
    orth = doc.to_array("ORTH").tolist()
    idx = doc.to_array("IDX").tolist()
    starts = [0]
    ended = False
    for position, token in zip(idx, orth):
        if ended and token not in ends and token not in closing:
            starts.append(position)
            ended = False
        elif token in ends:
            ended = True
    return starts


def sentences(parsed: list[tuple[int, Doc]]) -> list[Sentence]:
    out = []
    for index, (offset, doc) in enumerate(parsed):
        if not len(doc):
            continue
        text = text_of(doc)
        starts = sentence_starts(doc)
        for begin, end in zip(starts, starts[1:] + [len(text)]):
            sentence = text[begin:end].rstrip()
            if sentence:
                out.append(Sentence(offset + begin, offset + begin + len(sentence), sentence, index))
    return out


# -- matchers ------------------------------------------------------------------


# A capitalised word. Function words ("I", "Under", "Det") are trimmed from matches afterwards:
# a stop-word predicate in the pattern would be a Python call for every token of every text.
_NAME_TOKEN = {"IS_TITLE": True}


def _expand(token_pattern: list) -> list[dict]:
    out: list[dict] = []
    for item in token_pattern:
        if item == "$NAME":
            out.append(dict(_NAME_TOKEN))
        elif item == "$NAME+":
            out.append({**_NAME_TOKEN, "OP": "+"})
        else:
            out.append(item)
    return out


@lru_cache(maxsize=1)
def patterns() -> dict:
    return {p["id"]: p for p in load("patterns")["patterns"]}


@lru_cache(maxsize=1)
def _matchers() -> tuple[PhraseMatcher, Matcher]:
    vocab = nlp().vocab
    phrases = PhraseMatcher(vocab, attr="LOWER")
    gaz = gazetteer()
    by_name: dict[str, list[str]] = {}
    for surface, name in gaz.surface.items():
        by_name.setdefault(name, []).append(surface)
    for name, surfaces in by_name.items():
        phrases.add(name, [nlp().make_doc(s) for s in surfaces])
    # Forms with the original diacritics and case: fold() removed them for indexing.
    for body in gaz.bodies.values():
        for label in (body.name, *body.aliases):
            phrases.add(body.name, [nlp().make_doc(f) for f in inflections(label)])
    matcher = Matcher(vocab)
    for pattern_id, spec in patterns().items():
        if "tokens" in spec:
            matcher.add(pattern_id, [_expand(spec["tokens"])], greedy="LONGEST")
    return phrases, matcher


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
    """Words without which no token pattern can match: a block lacking all of them is skipped."""
    words: set[str] = set()
    for spec in patterns().values():
        for item in spec.get("tokens", []):
            if isinstance(item, dict):
                for key in ("LOWER", "TEXT"):
                    value = item.get(key)
                    if isinstance(value, dict) and "IN" in value:
                        words.update(v.lower() for v in value["IN"])
                    elif isinstance(value, str):
                        words.add(value.lower())
    return frozenset(words)


# -- recognition ---------------------------------------------------------------


def recognize(normal: NormalText, parsed: list[tuple[int, Doc]], fuzzy: bool = False) -> list[Mention]:
    """Every actor mention in the document, overlaps resolved in favour of longer spans.

    With fuzzy=True (OCR-damaged text) names that repair could not mend are matched
    approximately against the gazetteer ("Lokalpolisomriade Rinkeby").
    """
    found: list[Mention] = []
    emphasis = {start: end for start, end in normal.emphasis}
    group_heads = tuple(load("patterns")["group_heads"])
    ends = {b.start: b.end for b in normal.blocks}
    for offset, doc in parsed:
        text = normal.text[offset : ends[offset]]
        lowered = text.lower()
        scan = _scan_words(text, offset, doc)
        words = scan.words
        found += _gazetteer_mentions(doc, offset)
        if fuzzy:
            found += _fuzzy_gazetteer_mentions(doc, offset)
        found += _pattern_mentions(doc, offset, emphasis, scan.windows)
        found += scan.mentions
        if any(head in lowered for head in group_heads):
            found += _group_mentions(doc, offset)
        if not words.isdisjoint(_first_names()):
            found += _person_mentions(doc, offset)
        if "(" in text:
            found += _party_mentions(doc, offset)
    if "(" in normal.text:
        found += _acronym_mentions(normal, parsed)
    if " mot " in normal.text:
        found += _against_mentions(parsed)
    found = _coordinations(_without_overlaps(found), parsed)
    return sorted(_without_overlaps(found), key=lambda m: (m.start, m.end))


def _span_mention(span: Span, offset: int, kind: Optional[Kind], rule: str, **kw) -> Mention:
    return Mention(offset + span.start_char, offset + span.end_char, span.text, kind, rule, **kw)


def _gazetteer_mentions(doc: Doc, offset: int) -> list[Mention]:
    phrases, _ = _matchers()
    gaz = gazetteer()
    out = []
    for match_id, start, end in phrases(doc):
        name = nlp().vocab.strings[match_id]
        body = gaz.bodies[name]
        out.append(_span_mention(doc[start:end], offset, body.kind, "gazetteer", name=name, parent=body.parent))
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
                out.append(_span_mention(span, offset, body.kind, "fuzzy", name=body.name, parent=body.parent))
    return out


@dataclass
class WordScan:
    """What one pass over a block's words finds: the words themselves, the mentions single
    words make (generic references, '-myndigheten', '<Namn>-modellen') and the token windows
    around anchor words where the token patterns may match."""

    words: set[str]
    mentions: list[Mention]
    windows: list[tuple[int, int]]


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


def _scan_words(text: str, offset: int, doc: Doc) -> WordScan:
    generic = load("cues")["generic"]
    not_bodies = _not_bodies()
    suffixed = _suffix_patterns()
    all_endings = tuple(e for _, endings in suffixed for e in endings)
    regexes = _word_patterns()
    anchors = _anchors()
    lowered = text.lower()
    words = set(_WORD.findall(lowered))
    # Most words of a text are none of these: decide per distinct word, then visit only those.
    wanted = {w for w in words if w in generic or w in anchors or (w.endswith(all_endings) and w not in not_bodies)}
    capitalised: set[str] = set()
    if "modell" in lowered or "området" in lowered:
        capitalised = {w for w in _WORD.findall(text)
                       if w[:1].isupper() and any(p.fullmatch(w) for _, p in regexes)}
    mentions: list[Mention] = []
    anchor_chars: list[tuple[int, int]] = []
    if not wanted and not capitalised:
        return WordScan(words, mentions, anchor_chars)
    if len(lowered) == len(text):
        spans = _occurrences(lowered, wanted) + _occurrences(text, capitalised)
    else:  # a rare character whose lower case is longer: go word by word
        spans = [m.span() for m in _WORD.finditer(text)
                 if m.group(0).lower() in wanted or m.group(0) in capitalised]
    for first, last in sorted(set(spans)):
        word = text[first:last]
        lowered_word = word.lower()
        if lowered_word in anchors:
            anchor_chars.append((first, last))
        start, end = offset + first, offset + last
        if lowered_word in generic:
            # A genitive ("stadens utsatta områden") modifies a noun; it is marked so that it is
            # neither taken as a party nor, alone, as a reason to put the body on the map.
            rule = "generic:possessive" if lowered_word.endswith("s") else "generic"
            mentions.append(Mention(start, end, word, None, rule, generic=generic[lowered_word]))
        elif lowered_word.endswith(all_endings) and lowered_word.isalpha() and lowered_word not in not_bodies:
            for spec, endings in suffixed:
                ending = next((e for e in endings if lowered_word.endswith(e)), None)
                if ending and len(lowered_word) - len(ending) >= 3:
                    mentions.append(Mention(start, end, word, Kind(spec["kind"]), f"pattern:{spec['id']}",
                                            name=_definite_base(word), parent=spec.get("parent")))
                    break
        elif word in capitalised:
            for spec, pattern in regexes:
                if pattern.fullmatch(word):
                    rule = f"pattern:{spec['id']}"
                    if spec["canonical"] == "model":
                        stem = re.match(r"([A-ZÅÄÖ][a-zåäö]+?)-?modell", word).group(1)
                        mentions.append(Mention(start, end, word, Kind.programme, rule, name=f"{stem}-modellen"))
                    elif spec["canonical"] == "area":
                        mentions.append(Mention(start, end, word, Kind.area, rule, name=word[: -len("området")]))
                    break
    return WordScan(words, mentions, _windows(doc, anchor_chars))


def _windows(doc: Doc, anchor_chars: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Token ranges around the anchor words of the token patterns, merged where they touch."""
    ranges: list[tuple[int, int]] = []
    for first, last in anchor_chars:
        span = doc.char_span(first, last, alignment_mode="expand")
        if span is None:
            continue
        lo, hi = max(0, span.start - WINDOW), min(len(doc), span.end + WINDOW)
        if ranges and lo <= ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], max(hi, ranges[-1][1]))
        else:
            ranges.append((lo, hi))
    return ranges


@lru_cache(maxsize=1)
def _not_bodies() -> frozenset[str]:
    return frozenset(load("patterns")["not_bodies"])


#: Tokens on each side of an anchor word that a pattern may span.
WINDOW = 6


def _pattern_mentions(doc: Doc, offset: int, emphasis: dict[int, int],
                      windows: list[tuple[int, int]]) -> list[Mention]:
    """Token patterns, run only on windows around their anchor words: most of a document has none."""
    _, matcher = _matchers()
    matches = []
    for lo, hi in windows:
        matches += [(match_id, lo + start, lo + end) for match_id, start, end in matcher(doc[lo:hi])]
    out = []
    for match_id, start, end in matches:
        spec = patterns()[nlp().vocab.strings[match_id]]
        start, end = _trim_function_words(doc, start, end, spec)
        if start is None:
            continue
        span = doc[start:end]
        if spec["canonical"] == "project":
            mention = _project(doc, start, offset, emphasis)
            if mention:
                out.append(mention)
            continue
        if spec["canonical"] == "centre":
            out.append(_centre(span, offset))
            continue
        name_tokens = [t.text for t in span if t.i != _head_index(span, spec)]
        name = spec["canonical"].format(name=" ".join(name_tokens))
        out.append(
            _span_mention(span, offset, Kind(spec["kind"]), f"pattern:{spec['id']}", name=name,
                          parent=spec.get("parent"))
        )
    return out


def _trim_function_words(doc: Doc, start: int, end: int, spec: dict) -> tuple[Optional[int], int]:
    """Drop capitalised function words from the name part of a match; None when nothing is left."""
    tokens = spec.get("tokens", [])
    name_first = bool(tokens) and isinstance(tokens[0], str)  # "$NAME ... kommun"
    if name_first:
        while start < end - 1 and doc[start].lower_ in STOP_WORDS:
            start += 1
        return (start, end) if doc[start].lower_ not in STOP_WORDS and start < end - 1 else (None, end)
    while end > start + 1 and doc[end - 1].lower_ in STOP_WORDS:
        end -= 1
    return (start, end) if end > start + 1 else (None, end)


def _head_index(span: Span, spec: dict) -> int:
    """The token of a pattern that is its fixed word rather than part of the name."""
    first = spec["tokens"][0]
    return span[0].i if isinstance(first, dict) else span[-1].i


def _definite_base(word: str) -> str:
    """'Kronofogdemyndighetens' -> 'Kronofogdemyndigheten'; capitalised as a name."""
    for cls in load("morphology")["noun_classes"]:
        definite, genitive = (cls[2], cls[3]) if len(cls) >= 4 else (None, None)
        if genitive and word.lower().endswith(genitive):
            word = word[: len(word) - len(genitive)] + definite
            break
    return word[:1].upper() + word[1:]


def _centre(span: Span, offset: int) -> Mention:
    """"Botkyrka kommuns våldspreventiva center" -> "Våldspreventivt center i Botkyrka".

    The mention covers only the centre's own words, so the municipality keeps its mention.
    """
    place = span[0].text
    words = span[2:]
    adjectives = [_neuter(t.text) for t in words[:-1]]
    name = " ".join([*adjectives, "center", "i", place])
    return Mention(offset + words.start_char, offset + words.end_char, words.text, Kind.programme,
                   "pattern:centre", name=name[:1].upper() + name[1:])


def _neuter(adjective: str) -> str:
    """Definite to indefinite neuter: 'våldspreventiva' -> 'våldspreventivt', 'gemensamma' -> 'gemensamt'."""
    if not adjective.endswith("a"):
        return adjective
    stem = adjective[:-1]
    if len(stem) > 2 and stem[-1] == stem[-2]:
        stem = stem[:-1]
    return stem + "t"


def _person_mentions(doc: Doc, offset: int) -> list[Mention]:
    """A known first name followed by one or two capitalised surnames: 'Niklas Thorén', 'ANNA KÖNIG JERLMYR'."""
    first_names = _first_names()
    out = []
    i = 0
    while i < len(doc):
        token = doc[i]
        if token.lower_ in first_names and (token.is_title or token.is_upper):
            end = i + 1
            while end < len(doc) and end < i + 3 and _surname(doc[end], first_names, token.is_upper):
                end += 1
            if end > i + 1:
                span = doc[i:end]
                name = span.text.title() if token.is_upper else span.text
                out.append(_span_mention(span, offset, Kind.person, "pattern:person", name=name))
                i = end
                continue
        i += 1
    return out


def _surname(token, first_names: frozenset[str], upper: bool) -> bool:
    shape_ok = token.is_upper if upper else token.is_title
    return (shape_ok and token.is_alpha or "-" in token.text and token.text[:1].isupper()) \
        and token.lower_ not in first_names and token.lower_ not in STOP_WORDS


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    return frozenset(n.lower() for n in load("names")["first_names"])





@lru_cache(maxsize=1)
def _parties() -> dict:
    return {b.abbreviation: b for b in gazetteer().bodies.values() if b.abbreviation}


def _party_mentions(doc: Doc, offset: int) -> list[Mention]:
    """'(V)' after a politician's name is Vänsterpartiet."""
    parties = _parties()
    out = []
    for t in doc[1:-1]:
        if t.text in parties and doc[t.i - 1].text == "(" and doc[t.i + 1].text == ")":
            body = parties[t.text]
            out.append(_span_mention(doc[t.i - 1 : t.i + 2], offset, Kind.party, "pattern:party", name=body.name))
    return out


def _against_mentions(parsed: list[tuple[int, Doc]]) -> list[Mention]:
    """'myndighetssamverkan mot organiserad brottslighet' names a cooperation; later the bare
    'myndighetssamverkan' is that same cooperation."""
    spec = load("patterns")
    heads = set(spec["against_heads"])
    dropped = set(spec["against_adjectives_dropped"])
    found: list[tuple[int, Doc, int, int, str]] = []  # (offset, doc, start, end, head)
    for offset, doc in parsed:
        for t in doc[:-2]:
            if t.lower_ not in heads or doc[t.i + 1].lower_ != "mot":
                continue
            end = t.i + 2
            stop = set(spec["against_stop"])
            while end < len(doc) and end < t.i + 6 and doc[end].is_alpha and doc[end].is_lower \
                    and doc[end].lower_ not in stop:
                end += 1
            if end == t.i + 2:
                continue
            start = t.i
            while start > 0 and doc[start - 1].lower_ in dropped:
                start -= 1
            found.append((offset, doc, start, end, t.lower_))
    # Where a name is written out more than once, the shortest writing that starts all the
    # others is the name ("... brottslighet" rather than "... brottslighet tar").
    names_by_head: dict[str, list[str]] = {}
    for offset, doc, start, end, head in found:
        words = doc[start:end].text
        names_by_head.setdefault(head, []).append(" ".join(w for w in words.split() if w.lower() not in dropped))
    named: dict[str, str] = {}
    for head, names in names_by_head.items():
        shortest = min(names, key=len)
        named[head] = shortest if all(n.lower().startswith(shortest.lower()) for n in names) else ""
    out: list[Mention] = []
    for offset, doc, start, end, head in found:
        own = " ".join(w for w in doc[start:end].text.split() if w.lower() not in dropped)
        name = named[head] or own
        last = start + len(doc[start:end].text.split()) - (len(own.split()) - len(name.split()))
        span = doc[start:last]
        out.append(_span_mention(span, offset, Kind.group, "pattern:against", name=name[:1].upper() + name[1:]))
    named = {head: name for head, name in named.items() if name}
    for offset, doc in parsed:
        for t in doc:
            if t.lower_ in named and t.lower_ not in {"samverkan", "råd", "rådet", "nätverk", "nätverket"}:
                out.append(_span_mention(doc[t.i : t.i + 1], offset, Kind.group, "pattern:against", name=named[t.lower_]))
    return out


def _project(doc: Doc, start: int, offset: int, emphasis: dict[int, int]) -> Optional[Mention]:
    """'projektet *Trefas – förstärkt samverkan*' or 'projektet Trefas – förstärkt samverkan med ...'."""
    first = doc[start + 1]
    absolute = offset + first.idx
    if absolute in emphasis:
        end_char = emphasis[absolute] - offset
        span = doc.char_span(first.idx, end_char, alignment_mode="expand")
    else:
        end = start + 2
        connectors = set(load("patterns")["name_connectors"])
        while end < len(doc):
            if doc[end].is_title and doc[end].lower_ not in STOP_WORDS:
                end += 1
            elif doc[end].lower_ in connectors and end + 1 < len(doc) and doc[end + 1].is_title:
                end += 2
            else:
                break
        if end + 1 < len(doc) and doc[end].text in {"–", "-", ":"}:
            tail = end + 1
            while tail < len(doc) and tail < end + 5 and doc[tail].is_alpha and doc[tail].lower_ not in STOP_WORDS:
                tail += 1
            if tail > end + 1:
                end = tail
        span = doc[start + 1 : end]
    if span is None or not span.text.strip():
        return None
    text = span.text.strip(" –-:")
    return Mention(offset + span.start_char, offset + span.start_char + len(text), text,
                   Kind.project, "pattern:project", name=text)


def _group_mentions(doc: Doc, offset: int) -> list[Mention]:
    spec = load("patterns")
    heads = set(spec["group_heads"])
    dropped = set(spec["group_qualifiers_dropped"])
    endings = tuple(spec["group_qualifier_endings"])
    out = []
    for token in doc:
        if token.lower_ not in heads:
            continue
        start = token.i
        while start > 0 and doc[start - 1].is_lower and doc[start - 1].lower_.endswith(endings) \
                and doc[start - 1].lower_ not in STOP_WORDS:
            start -= 1
        qualifiers = [t.lower_ for t in doc[start : token.i] if t.lower_ not in dropped]
        if not qualifiers:
            continue
        name = " ".join(qualifiers + [token.lower_])
        out.append(_span_mention(doc[start : token.i + 1], offset, Kind.group, "pattern:group",
                                 name=name[:1].upper() + name[1:]))
    return out


_ACRONYM = re.compile(r"^[A-ZÅÄÖ]{2,6}$")


_DEFINED = re.compile(r"\(([A-ZÅÄÖ]{2,6})\)")


def _acronym_mentions(normal: NormalText, parsed: list[tuple[int, Doc]]) -> list[Mention]:
    """'sociala insatsgrupper (SIG)' defines SIG; later 'SIG' and the phrase name the same thing."""
    definitions: dict[str, tuple[str, Kind]] = {}
    out: list[Mention] = []
    defined = [m.start(1) for m in _DEFINED.finditer(normal.text)]
    if not defined:
        return out
    for offset, doc in parsed:
        hits = [d - offset for d in defined if offset <= d < offset + len(text_of(doc))]
        for char in hits:
            span = doc.char_span(char, char + 1, alignment_mode="expand")
            if span is None or span.start < 2 or span.start + 1 >= len(doc):
                continue
            t = doc[span.start]
            if not (_ACRONYM.match(t.text) and doc[t.i - 1].text == "(" and doc[t.i + 1].text == ")"):
                continue
            phrase = _expansion(doc, t.i - 1, t.text)
            if phrase is None or gazetteer().lookup(t.text):
                continue
            kind = _kind_by_head(phrase.text)
            if kind is None:
                continue
            name = phrase.text[:1].upper() + phrase.text[1:]
            definitions[t.text] = (name, kind)
            definitions[phrase.text.lower()] = (name, kind)
    if not definitions:
        return out
    for offset, doc in parsed:
        block = text_of(doc).lower()
        if not any(form.lower() in block for form in definitions):
            continue
        lowered = [t.lower_ for t in doc]
        for form, (name, kind) in definitions.items():
            words = form.lower().split()
            for i in range(len(doc) - len(words) + 1):
                if lowered[i : i + len(words)] == words and (form.lower() != form or doc[i].text == form):
                    out.append(_span_mention(doc[i : i + len(words)], offset, kind, "acronym", name=name))
    return out


def _expansion(doc: Doc, paren: int, acronym: str) -> Optional[Span]:
    """The shortest run of words before '(' whose letters spell the acronym, first letter first."""
    for length in range(1, 6):
        start = paren - length
        if start < 0 or not all(t.is_alpha for t in doc[start:paren]):
            return None
        span = doc[start:paren]
        letters = span.text.lower()
        if letters[0] != acronym[0].lower():
            continue
        pos = 0
        for ch in acronym.lower():
            pos = letters.find(ch, pos)
            if pos < 0:
                break
            pos += 1
        else:
            return span
    return None


def _kind_by_head(phrase: str) -> Optional[Kind]:
    """The kind named by the first word that carries one: 'samverkansgrupp mot ...' is a group."""
    for word in phrase.lower().split():
        for stem, kind in load("patterns")["kind_by_head"]:
            if stem in word:
                return Kind(kind)
    return None


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
        span = doc.char_span(mention.start - offset, mention.end - offset, alignment_mode="expand")
        if span is None or len(span) < 2:
            continue
        head = span[-1].lower_
        base_head = plural.get(head, head.rstrip("s") if head.endswith(("nämnds", "förvaltnings")) else head)
        if not base_head.startswith("stadsdels"):
            continue
        i = span.start - 1
        while i >= 1 and doc[i].lower_ in {",", "och", "samt"} and doc[i - 1].is_title \
                and doc[i - 1].lower_ not in STOP_WORDS:
            conj = doc[i - 1]
            extra.append(replace(mention, start=offset + conj.idx, end=offset + conj.idx + len(conj.text),
                                 text=conj.text, rule="coordination", name=f"{conj.text} {base_head}"))
            i -= 2
        if head in plural or head != base_head:
            name_tokens = span[:-1].text
            mention_name = f"{name_tokens} {base_head}"
            if mention.name != mention_name and mention.rule != "gazetteer":
                extra.append(replace(mention, name=mention_name))
    return [m for m in mentions if not any(e.start == m.start and e.end == m.end for e in extra)] + extra


def _doc_at(docs: list[tuple[int, int, Doc]], char: int) -> tuple[Optional[Doc], int]:
    for offset, end, doc in docs:
        if offset <= char < end:
            return doc, offset
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
