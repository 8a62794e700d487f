"""Whole-word search for any of a list of cue phrases, as one regular expression shaped as a trie.

A plain alternation ("samverkan|samverkar|samarbete|...") behind a word-boundary lookbehind
makes Python's regex engine try every phrase at every character of the text. Sharing
prefixes ("samverk(?:an|ar)|samarbet...") lets it drop a position after one character,
and opening each branch with its literal first character (the boundary is checked just
after it) lets the engine skip straight to the characters a phrase can start with.
The match is the longest phrase at the leftmost position, as with a longest-first
alternation.
"""

from __future__ import annotations

import re
from typing import Iterable

_END = ""


def _trie(phrases: Iterable[str]) -> dict:
    root: dict = {}
    for phrase in phrases:
        if not phrase:
            continue
        node = root
        for char in phrase:
            node = node.setdefault(char, {})
        node[_END] = {}
    return root


def _branches(node: dict, boundary: str) -> str:
    """The regex for the phrases below node; empty when node only ends one. boundary goes
    right after the first character (then no longer)."""
    alternatives = [re.escape(char) + boundary + _branches(node[char], "")
                    for char in sorted(k for k in node if k != _END)]
    if not alternatives:
        return ""
    optional = _END in node
    if len(alternatives) == 1 and not optional:
        return alternatives[0]
    return "(?:" + "|".join(alternatives) + ")" + ("?" if optional else "")


def alternation(phrases: Iterable[str]) -> str:
    """Regex source matching any of the phrases, longest first where one extends another."""
    return _branches(_trie(phrases), "") or "(?!)"


def phrase_pattern(phrases: Iterable[str], flags: int = 0) -> re.Pattern[str]:
    """A pattern whose group 1 is the longest listed phrase found as whole words.

    Phrases are matched as written: lower-case them, and the text, for a case-blind search.
    """
    trie = _trie(phrases)
    if not trie:
        return re.compile(r"(?!)()")  # matches nothing, but has the group callers read
    # No word character just before the phrase: checked after its first character.
    return re.compile("(" + _branches(trie, r"(?<!\w.)") + r")(?!\w)", flags)
