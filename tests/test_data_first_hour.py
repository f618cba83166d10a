"""The Data page for a first-time user: tabs that stay put, ties in words, empty cells empty,
a history that names each change, restore by description, and Undo after a change."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from stakemap.files.table import tie_sentence
from stakemap.store.maps import Store
from tests.test_data_page import _send_edit

APP = Path(__file__).resolve().parents[1] / "app.py"
TABS = ["Stakeholders", "Relationships", "Proposal", "History"]


@pytest.fixture
def page(app_database: str) -> tuple[AppTest, Store, int]:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    store = Store(app_database)
    map_id = next(m.id for m in store.list_maps() if m.name.startswith("Organisation"))
    at.session_state["map_id"] = map_id
    at.session_state["data-tab"] = "Relationships"  # the people's tab is drawn all the same
    at.switch_page("views/data.py").run()
    assert not at.exception
    return at, store, map_id


def _ties_key(store: Store, map_id: int) -> str:
    return f"ties-{map_id}-{store.latest_number(map_id)}"


def test_tabs_keep_their_labels_after_a_tie_is_deleted(page) -> None:
    at, store, map_id = page
    assert [t.label for t in at.tabs] == TABS
    _send_edit(at, _ties_key(store, map_id), deleted=[0])
    assert store.latest_number(map_id) == 2
    assert [t.label for t in at.tabs] == TABS
    assert any("114 ties" in c.value for c in at.caption)


def test_each_tie_row_reads_in_words_and_empty_cells_stay_empty(page) -> None:
    at, store, map_id = page
    editor = at.data_editor(key=_ties_key(store, map_id))
    ties = store.latest(map_id).data.relationships
    assert list(editor.value["Reads as"]) == [tie_sentence(t) for t in ties]
    reversed_kinds = [t for t in ties if t.kind in ("defers to", "reports to")]
    assert reversed_kinds, "the sample has ties that read backwards"
    assert all(editor.proto.placeholder == "" for editor in at.data_editor)
    assert all(editor.proto.HasField("placeholder") for editor in at.data_editor)


def test_history_names_the_deleted_tie_and_undo_brings_it_back(page) -> None:
    at, store, map_id = page
    before = store.latest(map_id)
    first = before.data.relationships[0]
    _send_edit(at, _ties_key(store, map_id), deleted=[0])
    after = store.latest(map_id)
    assert after.description == f"Deleted tie {first.source} -> {first.target}"
    undo = next(b for b in at.button if b.label == "Undo")
    undo.click().run()
    assert not at.exception
    undone = store.latest(map_id)
    assert undone.number == after.number + 1
    assert undone.data == before.data
    assert undone.description == f"Undo: Deleted tie {first.source} -> {first.target}"
    assert not [b for b in at.button if b.label == "Undo"]  # nothing left to undo


def test_restore_lists_versions_with_their_descriptions(page) -> None:
    at, store, map_id = page
    _send_edit(at, _ties_key(store, map_id), deleted=[0])
    at.session_state["data-tab"] = "History"
    at.run()
    picker = next(s for s in at.selectbox if s.label == "Restore version")
    assert picker.options[0].startswith("Version 1 · ")
    assert picker.options[0].endswith(" UTC · Loaded sample map")


def test_a_refused_tie_edit_is_kept_while_another_tab_is_open(page) -> None:
    """Only the open tab is drawn, except a grid holding edits not saved: they stay."""
    at, store, map_id = page
    key = _ties_key(store, map_id)
    _send_edit(at, key, edited={0: {"Strength": 9}})
    assert store.latest_number(map_id) == 1 and at.error  # refused, nothing saved
    for tab in ("History", "Proposal"):
        at.session_state["data-tab"] = tab
        at.run()
        assert not at.exception
        assert at.data_editor(key=key).proto.id  # still drawn, its edits with it
        assert at.session_state[key]["edited_rows"] == {0: {"Strength": 9}}
    at.session_state["data-tab"] = "History"
    _send_edit(at, key, edited={0: {"Strength": 2}})
    assert store.latest(map_id).data.relationships[0].strength == 2
    at.run()
    assert not [e for e in at.data_editor if e.key.startswith("ties-")]  # saved: not drawn
