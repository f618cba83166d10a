"""GraphML (http://graphml.graphdrawing.org/specification.html, schema 1.0) written for Gephi,
yEd, igraph and networkx, and read from them: yEd's drawings and arrowheads included.

Written files are valid against the GraphML 1.0 schema: node and edge ids are ``n0``, ``e0``...
(the name is the node's ``label``), and each attribute's ``attr.name`` is an NMTOKEN, the
column's name with every character an NMTOKEN cannot hold as ``_`` ("Decision_role"), numbered
on when two would meet; a Stakemap file's reader turns them back into the columns' names from
its ``Custom columns``. Positions are attributes ``x`` and ``y``, y pointing up as Gephi has it.

Reading keeps each key's ``attr.type`` (int and long, float and double, boolean, string) and
default. yEd keeps a node's drawing in ``y:Geometry`` (top-left corner and size, y pointing down
like the screen) and its name in ``y:NodeLabel``; an edge's ``y:Arrows`` says which ends have an
arrowhead: one at the target reads as drawn, one at the source as the other way round, both as
a mutual tie, none as undirected. Nested graphs (yEd's groups) are read as one graph.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from stakemap.files.graphdata import (
    EDGE_ATTRIBUTES,
    GRAPH_ATTRIBUTES,
    NODE_ATTRIBUTES,
    FileGraph,
    FoundEdge,
    FoundNode,
    custom_name,
    finite,
    from_json,
    local_name,
    value_text,
    written,
)
from stakemap.files.sheets import UnreadableFile
from stakemap.language import gettext as _
from stakemap.model import StakeholderMap
from stakemap.schema import STAKEHOLDER_COLUMNS

__all__ = ["attribute_tokens", "read_graphml", "to_graphml"]

_NS = "http://graphml.graphdrawing.org/xmlns"
_SCHEMA = f"{_NS} http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
#: Name characters an ``attr.name`` keeps: the XML Schema's NMTOKEN follows XML 1.0's second
#: edition (Appendix B, as libxml2 checks), which refuses letters the fifth edition allows;
#: these blocks (Latin, Greek, Cyrillic, Vietnamese, kana, CJK, Hangul) are letters in both.
#: Any other character is written ``_``.
_NOT_NAME = re.compile(
    "[^-.0-9:A-Z_a-z\xb7\xc0-\xd6\xd8-\xf6\xf8-\u0131\u0134-\u013e\u0141-\u0148"
    "\u014a-\u017e\u0180-\u01c3\u01cd-\u01f0\u01f4\u01f5\u01fa-\u0217\u0386-\u038a"
    "\u038c\u038e-\u03a1\u03a3-\u03ce\u0401-\u040c\u040e-\u044f\u0451-\u045c"
    "\u045e-\u0481\u1e00-\u1e9b\u1ea0-\u1ef9\u3041-\u3094\u30a1-\u30fa\u4e00-\u9fa5"
    "\uac00-\ud7a3]"
)
_TYPES = {"int": int, "long": int, "float": float, "double": float}
_TRUE = {"true": True, "false": False, "1": True, "0": False}


def to_graphml(m: StakeholderMap) -> bytes:
    """GraphML (UTF-8) of the map, valid against the GraphML 1.0 schema; :func:`read_graphml`
    reads it back to the same map.

    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap((Stakeholder("Ana"), Stakeholder("Ben", decision_role="veto")),
    ...                    (Relationship("Ana", "Ben"),))
    >>> data = to_graphml(m)
    >>> b'attr.name="Decision_role"' in data, b'<node id="n1">' in data
    (True, True)
    """
    w = written(m)
    tokens = attribute_tokens(_custom(m))
    root = Element("graphml", {"xmlns": _NS, "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                               "xsi:schemaLocation": _SCHEMA})  # fmt: skip
    ids: dict[tuple[str, str], str] = {}
    placed = any(xy is not None for _, _, xy in w.nodes)
    keys = [("graph", k, "string") for k in w.graph]
    keys += [("node", "label", "string"), *(("node", k, t) for k, t in w.node_keys)]
    keys += [("node", axis, "double") for axis in ("x", "y") if placed]
    keys += [("edge", k, t) for k, t in EDGE_ATTRIBUTES]
    for domain, name, kind in keys:
        ids[domain, name] = f"d{len(ids)}"
        token = tokens.get(name, name)
        SubElement(root, "key", {"id": ids[domain, name], "for": domain, "attr.name": token,
                                 "attr.type": kind})  # fmt: skip
    graph = SubElement(root, "graph", id="G", edgedefault="directed")
    for name, text in w.graph.items():
        SubElement(graph, "data", key=ids["graph", name]).text = text
    for i, (label, attrs, xy) in enumerate(w.nodes):
        node = SubElement(graph, "node", id=f"n{i}")
        values = {"label": label, **attrs, **({"x": xy[0], "y": xy[1]} if xy else {})}
        for name, value in values.items():
            SubElement(node, "data", key=ids["node", name]).text = value_text(value)
    for i, (source, target, attrs) in enumerate(w.edges):
        edge = SubElement(graph, "edge", id=f"e{i}", source=f"n{source}", target=f"n{target}")
        for name, value in attrs.items():
            SubElement(edge, "data", key=ids["edge", name]).text = value_text(value)
    indent(root)
    return tostring(root, encoding="utf-8", xml_declaration=True)


def attribute_tokens(custom: list[str]) -> dict[str, str]:
    """Each attribute name a Stakemap file uses (the fixed ones, then the custom columns as
    written) -> its ``attr.name``, an NMTOKEN, no two alike.

    >>> tokens = attribute_tokens(["Budget (EUR)", "Budget__EUR_"])
    >>> tokens["Target stance"], tokens["Budget (EUR)"], tokens["Budget__EUR_"]
    ('Target_stance', 'Budget__EUR_', 'Budget__EUR_.2')
    """
    names = ["label", "x", "y", *GRAPH_ATTRIBUTES, *(k for k, _ in NODE_ATTRIBUTES)]
    names += [k for k, _ in EDGE_ATTRIBUTES] + custom
    tokens: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        if name in tokens:
            continue
        token = base = _NOT_NAME.sub("_", name) or "_"
        count = 1
        while token in taken:
            count += 1
            token = f"{base}.{count}"
        tokens[name] = token
        taken.add(token)
    return tokens


def _custom(m: StakeholderMap) -> list[str]:
    canonical = {c.name.casefold() for c in STAKEHOLDER_COLUMNS}
    return [custom_name(c, canonical) for c in m.custom_columns]


# ---------------------------------------------------------------- reading


def read_graphml(root: Element) -> FileGraph:
    """The nodes, edges and graph attributes of a parsed GraphML document (parsed safely by
    the caller: :func:`stakemap.files.graphfiles.read_graph`).

    >>> from xml.etree.ElementTree import fromstring
    >>> g = read_graphml(fromstring(
    ...     '<graphml><key id="w" for="edge" attr.name="weight" attr.type="int"/>'
    ...     '<graph edgedefault="undirected"><node id="a"/><node id="b"/>'
    ...     '<edge source="a" target="b"><data key="w">7</data></edge></graph></graphml>'))
    >>> [(e.source, e.target, e.attrs, e.direction) for e in g.edges]
    [('a', 'b', {'weight': 7}, 'undirected')]
    """
    keys = _keys(root)
    nodes: list[FoundNode] = []
    edges: list[FoundEdge] = []
    data: dict[str, object] = {}
    notes: list[str] = []
    for element in root.iter():
        name = local_name(element)
        if name in ("graphml", "graph"):
            data.update(_data(element, keys, name)[0])
        if name != "graph":
            continue
        default = "directed" if element.get("edgedefault") == "directed" else "undirected"
        for child in element:
            kind = local_name(child)
            if kind == "node":
                nodes.append(_node(child, keys))
            elif kind == "edge":
                edges.append(_edge(child, keys, default))
            elif kind == "hyperedge":
                notes.append(_("hyperedges (ties among more than two people) left out"))
    if not any(local_name(e) == "graph" for e in root):
        raise UnreadableFile(_("the GraphML file holds no graph"))
    _named(nodes, edges, data)
    return FileGraph("GraphML", nodes, edges, data, sorted(set(notes)))


def _keys(root: Element) -> dict[str, tuple[str, str, str | None, object]]:
    """Key id -> (attr.name, attr.type or yfiles.type, domain, default)."""
    keys: dict[str, tuple[str, str, str | None, object]] = {}
    for key in root:
        if local_name(key) != "key":
            continue
        ident = key.get("id", "")
        name = key.get("attr.name") or ident
        kind = "yfiles:" + key.get("yfiles.type", "") if key.get("yfiles.type") else None
        kind = kind or key.get("attr.type", "string")
        default = next((d.text for d in key if local_name(d) == "default"), None)
        value = None if default is None else _value(default, kind)
        keys[ident] = (name, kind, key.get("for", "all"), value)
    return keys


def _data(element: Element, keys: dict, domain: str) -> tuple[dict[str, object], list[Element]]:
    """An element's attributes (defaults first) and the yEd drawings among its data."""
    values = {n: v for n, _, d, v in keys.values() if v is not None and d in (domain, "all")}
    drawings = []
    for data in element:
        if local_name(data) != "data":
            continue
        key = data.get("key", "")
        if key not in keys:
            raise UnreadableFile(
                _(
                    "the GraphML file could not be read (a value names the key {key}, which the "
                    "file does not declare)"
                ).format(key=key[:40])
            )
        name, kind, _domain, _default = keys[key]
        if kind.startswith("yfiles:"):
            drawings.append(data)
        elif len(data):
            continue  # markup of some other tool
        else:
            values[name] = _value(data.text or "", kind)
    return values, drawings


def _value(text: str, kind: str) -> object:
    """Text of ``kind`` as a number or true/false; text that is not one is kept as it is."""
    if kind == "boolean":
        return _TRUE.get(text.strip().lower(), text)
    if kind in _TYPES:
        try:
            return _TYPES[kind](text.strip())
        except ValueError:
            return text
    return text


def _node(element: Element, keys: dict) -> FoundNode:
    attrs, drawings = _data(element, keys, "node")
    node = FoundNode(element.get("id", ""), attrs)
    for drawing in drawings:
        for part in drawing.iter():
            if local_name(part) == "Geometry" and node.position is None:
                node.position = _centre(part)
            elif local_name(part) == "NodeLabel" and not node.label and (part.text or "").strip():
                node.label = (part.text or "").strip()
    xy = [finite(attrs.get(axis)) for axis in ("x", "y")]
    if None not in xy:
        del attrs["x"], attrs["y"]
        if node.position is None:  # Gephi's and Stakemap's x and y: y pointing up
            node.position = (xy[0], -xy[1])  # type: ignore[operator]
    return node


def _centre(geometry: Element) -> tuple[float, float] | None:
    """The centre of yEd's box: its x and y are the top-left corner, y pointing down."""
    x, y, w, h = (finite(geometry.get(k, "0")) for k in ("x", "y", "width", "height"))
    if x is None or y is None:
        return None
    return x + (w or 0.0) / 2, y + (h or 0.0) / 2


def _edge(element: Element, keys: dict, default: str) -> FoundEdge:
    attrs, drawings = _data(element, keys, "edge")
    directed = {"true": "directed", "false": "undirected"}.get(element.get("directed", ""))
    edge = FoundEdge(element.get("source", ""), element.get("target", ""), attrs,
                     directed or default)  # fmt: skip
    for drawing in drawings:
        for part in drawing.iter():
            if local_name(part) == "Arrows":
                heads = tuple(part.get(end, "none") != "none" for end in ("source", "target"))
                edge.direction = (
                    "mutual" if all(heads) else "directed" if any(heads) else "undirected"
                )
                if heads == (True, False):
                    edge.source, edge.target = edge.target, edge.source
            elif local_name(part) == "EdgeLabel" and (part.text or "").strip():
                attrs.setdefault("label", (part.text or "").strip())
    return edge


def _named(nodes: list[FoundNode], edges: list[FoundEdge], data: dict[str, object]) -> None:
    """A Stakemap file's attribute names turned back from NMTOKENs into the columns' names."""
    token = attribute_tokens([])["Custom columns"]
    if token not in data:
        return
    canonical = {c.name.casefold() for c in STAKEHOLDER_COLUMNS}
    custom = [custom_name(str(c), canonical) for c in from_json(data[token], list)]
    back = {t: name for name, t in attribute_tokens(custom).items()}
    for attrs in [data, *(n.attrs for n in nodes), *(e.attrs for e in edges)]:
        renamed = {back.get(k, k): v for k, v in attrs.items()}
        attrs.clear()
        attrs.update(renamed)
