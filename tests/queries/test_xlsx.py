"""write_workbook's rows made as XML strings are what openpyxl wrote cell by cell.

The reference is the writer before (a WriteOnlyCell per value); the two workbooks must
hold the same bytes in every part but the document properties (their time of writing),
for every kind of value a sheet gets: numbers, booleans, None, enums, texts with markup,
non-ASCII and astral characters, line breaks, carriage returns, control characters,
leading spaces, formulas, error codes, empty texts, texts over Excel's limit, NaN.
"""

from __future__ import annotations

import io
import math
import zipfile
from enum import Enum
from typing import Any, Sequence

import pytest

from queries.present import XLSX_CELL_CHARS, Sheet, _sheet_title, neutralised, write_workbook


class Colour(str, Enum):
    red = "röd"


def reference_workbook(path, sheets: Sequence[Sheet]):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        ws = book.create_sheet(_sheet_title(sheet.title))
        rows = [list(r) for r in sheet.rows]
        widths = [len(str(h)) for h in sheet.headers]

        def cell(value: Any) -> Any:
            if isinstance(value, Enum):
                value = value.value
            if value is None or isinstance(value, (bool, int, float)):
                return WriteOnlyCell(ws, value=value)
            text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
            if len(text) > XLSX_CELL_CHARS:
                text = text[: XLSX_CELL_CHARS - 1] + "…"
            c = WriteOnlyCell(ws, value=text)
            if c.data_type != "s" or neutralised(text) != text:
                c.data_type = "s"
                c.quotePrefix = True
            return c

        for row in rows:
            for i, value in enumerate(row[: len(widths)]):
                longest = max((len(line) for line in str(value).split("\n")), default=0) if value is not None else 0
                widths[i] = max(widths[i], longest)
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 6), 60)
        ws.freeze_panes = "A2"
        last = get_column_letter(max(len(sheet.headers), 1))
        ws.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
        header = []
        for h in sheet.headers:
            c = WriteOnlyCell(ws, value=str(h))
            c.font = bold
            header.append(c)
        ws.append(header)
        for row in rows:
            ws.append([cell(v) for v in row])
    if not sheets:
        book.create_sheet("Tom")
    book.save(path)


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist() if not i.filename.startswith("docProps/")}


PLAIN = Sheet("Aktörer", ["Namn", "Antal", "Andel", "Ja", "Färg"],
              [["Alby kommun", 3, 0.25, True, Colour.red], ["Ö & <Å>", 0, 1e-07, False, None],
               [None, None, None, None, None], ["rad ett\nrad två", -4, 123456789.123, None, "x"],
               ["  inledande blanksteg", 10**17, math.nan, True, "😀 utanför BMP"], ["", 2.5, 3, None, "\r"],
               ["kontroll\x07tecken", 1, 2, 3, 4, "utanför rubrikerna"]])
QUOTED = Sheet("Formler: [a]/b", ["Cell"], [["=1+1"], ["+46 8 123"], ["-"], ["@x"], ["  =SUMMA(A1)"], ["#N/A"],
                                            ["#REF!"], ["vanlig"], ["\tflik"], ["="]])
LONG = Sheet("Lång", ["Text"], [["å" * (XLSX_CELL_CHARS + 5)], ["a" * XLSX_CELL_CHARS]])
# Values equal to Python but not to a worksheet (True == 1 == 1.0, a str enum == its text), texts
# with format characters (cells are made once per value, as formats of the row's number), recurring.
MIXED = Sheet("Blandat", ["Värde", "Text"],
              [[1, "50 %"], [True, "%(n)s"], [1.0, "50 %"], ["1", "%s %d %%"], [Colour.red, None], ["röd", "%(n)s"],
               [1, "50 %"], [False, ""], [0, None], [0.0, "%"]])


@pytest.mark.parametrize("sheets", [[PLAIN], [PLAIN, QUOTED, LONG], [QUOTED, PLAIN], [MIXED, PLAIN], [],
                                    [Sheet("Tom", ["A"], [])]])
def test_the_workbook_is_openpyxls_to_the_byte(tmp_path, sheets):
    write_workbook(tmp_path / "ny.xlsx", sheets)
    reference_workbook(tmp_path / "ref.xlsx", sheets)
    assert _parts(tmp_path / "ny.xlsx") == _parts(tmp_path / "ref.xlsx")


def test_rows_from_a_generator_are_read_once(tmp_path):
    rows = ([i, f"rad {i}"] for i in range(3))
    write_workbook(tmp_path / "ny.xlsx", [Sheet("Gen", ["Nr", "Text"], rows)])
    reference_workbook(tmp_path / "ref.xlsx", [Sheet("Gen", ["Nr", "Text"], [[i, f"rad {i}"] for i in range(3)])])
    assert _parts(tmp_path / "ny.xlsx") == _parts(tmp_path / "ref.xlsx")


@pytest.mark.parametrize("split_rows", [1, 2, 3, 4])
def test_a_long_sheet_made_in_two_halves_is_the_same_workbook(tmp_path, monkeypatch, split_rows):
    """Each sheet's second half made in a child process (any sheet of at least SPLIT_ROWS
    rows): numbered on, widths the wider of the halves (the widest and the quoted cells
    fall in either half), the same bytes as openpyxl's."""
    import queries.xlsx as xlsx

    monkeypatch.setattr(xlsx, "SPLIT_ROWS", split_rows)
    sheets = [PLAIN, QUOTED, LONG, MIXED, Sheet("Tom", ["A"], []), Sheet("En", ["A"], [["=en"]])]
    write_workbook(tmp_path / "ny.xlsx", sheets)
    reference_workbook(tmp_path / "ref.xlsx", sheets)
    assert _parts(tmp_path / "ny.xlsx") == _parts(tmp_path / "ref.xlsx")


@pytest.mark.parametrize("headers", [None, ["Annan rubrik, längre än allt", "B", "C", "D", "E"]])
def test_rows_made_in_a_child_process_are_the_rows(tmp_path, headers):
    """RowsInBackground gives write_workbook the XML its rows would have; started with other
    headers than the sheet's, it makes them again here. It iterates as the rows elsewhere."""
    from queries.xlsx import RowsInBackground

    rows = RowsInBackground(lambda: [list(r) for r in PLAIN.rows], headers or PLAIN.headers)
    assert list(rows) == [list(r) for r in PLAIN.rows]
    write_workbook(tmp_path / "ny.xlsx", [Sheet(PLAIN.title, PLAIN.headers, rows), QUOTED])
    reference_workbook(tmp_path / "ref.xlsx", [PLAIN, QUOTED])
    assert _parts(tmp_path / "ny.xlsx") == _parts(tmp_path / "ref.xlsx")
