"""Who an actor cooperates with, through what, with what status, on whose word."""

from __future__ import annotations

from typing import Iterable, Optional

from pydantic import BaseModel

from graph.model import COOPERATION_TYPES, Evidence, Kind, RelationType, Status
from graph.store import Store

_MEMBERSHIP = {RelationType.PARTY_TO, RelationType.PARTICIPATES_IN}


class PartnerRow(BaseModel):
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
) -> list[PartnerRow]:
    """Direct ties, plus co-members of the agreements, projects and groups the actor belongs to."""
    wanted_status = set(statuses) if statuses else None
    wanted_kind = set(kinds) if kinds else None
    rows: dict[tuple, dict] = {}

    def add(partner: str, rel_type: RelationType, via: Optional[str], status: Status,
            since: Optional[str], evidence: list[Evidence]) -> None:
        key = (partner, via, status)
        row = rows.setdefault(key, {"relation": rel_type, "since": since, "evidence": {}})
        if rel_type is RelationType.COLLABORATES_WITH or row["relation"] in _MEMBERSHIP:
            row["relation"] = rel_type if rel_type not in _MEMBERSHIP else row["relation"]
        row["since"] = min(filter(None, [row["since"], since]), default=None)
        for e in evidence:
            row["evidence"][e.key()] = e

    for rel in store.relations(entity=entity_id, types=COOPERATION_TYPES):
        if rel.type in _MEMBERSHIP:
            if rel.source != entity_id:
                add(rel.source, rel.type, rel.target, rel.status, rel.since, rel.evidence)
                continue
            vehicle = rel.target
            for co in store.relations(entity=vehicle, types=_MEMBERSHIP):
                if co.source != entity_id and co.status == rel.status:
                    add(co.source, rel.type, vehicle, rel.status, rel.since or co.since,
                        rel.evidence + co.evidence)
        else:
            other = rel.target if rel.source == entity_id else rel.source
            add(other, rel.type, rel.via, rel.status, rel.since, rel.evidence)

    # A direct tie through an agreement repeats the membership row: keep one, with all evidence.
    out: list[PartnerRow] = []
    for (partner_id, via, status), row in rows.items():
        partner = store.entity(partner_id)
        if partner is None:
            continue
        if wanted_status and status not in wanted_status:
            continue
        if wanted_kind and partner.kind not in wanted_kind:
            continue
        via_entity = store.entity(via) if via else None
        evidence = sorted(row["evidence"].values(), key=lambda e: e.key())
        out.append(
            PartnerRow(
                partner_id=partner_id,
                partner=partner.label,
                kind=partner.kind,
                relation=row["relation"],
                via_id=via,
                via=via_entity.label if via_entity else None,
                status=status,
                since=row["since"],
                sources=len({e.document for e in evidence}),
                evidence=evidence,
            )
        )
    return sorted(out, key=lambda r: (r.status.value != "existing", r.partner, r.via or ""))


def best_quotes(evidence: list[Evidence], limit: int = 2) -> list[Evidence]:
    """The most focused quotes first: a short sentence that states the tie beats a long survey."""
    unique = {(e.document, e.start, e.end): e for e in evidence}
    return sorted(unique.values(), key=lambda e: (len(e.sentence), e.document, e.start))[:limit]
