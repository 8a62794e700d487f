"""Who an actor cooperates with, through what, with what status, on whose word."""

from __future__ import annotations

from itertools import chain
from typing import Iterable, Optional


from graph.model import COOPERATION_TYPES, Evidence, Kind, Model, RelationType, Status, confidence_of
from graph.store import Store, best_quotes

__all__ = ["PartnerRow", "best_quotes", "partners"]

_MEMBERSHIP = {RelationType.PARTY_TO, RelationType.PARTICIPATES_IN}


class PartnerRow(Model):
    partner_id: str
    partner: str
    kind: Kind
    relation: RelationType
    via_id: Optional[str] = None
    via: Optional[str] = None
    status: Status
    since: Optional[str] = None
    sources: int
    evidence: list[Evidence]


def partners(
    store: Store,
    entity_id: str,
    statuses: Optional[Iterable[Status]] = None,
    kinds: Optional[Iterable[Kind]] = None,
    quotes: Optional[int] = None,
    min_confidence: float = 0.0,
) -> list[PartnerRow]:
    """Direct ties, plus co-members of the agreements, projects and groups the actor belongs to.

    quotes=None gives each row all its evidence. A number gives each row only its best
    `quotes` quotes (best_quotes), read from the store as a summary: a body named in tens of
    thousands of documents then costs a table no more than a small one. `sources` counts
    every document either way.
    """
    rows = _rows(store, entity_id)
    # A direct tie through an agreement repeats the membership row: keep one, with all evidence.
    names = store.names({p for p, _, _ in rows} | {v for _, v, _ in rows if v})
    wanted_status = set(statuses) if statuses else None
    wanted_kind = set(kinds) if kinds else None
    kept = {key: row for key, row in rows.items()
            if key[0] in names and (not wanted_status or key[2] in wanted_status)
            and (not wanted_kind or names[key[0]].kind in wanted_kind)}
    relation_ids = set(chain.from_iterable(row["relations"] for row in kept.values()))
    if min_confidence > 0:  # only ties read surely enough: their evidence says how they were read
        sure = {i for i, evidence in store.relation_evidence(relation_ids).items()
                if confidence_of(evidence) >= min_confidence}
        kept = {key: {**row, "relations": row["relations"] & sure} for key, row in kept.items()
                if row["relations"] <= sure}
        relation_ids &= sure
    if quotes is None:
        full = store.relation_evidence(relation_ids)
        summaries = None
    else:
        summaries = store.evidence_summary(relation_ids, quotes)
    out: list[PartnerRow] = []
    for (partner_id, via, status), row in kept.items():
        if summaries is None:
            evidence = sorted({e.key(): e for i in row["relations"] for e in full.get(i, [])}.values(),
                              key=Evidence.key)
            sources = len({e.document for e in evidence})
        else:
            parts = [summaries[i] for i in row["relations"] if i in summaries]
            evidence = best_quotes(chain.from_iterable(s.best for s in parts), quotes)
            sources = len(frozenset().union(*(s.documents for s in parts)))
        partner = names[partner_id]
        out.append(
            PartnerRow(
                partner_id=partner_id,
                partner=partner.label,
                kind=partner.kind,
                relation=row["relation"],
                via_id=via,
                via=names[via].label if via in names else None,
                status=status,
                since=row["since"],
                sources=sources,
                evidence=evidence,
            )
        )
    return sorted(out, key=lambda r: (r.status.value != "existing", r.partner, r.via or ""))


def _rows(store: Store, entity_id: str) -> dict[tuple, dict]:
    """Partner rows keyed by (partner, via, status): relation type, since and the ids of the
    relations whose evidence backs the row. Read without evidence."""
    rows: dict[tuple, dict] = {}

    def add(partner: str, rel_type: RelationType, via: Optional[str], status: Status,
            since: Optional[str], relations: tuple[str, ...]) -> None:
        row = rows.setdefault((partner, via, status), {"relation": rel_type, "since": since, "relations": set()})
        if rel_type is RelationType.COLLABORATES_WITH or row["relation"] in _MEMBERSHIP:
            row["relation"] = rel_type if rel_type not in _MEMBERSHIP else row["relation"]
        row["since"] = min(filter(None, [row["since"], since]), default=None)
        row["relations"].update(relations)

    for rel in store.relations(entity=entity_id, types=COOPERATION_TYPES, evidence=False):
        if rel.type in _MEMBERSHIP:
            if rel.source != entity_id:
                add(rel.source, rel.type, rel.target, rel.status, rel.since, (rel.id,))
                continue
            vehicle = rel.target
            for co in store.relations(entity=vehicle, types=_MEMBERSHIP, evidence=False):
                if co.source != entity_id and co.status == rel.status:
                    add(co.source, rel.type, vehicle, rel.status, rel.since or co.since, (rel.id, co.id))
        else:
            other = rel.target if rel.source == entity_id else rel.source
            add(other, rel.type, rel.via, rel.status, rel.since, (rel.id,))
    return rows
