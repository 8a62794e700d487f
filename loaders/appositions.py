"""Named efforts that Swedish introduces by apposition, with no word like "projektet" before them.

A report names a local effort once, beside the common noun that says what it is:
- the name after the noun phrase, between commas: "ett lokalt jobbspår mot lager och logistik,
  Logistikspåret, som ..." or "ett eget projekt med gårdsvärdar, Gårdslyftet, men ...";
- the name first, the noun phrase after it: "Språnget, en arbetsträning för unga vuxna, som ...",
  at the start of a sentence or a list item.
The head of the noun phrase (a compound's last part: "jobbspår", "arbetsträning") says that the
name is an effort and of which kind; the heads are data (cues.yaml: apposition_heads). The name is
one or two capitalised words that are no place and no function word.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.lang.sv.stop_words import STOP_WORDS

from graph.model import Kind
from loaders.data_files import load
from loaders.gazetteer import place_names
from loaders.spans import Mention

#: One or two capitalised words, a hyphenated part allowed ("Stegvis-poolen").
_NAME = r"([A-ZÅÄÖ][a-zåäöé]+(?:-[a-zåäöé]+)?(?: [A-ZÅÄÖ][a-zåäöé]+)?)"
#: Words of a noun phrase before and after its head (adjectives, a short prepositional phrase).
_BEFORE_HEAD = r"(?:[a-zåäöé-]+ ){0,3}?"
_AFTER_HEAD = r"(?: [a-zåäöé]+){0,6}?"


@lru_cache(maxsize=1)
def _heads() -> dict[str, Kind]:
    return {head: Kind(kind) for head, kind in load("cues")["apposition_heads"].items()}


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    heads = "|".join(sorted(_heads(), key=len, reverse=True))
    head = rf"([a-zåäö]*(?:{heads}))"
    after = re.compile(rf"\b(?:ett|en) {_BEFORE_HEAD}{head}{_AFTER_HEAD}, {_NAME}(?=,| –| som\b)")
    before = re.compile(rf"(?:^|(?<=[.!?:] )|(?<=\n)|(?<=^[-–•*] )|(?<=\n[-–•*] )){_NAME}, (?:en|ett) {_BEFORE_HEAD}{head}\b",
                        re.MULTILINE)
    return after, before


def apposition_mentions(text: str) -> list[Mention]:
    """The efforts the text names by apposition (see the module's docstring)."""
    if ", " not in text:
        return []
    after, before = _patterns()
    out = []
    for pattern, name_group, head_group in ((after, 2, 1), (before, 1, 2)):
        for m in pattern.finditer(text):
            name = m.group(name_group)
            if _no_name(name):
                continue
            kind = _kind_of(m.group(head_group))
            out.append(Mention(m.start(name_group), m.end(name_group), name, kind, "apposition", name=name))
    return out


def _no_name(name: str) -> bool:
    first = name.split(" ")[0]
    return first.lower() in STOP_WORDS or name in place_names() or first in place_names()


def _kind_of(word: str) -> Kind:
    heads = _heads()
    return next(heads[h] for h in sorted(heads, key=len, reverse=True) if word.endswith(h))
