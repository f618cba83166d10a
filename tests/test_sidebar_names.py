"""The sidebar shows a long map name whole (the closed picker cuts it at about 26 characters)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from stakemap.model import StakeholderMap
from stakemap.store.maps import Store
from stakemap.ui.text import inert

APP = Path(__file__).resolve().parents[1] / "app.py"


def test_a_long_map_name_is_shown_whole_in_the_sidebar(app_database: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    long = "Regional health partnership — procurement reform, phase two (draft)"
    map_id = Store(app_database).create(long, StakeholderMap(), "Created blank")
    at.session_state["map_id"] = map_id
    at.run()
    assert not at.exception
    assert inert(long) in [c.value for c in at.sidebar.caption]  # escaped: plain text
    short = Store(app_database).create("Board vote", StakeholderMap(), "Created blank")
    at.session_state["map_id"] = short
    at.run()
    assert inert("Board vote") not in [c.value for c in at.sidebar.caption]  # the picker holds it
