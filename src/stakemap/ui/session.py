"""The current map of this browser tab, loaded from and saved to the store.

Every page calls :func:`current` first and :func:`save` for each committed change. The tab
remembers the version it shows; a save based on an older version than the store's latest is
refused (another tab saved first) and the tab is asked to reload, never silently overwritten.
The chosen map also lives in the URL (``?map=ID``) so a browser refresh returns to it.
"""

from __future__ import annotations

import hashlib
import json
import threading
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TypeVar

import pandas as pd
import streamlit as st

from stakemap.language import gettext as _
from stakemap.language import language, speaking
from stakemap.model import StakeholderMap, basis, people_basis
from stakemap.planning.record import Plan
from stakemap.samples.cases import SAMPLES
from stakemap.settings import database_url
from stakemap.store.maps import StaleVersion, Store
from stakemap.store.placing import AHEAD, DRAWINGS, PLACER, giving_back
from stakemap.store.sharing import sharing
from stakemap.ui.text import inert

__all__ = [
    "LAST_SAVE",
    "Current",
    "current",
    "get_store",
    "measures",
    "per_basis",
    "per_version",
    "place_soon",
    "placed",
    "plan_soon",
    "planned",
    "positions",
    "require_map",
    "revision",
    "save",
    "select_map",
    "stale_banner",
]

_MAP, _SHOWN, _STALE = "map_id", "shown_version", "stale"
_CURRENT = "current-map"  # the version this tab's last run showed
#: Seconds without a page run before work ahead starts (see :func:`place_soon`).
_QUIET = 0.3
#: The same for what a small map's page expects its next click to need (:func:`plan_soon`):
#: once the run has ended.
_NEXT_CLICK_QUIET, _SMALL = 0.01, 200
#: (map id, version before, version saved, description) of this tab's last save: for Undo.
LAST_SAVE = "last-save"
T = TypeVar("T")


@dataclass(frozen=True)
class Current:
    map_id: int
    name: str
    version: int
    data: StakeholderMap


def get_store() -> Store:
    """The store of STAKEMAP_DATABASE_URL, one per server process."""
    return _store_for(database_url())


@st.cache_resource
def _store_for(url: str) -> Store:
    """Open a store; the sample maps are loaded on a database's first start."""
    from stakemap.network.layout import complete_positions  # at first use, as :func:`_plan`

    store = Store(url)
    if store.claim_first_start() and not store.list_maps():
        for name, build in SAMPLES.items():
            sample = build()
            placed = replace(sample, positions=complete_positions(sample))
            store.create(name, placed, _("Loaded sample map"))
    return store


@st.cache_resource(max_entries=16)
def _load(url: str, map_id: int, version: int) -> StakeholderMap:
    """The version, decoded once per process, sharing the people and ties it has in common
    with the version of this map decoded last (else of any map): at 5,000 people a version
    is 9 MB of objects, an edit changes a few (:func:`stakemap.store.sharing.sharing`)."""
    data = _store_for(url).load(map_id, version).data
    with _decoded_lock:
        refs = [_decoded.get((url, map_id)), _decoded.get((url, None))]
    old = next((o for o in (r() for r in refs if r is not None) if o is not None), None)
    shared = sharing(data, old)
    with _decoded_lock:
        for key in [k for k, ref in _decoded.items() if ref() is None]:
            del _decoded[key]
        _decoded[(url, map_id)] = _decoded[(url, None)] = weakref.ref(shared)
    return shared


#: The version decoded last, per map and of any map (None), while something keeps it.
_decoded: dict[tuple[str, int | None], weakref.ref[StakeholderMap]] = {}
_decoded_lock = threading.Lock()


def select_map(map_id: int | None) -> None:
    """Make ``map_id`` this tab's map (None: no map), showing its latest version."""
    st.session_state[_MAP] = map_id
    st.session_state.pop(_SHOWN, None)
    st.session_state.pop(_STALE, None)
    if map_id is None:
        st.query_params.pop("map", None)
    else:
        st.query_params["map"] = str(map_id)


def _selected_id() -> int | None:
    store = get_store()
    ids = {m.id for m in store.list_maps()}
    wanted = st.session_state.get(_MAP)
    if wanted is None and st.query_params.get("map", "").isdigit():
        wanted = int(st.query_params["map"])
    if wanted not in ids:
        wanted = min(ids) if ids else None
        select_map(wanted)
    elif st.session_state.get(_MAP) != wanted:
        select_map(wanted)
    elif st.query_params.get("map") != str(wanted):
        # page links drop the query string; put the map back so a reload keeps it
        st.query_params["map"] = str(wanted)
    return wanted


def current() -> Current | None:
    """This tab's map: the latest version, or while a save was refused, the version shown."""
    map_id = _selected_id()
    if map_id is None:
        st.session_state.pop(_CURRENT, None)
        return None
    store = get_store()
    shown = st.session_state.get(_SHOWN)
    version = shown if (st.session_state.get(_STALE) and shown) else store.latest_number(map_id)
    st.session_state[_SHOWN] = version
    cur = Current(map_id, store.name(map_id), version, _load(database_url(), map_id, version))
    st.session_state[_CURRENT] = cur
    return cur


def require_map() -> Current:
    """This tab's map; without one, say how to get one and stop the page."""
    cur = current()
    if cur is None:
        st.info(_("Create or pick a map in the sidebar."))
        st.stop()
    return cur


def per_version(
    kind: str, cur: Current, compute: Callable[[Current], T], shared: bool = False
) -> T:
    """``compute(cur)``, done once per map version and language: a saved version never
    changes, so neither does anything derived from it (files, layouts, measures), but what it
    says is in the session's language. Each run gets its own copy; ``shared``: every run gets
    the one object (no copy, for what cannot be pickled or is large), which callers must not
    change."""
    cached = _shared_per_version if shared else _per_version
    return cached(kind, database_url(), cur.map_id, cur.version, language(), compute, cur)


@st.cache_data(max_entries=48, show_spinner=False)
def _per_version(
    kind: str, url: str, map_id: int, version: int, lang: str, _compute: Callable, _cur: Current
) -> object:
    with speaking(lang):  # the words looked up once each, not through the session each time
        # a download's file is built outside a page run, so nothing else trims after it
        return giving_back(_compute, _cur)


@st.cache_resource(max_entries=24, show_spinner=False)
def _shared_per_version(
    kind: str, url: str, map_id: int, version: int, lang: str, _compute: Callable, _cur: Current
) -> object:
    with speaking(lang):
        return giving_back(_compute, _cur)


def per_basis(
    kind: str, cur: Current, compute: Callable[[Current], T], reads: Callable[[StakeholderMap], str]
) -> T:
    """``compute(cur)`` once per language and digest ``reads`` of the version, shared as
    :func:`per_version`'s ``shared``: for what reads only part of a map, so that a version
    whose edit left that part as it was (``reads`` gives the same digest, worked out once per
    version) reuses what the one before had (a notes edit keeps the lens layouts, 0.15-0.25 s
    at 2,000 people). The basis covers the map's content: equal content in any map serves."""
    return _shared_per_basis(kind, _digest(cur, reads), language(), compute, cur)


def _digest(cur: Current, reads: Callable[[StakeholderMap], str]) -> str:
    """``reads(cur.data)``, worked out once per version."""
    kind = f"basis-{reads.__module__}.{reads.__qualname__}"
    return per_version(kind, cur, lambda c: reads(c.data))


@st.cache_resource(max_entries=24, show_spinner=False)
def _shared_per_basis(
    kind: str, digest: str, lang: str, _compute: Callable, _cur: Current
) -> object:
    with speaking(lang):
        return giving_back(_compute, _cur)


def positions(cur: Current) -> dict[str, tuple[float, float]]:
    """Where everyone is drawn, the same on every page and in every export.

    A version's stored positions come first (unless they have collapsed onto one line: then
    the map is drawn laid out afresh). A map whose versions store none is laid out when first
    drawn and the layout kept in the store (not as a version: viewing saves nothing); after an
    edit, only the newcomers are placed, next to their ties (someone with no tie in free
    space, until their first), so the picture does not jump.
    See :mod:`stakemap.store.placing`, which keeps each version's places once per process (so they
    are not also in :func:`per_version`'s cache); callers must not change the dict.
    """
    return PLACER.place(get_store(), cur.map_id, cur.version, cur.data)


def place_soon() -> None:
    """Lay out the version this run showed in the background if it needs it, once the run has
    been sent, so the Network page and the exports find the layout done. Called by app.py
    after the page."""
    cur = st.session_state.get(_CURRENT)
    if cur is not None:
        PLACER.place_soon(get_store(), cur.map_id, cur.version, cur.data, _QUIET)


def network_drawing(cur: Current) -> str:
    """The Network page's drawing of this version (:func:`stakemap.network.drawing.network_html`):
    everyone, no highlight or filter (those come through the page's bridge), once per version
    and language; usually worked out already, in the background (:func:`network_soon`)."""
    return DRAWINGS.get(*_network_work(cur, _DRAWING), weight=_people(cur))


def measures(cur: Current) -> pd.DataFrame:
    """The network measures of this version (:func:`stakemap.network.measures.metrics`), once
    per :func:`~stakemap.model.people_basis` and language, shared (callers must not change the
    table); usually worked out already, in the background (:func:`network_soon`)."""
    return DRAWINGS.get(*_network_work(cur, _METRICS), weight=_people(cur))


def network_soon() -> None:
    """Work out the network's measures and drawing of the version this run showed in the
    background, at a quiet moment after the run, so that the Network page and the workbook find
    them done (at 2,000 people: the drawing 4.5 s profiled, the communities that colour it and
    the tooltips of 10,000 ties; the measures 0.5-0.8 s). Called by app.py after the page."""
    cur = st.session_state.get(_CURRENT)
    if cur is not None:
        for kind in (_DRAWING, _METRICS):  # the drawing first: the Network page waits for it
            DRAWINGS.soon(*_network_work(cur, kind), _QUIET, weight=_people(cur))


def storage_key(map_id: int, positions: dict[str, tuple[float, float]]) -> str:
    """Where the drawing keeps dragged positions: new for each map and stored layout.

    >>> storage_key(3, {"Ana": (0.0, 1.0)})
    'stakemap:moved:3:e91ec610856015ef'
    """
    digest = hashlib.sha256(json.dumps(sorted(positions.items())).encode()).hexdigest()[:16]
    return f"stakemap:moved:{map_id}:{digest}"


_DRAWING, _METRICS = "network-drawing", "metrics"


def _network_work(cur: Current, kind: str) -> tuple[tuple, Callable[[], object]]:
    """The key of ``kind`` (the drawing or the measures) of ``cur`` and the work that makes
    it, with this run's language and store: the work may run after the run."""
    lang, store = language(), get_store()

    def work() -> object:
        # imported at first use, as :func:`_plan`
        from stakemap.network.drawing import network_html
        from stakemap.network.measures import metrics

        with speaking(lang):
            if kind == _METRICS:
                return metrics(cur.data)
            placed = PLACER.place(store, cur.map_id, cur.version, cur.data)
            return network_html(cur.data, placed, storage_key=storage_key(cur.map_id, placed))

    if kind == _METRICS:  # they read no note: a version that changed only notes keeps them
        return (kind, database_url(), _digest(cur, people_basis), lang), work
    return (kind, database_url(), cur.map_id, cur.version, lang), work


def planned(cur: Current, share: Fraction | None = None, exclude: Iterable[str] = ()) -> Plan:
    """The plan of this version (:func:`stakemap.planning.planner.plan`), with a what-if pass
    ``share`` (None: the map's own rule) leaving out ``exclude``, computed once per process
    and language: shared by the Plan page and the workbook, and a search or an open form on
    a long plan reruns the page without planning again (a second at 2,000 people). The
    version's own plan is usually worked out already, in the background (:func:`plan_soon`)."""
    left_out = tuple(sorted(exclude))
    key = _plan_key(cur, share, left_out)
    return AHEAD.get(key, lambda: _plan(cur.data, share, left_out), weight=_people(cur))


def _people(cur: Current) -> int:
    """The weight of what is kept of ``cur`` (store.placing.Ahead): its people, at least one."""
    return max(1, len(cur.data.stakeholders))


def _plan_key(cur: Current, share: Fraction | None, left_out: tuple[str, ...]) -> tuple:
    """A plan's key: by what the planner reads of the version (:func:`stakemap.model.basis`),
    so a version whose edit changed only notes or positions keeps the plans before it."""
    shared = None if share is None else str(share)
    return ("plan", database_url(), cur.map_id, _digest(cur, basis), shared, left_out, language())


def _plan(m: StakeholderMap, share: Fraction | None, left_out: tuple[str, ...]) -> Plan:
    # imported at first use: the planner (scipy's optimizer) and the network's modules were
    # 0.8 s of the first page after a server start, most of which plan nothing (docs/speed.md)
    from stakemap.planning.planner import plan

    return plan(m, pass_share=share, exclude=left_out)


def plan_soon(
    cur: Current | None = None,
    shares: Iterable[Fraction | None] = (None,),
    exclude=(),
    next_click: bool = False,
) -> None:
    """Work out plans of ``cur`` (default: the version this run showed) in the background, at
    a quiet moment after the run: one a what-if pass share in ``shares`` (None: the map's own
    rule), leaving out ``exclude``. app.py asks for the version's own plan after every page, so
    the Plan page and the workbook find it done (docs/speed.md: the plan of a 20-person map
    took 1.4 s, the Plan page's whole first visit); the Plan page asks for the shares next to
    the slider's, the likely ``next_click``: on a small map, whose page is drawn in a tenth of
    a second and whose what-if plan takes longer (0.6 s at 20 people, exact), that work
    starts as soon as the page's run has ended (the slider moved at once after the page was
    drawn: 0.68 -> 0.45 s, median of 6, docs/speed.md)."""
    cur = cur or st.session_state.get(_CURRENT)
    if cur is None:
        return
    lang = language()
    left_out = tuple(sorted(exclude))
    for share in shares:

        def work(share: Fraction | None = share) -> Plan:
            with speaking(lang):
                return _plan(cur.data, share, left_out)

        quiet = _NEXT_CLICK_QUIET if next_click and _people(cur) <= _SMALL else _QUIET
        AHEAD.soon(_plan_key(cur, share, left_out), work, quiet, weight=_people(cur))


def placed(cur: Current) -> StakeholderMap:
    """The version with everyone's position (:func:`positions`), as pages and exports draw it."""
    return replace(cur.data, positions=positions(cur))


def revision() -> str:
    """A token that changes with every saved or reloaded version: part of editor widget keys,
    so an editor is rebuilt from the store after each commit (see DESIGN.md pitfalls)."""
    return f"{st.session_state.get(_MAP)}-{st.session_state.get(_SHOWN)}"


def save(data: StakeholderMap, description: str) -> bool:
    """Save ``data`` as a new version of this tab's map; False if another tab saved first."""
    map_id, base = st.session_state.get(_MAP), st.session_state.get(_SHOWN)
    if map_id is None or base is None:
        return False
    try:
        st.session_state[_SHOWN] = get_store().save(map_id, data, base, description)
    except StaleVersion as stale:
        st.session_state[_STALE] = (description, stale.latest)
        return False
    st.session_state[LAST_SAVE] = (map_id, base, st.session_state[_SHOWN], description)
    st.toast(_("Saved: {change}").format(change=inert(description)))
    return True


def stale_banner() -> None:
    """If a save was refused, say so and offer to reload the latest version."""
    stale = st.session_state.get(_STALE)
    if not stale:
        return
    description, latest = stale
    with st.container(border=True):
        st.error(
            _(
                "Not saved: this map was changed in another tab or by someone else (now version "
                "{latest}) after you loaded version {shown}. Your change ({change}) was not "
                "applied; nothing was overwritten."
            ).format(latest=latest, shown=st.session_state.get(_SHOWN), change=inert(description))
        )
        if st.button(_("Reload the latest version"), type="primary", key="reload-latest"):
            st.session_state.pop(_STALE)
            st.session_state.pop(_SHOWN, None)
            st.rerun()
