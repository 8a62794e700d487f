"""Review statements: what a person says about the extracted graph, kept beside it.

A statement never changes an extracted record. It names the tie it speaks of by its ends
and type (symmetric ends ordered as graph.model.make_relation orders them), not by
relation id: a status correction changes the id, and a document read again gives the same
ends and type, so a statement applies to the same tie after any re-ingest. Actors are named
by entity id. graph/reviewed.py applies the statements to a store's answers.

The id is a hash of the statement's content: the same statement made twice is one statement.
"""

from __future__ import annotations

import datetime as _dt
import json
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Optional

from pydantic import ConfigDict

from graph.model import Model, RelationType, SYMMETRIC_TYPES, Status, digest, fold
from graph.vocabulary import swedish_words


class Action(str, Enum):
    confirm = "confirm"
    reject = "reject"
    status = "status"
    via = "via"
    merge = "merge"
    split = "split"
    rename = "rename"
    add = "add"


#: Statements about one tie (its ends and type); the others are about actors.
TIE_ACTIONS = frozenset({Action.confirm, Action.reject, Action.status, Action.via, Action.add})
#: Statements about actors, applied before the tie statements, in the order they were made.
ACTOR_ACTIONS = frozenset({Action.merge, Action.split, Action.rename})


class Statement(Model):
    """One review statement. Which fields it uses depends on the action:

    - confirm, reject, status, via, add: `source`, `target`, `type` name the tie;
      `value` is the new status (status, add) or the via entity id (via).
    - merge: `source` is the actor kept, `target` the actor that is the same body.
    - split: `source` is the actor, `value` the name split off as an actor of its own.
    - rename: `source` is the actor, `value` its new name.

    `reference` is where an added tie is stated (a document, a meeting, a person);
    `by` and `date` (ISO) say who made the statement and when."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    action: Action
    source: str
    target: Optional[str] = None
    type: Optional[RelationType] = None
    value: Optional[str] = None
    note: str = ""
    reference: str = ""
    by: str
    date: str

    @property
    def tie(self) -> Optional[tuple[str, str, RelationType]]:
        """(source, target, type) of the tie a tie statement speaks of; None for actor statements."""
        if self.action not in TIE_ACTIONS or self.target is None or self.type is None:
            return None
        return tie_key(self.source, self.target, self.type)

    def record(self) -> str:
        """The statement as one JSON text: how every backend stores it."""
        return self.model_dump_json()

    @classmethod
    def from_record(cls, text: str) -> "Statement":
        return cls.model_validate_json(text)


def tie_key(source: str, target: str, type_: RelationType) -> tuple[str, str, RelationType]:
    """The ends and type of a tie, ordered as make_relation orders a symmetric type's ends."""
    type_ = RelationType(type_)
    if type_ in SYMMETRIC_TYPES and target < source:
        source, target = target, source
    return source, target, type_


def make_statement(action: Action, source: str, by: str, *, target: Optional[str] = None,
                   type_: Optional[RelationType] = None, value: Optional[str] = None, note: str = "",
                   reference: str = "", date: Optional[str] = None) -> Statement:
    """A statement with its content id; a tie's symmetric ends ordered; today when no date."""
    action = Action(action)
    if action in TIE_ACTIONS:
        if target is None or type_ is None:
            raise ValueError(f"a {action.value} statement needs both ends and a type")
        source, target, type_ = tie_key(source, target, type_)
    if action in (Action.status, Action.add) and value is not None:
        value = Status(value).value
    when = date or _dt.date.today().isoformat()
    try:
        _dt.date.fromisoformat(when)  # a wrong date is refused here, not stored
    except ValueError:
        raise ValueError(f"'{when}' är inget datum; skriv det som ÅÅÅÅ-MM-DD.") from None
    fields = {"action": action.value, "source": source, "target": target,
              "type": type_.value if type_ is not None else None, "value": value, "note": note.strip(),
              "reference": reference.strip(), "by": by.strip(), "date": when}
    return Statement(id="rev-" + digest(json.dumps(fields, sort_keys=True, ensure_ascii=False)), **fields)


# --- What a reader sees --------------------------------------------------------------------


@lru_cache(maxsize=1)
def words() -> dict:
    """The Swedish words of graph/data/review.json."""
    with (Path(__file__).with_name("data") / "review.json").open(encoding="utf-8") as fh:
        return json.load(fh)


def verdict(action: Action) -> str:
    """The Swedish word for what a statement did to a tie or an actor: 'bekräftad', 'avvisad' ..."""
    return words()["verdicts"][Action(action).value]


def parse_relation_type(value) -> RelationType:
    """A RelationType from its code or a Swedish word ('samverkar', 'part i'), in any case and
    with or without diacritics; ValueError with a Swedish message listing the choices."""
    if isinstance(value, RelationType):
        return value
    folded = fold(str(value))
    for member in RelationType:
        if folded == fold(member.value) or folded in {fold(w) for w in words()["types"][member.value]}:
            return member
    choices = ", ".join(f"{words()['types'][m.value][0]} ({m.value})" for m in RelationType)
    raise ValueError(f"'{value}' är inte en sambandstyp: {choices}.")


def review_line(statements: list[Statement], names: Optional[dict[str, str]] = None) -> str:
    """One Swedish line for a reviewed tie: 'Granskad: bekräftad av Anna 2026-12-03: not'
    (each statement, latest last, joined by '; '). `names` gives an entity's label for a via id."""
    w = words()
    parts = []
    for s in statements:
        what = verdict(s.action)
        if s.action is Action.status and s.value:
            what += f" {w['to']} {swedish_words(Status)[s.value][0]}"
        elif s.action is Action.via and s.value:
            what += f" {w['to']} {(names or {}).get(s.value, s.value)}"
        elif s.action is Action.rename and s.value:
            what += f" {w['to']} {s.value}"
        elif s.action is Action.split and s.value:
            what = f"{s.value} {what}"
        part = f"{what} {w['by']} {s.by} {s.date}"
        if s.note:
            part += f": {s.note}"
        if s.reference:
            part += f" ({w['source']}: {s.reference})"
        parts.append(part)
    return f"{w['reviewed']}: " + "; ".join(parts)


def review_field(statements: list[Statement]) -> Optional[dict]:
    """What the map gets of a reviewed tie: the latest statement's verdict, who, when, and
    the notes of every statement (latest last). None for a tie no one reviewed."""
    if not statements:
        return None
    last = statements[-1]
    notes = "; ".join(s.note for s in statements if s.note)
    return {"verdict": verdict(last.action), "by": last.by, "date": last.date, "note": notes}


def review_of(store, relation_id: str) -> list[Statement]:
    """The statements about a relation's tie, from any store ([] from one without reviews).
    Here, not in graph/reviewed.py: `show` and `between` ask it of every store, and a store
    without reviews need not import the reviewed view."""
    return store.review_of(relation_id) if hasattr(store, "review_of") else []
