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


def vehicles(store: Store, kinds: Iterable[Kind], ids: Optional[Iterable[str]] = None) -> list[VehicleRow]:
    """Every vehicle of these kinds, or only those among `ids` (an actor's own, for its profile:
    asking for the parties of every agreement in the graph made `show` slower than the whole list)."""
    wanted = set(kinds)
    if ids is None:
        ids = [n.id for n in store.names().values() if n.kind in wanted]
    found = (store.entity(i, evidence=False) for i in sorted(set(ids)))
    rows = []
    for entity in (e for e in found if e is not None and e.kind in wanted):
        memberships = [
            r for r in store.relations(entity=entity.id, types=[RelationType.PARTY_TO, RelationType.PARTICIPATES_IN],
                                       evidence=False)
            if r.target == entity.id
        ]
        names = store.names({r.source for r in memberships})
        parties = sorted(
            (Party(id=r.source, name=(names[r.source].label if r.source in names else r.source),
                   status=r.status) for r in memberships),
            key=lambda p: (p.name, _ORDER.index(p.status)),
        )
        statuses = {p.status for p in parties}
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
                # Counted by the store: an agreement can be named in thousands of documents.
                sources=store.sources([entity.id], [r.id for r in memberships]),
            )
        )
    return sorted(rows, key=lambda r: (r.kind.value, r.name))


def agreements(store: Store) -> list[VehicleRow]:
    return vehicles(store, [Kind.agreement])


def projects(store: Store) -> list[VehicleRow]:
    return vehicles(store, [Kind.project, Kind.programme, Kind.group])
