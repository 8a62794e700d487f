"""What `samverkan review` needs besides the store: which tie a pair of actors means, whether a
statement makes sense, and how a statement reads in a list.

Every refusal is a ReviewError whose message is one Swedish line naming the problem.
"""

from __future__ import annotations

from typing import Optional


from graph.model import Entity, Model, RelationType, fold
from graph.review import Action, Statement, verdict, words
from graph.store import Store


class ReviewError(Exception):
    """A statement that cannot be made; the message says why, in Swedish."""


def _type_word(type_: RelationType) -> str:
    return words()["types"][type_.value][0]


def find_tie(store: Store, a: Entity, b: Entity, type_: Optional[RelationType] = None) -> tuple[str, str, RelationType]:
    """(source, target, type) of the tie between a and b a statement speaks of, in the
    direction the graph has it. Refused when there is none, or ties of several types and
    no type to choose one."""
    ties = [r for r in store.relations(entity=a.id, evidence=False) if {r.source, r.target} == {a.id, b.id}]
    if not ties:
        raise ReviewError(f"Inget samband mellan {a.label} och {b.label} i grafen; lägg till ett med "
                          f"samverkan review add \"{a.label}\" \"{b.label}\" --by NAMN.")
    types = sorted({r.type for r in ties}, key=lambda t: t.value)
    if type_ is not None:
        if type_ not in types:
            raise ReviewError(f"Inget samband av typen {_type_word(type_)} mellan {a.label} och {b.label}; "
                              f"de har: {_listed(types)}.")
        types = [type_]
    if len(types) > 1:
        raise ReviewError(f"{a.label} och {b.label} har samband av flera typer: {_listed(types)}; "
                          f"ange en med --typ.")
    tie = next(r for r in ties if r.type is types[0])
    return tie.source, tie.target, tie.type


def _listed(types: list[RelationType]) -> str:
    return ", ".join(f"{_type_word(t)} ({t.value})" for t in types)


def check_merge(a: Entity, b: Entity) -> None:
    if a.id == b.id:
        raise ReviewError(f"{a.label} och {b.label} är redan samma aktör.")


def check_split(actor: Entity, name: str) -> None:
    """A name can be split off an actor when it is one of the actor's other names."""
    if fold(name) in (fold(actor.name), fold(actor.label)):
        raise ReviewError(f"'{name}' är aktörens eget namn; byt namn med samverkan review rename.")
    if fold(name) not in {fold(alias) for alias in actor.aliases}:
        known = ", ".join(actor.aliases) or "inga"
        raise ReviewError(f"{actor.label} har inget annat namn '{name}' (andra namn: {known}).")


def check_rename(actor: Entity, name: str) -> None:
    if not name.strip():
        raise ReviewError("Det nya namnet är tomt.")
    if name.strip() == actor.name:
        raise ReviewError(f"{actor.label} heter redan så.")


def find_statement(statements: list[Statement], wanted: str) -> Statement:
    """The statement with this id, or the one whose id begins with it."""
    found = [s for s in statements if s.id == wanted] or [s for s in statements if s.id.startswith(wanted)]
    if not found:
        raise ReviewError(f"Inget uttalande med id {wanted} (se samverkan review list).")
    if len(found) > 1:
        raise ReviewError(f"{wanted} är början på flera uttalandens id: {', '.join(s.id for s in found)}.")
    return found[0]


class StatementRow(Model):
    """A statement as `review list` shows it."""

    id: str
    date: str
    by: str
    action: Action
    statement: str
    note: str
    reference: str


def describe(store: Store, statements: list[Statement]) -> list[StatementRow]:
    """Each statement as a row: what it says in Swedish, with today's names of its actors."""
    ids = {i for s in statements for i in (s.source, s.target, s.value if s.action is Action.via else None) if i}
    resolve = getattr(store, "resolve", lambda i: i)
    names = store.names({resolve(i) for i in ids})
    # An actor statement reads with the names it was made about: the extracted ones.
    extracted = getattr(store, "store", store).names(ids)

    def name(entity_id: Optional[str], as_made: bool = False) -> str:
        found = (extracted.get(entity_id or "") if as_made else None) or names.get(resolve(entity_id or ""))
        return found.label if found else (entity_id or "")

    rows = []
    for s in statements:
        what = verdict(s.action)
        if s.action is Action.merge:
            text = f"{what}: {name(s.target, True)} → {name(s.source, True)}"
        elif s.action in (Action.split, Action.rename):
            text = f"{what}: {name(s.source, True)} → {s.value}"
        else:
            text = f"{what}: {name(s.source)} – {name(s.target)} ({_type_word(s.type)})"
            if s.action is Action.status and s.value:
                from graph.vocabulary import Status, swedish_words

                text += f" {words()['to']} {swedish_words(Status)[s.value][0]}"
            elif s.action is Action.via and s.value:
                text += f" {words()['to']} {name(s.value)}"
        rows.append(StatementRow(id=s.id, date=s.date, by=s.by, action=s.action, statement=text, note=s.note,
                                 reference=s.reference))
    return rows
