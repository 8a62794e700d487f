"""Named things beyond the bodies of the gazetteer: persons and their parties, projects,
municipal centres, named groups ("... mot ..."), and acronyms defined in parentheses.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from spacy.lang.sv.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span

from graph.model import Kind
from loaders.data_files import load
from loaders.extraction.gazetteer import gazetteer
from loaders.reading.normalize import NormalText
from loaders.language.spans import Mention, span_mention, text_of

_ACRONYM = re.compile(r"^[A-ZÅÄÖ]{2,6}$")
_DEFINED = re.compile(r"\(([A-ZÅÄÖ]{2,6})\)")


def centre_mention(span: Span, offset: int) -> Mention:
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


def person_mentions(doc: Doc, offset: int) -> list[Mention]:
    """A known first name followed by one or two capitalised surnames: 'Niklas Thorén', 'ANNA KÖNIG JERLMYR'."""
    known = first_names()
    out = []
    i = 0
    while i < len(doc):
        token = doc[i]
        if token.lower_ in known and (token.is_title or token.is_upper):
            end = i + 1
            while end < len(doc) and end < i + 3 and _surname(doc[end], known, token.is_upper):
                end += 1
            if end > i + 1:
                span = doc[i:end]
                name = span.text.title() if token.is_upper else span.text
                out.append(span_mention(span, offset, Kind.person, "pattern:person", name=name))
                i = end
                continue
        i += 1
    return out


def _surname(token, first_names: frozenset[str], upper: bool) -> bool:
    shape_ok = token.is_upper if upper else token.is_title
    return (shape_ok and token.is_alpha or "-" in token.text and token.text[:1].isupper()) \
        and token.lower_ not in first_names and token.lower_ not in STOP_WORDS \
        and not token.lower_.endswith(_title_endings())


@lru_cache(maxsize=1)
def _title_endings() -> tuple[str, ...]:
    return tuple(load("names")["title_endings"])


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    return frozenset(n.lower() for n in load("names")["first_names"])


@lru_cache(maxsize=1)
def _parties() -> dict:
    return {b.abbreviation: b for b in gazetteer().bodies.values() if b.abbreviation}


def party_mentions(doc: Doc, offset: int) -> list[Mention]:
    """'(V)' after a politician's name is Vänsterpartiet."""
    parties = _parties()
    out = []
    for t in doc[1:-1]:
        if t.text in parties and doc[t.i - 1].text == "(" and doc[t.i + 1].text == ")":
            body = parties[t.text]
            out.append(span_mention(doc[t.i - 1 : t.i + 2], offset, Kind.party, "pattern:party", name=body.name))
    return out


def against_mentions(parsed: list[tuple[int, Doc]]) -> list[Mention]:
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
            connectors = set(spec["name_connectors"])
            while end > t.i + 2 and doc[end - 1].lower_ in connectors:  # "... ungdomskriminalitet i Uppsala"
                end -= 1
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
        out.append(span_mention(span, offset, Kind.group, "pattern:against", name=name[:1].upper() + name[1:]))
    named = {head: name for head, name in named.items() if name}
    for offset, doc in parsed:
        for t in doc:
            if t.lower_ in named and t.lower_ not in {"samverkan", "råd", "rådet", "nätverk", "nätverket"}:
                out.append(span_mention(doc[t.i : t.i + 1], offset, Kind.group, "pattern:against", name=named[t.lower_]))
    return out


#: Quotation marks around a project's name, and the most words such a name may have.
_QUOTES = frozenset(['"', "”", "“", "«", "»", "'"])
QUOTED_NAME_TOKENS = 10


def project_mention(doc: Doc, start: int, offset: int, emphasis: dict[int, int],
                    kind: Kind = Kind.project) -> Optional[Mention]:
    """'projektet *Trefas – förstärkt samverkan*' or 'projektet Trefas – förstärkt samverkan med ...';
    a network is named the same way ("nätverket Tryggare Norrby", kind group)."""
    first = doc[start + 1]
    absolute = offset + first.idx
    if first.text in _QUOTES:
        closing = next((i for i in range(start + 2, min(len(doc), start + 2 + QUOTED_NAME_TOKENS))
                        if doc[i].text in _QUOTES), None)
        if closing is None or all(t.lower_ in STOP_WORDS or not t.is_alpha for t in doc[start + 2 : closing]):
            return None  # no closing quote near, or only small words inside: no name
        span = doc[start + 2 : closing]
    elif absolute in emphasis:
        end_char = emphasis[absolute] - offset
        span = doc.char_span(first.idx, end_char, alignment_mode="expand")
    else:
        end = start + 2
        connectors = set(load("patterns")["name_connectors"])
        while end < len(doc):
            if "\n" in doc[end - 1].whitespace_ or doc[end].is_space:
                break  # a name ends with its line: the next line's capital starts something else
            if doc[end].is_title and doc[end].lower_ not in STOP_WORDS:
                end += 1
            elif doc[end].lower_ in connectors and end + 1 < len(doc) and doc[end + 1].is_title \
                    and not _places(doc[end + 1 : end + 3]):
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
                   kind, "pattern:project", name=text)


def _places(words: Span) -> bool:
    """'Lyftet i Botkyrka kommun': the words after 'i' name a municipality or region, not the project."""
    body = gazetteer().lookup(words.text)
    return body is not None and body.kind in (Kind.municipality, Kind.region)


def group_mentions(doc: Doc, offset: int) -> list[Mention]:
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
        out.append(span_mention(doc[start : token.i + 1], offset, Kind.group, "pattern:group",
                                 name=name[:1].upper() + name[1:]))
    return out


def acronym_mentions(normal: NormalText, parsed: list[tuple[int, Doc]]) -> list[Mention]:
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
                    out.append(span_mention(doc[i : i + len(words)], offset, kind, "acronym", name=name))
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


def titled_effort(normal: NormalText) -> list[Mention]:
    """'Projektplan Barnsteget', 'Projektbeskrivning för Trygg natt': a document whose title is
    a project document's kind and a name is about the effort of that name; the kind's word is
    not part of it (patterns.yaml: effort_document_types). Only the first block is a title."""
    if not normal.blocks:
        return []
    block = normal.blocks[0]
    line = normal.block_text(block)
    found = _effort_title().match(line)
    if found is None or not found.group(2)[:1].isupper() or found.group(2).replace(" ", "").isdigit():
        return []
    kind = Kind(load("patterns")["effort_document_types"][found.group(1).lower()])
    start = block.start + found.start(2)
    name = found.group(2)
    return [Mention(start, start + len(name), name, kind, "title:effort", name=name)]


@lru_cache(maxsize=1)
def _effort_title() -> re.Pattern[str]:
    """The kind's word, "för" or "om" and "projektet" if written, then the name: up to five
    words, to the line's end or a subtitle's dash or colon."""
    kinds = "|".join(map(re.escape, load("patterns")["effort_document_types"]))
    return re.compile(r"\s*(%s)\s+(?:(?:för|om)\s+)?(?:projektet\s+)?([^\s:–—]+(?:\s[^\s:–—]+){0,4})\s*(?:[:–—].*)?$"
                      % kinds, re.IGNORECASE)
