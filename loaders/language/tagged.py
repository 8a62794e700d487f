"""The language layer's tags on our own tokens, and the actors they show.

The tagger sees the words of spaCy's tokens (which keep their character offsets), one
sentence at a time; each block's Doc then carries one Tag (or None) per token in
`doc.user_data["tags"]`. Only sentences that may name an actor nobody listed are tagged
(a capitalised word outside the names already found, see attach_tags): filler prose and
sentences whose every name the gazetteer knows cost nothing.

From the tags come the actors no list names: persons (a run of proper nouns the NE
tagger calls a person), places (a proper noun it calls a place: an area), and
institutions (its inst runs, with a kind from their head noun). They fill gaps only:
a span that the gazetteer or a pattern already covers keeps that reading.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Optional

from spacy.lang.sv.stop_words import STOP_WORDS
from spacy.attrs import IDX
from spacy.tokens import Doc

from graph.model import Kind
from loaders.data_files import load
from loaders.language.swedish import Tag, tagger
from loaders.language.spans import Mention, Sentence, text_of, token_range, tokens_mention


def attach_tags(parsed: list[tuple[int, Doc]], sents: list[Sentence], known: list[Mention]) -> int:
    """Tag the stretches of text that may name someone nobody listed; returns the words tagged.

    Around each capitalised word (after a sentence's first) that stands outside every mention
    found so far (`known`, sorted by start), and around each person found by pattern (whose
    end the tags decide), a window of words within the sentence is tagged: the taggers read
    a few words of context on either side, so a window gives the tags the whole sentence
    would, at a fraction of the cost in long sentences. With the layer off nothing is tagged.
    """
    model = tagger()
    for _, doc in parsed:
        doc.user_data["tags"] = None
    if model is None:
        return 0
    spans = [(m.start, m.end) for m in known]
    starts = [s for s, _ in spans]
    # Names whose end the tags decide: a pattern's persons, and projects named in sentence case.
    persons = [(m.start, m.end) for m in known if m.kind is Kind.person or m.rule == "pattern:project"]
    by_block: dict[int, list[tuple[Sentence, list[int]]]] = {}
    for s in sents:
        points = _unexplained_capitals(s, spans, starts) + [a for a, b in persons if s.start <= a < s.end]
        if points:
            by_block.setdefault(s.block, []).append((s, sorted(points)))
    count = 0
    for index, chosen in by_block.items():
        offset, doc = parsed[index]
        tags: list[Optional[Tag]] = [None] * len(doc)
        idx = doc.to_array(IDX).tolist()  # a Python walk over every token cost as much as the tagging
        for s, points in chosen:
            first, last = _first_at(idx, s.start - offset), _first_at(idx, s.end - offset)
            for lo, hi in _windows([_first_at(idx, p - offset) for p in points], first, last):
                words = [t for t in doc[lo:hi] if not t.is_space]
                for token, tag in zip(words, model.tag([t.text for t in words])):
                    tags[token.i] = tag
                count += len(words)
        doc.user_data["tags"] = tags
    return count


#: Tokens of context tagged before and after a word that may start a name.
CONTEXT_BEFORE = 3
CONTEXT_AFTER = 8


def _windows(points: list[int], first: int, last: int) -> list[tuple[int, int]]:
    """Token ranges around the points, within the sentence's tokens first..last, merged where they meet."""
    out: list[tuple[int, int]] = []
    for p in points:
        lo, hi = max(first, p - CONTEXT_BEFORE), min(last, p + CONTEXT_AFTER)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(hi, out[-1][1]))
        else:
            out.append((lo, hi))
    return out


#: A number right after a word in capitals makes it a reference code.
_REFERENCE = re.compile(r"[ \u00a0]?\d")
#: A capitalised word: a name may start here (where no word character or hyphen goes before
#: it, checked by the caller: a look-behind at every character made this the slowest search).
_CAPITALISED = re.compile(r"[A-ZÅÄÖÉ][\w-]*")


def _unexplained_capitals(s: Sentence, spans: list[tuple[int, int]], starts: list[int]) -> list[int]:
    """Where the sentence's capitalised words outside every known name begin."""
    out = []
    text = s.text
    for match in _CAPITALISED.finditer(text, 1):
        if text[match.start() - 1].isalnum() or text[match.start() - 1] in "_-":
            continue  # inside a word ("iPad", "Rinkeby-Kista" is one word from its start)
        at = s.start + match.start()
        i = bisect_right(starts, at) - 1
        if i >= 0 and spans[i][0] <= at < spans[i][1]:
            continue  # inside a name already found
        word = match.group(0)
        if word.lower() in STOP_WORDS or _REFERENCE.match(s.text, match.end()) and word.isupper():
            continue  # "SFS 2023:196", "Dnr KS 2024/112": a reference code, not a name
        out.append(at)
    return out


def _first_at(idx: list[int], char: int) -> int:
    return bisect_left(idx, char)


def tags_of(doc: Doc) -> Optional[list[Optional[Tag]]]:
    return doc.user_data.get("tags")


# -- actors from the tags ----------------------------------------------------------


def language_mentions(parsed: list[tuple[int, Doc]]) -> list[Mention]:
    """Persons, places and institutions the NE tagger finds, one mention per run."""
    out: list[Mention] = []
    for offset, doc in parsed:
        tags = tags_of(doc)
        if not tags:
            continue
        for start, end, kind in _runs(doc, tags):
            mention = _mention(doc, tags, start, end, kind, offset)
            if mention is not None:
                out.append(mention)
    return out


def _runs(doc: Doc, tags: list[Optional[Tag]]) -> list[tuple[int, int, str]]:
    """(start, end, NE type) of each named-entity run."""
    runs = []
    i = 0
    while i < len(doc):
        tag = tags[i]
        if tag is None or not tag.ne.startswith("B-"):
            i += 1
            continue
        kind = tag.ne_type
        end = i + 1
        while end < len(doc) and tags[end] is not None and tags[end].ne == "I-" + kind:
            end += 1
        runs.append((i, end, kind))
        i = end
    return runs


def _mention(doc: Doc, tags: list[Optional[Tag]], start: int, end: int, ne: str, offset: int) -> Optional[Mention]:
    spec = load("language")
    if ne == "place" and end - start >= 2 and tags[end - 1].pos == "NN" and _head_kind(doc[end - 1].text, spec):
        ne = "inst"  # "Ölands Hembygdsförbund": a place's name on an institution's head noun
    if ne == "person":
        # A person's name is proper nouns only: "Sammanfattning" or "Telefon" after it is not a surname.
        end = _proper_run_end(tags, start, end)
        if end - start < 2 or not all(doc[i].is_title or doc[i].is_upper or "-" in doc[i].text for i in range(start, end)):
            return None
        name = " ".join(doc[i].text for i in range(start, end))
        if doc[start].is_upper:
            name = name.title()
        return tokens_mention(doc, start, end, offset, Kind.person, "language:person", name=name)
    if ne == "place":
        end = _proper_run_end(tags, start, end)
        if end == start or not doc[start].is_title:
            return None
        if tags[end - 1].has("GEN"):
            return None  # "Brommas grundskolor": the place qualifies a noun, it is not named as a place
        name = " ".join(doc[i].text for i in range(start, end))
        if name.lower() in spec["not_places"]:
            return None
        return tokens_mention(doc, start, end, offset, Kind.area, "language:place", name=name)
    if ne == "inst":
        while end > start and tags[end - 1].pos in spec["trailing_pos"]:
            end -= 1
        if end == start or not doc[start].is_title or doc[start].is_upper and end - start == 1:
            return None  # "(M)": a party's letter, found by its own rule
        if end - start == 1 and tags[start].has("GEN"):
            return None  # "Brommas grundskolor": a genitive qualifies a noun, it names no party
        words = [doc[i].text for i in range(start, end)]
        if end - start == 1 and words[0].lower() in spec["not_places"]:
            return None  # "Sverige" in a table of partners' countries is no institution
        kind = _kind_of(words, spec)
        if kind is None or not _name_like(doc, tags, start, end, words, spec):
            return None
        name = " ".join(words)
        if tags[end - 1].has("GEN") and name.endswith("s"):
            name = name[:-1]  # "Svensk Handels": the genitive -s is no part of the name (one word was refused above)
        return tokens_mention(doc, start, end, offset, kind, "language:inst", name=name)
    return None


def _name_like(doc: Doc, tags: list[Optional[Tag]], start: int, end: int, words: list[str], spec: dict) -> bool:
    """Is this run a name, not a capitalised common noun ("Lokalpolisområdeschef")?

    A proper noun in it, or a capital inside it ("Svensk Handel"), makes it one; a single
    common noun only when its head is an institution's ("Företagarna").
    """
    if words[-1].lower().endswith(_title_endings()):
        return False  # "Lokalpolisområdeschef": a person's title, whatever the tagger guessed
    if any(tags[i].pos == "PM" for i in range(start, end)):
        return True
    if end - start >= 2:
        return all(w[:1].isupper() for w in words)
    return _head_kind(words[0], spec) is not None


@lru_cache(maxsize=1)
def _title_endings() -> tuple[str, ...]:
    return tuple(load("names")["title_endings"])


def _head_kind(word: str, spec: dict) -> Optional[Kind]:
    lowered = word.lower()
    for ending, kind in spec["inst_heads"]:
        if lowered.endswith(ending):
            return Kind(kind)
    return None


def _proper_run_end(tags: list[Optional[Tag]], start: int, end: int) -> int:
    stop = start
    while stop < end and tags[stop] is not None and tags[stop].pos == "PM":
        stop += 1
    return stop


def _kind_of(words: list[str], spec: dict) -> Optional[Kind]:
    """An institution's kind from its head noun: the last word's ending, then the first's."""
    for word in (words[-1], words[0]):
        kind = _head_kind(word, spec)
        if kind is not None:
            return kind
    if len(words) >= 2 and words[-1] == "AB":
        return Kind.company
    return Kind(spec["inst_default"]) if spec["inst_default"] else None


def extend_projects(mentions: list[Mention], parsed: list[tuple[int, Doc]]) -> list[Mention]:
    """A project's name in sentence case goes on after its capitalised words: "projektet Trygg
    hemma i Umeåregionen", "projektet Gröna gårdar drivs av ...". The tags decide how far: over
    nouns, adjectives and participles, an adverb only where the name goes on after it, and
    "i" before a proper noun that is no municipality or region; a verb, any other word or a
    punctuation mark ends it. Without tags the name stays as the pattern read it."""
    out = []
    docs = [(offset, offset + len(text_of(doc)), doc) for offset, doc in parsed]
    starts = [d[0] for d in docs]
    for m in mentions:
        if m.rule == "pattern:project" and m.kind is Kind.project:
            m = _extended(m, *docs[bisect_right(starts, m.start) - 1])
        out.append(m)
    return out


#: The most words a sentence-case name may add after its capitalised ones.
PROJECT_TAIL_WORDS = 6
_NAME_WORDS = frozenset({"NN", "JJ", "PC"})


def _extended(m: Mention, offset: int, _end: int, doc: Doc) -> Mention:
    tags = tags_of(doc)
    tokens = token_range(doc, m.start - offset, m.end - offset) if tags else None
    if not tokens:
        return m
    from loaders.extraction.names import _places

    end = tokens[1]

    def word(i: int) -> bool:
        t = doc[i]
        return (i < len(doc) and tags[i] is not None and t.is_lower and t.is_alpha
                and t.lower_ not in STOP_WORDS and tags[i].pos in _NAME_WORDS)

    def inner_place(i: int) -> bool:  # "i Umeåregionen": a proper noun that is no municipality or region
        # A capitalised word mid-sentence is a name, whether the tagger calls it a proper noun
        # or (as "Umeåregionen", definite) a noun.
        return (i + 1 < len(doc) and doc[i].lower_ == "i" and tags[i + 1] is not None
                and tags[i + 1].pos in ("PM", "NN") and doc[i + 1].is_title and not _places(doc[i + 1 : i + 3]))

    while end < len(doc) and end - tokens[1] < PROJECT_TAIL_WORDS and "\n" not in doc[end - 1].whitespace_:
        t = doc[end]
        if word(end):
            end += 1
        elif tags[end] is not None and tags[end].pos == "AB" and t.is_lower and t.lower_ not in STOP_WORDS \
                and end + 1 < len(doc) and (word(end + 1) or inner_place(end + 1)):
            end += 1
        elif inner_place(end):
            end += 2
        else:
            break
    if end == tokens[1]:
        return m
    last = doc[end - 1]
    stop = offset + last.idx + len(last.text)
    text = text_of(doc)[m.start - offset : last.idx + len(last.text)]
    return m._replace(end=stop, text=text, name=text)


def trim_names(mentions: list[Mention], parsed: list[tuple[int, Doc]]) -> list[Mention]:
    """A pattern's person ends where the proper nouns end ('Anna Berg Sammanfattning' -> 'Anna Berg')."""
    out = []
    docs = [(offset, offset + len(text_of(doc)), doc) for offset, doc in parsed]
    starts = [d[0] for d in docs]
    for m in mentions:
        if m.kind is Kind.person and m.rule == "pattern:person":
            i = bisect_right(starts, m.start) - 1
            offset, _, doc = docs[i]
            tags = tags_of(doc)
            tokens = token_range(doc, m.start - offset, m.end - offset) if tags else None
            span = doc[tokens[0] : tokens[1]] if tokens else None
            if span is not None and len(span) > 2 and all(tags[t.i] is not None for t in span):
                end = span.end
                while end > span.start + 2 and tags[end - 1].pos != "PM":
                    end -= 1
                if end < span.end:
                    last = doc[end - 1]
                    stop = offset + last.idx + len(last.text)
                    words = " ".join(t.text for t in doc[span.start:end])
                    m = m._replace(end=stop, text=text_of(doc)[span.start_char:last.idx + len(last.text)],
                                   name=words.title() if doc[span.start].is_upper else words)
        out.append(m)
    return out
