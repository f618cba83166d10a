"""The facilitator's Workshop page: start a session on the current map, show the join code,
drive the projector view, run rating rounds and adopt their results, close the session."""

from __future__ import annotations

import streamlit as st

from stakemap.files.exporting import to_xlsx
from stakemap.language import N_, ngettext, pgettext
from stakemap.language import gettext as _
from stakemap.lenses.catalogue import LENS_NAMES
from stakemap.lenses.people import ANONYMISE_MODES
from stakemap.planning import planner as coalition
from stakemap.room import rounds
from stakemap.room.sessions import Round, WorkshopSession, WorkshopStore
from stakemap.ui.language import shown_as
from stakemap.ui.mapview import presenter_style
from stakemap.ui.room.handouts import handout_buttons
from stakemap.ui.room.keys import projector_keys
from stakemap.ui.room.link import qr_png, room_link
from stakemap.ui.room.results import results_panel
from stakemap.ui.room.screen import ROOM_CSS, room_view, watch
from stakemap.ui.session import Current, save
from stakemap.ui.text import inert

__all__ = ["workshop_page"]

_VIEW_LABELS = {"lens": N_("A lens"), "network": N_("The network"), "plan": N_("The plan")}
_ANON_LABELS = {
    "names": N_("Names"),
    "initials": N_("Initials"),
    "letters": N_("Stakeholder A, B, ..."),
}
_ATTR_LABELS = {
    "power": N_("Power"),
    "interest": N_("Interest"),
    "stance": N_("Stance"),
    "influence": N_("Influence ties (who listens to whom)"),
}
#: Session key the Map page's presenter mode reads for its anonymise choice.
MAP_ANONYMISE = "map_anonymise"
#: Session key of the full-screen projector view.
PROJECTOR = "ws-projector"


def workshop_page(cur: Current, ws: WorkshopStore) -> None:
    session = ws.open_for_map(cur.map_id)
    if session is None:
        _start(cur, ws)
        return
    watch(lambda: ws.follow_token(session.id), f"ws-seen-{session.id}", 2)
    # the Map page's presenter mode follows the room's anonymise choice
    st.session_state[MAP_ANONYMISE] = session.anonymise
    if st.session_state.get(PROJECTOR):
        _projector(cur, ws, session)
        return
    if projector_keys(projector=False) == "full":
        st.session_state[PROJECTOR] = True
        st.rerun()
    st.title(_("Workshop · {name}").format(name=inert(cur.name)))
    join, show, rate, end = st.tabs(
        [_("Join"), _("Projector"), _("Rating round"), pgettext("tab", "Close")]
    )
    with join:
        _join_card(ws, session)
    with show:
        _view_controls(cur, ws, session)
        st.button(
            _("Full-screen projector view"),
            icon=":material/fullscreen:",
            key="ws-projector-on",
            on_click=st.session_state.__setitem__,
            args=(PROJECTOR, True),
            help=_(
                "The room's view alone, without a control. Keys: F or Esc to leave, arrows "
                "or PgUp/PgDn for the plan's steps."
            ),
        )
        st.caption(_("Or press F. In full screen, F or Esc leaves it."))
    with rate:
        _rounds(cur, ws, session)
    with end:
        st.subheader(_("Handouts"))
        handout_buttons(cur, ws, session)
        _close(ws, session)
        _past_rounds(cur, ws)


def _start(cur: Current, ws: WorkshopStore) -> None:
    st.title(_("Workshop · {name}").format(name=inert(cur.name)))
    st.write(
        _(
            "Start a session on this map: the room joins from their phones with a code, "
            "follows the projector and rates people in rounds that you can adopt into the map."
        )
    )
    anonymous = st.checkbox(_("Allow participants without a display name"), key="ws-anon-ok")
    if st.button(_("Start a session"), type="primary", icon=":material/groups:"):
        ws.start(cur.map_id, allow_anonymous=anonymous)
        st.rerun()
    _past_rounds(cur, ws)


def _join_card(ws: WorkshopStore, session: WorkshopSession) -> None:
    st.html(ROOM_CSS)
    link = room_link(session.code or "")
    code_col, qr_col = st.columns([3, 2], vertical_alignment="center")
    with code_col:
        st.caption(_("Join code"))
        with st.container(key="join-code"):
            st.markdown(session.code or "")
        st.markdown(_("Open this link or scan the code, then give a display name:"))
        st.code(link.url, language=None)
        st.metric(_("People in"), ws.count_participants(session.id))
    if link.reachable:
        qr_col.image(qr_png(link.url), caption=_("Scan to join"), width=320)
    else:
        qr_col.warning(link.warning, icon=":material/wifi_off:")


def _view_controls(cur: Current, ws: WorkshopStore, session: WorkshopSession) -> None:
    """What the projector and every phone show; each change bumps the session's revision."""
    cols = st.columns([2, 3, 2, 2], vertical_alignment="bottom")
    view = cols[0].selectbox(
        _("Show"), rounds.VIEWS, index=rounds.VIEWS.index(session.view),
        format_func=shown_as(rounds.VIEWS, lambda v: _(_VIEW_LABELS[v])),
        key=f"ws-view-{session.revision}",
    )  # fmt: skip
    lens = cols[1].selectbox(
        _("Lens"), LENS_NAMES, index=LENS_NAMES.index(session.lens),
        format_func=shown_as(LENS_NAMES), key=f"ws-lens-{session.revision}",
    )  # fmt: skip
    mode = cols[2].selectbox(
        _("Anonymise"), ANONYMISE_MODES, index=ANONYMISE_MODES.index(session.anonymise),
        format_func=shown_as(ANONYMISE_MODES, lambda m: _(_ANON_LABELS[m])),
        key=f"ws-anonymise-{session.revision}",
        help=_("Holds on the projector, on every phone and in the Map page's presenter mode."),
    )  # fmt: skip
    if (view, lens, mode) != (session.view, session.lens, session.anonymise):
        ws.set_view(session.id, view=view, lens=lens, anonymise=mode)
        st.rerun()
    if session.view == "plan":
        total = len(coalition.plan(cur.data).steps)
        back, step, ahead, _rest = st.columns([2, 1, 2, 7], vertical_alignment="center")
        shown = min(session.plan_step, total)
        back.button(
            _("Previous"), icon=":material/chevron_left:", key="ws-prev", disabled=shown <= 0,
            on_click=_step_plan, args=(ws, session.id, -1, total), width="stretch",
        )  # fmt: skip
        step.markdown(f"{shown}/{total}")
        ahead.button(
            _("Next"), icon=":material/chevron_right:", key="ws-next", disabled=shown >= total,
            on_click=_step_plan, args=(ws, session.id, 1, total), width="stretch",
        )  # fmt: skip


def _step_plan(ws: WorkshopStore, session_id: int, delta: int, total: int) -> None:
    """Reveal one step more or less, from the step stored now (not the one drawn: a click
    can land while the page is being redrawn)."""
    session = ws.get(session_id)
    if session is not None:
        ws.set_view(session_id, plan_step=max(0, min(total, session.plan_step + delta)))


def _projector(cur: Current, ws: WorkshopStore, session: WorkshopSession) -> None:
    """The room's view alone: no control on screen. The keyboard steps the plan and leaves
    (:func:`stakemap.ui.room.keys.projector_keys`)."""
    presenter_style()
    st.html(ROOM_CSS)
    action = projector_keys(projector=True)
    if action in ("full", "exit"):
        st.session_state[PROJECTOR] = False
        st.rerun()
    if action in ("next", "previous") and session.view == "plan":
        total = len(coalition.plan(cur.data).steps)
        _step_plan(ws, session.id, 1 if action == "next" else -1, total)
        st.rerun()
    link = room_link(session.code or "")
    st.caption(
        _("Join at {url} · code {code} · {n} in · Esc leaves full screen").format(
            url=link.url, code=session.code, n=ws.count_participants(session.id)
        )
    )
    rnd = ws.latest_round(session.id)
    with st.container(key="room-screen"):
        if rnd is not None and rnd.open:
            _round_card(ws, rnd)
        else:
            room_view(cur.data, session, cur.version)


def _round_card(ws: WorkshopStore, rnd: Round) -> None:
    """While a round is open the projector shows how many have answered, not the map: the
    values the room is asked to judge would anchor its answers."""
    answered = len({a.participant_id for a in ws.answers(rnd.id)})
    with st.container(key="room-round"):
        st.markdown(_("**Round {number} is open**").format(number=rnd.number))
        st.markdown(
            ngettext(
                "{questions} questions on your phone · {n} person has answered",
                "{questions} questions on your phone · {n} people have answered",
                answered,
            ).format(questions=len(rnd.items), n=answered)
        )
        st.markdown(_("The map comes back when the round closes."))


# ---------------------------------------------------------------- rounds


def _rounds(cur: Current, ws: WorkshopStore, session: WorkshopSession) -> None:
    rnd = ws.latest_round(session.id)
    if rnd is None or not rnd.open:
        _open_form(cur, ws, session)
    if rnd is None:
        return
    heading = _("Round {number} · open") if rnd.open else _("Round {number} · closed")
    st.subheader(heading.format(number=rnd.number))
    buttons = st.columns(3)
    if rnd.open:
        buttons[0].button(
            _("Close the round"), key="ws-round-close", on_click=ws.set_round, args=(rnd.id,),
            kwargs={"open": False},
        )  # fmt: skip
    buttons[1].toggle(
        _("Show the results on the phones")
        if not rnd.open
        else _("Show the results when it closes"),
        value=rnd.revealed, key=f"ws-reveal-{rnd.id}",
        on_change=lambda: ws.set_round(rnd.id, revealed=st.session_state[f"ws-reveal-{rnd.id}"]),
    )  # fmt: skip
    if rnd.open and rnd.revealed:
        st.caption(
            _(
                "The phones show the results as soon as you close the round; while it is open "
                "each answer stays private, so nobody is swayed by the others."
            )
        )
    answers = ws.answers(rnd.id)
    people = len({a.participant_id for a in answers})
    st.caption(_answers_so_far(len(answers), people))
    ranked = results_panel(ws.results(rnd), cur.data, "names")
    if ranked:
        _adopt(cur, ws, rnd, ranked)


def _answers_so_far(answers: int, people: int) -> str:
    """How many answers from how many people, each count in its own plural form.

    >>> _answers_so_far(1, 1), _answers_so_far(5, 2)
    ('1 answer from 1 person so far', '5 answers from 2 people so far')
    """
    if answers == 1:
        return ngettext(
            "1 answer from {people} person so far",
            "1 answer from {people} people so far",
            people,
        ).format(people=people)
    return ngettext(
        "{answers} answers from {people} person so far",
        "{answers} answers from {people} people so far",
        people,
    ).format(answers=answers, people=people)


def _open_form(cur: Current, ws: WorkshopStore, session: WorkshopSession) -> None:
    with st.form("ws-open-round", border=True):
        st.markdown(_("**Open a rating round**"))
        people = st.multiselect(
            _("People"), cur.data.names, key="ws-round-people", placeholder=_("Choose people")
        )
        attributes = st.multiselect(
            _("Attributes"), rounds.ATTRIBUTES, default=["power"],
            format_func=shown_as(rounds.ATTRIBUTES, lambda a: _(_ATTR_LABELS[a])),
            key="ws-round-attributes",
            placeholder=_("Choose what to rate"),
        )  # fmt: skip
        st.caption(
            ngettext(
                "Influence ties ask about every ordered pair of the first {n} person chosen.",
                "Influence ties ask about every ordered pair of the first {n} people chosen.",
                rounds.MAX_TIE_PEOPLE,
            ).format(n=rounds.MAX_TIE_PEOPLE)
        )
        if st.form_submit_button(_("Open the round"), type="primary"):
            try:
                ws.open_round(session.id, rounds.items_for(people, attributes))
            except ValueError as exc:
                st.error(str(exc))
                return
            st.rerun()


def _adopt(cur: Current, ws: WorkshopStore, rnd: Round, ranked: list) -> None:
    """Per question: tick, the value on a whole step of its scale (the median, a half-way one
    on the side of the map's value, unless changed) with the rounding said, and an Adopt
    button for that question alone; "Adopt for the ticked" writes every ticked one. Each
    adoption is one version of the map."""
    st.markdown(_("**Adopt into the map** (one new version, undoable from History on Data)"))
    chosen: dict[str, float] = {}
    picked = []
    for r in ranked:
        item = r.item
        plan = rounds.adoption(cur.data, r)
        key = f"ws-adopt-{rnd.id}-{rnd.items.index(item)}"
        left, middle, right = st.columns([4, 3, 1], vertical_alignment="center")
        take = left.checkbox(inert(item.question()), value=True, key=f"{key}-take")
        value = middle.select_slider(
            _("Value"), item.scale.steps, value=plan.value, format_func=item.scale.describe,
            key=f"{key}-value-{r.median}", label_visibility="collapsed",
        )  # fmt: skip
        if plan.note and value == plan.value:
            left.caption(plan.note)
        mine = {item.key: value} if value != plan.value else {}
        if right.button(_("Adopt"), key=f"{key}-one", help=_("Adopt this value alone")):
            _adopt_now(cur, ws, rnd, [r], mine)
        if take:
            picked.append(r)
            chosen |= mine
    if st.button(
        _("Adopt for the ticked"), type="primary", key=f"ws-adopt-{rnd.id}", disabled=not picked
    ):
        _adopt_now(cur, ws, rnd, picked, chosen)


def _adopt_now(cur: Current, ws: WorkshopStore, rnd: Round, results: list, chosen: dict) -> None:
    outcome = rounds.adopt(cur.data, rnd.number, results, chosen)
    if outcome is None:
        st.info(_("The map already holds these values: nothing to adopt."))
    elif save(*outcome):
        ws.set_round(rnd.id, adopted_version=st.session_state.get("shown_version"))
        st.rerun()


def _close(ws: WorkshopStore, session: WorkshopSession) -> None:
    st.write(
        _(
            "Closing ends the join code at once and signs every participant out. The answers "
            "stay with the map and are in the workbook's Ratings sheet."
        )
    )
    sure = st.checkbox(_("Yes, end the session for everyone"), key="ws-close-sure")
    if st.button(_("Close the session"), type="primary", disabled=not sure, key="ws-close"):
        ws.close(session.id)
        st.session_state.pop(PROJECTOR, None)
        st.rerun()


def _past_rounds(cur: Current, ws: WorkshopStore) -> None:
    rounds = ws.rounds_of_map(cur.map_id)
    if not rounds:
        return
    st.subheader(_("Earlier rounds on this map"))
    rows = ws.ratings_rows(cur.map_id)
    st.caption(
        _("{rounds} rounds, {answers} answers.").format(rounds=len(rounds), answers=len(rows) - 1)
    )
    st.download_button(
        _("Workbook with the Ratings sheet"),
        # built when clicked (a deferred download), not on every rerun of the room's page
        lambda: to_xlsx(cur.data, name=cur.name, version=cur.version, ratings=rows),
        file_name=f"stakemap_v{cur.version}_ratings.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        icon=":material/download:",
    )
