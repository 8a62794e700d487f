"""One actor's profile: who it is, whom it works with, through what, and where it says so."""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel

from graph.model import Entity, Evidence, Kind, RelationType
from graph.store import Store
from queries.catalog import VehicleRow, vehicles
from queries.partners import PartnerRow, partners


class DocumentRef(BaseModel):
    id: str
    source: str
    title: str
    mentions: int


class Profile(BaseModel):
    entity: Entity
    parent: Optional[str] = None
    children: list[str]
    partners: list[PartnerRow]
    agreements: list[VehicleRow]
    projects: list[VehicleRow]
    documents: list[DocumentRef]


class Quote(BaseModel):
    relation: RelationType
    status: str
    via: Optional[str] = None
    document: str
    source: str
    section: str
    sentence: str
    start: int
    end: int


def profile(store: Store, entity_id: str) -> Profile:
    entity = store.entity(entity_id)
    if entity is None:
        raise KeyError(entity_id)
    parent = store.entity(entity.parent) if entity.parent else None
    member_of = {
        r.target for r in store.relations(entity=entity_id, types=[RelationType.PARTY_TO, RelationType.PARTICIPATES_IN])
        if r.source == entity_id
    }
    own = [v for v in vehicles(store, [Kind.agreement, Kind.project, Kind.programme, Kind.group]) if v.id in member_of]
    docs = {d.id: d for d in store.documents()}
    counts: dict[str, int] = {}
    for ev in entity.evidence:
        counts[ev.document] = counts.get(ev.document, 0) + 1
    return Profile(
        entity=entity,
        parent=parent.label if parent else entity.parent,
        children=sorted(e.label for e in store.entities() if e.parent == entity_id),
        partners=partners(store, entity_id),
        agreements=[v for v in own if v.kind is Kind.agreement],
        projects=[v for v in own if v.kind is not Kind.agreement],
        documents=[
            DocumentRef(id=d, source=docs[d].source if d in docs else d, title=docs[d].title if d in docs else "",
                        mentions=n)
            for d, n in sorted(counts.items(), key=lambda kv: -kv[1])
        ],
    )


def evidence_between(store: Store, a: str, b: str) -> list[Quote]:
    """Every quote behind a tie between a and b, direct or through what they share."""
    docs = {d.id: d.source for d in store.documents()}
    out: list[Quote] = []
    seen: set[tuple] = set()

    def add(rel, ev: Evidence, via: Optional[str]) -> None:
        key = (ev.document, ev.start, ev.end, rel.type, rel.status)
        if key in seen:
            return
        seen.add(key)
        out.append(Quote(relation=rel.type, status=rel.status.value, via=via, document=ev.document,
                         source=docs.get(ev.document, ev.document), section=ev.section, sentence=ev.sentence,
                         start=ev.start, end=ev.end))

    for rel in store.relations(entity=a):
        if {rel.source, rel.target} == {a, b}:
            via = store.entity(rel.via).label if rel.via and store.entity(rel.via) else None
            for ev in rel.evidence:
                add(rel, ev, via)
    memberships = [RelationType.PARTY_TO, RelationType.PARTICIPATES_IN]
    mine = {r.target: r for r in store.relations(entity=a, types=memberships) if r.source == a}
    theirs = {r.target: r for r in store.relations(entity=b, types=memberships) if r.source == b}
    for vehicle in sorted(set(mine) & set(theirs)):
        name = store.entity(vehicle).label if store.entity(vehicle) else vehicle
        for rel in (mine[vehicle], theirs[vehicle]):
            for ev in rel.evidence:
                add(rel, ev, name)
    return sorted(out, key=lambda q: (q.source, q.start))
