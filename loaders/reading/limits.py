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


#: Characters that count as one sentence for the cap where a text runs that long without a
#: sentence end (lines of a list or a table without full stops, one endless sentence).
#: Swedish administrative prose has 80-150 characters a sentence, so ordinary documents are
#: cut by their sentences, never by this.
CHARS_PER_SENTENCE = 200
_NON_SPACE = re.compile(r"\S")


def cap_sentences(text: str, max_sentences: int) -> tuple[str, Optional[str]]:
    """The text up to its max_sentences-th sentence end, and never more than
    max_sentences * CHARS_PER_SENTENCE characters of it; a note when it was cut.

    Extraction costs time and memory in proportion to the text it reads, about 60 times
    its characters in memory at its peak (README, "Limits"): 50 MB of text gave 390,000
    pieces of evidence, minutes of work and gigabytes. Cutting the text before extraction
    bounds both, and what was read is still extracted exactly. The character budget bounds
    a text without sentence ends, which the count alone let through whole (20 MB of lines
    without full stops: 160 s and 1 GB). Nothing here copies the text but the part kept.
    """
    budget = max_sentences * CHARS_PER_SENTENCE
    if len(text) < max_sentences * 2:  # a sentence end takes at least two characters
        return text, None
    count, last_end = 0, 0
    for match in _SENTENCE_END.finditer(text, 0, min(len(text), budget)):
        count += 1
        last_end = match.end()
        if count >= max_sentences:
            break
    if count >= max_sentences:
        cut = last_end
        note = f"bara de första {max_sentences:,} meningarna lästes ({cut / 1e6:.1f} av " \
               f"{len(text) / 1e6:.1f} miljoner tecken; gräns --max-sentences)"
    elif len(text) > budget:
        cut = _break_before(text, budget, last_end)
        note = f"bara de första {cut / 1e6:.1f} av {len(text) / 1e6:.1f} miljoner tecken lästes (gräns " \
               f"--max-sentences: högst {max_sentences:,} meningar eller {budget / 1e6:g} miljoner tecken)"
    else:
        return text, None
    if not _NON_SPACE.search(text, cut):
        return text, None
    return text[:cut], note.replace(",", " ")


def _break_before(text: str, budget: int, last_end: int) -> int:
    """Where to cut a text at `budget` characters: after its last sentence end when that is
    not far back, else at the last white space, so that no word is cut in two."""
    if last_end >= budget // 2:
        return last_end
    space = max(text.rfind(" ", 0, budget), text.rfind("\n", 0, budget))
    return space if space > 0 else budget


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
