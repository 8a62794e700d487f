"""The JSON export: a stable contract other tools read (documented in docs/EXPORT.md)."""

from __future__ import annotations

from graph.store import Store

EXPORT_FORMAT = "samverkan-export/1"


def export_json(store: Store) -> dict:
    return {
        "format": EXPORT_FORMAT,
        "entities": [
            {"id": e.id, "name": e.name, "kind": e.kind.value, "aliases": list(e.aliases), "parent": e.parent}
            for e in store.entities()
        ],
        "relations": [
            {
                "id": r.id,
                "source": r.source,
                "target": r.target,
                "type": r.type.value,
                "status": r.status.value,
                "via": r.via,
                "since": r.since,
                "evidence": [
                    {"document": ev.document, "section": ev.section, "sentence": ev.sentence,
                     "start": ev.start, "end": ev.end}
                    for ev in r.evidence
                ],
            }
            for r in store.relations()
        ],
        "documents": [
            {"id": d.id, "source": d.source, "title": d.title, "type": d.type.value, "dnr": d.dnr, "date": d.date}
            for d in store.documents()
        ],
    }
