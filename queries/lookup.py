"""Turning what a user typed into one entity, or a clear reason why not.

- An exact name wins: the full label ("Kommunstyrelsen (Stockholms stad)") over a name that
  several bodies share ("Kommunstyrelsen"), the name as typed over an inflected form, and
  any exact name or alias over a fuzzy match.
- When several bodies have the name, each is listed with its kind and what it belongs to,
  so the user can type the full label.
- A place name suggests its municipality first ("Stockholm": Stockholms stad), then the
  bodies named after it, then names that are similar; an unrelated name is never offered.
"""

from __future__ import annotations

import re
from typing import Iterable, Optional

from graph.model import Entity, Kind, fold
from graph.names import suggest
from graph.store import Store

#: How many exact matches are read at most: every municipality has a Kommunstyrelsen.
EXACT_LIMIT = 200
#: Below this similarity (rapidfuzz WRatio, 0-100) a name is not suggested at all.
SUGGEST_THRESHOLD = 70.0
SUGGESTIONS = 5


class LookupError_(Exception):
    """No single entity fits the name; the message lists the candidates or nearest names."""

    def __init__(self, name: str, candidates: list[Entity], ambiguous: bool,
                 descriptions: Optional[list[str]] = None) -> None:
        self.name = name
        self.candidates = candidates
        self.ambiguous = ambiguous
        listed = "; ".join(descriptions or [c.label for c in candidates]) or "(inga)"
        if ambiguous:
            message = (f"'{name}' kan avse flera aktörer: {listed}. Skriv hela namnet, "
                       f"t.ex. '{candidates[0].label}'.")
        elif candidates:
            message = f"Hittar ingen aktör som heter '{name}'. Menade du: {listed}?"
        else:
            message = f"Hittar ingen aktör som heter '{name}' och inget liknande namn."
        super().__init__(message)


def lookup(store: Store, name: str) -> Entity:
    """The one entity `name` means, read without its evidence (store.entity(id) has it):
    a lookup only names the body, and a busy body has tens of thousands of quotes."""
    matches = store.find(name, limit=EXACT_LIMIT, evidence=False)
    if not matches:
        raise LookupError_(name, suggestions(store.entities(evidence=False), name), ambiguous=False)
    best = matches[0]
    if best.how in ("exact", "alias"):
        group = _closest([m.entity for m in matches if m.how == best.how], name)
    else:
        group = [m.entity for m in matches if m.how == best.how and m.score >= best.score - 3]
    if len(group) > 1:
        raise LookupError_(name, group, ambiguous=True, descriptions=[_describe(store, e) for e in group])
    return group[0]


def _closest(entities: list[Entity], name: str) -> list[Entity]:
    """Of entities matched exactly, those matched most exactly: the full label as typed,
    then the name (or an alias) as typed, then an inflected form ('Kriminalvårdens')."""
    wanted = fold(name)

    def rank(e: Entity) -> int:
        if fold(e.label) == wanted:
            return 0
        if fold(e.name) == wanted or wanted in {fold(a) for a in e.aliases}:
            return 1
        return 2

    ranks = {e.id: rank(e) for e in entities}
    best = min(ranks.values())
    return sorted((e for e in entities if ranks[e.id] == best), key=lambda e: (e.label, e.id))


def _describe(store: Store, entity: Entity) -> str:
    """'Kommunstyrelsen (Stockholms stad), nämnd/styrelse, del av Stockholms stad'."""
    from viz.labels import kind_label

    parts = [entity.label, kind_label(entity.kind.value).lower()]
    if entity.parent:
        parent = store.entity(entity.parent, evidence=False) if hasattr(store, "entity") else None
        parts.append(f"del av {parent.label if parent else entity.parent}")
    return ", ".join(parts)


# --- Suggestions ------------------------------------------------------------------------------

_PLACE_SUFFIX = re.compile(r"\s+(kommun|stad|kommuner|region|lan|county)$")
_PLACE_PREFIX = re.compile(r"^(region|kommun)\s+")


def place_of(entity: Entity) -> Optional[str]:
    """The folded place a municipality or region is named after: 'Stockholms stad' ->
    'stockholm', 'Botkyrka kommun' -> 'botkyrka', 'Region Skåne' -> 'skane'."""
    if entity.kind not in (Kind.municipality, Kind.region):
        return None
    folded = fold(entity.name)
    place = _PLACE_PREFIX.sub("", _PLACE_SUFFIX.sub("", folded)).strip()
    return place or None


def _place_forms(text: str) -> set[str]:
    """The folded place and its form without a genitive s ('stockholms' -> 'stockholm')."""
    folded = fold(text).strip()
    forms = {folded}
    if folded.endswith("s") and len(folded) > 3:
        forms.add(folded[:-1])
    return forms


def municipalities_of(entities: Iterable[Entity], place: str) -> list[Entity]:
    """The municipalities (then regions) named after `place`."""
    wanted = _place_forms(place)
    found = [e for e in entities if (p := place_of(e)) and _place_forms(p) & wanted]
    return sorted(found, key=lambda e: (e.kind is not Kind.municipality, e.label))


def suggestions(entities: Iterable[Entity], name: str, limit: int = SUGGESTIONS) -> list[Entity]:
    """What to offer for a name that matches nothing: the municipality of a place name, the
    bodies named after it, then names similar enough; never a name merely nearest."""
    entities = list(entities)
    wanted = _place_forms(name)
    out: dict[str, Entity] = {e.id: e for e in municipalities_of(entities, name)}
    if len(fold(name)) >= 3:
        named_after = [e for e in entities
                       if e.id not in out and wanted & {w for word in fold(e.label).replace("(", " ").replace(")", " ")
                                                         .replace("-", " ").split() for w in _place_forms(word)}]
        for e in sorted(named_after, key=lambda e: (len(e.label), e.label)):
            out.setdefault(e.id, e)
    for match in suggest(entities, name, limit=limit * 2):
        if match.score >= SUGGEST_THRESHOLD:
            out.setdefault(match.entity.id, match.entity)
    return list(out.values())[:limit]


def place_hint(store: Store, entity: Entity) -> Optional[Entity]:
    """For an area ('Stockholm', a place): the municipality named after it, which is what a
    user asking for the place's cooperation usually means; None when there is none."""
    if entity.kind is not Kind.area:
        return None
    found = [e for e in municipalities_of(store.entities(evidence=False), entity.name) if e.id != entity.id]
    return found[0] if found else None
