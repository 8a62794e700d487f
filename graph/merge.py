"""Merging two records about the same thing, shared by every store and by extraction.

Merging must be idempotent and order-independent (the same evidence twice is kept
once, lists come out sorted) so that re-ingesting a document changes nothing.
"""

from __future__ import annotations

from graph.model import Entity, Evidence, Relation


def merge_evidence(first: list[Evidence], second: list[Evidence]) -> list[Evidence]:
    by_key = {e.key(): e for e in first}
    for e in second:
        by_key.setdefault(e.key(), e)
    return [by_key[k] for k in sorted(by_key)]


def merge_aliases(first: list[str], second: list[str], name: str) -> list[str]:
    return sorted({a for a in [*first, *second] if a and a != name})


def merge_entity(current: Entity, incoming: Entity) -> Entity:
    attributes = dict(incoming.attributes)
    attributes.update(current.attributes)
    return current.model_copy(
        update={
            "aliases": merge_aliases(current.aliases, incoming.aliases, current.name),
            "parent": current.parent or incoming.parent,
            "attributes": attributes,
            "evidence": merge_evidence(current.evidence, incoming.evidence),
        }
    )


def merge_relation(current: Relation, incoming: Relation) -> Relation:
    return current.model_copy(
        update={
            "via": current.via or incoming.via,
            "since": min(filter(None, [current.since, incoming.since]), default=None),
            "evidence": merge_evidence(current.evidence, incoming.evidence),
        }
    )
