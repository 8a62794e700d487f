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

from typing import Any, Iterable

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


def _type(value: Any) -> str:
    try:
        return _TYPES[type(value)]
    except KeyError:
        raise TypeError(f"GraphML does not support type {type(value)} as data values.") from None


def graphml_bytes(network: Any) -> bytes:
    """The GraphML document of an undirected multigraph given as `nodes` (node ->
    attributes) and `edges` ((u, v, key, attributes) in order), UTF-8 encoded."""
    keys: dict[tuple[str, str, str], str] = {}

    def declare(scope: str, items: Iterable[dict]) -> None:
        seen: set[tuple[str, type]] = set()  # each name and Python type once: GraphML's types are one to one
        for data in items:
            for name, value in data.items():
                if (name, type(value)) not in seen:
                    seen.add((name, type(value)))
                    found = (str(name), _type(value), scope)
                    if found not in keys:
                        keys[found] = f"d{len(keys)}"

    declare("node", network.nodes.values())
    declare("edge", (d for _, _, _, d in network.edges))
    node_keys = {(name, kind): key for (name, kind, scope), key in keys.items() if scope == "node"}
    edge_keys = {(name, kind): key for (name, kind, scope), key in keys.items() if scope == "edge"}
    parts = ["<?xml version='1.0' encoding='utf-8'?>\n<graphml ", _NAMESPACES, ">"]
    parts += [f'<key id="{key}" for="{scope}" attr.name="{_attribute(name)}" attr.type="{kind}"/>\n'
              for (name, kind, scope), key in reversed(keys.items())]
    parts.append('<graph edgedefault="undirected">')
    for node, data in network.nodes.items():
        parts.append(_element(f'<node id="{_attribute(str(node))}"', "node", data, node_keys))
    for u, v, key, data in network.edges:
        parts.append(_element(f'<edge source="{_attribute(str(u))}" target="{_attribute(str(v))}" '
                              f'id="{_attribute(str(key))}"', "edge", data, edge_keys))
    parts.append("</graph></graphml>")
    return "".join(parts).encode("utf-8")


def _element(start: str, tag: str, data: dict, keys: dict[tuple[str, str], str]) -> str:
    """One node or tie as lxml pretty-prints it: its data one to a line, indented by two."""
    if not data:
        return start + "/>\n"
    lines = [start + ">"]
    for name, value in data.items():
        kind = type(value)
        text = escaped_text(value) if kind is str else str(value)
        lines.append(f'  <data key="{keys[(name, _TYPES[kind] if kind in _TYPES else _type(value))]}">{text}</data>')
    lines.append(f"</{tag}>\n")
    return "\n".join(lines)
