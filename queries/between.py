"""What ties A to B: direct relations with their quotes, what they share, and paths."""

from __future__ import annotations

from typing import Optional


from graph.model import COOPERATION_TYPES, Evidence, Kind, Model, RelationType, Status
from graph.review import Action, review_line, review_of
from graph.store import Store
from queries.graphs import all_shortest_paths

_MEMBERSHIP = {RelationType.PARTY_TO, RelationType.PARTICIPATES_IN}


class Tie(Model):
    relation: RelationType
    status: Status
    via: Optional[str] = None
    since: Optional[str] = None
    evidence: list[Evidence]
    #: What reviewers said of the tie, one Swedish line ("Granskad: bekräftad av ..."); None if no one did.
    review: Optional[str] = None


class Shared(Model):
    id: str
    name: str
    kind: Kind
    status_a: Status
    status_b: Status


class Step(Model):
    id: str
    name: str
    kind: Kind


class BetweenResult(Model):
    a: Step
    b: Step
    direct: list[Tie]
    shared: list[Shared]
    paths: list[list[Step]]


def _review(statements: list, names: dict) -> Optional[str]:
    """The Swedish review line of a tie, its via ids named; None for a tie no one reviewed."""
    return review_line(statements, {i: n.label for i, n in names.items()}) if statements else None


def between(store: Store, a: str, b: str, max_paths: int = 3) -> BetweenResult:
    """Reads names and relations without evidence, and the evidence of the direct ties only:
    the busiest body's other ties can have tens of thousands of quotes."""
    names = store.names([a, b])
    if a not in names or b not in names:
        raise KeyError(a if a not in names else b)

    def step(entity_id: str) -> Step:
        if entity_id not in names:
            names.update(store.names([entity_id]))
        found = names.get(entity_id)
        return Step(id=entity_id, name=found.label if found else entity_id, kind=found.kind if found else Kind.group)

    ties = [r for r in store.relations(entity=a, types=COOPERATION_TYPES, evidence=False)
            if {r.source, r.target} == {a, b}]
    names.update(store.names({r.via for r in ties if r.via}))
    evidence = store.relation_evidence([r.id for r in ties])
    reviews = {r.id: review_of(store, r.id) for r in ties}
    names.update(store.names({s.value for found in reviews.values() for s in found if s.action is Action.via}))
    direct = [
        Tie(relation=r.type, status=r.status, via=(step(r.via).name if r.via else None), since=r.since,
            evidence=evidence.get(r.id, []), review=_review(reviews[r.id], names))
        for r in ties
    ]
    member_a = {r.target: r.status for r in store.relations(entity=a, types=_MEMBERSHIP, evidence=False)
                if r.source == a}
    member_b = {r.target: r.status for r in store.relations(entity=b, types=_MEMBERSHIP, evidence=False)
                if r.source == b}
    common = sorted(set(member_a) & set(member_b))
    names.update(store.names(common))
    shared = [
        Shared(id=v, name=step(v).name, kind=step(v).kind, status_a=member_a[v], status_b=member_b[v])
        for v in common
    ]
    paths: list[list[Step]] = []
    if not direct and not shared and hasattr(store, "shortest_paths"):
        # A server store finds paths itself, within a bounded depth (graph/neo4j.py).
        found = store.shortest_paths(a, b, COOPERATION_TYPES, max_paths)
        names.update(store.names({n for path in found for n in path}))
        paths = [[step(n) for n in path] for path in found]
    elif not direct and not shared:
        for path in all_shortest_paths(store, a, b):
            paths.append([step(n) for n in path])
            if len(paths) >= max_paths:
                break
    return BetweenResult(a=step(a), b=step(b), direct=direct, shared=shared, paths=paths)
