"""The participant's Join page: the code and a display name, then the phone's view: during a
round the questions alone (:mod:`stakemap.ui.room.ballot`), after it the room's result per
question once revealed, and otherwise what the projector shows, read-only.

The map shown is the one of the participant's session, read from the store: nothing in the
URL or in the page can point this page at another map.

The phone speaks the language of the join link (the facilitator's, ``&lang=``) until it picks
its own with the picker at the top (a phone has no sidebar). Everything the room shares is
stored as identifiers and numbers, so each phone reads it in its own language.
"""

from __future__ import annotations

import streamlit as st

from stakemap.language import gettext as _
from stakemap.room.access import LOCAL
from stakemap.room.sessions import Participant, WorkshopStore
from stakemap.ui.language import language_picker
from stakemap.ui.room.access import (
    client_key,
    facilitator_needed,
    is_facilitator,
    join_session,
    seat_ended,
    this_participant,
    workshop_store,
)
from stakemap.ui.room.ballot import ballot, phone_results
from stakemap.ui.room.screen import PHONE_CSS, room_view, watch
from stakemap.ui.text import inert

__all__ = ["join_page"]


def join_page() -> None:
    st.html(PHONE_CSS)
    language_picker()
    ws = workshop_store()
    p = this_participant()
    if p is None:
        _join_form(ws)
        return
    _follow(ws, p)


def _join_form(ws: WorkshopStore) -> None:
    st.title(_("Join the workshop"))
    if seat_ended():
        st.info(_("The workshop you were in has ended. Thank you for taking part."))
    wanted = st.query_params.get("code", "")
    with st.form("join"):
        code = st.text_input(_("Code on the screen"), value=wanted[:12], max_chars=12)
        name = st.text_input(_("Your display name"), max_chars=40, placeholder=_("e.g. Sam"))
        sent = st.form_submit_button(_("Join"), type="primary", width="stretch")
    # the sign-in is offered on the laptop that serves the room, never on a phone
    if facilitator_needed() and not is_facilitator() and client_key() == LOCAL:
        st.page_link("views/facilitator.py", label=_("Facilitator sign-in"), icon=":material/key:")
    if not sent:
        return
    problem = join_session(ws, code, name)
    if problem:
        st.error(problem)
    else:
        st.rerun()


def _follow(ws: WorkshopStore, p: Participant) -> None:
    """The follow view. Every second a poll reads the seat's token (:func:`watch`: the
    session's revision and the map's version, one cheap store read, nothing drawn) and
    reruns the page only when the room moved: what is shown, a round opened, closed or
    revealed, a new map version, the session closed (the seat is then checked again and
    gone). The view is a fragment of its own, so a tapped answer reruns it alone."""
    watch(lambda: ws.seat_token(p.token), f"seat-seen-{p.id}", 1)
    _view(ws, p)


@st.fragment
def _view(ws: WorkshopStore, p: Participant) -> None:
    """What the phone shows now (redrawn by a full run, or alone after a tapped answer)."""
    _follow_once(ws, p)


def _follow_once(ws: WorkshopStore, p: Participant) -> None:
    session = ws.get(p.session_id)
    if session is None or session.closed:
        st.info(_("This workshop has ended. Thank you for taking part."))
        return
    latest = ws.versions.latest(session.map_id)
    m = latest.data
    st.caption(
        _("Joined as {name} · map version {version}").format(
            name=inert(p.label), version=latest.number
        )
    )
    rnd = ws.latest_round(session.id)
    if rnd is not None and rnd.open:
        ballot(ws, p, rnd, m, session.anonymise)
        return
    if rnd is not None and rnd.revealed:
        st.subheader(_("Round {number}: what the room said").format(number=rnd.number))
        mine = {a.item: a.value for a in ws.answers(rnd.id) if a.participant_id == p.id}
        phone_results(ws.results(rnd), m, session.anonymise, mine)
    elif rnd is not None:
        st.caption(
            _("Round {number} has closed; the facilitator may show its results.").format(
                number=rnd.number
            )
        )
    room_view(m, session, latest.number, phone=True)
