"""How much one document may cost: the limits every reader and the batch enforce.

A hostile or broken file (a zip bomb, a page of a million nested tags, 50 MB of one
sentence repeated) must cost one file, not the batch, and must not take the machine's
memory with it. Each limit has a default no ordinary document reaches, a command-line
option to raise it, and a message naming the file and the limit (see README, "Limits").

Two kinds of limit:
- reading limits (file size, unpacked Word size, HTML depth and parse time, PDF pages
  and text): the file is refused with a LoaderError, as it cannot be read safely;
- extraction caps (sentences read, evidence kept): the document is stored in part and
  its record says so (Document.limited), since what it says up to the cap is still true.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from graph.model import Extraction

#: Largest file read, in bytes; beyond it a document is refused with a clear message.
MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Every per-document limit; the defaults are far above ordinary public documents
    (the largest SOU reports run to about 1,000 pages and 3 million characters)."""

    max_bytes: int = MAX_BYTES  # --max-mb: size of the file on disk
    max_unpacked_bytes: int = 200_000_000  # --max-unpacked-mb: a .docx's parts, unpacked
    max_html_depth: int = 1_000  # --max-html-depth: elements open inside each other
    max_html_seconds: float = 60.0  # --max-html-seconds: parsing one web page
    max_pdf_pages: int = 3_000  # --max-pdf-pages
    max_text_chars: int = 20_000_000  # --max-text-mb (millions of characters) of PDF text
    max_sentences: int = 30_000  # --max-sentences: read per document, the rest is left out
    max_evidence: int = 20_000  # --max-evidence: evidence rows kept per document
    max_seconds: float = 600.0  # --max-seconds: reading and extracting one file
    max_memory_bytes: int = 2_000_000_000  # --max-memory-mb: a worker's own memory for one file


#: Where a sentence or a block ends, as far as counting them for the cap goes: a full stop,
#: question or exclamation mark before white space, or a blank line. Approximate on
#: purpose: the cap bounds work, it does not have to agree with spans.py to the sentence.
_SENTENCE_END = re.compile(r"[.!?…](?=\s)|\n[ \t]*\n")


def cap_sentences(text: str, max_sentences: int) -> tuple[str, Optional[str]]:
    """The text up to its max_sentences-th sentence end, and a note when it was cut.

    Extraction costs time and memory in proportion to the sentences it reads (50 MB of
    text gave 390,000 pieces of evidence and minutes of work); cutting the text before
    extraction bounds both, and what was read is still extracted exactly.
    """
    if len(text) < max_sentences * 2:  # a sentence end takes at least two characters
        return text, None
    count = 0
    for match in _SENTENCE_END.finditer(text):
        count += 1
        if count >= max_sentences:
            cut = match.end()
            if not text[cut:].strip():
                return text, None
            note = (f"bara de första {max_sentences:,} meningarna lästes ({cut / 1e6:.1f} av "
                    f"{len(text) / 1e6:.1f} miljoner tecken; gräns --max-sentences)").replace(",", " ")
            return text[:cut], note
    return text, None


def cap_evidence(extraction: Extraction, max_evidence: int, note: Optional[str] = None) -> Extraction:
    """Keep at most max_evidence evidence rows for the document, and say so in its record.

    Every entity and relation keeps at least its first piece of evidence (a record
    without evidence would vanish from the store) and the rest of the budget is shared
    evenly: each keeps its first k, with the largest k the budget allows. The records
    keep the document order of their evidence, so the summary is the same every run.
    """
    records = [*extraction.entities, *extraction.relations]
    sizes = [len(r.evidence) for r in records]
    total = sum(sizes)
    notes = [note] if note else []
    if total > max_evidence:
        per_record = _largest_share(sizes, max_evidence)
        for record in records:
            if len(record.evidence) > per_record:
                record.__dict__["evidence"] = record.evidence[:per_record]
        kept = sum(len(r.evidence) for r in records)
        notes.append(f"{kept:,} av {total:,} belägg sparades (gräns --max-evidence)".replace(",", " "))
    if notes:
        document = extraction.document
        document.__dict__["limited"] = "; ".join(filter(None, [document.limited, *notes]))
    return extraction


def _largest_share(sizes: list[int], budget: int) -> int:
    """The largest k >= 1 with sum(min(size, k)) <= budget (k = 1 if even that is over)."""
    low, high = 1, max(sizes, default=1)
    while low < high:
        middle = (low + high + 1) // 2
        if sum(min(size, middle) for size in sizes) <= budget:
            low = middle
        else:
            high = middle - 1
    return low
