"""The small alias index the map ships, so its search box forgives what the CLI forgives.

Every actor of the store is in it, also those the map does not draw: the page can then
say that an actor exists but has no ties instead of claiming it does not exist. Keys are
folded as graph.model.fold folds (case, diacritics, dashes and white space); the page
folds what the user types the same way and tries its inflected forms (map.js).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Optional

from graph.model import Entity, fold

#: Combining accents after Unicode decomposition: removed by one regular expression, not
#: letter by letter as fold() does (4,000 actors' names and aliases took a fifth of a second).
_MARKS = re.compile("[\u0300-\u036f]+")
_SEPARATORS = re.compile(r"[\-\u2010-\u2015_/\s]+")


def fast_fold(text: str) -> str:
    """fold(text): the same result whenever it is plain ASCII (Swedish names are), else fold() itself."""
    plain = _MARKS.sub("", unicodedata.normalize("NFKD", text.lower()))
    if not plain.isascii():
        return fold(text)
    return _SEPARATORS.sub(" ", plain).strip()


def keys_of(entity: Entity) -> list[str]:
    """The folded name, label and aliases of an actor, each once, name first."""
    return list(dict.fromkeys(fast_fold(text) for text in (entity.name, entity.label, *entity.aliases) if text.strip()))


def alias_index(drawn: list[str], actors: Iterable[Entity],
                tied: Optional[set[str]] = None) -> tuple[list[list], list[list]]:
    """(index, absent): index rows are [folded key, ref] where ref is the node's position in
    `drawn` or, for an actor not on the map, -1 - its position in `absent`; absent rows are
    [name, kind, tied] of the actors that exist but are not drawn: tied is 1 when the actor
    has ties in the store that this map leaves out (`tied`: the actors with any tie; None
    when the map draws every tie, so an actor not drawn has none)."""
    position = {node: i for i, node in enumerate(drawn)}
    index: list[list] = []
    absent: list[list] = []
    for entity in actors:
        ref = position.get(entity.id)
        if ref is None:
            ref = -1 - len(absent)
            absent.append([entity.label, entity.kind.value, int(tied is not None and entity.id in tied)])
        index.extend([key, ref] for key in keys_of(entity))
    return index, absent
