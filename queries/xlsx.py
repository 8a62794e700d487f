"""The rows of a workbook sheet as the XML openpyxl's write-only mode writes for them.

openpyxl makes a cell object per value and an lxml element per cell: a whole-graph
workbook (a million cells: every quote, the actor matrix) took twenty seconds. Here the
rows' XML is made as strings, byte for byte what openpyxl writes (tests/queries/test_xlsx.py
compares whole workbooks), and queries/present.py's write_workbook puts it into the sheet
openpyxl wrote with the header row alone: openpyxl still writes everything else (the
frozen header, filters, column widths, styles, the package).
"""

from __future__ import annotations

import math
import re
from enum import Enum
from typing import Any, Callable, Iterable, Iterator, Sequence

from queries.graphml import escaped_text

#: Characters a worksheet cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE).
ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

#: Texts Excel reads as an error value (openpyxl stores them as errors, not text).
ERROR_CODES = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))

#: Stands for the style number of text kept as text (quotePrefix) until openpyxl has given it one.
QUOTED_STYLE = "\x00quoted\x00"


def column_letters(count: int) -> list[str]:
    """A, B, ..., Z, AA, ... for the first `count` columns."""
    letters = []
    for n in range(1, count + 1):
        name = ""
        while n:
            n, rest = divmod(n - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


def _escaped(text: str) -> str:
    """Text as lxml writes it into a document without an encoding: markup escaped (as in
    GraphML), a carriage return and every non-ASCII character as a character reference."""
    text = escaped_text(text)
    return text if text.isascii() else text.encode("ascii", "xmlcharrefreplace").decode("ascii")


def _number(value: Any) -> str:
    """openpyxl's safe_string of a number ("%.16g": str() for an int of at most 16 digits)."""
    if type(value) is int and -_EXACT < value < _EXACT:
        return str(value)
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return ""
    return "%.16g" % value


_EXACT = 10 ** 16

#: The first characters of every text that neutralised() changes or that is an error code:
#: the others need not be asked.
_SUSPECT = frozenset(" =+-@\t\r#")


#: A sheet of at least this many rows has the XML of its second half made in a child
#: process while this one makes the first (queries/background.py).
SPLIT_ROWS = 10_000


def rows_xml(rows: Iterable[Sequence[Any]], first: int, widths: list[int], limit: int,
             split: bool = True) -> tuple[str, int, bool]:
    """The <row> elements of `rows` numbered from `first`, each value as write_workbook's
    cell() makes it (enums by value; None, booleans and numbers as they are; anything else
    as text without the characters a worksheet cannot hold, cut to `limit`, kept as text
    with quotePrefix when Excel would read it as a formula or an error: an error code, or
    a text neutralised() changes). `widths` is widened to each column's longest line, as
    write_workbook measures it. Returns the XML, the number of rows and whether any cell
    uses QUOTED_STYLE. Rows made in a child process (RowsInBackground) are taken from it."""
    if isinstance(rows, RowsInBackground):
        return rows.xml(first, widths, limit)
    if split and isinstance(rows, list) and len(rows) >= SPLIT_ROWS:
        return _in_halves(rows, first, widths, limit)
    return _rows_xml(rows, first, widths, limit)


def _in_halves(rows: list[Sequence[Any]], first: int, widths: list[int], limit: int) -> tuple[str, int, bool]:
    """rows_xml of a long list, its second half made in a child process: the rows are
    numbered from where the first half ends, the widths are the wider of the two."""
    from queries.background import in_background

    half = len(rows) // 2
    second_widths = list(widths)

    def second() -> tuple[str, int, bool, list[int]]:
        body, count, quoted = _rows_xml(rows[half:], first + half, second_widths, limit)
        return body, count, quoted, second_widths

    pending = in_background(second)
    body, count, quoted = _rows_xml(rows[:half], first, widths, limit)
    rest, more, rest_quoted, rest_widths = pending()
    widths[:] = [max(a, b) for a, b in zip(widths, rest_widths)] + widths[len(rest_widths):]
    return body + rest, count + more, quoted or rest_quoted


def _rows_xml(rows: Iterable[Sequence[Any]], first: int, widths: list[int], limit: int) -> tuple[str, int, bool]:
    """rows_xml, in this process. A text (the commonest cell after a count) is made once
    for all its cells: names, relations, statuses and documents recur on every row."""
    parts: list[str] = []
    append = parts.append
    quoted = False
    letters: list[str] = []
    number = first - 1
    texts: dict[str, tuple[str, int, bool]] = {}
    for number, row in enumerate(rows, start=first):
        if len(letters) < len(row):
            letters = column_letters(len(row))
        cells = []
        measured = len(widths)
        for i, value in enumerate(row):
            kind = type(value)
            if kind is int and -_EXACT < value < _EXACT:  # the commonest cell (a matrix is all counts): at once
                text = str(value)
                if i < measured and len(text) > widths[i]:
                    widths[i] = len(text)
                cells.append(f'<c r="{letters[i]}{number}" t="n"><v>{text}</v></c>')
                continue
            if kind is str:
                found = texts.get(value)
                if found is None:
                    found = texts[value] = _text_cell(value, limit)
                tail, longest, is_quoted = found
                if i < measured and longest > widths[i]:
                    widths[i] = longest
                quoted = quoted or is_quoted
                cells.append(f'<c r="{letters[i]}{number}"' + tail)
                continue
            if value is None:
                continue
            if i < measured:
                shown = value if kind is str else str(value)
                longest = max(map(len, shown.split("\n"))) if "\n" in shown else len(shown)
                if longest > widths[i]:
                    widths[i] = longest
            if isinstance(value, Enum):
                value = value.value
            where = f"{letters[i]}{number}"
            if value is True or value is False:
                cells.append(f'<c r="{where}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, (int, float)):
                cells.append(f'<c r="{where}" t="n"><v>{_number(value)}</v></c>')
            else:
                tail, _, is_quoted = _text_cell(value if type(value) is str else str(value), limit)
                quoted = quoted or is_quoted
                cells.append(f'<c r="{where}"' + tail)
        append(f'<row r="{number}">{"".join(cells)}</row>' if cells else f'<row r="{number}"></row>')
    return "".join(parts), number - first + 1, quoted


def _text_cell(text: str, limit: int) -> tuple[str, int, bool]:
    """A text cell after its r="...": (its style, type and content as XML, the length of
    the text's longest line (for the column's width), whether it uses QUOTED_STYLE). The
    text loses the characters a worksheet cannot hold, is cut to `limit` and is kept as
    text with quotePrefix when Excel would read it as a formula or an error."""
    from queries.present import neutralised

    longest = max(map(len, text.split("\n"))) if "\n" in text else len(text)
    if not text.isprintable():
        text = ILLEGAL.sub("", text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    style, quoted = "", False
    if text[:1] in _SUSPECT and (text in ERROR_CODES or neutralised(text) != text):
        style, quoted = f' s="{QUOTED_STYLE}"', True
    if not text:
        return f'{style} t="inlineStr"></c>', longest, quoted
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'{style} t="inlineStr"><is><t{space}>{_escaped(text)}</t></is></c>', longest, quoted


class RowsInBackground:
    """A sheet's rows whose XML a child process makes (queries/background.py) while this
    one makes the other sheets: a whole-graph workbook's quotes are half its time, and a
    machine has more than one core. Given as a Sheet's rows to write_workbook, whose
    rows_xml takes the child's XML as it is; anywhere else it iterates as the rows.

    make: returns the rows (run in the child, from the parent's memory as it was when
    started); headers, first and limit: as write_workbook will call rows_xml (checked:
    otherwise the rows are made again here)."""

    def __init__(self, make: Callable[[], list[Sequence[Any]]], headers: Sequence[str], first: int = 2,
                 limit: int = 32_767) -> None:
        from queries.background import in_background

        self._make = make
        self._start = ([len(str(h)) for h in headers], first, limit)
        self._pending = in_background(self._xml, *self._start)

    def _xml(self, widths: list[int], first: int, limit: int) -> tuple[str, int, bool, list[int]]:
        body, count, quoted = rows_xml(self._make(), first, widths, limit, split=False)  # the other core is busy
        return body, count, quoted, widths

    def xml(self, first: int, widths: list[int], limit: int) -> tuple[str, int, bool]:
        """rows_xml's answer, from the child when it was asked the same."""
        if (list(widths), first, limit) != self._start:
            return rows_xml(self._make(), first, widths, limit)
        body, count, quoted, made = self._pending()
        widths[:] = made
        return body, count, quoted

    def __iter__(self) -> Iterator[Sequence[Any]]:
        return iter(self._make())
