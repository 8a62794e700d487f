"""The table drawn with each narrow cell measured once is the table drawn measuring every line."""

from __future__ import annotations

import random

import pytest

import queries.present as present
from queries.present import _width, _wrap, table_parts


def reference_lines(box, cells, widths):
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


WORDS = ["Alby", "kommun", "samverkansöverenskommelse", "東京都", "😀", "Polisregion", "", "a\nb", "rad ett\nrad två",
         "x" * 45, "Länsstyrelsen", "—", "ﾃｽﾄ"]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("width", [40, 80, 200])
def test_tables_are_drawn_as_before(monkeypatch, seed, width):
    rng = random.Random(seed)
    rows = [[" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 6))) for _ in range(4)] for _ in range(30)]
    headers = ["Namn", "Typ", "Parter", "Källor"]
    expected_parts = None
    with monkeypatch.context() as patched:
        patched.setattr(present, "_lines", reference_lines)
        expected_parts = table_parts(headers, rows, "Titel", width)
    assert table_parts(headers, rows, "Titel", width) == expected_parts


def test_a_row_without_cells_and_cells_wider_than_their_column():
    from queries.present import _BODY, _lines

    assert _lines(_BODY, [], []) == reference_lines(_BODY, [], [])
    cells, widths = ["abc", "東京都東京都", "", "a\nbb\nccc"], [1, 2, 0, 1]
    assert _lines(_BODY, cells, widths) == reference_lines(_BODY, cells, widths)


@pytest.mark.parametrize("seed", range(6))
def test_a_column_measured_at_once_is_each_cell_measured(seed):
    """_widths and _longest_word_of (a column at a time) equal _width and _longest_word per cell."""
    rng = random.Random(seed)
    for _ in range(50):
        column = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 5))) for _ in range(rng.randint(0, 8))]
        if rng.random() < 0.5:  # narrow cells only, as most columns are
            column = [c for c in column if present._narrow(c) and "\n" not in c]
        assert present._widths(column) == [_width(c) for c in column]
        assert present._longest_word_of(column) == max((present._longest_word(c) for c in column), default=0)
