"""The embedded store: a networkx MultiDiGraph persisted to one JSON file.

It needs no server, so it is the default. Writes go to a temporary file in the same
directory that is fsynced and renamed over the old one: a crash or kill -9 at any
moment leaves either the old graph or the new one on disk, never half of each.
"""

from __future__ import annotations

import gc
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Iterable, Optional

import networkx as nx
from graph.collector import collector_paused as _collector_paused
from graph.merge import merge_aliases
from graph.model import Document, Entity, Evidence, Extraction, Relation, RelationType, Status, evidence_key
from graph.names import find_in
from graph.review import Statement
from graph.store import EntityName, EvidenceSummary, NameMatch, StoreStats, summarise
from graph.files import check_writable
from graph.storefile import FORMAT, StoreError, StoreFile, decode, encode

__all__ = ["FORMAT", "MemoryStore", "StoreError", "StoreFile"]


class MemoryStore:
    def __init__(self, path: Optional[Path] = None) -> None:
        self.path = Path(path) if path else None
        self._graph = nx.MultiDiGraph()
        self._documents: dict[str, Document] = {}
        self._evidence_keys: dict[str, set[tuple]] = {}
        self._sources: dict[str, str] = {}  # source path -> document id
        # Evidence lists grown out of key order since they were last read: sorted on the
        # next read, so answers are the same before and after a save and on every backend.
        self._unsorted: dict[str, list[Evidence]] = {}
        #: Review statements by id, in the order they were made (graph/review.py).
        self._statements: dict[str, Statement] = {}
        if self.path and self.path.exists():
            self._load(self.path)

    # -- writing ---------------------------------------------------------------

    def add(self, extraction: Extraction, owned: bool = False) -> None:
        adopt = self._keep if owned else self._adopt
        doc = extraction.document
        old = self._sources.get(doc.source)
        if old is not None and old != doc.id:
            self.remove_document(old)
        self._documents[doc.id] = doc
        self._sources[doc.source] = doc.id
        for entity in extraction.entities:
            self._put_entity(entity, adopt)
        for relation in extraction.relations:
            for end in (relation.source, relation.target):
                if end not in self._graph:
                    raise StoreError(f"relation {relation.id} names unknown entity {end!r}")
            self._put_relation(relation, adopt)

    def _put_entity(self, entity: Entity, adopt) -> None:
        node = self._graph.nodes.get(entity.id)
        if node is None:
            self._graph.add_node(entity.id, entity=adopt(entity))
            return
        current: Entity = node["entity"]
        self._add_evidence(current.id, current.evidence, entity.evidence)
        if entity.aliases and set(entity.aliases) - set(current.aliases):
            current.aliases = merge_aliases(current.aliases, entity.aliases, current.name)
        if current.parent is None and entity.parent is not None:
            current.parent = entity.parent  # pydantic's __setattr__ is slow: only when it changes
        for key, value in entity.attributes.items():
            current.attributes.setdefault(key, value)

    def _put_relation(self, relation: Relation, adopt) -> None:
        edges = self._graph.get_edge_data(relation.source, relation.target, default={})
        if relation.id not in edges:
            self._graph.add_edge(relation.source, relation.target, key=relation.id, relation=adopt(relation))
            return
        current: Relation = edges[relation.id]["relation"]
        self._add_evidence(current.id, current.evidence, relation.evidence)
        if current.via is None and relation.via is not None:
            current.via = relation.via
        if relation.since is not None and (current.since is None or relation.since < current.since):
            current.since = relation.since

    def _add_evidence(self, record_id: str, current: list[Evidence], incoming: list[Evidence]) -> None:
        """Append what is new, in place: a body named in thousands of documents must not have
        its whole evidence list rebuilt for every document that names it again."""
        keys = self._evidence_keys.get(record_id)
        if keys is None:
            keys = self._evidence_keys[record_id] = set(map(evidence_key, current))
        last = evidence_key(current[-1]) if current else None
        in_order = True
        for evidence in incoming:
            key = evidence_key(evidence)
            if key not in keys:
                keys.add(key)
                current.append(evidence)
                if in_order and last is not None and key < last:
                    in_order = False
                last = key
        if not in_order:  # checked as it is appended: each key is computed once
            self._unsorted[record_id] = current

    def _adopt(self, record):
        """The store's own copy of a new record (extraction sorts its evidence; hand-built
        records need not)."""
        return self._keep(_own(record))

    def _keep(self, record):
        """A new record handed over by its maker: kept as it is, its order noted."""
        self._note_order(record.id, record.evidence)
        return record

    def _note_order(self, record_id: str, evidence: list[Evidence]) -> None:
        """Mark a new record's evidence for sorting if it is not in key order (hand-built records)."""
        keys = list(map(evidence_key, evidence))
        if any(b < a for a, b in zip(keys, keys[1:])):
            self._unsorted[record_id] = evidence

    def _settle(self) -> None:
        """Put the evidence that adding left out of order back in key order, before a read."""
        for evidence in self._unsorted.values():
            evidence.sort(key=evidence_key)
        self._unsorted.clear()

    def remove_document(self, document_id: str) -> None:
        """Forget one document: its evidence goes, and so does every record left without any."""
        gone = self._documents.pop(document_id, None)
        if gone is not None and self._sources.get(gone.source) == document_id:
            del self._sources[gone.source]
        self._evidence_keys.clear()
        self._settle()  # the lists are replaced by filtered copies below, in the order they have
        for u, v, key, data in list(self._graph.edges(keys=True, data=True)):
            rel: Relation = data["relation"]
            rel.evidence = [e for e in rel.evidence if e.document != document_id]
            if not rel.evidence:
                self._graph.remove_edge(u, v, key=key)
        for node, data in list(self._graph.nodes(data=True)):
            ent: Entity = data["entity"]
            ent.evidence = [e for e in ent.evidence if e.document != document_id]
            if not ent.evidence and self._graph.degree(node) == 0:
                self._graph.remove_node(node)

    def save(self, path: Optional[Path] = None) -> Path:
        target = Path(path or self.path or "")
        if not str(target):
            raise StoreError("no file to save the store to")
        check_writable(target)  # a rename would replace a read-only file with a writable one
        target.parent.mkdir(parents=True, exist_ok=True)
        with _collector_paused():  # hundreds of thousands of short-lived rows, no cycles among them
            payload = encode(self.snapshot())
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(target.parent)
        return target

    def snapshot(self) -> StoreFile:
        """The whole store as one record, in a deterministic order (evidence sorted too)."""
        entities, relations = self.entities(), self.relations()
        return StoreFile(
            format=FORMAT,
            documents=sorted(self._documents.values(), key=lambda d: d.id),
            entities=entities,
            relations=relations,
            statements=self.statements(),
        )

    def dump(self) -> dict:
        """The full store as plain data, in a deterministic order."""
        return self.snapshot().model_dump(mode="json")

    def _load(self, path: Path) -> None:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise StoreError(f"{path}: cannot read the store file ({exc.strerror or exc})") from exc
        with _collector_paused():  # building many small objects: the cyclic collector would only slow it down
            self._build(path, raw)
        gc.freeze()  # the loaded records live as long as the store: keep them out of later collections

    def _build(self, path: Path, raw: bytes) -> None:
        self._install(decode(raw, str(path)), str(path))

    def _install(self, data: StoreFile, where: str) -> None:
        self._documents = {d.id: d for d in data.documents}
        self._sources = {d.source: d.id for d in data.documents}
        self._graph.add_nodes_from((e.id, {"entity": e}) for e in data.entities)
        for rel in data.relations:
            if rel.source not in self._graph or rel.target not in self._graph:
                raise StoreError(f"{where}: relation {rel.id} names an entity the store does not have")
            self._graph.add_edge(rel.source, rel.target, key=rel.id, relation=rel)
        self._statements = {s.id: s for s in data.statements}

    @classmethod
    def from_snapshot(cls, data: StoreFile, where: str = "<snapshot>") -> "MemoryStore":
        """An in-memory store holding exactly these records (a server's graph, read once)."""
        store = cls()
        store._install(data, where)
        return store

    # -- review statements -----------------------------------------------------
    # Kept beside the records, never applied to them (graph/reviewed.py applies them to
    # answers), and saved in the same file; save() writes them like everything else.

    def add_statement(self, statement: Statement) -> None:
        """Keep a statement; the same statement (same id) again changes nothing."""
        self._statements.setdefault(statement.id, statement)

    def statements(self) -> list[Statement]:
        """Every statement, in the order they were made."""
        return list(self._statements.values())

    def remove_statement(self, statement_id: str) -> bool:
        """Take a statement back; False when there is none with that id."""
        return self._statements.pop(statement_id, None) is not None

    # -- reading ---------------------------------------------------------------

    def entity(self, entity_id: str, evidence: bool = True) -> Optional[Entity]:
        self._settle()
        node = self._graph.nodes.get(entity_id)
        if not node:
            return None
        return node["entity"] if evidence else _without_evidence(node["entity"])

    def names(self, ids: Optional[Iterable[str]] = None) -> dict[str, EntityName]:
        nodes = self._graph.nodes
        chosen = sorted(nodes) if ids is None else [i for i in ids if i in nodes]
        return {i: EntityName.of(nodes[i]["entity"]) for i in chosen}

    def children(self, parent: str) -> list[EntityName]:
        return [EntityName.of(e) for e in self.entities() if e.parent == parent]

    def mentions(self, entity_id: str) -> dict[str, int]:
        found = self.entity(entity_id)
        return dict(Counter(e.document for e in found.evidence)) if found else {}

    def entities(self, evidence: bool = True) -> list[Entity]:
        self._settle()
        found = sorted((d["entity"] for _, d in self._graph.nodes(data=True)), key=lambda e: e.id)
        return found if evidence else [_without_evidence(e) for e in found]

    def documents(self, ids: Optional[Iterable[str]] = None) -> list[Document]:
        chosen = self._documents.values() if ids is None else (
            self._documents[i] for i in set(ids) if i in self._documents)
        return sorted(chosen, key=lambda d: (d.source, d.id))

    def find(self, name: str, limit: int = 5, evidence: bool = True) -> list[NameMatch]:
        found = find_in(self.entities(), name, limit)
        if evidence:
            return found
        return [m.model_copy(update={"entity": _without_evidence(m.entity)}) for m in found]

    def relations(
        self,
        entity: Optional[str] = None,
        types: Optional[Iterable[RelationType]] = None,
        statuses: Optional[Iterable[Status]] = None,
        evidence: bool = True,
    ) -> list[Relation]:
        self._settle()
        if entity is not None:
            if entity not in self._graph:
                return []
            edges = list(self._graph.out_edges(entity, data=True)) + list(self._graph.in_edges(entity, data=True))
        else:
            edges = list(self._graph.edges(data=True))
        wanted_types = set(types) if types else None
        wanted_statuses = set(statuses) if statuses else None
        found = {
            d["relation"].id: d["relation"]
            for _, _, d in edges
            if (wanted_types is None or d["relation"].type in wanted_types)
            and (wanted_statuses is None or d["relation"].status in wanted_statuses)
        }
        ordered = sorted(found.values(), key=lambda r: r.id)
        return ordered if evidence else [_without_evidence(r) for r in ordered]

    def _relations_by_id(self, ids: Iterable[str]) -> dict[str, Relation]:
        self._settle()
        wanted = set(ids)
        return {d["relation"].id: d["relation"] for _, _, d in self._graph.edges(data=True)
                if d["relation"].id in wanted}

    def relation_evidence(self, ids: Iterable[str]) -> dict[str, list[Evidence]]:
        return {i: list(r.evidence) for i, r in self._relations_by_id(ids).items()}

    def evidence_summary(self, ids: Iterable[str], quotes: int = 2) -> dict[str, EvidenceSummary]:
        return {i: summarise(r.evidence, quotes) for i, r in self._relations_by_id(ids).items()}

    def sources(self, entities: Iterable[str] = (), relations: Iterable[str] = ()) -> int:
        nodes = self._graph.nodes
        found = {e.document for i in entities if i in nodes for e in nodes[i]["entity"].evidence}
        for rel in self._relations_by_id(relations).values():
            found.update(e.document for e in rel.evidence)
        return len(found)

    def document_counts(self, ids: Iterable[str]) -> dict[str, int]:
        return {i: len({e.document for e in r.evidence}) for i, r in self._relations_by_id(ids).items()}

    def subgraph(self, ids: Iterable[str], depth: int = 1) -> nx.MultiDiGraph:
        self._settle()
        undirected = self._graph.to_undirected(as_view=True)
        keep: set[str] = set()
        for node in ids:
            if node in self._graph:
                keep |= set(nx.single_source_shortest_path_length(undirected, node, cutoff=depth))
        return self._graph.subgraph(keep).copy()

    def to_networkx(self) -> nx.MultiDiGraph:
        self._settle()
        return self._graph.copy()

    def stats(self) -> StoreStats:
        # Counts need no order: entities() and relations() sort, which a 10,000-document
        # ingest paid for in its closing summary.
        entities = [d["entity"] for _, d in self._graph.nodes(data=True)]
        relations = [d["relation"] for _, _, d in self._graph.edges(data=True)]
        return StoreStats(
            documents=len(self._documents),
            entities=len(entities),
            relations=len(relations),
            evidence=sum(len(r.evidence) for r in relations),
            by_kind=dict(Counter(e.kind.value for e in entities)),
            by_status=dict(Counter(r.status.value for r in relations)),
        )


def _without_evidence(record):
    """A shallow copy with an empty evidence list: the store's own record stays as it is."""
    return type(record).trusted(**{**vars(record), "evidence": []})


def _own(record):
    """A copy the store may change: the lists and dicts it grows are new, the evidence
    records (never changed in place) are shared. A deep copy costs more than extraction,
    and pydantic's model_copy as much as the rest of adding a record."""
    fields = vars(record)
    update = {"evidence": list(record.evidence)}
    if isinstance(record, Entity):
        update.update(aliases=list(record.aliases), attributes=dict(record.attributes))
    return type(record).trusted(**{**fields, **update})


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable; not every platform can open a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
