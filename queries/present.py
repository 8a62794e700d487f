"""Query results as a table on screen, JSON for other tools, or CSV for Excel."""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import Enum
from typing import Any, Callable, NamedTuple, Sequence

from pydantic import BaseModel
from rich.console import Console
from rich.table import Table


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
        table = Table(title=title)
        for column in columns:
            table.add_column(column.header, overflow="fold")
        for row in rows:
            table.add_row(*(_cell(c.get(row)) for c in columns))
        console.print(table)
