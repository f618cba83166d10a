"""The Map page's controls and panes: lens picker and filters, the chart, the person pane,
the lists under the chart and presenter mode.

The chart itself is drawn by :mod:`stakemap.lenses.chart`; a click on a marker arrives as the
chart's selection and :func:`stakemap.lenses.people.selected_person` turns it into a name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from stakemap.language import N_, ngettext, pgettext
from stakemap.language import gettext as _
from stakemap.lenses import catalogue, people
from stakemap.lenses.chart import PICK, SIZE_BY, chart_table, lens_chart
from stakemap.lenses.sizing import (
    ChartStyle,
    LabelPlan,
    initials_key,
    label_mode,
    names_left_off_on_a_phone,
    shorter_labels,
)
from stakemap.model import (
    DECISION_ROLES,
    ENGAGEMENT_LEVELS,
    STANCE_LABELS,
    StakeholderMap,
    people_basis,
)
from stakemap.ui.language import shown_as
from stakemap.ui.progress import show_log
from stakemap.ui.rating import not_rated_panel
from stakemap.ui.session import Current, per_basis, revision
from stakemap.ui.text import inert
from stakemap.values import cell_text

__all__ = [
    "MapControls",
    "class_table",
    "engagement_table",
    "focus_person",
    "label_plan",
    "map_controls",
    "person_details",
    "presenter_style",
    "show_label_notes",
    "show_lens_chart",
    "show_lists",
]

_ANONYMISE_LABELS = {
    "names": N_("Names"),
    "initials": N_("Initials"),
    "letters": N_("Stakeholder A, B, ..."),
}


# ---------------------------------------------------------------- lists under the chart


def class_table(m: StakeholderMap, lens_name: str, names: list[str] | None = None) -> pd.DataFrame:
    """The lens's classes in order with strategy, head count, total power and names; with
    ``names``, only those people (the ones the filters show) are listed and counted. Headers
    and words are in the language in force."""
    columns = [_("Class"), _("Strategy"), pgettext("head count", "People"), _("Power"), _("Names")]
    return pd.DataFrame(
        [
            (_(c.name), _(c.strategy), len(c.people), c.power, ", ".join(c.people))
            for c in people.class_summary(m, lens_name, names)
        ],
        columns=columns,
    )


def engagement_table(m: StakeholderMap, names: list[str] | None = None) -> pd.DataFrame:
    """The PMBOK engagement assessment matrix: C (current) and D (desired) per person; no D
    and no gap for someone with no target stance set. Headers are in the language in force."""
    shown = set(m.names if names is None else names)
    levels, gap = [_(level) for level in ENGAGEMENT_LEVELS], _("Gap")
    rows = []
    for name, cell in catalogue.engagement_matrix(m).items():
        if name not in shown:
            continue
        row: dict[str, object] = {_("Name"): name}
        for level, shown_level in zip(ENGAGEMENT_LEVELS, levels, strict=True):
            marks = [t for t, lv in (("C", cell.current), ("D", cell.desired)) if lv == level]
            row[shown_level] = " ".join(marks)
        row[gap] = cell.gap
        rows.append(row)
    table = pd.DataFrame(rows, columns=[_("Name"), *levels, gap])
    return table.astype({gap: "Int64"})  # a blank gap stays blank, not NaN


def _highlight_gaps(row: pd.Series) -> list[str]:
    value = row[_("Gap")]
    colour = "background-color: #FCE4D2" if pd.notna(value) and value > 0 else ""
    return [colour] * len(row)


def show_lists(m: StakeholderMap, lens_name: str, names: list[str] | None = None) -> None:
    """The lists under the chart: who the lens cannot place for a blank, with a form to rate
    them (:func:`stakemap.ui.rating.not_rated_panel`), then the classes with their people,
    plus the lens's own table.

    The class list is a static table whose long strategies and name lists wrap; its text is
    made inert (a static table renders markdown). ``names`` limits the lists to the people
    the filters show.
    """
    not_rated_panel(m, lens_name, names)
    table = class_table(m, lens_name, names)
    for column in (_("Class"), _("Strategy"), _("Names")):
        table[column] = table[column].map(inert)
    table[_("Power")] = table[_("Power")].map("{:g}".format)
    st.table(table, hide_index=True)
    shown = set(m.names if names is None else names)
    if lens_name == "Engagement assessment matrix":
        st.caption(_("Engagement assessment matrix (PMBOK): C current, D desired; gaps shaded."))
        matrix = engagement_table(m, names)
        st.dataframe(matrix.style.apply(_highlight_gaps, axis=1), hide_index=True, width="stretch")
    elif lens_name == "Spectrum of allies":
        moves = {n: move for n, move in catalogue.spectrum_moves(m).items() if n in shown}
        wedges = catalogue.spectrum(m)
        move = _("Move one wedge")
        st.dataframe(
            pd.DataFrame(
                {
                    _("Name"): list(moves),
                    _("Wedge"): [_(wedges[n]) for n in moves],
                    move: list(moves.values()),
                }
            ),
            hide_index=True,
            width="stretch",
            column_config={move: st.column_config.TextColumn(width="large")},
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


def _on_pick(keys: Mapping[str, str], chart_key: str) -> None:
    event = st.session_state.get(chart_key) or {}
    _set_focus(people.selected_person(event.get("selection"), keys, PICK))


def map_controls(m: StakeholderMap) -> MapControls:
    """Lens, size, search and the presenter switch in a row; the group, stance and
    decision-role filters in an expander, open while one is set. Presenting, the anonymise
    choice takes the size's place and the size moves into the expander."""
    presenter = bool(st.session_state.get("map_presenter", False))
    top = st.columns([3, 3, 3, 2] if presenter else [3, 2, 3, 2], vertical_alignment="bottom")
    lens = top[0].selectbox(
        _("Lens"), catalogue.LENS_NAMES, format_func=shown_as(catalogue.LENS_NAMES), key="map_lens"
    )
    active = any(st.session_state.get(k) for k in ("map_groups", "map_stances", "map_roles"))
    more = st.expander(_("Size and filters") if presenter else _("Filters"), expanded=active)
    size_by = SIZE_BY[
        (more if presenter else top[1]).selectbox(
            _("Size by"), list(SIZE_BY), format_func=shown_as(SIZE_BY), key="map_size"
        )
    ]
    anonymise = "names"
    if presenter:
        anonymise = top[1].selectbox(
            _("Anonymise"),
            people.ANONYMISE_MODES,
            format_func=shown_as(people.ANONYMISE_MODES, lambda mode: _(_ANONYMISE_LABELS[mode])),
            key="map_anonymise",
        )
    labels = people.anonymise(m.names, anonymise)
    top[-2].selectbox(
        _("Search"),
        m.names,
        index=None,
        format_func=labels.__getitem__,
        placeholder=_("Search a person"),
        key="map_search",
        on_change=_on_search,
    )
    top[-1].toggle(_("Presenter mode"), key="map_presenter")
    with more:
        cols = st.columns(3)
        groups = cols[0].multiselect(
            _("Group"),
            all_groups := sorted({s.group for s in m.stakeholders}),
            format_func=shown_as(all_groups, lambda g: g or _("(no group)")),
            key="map_groups",
            placeholder=_("All groups"),
        )
        stances = cols[1].multiselect(
            _("Stance"),
            list(STANCE_LABELS),
            format_func=shown_as(STANCE_LABELS, lambda v: _(STANCE_LABELS[v])),
            key="map_stances",
            placeholder=_("All stances"),
        )
        roles = cols[2].multiselect(
            _("Decision role"),
            ["", *DECISION_ROLES],
            format_func=shown_as(["", *DECISION_ROLES], lambda r: _(r) if r else _("(none)")),
            key="map_roles",
            placeholder=_("All decision roles"),
        )
    shown = people.filter_names(m, groups, stances, roles)
    return MapControls(lens, size_by, shown, presenter, anonymise)


def focus_person(m: StakeholderMap) -> str | None:
    """The person clicked or searched, if still on the map."""
    name = st.session_state.get(_FOCUS)
    return name if name in m.names else None


def label_plan(cur: Current, controls: MapControls, style: ChartStyle) -> LabelPlan:
    """:func:`stakemap.lenses.sizing.label_mode` for this lens, style, labels and people shown,
    worked out once per :func:`~stakemap.model.people_basis` (0.2-0.5 s at 2,000
    people): a click on a person, a search, a return to a lens or a version that changed only
    notes reruns the page with the same layout."""
    shown = hashlib.blake2b("\0".join(controls.shown).encode(), digest_size=16).hexdigest()
    kind = f"label-plan-{controls.lens}-{controls.anonymise}-{style!r}-{shown}"

    def plan(c: Current) -> LabelPlan:
        chosen = people.anonymise(c.data.names, controls.anonymise)
        short = shorter_labels(chosen, controls.anonymise)
        return label_mode(c.data, controls.lens, controls.shown, style, chosen, short)

    return per_basis(kind, cur, plan, people_basis)


def show_lens_chart(cur: Current, controls: MapControls, focus: str | None) -> None:
    """Draw the chosen lens; a click on a marker focuses that person (see :func:`_on_pick`).

    Labels are as large as the screen needs (:func:`stakemap.lenses.sizing.label_mode`): names,
    else initials with a key under the chart, else none and a readable list (presenting; on
    the page the class list below holds the names). A caption says which.
    """
    m = cur.data
    plan = label_plan(cur, controls, ChartStyle.for_mode(controls.presenter, focus is not None))
    view, style, labels = plan.view, plan.style, plan.labels
    details = controls.anonymise == "names"
    chart, rows = lens_chart(view, m, labels, controls.size_by, focus, style, details)
    keys = {label: name for name, label in labels.items()}
    # Keyed by the saved version: a keyed chart keeps its element identity, and the browser
    # kept drawing the old data after a save from the person pane until the layout changed.
    chart_key = f"{_CHART}-{revision()}"
    st.vega_lite_chart(
        spec=chart,
        width="stretch",
        height="stretch" if style.presenter else "content",
        key=chart_key,
        on_select=lambda: _on_pick(keys, chart_key),
        selection_mode=PICK,
    )
    show_label_notes(plan, m, rows, controls.lens, details, listed=style.presenter)
    named = plan.mode == "names" and not style.presenter
    if named and names_left_off_on_a_phone(rows, view.lens, style):
        st.caption(
            _(
                "On a narrow screen, names too small to read are left off the chart: the list "
                "below holds everyone, and a tap on a marker opens the person."
            )
        )
    if controls.lens == "Power map":
        st.caption(
            _(
                "Solid ring: primary target (decides). Dashed ring: secondary target "
                "(influences a primary target)."
            )
        )
    if controls.size_by:
        shown = set(controls.shown)
        blank = sum(getattr(s, controls.size_by) is None for s in m.stakeholders if s.name in shown)
        if blank:
            st.caption(
                ngettext(
                    "Sized by {field}: {n} of the people shown has it blank, drawn at the "
                    "smallest size.",
                    "Sized by {field}: {n} of the people shown have it blank, drawn at the "
                    "smallest size.",
                    blank,
                ).format(field=people.field_word(controls.size_by), n=blank)
            )
    hidden = len(m.stakeholders) - len(controls.shown)
    if hidden:
        st.caption(
            ngettext(
                "{n} of {total} people hidden by the filters.",
                "{n} of {total} people hidden by the filters.",
                hidden,
            ).format(n=hidden, total=len(m.stakeholders))
        )


def _label_note(mode: str, presenter: bool, listed: bool) -> str:
    """What a chart's labels leave out (one whole sentence a case), or "" with names."""
    if mode == "initials":
        return (
            _(
                "Too many people for readable names on this projector: the chart shows "
                "initials, and the key below gives each one's name."
            )
            if presenter
            else _(
                "Too many people for readable names on this chart: the chart shows initials, "
                "and the key below gives each one's name."
            )
        )
    if mode == "letters":
        return (
            _(
                "Too many people for readable labels on this projector: the chart shows the "
                "letters alone (AB is Stakeholder AB)."
            )
            if presenter
            else _(
                "Too many people for readable labels on this chart: the chart shows the "
                "letters alone (AB is Stakeholder AB)."
            )
        )
    if mode != "list":
        return ""
    if listed:
        return (
            _(
                "Too many people for readable labels on this projector: the chart shows "
                "markers only, and the list below holds everyone."
            )
            if presenter
            else _(
                "Too many people for readable labels on this chart: the chart shows markers "
                "only, and the list below holds everyone."
            )
        )
    return (
        _(
            "Too many people for readable labels on this projector: the chart shows markers "
            "only, and the lists below hold everyone; a click on a marker opens the person."
        )
        if presenter
        else _(
            "Too many people for readable labels on this chart: the chart shows markers only, "
            "and the lists below hold everyone; a click on a marker opens the person."
        )
    )


def show_label_notes(
    plan: LabelPlan,
    m: StakeholderMap,
    rows: pd.DataFrame,
    lens_name: str,
    details: bool,
    listed: bool,
) -> None:
    """Under a lens chart, what its labels leave out: a caption when it shows initials,
    letters or markers only, and the key to the initials or, with ``listed``, the list of
    everyone for a chart of markers only (without, the page's class lists hold them).
    ``rows`` are the chart's (:func:`stakemap.lenses.chart.chart_rows`); ``details`` False
    keeps group and role out of the list."""
    note = _label_note(plan.mode, plan.style.presenter, listed)
    if note:
        st.caption(note)
    # dataframes, never markdown: the names are user text
    if plan.mode == "initials":
        st.dataframe(initials_key(plan, m), hide_index=True, key="map_initials_key")
    elif plan.mode == "list" and listed:
        st.dataframe(
            chart_table(rows, lens_name, details),
            hide_index=True,
            width="stretch",
            key="map_people_list",
        )


def _apply(m: StakeholderMap, name: str, save: Callable[..., bool], changes: dict) -> None:
    edit = people.edit_person(m, name, **changes)
    if edit is not None:
        save(*edit)


def _apply_widget(
    m: StakeholderMap, name: str, save: Callable[..., bool], field: str, key: str
) -> None:
    value = st.session_state[key]
    _apply(m, name, save, {field: cell_text(value) if isinstance(value, str) else value})


def _rating_input(
    m: StakeholderMap, name: str, save: Callable[..., bool], field: str, key: str
) -> None:
    """A field the lens reads that may be blank, in the person pane: empty until rated, and
    saved (or set blank again) as soon as it changes."""
    value = getattr(m.get(name), field)
    label = people.field_word(field).capitalize()
    edit = {"key": key, "on_change": _apply_widget, "args": (m, name, save, field, key)}
    if field == "target_stance":
        stances = list(STANCE_LABELS)
        st.selectbox(
            label,
            stances,
            index=None if value is None else stances.index(max(-2, min(2, round(value)))),
            format_func=shown_as(stances, lambda v: _(STANCE_LABELS[v])),
            placeholder=_("Not set"),
            **edit,
        )
    else:
        st.number_input(
            label,
            min_value=1.0,
            max_value=5.0,
            step=0.5,
            format="%.1f",
            value=None if value is None else float(value),
            placeholder=_("Not rated"),
            **edit,
        )


def person_details(
    m: StakeholderMap, name: str, version: object, save: Callable[..., bool], lens_name: str
) -> None:
    """The focused person beside the chart, with quick edits that autosave via ``save``; the
    fields the lens reads that may be blank (legitimacy and urgency on the salience model)
    are among them, so someone not rated is rated here."""
    s = m.get(name)
    if s is None:
        return
    st.subheader(inert(s.name), anchor=False)  # an anchor would be a link made of the name
    facts = [s.role, s.group, _(s.decision_role) if s.decision_role else ""]
    st.caption(inert(" · ".join(f for f in facts if f)) or _("No role or group"))
    lens = catalogue.LENSES[lens_name]
    cls = lens.classify(m)[name]
    st.markdown(
        _("**{lens_class}**: {strategy}").format(
            lens_class=inert(_(cls)), strategy=inert(_(lens.strategy(cls)))
        )
    )
    if lens_name == "Spectrum of allies":
        st.markdown(inert(catalogue.spectrum_moves(m)[name]))
    st.markdown(_("Stance: **{stance}**").format(stance=inert(_(s.stance_label))))
    place = m.names.index(name)  # keys hold a place on the map, never a name (docs/pitfalls.md)
    minus, plus = st.columns(2)
    minus.button(
        _("stance -1"),
        disabled=s.stance <= -2,
        width="stretch",
        key=f"map_minus_{place}",
        on_click=_apply,
        args=(m, name, save, {"stance": s.stance - 1}),
    )
    plus.button(
        _("stance +1"),
        disabled=s.stance >= 2,
        width="stretch",
        key=f"map_plus_{place}",
        on_click=_apply,
        args=(m, name, save, {"stance": s.stance + 1}),
    )
    for field in ("power", "interest"):
        key = f"map_{field}_{version}_{place}"
        st.number_input(
            people.field_word(field).capitalize(),
            min_value=1.0,
            max_value=5.0,
            step=0.5,
            format="%.1f",
            value=float(getattr(s, field)),
            key=key,
            on_change=_apply_widget,
            args=(m, name, save, field, key),
        )
    for field in lens.needs:
        _rating_input(m, name, save, field, f"map_{field}_{version}_{place}")
    key = f"map_notes_{version}_{place}"
    st.text_area(
        _("Notes"),
        value=s.notes,
        key=key,
        on_change=_apply_widget,
        args=(m, name, save, "notes", key),
    )
    show_log(m, name, key=f"map-log-{version}")
    st.button(pgettext("button", "Close"), key="map_close", on_click=_set_focus, args=(None,))


_PRESENTER_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
html, body, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"] {
  font-size: 22px !important; background: #FFFFFF !important; color: #000000 !important;
}
[data-testid="stMainBlockContainer"] {
  max-width: 100% !important; padding: 0.25rem 1.5rem 1rem 1.5rem !important;
}
[data-testid="stMain"] p, [data-testid="stMain"] label, [data-testid="stMain"] span,
[data-testid="stMain"] div[data-baseweb="select"] * { font-size: 22px !important; color: #000; }
[data-testid="stExpander"] summary * { font-size: 20px !important; }
[data-testid="stMain"] h1, [data-testid="stMain"] h1 span {
  font-size: 26px !important; line-height: 1.3 !important; padding: 0 0 0.1rem 0 !important;
}
[data-testid="stVegaLiteChart"] { height: calc(100vh - 250px) !important; min-height: 540px; }
[data-testid="stElementContainer"]:has([data-testid="stVegaLiteChart"]) { margin-top: 0.4rem; }
[data-testid="stElementContainer"]:has([data-testid="stVegaLiteChart"])
  [data-testid="stElementToolbar"] { top: -0.5rem !important; }
</style>
"""


def presenter_style() -> None:
    """Projector styling: 22 px base font, black on white, sidebar and header hidden.

    The CSS is a constant: no user text is ever part of it.
    """
    st.html(_PRESENTER_CSS)
