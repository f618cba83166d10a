"""The tab's map: kept in the URL, shown as plain text, and restored after a reload."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from stakemap.model import Stakeholder, StakeholderMap

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def test_the_map_stays_in_the_url_after_a_page_link(store) -> None:
    first = store.create("First", StakeholderMap((Stakeholder("Ana"),)))
    second = store.create("Second", StakeholderMap((Stakeholder("Ben"),)))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["map"] = str(second)
    at.switch_page("views/data.py")
    at.run()
    assert at.title[0].value == "Data · Second"
    at.query_params.clear()  # st.Page links drop the query string
    at.switch_page("views/export.py")
    at.run()
    assert at.query_params["map"] == str(second)
    assert first != second


def test_a_map_name_is_shown_as_text_not_markdown(store) -> None:
    store.create("**bold** [link](http://example.com) www.example.org", StakeholderMap())
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("views/data.py")
    at.run()
    title = at.title[0].value
    assert "\\*\\*bold\\*\\*" in title and "\\[link\\]" in title
    assert "://" not in title and "www." not in title  # no bare address to autolink


def test_a_sample_map_is_named_after_the_sample(store) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("views/data.py")
    at.run()
    at.sidebar.radio(key="new-source").set_value("Sample").run()
    at.sidebar.selectbox(key="new-sample").set_value("Gas pipeline (third parties)").run()
    at.sidebar.button(key="new-create").click().run()
    assert [m.name for m in store.list_maps()] == ["Gas pipeline (third parties)"]
