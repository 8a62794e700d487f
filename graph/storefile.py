"""The embedded store's file layout: samverkan-store/2 is written, /1 is still read.

Every quoted sentence backs several facts: the actors named in it and each tie it states.
/1 wrote the sentence, its section and its document into every piece of evidence, so a
10,000-document store was 195 MB, of which 77 MB was the same sentences again. /2 keeps
each (document, section, sentence) once in a `quotes` table and each rule once in `rules`,
and writes a piece of evidence as a row `[quote, start, end, rule, confidence]` that
points into them. The file stays one JSON document, still parsed by pydantic-core
straight from bytes, and loading shares one string per sentence among the evidence
that quotes it.
"""

from __future__ import annotations

import json
import re
from operator import attrgetter
from typing import Annotated, Any

import pydantic_core
from pydantic import BaseModel, Field, ValidationError

from graph.model import Document, Entity, Evidence, Model, Relation
from graph.review import Statement

FORMAT = "samverkan-store/2"
FORMAT_1 = "samverkan-store/1"

EVIDENCE_ROW = ("quote", "start", "end", "rule", "confidence")

_quote_of = attrgetter("document", "section", "sentence")
_rest_of = attrgetter("start", "end", "rule", "confidence")

# The format key comes first in every file samverkan writes; other files are parsed to find it.
_LEADING_FORMAT = re.compile(rb'\s*\{\s*"format"\s*:\s*"([^"\\]{1,100})"')


class StoreError(Exception):
    """The store file cannot be read or written; the message names the file and why."""


class StoreFile(Model):
    """The whole store as records, in a deterministic order; what every layout decodes to."""

    format: str
    documents: list[Document] = []
    entities: list[Entity] = []
    relations: list[Relation] = []
    #: Review statements (graph/review.py), in the order they were made; a file written
    #: before they existed has none.
    statements: list[Statement] = []


_Index = Annotated[int, Field(ge=0)]
Row = tuple[_Index, _Index, _Index, _Index, float]


class _FileEntity(Entity):
    evidence: list[Row] = []  # type: ignore[assignment]


class _FileRelation(Relation):
    evidence: list[Row] = []  # type: ignore[assignment]


class _File2(Model):
    format: str
    evidence_row: list[str]
    documents: list[Document] = []
    quotes: list[tuple[str, str, str]] = []  # document id, section, sentence
    rules: list[str] = []
    entities: list[_FileEntity] = []
    relations: list[_FileRelation] = []
    statements: list[Statement] = []


def encode(snapshot: StoreFile) -> bytes:
    """The /2 bytes of a snapshot; the tables are filled in the order the snapshot cites them,
    so the same store always gives the same bytes."""
    quotes: dict[tuple[str, str, str], int] = {}
    rules: dict[str, int] = {}

    def rows(evidence: list[Evidence]) -> list[tuple]:
        out = []
        for e in evidence:
            key, (start, end, rule_name, confidence) = _quote_of(e), _rest_of(e)
            quote = quotes.get(key)
            if quote is None:
                quote = quotes[key] = len(quotes)
            rule = rules.get(rule_name)
            if rule is None:
                rule = rules[rule_name] = len(rules)
            out.append((quote, start, end, rule, confidence))
        return out

    # A record's fields as the model holds them, its evidence as rows: the values are
    # already valid, so dumping them needs no model of their own.
    entities = [{**vars(e), "evidence": rows(e.evidence)} for e in snapshot.entities]
    relations = [{**vars(r), "evidence": rows(r.evidence)} for r in snapshot.relations]
    payload = {
        "format": FORMAT,
        "evidence_row": EVIDENCE_ROW,
        "documents": snapshot.documents,
        "quotes": list(quotes),
        "rules": list(rules),
        "entities": entities,
        "relations": relations,
    }
    if snapshot.statements:  # a store without review statements keeps the bytes it always had
        payload["statements"] = snapshot.statements
    return pydantic_core.to_json(payload)


def decode(raw: bytes, where: str) -> StoreFile:
    """The records in a store file of either layout; StoreError naming `where` if it is damaged."""
    found = file_format(raw, where)
    if found == FORMAT:
        return _from_file2(_validated(_File2, raw, where), where)
    if found == FORMAT_1:
        return _validated(StoreFile, raw, where)
    raise StoreError(f"{where}: not a samverkan store (format {found!r}; this version reads {FORMAT!r} "
                     f"and {FORMAT_1!r})")


def file_format(raw: bytes, where: str) -> str:
    leading = _LEADING_FORMAT.match(raw)
    if leading:
        return leading.group(1).decode("utf-8", "replace")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise StoreError(f"{where}: not a samverkan store (damaged JSON: {exc})") from exc
    found = data.get("format") if isinstance(data, dict) else None
    if not isinstance(found, str):
        raise StoreError(f"{where}: not a samverkan store (no format field)")
    return found


def _validated(model: type[BaseModel], raw: bytes, where: str) -> Any:
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        if first["type"] == "json_invalid":
            raise StoreError(f"{where}: not a samverkan store (damaged JSON: {first['msg']})") from exc
        at = ".".join(str(x) for x in first["loc"])
        raise StoreError(f"{where}: damaged store record at {at} ({first['msg']})") from exc


def _from_file2(data: _File2, where: str) -> StoreFile:
    if tuple(data.evidence_row) != EVIDENCE_ROW:
        raise StoreError(f"{where}: damaged store (evidence rows are {data.evidence_row}, expected "
                         f"{list(EVIDENCE_ROW)})")
    quotes, rules = data.quotes, data.rules
    trusted = Evidence.trusted

    def evidence(record: str, rows: list[Row]) -> list[Evidence]:
        try:  # rows were type-checked on parsing; only their references can be wrong
            return [trusted(*quotes[q], start, end, rules[r], confidence) for q, start, end, r, confidence in rows]
        except IndexError:
            raise StoreError(f"{where}: damaged store record {record} (evidence points past the quote "
                             f"or rule table)") from None

    # Every other field was validated as the record's own type: rebuilt without a second check.
    entities = [Entity.trusted(**{**vars(e), "evidence": evidence(e.id, e.evidence)}) for e in data.entities]
    relations = [Relation.trusted(**{**vars(r), "evidence": evidence(r.id, r.evidence)}) for r in data.relations]
    return StoreFile.model_construct(format=FORMAT, documents=data.documents, entities=entities,
                                     relations=relations, statements=data.statements)
