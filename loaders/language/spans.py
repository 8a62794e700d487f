"""Text units: spaCy's Swedish tokenizer over each block, sentences, and the mention record.

Sentences are read off the tokens at sentence-final punctuation, skipping the Swedish
abbreviations that end in a full stop ("bl.a.", "enl."): much cheaper than running a
sentence-splitting pipe over every block.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import NamedTuple, Optional

import spacy
from spacy.attrs import IDX, LENGTH, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from graph.model import Kind
from loaders.reading.normalize import NormalText, abbreviations

_SENTENCE_END = (".", "!", "?", "…", "!?", "?!", "...")
_CLOSING = ('"', "”", "’", "'", ")", "]", "»")
#: Every token in _SENTENCE_END holds one of these.
_END_CHARACTERS = ".!?…"
_ORTH_IDX = [ORTH, IDX]


class Mention(NamedTuple):
    """A span of the normalised text that names (or refers to) an actor.

    Records made by the thousand per document are named tuples: built in half the time
    of a frozen dataclass, and changed copies (_replace) in a third.
    """

    start: int
    end: int
    text: str
    kind: Optional[Kind]
    rule: str
    name: Optional[str] = None  # canonical name; None for a generic reference
    generic: Optional[str] = None  # what a generic reference points at, see cues.yaml
    parent: Optional[str] = None


class Sentence(NamedTuple):
    start: int
    end: int
    text: str
    block: int


@lru_cache(maxsize=1)
def nlp() -> Language:
    """spaCy's Swedish tokenizer as it comes.

    The abbreviations that do not end a sentence (text.yaml) are not taught to it as
    special cases: every special case that holds a full stop makes spaCy run an extra
    matcher over each text and stop caching the words around it, which doubled the cost
    of tokenising. sentence_starts() reads them off the text instead.
    """
    return spacy.blank("sv")


#: Characters around a word that do not belong to it: "(bl.a." and "m.fl.)," are still abbreviations.
_OPENING = "(\"'«“‘["
_TRAILING = ")]\"'»”’,;:"


def _in_abbreviation(text: str, at: int) -> bool:
    """Is the full stop at text[at] part of an abbreviation ("enl.", "t.o.m.")?"""
    start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1
    head = text[start:at].lstrip(_OPENING)
    if len(head) >= _longest_abbreviation():  # with the full stop, longer than any abbreviation
        return False
    end = text.find(" ", at)
    newline = text.find("\n", at)
    if end < 0 or 0 <= newline < end:
        end = newline if newline >= 0 else len(text)
    return text[start:end].lstrip(_OPENING).rstrip(_TRAILING) in abbreviations()


@lru_cache(maxsize=1)
def _longest_abbreviation() -> int:
    return max(map(len, abbreviations()), default=0)


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


def token_range(doc: Doc, start: int, end: int) -> Optional[tuple[int, int]]:
    """The tokens (first, past-last) that characters start..end of a block touch, as
    doc.char_span(start, end, alignment_mode="expand") has them, found by bisection over the
    tokens' offsets, read once per Doc: char_span makes a Token object for every token it
    passes, and recognition asked it for every anchor word of every block."""
    bounds = doc.user_data.get("bounds")
    if bounds is None:
        array = doc.to_array([IDX, LENGTH]).tolist() if len(doc) else []
        bounds = doc.user_data["bounds"] = ([a for a, _ in array], [a + n for a, n in array])
    starts, ends = bounds
    first = bisect_right(starts, start) - 1
    if first < 0 or ends[first] <= start:  # in the space before the next token
        first += 1
    last = bisect_left(starts, end)
    return (first, last) if first < last else None


def sentence_starts(doc: Doc) -> list[int]:
    """Character offsets where sentences begin: after sentence-final punctuation (and any
    closing quote or bracket). A full stop that belongs to an abbreviation ("bl.a.",
    "enl.") ends nothing.

    Only the tokens at the few punctuation characters of a text are looked at: a walk
    over every token cost as much as the tokenizer that made them.
    """
    if not len(doc):
        return []
    ends, closing = _sentence_hashes()
    text = text_of(doc)
    starts = [0]
    marks = _end_characters(text)
    if not marks:
        return starts
    table = doc.to_array(_ORTH_IDX)
    orth, idx = table[:, 0].tolist(), table[:, 1].tolist()
    resume = 0  # tokens before this one are settled
    for char in marks:
        i = bisect_right(idx, char) - 1
        if i < resume or orth[i] not in ends:
            continue
        resume = i + 1
        if text[idx[i]] == "." and _in_abbreviation(text, idx[i]):
            continue
        while resume < len(orth) and (orth[resume] in ends or orth[resume] in closing):
            resume += 1
        if resume < len(orth):
            starts.append(idx[resume])
    return starts


def _end_characters(text: str) -> list[int]:
    """Where the characters of sentence-final punctuation are, in order."""
    out = []
    for char in _END_CHARACTERS:
        at = text.find(char)
        while at >= 0:
            out.append(at)
            at = text.find(char, at + 1)
    out.sort()
    return out


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


def sentence_at(sents: list[Sentence], starts: list[int], char: int) -> Optional[Sentence]:
    """The sentence holding a character, given the sentences (in order, not overlapping)
    and their start offsets: found by bisection, as documents may hold thousands."""
    i = bisect_right(starts, char) - 1
    if i >= 0 and sents[i].start <= char < sents[i].end:
        return sents[i]
    return None


def span_mention(span: Span, offset: int, kind: Optional[Kind], rule: str, **kw) -> Mention:
    start, end = span.start_char, span.end_char
    # Sliced from the block's text: Span.text joins the tokens anew on every call.
    return Mention(offset + start, offset + end, text_of(span.doc)[start:end], kind, rule, **kw)


def tokens_mention(doc: Doc, start: int, end: int, offset: int, kind: Optional[Kind], rule: str, **kw) -> Mention:
    """span_mention for tokens start..end of doc, without building the Span (a third of the cost)."""
    first, last = doc[start], doc[end - 1]
    begin, finish = first.idx, last.idx + len(last)
    return Mention(offset + begin, offset + finish, text_of(doc)[begin:finish], kind, rule, **kw)
