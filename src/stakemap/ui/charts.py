"""The Map page's charts and panels: Altair lens charts, the person pane, presenter mode.

Markers are coloured by stance with the Okabe-Ito colour-blind-safe palette (Okabe & Ito,
"Color Universal Design", 2008) and shaped by stance too, so stance reads without colour.
Positions come from :func:`stakemap.lenses.lens_view`; a click is a point selection on the
field ``key`` that :func:`stakemap.lenses.selected_person` turns into a name.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import altair as alt
import pandas as pd
import streamlit as st

from stakemap import lenses
from stakemap.lenses import LensView
from stakemap.model import (
    DECISION_ROLES,
    ENGAGEMENT_LEVELS,
    STANCE_COLOURS,
    STANCE_LABELS,
    StakeholderMap,
)
from stakemap.ui.text import inert

__all__ = [
    "PICK",
    "SIZE_BY",
    "STANCE_COLOURS",
    "STANCE_SHAPES",
    "ChartStyle",
    "MapControls",
    "chart_rows",
    "class_table",
    "engagement_table",
    "focus_person",
    "lens_chart",
    "map_controls",
    "person_details",
    "plot_size",
    "presenter_style",
    "show_lens_chart",
    "show_lists",
    "view_for",
]

#: Name of the chart's point-selection parameter.
PICK = "pick"
STANCE_SHAPES: dict[str, str] = {
    "Blocker": "triangle-down",
    "Critic": "diamond",
    "Neutral": "circle",
    "Supporter": "square",
    "Champion": "triangle-up",
}
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
    "class",
    "power",
    "interest",
    "focus",
    "move",
    "group",
    "role",
)
#: The chart parameter that scales every pixel size from the nominal plot to the real one.
K = "k"
#: Average glyph width of the chart font, in em (used to fit a label in its slot).
_CHAR_EM = 0.58
_ANONYMISE_LABELS = {"names": "Names", "initials": "Initials", "letters": "Stakeholder A, B, ..."}


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

    @property
    def title_px(self) -> int:
        """Room above a region for its title and its strategy line."""
        return 2 * self.font + 14

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
    presenter mode the chart grows (up to twice its height) until the names fit at 9 px or
    more; the presenter chart keeps the screen's height.
    """
    lens = lenses.LENSES[lens_name]
    lengths = sorted(len(label) for label in (labels or {n: n for n in m.names}).values())
    long = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 10
    slot_aspect = min(5.0, max(1.2, _CHAR_EM * long / 2.2))
    heights = [style.height] if style.presenter else [style.height * k for k in (1, 1.3, 1.6, 2)]
    for height in heights:
        tried = replace(style, height=round(height))
        plot = plot_size(lens, tried)
        view = lenses.lens_view(
            m, lens_name, names, plot=plot, title_px=tried.title_px, slot_aspect=slot_aspect
        )
        if _geometry(view, tried)["font"] >= 9:
            break
    return view, tried


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
    moves = lenses.spectrum_moves(m) if lens.name == "Spectrum of allies" else {}
    rows = []
    for s in m.stakeholders:
        if s.name not in view.placement.xy:
            continue
        x, y = view.placement.xy[s.name]
        value = getattr(s, size_by) if size_by else None
        share = 0.8 if size_by is None else 0.6 + 0.4 * (min(5, max(1, value or 1)) - 1) / 4
        label = labels[s.name]
        rows.append(
            {
                "key": label,
                "label": label,
                # shrink a long label to fit its slot rather than cut it (down to 8 px)
                "font": min(font, max(8.0, (slot_w - 4) / (_CHAR_EM * max(1, len(label))))),
                "x": x,
                "y": y,
                "stance": s.stance_label,
                "size": math.pi / 4 * (dmax * share) ** 2,
                "ring": math.pi / 4 * (dmax + 8) ** 2,
                "class": view.classes[s.name],
                "power": s.power,
                "interest": s.interest,
                "focus": s.name == focus,
                "move": moves.get(s.name, ""),
                "group": s.group,
                "role": s.decision_role,
            }
        )
    return pd.DataFrame(rows, columns=list(_ROW_COLUMNS)), geo


def _geometry(view: LensView, style: ChartStyle) -> dict[str, float]:
    """Pixel sizes in a slot: label ``font`` (0: too crowded for labels), largest marker
    diameter ``dmax``, the ``lift`` of a marker above the slot centre (room for its label)
    and the slot width ``slot_w``."""
    lens = view.lens
    plot_w, plot_h = plot_size(lens, style)
    slot_w = view.placement.w * plot_w / (lens.cols[1] - lens.cols[0] + 1)
    slot_h = view.placement.h * plot_h / view.height
    font = min(float(style.font), (slot_h - 4) * 0.5)
    font = font if font >= 8 and slot_w >= 28 else 0.0
    dmax = max(4.0, min(slot_w - 3, slot_h - (font + 3 if font else 0) - 3, 4 * style.font))
    lift = (font + 2) / 2 if font else 0.0
    return {"font": font, "dmax": dmax, "lift": lift, "slot_w": slot_w}


def _k(px: float) -> alt.ExprRef:
    """A pixel size scaled with the real plot: sized for the nominal plot, every marker and
    label grows and shrinks with the chart, so the slots still hold them at any screen size."""
    return alt.expr(f"{px:.2f} * {K}")


def _region_frame(view: LensView, style: ChartStyle) -> pd.DataFrame:
    """Background rectangles (the lens's regions, or plain cells) with their titles."""
    lens = view.lens
    regions = view.regions or tuple(
        lenses.Region("", (c, c), (r, r))
        for c in range(lens.cols[0], lens.cols[1] + 1)
        for r in range(lens.rows[0], lens.rows[1] + 1)
    )
    px_x = plot_size(lens, style)[0] / (lens.cols[1] - lens.cols[0] + 1)
    columns = ["x0", "x1", "y0", "y1", "kind", "title", "subtitle", "limit"]
    rows = []
    for r in regions:
        x0, x1, y0, y1 = view.box(r)
        limit = round((x1 - x0) * px_x - 12)
        rows.append((x0, x1, y0, y1, r.kind, r.title, r.subtitle, limit))
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
    the point selection :data:`PICK` on the field ``key``.

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
        layers.append(
            alt.Chart(group)
            .mark_text(**text, dy=_k(9 + style.font), fontSize=_k(style.font - 1), limit=_k(limit))
            .encode(x=x("x0"), y=y("y1"), text="subtitle:N")
        )
    lift = -geo["lift"]
    ring = {"shape": "circle", "filled": False, "color": "#000", "yOffset": _k(lift)}
    ring_size = alt.Size("ring_k:Q", scale=None)
    targets = rows[rows["class"].isin(list(_TARGET_DASH))] if lens.name == "Power map" else None
    if targets is not None and not targets.empty:
        layers.append(
            alt.Chart(targets)
            .transform_calculate(ring_k=f"datum.ring * {K} * {K}")
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
        tooltip += [alt.Tooltip("group:N", title="Group"), alt.Tooltip("role:N", title="Role")]
    if lens.name == "Spectrum of allies":
        tooltip.append(alt.Tooltip("move:N", title="Move one wedge"))
    focused = rows[rows["focus"]]
    dim = 0.35 if not focused.empty else 1.0
    stance = list(STANCE_COLOURS)[::-1]
    layers.append(
        alt.Chart(rows)
        .transform_calculate(size_k=f"datum.size * {K} * {K}")
        .mark_point(filled=True, stroke="#000", strokeWidth=1, yOffset=_k(lift))
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
            .transform_calculate(ring_k=f"datum.ring * {K} * {K}")
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
                    yOffset=_k(geo["dmax"] / 2 + 1 + lift),
                    limit=_k(max(10.0, geo["slot_w"] - 2)),
                )
                .encode(x=x("x"), y=y("y"), text="label:N", size=alt.Size("font_k:Q", scale=None))
            )
    plot_w, plot_h = plot_size(lens, style)
    scale = alt.param(
        name=K, expr=f"clamp(min(width / {plot_w:.0f}, height / {plot_h:.0f}), 0.4, 2.5)"
    )
    return (
        alt.layer(*layers)
        .add_params(scale)
        .properties(
            width="container",
            # presenting, the page's CSS gives the chart the screen's height
            height="container" if style.presenter else style.height,
            title=""
            if style.presenter
            else alt.Title(lens.name, fontSize=style.font + 4, color="#000", anchor="start"),
        )
        .configure_legend(
            orient="right" if style.presenter else "bottom",
            labelFontSize=style.font,
            titleFontSize=style.font,
            symbolSize=12 * style.font,
            labelColor="#000",
            titleColor="#000",
        )
        .configure_view(stroke=None)
    )


# ---------------------------------------------------------------- lists under the chart


def class_table(m: StakeholderMap, lens_name: str) -> pd.DataFrame:
    """The lens's classes in order with strategy, head count, total power and names."""
    return pd.DataFrame(
        [
            {
                "Class": c.name,
                "Strategy": c.strategy,
                "People": len(c.people),
                "Power": c.power,
                "Names": ", ".join(c.people),
            }
            for c in lenses.class_summary(m, lens_name)
        ],
        columns=["Class", "Strategy", "People", "Power", "Names"],
    )


def engagement_table(m: StakeholderMap) -> pd.DataFrame:
    """The PMBOK engagement assessment matrix: C (current) and D (desired) per person."""
    rows = []
    for name, cell in lenses.engagement_matrix(m).items():
        row: dict[str, object] = {"Name": name}
        for level in ENGAGEMENT_LEVELS:
            marks = [t for t, lv in (("C", cell.current), ("D", cell.desired)) if lv == level]
            row[level] = " ".join(marks)
        row["Gap"] = cell.gap
        rows.append(row)
    return pd.DataFrame(rows, columns=["Name", *ENGAGEMENT_LEVELS, "Gap"])


def _highlight_gaps(row: pd.Series) -> list[str]:
    colour = "background-color: #FCE4D2" if row["Gap"] > 0 else ""
    return [colour] * len(row)


def show_lists(m: StakeholderMap, lens_name: str) -> None:
    """The list beside the chart: classes with their people, plus the lens's own table."""
    st.dataframe(class_table(m, lens_name), hide_index=True, width="stretch")
    if lens_name == "Engagement assessment matrix":
        st.caption("Engagement assessment matrix (PMBOK): C current, D desired; gaps shaded.")
        table = engagement_table(m)
        st.dataframe(table.style.apply(_highlight_gaps, axis=1), hide_index=True, width="stretch")
    elif lens_name == "Spectrum of allies":
        moves = lenses.spectrum_moves(m)
        wedges = lenses.spectrum(m)
        st.dataframe(
            pd.DataFrame(
                {
                    "Name": list(moves),
                    "Wedge": [wedges[n] for n in moves],
                    "Move one wedge": list(moves.values()),
                }
            ),
            hide_index=True,
            width="stretch",
        )


# ---------------------------------------------------------------- controls and panes


@dataclass(frozen=True)
class MapControls:
    """What the user chose above the chart."""

    lens: str
    size_by: str | None
    shown: list[str]
    presenter: bool
    anonymise: str


_FOCUS = "map_focus"
_CHART = "map_chart"


def _set_focus(name: str | None) -> None:
    st.session_state[_FOCUS] = name


def _on_search() -> None:
    _set_focus(st.session_state.get("map_search"))


def _on_pick(keys: Mapping[str, str]) -> None:
    event = st.session_state.get(_CHART) or {}
    _set_focus(lenses.selected_person(event.get("selection"), keys, PICK))


def map_controls(m: StakeholderMap) -> MapControls:
    """Lens, size, search and the presenter switch in a row; the group, stance and
    decision-role filters in an expander, open while one is set. Presenting, the anonymise
    choice takes the size's place and the size moves into the expander."""
    presenter = bool(st.session_state.get("map_presenter", False))
    top = st.columns([3, 3, 3, 2] if presenter else [3, 2, 3, 2], vertical_alignment="bottom")
    lens = top[0].selectbox("Lens", lenses.LENS_NAMES, key="map_lens")
    active = any(st.session_state.get(k) for k in ("map_groups", "map_stances", "map_roles"))
    more = st.expander("Size and filters" if presenter else "Filters", expanded=active)
    size_by = SIZE_BY[
        (more if presenter else top[1]).selectbox("Size by", list(SIZE_BY), key="map_size")
    ]
    anonymise = "names"
    if presenter:
        anonymise = top[1].selectbox(
            "Anonymise",
            lenses.ANONYMISE_MODES,
            format_func=_ANONYMISE_LABELS.__getitem__,
            key="map_anonymise",
        )
    labels = lenses.anonymise(m.names, anonymise)
    top[-2].selectbox(
        "Search",
        m.names,
        index=None,
        format_func=labels.__getitem__,
        placeholder="Search a person",
        key="map_search",
        on_change=_on_search,
    )
    top[-1].toggle("Presenter mode", key="map_presenter")
    with more:
        cols = st.columns(3)
        groups = cols[0].multiselect(
            "Group",
            sorted({s.group for s in m.stakeholders}),
            format_func=lambda g: g or "(no group)",
            key="map_groups",
        )
        stances = cols[1].multiselect(
            "Stance",
            list(STANCE_LABELS),
            format_func=STANCE_LABELS.__getitem__,
            key="map_stances",
        )
        roles = cols[2].multiselect(
            "Decision role",
            ["", *DECISION_ROLES],
            format_func=lambda r: r or "(none)",
            key="map_roles",
        )
    shown = lenses.filter_names(m, groups, stances, roles)
    return MapControls(lens, size_by, shown, presenter, anonymise)


def focus_person(m: StakeholderMap) -> str | None:
    """The person clicked or searched, if still on the map."""
    name = st.session_state.get(_FOCUS)
    return name if name in m.names else None


def show_lens_chart(m: StakeholderMap, controls: MapControls, focus: str | None) -> None:
    """Draw the chosen lens; a click on a marker focuses that person (see :func:`_on_pick`)."""
    style = ChartStyle.for_mode(controls.presenter, narrow=focus is not None)
    labels = lenses.anonymise(m.names, controls.anonymise)
    view, style = view_for(m, controls.lens, controls.shown, style, labels)
    chart = lens_chart(
        view, m, labels, controls.size_by, focus, style, details=controls.anonymise == "names"
    )
    keys = {label: name for name, label in labels.items()}
    st.altair_chart(
        chart,
        width="stretch",
        height="stretch" if style.presenter else "content",
        key=_CHART,
        on_select=lambda: _on_pick(keys),
        selection_mode=PICK,
    )
    if controls.lens == "Power map":
        st.caption(
            "Solid ring: primary target (decides). Dashed ring: secondary target "
            "(influences a primary target)."
        )
    hidden = len(m.stakeholders) - len(controls.shown)
    if hidden:
        st.caption(f"{hidden} of {len(m.stakeholders)} people hidden by the filters.")


def _apply(m: StakeholderMap, name: str, save: Callable[..., bool], changes: dict) -> None:
    edit = lenses.edit_person(m, name, **changes)
    if edit is not None:
        save(*edit)


def _apply_widget(
    m: StakeholderMap, name: str, save: Callable[..., bool], field: str, key: str
) -> None:
    _apply(m, name, save, {field: st.session_state[key]})


def person_details(
    m: StakeholderMap, name: str, version: object, save: Callable[..., bool], lens_name: str
) -> None:
    """The focused person beside the chart, with quick edits that autosave via ``save``."""
    s = m.get(name)
    if s is None:
        return
    st.subheader(inert(s.name))
    facts = [s.role, s.group, s.decision_role]
    st.caption(inert(" · ".join(f for f in facts if f)) or "No role or group")
    lens = lenses.LENSES[lens_name]
    cls = lens.classify(m)[name]
    st.markdown(f"**{inert(cls)}**: {inert(lens.strategy(cls))}")
    if lens_name == "Spectrum of allies":
        st.markdown(inert(lenses.spectrum_moves(m)[name]))
    st.markdown(f"Stance: **{inert(s.stance_label)}**")
    minus, plus = st.columns(2)
    minus.button(
        "stance -1",
        disabled=s.stance <= -2,
        width="stretch",
        key=f"map_minus_{name}",
        on_click=_apply,
        args=(m, name, save, {"stance": s.stance - 1}),
    )
    plus.button(
        "stance +1",
        disabled=s.stance >= 2,
        width="stretch",
        key=f"map_plus_{name}",
        on_click=_apply,
        args=(m, name, save, {"stance": s.stance + 1}),
    )
    for field in ("power", "interest"):
        key = f"map_{field}_{version}_{name}"
        st.number_input(
            field.capitalize(),
            min_value=1.0,
            max_value=5.0,
            step=0.5,
            format="%.1f",
            value=float(getattr(s, field)),
            key=key,
            on_change=_apply_widget,
            args=(m, name, save, field, key),
        )
    key = f"map_notes_{version}_{name}"
    st.text_area(
        "Notes", value=s.notes, key=key, on_change=_apply_widget, args=(m, name, save, "notes", key)
    )
    st.button("Close", key="map_close", on_click=_set_focus, args=(None,))


_PRESENTER_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
html, body, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"] {
  font-size: 22px !important; background: #FFFFFF !important; color: #000000 !important;
}
[data-testid="stMainBlockContainer"] {
  max-width: 100% !important; padding: 0.5rem 1.5rem 1rem 1.5rem !important;
}
[data-testid="stMain"] p, [data-testid="stMain"] label, [data-testid="stMain"] span,
[data-testid="stMain"] div[data-baseweb="select"] * { font-size: 22px !important; color: #000; }
[data-testid="stExpander"] summary * { font-size: 20px !important; }
[data-testid="stVegaLiteChart"] { height: calc(100vh - 250px) !important; min-height: 540px; }
</style>
"""


def presenter_style() -> None:
    """Projector styling: 22 px base font, black on white, sidebar and header hidden.

    The CSS is a constant: no user text is ever part of it.
    """
    st.markdown(_PRESENTER_CSS, unsafe_allow_html=True)
