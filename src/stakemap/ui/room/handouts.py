"""The Workshop page's handout downloads: the projector view as PNG, the outcome as PDF.

Both are drawn only when clicked (a deferred ``st.download_button``: Streamlit calls the
function on its own thread at the click, never on a rerun or in the follow fragment) and kept
per (session, revision, activity, map version, language): a second click on an unchanged
session serves the same bytes without drawing again. That thread has no session to ask for the
language: the facilitator's, read when the buttons are drawn, is set around the drawing.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime

import streamlit as st

from stakemap.language import gettext as _
from stakemap.language import language, speaking
from stakemap.room import handouts
from stakemap.room.sessions import WorkshopSession, WorkshopStore
from stakemap.ui.session import Current

__all__ = ["handout_buttons"]

_KEPT: OrderedDict[tuple, bytes] = OrderedDict()
_LOCK = threading.Lock()
_KEEP = 8


def _kept(key: tuple, draw: Callable[[], bytes]) -> bytes:
    """``draw()`` once per ``key`` (the last :data:`_KEEP` kept), in the language that ends
    ``key``."""
    with _LOCK:
        if key in _KEPT:
            _KEPT.move_to_end(key)
            return _KEPT[key]
    with speaking(key[-1]):
        data = draw()
    with _LOCK:
        _KEPT[key] = data
        while len(_KEPT) > _KEEP:
            _KEPT.popitem(last=False)
    return data


def _outcome(cur: Current, ws: WorkshopStore, session: WorkshopSession) -> bytes:
    rounds = [
        handouts.RoundOutcome(r, ws.results(r))
        for r in ws.rounds_of_map(cur.map_id)
        if r.session_id == session.id
    ]
    return handouts.outcome_pdf(
        cur.data,
        name=cur.name,
        version=cur.version,
        session=session,
        participants=ws.participants(session.id),
        rounds=rounds,
        when=datetime.now(UTC),
    )


def handout_buttons(cur: Current, ws: WorkshopStore, session: WorkshopSession) -> None:
    """Two download buttons; what they serve follows the session as it is at the click."""
    key = (session.id, session.revision, session.activity, cur.map_id, cur.version, language())

    def png() -> bytes:
        return _kept(("png", *key), lambda: handouts.projector_png(cur.data, session))

    def pdf() -> bytes:
        return _kept(("pdf", *key), lambda: _outcome(cur, ws, session))

    left, right = st.columns(2)
    left.download_button(
        _("Projector view (PNG)"), png, file_name=f"stakemap_v{cur.version}_projector.png",
        mime="image/png", on_click="ignore", icon=":material/image:", key="ws-handout-png",
    )  # fmt: skip
    right.download_button(
        _("Session outcome (PDF)"), pdf, file_name=f"stakemap_v{cur.version}_workshop.pdf",
        mime="application/pdf", on_click="ignore", icon=":material/picture_as_pdf:",
        key="ws-handout-pdf",
    )  # fmt: skip
