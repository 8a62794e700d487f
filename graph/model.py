"""The records every room of samverkan speaks: documents, evidence, entities, relations.

Ids are derived from content (a hash of the normalised text, a slug of the canonical
name, a hash of the relation's ends, type and status), never from counters or clocks,
so extracting the same document twice yields byte-identical records and re-ingesting
changes nothing in a store.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import Any, Callable, Iterable, Optional

from typing_extensions import Self

from pydantic import BaseModel, ConfigDict, Field

from graph.vocabulary import (  # noqa: F401  (re-exported: the records' vocabulary)
    COOPERATION_TYPES, SYMMETRIC_TYPES, DocumentType, Kind, RelationType, Status,
)


_new = object.__new__
_set = object.__setattr__


class Model(BaseModel):
    """A pydantic model whose validator is built when it is first used, not when its module
    is imported: building the validators of every model a command imports was a tenth of a
    second of each command's start, most of which never validates a record (stores make
    them with Record.trusted)."""

    model_config = ConfigDict(defer_build=True)


class Record(Model):
    model_config = ConfigDict(frozen=False, extra="forbid", use_enum_values=False)

    @classmethod
    def trusted(cls, *values: Any, **named: Any) -> Self:
        """A record from values this program built and checked itself: one per field, in
        order or by name (every field named; a missing one raises KeyError).

        Extraction makes tens of records per document and ingestion moves them between
        processes; pydantic's validation (4 µs) and model_construct (8 µs) would cost
        more than the extraction that made them, this costs 2 µs.
        """
        names, all_set = _field_names(cls)
        if named:
            values = tuple(map(named.__getitem__, names))
        record = _new(cls)
        _set(record, "__dict__", dict(zip(names, values)))
        # Shared: every field is set, and pydantic only ever adds names already in it.
        _set(record, "__pydantic_fields_set__", all_set)
        _set(record, "__pydantic_extra__", None)
        _set(record, "__pydantic_private__", None)
        return record

    def __reduce__(self) -> tuple:
        """Pickled as the class and its field values: pydantic's own pickling rebuilds every
        record through __setstate__, which made unpickling worker results the slowest part
        of parallel ingestion."""
        return (_rebuild, (type(self), _field_getter(type(self))(self.__dict__)))


@lru_cache(maxsize=None)
def _field_names(cls: type[Record]) -> tuple[tuple[str, ...], set[str]]:
    """Looked up once per class: pydantic's model_fields is a computed property."""
    return tuple(cls.model_fields), set(cls.model_fields)


@lru_cache(maxsize=None)
def _field_getter(cls: type[Record]) -> Callable[[dict], tuple]:
    """All field values of a record's __dict__ as a tuple, in field order, in one C call."""
    names = _field_names(cls)[0]
    getter = itemgetter(*names)
    return getter if len(names) > 1 else lambda values: (getter(values),)


def _rebuild(cls: type[Record], values: tuple) -> Record:
    return cls.trusted(*values)


class Document(Record):
    id: str
    source: str
    title: str = ""
    type: DocumentType = DocumentType.other
    dnr: list[str] = Field(default_factory=list)
    date: Optional[str] = None
    author: Optional[str] = None
    length: int = 0
    #: Why only part of the document is in the store (a cap on sentences read or evidence kept
    #: was reached, see loaders/reading/limits.py), said for the reader; None when it was read whole.
    limited: Optional[str] = None


class Evidence(Record):
    document: str
    section: str = ""
    sentence: str
    start: int
    end: int
    rule: str
    confidence: float = 1.0

    def key(self) -> tuple[str, int, int, str]:
        """Two pieces of evidence are the same when they point at the same span by the same rule."""
        return evidence_key(self)


#: Evidence.key as a C-level function: sorting a large store's evidence calls it a million times.
evidence_key = attrgetter("document", "start", "end", "rule")


class Entity(Record):
    id: str
    name: str
    kind: Kind
    aliases: list[str] = Field(default_factory=list)
    parent: Optional[str] = None
    attributes: dict[str, str] = Field(default_factory=dict)
    evidence: list[Evidence] = Field(default_factory=list)

    @property
    def label(self) -> str:
        """The name to show a person: 'Socialförvaltningen (Helsingborgs stad)' where every
        municipality has a Socialförvaltningen, else the name."""
        municipality = self.attributes.get("municipality")
        return f"{self.name} ({municipality})" if municipality else self.name


class Relation(Record):
    id: str
    source: str
    target: str
    type: RelationType
    status: Status = Status.unknown
    via: Optional[str] = None
    since: Optional[str] = None
    evidence: list[Evidence] = Field(default_factory=list)


class Extraction(Record):
    """One document's records: the unit loaders produce and stores consume."""

    document: Document
    entities: list[Entity] = Field(default_factory=list)
    relations: list[Relation] = Field(default_factory=list)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Fold a name for comparison: case, diacritics, dashes and white space do not matter."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[\-\u2010-\u2015_/]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


#: Greek and Cyrillic letters in Latin, for readable ids of names written in them (the
#: folded text: lower case, accents gone), and Latin letters that folding leaves as they are.
_TRANSLITERATION = str.maketrans({
    **dict(zip("αβγδεζηθικλμνξοπρσςτυφχψω",
               "a b g d e z i th i k l m n x o p r s s t y f ch ps o".split())),
    **dict(zip("абвгдеёжзийклмнопрстуфхцчшщыэюяіїєґў",
               "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch y e yu ya i i ie g u".split())),
    "ъ": "", "ь": "",
    "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i",
})
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def _loses_letters(folded: str) -> bool:
    """Whether a slug of the folded name would drop a letter or digit that is not a-z or 0-9."""
    return any(ch.isalnum() for run in _NOT_SLUG.findall(folded) for ch in run)


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    """A readable, stable id from a name: 'Polisregion Stockholm' -> 'polisregion-stockholm'.

    A name with letters that are not a-z once folded (Greek, Cyrillic, Arabic, 'ø') would
    lose them, and different names would share an id and merge. Such a name is
    transliterated where the table above knows its letters, and always gets a hash of its
    folded text appended: 'Διάλογος' -> 'dialogos-' and eight hex digits. A name that loses
    no letter keeps the id it always had.
    """
    folded = fold(text)
    if not _loses_letters(folded):
        return _NOT_SLUG.sub("-", folded).strip("-") or "x"
    readable = _NOT_SLUG.sub("-", folded.translate(_TRANSLITERATION)).strip("-")
    return f"{readable or 'x'}-{digest(folded, size=8)}"


def digest(*parts: str, size: int = 16) -> str:
    """A short content hash; used where a readable slug would be ambiguous."""
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return h[:size]


def document_id(normalised_text: str) -> str:
    return "doc-" + digest(normalised_text)


@lru_cache(maxsize=65536)
def relation_id(source: str, target: str, type_: RelationType, status: Status) -> str:
    if type_ in SYMMETRIC_TYPES and target < source:
        source, target = target, source
    return "rel-" + digest(source, target, type_.value, status.value)


def confidence_of(evidence: Iterable["Evidence"]) -> float:
    """How sure a tie is: the confidence of its best-read piece of evidence (0 without any)."""
    return max((e.confidence for e in evidence), default=0.0)


def make_relation(
    source: str,
    target: str,
    type_: RelationType,
    status: Status,
    evidence: list[Evidence],
    via: Optional[str] = None,
    since: Optional[str] = None,
) -> Relation:
    """Build a relation with its deterministic id, ordering symmetric ends."""
    if type_ in SYMMETRIC_TYPES and target < source:
        source, target = target, source
    # Every value is made here or by the extraction that calls this: no validation needed.
    type_, status = RelationType(type_), Status(status)
    return Relation.trusted(
        id=relation_id(source, target, type_, status),
        source=source,
        target=target,
        type=type_,
        status=status,
        via=via,
        since=since,
        evidence=list(evidence),
    )
