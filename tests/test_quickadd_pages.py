"""Quick add on the Data and Map pages (AppTest): read before saving, one version for the
whole text, the lines with problems left in the box, nothing shown as markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from stakemap.model import StakeholderMap
from stakemap.store.maps import Store

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TEXT = """Dana Whitfield, CEO, decides, power 5, neutral
Marcus Lee, CFO, against, power 4, interest 5
Works council, blocks, veto
Marcus listens to Dana
Dana -> Works council strong
Priya Nair, banana"""


def _page(store: Store, page: str) -> tuple[AppTest, int]:
    map_id = store.create("By hand", StakeholderMap())
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["map_id"] = map_id
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    return at, map_id


@pytest.mark.parametrize(("page", "key"), [("views/data.py", "data"), ("views/map.py", "map")])
def test_quick_add_reads_then_saves_one_version_and_keeps_what_it_could_not_read(store, page, key):
    at, map_id = _page(store, page)
    before = store.latest_number(map_id)
    at.text_area(key=f"{key}-quick-text").input(TEXT)
    next(b for b in at.button if b.label == "Read").click().run()
    assert not at.exception
    assert store.latest_number(map_id) == before  # reading saves nothing
    table = at.dataframe[0].value
    assert list(table["Line"]) == [1, 2, 3, 4, 5, 6]
    assert "decision role decider" in table.loc[0, "Read as"]
    errors = [e.value for e in at.error]
    assert any("Line 6" in e and "banana" in e for e in errors)
    add = at.button(key=f"{key}-quick-add")
    assert add.label == "Add to the map (3 people added, 2 ties)"
    add.click().run()
    assert not at.exception
    latest = store.latest(map_id)
    assert latest.number == before + 1 and latest.description.startswith("Quick add:")
    m = latest.data
    assert m.names == ["Dana Whitfield", "Marcus Lee", "Works council"]
    assert m.get("Dana Whitfield").power == 5 and m.get("Marcus Lee").stance < 0
    assert len(m.relationships) == 2
    assert at.text_area(key=f"{key}-quick-text").value == "Priya Nair, banana"  # left to fix


def test_quick_add_text_is_never_markup(store):
    at, map_id = _page(store, "views/data.py")
    at.text_area(key="data-quick-text").input("**Bold** <b>x</b>, CEO\n=1+1 -> **Bold** <b>x</b>")
    next(b for b in at.button if b.label == "Read").click().run()
    assert not at.exception
    at.button(key="data-quick-add").click().run()
    m = store.latest(map_id).data
    assert m.names[0] == "**Bold** <b>x</b>"
    assert not any("<b>" in md.value and "**" in md.value for md in at.markdown)
