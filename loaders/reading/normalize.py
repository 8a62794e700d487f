"""From raw text to the normalised text every offset refers to.

Municipal documents arrive hard-wrapped, hyphenated across lines, broken by page
numbers and page breaks in mid-sentence, and (as Markdown) full of emphasis markers.
The normalised text has one block per line: headings and whole paragraphs, so that a
sentence never spans a page break and a heading never runs into the text below it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from loaders.data_files import load

TERMINAL = ".!?:;"
_EMPHASIS = re.compile(r"(\*\*|__|\*)(?=\S)(.+?)(?<=\S)\1")
_MD_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
_SPACES = re.compile(r" {2,}")
_BULLET = re.compile(r"^(?:[-*+•·▪]|\d{1,2}[.)])\s+(?=\S)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u00ad\u200b\ufeff]")


class Block(NamedTuple):
    """A heading or paragraph of the normalised text; named tuples are built fastest."""

    start: int
    end: int
    kind: str  # "heading" or "paragraph"
    level: int = 0  # heading level; 0 for paragraphs and guessed headings of plain text


@dataclass
class NormalText:
    text: str
    blocks: list[Block] = field(default_factory=list)
    emphasis: list[tuple[int, int]] = field(default_factory=list)

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]


@lru_cache(maxsize=1)
def _furniture() -> re.Pattern[str]:
    """Every page-furniture pattern of text.yaml as one alternation: a line is tested once."""
    return re.compile("|".join(f"(?:{p})" for p in load("text")["furniture"]), re.IGNORECASE)


@lru_cache(maxsize=1)
def _suspended() -> frozenset[str]:
    return frozenset(load("text")["suspended_hyphen_followers"])


def clean_characters(raw: str) -> str:
    """Unicode NFC, one kind of newline, no control or zero-width characters."""
    text = unicodedata.normalize("NFC", raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    text = text.replace("\u00a0", " ").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL.sub("", text)
    return text.replace("\t", " ")


def _is_furniture(line: str) -> bool:
    return _furniture().match(line) is not None


def _paragraphs(text: str) -> list[list[str]]:
    """Lines grouped by blank lines, page furniture dropped."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if line and _is_furniture(line):
            continue
        if not line:
            if current:
                paragraphs.append(current)
                current = []
            continue
        current.append(line)
    if current:
        paragraphs.append(current)
    return paragraphs


def _ends_open(lines: list[str]) -> bool:
    last = lines[-1].rstrip("*_ ")
    return bool(last) and last[-1] not in TERMINAL and not _MD_HEADING.match(lines[-1])


def _starts_lower(lines: list[str]) -> bool:
    first = lines[0].lstrip("*_ ")
    return bool(first) and first[0].islower()


def _join_page_breaks(paragraphs: list[list[str]]) -> list[list[str]]:
    """A paragraph that stops mid-sentence and one that starts in lower case are one paragraph."""
    out: list[list[str]] = []
    for para in paragraphs:
        if out and _ends_open(out[-1]) and _starts_lower(para) and len(out[-1]) + len(para) > 1:
            out[-1] = out[-1] + para
        else:
            out.append(list(para))
    return out


#: A line shorter than this share of its paragraph's longest line was not wrapped.
SHORT_LINE = 0.75


#: Lines of a block narrower than this, each with a capital, are lines of their own.
LINE_BLOCK_WIDTH = 50
#: Lines of a block that, all capitalised and none ending a sentence, make it a register.
RECORD_LINES = 3


def split_unwrapped(lines: list[str]) -> list[tuple[list[str], bool]]:
    """Lines that belong to different paragraphs, told apart where no blank line does it,
    each with whether it is one line standing alone (a heading, a "Dnr ..." line) that
    may be a heading.

    PDF text layers and many exports drop the blank line between paragraphs and put a
    heading or a "Dnr ..." line straight above the text under it, which then opened the
    first sentence. A line well under the paragraph's width was not wrapped: when it ends
    a sentence, or stands alone between two breaks without ending on a word that leads on
    ("och", "med", a comma), and the next line begins with a capital, a new paragraph
    begins there. A wrapped sentence is never cut, as its lines end in no full stop and
    run close to the width. A line with text straight under it that runs as wide is not
    split off, and so is no heading ("... har tillsammans med Lokalpolisområde\nHolma ..."),
    unless the line under it opens the document's record ("Dnr ...", "Diarienummer ...").
    """
    if len(lines) < 2:
        return [(lines, True)]
    width = max(map(len, lines))
    if all(_stands_alone(line) and not line.endswith(".") for line in lines) \
            and all(line[:1].isupper() for line in lines[1:]) \
            and (width < LINE_BLOCK_WIDTH or len(lines) >= RECORD_LINES and lines[0][:1].isupper()):
        # A signature or an address: short lines, each a name of its own ("Lokalpolisområde
        # Botkyrka" / "Lokalpolisområdeschef Erik Berg"), where wrapped prose would go on in lower case.
        # So is a register of any width, such as a minutes' attendance ("Anna Berg, ordförande,
        # Norrby kommun" line by line): wrapped prose does not start three lines with capitals
        # and end none of them in a full stop. Its lines are items, not headings: only its first
        # line may head it ("Närvarande").
        short = width < LINE_BLOCK_WIDTH
        return [([line], short or n == 0) for n, line in enumerate(lines)]
    parts: list[tuple[list[str], bool]] = []
    current = [lines[0]]
    for line, following in zip(lines, lines[1:]):
        starts_part = len(current) == 1  # the line opens a part of its own
        if _opens_record(following) or len(line) < SHORT_LINE * width and following[:1].isupper() and (
                _ends_sentence(line) or (starts_part and _stands_alone(line))):
            parts.append((current, starts_part))
            current = [following]
        else:
            current.append(following)
    parts.append((current, False))
    return parts


def _opens_record(line: str) -> bool:
    """'Dnr KS 2024/88', 'Diarienummer N131-0456/24': a line of the record, with a capital."""
    return line[:1].isupper() and line.split(" ", 1)[0].rstrip(":").lower() in _record_words()


@lru_cache(maxsize=1)
def _record_words() -> frozenset[str]:
    return frozenset(load("text")["record_words"])


def _ends_sentence(line: str) -> bool:
    return line[-1] in ".!?:" and line.rsplit(" ", 1)[-1] not in abbreviations()


def _stands_alone(line: str) -> bool:
    return line[-1] not in ",-–(/&" and line.rsplit(" ", 1)[-1].lower() not in _leading_words()


@lru_cache(maxsize=1)
def _leading_words() -> frozenset[str]:
    return frozenset(load("text")["leading_words"])


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    """The abbreviations that end in a full stop without ending a sentence, as written and capitalised."""
    forms = load("text")["abbreviations"]
    return frozenset(f for a in forms for f in (a, a.capitalize()))


def join_lines(lines: list[str]) -> str:
    """Unwrap hard-wrapped lines, mending words hyphenated across a line break."""
    text = lines[0]
    for line in lines[1:]:
        first_word = line.split(" ", 1)[0].lower()
        if text.endswith("-") and len(text) > 1 and text[-2].isalpha():
            if line[:1].islower() and first_word not in _suspended():
                text = text[:-1] + line
            elif line[:1].isupper():
                text = text + line
            else:
                text = text + " " + line
        else:
            text = text + " " + line
    return _SPACES.sub(" ", text) if "  " in text else text


#: A protocol's paragraph number before its heading: "§ 4 Samverkansöverenskommelse".
_PARAGRAPH_SIGN = re.compile(r"§\s*\d+[a-z]?\s+")


def _looks_like_heading(line: str) -> bool:
    """A plain-text heading: short, capitalised, no sentence punctuation at the end."""
    numbered = _PARAGRAPH_SIGN.match(line)
    if numbered and numbered.end() < len(line):
        line = line[numbered.end():]
    words = line.split()
    return (
        0 < len(words) <= 8
        and len(line) <= 70
        and line[0].isupper()
        and line[-1] not in TERMINAL + ",-–"
        and not line[-1].isdigit()
    )


def _strip_emphasis(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Remove Markdown emphasis markers, returning the spans they marked (names, often)."""
    spans: list[tuple[int, int]] = []
    if "*" not in text and "__" not in text:  # most lines: no search at all
        return text, spans
    out: list[str] = []
    pos = 0
    length = 0
    for m in _EMPHASIS.finditer(text):
        out.append(text[pos : m.start()])
        length += m.start() - pos
        inner = m.group(2)
        spans.append((length, length + len(inner)))
        out.append(inner)
        length += len(inner)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), spans


def list_items(lines: list[str]) -> list[list[str]]:
    """A bulleted or numbered list as one part per item, markers dropped; other lines as they are.

    Items written on consecutive lines would otherwise run together into one quote ("- Örebro
    kommun - Lokalpolisområde Örebro"). One marked line among prose lines is taken as a list
    only when it opens the paragraph: a wrapped line may start with a hyphen.
    """
    marked = [i for i, line in enumerate(lines) if _BULLET.match(line)]
    if not marked or (len(marked) == 1 and marked[0] != 0):
        return [lines]
    parts: list[list[str]] = [lines[: marked[0]]] if marked[0] else []
    for here, after in zip(marked, marked[1:] + [len(lines)]):
        parts.append([_BULLET.sub("", lines[here]), *lines[here + 1 : after]])
    return parts


def normalize(raw: str, markdown: bool = False) -> NormalText:
    paragraphs = [part for lines in _join_page_breaks(_paragraphs(clean_characters(raw)))
                  for part in list_items(lines)]
    pieces: list[tuple[str, str, int]] = []  # (text, kind, level)
    for lines in paragraphs:
        if markdown:
            body: list[str] = []
            for line in lines:
                m = _MD_HEADING.match(line)
                row = _MD_TABLE_ROW.match(line) if m is None else None
                if m or row:
                    if body:
                        pieces.append((join_lines(body), "paragraph", 0))
                        body = []
                    if m:
                        pieces.append((m.group(2), "heading", len(m.group(1))))
                    elif not _MD_TABLE_RULE.match(line):
                        # A table row is a line of its own, its cells as HTML tables give them: "A | B | C".
                        cells = line.strip().strip("|").split("|")
                        pieces.append((" | ".join(cell.strip() for cell in cells), "paragraph", 0))
                else:
                    body.append(line)
            if body:
                pieces.append((join_lines(body), "paragraph", 0))
        else:
            for part, alone in split_unwrapped(lines):
                if alone and _looks_like_heading(part[0]):
                    pieces.append((part[0], "heading", 0))
                else:
                    pieces.append((join_lines(part), "paragraph", 0))
    return _assemble(pieces, markdown)


#: A Markdown table row ("| Malung-Sälens kommun | Sverige | Projektägare |") and its rule line ("|---|:--|").
_MD_TABLE_ROW = re.compile(r"^\s*\|.*\S")
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _assemble(pieces: list[tuple[str, str, int]], markdown: bool) -> NormalText:
    result = NormalText(text="")
    chunks: list[str] = []
    offset = 0
    for text, kind, level in pieces:
        spans: list[tuple[int, int]] = []
        if markdown:
            text, spans = _strip_emphasis(text)
        text = text.strip()
        if not text:
            continue
        if chunks:
            chunks.append("\n\n")
            offset += 2
        result.blocks.append(Block(offset, offset + len(text), kind, level))
        result.emphasis.extend((offset + s, offset + e) for s, e in spans)
        chunks.append(text)
        offset += len(text)
    result.text = "".join(chunks)
    return result
