"""What ties A to B: direct relations with their quotes, what they share, and paths."""

from __future__ import annotations

from typing import Optional

import networkx as nx
from pydantic import BaseModel

from graph.model import COOPERATION_TYPES, Evidence, Kind, RelationType, Status
from graph.store import Store
from queries.graphs import cooperation_graph

_MEMBERSHIP = {RelationType.PARTY_TO, RelationType.PARTICIPATES_IN}


class Tie(BaseModel):
    relation: RelationType
    status: Status
    via: Optional[str] = None
    since: Optional[str] = None
    evidence: list[Evidence]


class Shared(BaseModel):
    id: str
    name: str
    kind: Kind
    status_a: Status
    status_b: Status


class Step(BaseModel):
    id: str
    name: str
    kind: Kind


class BetweenResult(BaseModel):
    a: Step
    b: Step
    direct: list[Tie]
    shared: list[Shared]
    paths: list[list[Step]]


def between(store: Store, a: str, b: str, max_paths: int = 3) -> BetweenResult:
    ea, eb = store.entity(a), store.entity(b)
    if ea is None or eb is None:
        raise KeyError(a if ea is None else b)
    names = {}

    def step(entity_id: str) -> Step:
        if entity_id not in names:
            e = store.entity(entity_id)
            names[entity_id] = Step(id=entity_id, name=e.label if e else entity_id, kind=e.kind if e else Kind.group)
        return names[entity_id]

    direct = [
        Tie(relation=r.type, status=r.status, via=(step(r.via).name if r.via else None), since=r.since,
            evidence=r.evidence)
        for r in store.relations(entity=a, types=COOPERATION_TYPES)
        if {r.source, r.target} == {a, b}
    ]
    member_a = {r.target: r.status for r in store.relations(entity=a, types=_MEMBERSHIP) if r.source == a}
    member_b = {r.target: r.status for r in store.relations(entity=b, types=_MEMBERSHIP) if r.source == b}
    shared = [
        Shared(id=v, name=step(v).name, kind=step(v).kind, status_a=member_a[v], status_b=member_b[v])
        for v in sorted(set(member_a) & set(member_b))
    ]
    paths: list[list[Step]] = []
    if not direct and not shared:
        graph = cooperation_graph(store)
        try:
            for path in nx.all_shortest_paths(graph, a, b):
                paths.append([step(n) for n in path])
                if len(paths) >= max_paths:
                    break
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            pass
    return BetweenResult(a=step(a), b=step(b), direct=direct, shared=shared, paths=paths)
