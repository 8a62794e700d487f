"""The ties in force at a date or during a span: what `--as-of` answers with.

A tie is in force at a date when the documents show it had begun by then and had not yet
ended. When it began: its `since` year, the start of the agreement or project it runs
through (valid_from, loaders/extraction/periods.py), or the date of the earliest document that states
it as existing, whichever is earliest. When it ended: the end of its vehicle's period
(valid_to), else the date of the earliest document that says it has ended. A tie no
document dates is not known to be in force at any date: it is left out and counted, so a
reader is told how many. Planned, proposed and rejected ties are never in force.

`AsOfStore` applies this on top of any store: it answers every read the queries make
with the ties in force only, and hides the store's fast paths that would read all ties
(their answers would not be filtered); with no date the plain store is used.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, Iterable, NamedTuple, Optional

from graph.model import Kind, Relation, RelationType, Status

#: Kinds that run for a period: their valid_from / valid_to bound the ties through them.
VEHICLE_KINDS = (Kind.agreement, Kind.project, Kind.programme, Kind.group)
_MEMBERSHIP = (RelationType.PARTY_TO, RelationType.PARTICIPATES_IN)
_DATE = re.compile(r"^((?:19|20)\d\d)(?:-(\d\d)(?:-(\d\d))?)?$")


class Span(NamedTuple):
    """First and last day (ISO) of what the user asked for: a year, a month or a day."""

    first: str
    last: str


class DateError(ValueError):
    """A date the user gave that is none of YYYY, YYYY-MM, YYYY-MM-DD."""


def span_of(text: str) -> Span:
    """'2019' -> the whole year, '2019-05' -> May, '2019-05-14' -> that day."""
    import calendar

    found = _DATE.match(text.strip())
    if not found:
        raise DateError(f"{text!r} är inget datum: skriv ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD")
    year, month, day = found.group(1), found.group(2), found.group(3)
    if month is None:
        return Span(f"{year}-01-01", f"{year}-12-31")
    if not 1 <= int(month) <= 12:
        raise DateError(f"{text!r} är inget datum: månaden {month} finns inte")
    last = calendar.monthrange(int(year), int(month))[1]
    if day is None:
        return Span(f"{year}-{month}-01", f"{year}-{month}-{last:02d}")
    if not 1 <= int(day) <= last:
        raise DateError(f"{text!r} är inget datum: dagen {day} finns inte")
    return Span(text.strip(), text.strip())


class Dating(NamedTuple):
    """When one tie began and ended, as far as the documents tell (ISO dates or None)."""

    start: Optional[str]
    end: Optional[str]


def datings(relations: list[Relation], documents: dict[str, frozenset[str]], dates: dict[str, Optional[str]],
            periods: dict[str, dict[str, str]]) -> dict[str, Dating]:
    """Each existing or ended tie's Dating. `documents`: the documents of each tie's
    evidence; `dates`: each document's date; `periods`: each vehicle's attributes."""
    def earliest(relation: Relation) -> Optional[str]:
        return min(filter(None, (dates.get(d) for d in documents.get(relation.id, ()))), default=None)

    def vehicle(relation: Relation) -> dict[str, str]:
        held = relation.target if relation.type in _MEMBERSHIP else relation.via
        return periods.get(held, {}) if held else {}

    told = [r for r in relations if r.status in (Status.existing, Status.ended)]
    # One tie may be stated as existing in one document and as ended in a later one: the
    # existing statement dates its start, the ended one its end.
    begun: dict[tuple, list[str]] = defaultdict(list)
    ended: dict[tuple, list[str]] = defaultdict(list)
    for r in told:
        key = (r.source, r.target, r.type)
        stated = earliest(r)
        starts = [d for d in (_year_start(r.since), vehicle(r).get("valid_from")) if d]
        if r.status is Status.existing and stated:
            starts.append(stated)
        begun[key] += starts
        if r.status is Status.ended and stated:
            ended[key].append(stated)
    out = {}
    for r in told:
        key = (r.source, r.target, r.type)
        start = min(begun[key], default=None)
        end = vehicle(r).get("valid_to")
        after = [e for e in ended[key] if start is None or e >= start]
        if end is None and after:
            end = min(after)
        out[r.id] = Dating(start, end)
    return out


def in_force(dating: Dating, span: Span) -> bool:
    """Had the tie begun by the span's last day, and not ended before its first?"""
    return dating.start is not None and dating.start <= span.last and (dating.end is None or dating.end >= span.first)


def _year_start(since: Optional[str]) -> Optional[str]:
    """A `since` year (or date) as the first day it stands for."""
    if not since:
        return None
    return since if len(since) >= 10 else f"{since[:4]}-01-01"


#: Fast paths of the stores that read every tie themselves: hidden, so that queries use
#: relations(), which AsOfStore filters.
_BYPASSING = frozenset({"tie_rows", "degrees", "shortest_paths", "gds", "gds_louvain", "gds_betweenness",
                        "vehicle_rows"})


class AsOfStore:
    """A store seen at a date: every read of ties gives those in force during `span`."""

    def __init__(self, store: Any, span: Span) -> None:
        self._store = store
        self.span = span
        self._kept: Optional[set[str]] = None
        self.undated = 0

    def __getattr__(self, name: str) -> Any:
        if name in _BYPASSING:
            raise AttributeError(name)
        return getattr(self._store, name)

    def kept(self) -> set[str]:
        """Ids of the ties in force, worked out once from the whole store."""
        if self._kept is None:
            relations = self._store.relations(evidence=False)
            told = [r.id for r in relations if r.status in (Status.existing, Status.ended)]
            documents = {i: s.documents for i, s in self._store.evidence_summary(told, quotes=0).items()}
            dates = {d.id: d.date for d in self._store.documents()}
            periods = {e.id: e.attributes for e in self._store.entities(evidence=False) if e.kind in VEHICLE_KINDS}
            dated = datings(relations, documents, dates, periods)
            self._kept = _one_per_tie({r.id: r for r in relations}, {i for i, d in dated.items() if in_force(d, self.span)})
            self.undated = sum(1 for d in dated.values() if d.start is None)
        return self._kept

    def relations(self, entity: Optional[str] = None, types: Optional[Iterable[RelationType]] = None,
                  statuses: Optional[Iterable[Status]] = None, evidence: bool = True) -> list[Relation]:
        kept = self.kept()
        return [r for r in self._store.relations(entity=entity, types=types, statuses=statuses, evidence=evidence)
                if r.id in kept]

    def to_networkx(self):
        return _without_other_ties(self._store.to_networkx(), self.kept())

    def subgraph(self, ids: Iterable[str], depth: int = 1):
        import networkx as nx

        graph = _without_other_ties(self._store.to_networkx(), self.kept())
        undirected = graph.to_undirected(as_view=True)
        keep: set[str] = set()
        for node in ids:
            if node in graph:
                keep |= set(nx.single_source_shortest_path_length(undirected, node, cutoff=depth))
        return graph.subgraph(keep).copy()


def _one_per_tie(relations: dict[str, Relation], kept: set[str]) -> set[str]:
    """A tie in force both as stated existing and as stated ended (in a later document) is
    shown once, as existing: at that date it was."""
    existing = {(r.source, r.target, r.type) for i in kept if (r := relations[i]).status is Status.existing}
    return {i for i in kept if relations[i].status is not Status.ended
            or (relations[i].source, relations[i].target, relations[i].type) not in existing}


def _without_other_ties(graph, kept: set[str]):
    graph.remove_edges_from([(u, v, k) for u, v, k in graph.edges(keys=True) if k not in kept])
    return graph


def at(store: Any, when: Optional[str]) -> Any:
    """The store as it stood `when` (YYYY, YYYY-MM or YYYY-MM-DD), or the store itself."""
    return AsOfStore(store, span_of(when)) if when else store


def expiring(attributes: dict[str, str], when: str) -> bool:
    """Does a vehicle's period end within `when` (YYYY, YYYY-MM or YYYY-MM-DD)?"""
    span = span_of(when)
    valid_to = attributes.get("valid_to")
    return bool(valid_to) and span.first <= valid_to <= span.last
