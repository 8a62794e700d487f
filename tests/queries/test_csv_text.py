"""csv_text's shortcuts for common cells give what csv_cell gives for every cell."""

from __future__ import annotations

import csv
import io
from enum import Enum

import pytest

from queries.present import CsvStyle, csv_cell, csv_text


class Kind(str, Enum):
    agency = "agency"


VALUES = ["Alby kommun", "", " ledande blanksteg", "=1+1", "+46", "-", "@x", "\tflik", "\rretur", "rad\nrad",
          "styr\x1b[31mtecken", "höger\u202evänster", "\x85nästa", "vanlig; med semikolon", 'citat "så"', "😀",
          0, -7, 10**20, 0.5, 1e-9, True, False, None, Kind.agency, "  =SUMMA(A1)", "#N/A"]


@pytest.mark.parametrize("style", list(CsvStyle))
def test_every_cell_is_csv_cells(style):
    rows = [VALUES, list(reversed(VALUES)), []]
    buffer = io.StringIO()
    if style is CsvStyle.excel:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";" if style is CsvStyle.excel else ",", lineterminator="\r\n")
    writer.writerow([csv_cell(h, style) for h in ["A", "=B"]])
    for row in rows:
        writer.writerow([csv_cell(v, style) for v in row])
    assert csv_text(["A", "=B"], rows, style) == buffer.getvalue()
