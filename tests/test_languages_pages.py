"""Every page speaks the language chosen (docs/languages.md): walked in AppTest in Chinese, no
page shows an English word that is not the user's; walked in English with every catalogue
message marked, no page shows a word that did not come from the catalogue or the user."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from stakemap import language
from stakemap.room.rounds import Item, items_for
from stakemap.room.sessions import WorkshopStore
from stakemap.store.maps import Store
from tests.conftest import small_map
from tests.visible import CLOSE, OPEN, shown_texts, unmarked, untranslated, user_words

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ("map", "network", "plan", "data", "export", "workshop", "start")


class _Marking(gettext.NullTranslations):
    """Every message between marks, so that a page's text not from the catalogue shows."""

    def gettext(self, message: str) -> str:
        return OPEN + message + CLOSE

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return OPEN + (singular if n == 1 else plural) + CLOSE

    def pgettext(self, context: str, message: str) -> str:
        return OPEN + message + CLOSE


def _user(url: str) -> list[str]:
    store = Store(url)
    maps = store.list_maps()
    words = [m.name for m in maps]
    for m in maps:
        words += user_words(store.latest(m.id).data)
    return sorted(set(words), key=len, reverse=True)


def _walk(page: str, lang: str) -> AppTest:
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["language"] = lang
    at.switch_page(f"views/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", PAGES)
def test_a_page_in_chinese_shows_no_english(app_database, page: str) -> None:
    at = _walk(page, "zh")
    left = untranslated(shown_texts(at), _user(app_database))
    assert not left, f"{len(left)} texts in English on {page}: {left[:8]}"


@pytest.mark.parametrize("page", PAGES)
def test_every_word_of_a_page_comes_from_the_catalogue(app_database, page, monkeypatch) -> None:
    monkeypatch.setattr(language, "_translations", lambda code: _Marking())
    at = _walk(page, "en")
    left = unmarked(shown_texts(at), _user(app_database))
    assert not left, f"{len(left)} texts not from the catalogue on {page}: {left[:8]}"


def _room(url: str, stage: str):
    """A map with a workshop session at ``stage``: started, a round open, answered, revealed."""
    store = Store(url)
    store.claim_first_start()
    map_id = store.create("Demo", small_map())
    ws = WorkshopStore(store)
    session = ws.start(map_id)
    names = store.latest(map_id).data.names[:2]
    if stage != "session":
        rnd = ws.open_round(session.id, items_for(names, ["power", "stance"]))
        voter = ws.join(session.id, "P1")
        ws.answer(voter, rnd.id, Item("power", names[0]), 4)
        if stage == "revealed":
            ws.set_round(rnd.id, open=False, revealed=True)
    return map_id, session


def _phone(session, lang: str) -> AppTest:
    """A phone that joined the session (in ``lang``), as it is shown now."""
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["language"] = lang
    at.switch_page("views/join.py").run()
    at.text_input[0].input(session.code.lower())
    at.text_input[1].input("Sam")
    with language.speaking(lang):
        at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def _room_pages(url: str, stage: str, lang: str) -> list[AppTest]:
    map_id, session = _room(url, stage)
    st.cache_data.clear()
    facilitator = AppTest.from_file(APP, default_timeout=120)
    facilitator.session_state["language"] = lang
    facilitator.session_state["map_id"] = map_id
    facilitator.switch_page("views/workshop.py").run()
    assert not facilitator.exception, facilitator.exception
    joining = AppTest.from_file(APP, default_timeout=120)
    joining.session_state["language"] = lang
    joining.switch_page("views/join.py").run()
    return [facilitator, joining, _phone(session, lang)]


ROOM_STAGES = ("session", "round", "revealed")


@pytest.mark.parametrize("stage", ROOM_STAGES)
def test_the_room_in_chinese_shows_no_english(app_database, stage: str) -> None:
    """The facilitator's Workshop page, the Join form and a phone that joined, in Chinese."""
    for at in _room_pages(app_database, stage, "zh"):
        left = untranslated(shown_texts(at), [*_user(app_database), "Sam"])
        assert not left, f"{len(left)} texts in English ({stage}): {left[:8]}"


@pytest.mark.parametrize("stage", ROOM_STAGES)
def test_every_word_of_the_room_comes_from_the_catalogue(app_database, stage, monkeypatch):
    monkeypatch.setattr(language, "_translations", lambda code: _Marking())
    for at in _room_pages(app_database, stage, "en"):
        left = unmarked(shown_texts(at), [*_user(app_database), "Sam"])
        assert not left, f"{len(left)} texts not from the catalogue ({stage}): {left[:8]}"


def test_the_language_is_found_without_reading_the_session_state(monkeypatch) -> None:
    """Reading the session state is where Streamlit stops a run for a rerun: a step half done
    (a first start loading the sample maps, whose history line is translated) must not stop
    there. The resolver reads the language kept by session id instead."""
    from stakemap.ui import language as session_language

    class Context:
        session_id = "a-session"

    class Untouchable:
        def __getattr__(self, name: str) -> None:
            raise AssertionError("the session state was read")

    monkeypatch.setattr(session_language, "get_script_run_ctx", lambda **_kw: Context())
    session_language._keep("zh")
    monkeypatch.setattr(session_language.st, "session_state", Untouchable())
    assert session_language._session_language() == "zh"
    with pytest.raises(AssertionError):
        session_language.st.session_state.get("language")
