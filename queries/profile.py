"""One actor's profile: who it is, whom it works with, through what, and where it says so."""

from __future__ import annotations

from typing import Optional


from graph.model import Entity, Evidence, Kind, Model, RelationType
from graph.review import Action, review_line, review_of
from graph.store import Store
from queries.catalog import VehicleRow, vehicles
from queries.partners import PartnerRow, partners


class DocumentRef(Model):
    id: str
    source: str
    title: str
    mentions: int


class Profile(Model):
    entity: Entity
    parent: Optional[str] = None
    children: list[str]
    partners: list[PartnerRow]
    agreements: list[VehicleRow]
    projects: list[VehicleRow]
    documents: list[DocumentRef]
    document_count: int = 0  # all documents that mention the actor; `documents` may list only the first


class Quote(Model):
    relation: RelationType
    status: str
    via: Optional[str] = None
    document: str
    source: str
    section: str
    sentence: str
    start: int
    end: int
    #: What reviewers said of the tie the quote backs ("Granskad: ..."); None if no one did.
    review: Optional[str] = None


def profile(store: Store, entity_id: str, quotes: Optional[int] = None, documents: Optional[int] = None) -> Profile:
    """quotes=None: the entity with its evidence, and every partner row with all of its own.
    A number: the entity without its evidence and partner rows with only their best `quotes`
    quotes (what a table shows), so a body named in thousands of documents costs little more
    than a small one. documents: list only that many documents, most mentions first (a
    screen shows twenty; reading thousands of document records for it took a third of a
    second). The rest of the profile is the same either way."""
    entity = store.entity(entity_id, evidence=quotes is None)
    if entity is None:
        raise KeyError(entity_id)
    parent = store.names([entity.parent]).get(entity.parent) if entity.parent else None
    member_of = {
        r.target for r in store.relations(entity=entity_id, types=[RelationType.PARTY_TO, RelationType.PARTICIPATES_IN],
                                          evidence=False)
        if r.source == entity_id
    }
    own = vehicles(store, [Kind.agreement, Kind.project, Kind.programme, Kind.group], ids=member_of)
    counts = store.mentions(entity_id)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:documents]
    docs = {d.id: d for d in store.documents(d for d, _ in ranked)}
    return Profile(
        entity=entity,
        parent=parent.label if parent else entity.parent,
        children=sorted(e.label for e in store.children(entity_id)),
        partners=partners(store, entity_id, quotes=quotes),
        agreements=[v for v in own if v.kind is Kind.agreement],
        projects=[v for v in own if v.kind is not Kind.agreement],
        documents=[
            DocumentRef(id=d, source=docs[d].source if d in docs else d, title=docs[d].title if d in docs else "",
                        mentions=n)
            for d, n in ranked
        ],
        document_count=len(counts),
    )


def evidence_between(store: Store, a: str, b: str) -> list[Quote]:
    """Every quote behind a tie between a and b, direct or through what they share.
    Only those relations' evidence is read, and only their documents."""
    direct = [r for r in store.relations(entity=a, evidence=False) if {r.source, r.target} == {a, b}]
    memberships = [RelationType.PARTY_TO, RelationType.PARTICIPATES_IN]
    mine = {r.target: r for r in store.relations(entity=a, types=memberships, evidence=False) if r.source == a}
    theirs = {r.target: r for r in store.relations(entity=b, types=memberships, evidence=False) if r.source == b}
    shared = sorted(set(mine) & set(theirs))
    chosen = direct + [rel for v in shared for rel in (mine[v], theirs[v])]
    evidence = store.relation_evidence({r.id for r in chosen})
    names = store.names({r.via for r in direct if r.via} | set(shared))
    docs = {d.id: d.source for d in store.documents({e.document for found in evidence.values() for e in found})}
    out: list[Quote] = []
    seen: set[tuple] = set()
    lines: dict[str, Optional[str]] = {}  # per relation: its review line

    def add(rel, ev: Evidence, via: Optional[str]) -> None:
        key = (ev.document, ev.start, ev.end, rel.type, rel.status)
        if key in seen:
            return
        seen.add(key)
        if rel.id not in lines:
            reviewed = review_of(store, rel.id)
            lines[rel.id] = review_line(reviewed, {i: n.label for i, n in store.names(
                {s.value for s in reviewed if s.action is Action.via}).items()}) if reviewed else None
        line = lines[rel.id]
        out.append(Quote(relation=rel.type, status=rel.status.value, via=via, document=ev.document,
                         source=docs.get(ev.document, ev.document), section=ev.section, sentence=ev.sentence,
                         start=ev.start, end=ev.end, review=line))

    for rel in direct:
        via = names[rel.via].label if rel.via in names else None
        for ev in evidence.get(rel.id, []):
            add(rel, ev, via)
    for vehicle in shared:
        name = names[vehicle].label if vehicle in names else vehicle
        for rel in (mine[vehicle], theirs[vehicle]):
            for ev in evidence.get(rel.id, []):
                add(rel, ev, name)
    return sorted(out, key=lambda q: (q.source, q.start))
