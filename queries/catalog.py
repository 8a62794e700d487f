"""Every agreement, project, programme or group, with its parties, dates, dnr and sources."""

from __future__ import annotations

from typing import Iterable, Optional

from pydantic import BaseModel

from graph.model import Kind, RelationType, Status
from graph.store import Store


class Party(BaseModel):
    id: str
    name: str
    status: Status


class VehicleRow(BaseModel):
    id: str
    name: str
    kind: Kind
    parties: list[Party]
    status: Optional[Status] = None
    dnr: Optional[str] = None
    date: Optional[str] = None
    since: Optional[str] = None
    sources: int


_ORDER = [Status.existing, Status.planned, Status.proposed, Status.ended, Status.rejected, Status.unknown]


def vehicles(store: Store, kinds: Iterable[Kind]) -> list[VehicleRow]:
    wanted = set(kinds)
    rows = []
    for entity in store.entities():
        if entity.kind not in wanted:
            continue
        memberships = [
            r for r in store.relations(entity=entity.id, types=[RelationType.PARTY_TO, RelationType.PARTICIPATES_IN])
            if r.target == entity.id
        ]
        parties = sorted(
            (Party(id=r.source, name=(store.entity(r.source).label if store.entity(r.source) else r.source),
                   status=r.status) for r in memberships),
            key=lambda p: (p.name, _ORDER.index(p.status)),
        )
        statuses = {p.status for p in parties}
        documents = {e.document for e in entity.evidence} | {e.document for r in memberships for e in r.evidence}
        rows.append(
            VehicleRow(
                id=entity.id,
                name=entity.name,
                kind=entity.kind,
                parties=parties,
                status=next((s for s in _ORDER if s in statuses), None),
                dnr=entity.attributes.get("dnr"),
                date=entity.attributes.get("date"),
                since=min((r.since for r in memberships if r.since), default=None),
                sources=len(documents),
            )
        )
    return sorted(rows, key=lambda r: (r.kind.value, r.name))


def agreements(store: Store) -> list[VehicleRow]:
    return vehicles(store, [Kind.agreement])


def projects(store: Store) -> list[VehicleRow]:
    return vehicles(store, [Kind.project, Kind.programme, Kind.group])
