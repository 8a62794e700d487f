"""Query results as a table on screen, JSON for other tools, or CSV for Excel."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from enum import Enum
from typing import Any, Callable, NamedTuple, Optional, Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


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


def as_csv(rows: Sequence[Any], columns: Sequence[Column]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow([_cell(c.get(row)) for c in columns])
    return buffer.getvalue()


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

    return json.dumps(plain(payload), ensure_ascii=False, indent=1)


def show(console: Console, rows: Sequence[Any], columns: Sequence[Column], fmt: OutputFormat, title: str,
         payload: Any = None) -> None:
    """Print rows in the chosen format; JSON prints `payload` (default: the rows themselves)."""
    if fmt is OutputFormat.json:
        sys.stdout.write(as_json(rows if payload is None else payload) + "\n")
    elif fmt is OutputFormat.csv:
        sys.stdout.write(as_csv(rows, columns))
    else:
        cells = [[_cell(c.get(row)) for c in columns] for row in rows]
        console.print(table_text([c.header for c in columns], cells, title, console.width),
                      soft_wrap=True, highlight=False)


# Rich's default table look (box.HEAVY_HEAD), drawn here: rich.table renders every cell as
# its own renderable, 5 s for the 300 rows of a busy body's partners on a loaded machine.
_TOP, _HEAD, _RULE, _BODY, _BOTTOM = ("┏━┳┓", "┃ ┃┃", "┡━╇┩", "│ ││", "└─┴┘")


def table_text(headers: Sequence[str], rows: Sequence[Sequence[str]], title: str, width: int) -> Text:
    """A table with a bold header that fits `width` columns of the terminal: columns are as
    wide as their widest cell, the widest cut down first when they do not fit, and a cell
    too long for its column wraps at word boundaries (a word longer than the column is folded)."""
    headers, title = [plain(h) for h in headers], plain(title)  # matrix headers and titles name actors
    natural = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    words = [max(_width(w) for cell in [h, *(r[i] for r in rows)] for w in cell.split() or [""])
             for i, h in enumerate(headers)]
    widths = _fit(natural, width - 3 * len(headers) - 1, words)
    text = Text()
    if title:
        total = sum(widths) + 3 * len(widths) + 1
        text.append(title.center(total).rstrip() + "\n", style="italic")
    text.append(_rule(_TOP, widths) + "\n")
    text.append("\n".join(_lines(_HEAD, headers, widths)) + "\n", style="bold")
    # The body as one string: appending cell by cell cost a second for a thousand quotes.
    body = [_rule(_RULE, widths)]
    for row in rows:
        body.extend(_lines(_BODY, row, widths))
    body.append(_rule(_BOTTOM, widths))
    text.append("\n".join(body))
    return text


def _width(value: str) -> int:
    """Cells on screen: one per character, but for wide (East Asian) characters and newlines."""
    if "\n" in value:
        return max(_width(part) for part in value.split("\n"))
    return len(value) if not value or max(value) < "\u1100" else cell_len(value)


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
    wrapped = [_wrap(cell, w) for cell, w in zip(cells, widths)]
    out = []
    for n in range(max(map(len, wrapped), default=1)):
        parts = []
        for lines, w in zip(wrapped, widths):
            part = lines[n] if n < len(lines) else ""
            parts.append(" " + part + " " * (w - _width(part) + 1))
        out.append(left + cross.join(parts) + right)
    return out


def _wrap(value: str, width: int) -> list[str]:
    if _width(value) <= width:
        return [value]
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


def _cut(word: str, width: int) -> int:
    """How many characters of `word` fill `width` cells (at least one)."""
    used = 0
    for i, ch in enumerate(word):
        used += _width(ch)
        if used > width:
            return max(i, 1)
    return len(word)
