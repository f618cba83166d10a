"""What a GraphML or GEXF file holds, in either format: the map as typed node, edge and graph
attributes for the writers (:mod:`stakemap.files.graphml`, :mod:`stakemap.files.gexf`), and
the nodes, edges and graph attributes those readers find in a file, turned into raw sheets
(Nodes, Edges, Proposal, Layout, Engagements) so that a graph file is checked by the importer
with the same messages as a workbook.

A person is a node, the name its label, every Stakeholders column an attribute; a tie is an
edge carrying Strength (signed), Sign, Kind, Notes and ``weight`` (the absolute strength, for
tools that need positive weights). The decision and its log travel as graph attributes holding
JSON: ``Proposal`` the Proposal sheet's rows (title, champion, thresholds, quorum, abstentions,
blocking minority, parts...), ``Engagements`` the engagement log's rows, ``Custom columns``
the custom columns' order (docs/workbook.md, "Graph files"). Positions are written the way
Gephi reads them, y pointing up; readers give them y pointing down, as the drawing has them.

A file from another tool is met where it stands: a person's name is the node's label, else
its ``name`` attribute (igraph), else its id; a layout drawn at a small scale (networkx and
igraph lay out in a unit square) is scaled to the drawing's spacing, and weights above 5 to
the -5..5 of Strength, each said in the import report.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from stakemap import settings
from stakemap.files.sheets import RawSheet, UnreadableFile
from stakemap.language import gettext as _
from stakemap.model import StakeholderMap
from stakemap.schema import STAKEHOLDER_COLUMNS

__all__ = [
    "CUSTOM_PREFIX",
    "EDGE_ATTRIBUTES",
    "GRAPH_ATTRIBUTES",
    "NODE_ATTRIBUTES",
    "FileGraph",
    "FoundEdge",
    "FoundNode",
    "Written",
    "custom_name",
    "finite",
    "from_json",
    "local_name",
    "sheets",
    "value_text",
    "written",
    "xml_text",
]

#: The Stakeholders columns a node carries and their types (GraphML's ``attr.type`` words),
#: in the workbook's order; ``Unaware`` says the stance is the engagement level Unaware.
NODE_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("Role", "string"), ("Group", "string"), ("Power", "double"), ("Interest", "double"),
    ("Stance", "int"), ("Target stance", "int"), ("Legitimacy", "double"),
    ("Urgency", "double"), ("Effort", "double"), ("Goals", "string"),
    ("Decision role", "string"), ("Notes", "string"), ("Votes", "double"),
    ("Unaware", "boolean"),
)  # fmt: skip
EDGE_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("Strength", "double"), ("Sign", "int"), ("weight", "double"), ("Kind", "string"),
    ("Notes", "string"),
)  # fmt: skip
#: Graph attributes (JSON text) that carry what is no node or edge.
GRAPH_ATTRIBUTES: tuple[str, ...] = ("Proposal", "Engagements", "Custom columns")
#: A custom column named like an attribute the reader takes for itself is written with this.
CUSTOM_PREFIX = "custom: "
_RESERVED = {"label", "x", "y", "viz", "unaware", "id"}
#: Characters XML 1.0 cannot hold; dropped on writing.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
#: Graph attributes the files Stakemap wrote before the decision travelled (read back still).
_FORMER_KEYS = ("Title", "Champion", "Pass share", "Parts", "Proposal extra")
_MAX_STRENGTH = 5.0


def xml_text(value: object) -> str:
    """``value`` as text XML can hold: the characters XML 1.0 refuses are dropped.

    >>> xml_text("Ana\\x07 Lee")
    'Ana Lee'
    """
    return _NOT_XML.sub("", str(value))


def value_text(value: object) -> str:
    """An attribute's value as a file writes it: true or false, a float to its last digit.

    >>> value_text(True), value_text(0.1), value_text(-2), value_text("Ana")
    ('true', '0.1', '-2', 'Ana')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else xml_text(value)


def finite(value: object) -> float | None:
    """A weight or coordinate as a finite number (a file without types gives text), else None.

    >>> finite("2.5"), finite(7), finite("INF"), finite(True), finite("n/a")
    (2.5, 7.0, None, None, None)
    """
    if isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def local_name(element: Element) -> str:
    """An element's name without its namespace ("" for a comment): the readers match names
    alone, as the formats' versions differ in their namespaces.

    >>> from xml.etree.ElementTree import fromstring
    >>> local_name(fromstring('<gexf xmlns="http://gexf.net/1.3"/>'))
    'gexf'
    """
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# ---------------------------------------------------------------- writing


@dataclass(frozen=True)
class Written:
    """The map as a graph: ``nodes`` (label, attributes, position with y up or None) in the
    map's order, ``edges`` (source and target as node indices, attributes) in the ties' order,
    the node attributes in use as (name, type) pairs, and the graph attributes."""

    node_keys: list[tuple[str, str]]
    nodes: list[tuple[str, dict[str, object], tuple[float, float] | None]]
    edges: list[tuple[int, int, dict[str, object]]]
    graph: dict[str, str]


def written(m: StakeholderMap) -> Written:
    """The map as typed node, edge and graph attributes (the module's docstring says which).

    >>> from stakemap.model import Relationship, Stakeholder
    >>> w = written(StakeholderMap((Stakeholder("Ana", votes=2), Stakeholder("Ben")),
    ...                            (Relationship("Ana", "Ben", -2),)))
    >>> w.nodes[0][1]["Votes"], w.edges[0][2]["Sign"], json.loads(w.graph["Custom columns"])
    (2.0, -1, [])
    """
    # the writer's rows here, not at the top: reading a graph file needs no XlsxWriter
    from stakemap.files.exporting import canonical_rows, engagement_rows

    canonical = {c.name.casefold() for c in STAKEHOLDER_COLUMNS}
    custom = [(c, custom_name(c, canonical)) for c in m.custom_columns]
    nodes = []
    for s in m.stakeholders:
        values: dict[str, object] = {
            "Role": s.role, "Group": s.group, "Power": s.power, "Interest": s.interest,
            "Stance": s.stance, "Target stance": s.target_stance, "Legitimacy": s.legitimacy,
            "Urgency": s.urgency, "Effort": s.effort, "Goals": ", ".join(s.goals),
            "Decision role": s.decision_role, "Notes": s.notes, "Votes": s.votes,
            "Unaware": s.unaware,
        }  # fmt: skip
        attrs = {
            key: _typed(values[key], kind)
            for key, kind in NODE_ATTRIBUTES
            if values[key] is not None and values[key] != ""
        }
        attrs.update({name: xml_text(s.custom[c]) for c, name in custom if s.custom.get(c)})
        xy = m.positions.get(s.name)
        nodes.append((xml_text(s.name), attrs, None if xy is None else (xy[0], -xy[1])))
    used = {key for _, attrs, _ in nodes for key in attrs}
    node_keys = [(k, t) for k, t in NODE_ATTRIBUTES if k in used]
    node_keys += [(name, "string") for _, name in custom if name in used]
    index = {s.name: i for i, s in enumerate(m.stakeholders)}
    edges = []
    for r in m.relationships:
        if r.source not in index or r.target not in index:
            continue  # a tie to someone not in the map has no node to join
        strength = float(r.strength)
        attrs = {
            "Strength": strength, "Sign": (strength > 0) - (strength < 0),
            "weight": abs(strength), "Kind": r.kind, "Notes": xml_text(r.notes),
        }  # fmt: skip
        kept = {k: v for k, v in attrs.items() if v != ""}
        edges.append((index[r.source], index[r.target], kept))
    graph = {"Proposal": _json(canonical_rows(m)["Proposal"])}
    if m.engagements:
        graph["Engagements"] = _json(engagement_rows(m))
    graph["Custom columns"] = _json([xml_text(c) for c in m.custom_columns])
    return Written(node_keys, nodes, edges, graph)


def custom_name(column: str, canonical: set[str]) -> str:
    """The attribute a custom column is written as: its name, or with :data:`CUSTOM_PREFIX`
    when the name is one the reader takes for itself (``canonical``: the Stakeholders columns,
    casefolded).

    >>> custom_name("Budget", set()), custom_name("X", set()), custom_name("Power", {"power"})
    ('Budget', 'custom: X', 'custom: Power')
    """
    name = xml_text(column)
    clash = name.casefold() in _RESERVED | canonical or name.startswith(CUSTOM_PREFIX)
    return CUSTOM_PREFIX + name if clash else name


def _typed(value: object, kind: str) -> object:
    if kind == "double":
        return float(value)  # type: ignore[arg-type]
    if kind == "int":
        return int(value)  # type: ignore[call-overload]
    if kind == "boolean":
        return bool(value)
    return xml_text(value)


def _json(rows: list) -> str:
    return xml_text(json.dumps(rows, ensure_ascii=False))


# ---------------------------------------------------------------- reading


@dataclass
class FoundNode:
    """A node as a reader found it: its id, attributes, the label a drawing tool shows (GEXF's
    ``label``, yEd's node label; "" for none) and its position, y pointing down."""

    id: str
    attrs: dict[str, object] = field(default_factory=dict)
    label: str = ""
    position: tuple[float, float] | None = None


@dataclass
class FoundEdge:
    """An edge as a reader found it; ``direction`` is directed, undirected or mutual."""

    source: str
    target: str
    attrs: dict[str, object] = field(default_factory=dict)
    direction: str = "directed"


@dataclass
class FileGraph:
    """What a reader found in a file of ``kind`` (GraphML or GEXF), with its notes for the
    import report (what was read at its last value, what was left out)."""

    kind: str
    nodes: list[FoundNode]
    edges: list[FoundEdge]
    data: dict[str, object]
    notes: list[str] = field(default_factory=list)


def sheets(g: FileGraph) -> list[RawSheet]:
    """Nodes, Edges, Proposal, Layout and Engagements rows, headers first, for the importer.

    >>> people = [FoundNode("n0", {"name": "Ana"}), FoundNode("n1", {}, "Ben")]
    >>> ties = [FoundEdge("n0", "n1", {"weight": 10}), FoundEdge("n1", "n0", {"weight": 4})]
    >>> found = sheets(FileGraph("GraphML", people, ties, {}))
    >>> found[0].rows, found[1].rows[1][:3], found[1].rows[2][:3]
    ([['Name'], ['Ana'], ['Ben']], ['Ana', 'Ben', 5.0], ['Ben', 'Ana', 2.0])
    >>> found[1].note
    'Edges: weights go up to 10, beyond the -5..5 of Strength: each was scaled by 5/10'
    """
    ours = "Custom columns" in g.data
    names: dict[str, str] = {}
    keys: list[str] = ["Name"]
    rows: list[dict[str, object]] = []
    layout: dict[str, tuple[float, float]] = {}
    for node in g.nodes:
        name, used = _name(node)
        names[node.id] = name
        row: dict[str, object] = {"Name": name}
        for key, value in node.attrs.items():
            if key not in (used, "Unaware") and value is not None:
                row.setdefault(key.removeprefix(CUSTOM_PREFIX), value)
        if node.attrs.get("Unaware") in (True, "true", "True", 1):
            row["Stance"] = "Unaware"
        rows.append(row)
        keys += [k for k in row if k not in keys]
        if node.position is not None:
            layout[name] = node.position
    # a Stakemap file has every canonical column, filled or not, as its workbook does
    canonical = [c.name for c in STAKEHOLDER_COLUMNS if c.name in keys or ours]
    order = ["Name", *[c for c in canonical if c != "Name"], *_strings(g.data, "Custom columns")]
    header = order + [k for k in keys if k not in order]
    _check_cells(_("the graph's nodes"), len(rows), len(header))
    found = [
        RawSheet(
            "Nodes",
            [header] + [[row.get(k, "") for k in header] for row in rows],
            "; ".join(
                [
                    _("{kind} read: {nodes} nodes, {edges} edges").format(
                        kind=g.kind, nodes=len(rows), edges=len(g.edges)
                    ),
                    *g.notes,
                ]
            ),
        ),
        _edge_sheet(g.edges, names, ours),
    ]
    proposal = _rows(g.data, "Proposal") if "Proposal" in g.data else _former_proposal(g.data)
    if proposal:
        found.append(RawSheet("Proposal", proposal))
    if layout:
        found.append(_layout_sheet(layout, ours))
    if "Engagements" in g.data:
        found.append(RawSheet("Engagements", _rows(g.data, "Engagements")))
    return found


def _name(node: FoundNode) -> tuple[str, str | None]:
    """The person's name and the attribute it came from: the ``label`` attribute, the label a
    tool draws, the ``name`` attribute (igraph names its nodes n0, n1... and keeps the name
    there), else the id."""
    by_key = {str(k).casefold(): k for k in node.attrs}
    for key in ("label", None, "name"):
        if key is None:
            if node.label.strip():
                return node.label, None
        elif key in by_key and str(node.attrs[by_key[key]]).strip():
            return str(node.attrs[by_key[key]]), by_key[key]
    return node.id, None


def _edge_sheet(edges: list[FoundEdge], names: dict[str, str], ours: bool) -> RawSheet:
    """From, To, Strength, Kind, Notes, Direction and any other edge attribute; weights above
    5 (of another tool's file) scaled into -5..5, one factor for the whole file."""
    header = ["From", "To", "Strength", "Kind", "Notes", "Direction"]
    rows = []
    weights: list[float] = []
    for edge in edges:
        attrs = dict(edge.attrs)
        if "Strength" in attrs:
            attrs.pop("weight", None)
            attrs.pop("Sign", None)
        elif "weight" in attrs:
            attrs["Strength"] = weight = attrs.pop("weight")
            if not ours and (number := finite(weight)) is not None:
                weights.append(abs(number))
        row = {
            "From": names.get(edge.source, edge.source),
            "To": names.get(edge.target, edge.target),
            "Direction": edge.direction,
        }
        row.update({k: v for k, v in attrs.items() if v is not None})
        header += [k for k in row if k not in header]
        rows.append(row)
    note = ""
    top = max(weights, default=0.0)
    if top > _MAX_STRENGTH:
        for row in rows:
            if (weight := finite(row.get("Strength"))) is not None:
                row["Strength"] = round(weight * _MAX_STRENGTH / top, 2)
        note = _(
            "Edges: weights go up to {top}, beyond the -5..5 of Strength: each was scaled by "
            "5/{top}"
        ).format(top=f"{top:g}")
    _check_cells(_("the graph's edges"), len(rows), len(header))
    return RawSheet("Edges", [header] + [[row.get(k, "") for k in header] for row in rows], note)


def _layout_sheet(layout: dict[str, tuple[float, float]], ours: bool) -> RawSheet:
    """Name, X, Y; another tool's layout at a small scale is brought to the drawing's."""
    note = ""
    if not ours:
        from stakemap.network.layout import to_drawing_scale

        layout, factor = to_drawing_scale(layout)
        if factor != 1.0:
            note = _(
                "Layout: the positions were drawn at a small scale (as networkx and igraph lay "
                "out): scaled by {factor} to the drawing's spacing"
            ).format(factor=f"{factor:.3g}")
    rows: list[list[object]] = [["Name", "X", "Y"]]
    rows += [[name, x, y] for name, (x, y) in layout.items()]
    return RawSheet("Layout", rows, note)


def _check_cells(what: str, count: int, width: int) -> None:
    """Sparse attributes (each node its own) would make a huge sheet: capped like a sheet."""
    if count * width > settings.MAX_CELLS:
        raise UnreadableFile(
            _("{what} and their attributes make {n} cells, over the limit of {limit}").format(
                what=what, n=f"{count * width:,}", limit=f"{settings.MAX_CELLS:,}"
            )
        )


def _rows(data: dict, key: str) -> list[list[object]]:
    """A sheet's rows kept as JSON in graph attribute ``key``: lists of text and numbers (any
    other value becomes its JSON text); nothing for text that is no such list."""
    rows = [row for row in from_json(data.get(key), list) if isinstance(row, list)]
    _check_cells(key, len(rows), max((len(row) for row in rows), default=0))
    return [[c if isinstance(c, str | int | float) else json.dumps(c) for c in row] for row in rows]


def _former_proposal(data: dict) -> list[list[object]]:
    """The Proposal rows of a file Stakemap wrote before the decision travelled with it."""
    if not any(k in data for k in _FORMER_KEYS):
        return []
    rows: list[list[object]] = [["Key", "Value", "Tags"]]
    rows += [[key, data[key], ""] for key in ("Title", "Champion", "Pass share") if key in data]
    for part in from_json(data.get("Parts"), list):
        if isinstance(part, list) and len(part) == 2 and isinstance(part[1], list):
            rows.append(["Part", str(part[0]), ", ".join(map(str, part[1]))])
    rows += [[str(k), str(v), ""] for k, v in from_json(data.get("Proposal extra"), dict).items()]
    return rows


def _strings(data: dict, key: str) -> list[str]:
    return [str(v) for v in from_json(data.get(key), list)]


def from_json(text: object, kind: type) -> list | dict:
    """The value of JSON ``text`` if it is a ``kind`` (list or dict), else an empty one: for
    broken JSON, another value or hostile nesting alike.

    >>> from_json('["Budget"]', list), from_json("[[[", list), from_json("[1]", dict)
    (['Budget'], [], {})
    """
    try:
        value = json.loads(str(text if text is not None else ""))
    except (ValueError, RecursionError):
        return kind()
    return value if isinstance(value, kind) else kind()
