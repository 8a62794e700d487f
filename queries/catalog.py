"""Every agreement, project, programme or group, with its parties, dates, dnr and sources."""

from __future__ import annotations

from typing import Iterable, Optional


from graph.model import Kind, Model, Relation, RelationType, Status
from graph.store import Store


class Party(Model):
    id: str
    name: str
    status: Status


class VehicleRow(Model):
    id: str
    name: str
    kind: Kind
    parties: list[Party]
    status: Optional[Status] = None
    dnr: Optional[str] = None
    date: Optional[str] = None
    since: Optional[str] = None
    valid_from: Optional[str] = None  # the period the text gives it (loaders/extraction/periods.py)
    valid_to: Optional[str] = None
    sources: int


#: Above this many vehicles, `vehicles` reads every entity and membership at once.
_READ_ALL_ABOVE = 500
_MEMBERSHIP = [RelationType.PARTY_TO, RelationType.PARTICIPATES_IN]
_ORDER = [Status.existing, Status.planned, Status.proposed, Status.ended, Status.rejected, Status.unknown]


def vehicles(store: Store, kinds: Iterable[Kind], ids: Optional[Iterable[str]] = None) -> list[VehicleRow]:
    """Every vehicle of these kinds, or only those among `ids` (an actor's own, for its profile:
    asking for the parties of every agreement in the graph made `show` slower than the whole list).

    SQLite reads every vehicle of the kinds with its members and sources in three queries
    (vehicle_rows). Many vehicles from another store that counts sources in one query: the
    entities, the memberships and the names are read once for all. Otherwise, and for a
    few vehicles, they are read one by one (a server store is not asked for the whole graph);
    the sources of all are counted in one query where the store can."""
    wanted = set(kinds)
    if ids is None and hasattr(store, "vehicle_rows"):
        return _from_rows(store.vehicle_rows(wanted, _MEMBERSHIP))
    if ids is None:
        ids = [n.id for n in store.names().values() if n.kind in wanted]
        # Read all at once only for many vehicles, and never from a server store (one at a time there).
        if len(ids) > _READ_ALL_ABOVE and hasattr(store, "sources_many"):
            ids = None
    if ids is None:
        found = [e for e in store.entities(evidence=False) if e.kind in wanted]
        members: dict[str, list[Relation]] = {e.id: [] for e in found}
        for r in store.relations(types=_MEMBERSHIP, evidence=False):
            if r.target in members:
                members[r.target].append(r)
        names = store.names()
    else:
        found = [e for e in (store.entity(i, evidence=False) for i in sorted(set(ids)))
                 if e is not None and e.kind in wanted]
        members = {e.id: [r for r in store.relations(entity=e.id, types=_MEMBERSHIP, evidence=False)
                          if r.target == e.id] for e in found}
        names = store.names({r.source for rels in members.values() for r in rels})
    groups = {e.id: ([e.id], [r.id for r in members[e.id]]) for e in found}
    if hasattr(store, "sources_many"):
        sources = store.sources_many(groups)
    else:
        # Counted by the store: an agreement can be named in thousands of documents.
        sources = {i: store.sources(*group) for i, group in groups.items()}
    return _from_rows(
        (entity.id, entity.name, entity.kind, entity.attributes,
         [(r.source, names[r.source].label if r.source in names else None, r.status, r.since)
          for r in members[entity.id]], sources[entity.id])
        for entity in found)


def _from_rows(found: Iterable[tuple]) -> list[VehicleRow]:
    """The rows from (id, name, kind, attributes, members, sources), members as (source,
    its label or None when it is no entity, status, since), in relation id order: the
    form SQLiteStore.vehicle_rows reads them in."""
    rows = []
    for id_, name, kind, attributes, members, sources in found:
        parties = sorted(
            (Party(id=source, name=source if label is None else label, status=status)
             for source, label, status, _ in members),
            key=lambda p: (p.name, _ORDER.index(p.status)),
        )
        statuses = {p.status for p in parties}
        rows.append(
            VehicleRow(
                id=id_,
                name=name,
                kind=kind,
                parties=parties,
                status=next((s for s in _ORDER if s in statuses), None),
                dnr=attributes.get("dnr"),
                date=attributes.get("date"),
                since=min((since for *_, since in members if since), default=None),
                valid_from=attributes.get("valid_from"),
                valid_to=attributes.get("valid_to"),
                sources=sources,
            )
        )
    return sorted(rows, key=lambda r: (r.kind.value, r.name))


def agreements(store: Store) -> list[VehicleRow]:
    return vehicles(store, [Kind.agreement])


def projects(store: Store) -> list[VehicleRow]:
    return vehicles(store, [Kind.project, Kind.programme, Kind.group])
