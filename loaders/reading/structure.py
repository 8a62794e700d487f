"""What kind of document this is, who speaks where, and its dnr and date.

A remiss compilation is many voices in one file: each responding body has a section,
and inside it a paragraph such as "Bromma stadsdelsförvaltnings tjänsteutlåtande ...
har i huvudsak följande lydelse" hands the word on. Generic references ("förvaltningen",
"nämnden") are resolved against the voice that is speaking.
"""

from __future__ import annotations

import re
from functools import lru_cache
from bisect import bisect_right
from dataclasses import dataclass
from typing import Optional

from graph.model import DocumentType
from loaders.data_files import load
from loaders.reading.normalize import NormalText
from loaders.language.phrases import alternation

# These scans run over every document. A leading \b or lookbehind stops the regex engine
# from skipping ahead to the characters a match can start with, and made them three times
# slower: patterns open with a literal or a character class, and word boundaries are
# checked just after it or in Python. "dnr" is found by its literal "nr"; the "d" before
# it, and the boundary before that, are checked by _after_d.
_NR = re.compile(r"nr\.?:?\s*([A-ZÅÄÖ]{1,5}\s?\d{2,4}[/:.-]\d{1,6}(?:[-:.]\d{1,4})?)")
_WORD_CHARACTER = re.compile(r"\w")
MONTHS = {m: i for i, m in enumerate(
    ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
     "september", "oktober", "november", "december"], start=1)}
# Month names as a trie ("ju(?:li|ni)"): a digit not followed by a month is given up sooner.
# "\d\d?", not "\d{1,2}": a pattern that opens with a plain character class lets the regex
# engine skip to the digits; one that opens with a repeat is tried at every character.
_DATE = re.compile(r"(\d\d?)\s+(" + alternation(MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)  # see _starts_word
_ISO = re.compile(r"((?:20|19)(?<!\w..)\d\d)-(\d\d)-(\d\d)\b")

_TYPE_CUES = [
    (DocumentType.tjansteutlatande, ("tjänsteutlåtande", "tjänsteutlatande", "tjénsteutlatande")),
    (DocumentType.remissvar, ("svar på remiss", "svar pa remiss", "remissvar", "remissyttrande")),
    (DocumentType.utlatande, ("utlåtande", "utlatande")),
    (DocumentType.overenskommelse, ("överenskommelse", "overenskommelse", "avtal")),
    (DocumentType.protokoll, ("protokoll",)),
    (DocumentType.motion, ("motion",)),
]


@dataclass(frozen=True)
class Section:
    start: int
    end: int
    heading: str


def title(normal: NormalText) -> str:
    for block in normal.blocks:
        text = normal.block_text(block).strip()
        if text:
            return text[:200]
    return ""


#: The opening blocks that may hold an agreement's title.
TITLE_BLOCKS = 8
#: A title line is short; a longer block is prose.
TITLE_LINE = 160


def agreement_title(normal: NormalText, nouns: dict[str, str]) -> Optional[str]:
    """The name an agreement's own heading gives it, continuation lines included.

    "LOKAL ÖVERENSKOMMELSE" / "om samarbete kring ..." / "mellan Region Skåne och ..." is one
    title: a line that begins with a preposition carries the noun phrase on. A title in
    capitals is written in sentence case.
    """
    blocks = [normal.block_text(b).strip() for b in normal.blocks[:TITLE_BLOCKS]]
    for i, text in enumerate(blocks):
        if not text or len(text) > TITLE_LINE or text.endswith((".", ":")):
            continue
        if text.split(" ", 1)[0].lower() in _title_non_openers():
            continue  # "Denna överenskommelse har ingåtts mellan": a sentence, no title
        named = _named_below(text, blocks[i + 1 : i + 2], nouns)
        if named:  # "IDÉBURET OFFENTLIGT PARTNERSKAP (IOP)" / "Partnerskapet X – stöd till ...": its name
            return named
        text = _PARAGRAPH.sub("", text)  # "§ 112 Överenskommelse om ...": a protocol's paragraph number
        label = _TITLE_LABEL.match(text) or _TITLE_ACTION.match(text)  # "Beslut – X", "Avslutande av X"
        if label and not any(n in label.group().lower() for n in nouns):
            text = text[label.end() :]
            text = text[:1].upper() + text[1:]
        words = text.split()
        head = next((w for w in words if any(w.lower().endswith(n) for n in nouns)), None)
        if head is None or words.index(head) > 2:
            continue
        told = next((k for k in range(words.index(head) + 1, len(words))
                     if words[k].lower() in _title_trailing() or words[k] in ("–", "—")), None)
        if told is not None:
            # A headline tells news of the agreement ("Samverkansöverenskommelse tecknad med Hörby
            # kommun", "... undertecknad"), or a dash opens a subtitle ("Medborgarlöfte – lägesbild
            # första halvåret"): the name is what comes before, and the noun alone names nothing.
            words = words[:told]
            if len(words) <= words.index(head) + 1:
                continue
        text = " ".join(words)
        parts = [text]
        for follower in blocks[i + 1 : i + 3]:
            if follower and follower.split()[0] in _TITLE_CONTINUATIONS and len(follower) <= TITLE_LINE:
                parts.append(follower)
            else:
                break
        return _sentence_case(" ".join(parts))
    return None


def _named_below(text: str, below: list[str], nouns: dict[str, str]) -> Optional[str]:
    """The name on the line under a heading that is only an agreement's form ("IDÉBURET OFFENTLIGT
    PARTNERSKAP (IOP)", "AVSIKTSFÖRKLARING"): its words before a dash, when they are a short name
    that does not open as a sentence or a reference ("Dnr ...") does."""
    form = _ABBREVIATION.sub("", text).strip().lower()
    if form not in nouns or not below or not below[0]:
        return None
    name = re.split(r"\s+[–—-]\s+", below[0], maxsplit=1)[0].strip()
    words = name.split()
    if not words or len(words) > NAMED_BELOW_WORDS or not words[0][:1].isupper() or name.endswith((".", ":")) \
            or words[0].lower() in _title_non_openers() or words[0].lower().rstrip(".") in ("dnr", "diarienummer") \
            or any(ch.isdigit() for ch in words[0]):
        return None
    return name


#: "(IOP)" after a form's words.
_ABBREVIATION = re.compile(r"\([A-ZÅÄÖ]{2,6}\)")
#: The longest name a line under an agreement's form may be (in words).
NAMED_BELOW_WORDS = 6


@lru_cache(maxsize=1)
def _title_non_openers() -> frozenset[str]:
    return frozenset(load("cues")["title_non_openers"])


@lru_cache(maxsize=1)
def _title_trailing() -> frozenset[str]:
    """Participles that end a news headline after an agreement's name ("... undertecknad")."""
    return frozenset(load("cues")["title_trailing"])


def heading_words(text: str) -> str:
    """A heading as its words: '1. Parter:' -> 'parter', 'Vilka samverkar?' -> 'vilka samverkar'."""
    return _NUMBERED.sub("", text).strip().rstrip(":?").lower()


_NUMBERED = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+")
_PARAGRAPH = re.compile(r"^\s*§\s*\d+[a-z]?\s+")


def _sentence_case(title: str) -> str:
    """'LOKAL ÖVERENSKOMMELSE om ...' -> 'Lokal överenskommelse om ...': the words in capitals
    that open a title are its typography, not acronyms."""
    words = title.split(" ")
    n = 0
    while n < len(words) and words[n].isupper() and len(words[n]) > 3:
        n += 1
    if n == 0:
        return title
    opening = " ".join(words[:n]).lower()
    return " ".join([opening[:1].upper() + opening[1:], *words[n:]])


#: A decision's action before the agreement it is about: "Avslutande av", "Förlängning av".
_TITLE_ACTION = re.compile(r"^[A-ZÅÄÖ][a-zåäöA-ZÅÄÖ]+(?:ande|ende|ning|else|ANDE|ENDE|NING|ELSE)\s+(?:av|AV)\s+(?=\S)")
#: A one- or two-word label and a dash before a title's name: "Beslut – ", "Ärende: ".
_TITLE_LABEL = re.compile(r"^[A-ZÅÄÖ][\wåäö]*(?: [\wåäö]+)?\s*[–:-]\s+(?=\S)")
_TITLE_CONTINUATIONS = frozenset(["om", "för", "mellan", "kring", "avseende", "gällande", "inom", "med"])


def document_type(normal: NormalText) -> DocumentType:
    """Judged from the opening: the title and first headings say what a document is."""
    opening = " ".join(normal.block_text(b) for b in normal.blocks[:4]).lower()
    for doc_type, cues in _TYPE_CUES:
        if any(cue in opening for cue in cues):
            return doc_type
    return DocumentType.other


def dnrs(text: str) -> list[str]:
    return sorted({re.sub(r"\s+", " ", m.group(1)) for m in _NR.finditer(text) if _after_d(text, m.start())})


def _after_d(text: str, at: int) -> bool:
    """Is the "nr" at text[at] the end of the word "dnr" (or "Dnr")?"""
    return at >= 1 and text[at - 1] in "Dd" and not (at >= 2 and _WORD_CHARACTER.match(text, at - 2))


def dates(text: str) -> list[str]:
    """The dates written in the text, ISO or in words ("30 juni 2024"), in the order they stand."""
    found = [(m.start(), f"{m[3]}-{MONTHS[m[2].lower()]:02d}-{int(m[1]):02d}") for m in _DATE.finditer(text)
             if _starts_word(text, m.start())]
    found += [(m.start(), f"{m[1]}-{m[2]}-{m[3]}") for m in _ISO.finditer(text)]
    return [date for _, date in sorted(found)]


def _starts_word(text: str, at: int) -> bool:
    """The \b that _DATE leaves out: "123 mars 2020" holds no date."""
    return at == 0 or not (text[at - 1].isalnum() or text[at - 1] == "_")


def document_date(text: str) -> Optional[str]:
    """The latest date written in the document: decisions are dated after what they cite."""
    found = dates(text)
    return max(found) if found else None


def sections(normal: NormalText) -> list[Section]:
    out: list[Section] = []
    current_heading, current_start = "", 0
    for block in normal.blocks:
        if block.kind == "heading":
            if block.start > current_start:
                out.append(Section(current_start, block.start, current_heading))
            current_heading, current_start = normal.block_text(block), block.start
    out.append(Section(current_start, len(normal.text), current_heading))
    return out


def section_at(all_sections: list[Section], char: int) -> Section:
    """Sections are in order and cover the text, so the last one starting before char holds it."""
    i = bisect_right(all_sections, char, key=lambda s: s.start) - 1
    return all_sections[max(i, 0)]


def hands_over(paragraph: str) -> bool:
    """Does this paragraph introduce another body's words?"""
    lowered = paragraph.lower()
    return any(cue in lowered for cue in load("cues")["speaker_cues"])
