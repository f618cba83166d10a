"""Who this browser session is: the facilitator (after the passcode) or a participant bound to
one session of one map; the throttles that slow down passcode and join-code guessing.

Everything here is decided on the server, in the script run: a participant's pages never read
``?map=`` or any other query value that could point at a map; they reach a map only through
the session their token belongs to (:meth:`WorkshopStore.participant`), re-checked every run,
so a closed session locks them out at their next rerun.

Throttle keys: ``st.context.ip_address`` (the WebSocket peer; None when the browser is on
localhost, keyed "local"); proxy headers such as X-Forwarded-For are not used since any
client can send them. Phones on a room's network have addresses of their own; one client
changing address or opening new sessions is stopped by the server-wide limit instead.
"""

from __future__ import annotations

import time

import streamlit as st

from stakemap.access import Throttle, passcode_hash, verify_passcode
from stakemap.store_workshop import Participant, WorkshopStore
from stakemap.ui.session import get_store

__all__ = [
    "client_key",
    "facilitator_needed",
    "forget_participant",
    "is_facilitator",
    "login_page",
    "remember_participant",
    "this_participant",
    "throttled",
    "workshop_store",
]

_FACILITATOR = "workshop-facilitator"
_TOKEN = "workshop-token"
#: Longest a wrong attempt keeps the script waiting: the rest of a wait is shown, not slept.
_SLEEP_CAP = 2.0


@st.cache_resource
def _workshop_store(url_key: int) -> WorkshopStore:
    return WorkshopStore(get_store())


def workshop_store() -> WorkshopStore:
    """Sessions and rounds of this server's store (one per process)."""
    return _workshop_store(id(get_store()))


@st.cache_resource
def _throttles() -> dict[str, Throttle]:
    """Shared by every browser session of the process."""
    return {
        "passcode": Throttle(per_key=5, overall=50, window=600, base_delay=1, max_delay=30),
        "join": Throttle(per_key=10, overall=200, window=600, base_delay=0.5, max_delay=10),
    }


def client_key() -> str:
    """The throttle key of this browser: its IP address as the server sees it."""
    ip = st.context.ip_address
    return ip if isinstance(ip, str) and ip else "local"


def throttled(kind: str) -> Throttle:
    return _throttles()[kind]


def facilitator_needed() -> bool:
    """True when a facilitator passcode is configured (the room mode)."""
    return passcode_hash() is not None


def is_facilitator() -> bool:
    """May this browser session edit? Always without a passcode (single-user ``make run``)."""
    return not facilitator_needed() or bool(st.session_state.get(_FACILITATOR))


def _pause(seconds: float) -> None:
    """The delay after a wrong passcode (its own function so tests can skip it)."""
    time.sleep(seconds)


def _check_passcode(passcode: str) -> str | None:
    """None on success, else the message to show. Wrong attempts wait (:class:`Throttle`)."""
    throttle, key = throttled("passcode"), client_key()
    wait = throttle.wait(key)
    if wait > 0:
        return f"Too many wrong passcodes: try again in {wait:.0f} s."
    stored = passcode_hash()
    if stored is not None and verify_passcode(passcode, stored):
        throttle.succeeded(key)
        return None
    throttle.failed(key)
    _pause(min(_SLEEP_CAP, throttle.wait(key)))
    return "Wrong passcode."


def login_page() -> None:
    """The facilitator's sign-in: the passcode unlocks every page in this browser session."""
    st.title("Facilitator")
    st.caption("Joining a workshop? Use the Join page with the code on the screen.")
    with st.form("facilitator-login"):
        passcode = st.text_input("Passcode", type="password", max_chars=200)
        sent = st.form_submit_button("Sign in", type="primary")
    if sent:
        problem = _check_passcode(passcode)
        if problem:
            st.error(problem)
        else:
            st.session_state[_FACILITATOR] = True
            forget_participant()
            st.rerun()


def remember_participant(p: Participant) -> None:
    st.session_state[_TOKEN] = p.token


def forget_participant() -> None:
    st.session_state.pop(_TOKEN, None)


def this_participant() -> Participant | None:
    """The participant this browser session joined as, while their session is open."""
    token = st.session_state.get(_TOKEN)
    if not token:
        return None
    p = workshop_store().participant(token)
    if p is None:
        forget_participant()
    return p
