"""Status from the document as a whole: when its agreement comes into force, and whether a
statement stands in a proposal.

An agreement dated in June that "gäller från och med den 1 oktober" is not yet running on
the day it is written: its ties are planned. A sentence under "Förslag till beslut" is a
proposal, whatever its tense ("Kommunstyrelsen godkänner överenskommelsen").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, Optional

from graph.model import Status

from loaders.data_files import load
from loaders.extraction.periods import period_of
from loaders.language.phrases import alternation
from loaders.reading.structure import MONTHS, dates, heading_words

#: How far from a document's start and end its own month and year are looked for.
DATELINE_CHARS = 3000
#: Characters after a cue of coming into force that may hold its date.
DATE_REACH = 40


@lru_cache(maxsize=4)  # asked for the same text by the tables and the timing of every fact
def own_date(text: str) -> Optional[str]:
    """The date a document gives itself: after a 'Datum:' label, else on a dateline ("Norrby den
    3 mars 2025"), else the first date in it."""
    labelled = labelled_date(text)
    if labelled:
        return labelled
    dated = _DATELINE.search(text)  # "Trelleborg den 1 december 2025" on a line of its own: signed then
    if dated:
        return dates(dated.group(1))[0]
    found = dates(text[:2000])
    if found:
        return found[0]
    # a dateline at the top or a place and date at the end ("Mora i juni 2026")
    ends = text[:DATELINE_CHARS] + "\n" + text[-DATELINE_CHARS:] if len(text) > 2 * DATELINE_CHARS else text
    months = list(_month_years(ends))
    if months:  # "i oktober 2024": no day given, the latest month told of is when it was written
        year, month = max(months)
        return f"{year}-{month:02d}-01"
    return None


#: A dateline: a place (one or two capitalised words), "den" and a date, alone on its line.
_DATELINE = re.compile(r"(?m)^[ \t]*[A-ZÅÄÖ][\wåäö-]+(?: [A-ZÅÄÖ][\wåäö-]+)?,? (?:den )?"
                       r"(\d\d? (?:" + alternation(MONTHS) + r") (?:19|20)\d\d|(?:19|20)\d\d-\d\d-\d\d)[ \t]*$")


def labelled_date(text: str) -> Optional[str]:
    """The date after a 'Datum' label at a line's start ("Datum: 2024-06-20"): the one date a
    document surely gives as its own, where own_date may fall back on a date the text cites."""
    labelled = _date_label().search(text) if ("atum" in text or "dag" in text) else None  # letters found in C first
    found = dates(text[labelled.end() : labelled.end() + DATE_REACH]) if labelled else []
    return found[0] if found else None


def _month_years(text: str) -> Iterator[tuple[int, int]]:
    """Each (year, month) written as "oktober 2024". The years are found first and the month
    looked for just before each: a search for the month names at every word of a page took
    a twentieth of extraction."""
    for year in _YEAR.finditer(text):
        start = year.start()
        month = _MONTH_BEFORE.search(text[max(0, start - _MONTH_REACH) : start])
        if month and start and text[start - 1].isspace():
            yield int(year.group(0)), MONTHS[month.group(1).lower()]


def in_force_from(text: str) -> Optional[str]:
    """The date a document's agreement comes into force ('gäller från och med den 1 oktober 2021')."""
    lowered = text.lower()
    for cue in _force_cues():
        at = lowered.find(cue)
        while at >= 0:
            found = dates(text[at + len(cue) : at + len(cue) + DATE_REACH])
            if found:
                return found[0]
            at = lowered.find(cue, at + 1)
    return None


def starts_later(text: str, written: Optional[str]) -> bool:
    """Does the document's agreement come into force after the day it is dated (`written`,
    see own_date)?"""
    start = in_force_from(text) if written else None
    return bool(start and written and start > written)


@lru_cache(maxsize=4096)
def proposal_section(heading: str) -> bool:
    """Is this heading one under which a document proposes ('Förslag till beslut')?"""
    cleaned = heading_words(heading)
    return cleaned in _proposal_headings()


@lru_cache(maxsize=4096)
def section_status(heading: str) -> Optional[Status]:
    """'Avslutad samverkan', 'Planerad samverkan': the status a section's heading gives."""
    cleaned = heading_words(heading)
    if not cleaned or len(cleaned) > 60:
        return None
    for status, phrases in load("cues")["section_status"].items():
        if any(cleaned == p or cleaned.startswith(p + " ") for p in phrases):
            return Status(status)
    return None


def adjust(status: Status, heading: str, later: bool, of_document_agreement: bool,
           sentence: str = "", written: Optional[str] = None) -> Status:
    """A sentence's status, corrected by where it stands, when its agreement starts, and
    whether the period it gives ended before the document was written."""
    if status is Status.existing and proposal_section(heading):
        return Status.proposed
    told = section_status(heading)
    if status is Status.existing and told is not None:
        return told
    if status is Status.existing and later and of_document_agreement:
        return Status.planned
    if status is Status.existing and written and period_ended(sentence, written):
        return Status.ended
    if status is Status.existing and written and starts_after(sentence, written):
        return Status.planned
    return status


def ends_the_one_before(sentence: str) -> bool:
    """'Det samarbetet avslutades 2022.', 'Projektet upphörde': a sentence about the cooperation
    just told of, that says it has ended."""
    return bool(_ends_before().match(sentence.strip()))


@lru_cache(maxsize=1)
def _ends_before() -> re.Pattern[str]:
    """The sentence start (cues.yaml: ended_back) of "Det samarbetet avslutades", "Insatsen
    avslutades på torsdagen": a determiner, a noun for what was told, a word, an ending verb."""
    cues = load("cues")["ended_back"]
    words = lambda key: "|".join(re.escape(w) for w in sorted(cues[key], key=len, reverse=True))  # noqa: E731
    return re.compile(rf"(?i)^(?:(?:{words('determiners')})\s+)?(?:{words('nouns')})\s+(?:\w+\s+)?"
                      rf"(?:{words('verbs')})\b")


def starts_after(sentence: str, written: str) -> bool:
    """'Från och med 2025 ingår även X', read in 2024, or 'X ansluter från och med 2025-09-01',
    read in June 2025: it has not started yet. A year is compared with the document's year,
    a date with its date."""
    starts = [_start_of(sentence, m) for m in _FROM.finditer(sentence)]
    return bool(starts) and all(_later(start, written) for start in starts)


def _start_of(sentence: str, found: re.Match) -> str:
    """The day a "från och med" names when it names one ("från och med den 1 augusti 2025"
    is 2025-08-01, after a document of March 2025; "från hösten 2026" begins in September),
    else its year."""
    written = dates(sentence[found.start() : found.end()])
    if written and len(written[0]) == 10:
        return written[0]
    words = sentence[found.start() : found.start(1)].lower().split()
    month = next((load("cues")["season_months"][w] for w in words if w in load("cues")["season_months"]), None)
    return f"{found.group(1)}-{month:02d}-01" if month else found.group(1)


def _later(start: str, written: str) -> bool:
    if len(start) == 10 and len(written) >= 10:
        return start > written[:10]
    return start[:4] > written[:4]


def period_ended(sentence: str, written: str) -> bool:
    """'som förbundet drev tillsammans med X 2021–2023', read in 2024, or a row's
    '2022-01-01–2024-06-30' read on 2025-02-01: a period that ended before the document's own
    date. A period still running ('2023–2026') ends nothing."""
    ends = [m.group(2) for m in _PERIOD.finditer(sentence)] + [m.group(1) for m in _UNTIL.finditer(sentence)]
    if ends:
        return max(ends) < written[:4]
    # a range of dates ("2022-01-01–2024-06-30", "1 mars 2021–30 juni 2023"): compared by day
    ended = period_of(sentence).valid_to
    return ended is not None and len(written) == 10 and ended < written


#: A period of years: "2021–2023", "2019-2020".
_PERIOD = re.compile(r"\b((?:19|20)\d\d)\s*[–-]\s*((?:19|20)\d\d)\b")
#: The year something ran up to: "Fram till 2021", "till och med 2022", "t.o.m. 2020".
_UNTIL = re.compile(r"(?i)\b(?:fram till|till och med|t\.o\.m\.)\s+(?:\w+\s+)?((?:19|20)\d\d)\b")
#: The year something starts: "Från och med 2025", "fr.o.m. 2026", "från 2027", "från och med den 1 januari 2026".
_FROM = re.compile(r"(?i)\b(?:från och med|fr\.o\.m\.|från)\s+(?:\w+\s+){0,3}?((?:19|20)\d\d(?:-\d\d-\d\d)?)\b(?!\s*[–-])")
#: A year, and the month name right before one (what precedes it, within _MONTH_REACH characters).
_YEAR = re.compile(r"(?:19|20)\d\d\b")
_MONTH_BEFORE = re.compile(r"(?i)(?:^|\W)(" + "|".join(MONTHS) + r")\s+$")
_MONTH_REACH = max(map(len, MONTHS)) + 4


@lru_cache(maxsize=1)
def _date_label() -> re.Pattern[str]:
    """A date label (cues.yaml, date_labels) at a line's start."""
    return re.compile(r"(?im)^[ \t]*(?:" + "|".join(map(re.escape, load("cues")["date_labels"])) + r")[ \t]*:?")


@lru_cache(maxsize=1)
def _force_cues() -> tuple[str, ...]:
    return tuple(load("cues")["in_force_from"])


@lru_cache(maxsize=1)
def _proposal_headings() -> frozenset[str]:
    return frozenset(load("cues")["proposal_headings"])
