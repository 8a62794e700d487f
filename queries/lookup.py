"""Turning what a user typed into one entity, or a clear reason why not."""

from __future__ import annotations

from graph.model import Entity
from graph.names import suggest
from graph.store import Store


class LookupError_(Exception):
    """No single entity fits the name; the message lists the candidates or nearest names."""

    def __init__(self, name: str, candidates: list[Entity], ambiguous: bool) -> None:
        self.name = name
        self.candidates = candidates
        self.ambiguous = ambiguous
        listed = ", ".join(c.label for c in candidates) or "(inga)"
        if ambiguous:
            message = f"'{name}' kan avse flera aktörer: {listed}. Ange ett mer exakt namn."
        else:
            message = f"Hittar ingen aktör som heter '{name}'. Närmaste namn: {listed}."
        super().__init__(message)


def lookup(store: Store, name: str) -> Entity:
    """The one entity `name` means, read without its evidence (store.entity(id) has it):
    a lookup only names the body, and a busy body has tens of thousands of quotes."""
    matches = store.find(name, evidence=False)
    if not matches:
        near = [m.entity for m in suggest(store.entities(evidence=False), name, limit=5)]
        raise LookupError_(name, near, ambiguous=False)
    best = matches[0]
    ties = [m for m in matches if m.how == best.how and m.score >= best.score - (0 if best.how != "fuzzy" else 3)]
    if len(ties) > 1:
        raise LookupError_(name, [m.entity for m in ties], ambiguous=True)
    return best.entity
