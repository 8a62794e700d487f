"""Query results as a table on screen, JSON for other tools, CSV or an Excel workbook.

CSV comes in two styles, one writer (`csv_text`):

- `excel` (the default): what Swedish Excel opens as it is: UTF-8 with a byte order mark,
  ";" between cells, decimal comma, and every text cell that Excel would read as a formula
  (starting with = + - @, a tab or a carriage return) neutralised with a leading apostrophe,
  as OWASP recommends against CSV injection.
- `rfc4180`: for programs: UTF-8 without BOM, ",", decimal point, every cell as it is.

An `.xlsx` file (`write_workbook`) has a bold, frozen header row, filters on, column widths
from the content, numbers as numbers, and text that looks like a formula kept as text.
"""

from __future__ import annotations

import csv
import io
import re
from json.encoder import encode_basestring as _string  # the C encoder where there is one
import sys
from enum import Enum
from typing import Any, Callable, Iterable, NamedTuple, Optional, Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class CsvStyle(str, Enum):
    excel = "excel"
    rfc4180 = "rfc4180"


class Column(NamedTuple):
    header: str
    get: Callable[[Any], Any]


#: What a terminal would act on rather than show: C0 controls (escape sequences start with
#: ESC; bell, backspace, carriage return), DEL, C1 controls (CSI is one of them) and the
#: marks that reorder text right to left. Newline and tab are kept (a tab becomes a space).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def plain(value: Any) -> str:
    """Text from a document or a file name as the terminal should show it: without control
    characters. Printed through rich.text.Text (as every table here is), it is also never
    read as markup ('[/x]') or emoji codes (':x:')."""
    return _CONTROL.sub("", str(value).replace("\t", " "))


def literal(message: str, style: str = "") -> Text:
    """A message that names things from documents or file names, to print as it reads:
    one line, no markup, no control characters."""
    return Text(plain(message).replace("\n", " "), style=style)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, float):
        return f"{value:.4f}"
    return plain(value)


def as_csv(rows: Sequence[Any], columns: Sequence[Column], style: CsvStyle = CsvStyle.excel) -> str:
    return csv_text([c.header for c in columns], ([c.get(row) for c in columns] for row in rows), style)


#: What makes Excel (and LibreOffice, Google Sheets) read a cell as a formula (OWASP, CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    """`text` as a spreadsheet shows it and never runs it: a leading apostrophe before a text
    that would start a formula, also after leading spaces ('  =1+1')."""
    stripped = text.lstrip(" ")
    return "'" + text if stripped.startswith(_FORMULA_START) or text.startswith(_FORMULA_START) else text


def csv_cell(value: Any, style: CsvStyle = CsvStyle.excel) -> str:
    """One CSV cell: numbers as numbers (decimal comma for Excel), text without control
    characters and, for Excel, neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("ja" if value else "nej") if style is CsvStyle.excel else str(value).lower()
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.4f}"
        return text.replace(".", ",") if style is CsvStyle.excel else text
    text = plain(value)
    return neutralised(text) if style is CsvStyle.excel else text


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[Any]], style: CsvStyle = CsvStyle.excel) -> str:
    """The one CSV writer of every query and export (see the module's docstring); rows hold raw
    values (numbers, texts, enums, None). The text starts with the BOM for Excel: write it
    with encoding utf-8, not utf-8-sig.

    Each value is csv_cell(value, style); the common ones (a text without control
    characters that cannot start a formula, an int, None) are made here without the
    call: an export's hundreds of thousands of cells spent most of their time in it."""
    buffer = io.StringIO()
    if style is CsvStyle.excel:
        buffer.write("\ufeff")
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    else:
        writer = csv.writer(buffer, delimiter=",", lineterminator="\r\n")
    writer.writerow([csv_cell(h, style) for h in headers])
    excel = style is CsvStyle.excel
    suspect = _SUSPECT if excel else frozenset()
    write = writer.writerow
    for row in rows:
        cells = []
        for value in row:
            kind = type(value)
            if kind is str and value.isprintable() and value[:1] not in suspect:
                cells.append(value)  # plain() and neutralised() leave it as it is
            elif kind is int:
                cells.append(int.__repr__(value))
            elif value is None:
                cells.append("")
            else:
                cells.append(csv_cell(value, style))
        write(cells)
    return buffer.getvalue()


#: The first characters of every text neutralised() changes: a text starting otherwise is left as it is.
_SUSPECT = frozenset(" =+-@\t\r")


class Sheet(NamedTuple):
    """One sheet of a workbook: its name (at most 31 characters), header row and rows of raw values."""
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]


#: Excel's limit on one cell's text.
XLSX_CELL_CHARS = 32_767
#: zlib's level for a workbook's parts (see _with_rows).
XLSX_COMPRESSION = 1


def write_workbook(path, sheets: Sequence[Sheet]) -> Any:
    """An .xlsx workbook, written whole or not at all (graph/files.py); returns the path.

    Each sheet: a bold header row frozen above the data, filters on, columns as wide as
    their content (within limits); numbers stay numbers, and a text that looks like a
    formula is stored as text (with Excel's quote prefix, so that editing keeps it text).

    openpyxl writes each sheet with its header row; the rows themselves are made as XML
    strings (queries/xlsx.py, the same bytes openpyxl writes) and put into the sheets
    when the package is written: a cell object per value took twenty seconds for a
    whole-graph workbook."""
    import io

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from graph.files import write_atomic
    from queries.xlsx import QUOTED_STYLE, rows_xml

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    bodies: list[str] = []
    quoted_style: Optional[str] = None
    for sheet in sheets:
        ws = book.create_sheet(_sheet_title(sheet.title))
        widths = [len(str(h)) for h in sheet.headers]
        body, count, quoted = rows_xml(sheet.rows, 2, widths, XLSX_CELL_CHARS)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 6), 60)
        ws.freeze_panes = "A2"
        last = get_column_letter(max(len(sheet.headers), 1))
        ws.auto_filter.ref = f"A1:{last}{count + 1}"
        header = []
        for h in sheet.headers:
            c = WriteOnlyCell(ws, value=str(h))
            c.font = bold
            header.append(c)
        ws.append(header)
        if quoted and quoted_style is None:  # the style openpyxl gives the first such cell, after the bold header
            probe = WriteOnlyCell(ws, value="")
            probe.quotePrefix = True
            quoted_style = str(probe.style_id)
        bodies.append(body.replace(QUOTED_STYLE, quoted_style) if quoted else body)
    if not sheets:
        book.create_sheet("Tom")
        bodies.append("")
    buffer = io.BytesIO()
    book.save(buffer)
    return write_atomic(path, lambda fh: _with_rows(buffer, bodies, fh), encoding=None)


def _with_rows(package: Any, bodies: Sequence[str], fh: Any) -> None:
    """The package openpyxl wrote, each sheet's rows put after its header row, every part
    otherwise as it was (names, order, dates), compressed at zlib's fastest level: the
    default level took a second for a whole-graph workbook's 66 MB of XML, the fastest a
    third of one, for a file a quarter larger (8 MB instead of 6)."""
    import zipfile

    with zipfile.ZipFile(package) as source, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", info.filename)
            if match and bodies[int(match.group(1)) - 1]:
                head, _, tail = data.partition(b"</sheetData>")
                data = head + bodies[int(match.group(1)) - 1].encode("ascii") + b"</sheetData>" + tail
            target.writestr(info, data, compresslevel=XLSX_COMPRESSION)


def as_json(payload: Any) -> str:
    from pydantic import BaseModel  # here, not at the top: the command line imports this module for --help

    def plain(value: Any) -> Any:
        if isinstance(value, BaseModel):
            return value.model_dump(mode="json")
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    return json_text(plain(payload))


# -- JSON as json.dumps(..., ensure_ascii=False, indent=1) writes it, faster ------------

_int = int.__repr__


def _float_text(o: float) -> str:
    if o != o:
        return "NaN"
    if o == float("inf"):
        return "Infinity"
    if o == -float("inf"):
        return "-Infinity"
    return float.__repr__(o)


_SIMPLE = {str: _string, int: _int, float: _float_text, bool: lambda o: "true" if o else "false",
           type(None): lambda o: "null"}


def _key(key) -> str:
    if isinstance(key, str):
        return _string(key)
    if key is True or key is False:
        return '"true"' if key else '"false"'
    if key is None:
        return '"null"'
    if isinstance(key, float):
        return '"' + _float_text(key) + '"'
    if isinstance(key, int):
        return '"' + _int(key) + '"'
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def json_text(obj: Any, indent: int = 1) -> str:
    """json.dumps(obj, ensure_ascii=False, indent=indent): the same text, made by one
    recursive function that writes scalars in place, not by the standard library's
    generators (with an indent, json has no C encoder): a third less time for an export."""
    parts: list[str] = []
    append = parts.append
    simple = _SIMPLE.get

    def walk(o, level: int) -> None:
        inner = "\n" + " " * (indent * (level + 1))
        if isinstance(o, dict):
            if not o:
                append("{}")
                return
            separator = "{" + inner
            for key, value in o.items():
                name = _string(key) if type(key) is str else _key(key)
                write = simple(type(value))
                if write is not None:
                    append(separator + name + ": " + write(value))
                else:
                    append(separator + name + ": ")
                    walk(value, level + 1)
                separator = "," + inner
            append("\n" + " " * (indent * level) + "}")
        elif isinstance(o, (list, tuple)):
            if not o:
                append("[]")
                return
            separator = "[" + inner
            for value in o:
                write = simple(type(value))
                if write is not None:
                    append(separator + write(value))
                else:
                    append(separator)
                    walk(value, level + 1)
                separator = "," + inner
            append("\n" + " " * (indent * level) + "]")
        elif isinstance(o, str):  # subclasses (str enums), as json writes them
            append(_string(o))
        elif isinstance(o, int):
            append(_int(o))
        elif isinstance(o, float):
            append(_float_text(o))
        else:
            raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")

    write = simple(type(obj))
    if write is not None:
        return write(obj)
    walk(obj, 0)
    return "".join(parts)


def show(console: Console, rows: Sequence[Any], columns: Sequence[Column], fmt: OutputFormat, title: str,
         payload: Any = None, csv_style: CsvStyle = CsvStyle.excel) -> None:
    """Print rows in the chosen format; JSON prints `payload` (default: the rows themselves)."""
    if fmt is OutputFormat.json:
        sys.stdout.write(as_json(rows if payload is None else payload) + "\n")
    elif fmt is OutputFormat.csv:
        sys.stdout.write(as_csv(rows, columns, csv_style))
    else:
        cells = [[_cell(c.get(row)) for c in columns] for row in rows]
        print_parts(console, table_parts([c.header for c in columns], cells, title, console.width))


class _Drawn:
    """Text already laid out in lines, rendered as it is: rich's own printing of a Text
    splits it into a Text per line and cleans each of control codes again, half a second
    for a table of 4,000 agreements."""

    def __init__(self, parts: Sequence[tuple[str, str]]) -> None:
        self.parts = parts

    def __rich_console__(self, console: Console, options: Any) -> Any:
        from rich.segment import Segment

        for text, style in self.parts:
            yield Segment(text, console.get_style(style) if style else None)
        yield Segment("\n")


def print_parts(console: Console, parts: Sequence[tuple[str, str]]) -> None:
    """Print (text, style) parts, each text already through plain(), unwrapped (the
    terminal wraps a long line itself), as console.print(Text, soft_wrap=True) would."""
    console.print(_Drawn(parts), soft_wrap=True, highlight=False)


def write_rows(path, rows: Sequence[Any], columns: Sequence[Column], fmt: OutputFormat, title: str,
               payload: Any = None, csv_style: CsvStyle = CsvStyle.excel) -> Any:
    """Write what `show` prints to the file `path`: by its name an Excel workbook (.xlsx), JSON
    (.json) or CSV (.csv); any other name by `fmt` (a table is written as CSV). Returns the path."""
    from pathlib import Path

    from graph.files import write_text_atomic

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return write_workbook(path, [Sheet(title, [c.header for c in columns],
                                           ([c.get(row) for c in columns] for row in rows))])
    if suffix == ".json" or (suffix != ".csv" and fmt is OutputFormat.json):
        return write_text_atomic(path, as_json(rows if payload is None else payload) + "\n")
    return write_text_atomic(path, as_csv(rows, columns, csv_style))


def _sheet_title(title: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", plain(title)).strip()
    return (cleaned or "Tabell")[:31]


# Rich's default table look (box.HEAVY_HEAD), drawn here: rich.table renders every cell as
# its own renderable, 5 s for the 300 rows of a busy body's partners on a loaded machine.
_TOP, _HEAD, _RULE, _BODY, _BOTTOM = ("┏━┳┓", "┃ ┃┃", "┡━╇┩", "│ ││", "└─┴┘")


def table_text(headers: Sequence[str], rows: Sequence[Sequence[str]], title: str, width: int) -> Text:
    """A table with a bold header that fits `width` columns of the terminal: columns are as
    wide as their widest cell, the widest cut down first when they do not fit, and a cell
    too long for its column wraps at word boundaries (a word longer than the column is folded)."""
    text = Text()
    for part, style in table_parts(headers, rows, title, width):
        text.append(part, style=style or None)
    return text


def table_parts(headers: Sequence[str], rows: Sequence[Sequence[str]], title: str,
                width: int) -> list[tuple[str, str]]:
    """table_text as (text, style) parts: the title, the top rule, the header, the body."""
    headers, title = [plain(h) for h in headers], plain(title)  # matrix headers and titles name actors
    # Each cell's width once, a column at a time: the rows are drawn with them too.
    columns = list(zip(*rows)) if rows else [() for _ in headers]
    column_widths = [_widths(column) for column in columns]
    cell_widths = list(zip(*column_widths))
    natural = [max([_width(h), *widths]) for h, widths in zip(headers, column_widths)]
    room = width - 3 * len(headers) - 1
    words = None if sum(natural) <= room else [_longest_word_of([h, *column]) for h, column in zip(headers, columns)]
    widths = _fit(natural, room, words)
    parts = []
    if title:
        total = sum(widths) + 3 * len(widths) + 1
        parts.append((title.center(total).rstrip() + "\n", "italic"))
    parts.append((_rule(_TOP, widths) + "\n", ""))
    parts.append(("\n".join(_lines(_HEAD, headers, widths)) + "\n", "bold"))
    # The body as one string: appending cell by cell cost a second for a thousand quotes.
    body = [_rule(_RULE, widths)]
    left, _, cross, right = _BODY
    for row, row_widths in zip(rows, cell_widths):
        if all(have <= w for have, w in zip(row_widths, widths)):  # one line: no cell wraps
            body.append(left + cross.join(" " + cell + " " * (w - have + 1)
                                          for cell, have, w in zip(row, row_widths, widths)) + right)
        else:
            body.extend(_lines(_BODY, row, widths))
    body.append(_rule(_BOTTOM, widths))
    parts.append(("\n".join(body), ""))
    return parts


def _width(value: str) -> int:
    """Cells on screen: one per character, but for wide (East Asian) characters and newlines."""
    if "\n" in value:
        return max(_width(part) for part in value.split("\n"))
    return len(value) if _narrow(value) else cell_len(value)


#: A character that may take two cells (from Hangul Jamo on): text without one is as wide as it is long.
_WIDE = re.compile("[\u1100-\U0010ffff]")


def _narrow(value: str) -> bool:
    """Whether every character of `value` is one cell wide (none from U+1100 on),
    found by a regular expression: max() over the characters of every cell was a third
    of drawing a table of 4,000 agreements."""
    return _WIDE.search(value) is None


def _widths(cells: Sequence[str]) -> list[int]:
    """_width of each cell; of a column of narrow characters without line breaks (the
    common one), measured at once: a width per cell was most of drawing 4,000 actors."""
    joined = "".join(cells)
    if "\n" not in joined and _narrow(joined):
        return list(map(len, cells))
    return [_width(cell) for cell in cells]


def _longest_word_of(cells: Sequence[str]) -> int:
    """The largest _longest_word of the cells: of narrow ones, split as one text."""
    joined = " ".join(cells)
    if _narrow(joined):
        return max(map(len, joined.split()), default=0)
    return max(_longest_word(cell) for cell in cells)


def _longest_word(cell: str) -> int:
    """The width of the cell's widest word (0 for none)."""
    if _narrow(cell):  # narrow characters only: width is length
        return max(map(len, cell.split()), default=0)
    return max(_width(w) for w in cell.split() or [""])


def _fit(natural: list[int], room: int, words: Optional[list[int]] = None) -> list[int]:
    """Column widths within `room`: the widest columns are cut down first, to the largest
    width at which all fit, but no column below its longest word (up to 20 cells), so that
    short columns keep their words whole. Only if that is still too wide are words folded."""
    if sum(natural) <= room or not natural:
        return natural
    least = [min(n, w, 20) for n, w in zip(natural, words or [1] * len(natural))]
    if sum(least) > room:
        least = [1] * len(natural)
    low, high = 1, max(natural)
    while low < high:  # the largest cap whose capped widths still fit
        cap = (low + high + 1) // 2
        if sum(min(n, max(m, cap)) for n, m in zip(natural, least)) <= room:
            low = cap
        else:
            high = cap - 1
    return [min(n, max(m, low)) for n, m in zip(natural, least)]


def _rule(box: str, widths: list[int]) -> str:
    left, line, cross, right = box
    return left + cross.join(line * (w + 2) for w in widths) + right


def _lines(box: str, cells: Sequence[str], widths: list[int]) -> list[str]:
    """One table row, as many lines high as its most wrapped cell."""
    left, _, cross, right = box
    wrapped = []
    for cell, w in zip(cells, widths):
        # A cell of narrow characters without a line break: each of its lines is as wide as
        # it is long (measuring each line again was most of a long table's drawing).
        narrow = "\n" not in cell and _narrow(cell)
        if narrow and len(cell) <= w:
            wrapped.append(([cell], True))
        else:
            wrapped.append((_wrap_narrow(cell, w) if narrow else _wrap(cell, w), narrow))
    if not wrapped:
        return [left + right]
    height = max(len(lines) for lines, _ in wrapped)
    columns = []  # each column's lines padded to its width, as many as the row is high: then joined line by line
    for (lines, narrow), w in zip(wrapped, widths):
        padded = [" " + part + " " * (w - (len(part) if narrow else _width(part)) + 1) for part in lines]
        padded += [" " * (w + 2)] * (height - len(lines))
        columns.append(padded)
    return [left + cross.join(parts) + right for parts in zip(*columns)]


def _wrap(value: str, width: int) -> list[str]:
    if _width(value) <= width:
        return [value]
    if _narrow(value):  # narrow characters only: widths are lengths, kept as the line grows
        return _wrap_narrow(value, width)
    lines: list[str] = []
    for paragraph in value.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if _width(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while _width(word) > width:  # fold a word longer than the column
                cut = _cut(word, width)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def _wrap_narrow(value: str, width: int) -> list[str]:
    """_wrap for text whose every character is one cell wide: the same lines."""
    lines: list[str] = []
    for paragraph in value.split("\n"):
        line, used = "", 0
        for word in paragraph.split(" "):
            size = len(word)
            if line:
                if used + 1 + size <= width:
                    line, used = f"{line} {word}", used + 1 + size
                    continue
                lines.append(line)
            elif size <= width:
                line, used = word, size
                continue
            cut = max(width, 1)
            while len(word) > width:  # fold a word longer than the column
                lines.append(word[:cut])
                word = word[cut:]
            line, used = word, len(word)
        lines.append(line)
    return lines


def _cut(word: str, width: int) -> int:
    """How many characters of `word` fill `width` cells (at least one)."""
    used = 0
    for i, ch in enumerate(word):
        used += _width(ch)
        if used > width:
            return max(i, 1)
    return len(word)
