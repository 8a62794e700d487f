"""Names written in sentence case: "insatsen Nästa steg Öst", "IOP Trygg kust".

Swedish capitalises only the first word of most names of projects, insatser and networks, so
the capitalised words alone cut them short ("Nästa", "Trygg"). What marks the name is that
the text repeats it word for word: the words after a word that introduces an effort
("insatsen", "projektet", patterns.yaml: sentence_case_triggers) form its name up to where the
document stops repeating them. The longest run of up to MAX_WORDS words that occurs at least
twice, and does not end in a function word, is taken; every occurrence of it is a mention.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.lang.sv.stop_words import STOP_WORDS

from graph.model import Kind
from loaders.data_files import load
from loaders.language.spans import Mention

#: Words a sentence-case name may have at most.
MAX_WORDS = 4

_WORDS_AFTER = re.compile(r"[A-ZÅÄÖ][\wåäöé-]*(?: [a-zåäöéA-ZÅÄÖ][\wåäöé-]*){0,%d}" % (MAX_WORDS - 1))


@lru_cache(maxsize=1)
def _triggers() -> tuple[re.Pattern[str], dict[str, Kind]]:
    kinds = {word.lower(): Kind(kind) for word, kind in load("patterns")["sentence_case_triggers"].items()}
    words = "|".join(sorted(map(re.escape, kinds), key=len, reverse=True))
    return re.compile(rf"(?<![\wåäö])(?i:({words})) (?=[A-ZÅÄÖ])"), kinds


def repeated_names(text: str) -> list[Mention]:
    """Every occurrence of each sentence-case name the text introduces and repeats, as a mention
    of the kind its introducing word gives; names of one word are left to the other readers."""
    pattern, kinds = _triggers()
    names: dict[str, Kind] = {}
    for found in pattern.finditer(text):
        run = _WORDS_AFTER.match(text, found.end())
        if run is None:
            continue
        name = _repeated_prefix(text, run.group(0).split(" "))
        if name and found.group(1).isupper():  # an acronym that introduces a name is part of it: "IOP Trygg kust"
            name = f"{found.group(1)} {name}" if len(_occurrences(text, f"{found.group(1)} {name}")) >= 2 else ""
        if name:
            names.setdefault(name, kinds[found.group(1).lower()])
    out = []
    for name, kind in names.items():
        for at in _occurrences(text, name):
            out.append(Mention(at, at + len(name), name, kind, "pattern:sentence_case", name=name))
    return out


def _repeated_prefix(text: str, words: list[str]) -> str:
    """The longest run of two or more of the words that the text has at least twice, ending in a
    word that is no function word; "" when there is none."""
    for n in range(len(words), 1, -1):
        if words[n - 1].lower() in STOP_WORDS or not words[n - 1].isalpha() and "-" not in words[n - 1]:
            continue
        candidate = " ".join(words[:n])
        if len(_occurrences(text, candidate)) >= 2:
            return candidate
    return ""


def _occurrences(text: str, phrase: str) -> list[int]:
    """Where the phrase stands as whole words."""
    return [m.start() for m in re.finditer(rf"(?<![\wåäö]){re.escape(phrase)}(?![\wåäö])", text)]
