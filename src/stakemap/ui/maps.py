"""The sidebar: pick the current map; create, rename, duplicate and delete maps."""

from __future__ import annotations

import zlib

import streamlit as st

from stakemap.language import N_, pgettext
from stakemap.language import gettext as _
from stakemap.model import StakeholderMap
from stakemap.samples.cases import SAMPLES
from stakemap.store.maps import NAME_LENGTH
from stakemap.ui.session import current, get_store, select_map
from stakemap.ui.text import inert

__all__ = ["map_sidebar"]

_MADE = "maps-made"
_FITS = 20  # characters of a map name the sidebar's picker shows whole, projector fonts too
#: Where a new map starts (identifiers, shown translated).
_QUESTIONS, _BLANK, _SAMPLE = N_("Questions"), N_("Blank"), N_("Sample")


def map_sidebar() -> None:
    store = get_store()
    cur = current()
    maps = store.list_maps()
    with st.sidebar:
        if cur is not None:
            ids = [m.id for m in maps]
            names = {m.id: m.name for m in maps}
            choice = st.selectbox(
                _("Map"),
                ids,
                index=ids.index(cur.map_id),
                format_func=names.get,
                # rebuilt when a map is renamed; a key never holds a name (docs/pitfalls.md)
                key=f"picker-{cur.map_id}-{zlib.crc32(repr(names).encode())}",
            )
            if choice != cur.map_id:
                select_map(choice)
                st.rerun()
            if len(cur.name) > _FITS:  # the closed picker cuts it: the whole name, wrapped
                st.caption(inert(cur.name))
            st.caption(
                _("Version {version} · {people} people · {ties} ties · autosaved").format(
                    version=cur.version,
                    people=len(cur.data.stakeholders),
                    ties=len(cur.data.relationships),
                )
            )
        else:
            st.info(_("No maps yet: create one below."))
        with st.expander(_("New map"), expanded=cur is None):
            _new_map_form()
        if cur is not None:
            with st.expander(_("Rename, duplicate, delete")):
                _manage_form(cur.map_id, cur.name)


def _new_map_form() -> None:
    store = get_store()
    starts = {start: _(start) for start in (_QUESTIONS, _BLANK, _SAMPLE)}
    source = st.radio(
        _("Start from"),
        list(starts),
        format_func=starts.get,  # the words of this run: a test's harness calls it later
        horizontal=True,
        key="new-source",
    )
    if source == _QUESTIONS:
        st.caption(_("A few questions, one a screen, then the plan."))
        if st.button(_("Start"), key="new-start", icon=":material/quiz:", type="primary"):
            st.switch_page("views/start.py")
        return
    sample = None
    if source == _SAMPLE:
        sample = st.selectbox(_("Sample"), list(SAMPLES), key="new-sample")
    # keyed by the sample and by how many maps this form made: a new choice or a finished
    # creation starts the name afresh instead of keeping what was typed before
    made = st.session_state.get(_MADE, 0)
    name = st.text_input(
        pgettext("map", "Name"),
        value=sample or "",
        key=f"new-name-{sample}-{made}",
        max_chars=NAME_LENGTH,
    )
    st.caption(_("To start from a spreadsheet, use Import on the Data page."))
    if st.button(_("Create map"), key="new-create", icon=":material/add:"):
        data = SAMPLES[sample]() if sample else StakeholderMap()
        try:
            map_id = store.create(
                name or store.unique_name(_("Untitled map")),
                data,
                _("Created from sample {sample}").format(sample=sample)
                if sample
                else _("Created blank"),
            )
        except ValueError as exc:
            st.error(inert(exc))  # the message quotes the name
            return
        st.session_state[_MADE] = made + 1
        select_map(map_id)
        st.rerun()


def _manage_form(map_id: int, name: str) -> None:
    store = get_store()
    new_name = st.text_input(
        pgettext("map", "Name"), value=name, key=f"rename-{map_id}", max_chars=NAME_LENGTH
    )
    left, right = st.columns(2)
    if left.button(_("Rename"), key="rename", disabled=new_name == name):
        try:
            store.rename(map_id, new_name)
            st.rerun()
        except ValueError as exc:
            st.error(inert(exc))  # the message quotes the name
    if right.button(_("Duplicate"), key="duplicate"):
        # Translators: added to a map's name to name its copy; keep the leading space
        select_map(store.duplicate(map_id, store.unique_name(name, _(" (copy)"))))
        st.rerun()
    confirm = st.checkbox(
        _("Yes, delete {name} and its history").format(name=inert(name)), key=f"confirm-{map_id}"
    )
    if st.button(
        _("Delete map"),
        key="delete",
        type="primary",
        disabled=not confirm,
        icon=":material/delete:",
    ):
        store.delete(map_id)
        select_map(None)
        st.rerun()
