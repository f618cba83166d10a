"""Who this browser session is: the facilitator (after the passcode) or a participant bound to
one session of one map; the limits that slow down passcode and join-code guessing.

Everything here is decided on the server, in the script run: a participant's pages never read
``?map=`` or any other query value that could point at a map; they reach a map only through
the session their token belongs to (:meth:`WorkshopStore.participant`), re-checked every run,
so a closed session locks them out at their next rerun.

Both kinds of access survive a reload through signed, expiring, HttpOnly cookies set by the
server's gate (:mod:`stakemap.ui.guard`): a correct passcode or a join hands the browser a
short-lived ticket, the gate turns it into the cookie, and each run reads the cookie back
(``st.context.cookies``).

Guess limits (:data:`stakemap.room.access.THROTTLES`) live in process state that no client message
reaches (Streamlit's ``clear_cache`` empties ``st.cache_resource``), are counted before the
check, and are keyed by ``st.context.ip_address``: the WebSocket peer, None for the laptop's own
browser (keyed :data:`stakemap.room.access.LOCAL`, limited by its own failures only). Forwarded
headers never reach it: the gate refuses them unless a proxy is trusted.
"""

from __future__ import annotations

import json
import secrets
import time

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from stakemap import settings
from stakemap.language import gettext as _
from stakemap.room.access import (
    FACILITATORS,
    LOCAL,
    SIGNED_OUT,
    THROTTLES,
    device_key,
    passcode_hash,
    room_secret,
    verify_passcode,
)
from stakemap.room.sessions import Participant, WorkshopStore
from stakemap.ui.guard import COOKIES, ENTER, LEAVE, cookie_payload, ticket
from stakemap.ui.language import language_picker
from stakemap.ui.session import get_store

__all__ = [
    "client_key",
    "facilitator_needed",
    "follow_redirect",
    "forget_participant",
    "is_facilitator",
    "join_session",
    "login_page",
    "remember_participant",
    "seat_ended",
    "sign_out",
    "this_participant",
    "workshop_store",
]

_FACILITATOR = "workshop-facilitator"
_SIGN_IN = "workshop-sign-in"
_TOKEN = "workshop-token"
_ENDED = "workshop-seat-ended"  # this browser's seat was in a session now closed
#: Longest a wrong attempt keeps the script waiting: the rest of a wait is shown, not slept.
_SLEEP_CAP = 2.0
#: How long a facilitator's browser session may upload after its last script run (seconds).
_GRANT_SECONDS = 30 * 60


@st.cache_resource
def _workshop_store(url_key: int) -> WorkshopStore:
    return WorkshopStore(get_store())


def workshop_store() -> WorkshopStore:
    """Sessions and rounds of this server's store (one per process)."""
    return _workshop_store(id(get_store()))


def client_key() -> str:
    """The throttle key of this browser: its IP address as the server sees it."""
    ip = st.context.ip_address
    return ip if isinstance(ip, str) and ip else LOCAL


def facilitator_needed() -> bool:
    """True when a facilitator passcode is configured (the room mode)."""
    return passcode_hash() is not None


def _session_id() -> str:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else ""


def is_facilitator() -> bool:
    """May this browser session edit? Always without a passcode (single-user ``make run``);
    in room mode after the passcode in this session or a facilitator cookie. A facilitator's
    browser session is recorded for the upload check the gate makes outside script runs."""
    if not facilitator_needed():
        return True
    if not st.session_state.get(_FACILITATOR):
        name = COOKIES["facilitator"][0]
        data = cookie_payload("facilitator", st.context.cookies.get(name))
        if data is None:
            return False
        st.session_state[_FACILITATOR] = True
        st.session_state[_SIGN_IN] = str(data.get("id", ""))
    if SIGNED_OUT.holds(st.session_state.get(_SIGN_IN, "")):
        st.session_state.pop(_FACILITATOR, None)
        return False
    FACILITATORS.grant(_session_id(), _GRANT_SECONDS)
    return True


def _pause(seconds: float) -> None:
    """The delay after a wrong passcode (its own function so tests can skip it)."""
    time.sleep(seconds)


def _check_passcode(passcode: str) -> str | None:
    """None on success, else the message to show. Each check is counted before it runs, so
    a burst of guesses gets one check at a time (:class:`stakemap.room.access.Throttle`)."""
    throttle, key = THROTTLES["passcode"], client_key()
    attempt = throttle.attempt(key)
    if attempt is None:
        seconds = f"{max(1.0, throttle.wait(key)):.0f}"
        return _("Too many wrong passcodes: try again in {seconds} s.").format(seconds=seconds)
    stored = passcode_hash()
    if stored is not None and verify_passcode(passcode, stored):
        throttle.refund(attempt)
        return None
    _pause(min(_SLEEP_CAP, throttle.wait(key)))
    return _("Wrong passcode.")


_GO = "workshop-go"


def _go(url: str, cookie: str) -> None:
    """Send the browser to ``url`` (a path of this server carrying a ticket the server made),
    which sets ``cookie`` (:func:`follow_redirect` does it)."""
    st.session_state[_GO] = (url, cookie)


def follow_redirect() -> None:
    """Navigate the browser where :func:`_go` asked, on every run until its cookie is back: a
    run cut short (a switch of page, a rerun) cannot lose it. Called by app.py."""
    url, cookie = st.session_state.get(_GO) or ("", "")
    if not url:
        return
    if cookie and cookie in st.context.cookies:
        st.session_state.pop(_GO, None)
        return
    st.html(
        f"<script>window.location.replace({json.dumps(url)});</script>",
        unsafe_allow_javascript=True,
    )


def login_page() -> None:
    """The facilitator's sign-in: the passcode unlocks every page in this browser, and a
    cookie keeps it unlocked across a reload until sign-out. A locked room has no sidebar,
    so the language picker is on the page."""
    language_picker()
    st.title(_("Facilitator"))
    st.caption(_("Joining a workshop? Use the Join page with the code on the screen."))
    with st.form("facilitator-login"):
        passcode = st.text_input(_("Passcode"), type="password", max_chars=200)
        sent = st.form_submit_button(_("Sign in"), type="primary")
    if sent:
        problem = _check_passcode(passcode)
        if problem:
            st.error(problem)
            return
        sign_in = secrets.token_urlsafe(12)
        st.session_state[_FACILITATOR] = True
        st.session_state[_SIGN_IN] = sign_in
        forget_participant()
        FACILITATORS.grant(_session_id(), _GRANT_SECONDS)
        _go(f"{ENTER}?t={ticket('facilitator', id=sign_in)}&to=workshop", COOKIES["facilitator"][0])
        st.rerun()


def sign_out() -> None:
    """End the facilitator's sign-in here and on every tab holding its cookie."""
    SIGNED_OUT.grant(st.session_state.get(_SIGN_IN, ""), COOKIES["facilitator"][1])
    FACILITATORS.revoke(_session_id())
    st.session_state.pop(_FACILITATOR, None)
    _go(f"{LEAVE}?what=facilitator&to=facilitator", "")


def remember_participant(p: Participant) -> None:
    """This browser holds ``p``'s seat: in this session, and (through the gate) in a cookie
    that gives it back after a reload, a sleep or a new tab."""
    st.session_state[_TOKEN] = p.token
    st.session_state.pop(_ENDED, None)
    _go(f"{ENTER}?t={ticket('seat', t=p.token)}&to=join", COOKIES["seat"][0])


def forget_participant() -> None:
    st.session_state.pop(_TOKEN, None)


def seat_ended() -> bool:
    """Whether this browser held a seat in a session that has since closed (its seat is
    forgotten by :func:`this_participant`), so the Join page can say so."""
    return bool(st.session_state.get(_ENDED))


def this_participant() -> Participant | None:
    """The participant this browser joined as, while their session is open: from this
    session, else from the seat cookie."""
    token = st.session_state.get(_TOKEN)
    if not token:
        data = cookie_payload("seat", st.context.cookies.get(COOKIES["seat"][0]))
        token = data.get("t") if data else None
    if not token:
        return None
    p = workshop_store().participant(str(token))
    if p is None:
        forget_participant()
        st.session_state[_ENDED] = True
    else:
        st.session_state[_TOKEN] = p.token
    return p


def join_session(ws: WorkshopStore, code: str, name: str) -> str | None:
    """Join with ``code`` as ``name``; None on success, else the message. Each try is counted
    before the code is looked up (per client; the server-wide count holds back only clients
    that already failed, so a flood never locks the room out)."""
    throttle, key = THROTTLES["join"], client_key()
    attempt = throttle.attempt(key)
    if attempt is None:
        seconds = f"{max(1.0, throttle.wait(key)):.0f}"
        return _("Too many wrong codes: try again in {seconds} s.").format(seconds=seconds)
    session = ws.find_open(code)
    if session is None:
        return _("No open workshop has this code. Check the screen, or ask the facilitator.")
    throttle.refund(attempt)
    device = device_key(key, room_secret())
    try:
        p = ws.join(session.id, name, device=device, seats=settings.SEATS_PER_ADDRESS)
    except ValueError as exc:
        return str(exc)
    remember_participant(p)
    return None
