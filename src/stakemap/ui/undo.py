"""Undo the last change this tab saved: a bar with the change's description and an Undo button.

A toast cannot hold a button, so the offer sits on the page until the next change; undoing
saves the version before the change as a new version ("Undo: ..."), so history is never lost.
"""

from __future__ import annotations

import streamlit as st

from stakemap.language import gettext as _
from stakemap.store.maps import StaleVersion
from stakemap.ui.session import LAST_SAVE, Current, get_store, select_map
from stakemap.ui.text import inert

__all__ = ["undo_bar"]


def undo_bar(cur: Current) -> None:
    """Offer to undo this tab's last save while it is still the map's latest version."""
    last = st.session_state.get(LAST_SAVE)
    if not last:
        return
    map_id, before, after, description = last
    if map_id != cur.map_id or after != cur.version:
        return
    text, button = st.columns([6, 1], vertical_alignment="center")
    text.caption(_("Last change: {change}").format(change=inert(description)))
    if button.button(_("Undo"), icon=":material/undo:", key=f"undo-{after}"):
        store = get_store()
        undone = _("Undo: {change}").format(change=description)
        try:
            store.save(map_id, store.load(map_id, before).data, after, undone)
        except StaleVersion as stale:
            st.error(_("{problem} Reload to see it before undoing.").format(problem=inert(stale)))
            return
        st.session_state.pop(LAST_SAVE, None)
        select_map(map_id)
        st.rerun()
