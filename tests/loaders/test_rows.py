"""A worker's result crosses to the parent as compact rows and comes back as it was."""

from __future__ import annotations

from pathlib import Path

from graph.model import DocumentType, Extraction, Kind, RelationType, Status
from loaders import rows
from loaders.batch import Failure
from loaders.pipeline import extract_text

TEXT = ("# Samverkansöverenskommelse\n\nUppsala kommun och Polisregion Mitt tecknade 2023 en "
        "samverkansöverenskommelse om trygghet i Gottsunda. Kontaktperson är Karin Lindqvist.")


def test_an_extraction_travels_as_rows_and_comes_back_equal():
    extraction = extract_text(TEXT, source="avtal.md", markdown=True)
    assert extraction.entities and extraction.relations and extraction.relations[0].evidence
    message = rows.encode(extraction)
    assert message[:1] == rows.ROWS
    back = rows.decode(message)
    assert type(back) is Extraction and back.model_dump() == extraction.model_dump()
    assert type(back.document.type) is DocumentType
    assert all(type(e.kind) is Kind for e in back.entities)
    assert all(type(r.type) is RelationType and type(r.status) is Status for r in back.relations)


def test_a_failure_travels_as_a_pickle():
    failure = Failure("a.txt", "kunde inte läsas")
    message = rows.encode(failure)
    assert message[:1] == rows.PICKLE and rows.decode(message) == failure


def test_a_value_the_rows_cannot_carry_goes_as_a_pickle():
    extraction = extract_text(TEXT, source="avtal.md", markdown=True)
    extraction.entities[0].attributes["path"] = Path("/tmp/x")  # not a plain value
    message = rows.encode(extraction)
    assert message[:1] == rows.PICKLE
    assert rows.decode(message).entities[0].attributes["path"] == Path("/tmp/x")
