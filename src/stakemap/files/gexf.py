"""GEXF (https://gexf.net, the 1.3 primer) written as 1.3 for Gephi (0.9 and later) and
networkx, and read as 1.1, 1.2 and 1.3: Gephi's files since 0.8, static or dynamic, directed,
undirected or mixed.

Written files are valid against GEXF 1.3's RELAX NG schema (its XSD wants ``viz:position`` in
the core namespace, unlike the primer and Gephi): nodes ``n0``, ``n1``... labelled with the
name, the Stakeholders columns as node attributes, each tie an edge (ids in the ties' order)
whose ``weight`` is the absolute strength, positions as ``viz:position``, y pointing up as Gephi
draws. GEXF has no graph attributes: what travels as them in GraphML (the proposal and its
rule, the engagement log, the custom columns' order) is JSON in ``meta/description``, under the
key ``stakemap``.

Reading takes an edge's ``type`` (directed, undirected, mutual) over the graph's
``defaultedgetype`` (which may be ``mixed``), and an attribute that changes over time (Gephi's
dynamic attributes: ``attvalue`` with ``start``, ``end`` or ``timestamp``) at its last value,
the one that starts latest; each said in the import report. List types (``liststring``...)
become a cell's comma-separated list. Elements are matched by their local names, so the
namespaces of 1.1draft, 1.2draft and 1.3 (``http://gexf.net/1.3``) read alike.
"""

from __future__ import annotations

import json
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from stakemap.files.graphdata import (
    EDGE_ATTRIBUTES,
    FileGraph,
    FoundEdge,
    FoundNode,
    finite,
    from_json,
    local_name,
    value_text,
    written,
)
from stakemap.files.sheets import UnreadableFile
from stakemap.language import gettext as _
from stakemap.model import StakeholderMap

__all__ = ["read_gexf", "to_gexf"]

_NS = "http://gexf.net/1.3"
_TYPES = {"string": "string", "int": "integer", "double": "double", "boolean": "boolean"}
_STAKEMAP = "stakemap"
_INTEGERS = {"integer", "long", "short", "byte", "biginteger"}
_DECIMALS = {"double", "float", "bigdecimal"}
_TIMES = ("start", "end", "timestamp", "startopen", "endopen")
_DIRECTIONS = {"directed", "undirected", "mutual"}


def to_gexf(m: StakeholderMap) -> bytes:
    """GEXF 1.3 (UTF-8) of the map; :func:`read_gexf` reads it back to the same map.

    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap((Stakeholder("Ana"), Stakeholder("Ben")),
    ...                    (Relationship("Ana", "Ben", -2),), positions={"Ana": (1.5, 2.0)})
    >>> data = to_gexf(m)
    >>> b'<viz:position x="1.5" y="-2.0" z="0.0" />' in data, b'weight="2.0"' in data
    (True, True)
    """
    w = written(m)
    root = Element("gexf", {"xmlns": _NS, "xmlns:viz": f"{_NS}/viz", "version": "1.3"})
    meta = SubElement(root, "meta")
    SubElement(meta, "creator").text = "Stakemap"
    SubElement(meta, "description").text = json.dumps({_STAKEMAP: w.graph}, ensure_ascii=False)
    graph = SubElement(root, "graph", defaultedgetype="directed", mode="static")
    ids: dict[tuple[str, str], str] = {}
    edge_keys = [(k, t) for k, t in EDGE_ATTRIBUTES if k != "weight"]  # weight: the edge's own
    for domain, keys in (("node", w.node_keys), ("edge", edge_keys)):
        attributes = SubElement(graph, "attributes", {"class": domain, "mode": "static"})
        for name, kind in keys:
            ids[domain, name] = str(len(ids))
            SubElement(attributes, "attribute", id=ids[domain, name], title=name,
                       type=_TYPES[kind])  # fmt: skip
    nodes = SubElement(graph, "nodes")
    for i, (label, attrs, xy) in enumerate(w.nodes):
        node = SubElement(nodes, "node", id=f"n{i}", label=label)
        _values(node, "node", attrs, ids)
        if xy is not None:
            SubElement(node, "viz:position", x=repr(xy[0]), y=repr(xy[1]), z="0.0")
    edges = SubElement(graph, "edges")
    for i, (source, target, attrs) in enumerate(w.edges):
        edge = SubElement(edges, "edge", id=str(i), source=f"n{source}", target=f"n{target}",
                          weight=value_text(attrs.pop("weight")))  # fmt: skip
        _values(edge, "edge", attrs, ids)
    indent(root)
    return tostring(root, encoding="utf-8", xml_declaration=True)


def _values(element: Element, domain: str, attrs: dict, ids: dict) -> None:
    if attrs:
        values = SubElement(element, "attvalues")
        for name, value in attrs.items():
            SubElement(values, "attvalue", {"for": ids[domain, name], "value": value_text(value)})


# ---------------------------------------------------------------- reading


def read_gexf(root: Element) -> FileGraph:
    """The nodes, edges and graph attributes of a parsed GEXF document (parsed safely by the
    caller: :func:`stakemap.files.graphfiles.read_graph`).

    >>> from xml.etree.ElementTree import fromstring
    >>> g = read_gexf(fromstring(
    ...     '<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph defaultedgetype="mixed">'
    ...     '<nodes><node id="a" label="Ana"/><node id="b" label="Ben"/></nodes><edges>'
    ...     '<edge source="a" target="b" type="undirected" weight="2"/></edges></graph></gexf>'))
    >>> [(n.label, n.id) for n in g.nodes], [(e.attrs, e.direction) for e in g.edges]
    ([('Ana', 'a'), ('Ben', 'b')], [({'weight': 2.0}, 'undirected')])
    """
    graph = next((c for c in root if local_name(c) == "graph"), None)
    if graph is None:
        raise UnreadableFile(_("the GEXF file holds no graph"))
    declared = _attributes(graph)
    default = graph.get("defaultedgetype", "undirected")
    default = default if default in _DIRECTIONS else "directed"  # mixed: each edge says
    nodes: list[FoundNode] = []
    edges: list[FoundEdge] = []
    changing: list[str] = []
    timed = False
    for element in graph.iter():
        kind = local_name(element)
        if kind not in ("node", "edge"):
            continue
        attrs = _attvalues(element, declared[kind], changing)
        timed |= any(element.get(t) for t in _TIMES) or _child(element, "spells") is not None
        if kind == "node":
            node = FoundNode(element.get("id", ""), attrs, element.get("label", ""))
            position = _child(element, "position")
            if position is not None:
                x, y = (finite(position.get(axis)) for axis in ("x", "y"))
                if x is not None and y is not None:
                    node.position = (x, -y)  # Gephi's y points up
            nodes.append(node)
            continue
        attrs.pop("networkx_key", None)  # networkx's key of a parallel edge: no attribute
        weight = finite(element.get("weight"))
        if weight is not None:
            attrs.setdefault("weight", weight)  # a dynamic weight (Gephi's "Weight") comes first
        if element.get("label"):
            attrs["label"] = element.get("label")
        direction = element.get("type") if element.get("type") in _DIRECTIONS else default
        edges.append(FoundEdge(element.get("source", ""), element.get("target", ""), attrs,
                               direction))  # fmt: skip
    notes = []
    if changing:
        notes.append(
            _("attributes that change over time read at their last value: {names}").format(
                names=", ".join(changing)
            )
        )
    if timed:
        notes.append(_("the times when people and ties are present (spells) are not kept"))
    return FileGraph("GEXF", nodes, edges, _described(root), notes)


def _child(element: Element, name: str) -> Element | None:
    return next((c for c in element if local_name(c) == name), None)


def _attributes(graph: Element) -> dict[str, dict[str, tuple[str, str, object]]]:
    """Declared attributes by class (node, edge) and id: (title, type, default value)."""
    declared: dict[str, dict[str, tuple[str, str, object]]] = {"node": {}, "edge": {}}
    for block in graph:
        if local_name(block) != "attributes" or block.get("class") not in declared:
            continue
        for attribute in block:
            if local_name(attribute) != "attribute":
                continue
            title = attribute.get("title") or attribute.get("id", "")
            if block.get("class") == "edge" and title.casefold() == "weight":
                title = "weight"  # Gephi keeps a dynamic weight as the attribute "Weight"
            kind = attribute.get("type", "string")
            default = _child(attribute, "default")
            value = None if default is None else _value(default.text or "", kind)
            declared[block.get("class", "")][attribute.get("id", "")] = (title, kind, value)
    return declared


def _attvalues(element: Element, declared: dict, changing: list[str]) -> dict[str, object]:
    """An element's attributes, defaults first; of a value given for several times, the last
    (latest start, then latest end, then last written). Titles that change go to
    ``changing``."""
    attrs = {title: value for title, _, value in declared.values() if value is not None}
    block = _child(element, "attvalues")
    found: dict[str, tuple[tuple, object]] = {}
    for order, value in enumerate(block if block is not None else ()):
        if local_name(value) != "attvalue":
            continue
        key = value.get("for", value.get("id", ""))
        if key not in declared:
            raise UnreadableFile(
                _(
                    "the GEXF file could not be read (a value names the attribute {key}, which "
                    "the file does not declare)"
                ).format(key=key[:40])
            )
        title, kind, _default = declared[key]
        if any(value.get(t) for t in _TIMES) and title not in changing:
            changing.append(title)
        start = value.get("start") or value.get("startopen") or value.get("timestamp")
        end = value.get("end") or value.get("endopen") or value.get("timestamp")
        when = (_time(start, -1), _time(end, 1), order)
        if title not in found or when > found[title][0]:
            found[title] = (when, _value(value.get("value", ""), kind))
    attrs.update({title: value for title, (_, value) in found.items()})
    return attrs


def _time(text: str | None, missing: int) -> tuple:
    """A start or end as a sort key: numbers (Gephi's double time) and dates (ISO text, which
    sorts as time) each among their own; a missing one before all (start) or after (end)."""
    if not text:
        return (missing * 2, 0.0, "")
    try:
        return (0, float(text), "")
    except ValueError:
        return (1, 0.0, text)


def _value(text: str | None, kind: str) -> object:
    """Text of a GEXF type as a Python value; text that is not one is kept as it is."""
    if text is None:
        return None
    try:
        if kind in _INTEGERS:
            return int(text.strip())
        if kind in _DECIMALS:
            return float(text.strip())
    except ValueError:
        return text
    if kind == "boolean":
        return {"true": True, "false": False}.get(text.strip().lower(), text)
    if kind.startswith("list"):  # 1.3 writes [a, b], 1.2 a|b: items joined as a cell's list
        inner = text.strip().removeprefix("[").removesuffix("]")
        return ", ".join(item.strip() for item in inner.replace("|", ",").split(","))
    return text


def _described(root: Element) -> dict[str, object]:
    """The graph attributes a file by Stakemap keeps in its description (none for others)."""
    meta = _child(root, "meta")
    description = None if meta is None else _child(meta, "description")
    text = None if description is None else description.text
    described = from_json(text, dict).get(_STAKEMAP) if text else None
    return described if isinstance(described, dict) else {}
