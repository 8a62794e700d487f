"""A writer process for the concurrency and kill tests: adds synthetic documents to a SQLite
store one transaction each, and prints the number of each document once it is committed.

Run: python tests/graph/sqlite_writer.py STORE SERIES FIRST COUNT [TIES]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from graph.sqlite import SQLiteStore  # noqa: E402
from tests.graph.synthetic import document  # noqa: E402


def main(store_path: str, series: str, first: int, count: int, ties: int = 20) -> None:
    store = SQLiteStore(Path(store_path))
    for number in range(first, first + count):
        store.add(document(number, series, ties))
        print(number, flush=True)
    store.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), *(int(a) for a in sys.argv[5:6]))
