"""A Swedish vocabulary of word forms, expanded from the hunspell-sv dictionary.

The PyPI package hunspell-sv installs sv_SE.dic/.aff under <prefix>/share/hunspell.
Its stems carry suffix flags; applying the .aff rules gives about a million word
forms, which is what OCR repair looks words up in. Loaded only when a damaged text
needs it, once per process.
"""

from __future__ import annotations

import re
import sys
import sysconfig
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional


class VocabularyMissing(Exception):
    """hunspell-sv is not installed; OCR repair cannot look words up."""


@dataclass(frozen=True)
class Vocabulary:
    forms: frozenset[str]
    compound_starts: frozenset[str]

    def __contains__(self, word: str) -> bool:
        return word.lower() in self.forms

    def knows(self, word: str) -> bool:
        """A known form, or a compound of known forms ('samverkans' + 'överenskommelse')."""
        w = word.lower()
        if w in self.forms:
            return True
        return self._compound(w, depth=0)

    def _compound(self, w: str, depth: int) -> bool:
        if depth > 2:
            return False
        for cut in range(len(w) - 3, 2, -1):
            head, tail = w[:cut], w[cut:]
            if (head in self.forms or head in self.compound_starts) and (
                tail in self.forms or self._compound(tail, depth + 1)
            ):
                return True
        return False


def dictionary_dir() -> Optional[Path]:
    for base in {sys.prefix, sys.base_prefix, sysconfig.get_paths()["data"]}:
        candidate = Path(base) / "share" / "hunspell"
        if (candidate / "sv_SE.dic").exists():
            return candidate
    return None


def _suffix_rules(aff: str) -> dict[str, list[tuple[str, str, re.Pattern[str]]]]:
    rules: dict[str, list[tuple[str, str, re.Pattern[str]]]] = {}
    lines = aff.splitlines()
    i = 0
    while i < len(lines):
        parts = lines[i].split()
        if len(parts) == 4 and parts[0] == "SFX" and parts[2] in "YN" and parts[3].isdigit():
            flag, count = parts[1], int(parts[3])
            block = []
            for line in lines[i + 1 : i + 1 + count]:
                p = line.split()
                strip = "" if p[2] == "0" else p[2]
                add = p[3].split("/")[0]
                condition = p[4] if len(p) > 4 else "."
                block.append((strip, "" if add == "0" else add, re.compile(f"(?:{condition})$")))
            rules[flag] = block
            i += count + 1
            continue
        i += 1
    return rules


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    directory = dictionary_dir()
    if directory is None:
        raise VocabularyMissing("the Swedish dictionary is missing: pip install hunspell-sv")
    rules = _suffix_rules((directory / "sv_SE.aff").read_text(encoding="utf-8"))
    forms: set[str] = set()
    starts: set[str] = set()
    for line in (directory / "sv_SE.dic").read_text(encoding="utf-8").splitlines()[1:]:
        word, _, flags = line.partition("/")
        if not word:
            continue
        forms.add(word.lower())
        if "X" in flags:
            starts.add(word.lower())
        for flag in flags:
            for strip, add, condition in rules.get(flag, ()):
                if condition.search(word) and word.endswith(strip):
                    forms.add((word[: len(word) - len(strip)] + add).lower())
    return Vocabulary(frozenset(forms), frozenset(starts))
