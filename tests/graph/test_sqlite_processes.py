"""The SQLite store under real processes: two writers at once, and writers killed with SIGKILL."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import memory_store
from graph.sqlite import SQLiteStore
from tests.graph.synthetic import document

ROOT = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("sqlite_writer.py")
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _writer(store: Path, series: str, first: int, count: int, ties: int = 20) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WRITER), str(store), series, str(first), str(count), str(ties)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT)


def test_two_writers_at_once_both_land_in_full(tmp_path):
    store = tmp_path / "g.sqlite"
    writers = [_writer(store, "a", 0, 120), _writer(store, "b", 0, 130)]
    for w in writers:
        out, err = w.communicate(timeout=300)
        assert w.returncode == 0, err
    expected = [document(n, "a") for n in range(120)] + [document(n, "b") for n in range(130)]
    db = sqlite3.connect(store)
    order = "".join(source[0] for (source,) in db.execute("SELECT source FROM documents ORDER BY rowid"))
    db.close()
    assert "ab" in order and "ba" in order  # the two really wrote at the same time
    result = SQLiteStore(store)
    assert {d.id for d in result.documents()} == {x.document.id for x in expected}
    assert result.dump() == memory_store(expected).dump()


def test_two_cli_ingests_at_once_keep_every_document(tmp_path):
    """The issue's case: two `samverkan ingest` runs of 8 and 9 documents into one store."""
    from tests.graph.test_sqlite_cli import write_documents

    one, two = write_documents(tmp_path / "one", 8, "Ett"), write_documents(tmp_path / "two", 9, "Två")
    store = tmp_path / "graph.sqlite"
    runs = [subprocess.Popen([sys.executable, str(ROOT / "samverkan.py"), "ingest", str(folder), "--store", str(store)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=tmp_path)
            for folder in (one, two)]
    for run in runs:
        out, err = run.communicate(timeout=600)
        assert run.returncode == 0, err
    sources = {Path(d.source).parent.name for d in SQLiteStore(store).documents()}
    assert len(SQLiteStore(store).documents()) == 17 and sources == {"one", "two"}


def _committed(store: Path) -> set[str]:
    db = sqlite3.connect(store)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {i for (i,) in db.execute("SELECT id FROM documents")}
    finally:
        db.close()


@pytest.mark.parametrize("round_", range(4))
def test_a_writer_killed_mid_write_leaves_the_last_committed_state(tmp_path, round_):
    store = tmp_path / "g.sqlite"
    first = [document(n, "k", ties=60) for n in range(5)]
    with SQLiteStore(store) as s:
        s.add_many(first)
    # Large documents (600 ties each): a transaction takes long enough to be caught in the middle.
    writer = _writer(store, "k", 5, 400, ties=600)
    printed = []
    wanted = random.Random(round_).randint(1, 6)
    while len(printed) < wanted:
        line = writer.stdout.readline()
        assert line, writer.stderr.read()
        printed.append(int(line))
    time.sleep(random.Random(round_).uniform(0, 0.2))
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=10)
    assert writer.returncode == -signal.SIGKILL
    ids = _committed(store)
    # What is there is exactly the documents committed, in order: the first five and a prefix of the rest.
    done = 5
    while document(done, "k", ties=600).document.id in ids:
        done += 1
    assert done - 5 >= len(printed)
    expected = first + [document(n, "k", ties=600) for n in range(5, done)]
    assert ids == {x.document.id for x in expected}
    assert SQLiteStore(store).dump() == memory_store(expected).dump()
    # and the store takes writes again
    with SQLiteStore(store) as s:
        s.add(document(999, "k"))
    assert document(999, "k").document.id in _committed(store)
