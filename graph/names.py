"""Forgiving name lookup shared by every store: case, diacritics, inflection and typos.

Users type "polisregion stockholm", "Kriminalvårdens" or "Rinkeby Kista"; a lookup that
demands the canonical spelling is useless to them. When several bodies fit equally well
the caller gets all of them, so it can ask instead of guessing.
"""

from __future__ import annotations

from typing import Iterable

from graph.model import Entity, fold
from graph.store import NameMatch

#: Below this fuzzy score a candidate is not offered as a match, only as a suggestion.
FUZZY_THRESHOLD = 85.0


def _variants(name: str) -> set[str]:
    """The folded query plus forms without a Swedish genitive or definite ending."""
    base = fold(name)
    out = {base}
    if base.endswith("s") and len(base) > 3:
        out.add(base[:-1])
    return out


def find_in(entities: Iterable[Entity], name: str, limit: int = 5) -> list[NameMatch]:
    """Exact name, then alias, then fuzzy matches, best first."""
    entities = list(entities)
    wanted = _variants(name)
    exact = [e for e in entities if fold(e.name) in wanted or fold(e.label) in wanted]
    if exact:
        return [NameMatch(entity=e, how="exact", score=100.0) for e in exact][:limit]
    alias = [e for e in entities if wanted & {fold(a) for a in e.aliases}]
    if alias:
        return [NameMatch(entity=e, how="alias", score=100.0) for e in alias][:limit]
    from rapidfuzz import fuzz  # only a name that matches nothing exactly pays for the import

    wanted_folded = fold(name)
    close = []
    for m in suggest(entities, name, limit):
        labels = [m.entity.name, m.entity.label, *m.entity.aliases]
        score = max(fuzz.ratio(wanted_folded, fold(label)) for label in labels)
        if score >= FUZZY_THRESHOLD:
            close.append(m.model_copy(update={"score": float(score)}))
    return sorted(close, key=lambda m: (-m.score, m.entity.name))


def suggest(entities: Iterable[Entity], name: str, limit: int = 5) -> list[NameMatch]:
    """The nearest names whatever their score: for 'did you mean' messages."""
    from rapidfuzz import fuzz, process

    choices: dict[int, str] = {}
    owners: list[Entity] = []
    for entity in entities:
        for label in dict.fromkeys([entity.name, entity.label, *entity.aliases]):
            choices[len(owners)] = fold(label)
            owners.append(entity)
    if not choices:
        return []
    hits = process.extract(fold(name), choices, scorer=fuzz.WRatio, limit=limit * 4)
    best: dict[str, NameMatch] = {}
    for _label, score, index in hits:
        entity = owners[index]
        if entity.id not in best or best[entity.id].score < score:
            best[entity.id] = NameMatch(entity=entity, how="fuzzy", score=float(score))
    ranked = sorted(best.values(), key=lambda m: (-m.score, m.entity.name))
    return ranked[:limit]
