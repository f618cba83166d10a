"""The Map page's lens charts in Altair: regions, markers, labels, sized for a screen.

Markers are coloured by stance with the Okabe-Ito colour-blind-safe palette (Okabe & Ito,
"Color Universal Design", 2008) and shaped by stance too, so stance reads without colour.
Positions come from :func:`stakemap.lenses.lens_view`; a click is a point selection on the
field ``key`` that :func:`stakemap.lenses.selected_person` turns into a name.
"""

from __future__ import annotations

import json
import math
import textwrap
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace

import altair as alt
import pandas as pd

from stakemap import lenses
from stakemap.legend import STANCE_SHAPES as LEGEND_SHAPES
from stakemap.lenses import LensView
from stakemap.model import STANCE_COLOURS, StakeholderMap

__all__ = [
    "LABEL_MODES",
    "MIN_LABEL_DESKTOP_PX",
    "MIN_LABEL_PHONE_PX",
    "MIN_LABEL_PRESENTER_PX",
    "MIN_MARKER_DESKTOP_PX",
    "MIN_MARKER_PRESENTER_PX",
    "PICK",
    "SIZE_BY",
    "STANCE_COLOURS",
    "STANCE_SHAPES",
    "ChartStyle",
    "LabelPlan",
    "chart_rows",
    "chart_table",
    "initials_key",
    "label_mode",
    "lens_chart",
    "names_left_off_on_a_phone",
    "plot_size",
    "shorter_labels",
    "slot_layout",
    "view_for",
]

#: Name of the chart's point-selection parameter.
PICK = "pick"
#: Smallest label as drawn (px) on each screen the Map is made for: a desktop beside the
#: sidebar, a 1280x800 projector (presenter mode; a larger one only scales it up) and a 390 px
#: phone, where the chart shrinks (a smaller label is left off there, and the page says the
#: list under the chart holds it). Where names cannot be this large, :func:`label_mode` falls
#: back to initials with a key, then to no labels and the list.
MIN_LABEL_DESKTOP_PX = 10.0
MIN_LABEL_PRESENTER_PX = 16.0
MIN_LABEL_PHONE_PX = 7.0
#: Smallest diameter (px as drawn) of the largest marker, a power-5 person's (a power-1 one
#: is 60% of it): size by power stays readable.
MIN_MARKER_DESKTOP_PX = 10.0
MIN_MARKER_PRESENTER_PX = 12.0
#: How the chart labels its people: names (as chosen), initials with a key, the letters of
#: "Stakeholder A, B, ..." alone, or none (the list).
LABEL_MODES = ("names", "initials", "letters", "list")
#: The chart scale :data:`K` of the presenter chart on a 1280x800 screen (Chromium draws its
#: 840x500 nominal plot at 776x433): the smallest projector, so labels are sized for it.
PRESENTER_K = 0.86
#: Target and focus rings: diameter beyond the largest marker (px) and the widest ring stroke.
_RING_PX = 8
_RING_STROKE = 3
#: Gap (px) between the outside of a ring and the top of its label.
_LABEL_GAP = 1.5
#: Share of the largest marker's diameter that a power-1 marker gets when sized by a field.
_SMALLEST_SHARE = 0.6
#: Chart width (px) below which the stance legend wraps into three columns.
_LEGEND_ROW_PX = 600
#: Vega-Lite marker shape by stance: the one legend of :mod:`stakemap.legend`.
STANCE_SHAPES: dict[str, str] = {s: shape.vega for s, shape in LEGEND_SHAPES.items()}
#: "Size by" choices: label -> Stakeholder field (None: every marker the same size).
SIZE_BY: dict[str, str | None] = {
    "Power": "power",
    "Interest": "interest",
    "Legitimacy": "legitimacy",
    "Urgency": "urgency",
    "Effort": "effort",
    "Same size": None,
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
_TARGET_DASH = {"Primary target": [1, 0], "Secondary target": [5, 3]}
_ROW_COLUMNS = (
    "key",
    "label",
    "font",
    "x",
    "y",
    "stance",
    "size",
    "ring",
    "bare",
    "bare_ring",
    "class",
    "power",
    "interest",
    "focus",
    "move",
    "group",
    "role",
    "decision",
)
#: The chart parameter that scales every pixel size from the nominal plot to the real one.
K = "k"
#: Average glyph width of the chart font, in em (used to fit a label in its slot).
_CHAR_EM = 0.58
#: Average glyph width of running text (a region's strategy), in em: wraps its lines.
_TEXT_EM = 0.5
#: Height (px) of Streamlit's chart toolbar at the presenter's 22 px root font, plus a margin.
_TOOLBAR_PX = 44
_PADDING = {"left": 5, "right": 5, "bottom": 5}


@dataclass(frozen=True)
class ChartStyle:
    """Sizes for one screen: the nominal chart size (a lower bound of the real one) and fonts.

    Markers and labels are sized in pixels from the nominal size; a larger real chart only
    adds room between them.
    """

    width: int = 820
    height: int = 700
    font: int = 12
    presenter: bool = False
    #: Smallest label drawn (px, nominal) and smallest marker (px, nominal) for the layout to
    #: count as legible; 0: the old rule (labels of 9 px or more, any marker).
    min_label: float = 0.0
    min_marker: float = 0.0
    #: False: no labels at all (the list under the chart carries the names).
    labels: bool = True

    def title_px(self, lines: int = 1) -> int:
        """Room above a region for its title and ``lines`` lines of strategy."""
        return 2 * self.font + 14 + (lines - 1) * self.line_px

    @property
    def line_px(self) -> int:
        """Height of a line of a region's strategy (drawn one point below the font)."""
        return self.font + 1

    @staticmethod
    def for_mode(presenter: bool, narrow: bool = False) -> ChartStyle:
        """Presenter: a 1280x800 projector at least; normal: the page beside a sidebar."""
        if presenter:
            return ChartStyle(width=1200, height=600, font=20, presenter=True)
        return ChartStyle(width=600 if narrow else 760)


def plot_size(lens: lenses.Lens, style: ChartStyle) -> tuple[float, float]:
    """Approximate plot area (px) once title, axes and legend have taken their room.

    Presenting, the legend sits on the right and the chart has no title (the lens picker
    names it), so the plot keeps the screen's height.
    """
    left = 8 * style.font if lens.y_axis else 10
    bottom = (5 if lens.x_axis else 2) * style.font
    if style.presenter:
        left += 10 * style.font
    else:
        bottom += 8 * style.font
    return max(100.0, style.width - left), max(100.0, style.height - bottom)


def view_for(
    m: StakeholderMap,
    lens_name: str,
    names: list[str] | None,
    style: ChartStyle,
    labels: Mapping[str, str] | None = None,
) -> tuple[LensView, ChartStyle]:
    """:func:`stakemap.lenses.lens_view` laid out for this style's plot and these labels.

    Slots are as wide as the longer labels need (a label sits under its marker). Outside
    presenter mode the chart grows (up to twice its height) until the labels are legible
    (:func:`_legible`: 9 px or more, or the style's minimum label and marker sizes); the
    presenter chart keeps the screen's height. The strip above the regions is as
    tall as their longest strategy once wrapped (:func:`_subtitle_lines`).
    """
    lens = lenses.LENSES[lens_name]
    lengths = sorted(len(label) for label in (labels or {n: n for n in m.names}).values())
    long = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 10
    slot_aspect = min(5.0, max(1.2, _CHAR_EM * long / 2.2))
    heights = [style.height] if style.presenter else [style.height * k for k in (1, 1.3, 1.6, 2)]
    lines = 1
    for height in heights:
        tried = replace(style, height=round(height))
        plot = plot_size(lens, tried)
        for _ in range(2):  # regions do not depend on the strip: one retry sizes it
            view = lenses.lens_view(
                m,
                lens_name,
                names,
                plot=plot,
                title_px=tried.title_px(lines),
                slot_aspect=slot_aspect,
            )
            needed = max((len(_subtitle_lines(view, r, tried)) for r in view.regions), default=1)
            if needed == lines:
                break
            lines = needed
        if _legible(view, tried):
            break
    return view, tried


def _legible(view: LensView, style: ChartStyle) -> bool:
    """Whether labels are at least ``style.min_label`` (9 px without one) and the largest
    marker at least ``style.min_marker``. A label longer than its slot shrinks down to the
    minimum, then is cut (its tooltip and the list hold it whole): the slots are as wide as
    nine labels in ten need (:func:`view_for`)."""
    if not style.labels:
        return True
    geo = _geometry(view, style)
    return geo["font"] >= max(9.0, style.min_label) and geo["dmax"] >= style.min_marker


def _fits(label: str, slot_w: float) -> float:
    """The font size (px) at which a label just fits its slot's width."""
    return (slot_w - 4) / (_CHAR_EM * max(1, len(label)))


def _screen(style: ChartStyle) -> tuple[float, float, float]:
    """The target screen's smallest label and marker (px as drawn) and its chart scale."""
    if style.presenter:
        return MIN_LABEL_PRESENTER_PX, MIN_MARKER_PRESENTER_PX, PRESENTER_K
    return MIN_LABEL_DESKTOP_PX, MIN_MARKER_DESKTOP_PX, 1.0


@dataclass(frozen=True)
class LabelPlan:
    """How the chart labels its people (:func:`label_mode`): ``mode`` one of
    :data:`LABEL_MODES`, the laid-out ``view`` and ``style``, and the ``labels`` drawn (the
    chosen ones, or initials whose key :func:`initials_key` lists)."""

    mode: str
    view: LensView
    style: ChartStyle
    labels: dict[str, str]


def label_mode(
    m: StakeholderMap,
    lens_name: str,
    names: list[str] | None,
    style: ChartStyle,
    labels: Mapping[str, str] | None = None,
    short: tuple[str, Mapping[str, str]] | None = None,
) -> LabelPlan:
    """The largest labels this screen can hold at its minimum size, and the layout for them.

    "names": the chosen labels fit at :data:`MIN_LABEL_DESKTOP_PX` on a desktop or
    :data:`MIN_LABEL_PRESENTER_PX` on a 1280x800 projector, with markers of at least
    :data:`MIN_MARKER_DESKTOP_PX` / :data:`MIN_MARKER_PRESENTER_PX` (the desktop chart may
    grow to twice its height first); else ``short``, a mode and shorter labels, if those fit:
    by default "initials" when the labels are the names (the page shows their key; an
    anonymised chart never gets a key to the names); else "list": no labels, markers as
    large as the slots allow, the table under the chart carries the names.
    """
    labels = dict(labels or {n: n for n in m.names})
    least_label, least_marker, k = _screen(style)
    sized = replace(style, min_label=least_label / k, min_marker=least_marker / k, labels=True)
    if short is None and all(label == name for name, label in labels.items()):
        short = ("initials", lenses.anonymise(m.names, "initials"))
    tries = [("names", labels)] + ([(short[0], dict(short[1]))] if short else [])
    for mode, shown in tries:
        view, tried = view_for(m, lens_name, names, sized, shown)
        if _legible(view, tried):
            return LabelPlan(mode, view, tried, shown)
    view, tried = view_for(m, lens_name, names, replace(sized, labels=False), labels)
    return LabelPlan("list", view, tried, labels)


def shorter_labels(labels: Mapping[str, str], anonymise: str) -> tuple[str, dict[str, str]] | None:
    """The shorter labels :func:`label_mode` tries when ``labels`` do not fit: with
    "Stakeholder A, B, ..." the letters alone ("AB" is Stakeholder AB, no key needed); else
    None, its default (initials and a key when the labels are the names).

    >>> shorter_labels({"Ana": "Stakeholder AB"}, "letters")
    ('letters', {'Ana': 'AB'})
    >>> shorter_labels({"Ana": "Ana"}, "names") is None
    True
    """
    if anonymise != "letters":
        return None
    return ("letters", {n: label.removeprefix("Stakeholder ") for n, label in labels.items()})


def initials_key(plan: LabelPlan, m: StakeholderMap) -> pd.DataFrame:
    """The key to an "initials" chart: each shown person's initials and name, by initials."""
    shown = [n for n in m.names if n in plan.view.placement.xy]
    key = pd.DataFrame({"Initials": [plan.labels[n] for n in shown], "Name": shown})
    return key.sort_values("Initials", kind="stable", ignore_index=True)


def _title_limit(view: LensView, region: lenses.Region, style: ChartStyle) -> int:
    """Width (px, nominal plot) a region's title and strategy may take."""
    lens = view.lens
    x0, x1, _, _ = view.box(region)
    px_x = plot_size(lens, style)[0] / (lens.cols[1] - lens.cols[0] + 1)
    return round((x1 - x0) * px_x - 12)


def _subtitle_lines(view: LensView, region: lenses.Region, style: ChartStyle) -> list[str]:
    """A region's strategy wrapped at word boundaries to its width (at least one line)."""
    chars = max(8, int(_title_limit(view, region, style) / (_TEXT_EM * (style.font - 1))))
    return textwrap.wrap(region.subtitle, chars, break_on_hyphens=False) or [""]


def _axis(ticks: tuple[tuple[float, str], ...], title: str, style: ChartStyle) -> alt.Axis:
    """An axis with our constant words at given positions (written as JSON strings)."""
    expr = "''"
    for value, label in reversed(ticks):
        expr = f"abs(datum.value - {value}) < 1e-6 ? {json.dumps(label)} : {expr}"
    return alt.Axis(
        title=title,
        values=[v for v, _ in ticks],
        labelExpr=expr,
        grid=False,
        labelFontSize=style.font,
        titleFontSize=style.font + 2,
        labelColor="#000",
        titleColor="#000",
        labelLimit=12 * style.font,
        labelPadding=4,
    )


def chart_rows(
    view: LensView,
    m: StakeholderMap,
    labels: Mapping[str, str],
    size_by: str | None = "power",
    focus: str | None = None,
    style: ChartStyle | None = None,
) -> tuple[pd.DataFrame, dict[str, float]]:
    """One row a shown person: position, key, label, stance, marker size (px^2) and class.

    Marker and label sizes are derived from the slot the placement gives each person, so a
    marker never spills into its neighbour's slot (:class:`stakemap.lenses.Placement`).
    Returns the rows and the pixel geometry used (see :func:`_geometry`).
    """
    style = style or ChartStyle()
    lens = view.lens
    geo = _geometry(view, style)
    font, dmax, slot_w = geo["font"], geo["dmax"], geo["slot_w"]
    # where the chart shrinks too far for its labels (a phone) it drops them: markers that big
    bare = _geometry(view, replace(style, labels=False))["dmax"]
    moves = lenses.spectrum_moves(m) if lens.name == "Spectrum of allies" else {}
    shown = [s for s in m.stakeholders if s.name in view.placement.xy]
    fonts = _cell_fonts(view, shown, labels, font, slot_w, max(8.0, style.min_label))
    rows = []
    for s in shown:
        x, y = view.placement.xy[s.name]
        value = getattr(s, size_by) if size_by else None
        rank = (min(5, max(1, value or 1)) - 1) / 4
        share = 0.8 if size_by is None else _SMALLEST_SHARE + (1 - _SMALLEST_SHARE) * rank
        label = labels[s.name]
        rows.append(
            {
                "key": label,
                "label": label,
                "font": fonts[s.name],
                "x": x,
                "y": y,
                "stance": s.stance_label,
                "size": math.pi / 4 * (dmax * share) ** 2,
                "ring": math.pi / 4 * (dmax + _RING_PX) ** 2,
                "bare": math.pi / 4 * (bare * share) ** 2,
                "bare_ring": math.pi / 4 * (bare + _RING_PX) ** 2,
                "class": view.classes[s.name],
                "power": s.power,
                "interest": s.interest,
                "focus": s.name == focus,
                "move": moves.get(s.name, ""),
                "group": s.group,
                "role": s.role,
                "decision": s.decision_role,
            }
        )
    return pd.DataFrame(rows, columns=list(_ROW_COLUMNS)), geo


def chart_table(rows: pd.DataFrame, lens_name: str, details: bool = True) -> pd.DataFrame:
    """The chart's people in readable columns: what its "Show data" menu lists.

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
        "label": "Name",
        "stance": "Stance",
        "class": lens_name,
        "power": "Power",
        "interest": "Interest",
    }
    if details:
        columns |= {"group": "Group", "role": "Role", "decision": "Decision role"}
    if lens_name == "Spectrum of allies":
        columns["move"] = "Move one wedge"
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
        fits = max(least, _fits(labels[s.name], slot_w))
        cell_font[cell] = min(cell_font[cell], fits)
    return {name: cell_font[cell] for name, cell in cells.items()}


def _geometry(view: LensView, style: ChartStyle) -> dict[str, float]:
    """Pixel sizes in a slot: label ``font`` (0: too crowded for labels, or none wanted),
    largest marker diameter ``dmax``, the ``lift`` of a marker above the slot centre (room
    for its label) and the slot width ``slot_w``.

    Top to bottom a labelled slot holds a ring's room, the marker, a ring's room, a gap and
    the label (:func:`slot_layout`), so a target or focus ring never crosses its label. With a
    ``style.min_label``, a label gives up size down to it for the marker to reach
    ``style.min_marker``.
    """
    lens = view.lens
    plot_w, plot_h = plot_size(lens, style)
    slot_w = view.placement.w * plot_w / (lens.cols[1] - lens.cols[0] + 1)
    slot_h = view.placement.h * plot_h / view.height
    font = min(float(style.font), (slot_h - 4) * 0.5)
    font = font if font >= 8 and slot_w >= 28 and style.labels else 0.0
    rings = _RING_PX + _RING_STROKE + _LABEL_GAP + 1
    if font > style.min_label and style.min_label:
        # labels at their minimum before markers go below theirs
        font = max(style.min_label, min(font, slot_h - rings - style.min_marker))
    room = font + rings if font else 3
    dmax = max(4.0, min(slot_w - 3, slot_h - room, 4 * style.font))
    lift = (font + _LABEL_GAP) / 2 if font else 0.0
    return {"font": font, "dmax": dmax, "lift": lift, "slot_w": slot_w}


def slot_layout(geo: Mapping[str, float]) -> dict[str, float]:
    """Vertical extents (px from the slot centre, down positive) of the largest marker, its
    ring (target or focus, outer edge of the widest stroke) and its label's top and bottom.

    >>> box = slot_layout({"font": 12.0, "dmax": 20.0, "lift": 6.75, "slot_w": 60.0})
    >>> box["label_top"] > box["ring_bottom"]
    True
    """
    centre = -geo["lift"]
    ring = (geo["dmax"] + _RING_PX + _RING_STROKE) / 2
    label_top = centre + ring + _LABEL_GAP
    return {
        "marker_top": centre - geo["dmax"] / 2,
        "marker_bottom": centre + geo["dmax"] / 2,
        "ring_top": centre - ring,
        "ring_bottom": centre + ring,
        "label_top": label_top,
        "label_bottom": label_top + geo["font"],
    }


def names_left_off_on_a_phone(rows: pd.DataFrame, lens: lenses.Lens, style: ChartStyle) -> bool:
    """Whether some names fall below :data:`MIN_LABEL_PHONE_PX` on a 390 px phone (a 358 px
    plot): the chart leaves those off, so the page should say the list below holds them."""
    if not style.labels:
        return False
    plot_w, _ = plot_size(lens, style)
    scale = min(1.0, 358 / plot_w)
    return bool(len(rows)) and float(rows["font"].min()) * scale < MIN_LABEL_PHONE_PX


def _k(px: float) -> alt.ExprRef:
    """A pixel size scaled with the real plot: sized for the nominal plot, every marker and
    label grows and shrinks with the chart, so the slots still hold them at any screen size."""
    return alt.expr(f"{px:.2f} * {K}")


def _region_frame(view: LensView, style: ChartStyle) -> pd.DataFrame:
    """Background rectangles (the lens's regions, or plain cells) with their titles and
    their strategies wrapped into lines (joined by newlines)."""
    lens = view.lens
    regions = view.regions or tuple(
        lenses.Region("", (c, c), (r, r))
        for c in range(lens.cols[0], lens.cols[1] + 1)
        for r in range(lens.rows[0], lens.rows[1] + 1)
    )
    columns = ["x0", "x1", "y0", "y1", "kind", "title", "subtitle", "limit"]
    rows = []
    for r in regions:
        x0, x1, y0, y1 = view.box(r)
        subtitle = "\n".join(_subtitle_lines(view, r, style)) if r.subtitle else ""
        rows.append((x0, x1, y0, y1, r.kind, r.title, subtitle, _title_limit(view, r, style)))
    return pd.DataFrame(rows, columns=columns)


def lens_chart(
    view: LensView,
    m: StakeholderMap,
    labels: Mapping[str, str],
    size_by: str | None = "power",
    focus: str | None = None,
    style: ChartStyle | None = None,
    details: bool = True,
) -> alt.LayerChart:
    """The lens as a layered Altair chart: regions, their titles, markers, rings and names.

    ``labels`` maps names to what the chart shows (names or anonymised labels); ``details``
    False keeps group and role out of the tooltip (anonymised presenting). The markers carry
    the point selection :data:`PICK` on the field ``key``. The chart's own data (unused by
    the layers, which bring theirs) is :func:`chart_table`: Streamlit's "Show data" lists the
    first dataset, so it shows readable columns, not the layout's.

    Pixel sizes are computed for the nominal plot of ``style`` and multiplied by the chart
    parameter :data:`K`, the real plot's size over the nominal one (the smaller of width and
    height ratios), so they keep fitting their slots on any screen.
    """
    style = style or ChartStyle()
    lens = view.lens
    rows, geo = chart_rows(view, m, labels, size_by, focus, style)
    x_scale = alt.Scale(domain=[lens.cols[0] - 0.5, lens.cols[1] + 0.5], nice=False, zero=False)
    y_scale = alt.Scale(domain=[0, view.height], nice=False, zero=False)
    x_axis = (
        _axis(tuple((float(v), t) for v, t in lens.x_axis.ticks), lens.x_axis.title, style)
        if lens.x_axis
        else None
    )
    y_axis = _axis(view.y_ticks(), lens.y_axis.title, style) if lens.y_axis else None

    def x(field: str) -> alt.X:
        return alt.X(f"{field}:Q", scale=x_scale, axis=x_axis)

    def y(field: str) -> alt.Y:
        return alt.Y(f"{field}:Q", scale=y_scale, axis=y_axis)

    regions = _region_frame(view, style)
    kinds = [c.name for c in lens.classes]
    fills = (
        alt.Scale(domain=kinds, range=list(_REGION_FILLS[: len(kinds)]))
        if view.regions
        else alt.Scale(domain=[""], range=["#FFFFFF"])
    )
    # untitled regions (the engagement matrix's cells) say what they are in a legend
    legend = None if regions["title"].any() or not view.regions else alt.Legend(title="Cells")
    layers: list[alt.Chart] = [
        alt.Chart(regions)
        .mark_rect(stroke="#444", strokeWidth=2 if style.presenter else 1)
        .encode(
            x=x("x0"),
            x2="x1:Q",
            y=y("y0"),
            y2="y1:Q",
            fill=alt.Fill("kind:N", scale=fills, legend=legend),
        )
    ]
    # One title layer a region width: a text mark's limit (px) is a constant, not a channel.
    titled = regions[regions["title"] != ""]
    for limit, group in titled.groupby("limit", sort=True):
        text = {"align": "left", "baseline": "top", "color": "#000", "dx": _k(6)}
        layers.append(
            alt.Chart(group)
            .mark_text(
                **text, dy=_k(5), fontWeight="bold", fontSize=_k(style.font + 1), limit=_k(limit)
            )
            .encode(x=x("x0"), y=y("y1"), text="title:N")
        )
        # one layer a line of strategy: Chromium draws Vega's multi-line text unevenly
        lines = group["subtitle"].str.split("\n")
        for i in range(lines.map(len).max()):
            has_line = lines.map(len) > i
            layers.append(
                alt.Chart(group[has_line].assign(line=lines[has_line].str[i]))
                .mark_text(
                    **text,
                    dy=_k(9 + style.font + i * style.line_px),
                    fontSize=_k(style.font - 1),
                    limit=_k(limit),
                )
                .encode(x=x("x0"), y=y("y1"), text="line:N")
            )
    lift = -geo["lift"]
    # Shrunk so far that the smallest label is under the phone's minimum (a 390 px phone), the
    # chart drops every label (the page's caption points to the list) and its markers take
    # the room the labels had: centred in their slots, as large as without labels.
    bare = (
        f"{float(rows['font'].min()):.2f} * {K} < {MIN_LABEL_PHONE_PX}"
        if geo["font"] and len(rows)
        else "false"
    )
    lifted = alt.expr(f"({bare}) ? 0 : {lift:.2f} * {K}")
    ring = {"shape": "circle", "filled": False, "color": "#000", "yOffset": lifted}
    ring_size = alt.Size("ring_k:Q", scale=None)
    ring_k = f"(({bare}) ? datum.bare_ring : datum.ring) * {K} * {K}"
    targets = rows[rows["class"].isin(list(_TARGET_DASH))] if lens.name == "Power map" else None
    if targets is not None and not targets.empty:
        layers.append(
            alt.Chart(targets)
            .transform_calculate(ring_k=ring_k)
            .mark_point(**ring, strokeWidth=2)
            .encode(
                x=x("x"),
                y=y("y"),
                size=ring_size,
                strokeDash=alt.StrokeDash(
                    "class:N",
                    title="Power map",
                    scale=alt.Scale(domain=list(_TARGET_DASH), range=list(_TARGET_DASH.values())),
                ),
            )
        )
    tooltip = [
        alt.Tooltip("label:N", title="Name"),
        alt.Tooltip("stance:N", title="Stance"),
        alt.Tooltip("class:N", title=lens.name),
        alt.Tooltip("power:Q", title="Power"),
        alt.Tooltip("interest:Q", title="Interest"),
    ]
    if details:
        tooltip += [
            alt.Tooltip("group:N", title="Group"),
            alt.Tooltip("role:N", title="Role"),
            alt.Tooltip("decision:N", title="Decision role"),
        ]
    if lens.name == "Spectrum of allies":
        tooltip.append(alt.Tooltip("move:N", title="Move one wedge"))
    focused = rows[rows["focus"]]
    dim = 0.35 if not focused.empty else 1.0
    stance = list(STANCE_COLOURS)[::-1]
    layers.append(
        alt.Chart(rows)
        .transform_calculate(size_k=f"(({bare}) ? datum.bare : datum.size) * {K} * {K}")
        .mark_point(filled=True, stroke="#000", strokeWidth=1, yOffset=lifted)
        .encode(
            x=x("x"),
            y=y("y"),
            color=alt.Color(
                "stance:N",
                title="Stance",
                scale=alt.Scale(domain=stance, range=[STANCE_COLOURS[s] for s in stance]),
            ),
            shape=alt.Shape(
                "stance:N",
                title="Stance",
                scale=alt.Scale(domain=stance, range=[STANCE_SHAPES[s] for s in stance]),
            ),
            size=alt.Size("size_k:Q", scale=None),
            opacity=alt.condition("datum.focus", alt.value(1.0), alt.value(dim)),
            tooltip=tooltip,
        )
        .add_params(alt.selection_point(name=PICK, fields=["key"], on="click"))
    )
    if not focused.empty:
        layers.append(
            alt.Chart(focused)
            .transform_calculate(ring_k=ring_k)
            .mark_point(**ring, strokeWidth=3)
            .encode(x=x("x"), y=y("y"), size=ring_size)
        )
    if geo["font"]:
        for subset, weight, opacity in (
            (rows[~rows["focus"]], "normal", dim),
            (focused, "bold", 1.0),
        ):
            if subset.empty:
                continue
            layers.append(
                alt.Chart(subset)
                .transform_calculate(font_k=f"datum.font * {K}")
                .mark_text(
                    baseline="top",
                    fontWeight=weight,
                    color="#000",
                    opacity=opacity,
                    yOffset=_k(slot_layout(geo)["label_top"]),
                    limit=_k(max(10.0, geo["slot_w"] - 2)),
                )
                .encode(
                    x=x("x"),
                    y=y("y"),
                    text="label:N",
                    size=alt.Size("font_k:Q", scale=None),
                    # a name smaller than this is noise: the list under the chart holds it
                    opacity=alt.condition(
                        f"!({bare}) && datum.font_k >= {MIN_LABEL_PHONE_PX}",
                        alt.value(opacity),
                        alt.value(0),
                    ),
                )
            )
    plot_w, plot_h = plot_size(lens, style)
    scale = alt.param(
        name=K, expr=f"clamp(min(width / {plot_w:.0f}, height / {plot_h:.0f}), 0.4, 2.5)"
    )
    return (
        alt.layer(*layers, data=chart_table(rows, lens.name, details))
        .add_params(scale)
        .properties(
            width="container",
            # presenting, the page's CSS gives the chart the screen's height
            height="container" if style.presenter else style.height,
            title=""
            if style.presenter
            else alt.Title(
                lens.name,
                fontSize=style.font + 4,
                color="#000",
                anchor="start",
            ),
            # presenting there is no title: keep its band free for Streamlit's chart toolbar
            padding={"top": _TOOLBAR_PX if style.presenter else 5} | _PADDING,
        )
        .configure_legend(
            orient="right" if style.presenter else "bottom",
            # presenting, one column on the right (one row there took half the screen's width);
            # below the chart one row where it fits, on a phone three columns, or "Blocker"
            # was cut off
            columns=1 if style.presenter else alt.ExprRef(expr=f"width < {_LEGEND_ROW_PX} ? 3 : 0"),
            labelFontSize=style.font,
            titleFontSize=style.font,
            symbolSize=12 * style.font,
            labelColor="#000",
            titleColor="#000",
        )
        .configure_view(stroke=None)
    )
