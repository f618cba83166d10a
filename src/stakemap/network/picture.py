"""The influence network as a still picture, drawn without a browser.

A Vega-Lite layered chart on pixel coordinates worked out here: rule marks for the ties (an
arrowhead at the one influenced), point marks for the people, text marks for their names,
all from the kept layout (:func:`stakemap.network.layout.complete_positions`: the map's
stored positions, else a fresh layout) scaled into the picture as one, so every person keeps
their place relative to the others. The visual language is the Network page's
(:mod:`stakemap.legend`, :mod:`stakemap.network.drawing`): colour and shape by stance, size by
power, a heavy outline for deciders and veto holders, a dashed one for third parties, ties
grey and as wide as they are strong, repelling ties dashed red; the legend is drawn beside it.

Names are placed greedily, the most powerful first, each on the first of eight spots around
its marker (below, above, right, left, then the corners) that stays in the picture and
overlaps no marker and no name placed before, at the full size and then a size smaller
(point-feature label placement, the greedy algorithm of Christensen, Marks & Shieber, "An
empirical study of algorithms for point-feature label placement", ACM TOG 14(3), 1995). As on
the page, a name with no free spot is left off and the subtitle counts them. Names are data,
drawn by Vega as text: nothing in them is markup.
"""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

from stakemap.language import gettext as _
from stakemap.legend import ROLE_OUTLINES, STANCE_SHAPES
from stakemap.model import STANCE_COLOURS, StakeholderMap, stance_label
from stakemap.network.drawing import REPEL_COLOUR, people, tie_width
from stakemap.network.graph import build_graph
from stakemap.network.layout import complete_positions

__all__ = ["EDGE_COLOUR", "LEGEND_PX", "TITLE_PX", "label_width", "network_spec"]

#: Colour of ties that carry influence (the page's edge colour).
EDGE_COLOUR = "#8c8c8c"
#: Width (px) of the legend column on the right and height of the title band on top.
LEGEND_PX = 210
TITLE_PX = 58
_MARGIN = 12
_LABEL_COLOUR = "#222222"
_OUTLINE = {True: "#1a1a1a", False: "#4d4d4d"}  # heavy, light
_DASH = [5, 4]
_CELL = 48.0  # px, the grid that finds what a label would overlap
Box = tuple[float, float, float, float]


def label_width(text: str, px: float) -> float:
    """An estimate of the width (px) of ``text`` in a sans-serif font of ``px``: 0.6 em a
    character, a full em for wide (CJK) ones.

    >>> label_width("Ana", 10), label_width("李娜", 10)
    (18.0, 20.0)
    """
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    return px * (0.6 * (len(text) - wide) + wide)


def network_spec(m: StakeholderMap, size: tuple[int, int] = (1600, 900), title: str = "") -> dict:
    """The network of ``m`` as a Vega-Lite spec of ``size`` pixels exactly, people where the
    kept layout puts them, for vl-convert to draw offline (SVG or PNG); ``title`` on top,
    above a line that counts people and ties and says which way an arrow runs.

    >>> from stakemap.samples.cases import new_programme
    >>> spec = network_spec(new_programme(), (800, 450))
    >>> spec["width"], spec["height"], len(spec["layer"]) > 5
    (800, 450, True)
    """
    width, height = size
    font = 14.0 if width >= 1200 else 12.0
    top = TITLE_PX if title else TITLE_PX - 26
    box = (_MARGIN, top, width - LEGEND_PX - _MARGIN, height - _MARGIN)
    where, radius = _scaled(m, box, font)
    labels, left_off = _labels(m, where, radius, font, box)
    G = build_graph(m)
    subtitle = _(
        "{people}, {ties} ties; an arrow runs from the one who influences to the one influenced"
    ).format(people=people(len(m.stakeholders)), ties=G.number_of_edges())
    if left_off:
        subtitle = _("{text}; {n} names left off where they would overlap").format(
            text=subtitle, n=left_off
        )
    texts = [{"x": _MARGIN, "y": top - 12, "text": subtitle, "size": 13, "weight": "normal"}]
    if title:
        texts.append({"x": _MARGIN, "y": 24, "text": title, "size": 22, "weight": "bold"})
    if not m.stakeholders:
        empty = _("Nobody is on the map yet.")
        texts.append({"x": _MARGIN, "y": top + 30, "text": empty, "size": 16, "weight": "normal"})
    ties, heads = _ties(G, where, radius)
    layers = [
        _rules([t for t in ties if not t["repels"]]),
        _rules([t for t in ties if t["repels"]], _DASH),
        _heads(heads),
        *_people(m, where, radius),
        *_texts(labels, "middle", "center"),
        *_legend(width - LEGEND_PX + 8, top, font),
        *_texts(texts, "alphabetic", "left"),
    ]
    return {
        "width": width,
        "height": height,
        "padding": 0,
        "autosize": {"type": "none"},
        "background": "white",
        "config": {"view": {"stroke": None}},
        "layer": [layer for layer in layers if layer["data"]["values"]],
    }


def _scaled(
    m: StakeholderMap, box: Box, font: float
) -> tuple[dict[str, tuple[float, float]], dict[str, float]]:
    """Everyone's pixel position, the kept layout scaled as one into ``box`` (room left for a
    marker and a name below it), and their marker's radius by power."""
    kept = complete_positions(m) if m.stakeholders else {}
    if not kept:
        return {}, {}
    xs = [p[0] for p in kept.values()]
    ys = [p[1] for p in kept.values()]
    spread = max(max(xs) - min(xs), 1e-9), max(max(ys) - min(ys), 1e-9)
    longest = max(label_width(n, font) for n in kept) / 2
    pad = (min(90.0, longest), 30.0, 30.0 + font * 1.4)  # sides, top, bottom
    room = box[2] - box[0] - 2 * pad[0], box[3] - box[1] - pad[1] - pad[2]
    zoom = min(room[0] / spread[0], room[1] / spread[1])
    zoom = min(zoom, 2.0) if len(kept) > 1 else 1.0
    centre = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    middle = (box[0] + box[2]) / 2, (box[1] + pad[1] + box[3] - pad[2]) / 2
    where = {
        n: (middle[0] + (x - centre[0]) * zoom, middle[1] + (y - centre[1]) * zoom)
        for n, (x, y) in kept.items()
    }
    # the page's marker (8 + 5 x power at zoom 1), kept between a speck and a blot
    scale = min(0.9, max(0.35, zoom * 0.6))
    radius = {s.name: max(4.0, min(22.0, (8 + 5 * s.power) * scale)) for s in m.stakeholders}
    return where, radius


def _ties(
    G, where: Mapping[str, tuple[float, float]], radius: Mapping[str, float]
) -> tuple[list[dict], list[dict]]:
    """Each tie as a line from marker edge to marker edge (both ways: side by side) and its
    arrowhead, pointing along the tie, at the one influenced."""
    lines, heads = [], []
    for u, v, weight in G.edges(data="weight"):
        (x1, y1), (x2, y2) = where[u], where[v]
        length = math.hypot(x2 - x1, y2 - y1)
        if length < radius[u] + radius[v] + 2:
            continue
        dx, dy = (x2 - x1) / length, (y2 - y1) / length
        side = 2.5 if G.has_edge(v, u) else 0.0  # two ways: neither hides the other
        ox, oy = -dy * side, dx * side
        width = tie_width(weight) * 0.75
        head = 7 + 2 * width
        start = (x1 + dx * radius[u] + ox, y1 + dy * radius[u] + oy)
        tip = (x2 - dx * (radius[v] + 1) + ox, y2 - dy * (radius[v] + 1) + oy)
        colour = REPEL_COLOUR if weight < 0 else EDGE_COLOUR
        lines.append(
            {
                "x": start[0],
                "y": start[1],
                "x2": tip[0] - dx * head * 0.6,
                "y2": tip[1] - dy * head * 0.6,
                "colour": colour,
                "width": width,
                "repels": weight < 0,
            }
        )
        heads.append(
            {
                "x": tip[0] - dx * head / 2,
                "y": tip[1] - dy * head / 2,
                "angle": math.degrees(math.atan2(dx, -dy)) % 360,
                "size": head * head * 0.6,
                "colour": colour,
            }
        )
    return lines, heads


def _labels(
    m: StakeholderMap,
    where: Mapping[str, tuple[float, float]],
    radius: Mapping[str, float],
    font: float,
    box: Box,
) -> tuple[list[dict], int]:
    """Where each name goes (see the module's docstring), and how many were left off."""
    grid = _Grid()
    for n, (x, y) in where.items():
        grid.add((x - radius[n], y - radius[n], x + radius[n], y + radius[n]), n)
    order = sorted(m.stakeholders, key=lambda s: -s.power)
    placed, left_off = [], 0
    for s in order:
        spot = next(
            (
                (centre, px)
                for px in (font, font - 2)
                for centre, found in _spots(s.name, where[s.name], radius[s.name], px)
                if _inside(found, box) and not grid.hits(found, s.name)
            ),
            None,
        )
        if spot is None:
            left_off += 1
            continue
        (x, y), px = spot
        half = label_width(s.name, px) / 2, px * 0.6
        grid.add((x - half[0], y - half[1], x + half[0], y + half[1]), "")
        placed.append({"x": x, "y": y, "text": s.name, "size": px, "key": s.name})
    order_of = {n: i for i, n in enumerate(m.names)}
    placed.sort(key=lambda row: order_of[row["key"]])
    return placed, left_off


def _spots(
    name: str, at: tuple[float, float], r: float, px: float
) -> Iterator[tuple[tuple[float, float], Box]]:
    """The eight candidate centres of a name around its marker, best first, with the box the
    name would cover there."""
    w, h = label_width(name, px), px * 1.2
    x, y = at
    below, beside = r + 4 + h / 2, r + 5 + w / 2
    corner = r * 0.75 + 2
    for dx, dy in (
        (0, below),
        (0, -below),
        (beside, 0),
        (-beside, 0),
        (corner + w / 2, corner + h / 2),
        (-(corner + w / 2), corner + h / 2),
        (corner + w / 2, -(corner + h / 2)),
        (-(corner + w / 2), -(corner + h / 2)),
    ):
        cx, cy = x + dx, y + dy
        yield (cx, cy), (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _inside(b: Box, box: Box) -> bool:
    return b[0] >= 2 and b[1] >= box[1] - 8 and b[2] <= box[2] + _MARGIN and b[3] <= box[3] + 8


class _Grid:
    """Boxes filed by the grid cells they cover, so a label is checked only against what is
    near it (thousands of people stay quick)."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[Box, str]]] = defaultdict(list)

    def _cells(self, b: Box) -> Iterator[tuple[int, int]]:
        for i in range(int(b[0] // _CELL), int(b[2] // _CELL) + 1):
            for j in range(int(b[1] // _CELL), int(b[3] // _CELL) + 1):
                yield i, j

    def add(self, b: Box, owner: str) -> None:
        for cell in self._cells(b):
            self.cells[cell].append((b, owner))

    def hits(self, b: Box, owner: str) -> bool:
        """Whether ``b`` overlaps a box not ``owner``'s own marker."""
        return any(
            o != owner or not o
            for cell in self._cells(b)
            for other, o in self.cells.get(cell, ())
            if b[0] < other[2] and other[0] < b[2] and b[1] < other[3] and other[1] < b[3]
        )


def _px(field: str) -> dict:
    return {"field": field, "type": "quantitative", "scale": None, "axis": None}


def _raw(field: str, kind: str = "nominal") -> dict:
    return {"field": field, "type": kind, "scale": None, "legend": None}


def _marker() -> dict:
    """A marker's encoding: at its pixels, in its own fill, shape and area."""
    return {
        "x": _px("x"),
        "y": _px("y"),
        "color": _raw("fill"),
        "shape": _raw("shape"),
        "size": _raw("size", "quantitative"),
    }


def _rules(rows: list[dict], dash: Sequence[int] = ()) -> dict:
    mark = {"type": "rule", "strokeCap": "round", "aria": False}
    mark |= {"strokeDash": list(dash)} if dash else {}
    return {
        "data": {"values": rows},
        "mark": mark,
        "encoding": {
            "x": _px("x"),
            "y": _px("y"),
            "x2": {"field": "x2"},
            "y2": {"field": "y2"},
            "color": _raw("colour"),
            "strokeWidth": _raw("width", "quantitative"),
        },
    }


def _heads(rows: list[dict]) -> dict:
    return {
        "data": {"values": rows},
        "mark": {
            "type": "point",
            "shape": "triangle-up",
            "filled": True,
            "opacity": 1,
            "aria": False,
        },
        "encoding": {
            "x": _px("x"),
            "y": _px("y"),
            "angle": _raw("angle", "quantitative"),
            "size": _raw("size", "quantitative"),
            "color": _raw("colour"),
        },
    }


def _people(
    m: StakeholderMap, where: Mapping[str, tuple[float, float]], radius: Mapping[str, float]
) -> list[dict]:
    """One point layer for each outline (plain, heavy, dashed), rows in map order."""
    rows: dict[tuple[int, bool], list[dict]] = defaultdict(list)
    for s in m.stakeholders:
        stance = stance_label(s.stance)
        outline = ROLE_OUTLINES.get(s.decision_role, ROLE_OUTLINES[""])
        r = radius[s.name]
        rows[outline].append(
            {
                "key": s.name,
                "x": where[s.name][0],
                "y": where[s.name][1],
                "fill": STANCE_COLOURS[stance],
                "shape": STANCE_SHAPES[stance].vega,
                "size": (2 * r) ** 2 * (1.5 if stance == "Champion" else 1.0),
            }
        )
    return [
        {
            "name": f"people_{width}{'_dashed' if dashed else ''}",
            "data": {"values": group},
            "mark": {
                "type": "point",
                "filled": True,
                "opacity": 1,
                "stroke": _OUTLINE[width > 1],
                "strokeWidth": width,
            }
            | ({"strokeDash": _DASH} if dashed else {}),
            # the description is the SVG's aria-label
            "encoding": _marker() | {"description": {"field": "key", "type": "nominal"}},
        }
        for (width, dashed), group in sorted(rows.items())
    ]


def _texts(rows: list[dict], baseline: str, align: str) -> list[dict]:
    """Text at pixel positions, each row's ``size``; left-aligned rows (titles, the legend) in
    a layer for each ``weight``, names (centred) with a white halo first, a layer of its own
    beneath, as on the page."""
    encoding = {
        "x": _px("x"),
        "y": _px("y"),
        "text": {"field": "text", "type": "nominal"},
        "size": _raw("size", "quantitative"),
    }
    mark = {"type": "text", "baseline": baseline, "align": align, "color": _LABEL_COLOUR}
    if align == "left":
        return [
            {
                "data": {"values": [r for r in rows if r["weight"] == weight]},
                "mark": mark | {"fontWeight": weight},
                "encoding": encoding,
            }
            for weight in ("normal", "bold")
        ]
    halo = mark | {"color": "white", "stroke": "white", "strokeWidth": 3, "strokeJoin": "round"}
    halo["aria"] = False
    return [
        {"data": {"values": rows}, "mark": halo, "encoding": encoding},
        {"name": "names", "data": {"values": rows}, "mark": mark, "encoding": encoding},
    ]


def _legend(left: float, top: float, font: float) -> list[dict]:
    """The legend column from ``top``: stance by colour and shape, outline by decision role,
    ties."""
    words: list[dict] = []
    symbols: list[dict] = []
    y = top + 10

    def heading(text: str) -> None:
        nonlocal y
        words.append({"x": left, "y": y, "text": text, "size": font, "weight": "bold"})
        y += font + 10

    def row(text: str) -> None:
        nonlocal y
        words.append({"x": left + 26, "y": y, "text": text, "size": font - 1, "weight": "normal"})
        y += font + 9

    heading(_("Stance (colour, shape)"))
    for stance, shape in STANCE_SHAPES.items():
        symbols.append(_symbol(left + 9, y - font / 3, STANCE_COLOURS[stance], shape.vega, 1))
        row(_(stance))
    y += 6
    heading(_("Outline"))
    for text, width, dashed in (
        (_("decides or holds a veto"), 3, False),
        (_("third party"), 1, True),
    ):
        symbols.append(_symbol(left + 9, y - font / 3, "#ffffff", "circle", width, dashed))
        row(text)
    size = {"x": left, "y": y, "text": _("Size: power"), "size": font - 1, "weight": "normal"}
    words.append(size)
    y += font + 16
    heading(_("Ties (width: strength)"))
    ties = []
    for text, colour, dash in (
        (_("influences"), EDGE_COLOUR, False),
        (_("repels"), REPEL_COLOUR, True),
    ):
        ties.append({"x": left, "y": y - font / 3, "x2": left + 20, "y2": y - font / 3})
        ties[-1] |= {"colour": colour, "width": 2, "repels": dash}
        row(text)
    return [
        _rules([t for t in ties if not t["repels"]]),
        _rules([t for t in ties if t["repels"]], _DASH),
        *(
            {
                "data": {"values": [s]},
                "mark": s.pop("mark"),
                "encoding": _marker(),
            }
            for s in symbols
        ),
        *_texts(words, "alphabetic", "left"),
    ]


def _symbol(
    x: float, y: float, fill: str, shape: str, width: int, dashed: bool = False
) -> dict[str, object]:
    """One legend marker: its row and its own mark (outline width and dash)."""
    mark = {"type": "point", "filled": True, "opacity": 1, "stroke": _OUTLINE[width > 1]}
    mark |= {"strokeWidth": width} | ({"strokeDash": _DASH} if dashed else {})
    return {"x": x, "y": y, "fill": fill, "shape": shape, "size": 170, "mark": mark}
