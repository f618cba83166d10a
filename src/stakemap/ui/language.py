"""Which language a browser session speaks, and the picker that changes it (docs/languages.md).

At a session's start the language is, in this order: ``?lang=zh`` or ``?lang=en`` in the link
(the join link and its QR code carry the facilitator's), the one this browser chose before (a
cookie the picker writes, read from the first run with ``st.context.cookies``, so the first
page is already in it), the browser's own language (``st.context.locale``), else English. A
``?lang=`` in a later link switches too. The choice lives in the session state, which
:func:`stakemap.language.language` reads through a resolver, so fragments and background
threads speak as their session does.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from stakemap.language import (
    LANGUAGE_COOKIE,
    LANGUAGES,
    gettext,
    language,
    language_of,
    use_resolver,
)

T = TypeVar("T", bound=Hashable)

__all__ = ["choose_language", "language_picker", "shown_as"]

_KEY = "language"
_PICKER = "language-picker"
_ASKED = "language-asked"  # the ?lang= last followed, so a kept query switches only once
_YEAR = 365 * 24 * 3600
#: Each browser session's language by session id, the most recent last (bounded: a session
#: pushed out speaks English in its background work until its next run keeps it again).
_BY_SESSION: OrderedDict[str, str] = OrderedDict()
_SESSIONS_KEPT = 10_000
_KEEPING = threading.Lock()

_JS = f"""
export default function (component) {{
  const code = component.data.code;
  if (code) {{
    document.cookie = `{LANGUAGE_COOKIE}=${{code}}; path=/; max-age={_YEAR}; SameSite=Lax`;
  }}
}}
"""
_remember = st.components.v2.component("stakemap.remember_language", html="", js=_JS)


def _session_language() -> str | None:
    """The language of the session whose script runs in this thread, or None (a background
    thread). Read from :data:`_BY_SESSION`, not the session state: reading the session state is
    a point where Streamlit stops a run for a rerun, and the words of a half-done step (the
    sample maps loaded on a first start) must not be where a run stops."""
    ctx = get_script_run_ctx(suppress_warning=True)
    return None if ctx is None else _BY_SESSION.get(ctx.session_id)


def _keep(code: str) -> None:
    """Remember ``code`` as this session's language for :func:`_session_language`."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return
    with _KEEPING:
        _BY_SESSION[ctx.session_id] = code
        _BY_SESSION.move_to_end(ctx.session_id)
        while len(_BY_SESSION) > _SESSIONS_KEPT:
            _BY_SESSION.popitem(last=False)


def choose_language() -> str:
    """Settle this run's language (see the module) and have the pure code speak it."""
    use_resolver(_session_language)
    asked = st.query_params.get("lang")
    if asked and asked != st.session_state.get(_ASKED):
        st.session_state[_ASKED] = asked
        if code := language_of(asked):
            st.session_state[_KEY] = code
    if _KEY not in st.session_state:
        st.session_state[_KEY] = (
            language_of(st.context.cookies.get(LANGUAGE_COOKIE), st.context.locale) or "en"
        )
    _keep(st.session_state[_KEY])
    return st.session_state[_KEY]


def _picked() -> None:
    """The picker's click, before the rerun draws anything: a second click on the language in
    force clears the control, which keeps the language."""
    if code := st.session_state.get(_PICKER):
        st.session_state[_KEY] = code
        _keep(code)


def language_picker() -> None:
    """The sidebar's language picker: 中文 or English, remembered by this browser."""
    st.session_state[_PICKER] = language()  # a ?lang= link may have switched it
    st.segmented_control(
        "Language · 语言",
        list(LANGUAGES),
        format_func=LANGUAGES.get,
        key=_PICKER,
        on_change=_picked,
        label_visibility="collapsed",
        help=gettext("The language of every page, remembered by this browser"),
    )
    _remember(key="language-remember", data={"code": language()}, height=0)


def shown_as(options: Iterable[T], word: Callable[[T], str] = gettext) -> Callable[[T], str]:
    """A widget's ``format_func`` showing each option as ``word`` gives it in this run's
    language, worked out now: Streamlit's test harness calls a widget's ``format_func`` again
    outside the run, where no session says the language.

    >>> shown_as(["Power map"])("Power map")
    'Power map'
    """
    shown = {option: word(option) for option in options}
    return shown.__getitem__
