"""Query results as a table on screen, JSON for other tools, or CSV for Excel."""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import Enum
from typing import Any, Callable, NamedTuple, Sequence

from pydantic import BaseModel
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


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def as_csv(rows: Sequence[Any], columns: Sequence[Column]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow([_cell(c.get(row)) for c in columns])
    return buffer.getvalue()


def as_json(payload: Any) -> str:
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
    natural = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    widths = _fit(natural, width - 3 * len(headers) - 1)
    text = Text()
    if title:
        total = sum(widths) + 3 * len(widths) + 1
        text.append(title.center(total).rstrip() + "\n", style="italic")
    text.append(_rule(_TOP, widths))
    _lines(text, _HEAD, headers, widths, style="bold")
    text.append(_rule(_RULE, widths))
    for row in rows:
        _lines(text, _BODY, row, widths)
    text.append(_rule(_BOTTOM, widths).rstrip("\n"))
    return text


def _width(value: str) -> int:
    """Cells on screen: one per character, but for wide (East Asian) characters and newlines."""
    if "\n" in value:
        return max(_width(part) for part in value.split("\n"))
    return len(value) if not value or max(value) < "\u1100" else cell_len(value)


def _fit(natural: list[int], room: int) -> list[int]:
    """Column widths within `room`: the widest columns are capped at the largest width that fits."""
    if sum(natural) <= room or not natural:
        return natural
    low, high = 1, max(natural)
    while low < high:  # the largest cap whose capped widths still fit
        cap = (low + high + 1) // 2
        if sum(min(n, cap) for n in natural) <= room:
            low = cap
        else:
            high = cap - 1
    return [min(n, low) for n in natural]


def _rule(box: str, widths: list[int]) -> str:
    left, line, cross, right = box
    return left + cross.join(line * (w + 2) for w in widths) + right + "\n"


def _lines(text: Text, box: str, cells: Sequence[str], widths: list[int], style: str = "") -> None:
    """One table row, as many lines high as its most wrapped cell."""
    left, _, cross, right = box
    wrapped = [_wrap(cell, w) for cell, w in zip(cells, widths)]
    for n in range(max(map(len, wrapped), default=1)):
        text.append(left)
        for i, (lines, w) in enumerate(zip(wrapped, widths)):
            part = lines[n] if n < len(lines) else ""
            text.append(" ")
            text.append(part, style=style)
            text.append(" " * (w - _width(part) + 1) + (cross if i < len(widths) - 1 else right))
        text.append("\n")


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
