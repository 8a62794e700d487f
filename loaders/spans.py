"""Text units: spaCy's Swedish tokenizer over each block, sentences, and the mention record.

The tokenizer is taught the Swedish abbreviations that do not end a sentence ("bl.a.",
"enl."); sentences are then read off token arrays, which is much cheaper than running
a sentence-splitting pipe over every block.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from typing import NamedTuple, Optional

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from graph.model import Kind
from loaders.data_files import load
from loaders.normalize import NormalText

_SENTENCE_END = (".", "!", "?", "…", "!?", "?!", "...")
_CLOSING = ('"', "”", "’", "'", ")", "]", "»")


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


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    forms = load("text")["abbreviations"]
    return frozenset(f for a in forms for f in (a, a.capitalize()))


#: Characters around a word that do not belong to it: "(bl.a." and "m.fl.)," are still abbreviations.
_OPENING = "(\"'«“‘["
_TRAILING = ")]\"'»”’,;:"


def _in_abbreviation(text: str, at: int) -> bool:
    """Is the full stop at text[at] part of an abbreviation ("enl.", "t.o.m.")?"""
    start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1
    ends = [e for e in (text.find(" ", at), text.find("\n", at)) if e >= 0]
    word = text[start : min(ends, default=len(text))].lstrip(_OPENING).rstrip(_TRAILING)
    return word in _abbreviations()


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
    A full stop that belongs to an abbreviation ("bl.a.", "enl.") ends nothing."""
    if not len(doc):
        return []
    ends, closing = _sentence_hashes()
    orth = doc.to_array("ORTH").tolist()
    idx = doc.to_array("IDX").tolist()
    text = text_of(doc)
    starts = [0]
    ended = False
    for position, token in zip(idx, orth):
        if ended and token not in ends and token not in closing:
            starts.append(position)
            ended = False
        elif token in ends and not (text[position] == "." and _in_abbreviation(text, position)):
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
