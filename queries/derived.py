"""Results derived from the graph that take seconds, kept in the store for the next run.

Exact betweenness of the 4,000 actors of 2,000 documents takes two to three seconds of
igraph's C core, the map's layout one more, and both are asked again by every export and
every map of an unchanged graph. Each is kept in the store (SQLite: `derived`, one row a
kind) with the fingerprint of exactly what it was computed from (the nodes and ties in
their order, the version of this code and of igraph): the same input gives the same
fingerprint and the answer computed before; a changed graph another fingerprint, and the
answer is computed again. Nothing is ever invalidated by hand, and nothing but a
recomputation can differ from a kept answer (tests compare them).

Values travel as JSON, never pickle: a store is a file people mail to each other, and
loading it must not run code. JSON gives floats back to the last bit.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any, Iterable, Optional

from graph.store import Store

#: Bumped when what a kind holds, or how it is computed, changes.
VERSION = "1"


@lru_cache(maxsize=1)
def _igraph_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("igraph")
    except PackageNotFoundError:  # pragma: no cover - igraph is a dependency
        return "?"


def fingerprint(kind: str, *parts: Iterable[Any]) -> str:
    """A digest of `kind` and every item of `parts` in order (strings, or tuples of them
    and numbers), with this module's and igraph's versions."""
    digest = hashlib.sha256(f"{kind}\x1e{VERSION}\x1e{_igraph_version()}".encode())
    for part in parts:
        digest.update(b"\x1e")
        text = "\x1f".join(item if type(item) is str else "\x1d".join(map(str, item)) for item in part)
        digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _keeps(store: Store) -> bool:
    """Whether the store's own class keeps derived results (SQLite); a view wrapping a
    store (--as-of) is not asked, as for the export rows."""
    return hasattr(type(store), "derived") and hasattr(type(store), "keep_derived")


def kept(store: Store, kind: str, key: str) -> Optional[Any]:
    """The value kept for `kind` under fingerprint `key`, or None."""
    if not _keeps(store):
        return None
    text = store.derived(kind, key)  # type: ignore[attr-defined]
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:  # a damaged row: computed again (and replaced)
        return None


def keep(store: Store, kind: str, key: str, value: Any) -> None:
    """Keep `value` (JSON-able) for `kind` under `key`, where the store can; best effort."""
    if _keeps(store):
        store.keep_derived(kind, key, json.dumps(value, separators=(",", ":")))  # type: ignore[attr-defined]
