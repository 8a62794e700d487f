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
    """rows_xml, in this process, a column at a time: each distinct value of a column is
    made into its cell once (names, relations, statuses and documents recur on every row),
    as a %-format waiting for the row's number; a row is then its cells joined and
    numbered in one step, with no work per cell left in Python."""
    table = rows if isinstance(rows, list) else list(rows)
    if not table:
        return "", 0, False
    width = max(map(len, table))
    if any(len(row) != width for row in table):  # a short row's missing cells are empty ones
        table = [[*row, *([None] * (width - len(row)))] for row in table]
    letters = column_letters(width)
    columns = [_Column(letter, limit) for letter in letters]
    cells = [_cells_of(column, values) for column, values in zip(columns, zip(*table))] if width else []
    number = {"n": 0}
    parts = []
    append = parts.append
    for n, row in enumerate(zip(*cells) if width else ((),) * len(table), start=first):
        number["n"] = n
        append(('<row r="%(n)s">' + "".join(row) + "</row>") % number)
    for i, column in enumerate(columns[: len(widths)]):
        if column.longest > widths[i]:
            widths[i] = column.longest
    return "".join(parts), len(table), any(column.quoted for column in columns)


def _cells_of(column: "_Column", values: Sequence[Any]) -> list[str]:
    """The cells of one column's values. Values of one type are their own keys; a column
    that mixes types keys each by its type too (True == 1 == 1.0, and a str enum equals
    its text, but each makes another cell)."""
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if len(kinds) <= 1:
        return list(map(column.__getitem__, values))
    column.typed = True
    return [column[(type(v), v)] for v in values]


class _Column(dict):
    """A column's cells by value, each made on first sight (_cell), with the column's
    longest line and whether any of its cells uses QUOTED_STYLE."""

    def __init__(self, letter: str, limit: int) -> None:
        super().__init__()
        self.letter, self.limit = letter, limit
        self.longest, self.quoted, self.typed = 0, False, False

    def __missing__(self, key: Any) -> str:
        value = key[1] if self.typed else key
        made, longest, quoted = _cell(self.letter, value, self.limit)
        if longest > self.longest:
            self.longest = longest
        self.quoted = self.quoted or quoted
        self[key] = made
        return made


def _cell(letter: str, value: Any, limit: int) -> tuple[str, int, bool]:
    """One cell as a %-format of the row's number ("" for None, which writes no cell), the
    length of its longest line as write_workbook measures it, whether it uses QUOTED_STYLE."""
    if value is None:
        return "", 0, False
    head = f'<c r="{letter}%(n)s"'
    kind = type(value)
    if kind is str:
        tail, longest, quoted = _text_cell(value, limit)
        return head + tail.replace("%", "%%"), longest, quoted
    shown = str(value)
    longest = max(map(len, shown.split("\n"))) if "\n" in shown else len(shown)
    if isinstance(value, Enum):
        value = value.value
    if value is True or value is False:
        return f'{head} t="b"><v>{int(value)}</v></c>', longest, False
    if isinstance(value, (int, float)):
        return f'{head} t="n"><v>{_number(value)}</v></c>', longest, False
    tail, _, quoted = _text_cell(value if type(value) is str else str(value), limit)
    return head + tail.replace("%", "%%"), longest, quoted


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
