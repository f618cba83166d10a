"""What the room sees on the projector and, between rounds, on the phones: a lens, the network
or the plan step by step. On the projector, people the lens cannot label legibly are listed
beside it, and the keyboard steps the plan and leaves full screen (:mod:`stakemap.ui.room.keys`).

Every drawing here gets the map through :func:`stakemap.lenses.people.shown_map` first, so the
anonymise switch holds wherever the room looks (projector, every phone). Charts are the Map
and Network pages' own (:mod:`stakemap.lenses.chart`, :mod:`stakemap.network.drawing`); the plan is
:func:`stakemap.planning.planner.plan` with the Plan page's phase names.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import replace

import pandas as pd
import streamlit as st

from stakemap.language import gettext as _
from stakemap.language import language, speaking
from stakemap.lenses.catalogue import LENSES
from stakemap.lenses.chart import chart_table, lens_chart
from stakemap.lenses.kinds import Lens
from stakemap.lenses.people import shown_map
from stakemap.lenses.sizing import PHONE, ChartStyle, LabelPlan, label_mode, shorter_labels
from stakemap.model import StakeholderMap
from stakemap.network import drawing, layout
from stakemap.planning import planner as coalition
from stakemap.planning.words import PHASES
from stakemap.room.sessions import WorkshopSession, WorkshopStore
from stakemap.room.view import side_font, side_lines
from stakemap.ui.mapview import show_label_notes
from stakemap.ui.text import inert

__all__ = ["PHONE_CSS", "ROOM_CSS", "room_guard", "room_view", "side_list", "watch"]

#: Projector styling beyond presenter mode's: big step cards, no chart toolbar (its buttons
#: appeared on hover). A constant, never user text.
ROOM_CSS = """
<style>
.st-key-room-steps p { font-size: 1.35rem !important; line-height: 1.4; }
.st-key-join-code p { font-size: 4.2rem !important; font-weight: 700; letter-spacing: 0.35rem;
  font-family: ui-monospace, monospace; margin: 0; }
.st-key-room-round p { font-size: 2rem !important; line-height: 1.5; }
.st-key-room-screen [data-testid="stElementToolbar"] { display: none !important; }
.st-key-room-side [data-testid="stElementContainer"] { width: 100% !important; }
.st-key-room-side [data-testid="stText"] * { line-height: inherit !important;
  font-size: inherit !important; display: inline !important; overflow: visible !important; }
.st-key-room-side [data-testid="stText"] { display: block !important; width: 100%;
  column-fill: auto; column-gap: 1em;
  height: calc(100vh - 250px); overflow: hidden; white-space: pre-wrap; line-height: 1.3; }
</style>
"""
#: The side list's font and columns, by :func:`stakemap.room.view.side_font` (numbers only).
_SIDE_CSS = """<style>.st-key-room-side [data-testid="stText"] {{ font-size: {px}px !important;
  column-count: {columns}; }}</style>"""
#: The side list's panel on a 1920x1080 projector (px): a quarter of the width, the chart's
#: height.
_SIDE_PANEL = (440, 800)
#: Phone layout (390 px): no sidebar, tight margins, full-width controls, no chart toolbar
#: (it covered the line above the chart).
PHONE_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stElementToolbar"] {
  display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 760px !important;
  padding: 0.75rem 0.9rem 3rem 0.9rem !important; }
</style>
"""


def watch(token_of: Callable[[], Hashable], seen_key: str, every: float) -> None:
    """Poll ``token_of()`` (a cheap store read) every ``every`` seconds in a fragment that
    draws nothing, and rerun the whole page when it moved: another user's change cannot
    rerun this session (DESIGN.md "Live updates"), so the page looks for itself, and a poll
    that finds nothing new costs that one read.

    Call it before the page reads what it draws: the token is taken as this run's, so a
    change made after it is found by the next poll, and this session's own change (already
    drawn by this run) does not draw the page twice."""
    st.session_state[seen_key] = token_of()

    @st.fragment(run_every=every)
    def _poll() -> None:
        token = token_of()
        if st.session_state.get(seen_key) != token:
            st.session_state[seen_key] = token
            st.rerun(scope="app")

    _poll()


# ---------------------------------------------------------------- the projected view


def room_view(
    m: StakeholderMap, session: WorkshopSession, version: int, *, phone: bool = False
) -> None:
    """The view the facilitator chose, anonymised as chosen; ``phone`` sizes it for 390 px.
    ``version`` is the map's (see :func:`_lens_chart`)."""
    room = shown_map(m, session.anonymise)
    if not room.stakeholders:
        st.info(_("The map has no people yet."))
        return
    if session.view == "network":
        _network(room, phone)
    elif session.view == "plan":
        _plan(room, session.plan_step, phone)
    elif phone:
        chart, plan, rows = _lens_chart(_chart_key(session, version, phone), room)
        st.vega_lite_chart(
            spec=chart, width="stretch", height="content", key=f"room-lens-{version}"
        )
        details = session.anonymise == "names"
        show_label_notes(plan, room, rows, session.lens, details, listed=True)
    else:
        _projected_lens(room, session, version)


def _chart_key(session: WorkshopSession, version: int, phone: bool) -> tuple:
    """What a room's lens chart depends on, its words' language included (the facilitator
    and each phone may speak their own)."""
    return (session.map_id, version, session.lens, session.anonymise, phone, language())


def _projected_lens(room: StakeholderMap, session: WorkshopSession, version: int) -> None:
    """The lens on the projector: the chart, and beside it everyone its labels leave out
    (the initials' key, or everyone by class), in a font and columns that fit the screen."""
    chart, plan, rows = _lens_chart(_chart_key(session, version, False), room)
    st.caption(inert(_(session.lens)))  # the projector's chart has no title (the phone's has)
    lens = LENSES[session.lens]
    lines = side_list(room, plan, lens)
    if not lines:
        st.vega_lite_chart(
            spec=chart, width="stretch", height="stretch", key=f"room-lens-{version}"
        )
        return
    fit = side_font(lines, *_SIDE_PANEL)
    chart_column, side = st.columns([3, 1])
    with chart_column:
        st.vega_lite_chart(
            spec=chart, width="stretch", height="stretch", key=f"room-lens-{version}"
        )
    with side, st.container(key="room-side"):
        if fit is None:
            details = session.anonymise == "names"
            st.dataframe(chart_table(rows, session.lens, details), hide_index=True, height=760)
        else:
            st.html(_SIDE_CSS.format(px=fit[0], columns=fit[1]))
            st.text("\n".join(lines))


def side_list(room: StakeholderMap, plan: LabelPlan, lens: Lens) -> list[str]:
    """The projector's side list for this chart (:func:`stakemap.room.view.side_lines`)."""
    order = [c.name for c in lens.classes]
    return side_lines(plan.mode, room.names, plan.labels, plan.view.classes, order)


@st.cache_resource(max_entries=32, show_spinner=False)
def _lens_chart(key: tuple, _room: StakeholderMap) -> tuple[dict, LabelPlan, pd.DataFrame]:
    """The lens chart, its label plan and rows, built once per (map, version, lens,
    anonymise, phone, language) in ``key``: every phone redraws on each change, and a saved
    version never changes; its words are in the key's language, whichever thread builds it.
    Labels are as large as the Map page's on the same screen
    (:func:`stakemap.lenses.sizing.label_mode`), markers too.

    The version goes into the spec (``usermeta``): measured on Streamlit 1.67, a layered
    chart whose spec is unchanged and only whose datasets changed kept its old marks in the
    browser, so a moved person did not move on the phones."""
    _map_id, version, lens_name, mode, phone, lang = key
    with speaking(lang):
        return _draw_lens_chart(_room, version, lens_name, mode, phone)


def _draw_lens_chart(
    _room: StakeholderMap, version: int, lens_name: str, mode: str, phone: bool
) -> tuple[dict, LabelPlan, pd.DataFrame]:
    style = PHONE if phone else ChartStyle.for_mode(True)
    labels = {n: n for n in _room.names}  # the room's names are its labels already
    plan = label_mode(_room, lens_name, _room.names, style, labels, shorter_labels(labels, mode))
    details = mode == "names"
    chart, rows = lens_chart(plan.view, _room, plan.labels, "power", None, plan.style, details)
    chart["usermeta"] = chart.get("usermeta", {}) | {"stakemap_version": version}
    # five stance symbols in a row do not fit 390 px: three a row under the chart
    if phone:
        chart["config"]["legend"] |= {"orient": "bottom", "columns": 3}
    return chart, plan, rows


def _network(room: StakeholderMap, phone: bool) -> None:
    positions = layout.complete_positions(room)
    st.iframe(drawing.network_html(room, positions), height=420 if phone else 820)


def _plan(room: StakeholderMap, shown: int, phone: bool) -> None:
    p = coalition.plan(room)
    steps = p.steps[:shown]
    st.markdown(
        _("**{title}**: {verdict}; {shown} of {n} steps shown.").format(
            title=inert(room.proposal.title or _("The proposal")),
            verdict=inert(p.verdict),
            shown=len(steps),
            n=len(p.steps),
        )
    )
    with st.container(key="room-steps"):
        for step in steps:
            title, _purpose = PHASES[step.phase]
            st.markdown(
                _("**{order}. {name}** · {phase} · for it after: {standing}  \n{reason}").format(
                    order=step.order,
                    name=inert(step.name),
                    phase=_(title),
                    standing=inert(step.standing),
                    reason=inert(step.reason),
                )
            )
    if not steps:
        st.caption(_("The plan is revealed step by step."))


def room_guard(ws: WorkshopStore, map_id: int, m: StakeholderMap, version: int, view: str) -> bool:
    """While a session on this map anonymises the room, draw the page's view anonymised and
    read-only instead of the editable page (whose names would reach the projector); True
    when it did. Editing pages are back once Anonymise is set to Names on the Workshop page."""
    session = ws.open_for_map(map_id)
    if session is None or session.anonymise == "names":
        return False
    st.info(_("Anonymised for the workshop: read-only. Set Anonymise to Names to edit."))
    room_view(m, replace(session, view=view, plan_step=10_000), version)
    return True
