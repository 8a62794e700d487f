"""When an agreement, a medborgarlöfte or a project runs: its period as the text gives it.

Swedish documents state periods in a few set ways: a range ("2016–2018", "2023-01-01 –
2024-12-31", "1 januari 2024 till och med 31 december 2025", "mellan 2019 och 2022"), a start
("gäller från och med den 1 mars 2025", "trädde i kraft 2021") or an end ("löper ut vid
utgången av 2026", "upphör att gälla den 30 juni 2025"). A year or a month stands for its
whole span: a period "2016–2018" runs from 2016-01-01 to 2018-12-31, so that a date can be
compared with it. The cue phrases are data (cues.yaml: period_start, period_end,
period_fillers); the shapes of dates are the language's own and live here.
"""

from __future__ import annotations

import calendar
import re
from functools import lru_cache
from typing import NamedTuple, Optional

from loaders.data_files import load
from loaders.language.phrases import alternation, phrase_pattern
from loaders.reading.structure import MONTHS


class Period(NamedTuple):
    """ISO dates, each None where the text does not say."""

    valid_from: Optional[str] = None
    valid_to: Optional[str] = None

    def __bool__(self) -> bool:
        return bool(self.valid_from or self.valid_to)

    def joined(self, other: "Period") -> "Period":
        """Two statements about one vehicle: what the first leaves open, the second may tell,
        unless it would end the period before it begins (then the first stands)."""
        both = Period(self.valid_from or other.valid_from, self.valid_to or other.valid_to)
        return both if not (both.valid_from and both.valid_to and both.valid_from > both.valid_to) else self


def _point(tag: str) -> str:
    """A date, a month of a year, or a year, as named groups ending in `tag`."""
    months = alternation(MONTHS)
    return (rf"(?:(?P<iso{tag}>(?:19|20)\d\d-\d\d-\d\d)(?!\d)"
            rf"|(?:(?P<day{tag}>\d\d?)\s+)?(?P<month{tag}>{months})\s+(?P<year{tag}>(?:19|20)\d\d)(?!\d)"
            rf"|(?P<y{tag}>(?:19|20)\d\d)(?!\d|-\d\d-))")


#: Between the two ends of a range: a dash, "till och med", "t.o.m." or "till".
_RANGE_JOIN = r"\s*(?:[–—]|-(?=\s*\d)|\s-\s)\s*|\s+(?:till och med|t\.o\.m\.|till)\s+(?:den\s+)?"


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    cues = load("cues")
    fillers = rf"(?:(?:{alternation(cues['period_fillers'])})\s+)*"
    opening = r"(?:(?:från och med|fr\.o\.m\.|från)\s+(?:den\s+)?)?"
    span = re.compile(rf"(?<![\w-]){opening}{_point('a')}(?:{_RANGE_JOIN}){_point('b')}", re.IGNORECASE)
    between = re.compile(rf"(?<!\w)mellan\s+(?:den\s+)?{_point('a')}\s+och\s+(?:den\s+)?{_point('b')}", re.IGNORECASE)
    start = re.compile(rf"(?<!\w)(?:{alternation(cues['period_start'])})\s+{fillers}{_point('a')}", re.IGNORECASE)
    end = re.compile(rf"(?<!\w)(?:{alternation(cues['period_end'])})\s+{fillers}{_point('a')}", re.IGNORECASE)
    return span, between, start, end


def period_of(sentence: str) -> Period:
    """The period one sentence gives: the first range in it, else a start and an end told apart.
    A sentence that extends or renews a vehicle runs it to the latest end it tells; one about a
    party's membership gives none."""
    if not has_date(sentence):
        return Period()
    lowered = sentence.lower()
    if _cue("period_membership").search(lowered):
        return Period()
    # "2019–2021 ... förlängs till och med 2023": the period runs to the latest end told.
    extended = bool(_cue("period_extension").search(lowered))
    span, between, start, end = _patterns()
    # Every form holds a year, and none starts further before it than a cue and a date are long.
    at = max(0, _YEARISH.search(sentence).start() - CUE_REACH)
    ranges = [(first, last) for pattern in (span, between) for match in pattern.finditer(sentence, at)
              if (first := _date(match, "a", starts=True)) and (last := _date(match, "b", starts=False))
              and first <= last]
    ends = [d for m in end.finditer(sentence, at) if (d := _date(m, "a", starts=False))]
    if ranges:
        first, last = ranges[0]
        return Period(first, max([last, *ends, *(r[1] for r in ranges)]) if extended else last)
    began = next(filter(None, (_date(m, "a", starts=True) for m in start.finditer(sentence, at))), None)
    ends = (max(ends) if extended else ends[0]) if ends else None
    if began and not ends and _cue("period_ending").search(lowered):
        return Period(None, _day_before(began))  # "upphör att gälla från och med 1 april": ends 31 March
    if began and ends and began > ends:
        return Period(began)
    return Period(began, ends)


_YEARISH = re.compile(r"(?:19|20)\d\d")
#: How far before its first year a period's words may begin ("upphör att gälla vid utgången av
#: den 30 september 2025" is 45 characters before the year).
CUE_REACH = 80


def has_date(sentence: str) -> bool:
    """Does the sentence hold a year (every period form has one)? Found by the regex engine:
    most sentences have none, and a Python loop over their letters cost more than the rest."""
    return _YEARISH.search(sentence) is not None


def refers_back(sentence: str) -> bool:
    """Does the sentence speak of a vehicle by a definite form ("Avtalet", "projektet")?"""
    return bool(_references().search(sentence.lower()))


@lru_cache(maxsize=1)
def _references() -> re.Pattern[str]:
    return _cue("period_references")


@lru_cache(maxsize=None)
def _cue(key: str) -> re.Pattern[str]:
    return phrase_pattern(load("cues")[key])


def _day_before(iso: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(iso) - timedelta(days=1)).isoformat()


def _date(match: re.Match[str], tag: str, starts: bool) -> Optional[str]:
    """The ISO date a matched point stands for: its first day when a period starts there, its
    last when one ends there; None for a date that does not exist ("2024-13-40")."""
    group = match.groupdict()
    if group[f"iso{tag}"]:
        year, month, day = map(int, group[f"iso{tag}"].split("-"))
    elif group[f"month{tag}"]:
        year, month = int(group[f"year{tag}"]), MONTHS[group[f"month{tag}"].lower()]
        day = int(group[f"day{tag}"]) if group[f"day{tag}"] else (1 if starts else _last_day(year, month))
    else:
        year = int(group[f"y{tag}"])
        month, day = (1, 1) if starts else (12, 31)
    if not (1 <= month <= 12 and 1 <= day <= _last_day(year, month)):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
