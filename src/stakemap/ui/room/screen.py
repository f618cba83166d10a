"""What the room sees: the projected view (a lens, the network or the plan step by step), the
join card with its QR code, the private rating form and a round's results.

Every drawing here gets the map through :func:`stakemap.room.view.room_map` first, so the
anonymise switch holds wherever the room looks (projector, every phone). Charts are the Map
and Network pages' own (:mod:`stakemap.lenses.chart`, :mod:`stakemap.network.drawing`); the plan is
:func:`stakemap.planning.planner.plan` with the Plan page's phase names.
"""

from __future__ import annotations

import io
import socket
from dataclasses import replace
from urllib.parse import urlsplit

import altair as alt
import pandas as pd
import segno
import streamlit as st

from stakemap.lenses.chart import chart_rows, lens_chart
from stakemap.lenses.people import anonymise
from stakemap.lenses.sizing import ChartStyle, LabelPlan, label_mode, shorter_labels
from stakemap.model import StakeholderMap
from stakemap.network import drawing, layout
from stakemap.planning import planner as coalition
from stakemap.room import rounds
from stakemap.room.rounds import Item, ItemResult
from stakemap.room.sessions import Participant, Round, WorkshopSession, WorkshopStore
from stakemap.room.view import room_map
from stakemap.ui.mapview import show_label_notes
from stakemap.ui.plan import PHASES
from stakemap.ui.text import inert

__all__ = [
    "ROOM_CSS",
    "join_link",
    "qr_png",
    "rating_form",
    "results_panel",
    "room_guard",
    "room_view",
    "watch",
]

#: Projector styling beyond presenter mode's: big step cards. A constant, never user text.
ROOM_CSS = """
<style>
.st-key-room-steps p { font-size: 1.35rem !important; line-height: 1.4; }
.st-key-join-code p { font-size: 4.2rem !important; font-weight: 700; letter-spacing: 0.35rem;
  font-family: ui-monospace, monospace; margin: 0; }
</style>
"""
#: Phone layout (390 px): no sidebar, tight margins, full-width controls.
PHONE_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"] { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 760px !important;
  padding: 0.75rem 0.9rem 3rem 0.9rem !important; }
</style>
"""


def join_link(code: str) -> str:
    """The link the room opens: this server's address as the browser reached it, with the
    local-network address put in place of ``localhost`` (a phone cannot reach that)."""
    url = st.context.url or "http://localhost:8501/"
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    if host in ("localhost", "127.0.0.1", "::1"):
        host = _lan_address() or host
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme or 'http'}://{host}{port}/join?code={code}"


def _lan_address() -> str | None:
    """This machine's address on the local network (a UDP socket is pointed at a private
    address to pick the interface; nothing is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.connect(("10.255.255.255", 1))
            address = sock.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


@st.cache_data(max_entries=8, show_spinner=False)
def qr_png(text: str, scale: int = 12) -> bytes:
    """A QR code of ``text`` as PNG bytes, drawn offline by segno (pure Python)."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=scale, border=2)
    return out.getvalue()


def watch(token_of, seen_key: str, every: float) -> None:
    """Poll ``token_of()`` (a cheap store read) every ``every`` seconds in a fragment and
    rerun the whole page when it moved: another user's change cannot rerun this session
    (DESIGN.md "Live updates"), so the page looks for itself."""

    @st.fragment(run_every=every)
    def _poll() -> None:
        token = token_of()
        if st.session_state.get(seen_key) is None:
            st.session_state[seen_key] = token
        elif st.session_state[seen_key] != token:
            st.session_state[seen_key] = token
            st.rerun(scope="app")

    _poll()


# ---------------------------------------------------------------- the projected view


def room_view(
    m: StakeholderMap, session: WorkshopSession, version: int, *, phone: bool = False
) -> None:
    """The view the facilitator chose, anonymised as chosen; ``phone`` sizes it for 390 px.
    ``version`` is the map's (see :func:`_lens_chart`)."""
    room = room_map(m, session.anonymise)
    if not room.stakeholders:
        st.info("The map has no people yet.")
        return
    if session.view == "network":
        _network(room, phone)
    elif session.view == "plan":
        _plan(room, session.plan_step, phone)
    else:
        key = (session.map_id, version, session.lens, session.anonymise, phone)
        chart, plan, rows = _lens_chart(key, room)
        if not phone:  # the projector's chart has no title (the phone's has)
            st.caption(inert(session.lens))
        st.altair_chart(
            chart,
            width="stretch",
            height="content" if phone else "stretch",
            key=f"room-lens-{version}",
        )
        details = session.anonymise == "names"
        show_label_notes(plan, room, rows, session.lens, details, listed=True)


@st.cache_resource(max_entries=32, show_spinner=False)
def _lens_chart(
    key: tuple, _room: StakeholderMap
) -> tuple[alt.LayerChart, LabelPlan, pd.DataFrame]:
    """The lens chart, its label plan and rows, built once per (map, version, lens,
    anonymise, phone) in ``key``: every phone redraws on each change, and a saved version
    never changes. Labels are as large as the Map page's on the same screen
    (:func:`stakemap.lenses.sizing.label_mode`), markers too.

    The version goes into the spec (``usermeta``): measured on Streamlit 1.67, a layered
    chart whose spec is unchanged and only whose datasets changed kept its old marks in the
    browser, so a moved person did not move on the phones."""
    _map_id, version, lens_name, mode, phone = key
    style = ChartStyle(width=360, height=420, font=10) if phone else ChartStyle.for_mode(True)
    labels = {n: n for n in _room.names}  # the room's names are its labels already
    plan = label_mode(_room, lens_name, _room.names, style, labels, shorter_labels(labels, mode))
    details = mode == "names"
    chart = lens_chart(plan.view, _room, plan.labels, "power", None, plan.style, details=details)
    chart = chart.properties(usermeta={"stakemap_version": version})
    rows, _ = chart_rows(plan.view, _room, plan.labels, "power", None, plan.style)
    # five stance symbols in a row do not fit 390 px: three a row under the chart
    chart = chart.configure_legend(orient="bottom", columns=3) if phone else chart
    return chart, plan, rows


def _network(room: StakeholderMap, phone: bool) -> None:
    positions = layout.complete_positions(room)
    st.iframe(drawing.network_html(room, positions), height=420 if phone else 820)


def _plan(room: StakeholderMap, shown: int, phone: bool) -> None:
    p = coalition.plan(room)
    steps = p.steps[:shown]
    st.markdown(
        f"**{inert(room.proposal.title or 'The proposal')}**: {inert(p.verdict)}; "
        f"{len(steps)} of {len(p.steps)} steps shown."
    )
    with st.container(key="room-steps"):
        for step in steps:
            title, _ = PHASES[step.phase]
            st.markdown(
                f"**{step.order}. {inert(step.name)}** · {title} · for it after: "
                f"{inert(step.standing)}  \n{inert(step.reason)}"
            )
    if not steps:
        st.caption("The plan is revealed step by step.")


def room_guard(ws: WorkshopStore, map_id: int, m: StakeholderMap, version: int, view: str) -> bool:
    """While a session on this map anonymises the room, draw the page's view anonymised and
    read-only instead of the editable page (whose names would reach the projector); True
    when it did. Editing pages are back once Anonymise is set to Names on the Workshop page."""
    session = ws.open_for_map(map_id)
    if session is None or session.anonymise == "names":
        return False
    st.info("Anonymised for the workshop: read-only. Set Anonymise to Names to edit.")
    room_view(m, replace(session, view=view, plan_step=10_000), version)
    return True


# ---------------------------------------------------------------- rating


def _labels(m: StakeholderMap, mode: str) -> dict[str, str]:
    return anonymise(m.names, mode)


def rating_form(
    ws: WorkshopStore, p: Participant, rnd: Round, m: StakeholderMap, mode: str
) -> None:
    """One slider a question; each answer is saved as soon as it is moved (changeable until
    the round closes). Values of a previous run of the page come from the store."""
    labels = _labels(m, mode)
    mine = {a.item: a.value for a in ws.answers(rnd.id) if a.participant_id == p.id}
    st.subheader(f"Round {rnd.number}: your private ratings")
    st.caption(
        "Only the facilitator sees who answered what. Change an answer until the round closes."
    )
    done = 0
    for position, item in enumerate(rnd.items):
        if m.get(item.person) is None or (item.other and m.get(item.other) is None):
            continue
        scale = item.scale
        key = f"rate-{rnd.id}-{position}"  # a key reaches the browser: never a name in it
        options = list(range(scale.low, scale.high + 1))
        answered = item in mine
        done += answered
        st.select_slider(
            inert(item.question(labels)),
            options,
            value=mine.get(item, options[len(options) // 2]),
            format_func=lambda v, i=item: rounds.describe_value(i, v),
            key=key,
            on_change=_save_answer,
            args=(ws, p, rnd.id, item, key),
        )
        if answered:
            st.caption(f"Saved: {rounds.describe_value(item, mine[item])}")
        else:
            st.button(
                "Save this answer",
                key=f"{key}-keep",
                on_click=_save_answer,
                args=(ws, p, rnd.id, item, key),
            )
    st.caption(f"{done} of {len(rnd.items)} answered.")


def _save_answer(ws: WorkshopStore, p: Participant, round_id: int, item: Item, key: str) -> None:
    try:
        ws.answer(p, round_id, item, int(st.session_state[key]))
    except ValueError as exc:
        st.session_state["rate-problem"] = str(exc)


def results_frame(results: list[ItemResult], labels: dict[str, str]) -> pd.DataFrame:
    """The discussion agenda as a table: most disagreement first."""
    rows = []
    for r in results:
        rows.append(
            {
                "Question": r.item.question(labels),
                "Answers": r.count,
                "Median": rounds.describe_value(r.item, r.median),
                "Spread (IQR)": r.spread,
                "Range": f"{r.low:g} to {r.high:g}",
                "Disagreement": round(r.disagreement, 2),
                "Furthest from median": ", ".join(r.outliers),
            }
        )
    return pd.DataFrame(rows, columns=[
        "Question", "Answers", "Median", "Spread (IQR)", "Range", "Disagreement",
        "Furthest from median",
    ])  # fmt: skip


def dots_chart(results: list[ItemResult], labels: dict[str, str], who: bool) -> alt.LayerChart:
    """Each participant's answer as a dot on the question's scale, the median as a bar;
    ``who`` False leaves participants' names out of the tooltip (what the room sees)."""
    dots, medians = [], []
    for r in results:
        q = r.item.question(labels)
        for name, value in r.answers.items():
            dots.append({"Question": q, "Answer": value, "Participant": name if who else ""})
        medians.append({"Question": q, "Median": r.median})
    order = [r.item.question(labels) for r in results]
    y = alt.Y("Question:N", sort=order, title=None, axis=alt.Axis(labelLimit=360))
    base = alt.Chart(pd.DataFrame(dots))
    dot = (
        base.mark_circle(size=140, opacity=0.55, color="#0072B2")
        .encode(
            x=alt.X("Answer:Q", title="Answer", scale=alt.Scale(nice=False)),
            y=y,
            yOffset=alt.YOffset("jitter:Q"),
            tooltip=["Participant:N", "Answer:Q"] if who else ["Answer:Q"],
        )
        .transform_calculate(jitter="(random() - 0.5) * 16")
    )
    tick = (
        alt.Chart(pd.DataFrame(medians))
        .mark_tick(thickness=4, size=30, color="#D55E00")
        .encode(x="Median:Q", y=y, tooltip=["Median:Q"])
    )
    return alt.layer(dot, tick).properties(height=max(120, 46 * len(results)))


def results_panel(
    results: list[ItemResult], m: StakeholderMap, mode: str, *, who: bool
) -> list[ItemResult]:
    """The ranked agenda and the dots; returns the ranking."""
    ranked = rounds.rank_disagreement(results, m.names)
    if not ranked:
        st.caption("No answers yet.")
        return ranked
    labels = _labels(m, mode)
    st.altair_chart(dots_chart(ranked, labels, who), width="stretch")
    table = results_frame(ranked, labels)
    if not who:
        table = table.drop(columns="Furthest from median")
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(
        "Median: the middle answer (an even count: halfway between the middle two). Spread: "
        "interquartile range (Tukey's hinges). Disagreement: mean distance from the median "
        "over the scale's width, 0 to 0.5; the list is the discussion agenda."
    )
    return ranked
