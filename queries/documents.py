"""How documents are named to users: by file name, which is what they recognise."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from graph.model import Document


def document_names(docs: Iterable[Document]) -> dict[str, str]:
    return {d.id: Path(d.source).name for d in docs}
