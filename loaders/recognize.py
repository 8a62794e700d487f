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
from typing import Iterable, Optional

from spacy.lang.sv.stop_words import STOP_WORDS
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from graph.model import Kind
from loaders.data_files import load
from loaders.gazetteer import gazetteer, inflections
from loaders.names import (
    acronym_mentions, against_mentions, centre_mention, first_names, group_mentions, party_mentions,
    person_mentions, project_mention,
)
from loaders.normalize import NormalText
from loaders.spans import Mention, nlp, span_mention, text_of

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
            matcher.add(pattern_id, _expand(spec["tokens"]), greedy="LONGEST")
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
            found += group_mentions(doc, offset)
        if not words.isdisjoint(first_names()):
            found += person_mentions(doc, offset)
        if "(" in text:
            found += party_mentions(doc, offset)
    if "(" in normal.text:
        found += acronym_mentions(normal, parsed)
    if " mot " in normal.text:
        found += against_mentions(parsed)
    found = _coordinations(_without_overlaps(found), parsed)
    return sorted(_without_overlaps(found), key=lambda m: (m.start, m.end))


def _gazetteer_mentions(doc: Doc, offset: int) -> list[Mention]:
    phrases, _ = _matchers()
    gaz = gazetteer()
    out = []
    for match_id, start, end in phrases(doc):
        name = nlp().vocab.strings[match_id]
        body = gaz.bodies[name]
        out.append(span_mention(doc[start:end], offset, body.kind, "gazetteer", name=name, parent=body.parent))
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
            mention = project_mention(doc, start, offset, emphasis)
            if mention:
                out.append(mention)
            continue
        if spec["canonical"] == "centre":
            out.append(centre_mention(span, offset))
            continue
        name_tokens = [t.text for t in span if t.i != _head_index(span, spec)]
        name = spec["canonical"].format(name=" ".join(name_tokens))
        out.append(
            span_mention(span, offset, Kind(spec["kind"]), f"pattern:{spec['id']}", name=name,
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
