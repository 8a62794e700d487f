"""GraphML as networkx.write_graphml writes an undirected multigraph, made as one string.

networkx builds an lxml element per node, tie and attribute value and serialises each:
four seconds for the 30,000 ties of 2,000 documents. The same document is written here
from strings: the keys (d0, d1, ... in the order networkx meets each attribute name and
type, written last first), then the nodes and the ties with lxml's pretty printing and
escaping. tests/queries/test_graphml.py compares the bytes with networkx's.

Made in memory and then written: networkx wrote through lxml's incremental writer, and a
write to a full disk failing inside it crashed the interpreter at its next garbage
collection (segmentation fault; tests/test_cli.py, the full-disk test).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Optional

_NAMESPACES = ('xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
               'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
               'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"')

#: GraphML's type of a Python value, as networkx names it (its last entry for a type wins).
_TYPES = {int: "long", str: "string", float: "double", bool: "boolean"}



def escaped_text(text: str) -> str:
    """Escaped as lxml escapes element text (str.replace: translate with a table is slower)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def _attribute(text: str) -> str:
    """Escaped as lxml escapes an attribute value."""
    text = escaped_text(text)
    for raw, escaped in (('"', "&quot;"), ("\n", "&#10;"), ("\t", "&#9;")):
        if raw in text:
            text = text.replace(raw, escaped)
    return text


def _declared(items: Iterable[dict]) -> list[tuple[str, type]]:
    """Each (attribute name, Python type) of `items`, once, in the order first met. Only
    the distinct shapes of the dicts (their names and types) are walked: a whole graph's
    ties come in a handful of shapes."""
    shapes: dict[tuple, None] = {}
    for data in items:
        shapes[(tuple(data), tuple(map(type, data.values())))] = None
    found: dict[tuple[str, type], None] = {}
    for names, types in shapes:
        for pair in zip(names, types):
            found[pair] = None
    return list(found)


def graphml_bytes(network: Any) -> bytes:
    """The GraphML document of an undirected multigraph given as `nodes` (node ->
    attributes) and `edges` ((u, v, key, attributes) in order), UTF-8 encoded."""
    keys: dict[tuple[str, str, str], str] = {}

    def declare(scope: str, items: Iterable[dict]) -> dict[tuple[str, type], str]:
        """Keys for every name and type (GraphML's types are one to one with Python's), and
        for each (name, Python type) the start of its data line."""
        starts: dict[tuple[str, type], str] = {}
        for name, kind in _declared(items):
            found = (str(name), _type_of(kind), scope)
            if found not in keys:
                keys[found] = f"d{len(keys)}"
            starts[(name, kind)] = f'\n  <data key="{keys[found]}">'
        return starts

    node_starts = declare("node", network.nodes.values())
    edge_starts = declare("edge", (d for _, _, _, d in network.edges))
    parts = ["<?xml version='1.0' encoding='utf-8'?>\n<graphml ", _NAMESPACES, ">"]
    parts += [f'<key id="{key}" for="{scope}" attr.name="{_attribute(name)}" attr.type="{kind}"/>\n'
              for (name, kind, scope), key in reversed(keys.items())]
    parts.append('<graph edgedefault="undirected">')
    ids: dict[Any, str] = {}  # each node's id as an attribute value, escaped once
    for node, data in network.nodes.items():
        ids[node] = escaped = _attribute(str(node))
        parts.append(_element(f'<node id="{escaped}"', "\n</node>\n", data, node_starts))

    def edges(some: list) -> str:
        text = []
        for u, v, key, data in some:
            source = ids.get(u) or _attribute(str(u))
            target = ids.get(v) or _attribute(str(v))
            text.append(_element(f'<edge source="{source}" target="{target}" id="{_attribute(str(key))}"',
                                 "\n</edge>\n", data, edge_starts))
        return "".join(text)

    parts.append(in_halves(edges, network.edges))
    parts.append("</graph></graphml>")
    return "".join(parts).encode("utf-8")


#: A list of at least this many items is made in two halves by in_halves.
HALVES_FROM = 10_000


def in_halves(make: Callable[[list], str], items: list, least: Optional[int] = None) -> str:
    """make(items), as make(first half) + make(second half) with the second half made in a
    child process (queries/background.py) while this one makes the first: a whole graph's
    ties are written on two cores. `make` must make each item's text alone (no state
    carried from one item to the next). A short list is made here at once."""
    from queries.background import in_background

    if len(items) < (HALVES_FROM if least is None else least):
        return make(items)
    half = len(items) // 2
    pending = in_background(make, items[half:])
    first = make(items[:half])
    return first + pending()


def _type_of(kind: type) -> str:
    try:
        return _TYPES[kind]
    except KeyError:
        raise TypeError(f"GraphML does not support type {kind} as data values.") from None


def _element(start: str, end: str, data: dict, starts: dict[tuple[str, type], str]) -> str:
    """One node or tie as lxml pretty-prints it: its data one to a line, indented by two."""
    if not data:
        return start + "/>\n"
    lines = [start, ">"]
    for name, value in data.items():
        kind = type(value)
        lines.append(starts[(name, kind)])
        lines.append(escaped_text(value) if kind is str else str(value))
        lines.append("</data>")
    lines.append(end)
    return "".join(lines)
