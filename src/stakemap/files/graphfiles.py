"""The map as GraphML or GEXF for Gephi and other network tools, and such files read back.

People are nodes (id and label: the name) carrying every column of the Stakeholders sheet as
an attribute; ties are edges carrying Strength (signed), Sign, Kind, Notes and ``weight`` (the
absolute strength, for tools that need positive weights); the proposal and the custom columns'
order are graph attributes. Positions are GraphML attributes ``x``/``y`` and GEXF
``viz:position``, with y flipped (Gephi draws y upwards, vis-network downwards), the way Gephi
reads both. Reading turns a file into raw sheets (Nodes, Edges, Proposal, Layout) for the
importer, so a graph file is checked with the same messages as a workbook; any other tool's
node and edge attributes are matched by header like columns.

Graph files are untrusted XML: a document type declaration is refused (no entities, no
external references) by parsing with defusedxml before networkx sees the bytes, and the
number of nodes and edges is capped like a sheet's rows.
"""

from __future__ import annotations

import io
import json
import re
import warnings

from stakemap import settings
from stakemap.files.sheets import RawSheet, UnreadableFile
from stakemap.model import StakeholderMap
from stakemap.schema import STAKEHOLDER_COLUMNS

__all__ = ["is_graph_file", "read_graph", "to_gexf", "to_graphml"]

#: Characters XML 1.0 cannot hold; dropped on writing.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_RESERVED = {"label", "x", "y", "viz", "unaware", "id"}
_CUSTOM_PREFIX = "custom: "
_GRAPH_KEYS = ("Title", "Champion", "Pass share", "Parts", "Proposal extra", "Custom columns")
_GEXF_NS = "http://www.gexf.net/1.2draft"
_VIZ_NS = "http://www.gexf.net/1.2draft/viz"
_STAKEMAP = "stakemap"


def is_graph_file(data: bytes, filename: str = "") -> bool:
    """Whether the bytes are GraphML or GEXF (by ending, or an XML start naming either).

    >>> is_graph_file(b"", "map.GEXF"), is_graph_file(b'<?xml version="1.0"?><graphml>')
    (True, True)
    >>> is_graph_file(b"Name,Power\\n", "a.csv")
    False
    """
    if filename.lower().endswith((".graphml", ".gexf")):
        return True
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and (b"<graphml" in head or b"<gexf" in head)


# ---------------------------------------------------------------- writing


def _graph(m: StakeholderMap):
    """The map as a networkx MultiDiGraph with the attributes described above."""
    import networkx as nx

    G = nx.MultiDiGraph()
    p = m.proposal
    G.graph.update({
        "Title": _xml(p.title), "Champion": _xml(p.champion), "Pass share": float(p.pass_share),
        "Parts": json.dumps([[_xml(q.name), [_xml(t) for t in q.tags]] for q in p.parts]),
        "Proposal extra": json.dumps({_xml(k): _xml(v) for k, v in p.extra.items()}),
        "Custom columns": json.dumps([_xml(c) for c in m.custom_columns]),
    })  # fmt: skip
    canonical = {c.name.casefold() for c in STAKEHOLDER_COLUMNS}
    for s in m.stakeholders:
        name = _xml(s.name)
        attrs: dict[str, object] = {
            "label": name, "Role": _xml(s.role), "Group": _xml(s.group),
            "Power": float(s.power), "Interest": float(s.interest), "Stance": int(s.stance),
            "Unaware": bool(s.unaware), "Effort": float(s.effort),
            "Goals": _xml(", ".join(s.goals)), "Decision role": s.decision_role,
            "Notes": _xml(s.notes),
        }  # fmt: skip
        for key, value in (
            ("Target stance", s.target_stance),
            ("Legitimacy", s.legitimacy),
            ("Urgency", s.urgency),
        ):
            if value is not None:
                attrs[key] = int(value) if key == "Target stance" else float(value)
        for column, value in s.custom.items():
            key = _xml(column)
            clash = key.casefold() in _RESERVED | canonical or key.startswith(_CUSTOM_PREFIX)
            attrs[_CUSTOM_PREFIX + key if clash else key] = _xml(value)
        if s.name in m.positions:
            x, y = m.positions[s.name]
            attrs["x"], attrs["y"] = float(x), -float(y)
        G.add_node(name, **attrs)
    for i, r in enumerate(m.relationships):
        G.add_edge(  # the key becomes the edge's id: the order of the ties survives
            _xml(r.source),
            _xml(r.target),
            i,
            Strength=float(r.strength),
            Sign=(r.strength > 0) - (r.strength < 0),
            weight=abs(float(r.strength)),
            Kind=r.kind,
            Notes=_xml(r.notes),
        )
    return G


def to_graphml(m: StakeholderMap) -> bytes:
    """GraphML (UTF-8) of the map; :func:`read_graph` reads it back to the same map.

    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap((Stakeholder("Ana"), Stakeholder("Ben")), (Relationship("Ana", "Ben"),))
    >>> b'attr.name="Strength"' in to_graphml(m)
    True
    """
    import networkx as nx

    return "\n".join(nx.generate_graphml(_graph(m))).encode("utf-8")


def to_gexf(m: StakeholderMap) -> bytes:
    """GEXF 1.2 (UTF-8) of the map, positions as ``viz:position``."""
    import networkx as nx

    G = _graph(m)
    for _, _, key, attrs in G.edges(keys=True, data=True):
        attrs["id"] = str(key)  # GEXF numbers edges itself otherwise, not in the ties' order
    for _, attrs in G.nodes(data=True):
        if "x" in attrs:
            attrs["viz"] = {"position": {"x": attrs.pop("x"), "y": attrs.pop("y"), "z": 0.0}}
    out = io.BytesIO()
    nx.write_gexf(G, out)
    return _with_description(out.getvalue(), {k: G.graph[k] for k in _GRAPH_KEYS})


def _with_description(gexf: bytes, graph: dict) -> bytes:
    """GEXF has no graph attributes: the proposal goes, as JSON, in ``meta/description``."""
    from xml.etree.ElementTree import SubElement, fromstring, register_namespace, tostring

    for prefix, uri in (("", _GEXF_NS), ("viz", _VIZ_NS)):
        register_namespace(prefix, uri)
    root = fromstring(gexf)  # our own output, not untrusted input
    meta = root.find(f"{{{_GEXF_NS}}}meta")
    if meta is None:
        meta = SubElement(root, f"{{{_GEXF_NS}}}meta")
    SubElement(meta, f"{{{_GEXF_NS}}}description").text = json.dumps(
        {_STAKEMAP: graph}, ensure_ascii=False
    )
    return tostring(root, encoding="utf-8", xml_declaration=True)


def _xml(text: object) -> str:
    return _NOT_XML.sub("", str(text))


# ---------------------------------------------------------------- reading


def read_graph(data: bytes) -> list[RawSheet]:
    """GraphML or GEXF bytes as raw sheets Nodes, Edges, Proposal and Layout.

    Raises :class:`UnreadableFile` for a document type declaration, broken XML, a file that
    is neither format, or more nodes or edges than the row limit.
    """
    kind, described = _check_xml(data)
    try:
        G = _parse(data, kind)
        G.graph.update(described)
        return _sheets(G, kind)
    except UnreadableFile:
        raise
    except Exception as exc:  # networkx meeting a malformed document: one line
        text = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise UnreadableFile(f"the {kind} file could not be read ({text})") from None


def _check_xml(data: bytes) -> tuple[str, dict]:
    """The format ("GraphML" or "GEXF") after a safe parse, and the graph attributes a GEXF
    file by Stakemap keeps in its description; refuses DTDs and big graphs."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    if not data:
        raise UnreadableFile("the file is empty")
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise UnreadableFile(
            f"the file is {len(data):,} bytes, over the limit of {settings.MAX_UPLOAD_BYTES:,}"
        )
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise UnreadableFile(
            "the file declares a document type (XML entities are refused)"
        ) from None
    except (ParseError, ValueError, LookupError) as exc:  # LookupError: an unknown encoding
        text = " ".join(str(exc).split())[:200]
        raise UnreadableFile(f"the file is not well-formed XML ({text})") from None
    tag = root.tag.rsplit("}", 1)[-1].lower()
    if tag not in ("graphml", "gexf"):
        raise UnreadableFile("the file is XML but neither GraphML nor GEXF")
    counts = {"node": 0, "edge": 0}
    for element in root.iter():
        local = str(element.tag).rsplit("}", 1)[-1]
        if local in counts:
            counts[local] += 1
    for what, count in counts.items():
        if count > settings.MAX_ROWS:
            raise UnreadableFile(
                f"the graph has {count:,} {what}s, over the limit of {settings.MAX_ROWS:,}"
            )
    if tag == "graphml":
        return "GraphML", {}
    text = next((e.text for e in root.iter() if str(e.tag).endswith("description")), "")
    try:
        described = json.loads(text or "{}").get(_STAKEMAP, {})
    except (ValueError, AttributeError):
        described = {}
    return "GEXF", described if isinstance(described, dict) else {}


def _parse(data: bytes, kind: str):
    import networkx as nx

    with warnings.catch_warnings():  # networkx warns about a key without a type: read as text
        warnings.simplefilter("ignore", UserWarning)
        return _parse_quietly(nx, data, kind)


def _parse_quietly(nx, data: bytes, kind: str):
    if kind == "GraphML":
        graphs = list(nx.GraphMLReader(node_type=str)(string=data))
        if not graphs:
            raise UnreadableFile("the GraphML file holds no graph")
        return graphs[0]
    return nx.read_gexf(io.BytesIO(data), node_type=str)


def _sheets(G, kind: str) -> list[RawSheet]:
    """Nodes, Edges, Proposal and Layout rows, headers first, for the importer."""
    ours = _json_list(G.graph.get("Custom columns"))
    names = {n: _node_name(n, a) for n, a in G.nodes(data=True)}
    keys: list[str] = ["Name"]
    positions: list[list[object]] = [["Name", "X", "Y"]]
    rows: list[dict[str, object]] = []
    for node, attrs in G.nodes(data=True):
        row = {"Name": names[node]}
        for key, value in attrs.items():
            if key in ("label", "viz", "x", "y", "Unaware") or value is None:
                continue
            column = key.removeprefix(_CUSTOM_PREFIX)
            row[column] = value
        if attrs.get("Unaware") in (True, "true", "True", 1):
            row["Stance"] = "Unaware"
        rows.append(row)
        keys += [k for k in row if k not in keys]
        xy = _position(attrs)
        if xy is not None:
            positions.append([names[node], xy[0], -xy[1]])
    # a Stakemap file has every canonical column, filled or not, as its workbook does
    canonical = [c.name for c in STAKEHOLDER_COLUMNS if c.name in keys or _ours(G.graph)]
    order = ["Name", *[c for c in canonical if c != "Name"], *ours]
    header = order + [k for k in keys if k not in order]
    _check_cells("nodes", len(rows), len(header))
    nodes = [header] + [[row.get(k, "") for k in header] for row in rows]
    sheets = [RawSheet("Nodes", nodes, f"{kind} read: {len(rows)} nodes, {len(G.edges)} edges")]
    sheets.append(RawSheet("Edges", _edge_rows(G, names)))
    proposal = _proposal_rows(G.graph)
    if proposal:
        sheets.append(RawSheet("Proposal", proposal))
    if len(positions) > 1:
        sheets.append(RawSheet("Layout", positions))
    return sheets


def _ours(graph: dict) -> bool:
    return "Custom columns" in graph


def _node_name(node: object, attrs: dict) -> str:
    label = attrs.get("label")
    return str(label) if label not in (None, "") else str(node)


def _position(attrs: dict) -> tuple[float, float] | None:
    viz = attrs.get("viz")
    if isinstance(viz, dict) and isinstance(viz.get("position"), dict):
        pos = viz["position"]
        return float(pos.get("x", 0)), float(pos.get("y", 0))
    if "x" in attrs and "y" in attrs:
        try:
            return float(attrs["x"]), float(attrs["y"])
        except (TypeError, ValueError):
            return None
    return None


def _edge_rows(G, names: dict) -> list[list[object]]:
    """From, To, Strength, Kind, Notes, Direction and any other edge attribute."""
    header = ["From", "To", "Strength", "Kind", "Notes", "Direction"]
    rows = []
    undirected = "undirected" if not G.is_directed() else "directed"
    edges = [
        (u, v, k, a) for u, v, k, a in (G.edges(keys=True, data=True) if G.is_multigraph()
                                        else ((u, v, None, a) for u, v, a in G.edges(data=True)))
    ]  # fmt: skip
    order = [_int(a.get("id", k)) for _, _, k, a in edges]
    if None not in order:  # Stakemap's edge ids are the ties' order
        edges = [e for _, e in sorted(zip(order, edges, strict=True), key=lambda p: p[0])]
    for u, v, _, attrs in edges:
        attrs = dict(attrs)
        attrs.pop("id", None)
        attrs.pop("key", None)
        if "Strength" in attrs:
            attrs.pop("weight", None)
            attrs.pop("Sign", None)
        elif "weight" in attrs:
            attrs["Strength"] = attrs.pop("weight")
        row = {"From": names.get(u, str(u)), "To": names.get(v, str(v)), "Direction": undirected}
        row.update({k: val for k, val in attrs.items() if val is not None})
        header += [k for k in row if k not in header]
        rows.append(row)
    _check_cells("edges", len(rows), len(header))
    return [header] + [[row.get(k, "") for k in header] for row in rows]


def _check_cells(what: str, count: int, width: int) -> None:
    """Sparse attributes (each node its own) would make a huge sheet: capped like a sheet."""
    if count * width > settings.MAX_CELLS:
        raise UnreadableFile(
            f"the graph's {what} and their attributes make {count * width:,} cells, over the "
            f"limit of {settings.MAX_CELLS:,}"
        )


def _proposal_rows(graph: dict) -> list[list[object]]:
    """The proposal's Key/Value/Tags rows from the graph attributes Stakemap writes."""
    if not any(k in graph for k in _GRAPH_KEYS):
        return []
    rows: list[list[object]] = [["Key", "Value", "Tags"]]
    for key in ("Title", "Champion", "Pass share"):
        if key in graph:
            rows.append([key, graph[key], ""])
    for part in _json_list(graph.get("Parts")):
        if isinstance(part, list) and len(part) == 2 and isinstance(part[1], list):
            rows.append(["Part", str(part[0]), ", ".join(map(str, part[1]))])
    try:
        extra = json.loads(str(graph.get("Proposal extra") or "{}"))
    except ValueError:
        extra = {}
    if isinstance(extra, dict):
        rows += [[str(k), str(v), ""] for k, v in extra.items()]
    return rows


def _json_list(text: object) -> list:
    try:
        value = json.loads(str(text or "[]"))
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None
