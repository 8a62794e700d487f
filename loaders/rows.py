"""A worker's result as compact rows of plain values, to cross from a worker to the parent.

Every file's Extraction goes from the worker that read it to the parent that stores it.
Pickled, each record, each enum member and each piece of evidence is rebuilt through
Python calls on both sides: that cost as much as a tenth of what reading a short document
costs. Here a record becomes a tuple of its field values in field order (enum members as
their values, nested records as tuples), the whole as one marshal, which the C code
writes and reads without a Python call per value; the parent rebuilds the records with
Record.trusted, as they were.

The layout is read from the models' own field annotations, so a field added to a record
travels without a change here. Whatever this layout cannot carry (a Failure, a value of
a type marshal does not know) goes as a pickle: `encode` never refuses a result.
"""

from __future__ import annotations

import marshal
import pickle
import types
import typing
from enum import Enum
from functools import lru_cache
from operator import itemgetter
from typing import Any, Callable, Optional

from graph.model import Extraction, Record

#: The first byte of a message: which of the two forms follows.
ROWS, PICKLE = b"M", b"P"

#: One field's conversion on the way out (value -> plain) and on the way in (plain -> value).
_Convert = tuple[Callable[[Any], Any], Callable[[Any], Any]]


def encode(result: object) -> bytes:
    """The result as one message: rows for an Extraction, a pickle for anything else."""
    if type(result) is Extraction:
        try:
            return ROWS + marshal.dumps(_codec(Extraction)[0](result))
        except (ValueError, AttributeError, KeyError, TypeError):
            pass  # a value this layout cannot carry: the pickle carries anything
    return PICKLE + pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


def decode(message: bytes) -> Any:
    if message[:1] == ROWS:
        return _codec(Extraction)[1](marshal.loads(memoryview(message)[1:]))
    return pickle.loads(memoryview(message)[1:])


@lru_cache(maxsize=None)
def _codec(cls: type[Record]) -> tuple[Callable[[Record], tuple], Callable[[tuple], Record]]:
    """(record -> row, row -> record) for a record class, from its field annotations."""
    names = tuple(cls.model_fields)
    get = itemgetter(*names) if len(names) > 1 else (lambda values: (values[names[0]],))
    hints = typing.get_type_hints(cls)
    converts = [(i, convert) for i, name in enumerate(names) if (convert := _convert(hints[name])) is not None]
    build = cls.trusted
    if not converts:
        return (lambda record: get(record.__dict__)), (lambda row: build(*row))

    def to_row(record: Record) -> tuple:
        row = list(get(record.__dict__))
        for i, (out, _) in converts:
            row[i] = out(row[i])
        return tuple(row)

    def from_row(row: tuple) -> Record:
        values = list(row)
        for i, (_, back) in converts:
            values[i] = back(values[i])
        return build(*values)

    return to_row, from_row


def _convert(annotation: Any) -> Optional[_Convert]:
    """How a field of this type travels, or None where marshal carries it as it is."""
    inner = _optional_of(annotation)
    if inner is not None:
        convert = _convert(inner)
        if convert is None:
            return None
        out, back = convert
        return (lambda v: None if v is None else out(v)), (lambda v: None if v is None else back(v))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        members = annotation._value2member_map_
        return (lambda v: v.value), (lambda v: members.get(v) or annotation(v))
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return _record_convert(annotation)
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation) or (Any,)
        if isinstance(item, type) and issubclass(item, Record):  # the codec looked up once per list
            return (lambda v: list(map(_codec(item)[0], v))), (lambda v: list(map(_codec(item)[1], v)))
        convert = _convert(item)
        if convert is None:
            return None
        out, back = convert
        return (lambda v: [out(x) for x in v]), (lambda v: [back(x) for x in v])
    return None


def _record_convert(cls: type[Record]) -> _Convert:
    """A nested record: looked up when first used, so records may refer to one another."""
    return (lambda v: _codec(cls)[0](v)), (lambda v: _codec(cls)[1](v))


def _optional_of(annotation: Any) -> Optional[Any]:
    """X for Optional[X] (X | None), else None."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(annotation)) == 2:
            return args[0]
    return None
