"""A lens drawn in Altair: regions, markers, labels, sized for a screen.

Markers are coloured by stance with the Okabe-Ito colour-blind-safe palette (Okabe & Ito,
"Color Universal Design", 2008) and shaped by stance too, so stance reads without colour.
Positions come from :func:`stakemap.lenses.placement.lens_view`; a click is a point selection
on the field ``key`` that :func:`stakemap.lenses.people.selected_person` turns into a name.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace

import pandas as pd

from stakemap.language import N_
from stakemap.language import gettext as _
from stakemap.legend import STANCE_SHAPES as LEGEND_SHAPES
from stakemap.lenses import catalogue, kinds
from stakemap.lenses.markers import description_expr, people_columns, people_values, tooltip_expr
from stakemap.lenses.placement import LensView
from stakemap.lenses.sizing import (
    MIN_LABEL_PHONE_PX,
    RING_PX,
    ChartStyle,
    label_fit,
    marker_geometry,
    plot_size,
    slot_layout,
    subtitle_lines,
    title_font,
    title_limit,
    title_lines,
)
from stakemap.model import STANCE_COLOURS, STANCE_LABELS, StakeholderMap

__all__ = [
    "CANVAS_FROM",
    "PADDING",
    "PICK",
    "SIZE_BY",
    "STANCE_SHAPES",
    "K",
    "chart_rows",
    "chart_table",
    "lens_chart",
]

#: Name of the chart's point-selection parameter.
PICK = "pick"
#: People from whom the chart is drawn on a canvas: Chromium laid out and painted the SVG
#: elements of a 2,000-person chart (markers, rings, their descriptions) for 0.1-0.15 s more
#: (median of 8 visits each; docs/speed.md, rule 20), and no one walks 500 markers with a
#: screen reader: the class list under the chart names everyone.
CANVAS_FROM = 500
#: Share of the largest marker's diameter that a power-1 marker gets when sized by a field.
_SMALLEST_SHARE = 0.6
#: Chart width (px) below which the stance legend wraps into three columns.
_LEGEND_ROW_PX = 600
#: Vega-Lite marker shape by stance: the one legend of :mod:`stakemap.legend`.
STANCE_SHAPES: dict[str, str] = {s: shape.vega for s, shape in LEGEND_SHAPES.items()}
#: "Size by" choices: label -> Stakeholder field (None: every marker the same size); the
#: labels are keys, translated where shown.
SIZE_BY: dict[str, str | None] = {
    N_("Power"): "power",
    N_("Interest"): "interest",
    N_("Legitimacy"): "legitimacy",
    N_("Urgency"): "urgency",
    N_("Effort"): "effort",
    N_("Same size"): None,
}
#: Pale region fills, one a class in the lens's order (the first, peach, marks what needs work).
_REGION_FILLS = (
    "#FCE4D2",
    "#E3EEF9",
    "#E6F3EA",
    "#F2F2F2",
    "#F3E8F3",
    "#FFF6CC",
    "#E0F1F5",
    "#FAFAFA",
)
#: The fill of a lens's class of the people not rated (a blank it reads): white, the same on
#: every lens, whatever the place of the class in its lens's order.
_UNRATED_FILL = "#FFFFFF"
_TARGET_DASH = {"Primary target": [1, 0], "Secondary target": [5, 3]}
_ROW_COLUMNS = (
    "label",
    "font",
    "x",
    "y",
    "stance",
    "size",
    "class",
    "power",
    "interest",
    "focus",
    "move",
    "group",
    "role",
    "decision",
)
#: The name of the markers' layer, the view the selection :data:`PICK` listens on.
_MARKERS = "markers"
#: The chart parameter that scales every pixel size from the nominal plot to the real one.
K = "k"
#: Height (px) of Streamlit's chart toolbar at the presenter's 22 px root font, plus a margin.
_TOOLBAR_PX = 44
#: The chart's padding (px) below and at the sides; the top depends on the title.
PADDING = {"left": 5, "right": 5, "bottom": 5}


def _axis(ticks: tuple[tuple[float, str], ...], title: str, style: ChartStyle) -> dict:
    """An axis with our constant words at given positions (written as JSON strings), title
    and words in the language in force."""
    expr = "''"
    for value, label in reversed(ticks):
        word = json.dumps(_(label), ensure_ascii=False)
        expr = f"abs(datum.value - {value}) < 1e-6 ? {word} : {expr}"
    return {
        "title": _(title),
        "values": [value for value, _label in ticks],
        "labelExpr": expr,
        "grid": False,
        "labelFontSize": style.font,
        "titleFontSize": style.font + 2,
        "labelColor": "#000",
        "titleColor": "#000",
        "labelLimit": 12 * style.font,
        "labelPadding": 4,
    }


def chart_rows(
    view: LensView,
    m: StakeholderMap,
    labels: Mapping[str, str],
    size_by: str | None = "power",
    focus: str | None = None,
    style: ChartStyle | None = None,
) -> tuple[pd.DataFrame, dict[str, float]]:
    """One row a shown person: position, label, stance, marker size (px^2) and class.

    Stance, class, decision role and the spectrum's move are words to show, in the language
    in force (the label is the person's as given).

    Marker and label sizes are derived from the slot the placement gives each person, so a
    marker never spills into its neighbour's slot (:class:`stakemap.lenses.placement.Placement`).
    Returns the rows and the pixel geometry used (see :func:`marker_geometry`), with ``bare``,
    the largest marker where the labels are dropped.
    """
    style = style or ChartStyle()
    lens = view.lens
    geo = marker_geometry(view, style)
    font, dmax, slot_w = geo["font"], geo["dmax"], geo["slot_w"]
    # where the chart shrinks too far for its labels (a phone) it drops them: markers that big
    geo["bare"] = marker_geometry(view, replace(style, labels=False))["dmax"]
    moves = catalogue.spectrum_moves(m) if lens.name == "Spectrum of allies" else {}
    shown = [s for s in m.stakeholders if s.name in view.placement.xy]
    fonts = _cell_fonts(view, shown, labels, font, slot_w, max(8.0, style.min_label))
    words = {w: _(w) for w in {*view.classes.values(), *STANCE_LABELS.values()}}  # once
    rows = []
    for s in shown:
        x, y = view.placement.xy[s.name]
        value = getattr(s, size_by) if size_by else None
        rank = (min(5, max(1, value or 1)) - 1) / 4
        share = 0.8 if size_by is None else _SMALLEST_SHARE + (1 - _SMALLEST_SHARE) * rank
        label = labels[s.name]
        rows.append(
            {
                "label": label,
                "font": fonts[s.name],
                "x": x,
                "y": y,
                "stance": words[s.stance_label],
                "size": math.pi / 4 * (dmax * share) ** 2,
                "class": words[view.classes[s.name]],
                "power": s.power,
                "interest": s.interest,
                "focus": s.name == focus,
                "move": moves.get(s.name, ""),
                "group": s.group,
                "role": s.role,
                "decision": _(s.decision_role) if s.decision_role else "",
            }
        )
    return pd.DataFrame(rows, columns=list(_ROW_COLUMNS)), geo


def chart_table(rows: pd.DataFrame, lens_name: str, details: bool = True) -> pd.DataFrame:
    """The chart's people in readable columns: what its "Show data" menu lists, headed and
    worded in the language in force.

    Only what the chart says: the shown label, stance, class, power and interest, plus group,
    job role and decision role when ``details`` (not anonymised) and the one-wedge move on the
    spectrum; no layout fields.

    >>> rows = pd.DataFrame([{"label": "Ana", "stance": "Neutral", "class": "Fans", "power": 2.0,
    ...                       "interest": 3.0, "group": "Ops", "role": "", "decision": "",
    ...                       "move": ""}])
    >>> list(chart_table(rows, "Influence/attitude grid", details=False).columns)
    ['Name', 'Stance', 'Influence/attitude grid', 'Power', 'Interest']
    """
    columns = {
        "label": _("Name"),
        "stance": _("Stance"),
        "class": _(lens_name),
        "power": _("Power"),
        "interest": _("Interest"),
    }
    if details:
        columns |= {"group": _("Group"), "role": _("Role"), "decision": _("Decision role")}
    if lens_name == "Spectrum of allies":
        columns["move"] = _("Move one wedge")
    return rows[list(columns)].rename(columns=columns)


def _cell_fonts(
    view: LensView,
    shown: list,
    labels: Mapping[str, str],
    font: float,
    slot_w: float,
    least: float = 8.0,
) -> dict[str, float]:
    """Label size of each shown person: one size a cell, the one its longest label needs.

    A label too long for its slot shrinks (down to ``least`` px, the screen's minimum) rather
    than being cut; its neighbours in the cell shrink with it, so sizes never vary within a
    cell.
    """
    cell_font: dict[tuple[int, int], float] = defaultdict(lambda: font)
    cells = {}
    for s in shown:
        cells[s.name] = cell = view.lens.cell(s, view.classes[s.name])
        fits = max(least, label_fit(labels[s.name], slot_w))
        cell_font[cell] = min(cell_font[cell], fits)
    return {name: cell_font[cell] for name, cell in cells.items()}


def _k(px: float) -> dict:
    """A pixel size scaled with the real plot: sized for the nominal plot, every marker and
    label grows and shrinks with the chart, so the slots still hold them at any screen size."""
    return {"expr": f"{px:.2f} * {K}"}


def _region_frame(view: LensView, style: ChartStyle) -> pd.DataFrame:
    """Background rectangles (the lens's regions, or plain cells) from (x, y) to (x2, y2),
    with their titles and their strategies wrapped into lines (joined by newlines)."""
    lens = view.lens
    regions = view.regions or tuple(
        kinds.Region("", (c, c), (r, r))
        for c in range(lens.cols[0], lens.cols[1] + 1)
        for r in range(lens.rows[0], lens.rows[1] + 1)
    )
    columns = ["x", "x2", "y", "y2", "kind", "title", "subtitle", "limit"]
    rows = []
    for r in regions:
        x0, x1, y0, y1 = view.box(r)
        title = "\n".join(title_lines(view, r, style)) if r.title else ""
        subtitle = "\n".join(subtitle_lines(view, r, style)) if r.subtitle else ""
        kind = _(r.kind) if r.kind else ""  # the class, as the fill's legend shows it
        rows.append((x0, x1, y0, y1, kind, title, subtitle, title_limit(view, r, style)))
    return pd.DataFrame(rows, columns=columns)


def _region_words(
    regions: pd.DataFrame, view: LensView, style: ChartStyle
) -> tuple[pd.DataFrame, list[dict]]:
    """The regions' title and strategy lines at each region's top left, and the text marks
    that draw them: one a line's offset, width and weight (a text mark's limit and offset are
    constants, not channels; Chromium draws Vega's multi-line text unevenly). A row's
    ``layer`` is the index of its mark."""
    font = title_font(view, style)
    title_px = font + 2
    text = {"type": "text", "align": "left", "baseline": "top", "color": "#000", "dx": _k(6)}
    rows: list[tuple[float, float, str, int]] = []
    marks: dict[tuple[bool, float, float], int] = {}
    for region in regions[regions["title"] != ""].itertuples():
        below = 9 + style.font + region.title.count("\n") * title_px
        lines = [(True, 5 + i * title_px, line) for i, line in enumerate(region.title.split("\n"))]
        if region.subtitle:
            lines += [
                (False, below + i * style.line_px, line)
                for i, line in enumerate(region.subtitle.split("\n"))
            ]
        for bold, dy, line in lines:
            if line:
                layer = marks.setdefault((bold, region.limit, dy), len(marks))
                rows.append((region.x, region.y2, line, layer))
    layers = [
        text
        | {"dy": _k(dy), "limit": _k(limit)}
        | (
            {"fontWeight": "bold", "fontSize": _k(font)}
            if bold
            else {"fontSize": _k(style.font - 1)}
        )
        for bold, limit, dy in marks
    ]
    return pd.DataFrame(rows, columns=["x", "y", "line", "layer"]), layers


def _field(name: str, kind: str = "quantitative", **more: object) -> dict:
    """A Vega-Lite channel on the field ``name``."""
    return {"field": name, "type": kind, **more}


def _renderer(people: int) -> dict:
    """The chart drawn on a canvas from :data:`CANVAS_FROM` people (Streamlit reads the
    renderer from the spec's ``usermeta``), else as SVG elements, which a screen reader walks
    and the browser tests read.

    >>> _renderer(20), _renderer(2000)
    ({}, {'usermeta': {'embedOptions': {'renderer': 'canvas'}}})
    """
    return {"usermeta": {"embedOptions": {"renderer": "canvas"}}} if people >= CANVAS_FROM else {}


def lens_chart(
    view: LensView,
    m: StakeholderMap,
    labels: Mapping[str, str],
    size_by: str | None = "power",
    focus: str | None = None,
    style: ChartStyle | None = None,
    details: bool = True,
) -> tuple[dict, pd.DataFrame]:
    """The lens as a layered Vega-Lite spec: regions, their titles, markers, rings and names;
    and the people's rows it draws (:func:`chart_rows`), which the page's notes read.

    ``labels`` maps names to what the chart shows (names or anonymised labels); ``details``
    False keeps group and role out of the tooltip (anonymised presenting). The markers carry
    the point selection :data:`PICK` on the field ``label``. The chart's own data (unused by
    the layers, which bring theirs) is :func:`chart_table`: Streamlit's "Show data" lists the
    first dataset, so it shows readable columns, not the layout's.

    Written as the spec itself, not through Altair: building and checking the Altair objects
    took 0.3-0.9 s a chart, the Map page's whole time (docs/speed.md). The regions and
    their words are given once by reference (datasets ``regions``, ``words``; layers filter
    them), the people inline (:func:`stakemap.lenses.markers.people_values`), and x and y
    are encoded once for every layer. The datasets are DataFrames (Streamlit sends them as
    Arrow); :func:`lens_spec` writes them as JSON records for a picture.

    Pixel sizes are computed for the nominal plot of ``style`` and multiplied by the chart
    parameter :data:`K`, the real plot's size over the nominal one (the smaller of width and
    height ratios), so they keep fitting their slots on any screen.
    """
    style = style or ChartStyle()
    lens = view.lens
    rows, geo = chart_rows(view, m, labels, size_by, focus, style)
    x_axis = (
        _axis(tuple((float(v), t) for v, t in lens.x_axis.ticks), lens.x_axis.title, style)
        if lens.x_axis
        else None
    )
    y_axis = _axis(view.y_ticks(), lens.y_axis.title, style) if lens.y_axis else None
    x_scale = {"domain": [lens.cols[0] - 0.5, lens.cols[1] + 0.5], "nice": False, "zero": False}
    y_scale = {"domain": [0, view.height], "nice": False, "zero": False}
    regions = _region_frame(view, style)
    class_names = [c.name for c in lens.classes]
    rated = [name for name in class_names if name != lens.unrated]
    colours = dict(zip(rated, _REGION_FILLS, strict=False)) | {lens.unrated: _UNRATED_FILL}
    fills = (
        {"domain": [_(name) for name in class_names], "range": [colours[n] for n in class_names]}
        if view.regions
        else {"domain": [""], "range": ["#FFFFFF"]}
    )
    # untitled regions (the engagement matrix's cells) say what they are in a legend
    legend = None if regions["title"].any() or not view.regions else {"title": _("Cells")}
    layers: list[dict] = [
        {
            "data": {"name": "regions"},
            "mark": {"type": "rect", "stroke": "#444", "strokeWidth": 2 if style.presenter else 1},
            "encoding": {
                "x2": {"field": "x2"},
                "y2": {"field": "y2"},
                "fill": _field("kind", "nominal", scale=fills, legend=legend),
            },
        }
    ]
    words, word_marks = _region_words(regions, view, style)
    layers += [
        {
            "data": {"name": "words"},
            "transform": [{"filter": f"datum.layer == {i}"}],
            "mark": mark,
            "encoding": {"text": _field("line", "nominal")},
        }
        for i, mark in enumerate(word_marks)
    ]
    focused = bool(rows["focus"].any())
    people = people_values(rows, people_columns(lens.name, details, bool(geo["font"]), focused))
    lift = -geo["lift"]
    # Shrunk so far that the smallest label is under the phone's minimum (a 390 px phone), the
    # chart drops every label (the page's caption points to the list) and its markers take
    # the room the labels had: centred in their slots, as large as without labels.
    bare = (
        f"{float(rows['font'].min()):.2f} * {K} < {MIN_LABEL_PHONE_PX}"
        if geo["font"] and len(rows)
        else "false"
    )
    lifted = {"expr": f"({bare}) ? 0 : {lift:.2f} * {K}"}
    # every ring and marker size is the same few numbers: given once, not a column a person
    ring_px, bare_ring_px = (math.pi / 4 * (d + RING_PX) ** 2 for d in (geo["dmax"], geo["bare"]))
    ring_size = {"expr": f"(({bare}) ? {bare_ring_px:.3f} : {ring_px:.3f}) * {K} * {K}"}
    ring = {
        "type": "point",
        "shape": "circle",
        "filled": False,
        "color": "#000",
        "yOffset": lifted,
        "size": ring_size,
    }
    shrink = (geo["bare"] / geo["dmax"]) ** 2  # a marker's size where labels are dropped
    dashes = {_(name): dash for name, dash in _TARGET_DASH.items()}
    if lens.name == "Power map" and rows["class"].isin(list(dashes)).any():
        targets = json.dumps(list(dashes), ensure_ascii=False)
        layers.append(
            {
                "data": people,
                "transform": [{"filter": f"indexof({targets}, datum['class']) >= 0"}],
                "mark": ring | {"strokeWidth": 2},
                "encoding": {
                    "strokeDash": _field(
                        "class",
                        "nominal",
                        title=_("Power map"),
                        scale={"domain": list(dashes), "range": list(dashes.values())},
                    ),
                },
            }
        )
    tooltip = [
        (_("Name"), "label"),
        (_("Stance"), "stance"),
        (_(lens.name), "class"),
        (_("Power"), "power"),
        (_("Interest"), "interest"),
    ]
    if details:
        tooltip += [(_("Group"), "group"), (_("Role"), "role"), (_("Decision role"), "decision")]
    if lens.name == "Spectrum of allies":
        tooltip.append((_("Move one wedge"), "move"))
    dim = 0.35 if focused else 1.0
    stance = list(STANCE_COLOURS)[::-1]
    words_in = [_(s) for s in stance]  # the legend's domain in the language, colours in order
    layers.append(
        {
            "name": _MARKERS,
            "data": people,
            "transform": [
                {
                    "calculate": f"(({bare}) ? datum.size * {shrink:.6f} : datum.size) * {K} * {K}",
                    "as": "size_k",
                }
            ],
            "mark": {
                "type": "point",
                "filled": True,
                "stroke": "#000",
                "strokeWidth": 1,
                "yOffset": lifted,
                "tooltip": tooltip_expr(tooltip),
                "description": description_expr(tooltip[:5]),
            },
            "encoding": {
                "color": _field(
                    "stance",
                    "nominal",
                    title=_("Stance"),
                    scale={"domain": words_in, "range": [STANCE_COLOURS[s] for s in stance]},
                ),
                "shape": _field(
                    "stance",
                    "nominal",
                    title=_("Stance"),
                    scale={"domain": words_in, "range": [STANCE_SHAPES[s] for s in stance]},
                ),
                "size": _field("size_k", scale=None),
                "opacity": {"condition": {"test": "datum.focus", "value": 1.0}, "value": dim}
                if focused
                else {"value": 1.0},
            },
        }
    )
    if focused:
        layers.append(
            {
                "data": people,
                "transform": [{"filter": "datum.focus"}],
                "mark": ring | {"strokeWidth": 3},
            }
        )
    if geo["font"]:
        # focused, the others' names dimmed and the focus's in bold above them
        passes = (("!datum.focus", "normal", dim), ("datum.focus", "bold", 1.0))
        for test, weight, opacity in passes if focused else ((None, "normal", 1.0),):
            layers.append(
                {
                    "data": people,
                    "transform": ([{"filter": test}] if test else [])
                    + [{"calculate": f"datum.font * {K}", "as": "font_k"}],
                    "mark": {
                        "type": "text",
                        "aria": False,  # the marker under it says the name
                        "baseline": "top",
                        "fontWeight": weight,
                        "color": "#000",
                        "opacity": opacity,
                        "yOffset": _k(slot_layout(geo)["label_top"]),
                        "limit": _k(max(10.0, geo["slot_w"] - 2)),
                    },
                    "encoding": {
                        "text": _field("label", "nominal"),
                        "size": _field("font_k", scale=None),
                        # a name smaller than this is noise: the list under the chart holds it
                        "opacity": {
                            "condition": {
                                "test": f"!({bare}) && datum.font_k >= {MIN_LABEL_PHONE_PX}",
                                "value": opacity,
                            },
                            "value": 0,
                        },
                    },
                }
            )
    plot_w, plot_h = plot_size(lens, style)
    spec = {
        "datasets": {
            "table": chart_table(rows, lens.name, details),
            "regions": regions,
            "words": words,
        },
        "data": {"name": "table"},
        "encoding": {
            "x": _field("x", scale=x_scale, axis=x_axis),
            "y": _field("y", scale=y_scale, axis=y_axis),
        },
        "layer": layers,
        **_renderer(len(rows)),
        "params": [
            {
                "name": PICK,
                "select": {"type": "point", "fields": ["label"], "on": "click"},
                "views": [_MARKERS],
            },
            {
                "name": K,
                "expr": f"clamp(min(width / {plot_w:.0f}, height / {plot_h:.0f}), 0.4, 2.5)",
            },
        ],
        "width": "container",
        # presenting, the page's CSS gives the chart the screen's height
        "height": "container" if style.presenter else style.height,
        "title": ""
        if style.presenter
        else {"text": _(lens.name), "fontSize": style.font + 4, "color": "#000", "anchor": "start"},
        # presenting there is no title: keep its band free for Streamlit's chart toolbar
        "padding": {"top": _TOOLBAR_PX if style.presenter else 5} | PADDING,
        "config": {
            "view": {"stroke": None},
            "legend": {
                "orient": "right" if style.presenter else "bottom",
                # presenting, one column on the right (one row there took half the screen's
                # width); below the chart one row where it fits, on a phone three columns, or
                # "Blocker" was cut off
                "columns": 1 if style.presenter else {"expr": f"width < {_LEGEND_ROW_PX} ? 3 : 0"},
                "labelFontSize": style.font,
                "titleFontSize": style.font,
                "symbolSize": 12 * style.font,
                "labelColor": "#000",
                "titleColor": "#000",
            },
        },
    }
    return spec, rows
