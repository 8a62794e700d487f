"""A store's answers with the review statements applied: a view, never a change of records.

ReviewedStore answers the Store protocol by asking the real store and applying the
statements (graph/review.py) on top: merged actors answer as one, a split-off name as an
actor of its own, a renamed actor under its new name; a rejected tie is left out (unless
include_rejected), a corrected status or via replaces the extracted one (the relation id
recomputed with graph.model.relation_id, the extracted evidence kept), and an added tie
carries a piece of evidence of its own kind: a person's word, document "granskning-…",
rule "review:add", confidence 1.0.

The view reads the graph's shape (entities and relations without evidence) once, and the
evidence of only what a question asks for. It has none of the stores' fast paths
(tie_rows, quote_digest, degrees, shortest_paths, gds_*, ...): the queries then answer
through the generic protocol, which is correct whatever the statements say. A command
opens a ReviewedStore only when there are statements, so a graph no one reviewed costs
nothing more.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Optional

from graph.merge import merge_aliases
from graph.model import (
    Document, Entity, Evidence, Relation, RelationType, Status, evidence_key, fold, relation_id, slug,
)
from graph.names import find_in
from graph.review import ACTOR_ACTIONS, Action, Statement, review_field, review_of, tie_key, words  # noqa: F401
from graph.store import EntityName, EvidenceSummary, NameMatch, StoreStats, summarise

if TYPE_CHECKING:
    import networkx as nx

#: The rule of the evidence an added tie carries.
REVIEW_RULE = "review:add"
#: The prefix of the id of the document an added tie's evidence points to (one per statement).
REVIEW_DOCUMENT = "granskning-"


@dataclass
class _Actor:
    """An actor as the view has it: its record (without evidence), the extracted entities
    whose evidence is its own, and what a split moved to it or away from it."""

    entity: Entity
    members: set[str]
    extra: list[Evidence] = field(default_factory=list)
    excluded: set[tuple] = field(default_factory=set)


@dataclass
class _Tie:
    """A relation as the view has it: its record (without evidence), the extracted
    relations whose evidence is its own, the evidence of added ties, and its statements."""

    relation: Relation
    members: list[str] = field(default_factory=list)
    extra: list[Evidence] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    rejected: bool = False


@dataclass
class _TieState:
    """What the tie statements about one (source, target, type) say, latest last."""

    statements: list[Statement] = field(default_factory=list)
    rejected: bool = False
    status: Optional[Status] = None
    via: Optional[str] = None
    added: list[Statement] = field(default_factory=list)


class ReviewedStore:
    """The Store protocol over `store` with `statements` applied (see the module docstring)."""

    def __init__(self, store, statements: Iterable[Statement], include_rejected: bool = False) -> None:
        self.store = store
        self.path = getattr(store, "path", None)
        self.include_rejected = include_rejected
        self._statements = list(statements)
        self._built = False
        if hasattr(store, "search"):  # quotes are the documents' own words: searched as they are
            self.search = store.search

    # -- the statements applied ------------------------------------------------

    def _build(self) -> None:
        if self._built:
            return
        base_entities = {e.id: e for e in self.store.entities(evidence=False)}
        self._base_relations = self.store.relations(evidence=False)
        self._redirect: dict[str, str] = {}
        self._overrides: dict[tuple[str, str], str] = {}  # (relation id, extracted end) -> actor
        self._actors = {i: _Actor(_copy(e), {i}) for i, e in base_entities.items()}
        for s in self._statements:
            if s.action in ACTOR_ACTIONS:
                getattr(self, f"_{s.action.value}")(s, base_entities)
        for actor in self._actors.values():
            if actor.entity.parent is not None:
                actor.entity.parent = self._resolve(actor.entity.parent)
        self._ties = self._apply_ties()
        self._by_entity: dict[str, list[_Tie]] = {}
        for tie in self._ties.values():
            for end in {tie.relation.source, tie.relation.target}:
                self._by_entity.setdefault(end, []).append(tie)
        self._built = True

    def resolve(self, entity_id: str) -> str:
        """The actor an entity id names after the merges, splits and renames."""
        self._build()
        return self._resolve(entity_id)

    def _resolve(self, entity_id: str) -> str:
        seen = set()
        while entity_id in self._redirect and entity_id not in seen:
            seen.add(entity_id)
            entity_id = self._redirect[entity_id]
        return entity_id

    def _join(self, keep: _Actor, gone: _Actor) -> None:
        """`gone` is the same body as `keep`: one actor with both names, evidence and ties."""
        e, g = keep.entity, gone.entity
        e.aliases = merge_aliases(e.aliases, [g.name, *g.aliases], e.name)
        for key, value in g.attributes.items():
            if not (key == "municipality" and fold(value) == fold(e.name)):  # not 'X kommun (X kommun)'
                e.attributes.setdefault(key, value)
        if e.parent is None and g.parent is not None and g.parent != e.id:
            e.parent = g.parent
        keep.members |= gone.members
        keep.extra += gone.extra
        keep.excluded |= gone.excluded

    def _merge(self, s: Statement, _base: dict) -> None:
        keep, gone = self._resolve(s.source), self._resolve(s.target or "")
        if keep == gone or keep not in self._actors or gone not in self._actors:
            return
        self._join(self._actors[keep], self._actors.pop(gone))
        self._redirect[gone] = keep

    def _rename(self, s: Statement, _base: dict) -> None:
        old = self._resolve(s.source)
        if old not in self._actors or not s.value:
            return
        actor = self._actors.pop(old)
        e = actor.entity
        e.aliases = merge_aliases(e.aliases, [e.name], s.value)
        e.name = s.value
        new = slug(s.value)
        if new != old:
            self._redirect.pop(new, None)
            if new in self._actors:  # the new name is an actor already: the same body
                self._join(actor, self._actors.pop(new))
            e.id = new
            self._redirect[old] = new
        self._actors[new] = actor

    def _split(self, s: Statement, base: dict) -> None:
        """The name `s.value` was wrongly read as (or merged into) the actor: it becomes an actor
        of its own, with the ties and mentions whose quotes name it and none of the actor's
        other names. A name merged by review comes back whole, with every tie it had."""
        owner_id = self._resolve(s.source)
        new = slug(s.value or "")
        if owner_id not in self._actors or new == owner_id or not s.value:
            return
        owner = self._actors[owner_id]
        merged = [m for m in sorted(owner.members - {owner_id}) if m in base and fold(s.value) in
                  {fold(n) for n in [base[m].name, base[m].label, *base[m].aliases]}]
        if merged:  # merged by review: taken back whole
            restored = base[merged[0]]
            owner.members.discard(restored.id)
            self._redirect.pop(restored.id, None)
            dropped = {fold(n) for n in [restored.name, *restored.aliases]}
            owner.entity.aliases = [a for a in owner.entity.aliases if fold(a) not in dropped]
            self._actors[restored.id] = _Actor(_copy(restored), {restored.id})
            return
        self._redirect.pop(new, None)
        owner.entity.aliases = [a for a in owner.entity.aliases if fold(a) != fold(s.value)]
        target = self._actors.setdefault(new, _Actor(Entity.trusted(
            id=new, name=s.value, kind=owner.entity.kind, aliases=[], parent=None, attributes={}, evidence=[]),
            set()))
        named, others = _mentions(s.value), [_mentions(n) for n in [owner.entity.name, *owner.entity.aliases]]

        def moves(sentence: str) -> bool:
            text = fold(sentence)
            return bool(named.search(text)) and not any(o.search(text) for o in others)

        for member in sorted(owner.members):
            found = self.store.entity(member, evidence=True)
            for ev in (found.evidence if found else []):
                if moves(ev.sentence) and ev.key() not in owner.excluded:
                    owner.excluded.add(ev.key())
                    target.extra.append(ev)
        touching = [r for r in self._base_relations
                    if owner_id in {self._end(r, r.source), self._end(r, r.target)}]
        evidence = self.store.relation_evidence([r.id for r in touching])
        for r in touching:
            found = evidence.get(r.id, [])
            if any(moves(ev.sentence) for ev in found) and not any(
                    any(o.search(fold(ev.sentence)) for o in others) for ev in found):
                for end in (r.source, r.target):
                    if self._end(r, end) == owner_id:
                        self._overrides[(r.id, end)] = new

    def _end(self, relation: Relation, end: str) -> str:
        """The actor an extracted relation's end is now."""
        return self._resolve(self._overrides.get((relation.id, end), end))

    def _apply_ties(self) -> dict[str, _Tie]:
        states: dict[tuple, _TieState] = {}
        for s in self._statements:
            if s.tie is None:
                continue
            source, target = self._resolve(s.source), self._resolve(s.target or "")
            if source == target:
                continue
            state = states.setdefault(tie_key(source, target, s.type), _TieState())
            state.statements.append(s)
            if s.action in (Action.confirm, Action.reject):
                state.rejected = s.action is Action.reject
            elif s.action is Action.status and s.value:
                state.status = Status(s.value)
            elif s.action is Action.via and s.value:
                state.via = self._resolve(s.value)
            elif s.action is Action.add:
                state.added.append(s)
                state.rejected = False
        ties: dict[str, _Tie] = {}

        def tie(source: str, target: str, type_: RelationType, status: Status, via: Optional[str],
                since: Optional[str]) -> _Tie:
            state = states.get((source, target, type_))
            if state is not None:
                status = state.status or status
                via = state.via or via
            rid = relation_id(source, target, type_, status)
            found = ties.get(rid)
            if found is None:
                found = ties[rid] = _Tie(Relation.trusted(id=rid, source=source, target=target, type=type_,
                                                          status=status, via=via, since=since, evidence=[]))
                if state is not None:
                    found.statements, found.rejected = state.statements, state.rejected
            else:
                r = found.relation
                if r.via is None and via is not None:
                    r.via = via
                if since is not None and (r.since is None or since < r.since):
                    r.since = since
            return found

        moved = bool(self._redirect or self._overrides)
        for r in self._base_relations:
            if (r.source, r.target, r.type) not in states and r.id not in ties and not (
                    moved and (self._end(r, r.source) != r.source or self._end(r, r.target) != r.target
                               or (r.via and self._resolve(r.via) != r.via))):
                ties[r.id] = _Tie(r, [r.id])  # no statement touches it: the store's record as it is
                continue
            source, target = self._end(r, r.source), self._end(r, r.target)
            if source == target and r.source != r.target:
                continue  # two ends that are one body: no tie with itself
            if source not in self._actors or target not in self._actors:
                continue
            source, target, _ = tie_key(source, target, r.type)
            via = self._resolve(r.via) if r.via else None
            tie(source, target, r.type, r.status, via, r.since).members.append(r.id)
        for (source, target, type_), state in states.items():
            if source not in self._actors or target not in self._actors:
                continue
            for s in state.added:
                tie(source, target, type_, Status(s.value or Status.existing.value), None, None).extra.append(
                    _review_evidence(s))
        return dict(sorted(ties.items()))

    def _shown(self, tie: _Tie) -> bool:
        return self.include_rejected or not tie.rejected

    # -- what the queries ask for reviews ----------------------------------------

    def statements(self) -> list[Statement]:
        return list(self._statements)

    def review_of(self, relation_id: str) -> list[Statement]:
        """The statements about the tie this relation is (latest last); [] when none."""
        self._build()
        found = self._ties.get(relation_id)
        return list(found.statements) if found else []

    def review(self, relation_id: str) -> Optional[dict]:
        """What the map shows of the tie's review (graph.review.review_field), or None."""
        return review_field(self.review_of(relation_id))

    # -- the Store protocol ---------------------------------------------------------

    def is_empty(self) -> bool:
        self._build()
        return not self._actors

    def close(self) -> None:
        if hasattr(self.store, "close"):
            self.store.close()

    def entity(self, entity_id: str, evidence: bool = True) -> Optional[Entity]:
        self._build()
        actor = self._actors.get(entity_id)
        if actor is None:
            return None
        return self._with_evidence(actor, None) if evidence else _copy(actor.entity)

    def entities(self, evidence: bool = True) -> list[Entity]:
        self._build()
        if not evidence:
            return [_copy(self._actors[i].entity) for i in sorted(self._actors)]
        base = {e.id: e for e in self.store.entities(evidence=True)}
        return [self._with_evidence(self._actors[i], base) for i in sorted(self._actors)]

    def _with_evidence(self, actor: _Actor, base: Optional[dict[str, Entity]]) -> Entity:
        pieces = list(actor.extra)
        for member in actor.members:
            found = base.get(member) if base is not None else self.store.entity(member, evidence=True)
            if found is not None:
                pieces += [e for e in found.evidence if e.key() not in actor.excluded]
        return Entity.trusted(**{**vars(_copy(actor.entity)), "evidence": _ordered(pieces)})

    def names(self, ids: Optional[Iterable[str]] = None) -> dict[str, EntityName]:
        self._build()
        chosen = sorted(self._actors) if ids is None else [i for i in ids if i in self._actors]
        return {i: EntityName.of(self._actors[i].entity) for i in chosen}

    def children(self, parent: str) -> list[EntityName]:
        self._build()
        return [EntityName.of(self._actors[i].entity) for i in sorted(self._actors)
                if self._actors[i].entity.parent == parent]

    def mentions(self, entity_id: str) -> dict[str, int]:
        self._build()
        actor = self._actors.get(entity_id)
        if actor is None:
            return {}
        if not actor.extra and not actor.excluded:
            counts: Counter = Counter()
            for member in actor.members:
                counts.update(self.store.mentions(member))
            return dict(counts)
        return dict(Counter(e.document for e in self._with_evidence(actor, None).evidence))

    def documents(self, ids: Optional[Iterable[str]] = None) -> list[Document]:
        self._build()
        reviewed = {d.id: d for d in self._review_documents()}
        if ids is None:
            found = self.store.documents() + list(reviewed.values())
        else:
            wanted = set(ids)
            found = self.store.documents(wanted - set(reviewed)) + [reviewed[i] for i in wanted if i in reviewed]
        return sorted(found, key=lambda d: (d.source, d.id))

    def _review_documents(self) -> list[Document]:
        """A document for each added tie's statement: where its evidence says it comes from."""
        found = {s.id: s for tie in self._ties.values() if self._shown(tie) for s in tie.statements
                 if s.action is Action.add}
        return [_review_document(s) for s in found.values()]

    def find(self, name: str, limit: int = 5, evidence: bool = True) -> list[NameMatch]:
        found = find_in(self.entities(evidence=False), name, limit)
        if not evidence:
            return found
        return [m.model_copy(update={"entity": self.entity(m.entity.id)}) for m in found]

    def relations(
        self,
        entity: Optional[str] = None,
        types: Optional[Iterable[RelationType]] = None,
        statuses: Optional[Iterable[Status]] = None,
        evidence: bool = True,
    ) -> list[Relation]:
        self._build()
        ties = self._ties.values() if entity is None else self._by_entity.get(entity, [])
        wanted_types = set(types) if types else None
        wanted_statuses = set(statuses) if statuses else None
        chosen = sorted((t for t in ties if self._shown(t)
                         and (wanted_types is None or t.relation.type in wanted_types)
                         and (wanted_statuses is None or t.relation.status in wanted_statuses)),
                        key=lambda t: t.relation.id)
        found = self.relation_evidence([t.relation.id for t in chosen]) if evidence else {}
        return [Relation.trusted(**{**vars(t.relation), "evidence": found.get(t.relation.id, [])}) for t in chosen]

    def relation_evidence(self, ids: Iterable[str]) -> dict[str, list[Evidence]]:
        self._build()
        chosen = [self._ties[i] for i in dict.fromkeys(ids) if i in self._ties]
        base = self.store.relation_evidence({m for t in chosen for m in t.members})
        return {t.relation.id: _ordered([*(e for m in t.members for e in base.get(m, [])), *t.extra])
                for t in chosen}

    def _plain(self, ids: Iterable[str]) -> tuple[dict[str, str], list[str]]:
        """Ties that are one extracted relation as it is (base id per view id), and the others."""
        self._build()
        plain, other = {}, []
        for i in dict.fromkeys(ids):
            t = self._ties.get(i)
            if t is None:
                continue
            if len(t.members) == 1 and not t.extra:
                plain[i] = t.members[0]
            else:
                other.append(i)
        return plain, other

    def evidence_summary(self, ids: Iterable[str], quotes: int = 2) -> dict[str, EvidenceSummary]:
        plain, other = self._plain(ids)
        found = self.store.evidence_summary(list(plain.values()), quotes)
        out = {i: found[m] for i, m in plain.items() if m in found}
        out.update((i, summarise(evidence, quotes)) for i, evidence in self.relation_evidence(other).items())
        return out

    def document_counts(self, ids: Iterable[str]) -> dict[str, int]:
        plain, other = self._plain(ids)
        found = self.store.document_counts(list(plain.values()))
        out = {i: found[m] for i, m in plain.items() if m in found}
        out.update((i, len({e.document for e in evidence})) for i, evidence in self.relation_evidence(other).items())
        return out

    def sources(self, entities: Iterable[str] = (), relations: Iterable[str] = ()) -> int:
        documents: set[str] = set()
        for i in entities:
            documents.update(self.mentions(i))
        for summary in self.evidence_summary(relations, 1).values():
            documents |= summary.documents
        return len(documents)

    def subgraph(self, ids: Iterable[str], depth: int = 1) -> "nx.MultiDiGraph":
        self._build()
        keep = frontier = {i for i in ids if i in self._actors}
        for _ in range(depth):
            reached = {end for i in frontier for t in self._by_entity.get(i, []) if self._shown(t)
                       for end in (t.relation.source, t.relation.target)}
            frontier = reached - keep
            keep = keep | reached
            if not frontier:
                break
        return self._graph(keep)

    def to_networkx(self) -> "nx.MultiDiGraph":
        self._build()
        return self._graph(None)

    def _graph(self, keep: Optional[set[str]]) -> "nx.MultiDiGraph":
        """Nodes carry `entity`, edges `relation` (keyed by id) as every store's graph does, and
        a reviewed edge `review` (graph.review.review_field): what the map marks."""
        import networkx as nx

        entities = [e for e in self.entities() if keep is None or e.id in keep]
        relations = [r for r in self.relations() if keep is None or (r.source in keep and r.target in keep)]
        graph = nx.MultiDiGraph()
        graph.add_nodes_from((e.id, {"entity": e}) for e in entities)
        for r in relations:
            data = {"relation": r}
            review = self.review(r.id)
            if review is not None:
                data["review"] = review
            graph.add_edge(r.source, r.target, key=r.id, **data)
        return graph

    def stats(self) -> StoreStats:
        self._build()
        base = self.store.stats()
        shown = [t for t in self._ties.values() if self._shown(t)]
        return StoreStats(
            documents=base.documents,
            entities=len(self._actors),
            relations=len(shown),
            evidence=base.evidence + sum(len(t.extra) for t in shown),
            by_kind=dict(Counter(a.entity.kind.value for a in self._actors.values())),
            by_status=dict(Counter(t.relation.status.value for t in shown)),
        )


def reviewed(store, include_rejected: bool = False):
    """The store with its statements applied, or the store itself when it has none (or cannot
    keep any): a graph no one reviewed is answered at no extra cost."""
    statements = store.statements() if hasattr(store, "statements") else []
    return ReviewedStore(store, statements, include_rejected) if statements else store


def _copy(entity: Entity) -> Entity:
    """A record of the view's own: its aliases and attributes may change, the store's may not."""
    return Entity.trusted(**{**vars(entity), "aliases": list(entity.aliases), "attributes": dict(entity.attributes),
                             "evidence": []})


def _ordered(evidence: Iterable[Evidence]) -> list[Evidence]:
    """One piece per key, in key order: as every store gives evidence."""
    return sorted({evidence_key(e): e for e in evidence}.values(), key=evidence_key)


def _mentions(name: str) -> re.Pattern:
    """A folded name as a whole word or words in folded text."""
    return re.compile(r"(?<!\w)" + re.escape(fold(name)) + r"(?!\w)")


def _review_document_id(s: Statement) -> str:
    return REVIEW_DOCUMENT + s.id.removeprefix("rev-")


def _review_document(s: Statement) -> Document:
    """The document an added tie's evidence comes from: the statement itself."""
    who = f"{s.by} {s.date}".replace("/", "-")
    return Document(id=_review_document_id(s), source=f"{words()['document']} {who}",
                    title=s.reference or words()["document_title"], author=s.by, date=s.date)


def _review_evidence(s: Statement) -> Evidence:
    """The evidence a person's word is: the note and where it is stated, as the quote."""
    w = words()
    text = s.note or w["verdicts"]["add"]
    if s.reference:
        text += f" ({w['source']}: {s.reference})"
    return Evidence.trusted(document=_review_document_id(s), section="", sentence=text,
                            start=0, end=len(text), rule=REVIEW_RULE, confidence=1.0)


# --- The map's quote digest through the statements (viz/render.py load) -----------------------
#
# Appended as a block of its own (set on ReviewedStore below) so that it stays apart from the
# view's read paths above. Only where the store under the view digests quotes itself (SQLite):
# otherwise the view has no quote_digest, and the map reads every quote as before.


def _merged_digest(pieces: Iterable[tuple], quotes: int) -> Optional[tuple[set, list, float]]:
    """One digest of several: (documents, best quotes, best confidence) of every piece's
    digest together. The best `quotes` of the union are among each piece's best `quotes`,
    and best_quotes chooses among them as it would among all (one per span, the span's
    last rule in key order, the most focused first). None when no piece has evidence."""
    from graph.store import best_quotes

    documents: set = set()
    best: list = []
    top: Optional[float] = None
    for found_documents, found_best, found_top in pieces:
        documents |= found_documents
        best += found_best
        top = found_top if top is None else max(top, found_top)
    if top is None:
        return None
    return documents, best_quotes(best, quotes), top


def _evidence_digest(evidence: list[Evidence]) -> Optional[tuple[set, list, float]]:
    """The digest of evidence in memory, with every piece as a best-quote candidate."""
    if not evidence:
        return None
    return {e.document for e in evidence}, list(evidence), max(e.confidence for e in evidence)


def _reviewed_quote_digest(self: ReviewedStore, owners: str, quotes: int,
                           ids: Optional[Iterable[str]] = None) -> dict[str, tuple[set, list, float]]:
    """The store's quote_digest with the statements applied: a tie's is that of the
    extracted relations it is made of together with an added tie's evidence; an actor's
    that of its merged entities with what a split gave it. An actor a split took quotes
    from has its evidence read whole (the quotes it lost may have been its best)."""
    self._build()
    wanted = None if ids is None else set(ids)
    if owners == "relations":
        groups = {i: (t.members, t.extra, False) for i, t in self._ties.items()
                  if self._shown(t) and (wanted is None or i in wanted)}
    else:
        groups = {i: (sorted(a.members), a.extra, bool(a.excluded)) for i, a in self._actors.items()
                  if wanted is None or i in wanted}
    members = sorted({m for found, _, whole in groups.values() if not whole for m in found})
    base = self.store.quote_digest(owners, quotes, None if wanted is None else members)
    out: dict[str, tuple[set, list, float]] = {}
    for owner, (found, extra, whole) in groups.items():
        if whole:
            digest = _evidence_digest(self._with_evidence(self._actors[owner], None).evidence)
            pieces = [digest] if digest is not None else []
        else:
            pieces = [base[m] for m in found if m in base]
            if extra:
                pieces.append(_evidence_digest(list(extra)))
        merged = _merged_digest(pieces, quotes)
        if merged is not None:
            out[owner] = merged
    return out


def _quote_digest_if_the_store_has_one(self: ReviewedStore):
    """quote_digest where the store under the view has one; else no such attribute, so that
    the map (hasattr) reads the view through its records."""
    if not hasattr(self.store, "quote_digest"):
        raise AttributeError("quote_digest")
    return lambda owners, quotes, ids=None: _reviewed_quote_digest(self, owners, quotes, ids)


ReviewedStore.quote_digest = property(_quote_digest_if_the_store_has_one)  # type: ignore[attr-defined]
