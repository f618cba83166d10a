"""The Data page's tables in forms (AppTest): every pending edit saves as one version when the
form is sent, a refused cell saves nothing, and ties are added from the Add a tie form only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.proto.Dataframe_pb2 import Dataframe
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from stakemap.store.maps import Store
from tests.test_data_page import _add_tie, _send_edit, _shown, _submit_of

APP = Path(__file__).resolve().parents[1] / "app.py"
NEW = "New programme (coalition from a junior position)"


@pytest.fixture
def page(app_database: str) -> tuple[AppTest, Store, int]:
    """The Data page of the sample "New programme" (8 people, 15 ties), at version 1."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    store = Store(app_database)
    map_id = next(m.id for m in store.list_maps() if m.name == NEW)
    at.session_state["map_id"] = map_id
    at.session_state["data-tab"] = "Relationships"  # the people's tab is drawn all the same
    at.switch_page("views/data.py").run()
    assert not at.exception
    return at, store, map_id


def test_several_cells_of_several_rows_save_as_one_version(page) -> None:
    at, store, map_id = page
    key = f"people-{map_id}-1"
    typed = {
        1: {"Role": "Lead analyst", "Group": "Operations", "Power": 4, "Interest": 2},
        2: {"Stance": "Champion"},
    }
    _send_edit(at, key, edited=typed, added=[{"Name": "Ines Duarte", "Power": 2}], submit=False)
    assert store.latest_number(map_id) == 1  # kept in the grid: nothing saved before Save
    _send_edit(at, key, edited=typed, added=[{"Name": "Ines Duarte", "Power": 2}])
    history = store.history(map_id)
    assert [v.number for v in history] == [2, 1]
    omar, priya = store.latest(map_id).data.stakeholders[1:3]
    assert (omar.role, omar.group, omar.power, omar.interest) == (
        "Lead analyst", "Operations", 4, 2)  # fmt: skip
    assert priya.stance == 2
    assert store.latest(map_id).data.names[-1] == "Ines Duarte"
    assert history[0].description == (
        "Omar Haddad: Role Business development executive -> Lead analyst; Omar Haddad: Group "
        "Business -> Operations; Omar Haddad: Power 3 -> 4 (+3 more)"
    )
    assert at.data_editor(key=f"people-{map_id}-2") is not None  # rebuilt from the new version


def test_tie_edits_and_deletions_save_as_one_version(page) -> None:
    at, store, map_id = page
    before = store.latest(map_id).data.relationships
    _send_edit(at, f"ties-{map_id}-1", edited={0: {"Strength": 1, "Notes": "monthly"}}, deleted=[2])
    assert store.latest_number(map_id) == 2
    after = store.latest(map_id).data.relationships
    assert (after[0].strength, after[0].notes) == (1, "monthly")
    assert after[1:] == before[1:2] + before[3:]


def test_the_ties_table_adds_no_rows_and_the_people_table_does(page) -> None:
    at, _, map_id = page
    modes = {e.key: e.proto.editing_mode for e in at.data_editor if e.key}
    assert modes[f"ties-{map_id}-1"] == Dataframe.EditingMode.DELETE_ONLY
    assert modes[f"people-{map_id}-1"] == Dataframe.EditingMode.DYNAMIC
    assert all(e.proto.form_id for e in at.data_editor if e.key)  # both in forms


def test_add_a_tie_needs_both_ends_and_keeps_the_choices(page) -> None:
    at, store, map_id = page
    pickers = [at.selectbox(key=k) for k in ("tie-from", "tie-to")]
    assert [(p.index, p.placeholder) for p in pickers] == [(None, "Type a name")] * 2
    _add_tie(at, "Priya Nair", None)
    assert [_shown(e.value) for e in at.error] == [
        "Not added: New tie, column To: is blank; choose a person on the map"
    ]
    assert at.selectbox(key="tie-from").value == "Priya Nair"  # kept to finish
    _add_tie(at, None, "Priya Nair")
    assert [_shown(e.value) for e in at.error] == [
        'Not added: New tie, column To: "Priya Nair" is the same person as From'
    ]
    _add_tie(at, None, "Maya Lin", kind="ally")
    assert [_shown(e.value) for e in at.error] == [
        "Not added: New tie: Priya Nair and Maya Lin are allies: they sway each other is on the "
        "map already (row 2 below)"
    ]
    assert store.latest_number(map_id) == 1
    _add_tie(at, None, "Tom Becker", kind="rival")
    saved = store.latest(map_id)
    assert (saved.number, saved.description) == (2, "Added tie Priya Nair -> Tom Becker")
    tie = saved.data.relationships[-1]
    assert (tie.source, tie.target, tie.kind, tie.strength) == (
        "Priya Nair", "Tom Becker", "rival", -3)  # fmt: skip
    assert not at.error
    assert [at.selectbox(key=k).value for k in ("tie-from", "tie-to")] == [None, None]


def test_a_save_from_an_older_version_is_refused(page) -> None:
    """Another tab saved first: nothing is overwritten and the grid keeps the typed value."""
    at, store, map_id = page
    latest = store.latest(map_id)
    store.save(map_id, latest.data, latest.number, "Saved in another tab")
    key = f"people-{map_id}-1"
    _send_edit(at, key, edited={0: {"Role": "Client lead"}})
    assert store.latest(map_id).description == "Saved in another tab"
    assert any("changed in another tab" in e.value for e in at.error)
    assert at.data_editor(key=key) is not None
    assert at.session_state[key]["edited_rows"] == {0: {"Role": "Client lead"}}


def test_two_forms_sent_in_one_run_never_overwrite(page) -> None:
    """Both tables sent at once (their presses coalesced into one run): the first saves, the
    second, drawn from the version before, is refused instead of saving over it."""
    at, store, map_id = page
    people, ties = f"people-{map_id}-1", f"ties-{map_id}-1"
    states = at._tree.get_widget_states()
    for key, change in ((people, {0: {"Role": "Client lead"}}), (ties, {0: {"Strength": 1}})):
        edit = {"edited_rows": change, "added_rows": [], "deleted_rows": []}
        states.widgets.append(
            WidgetState(id=at.data_editor(key=key).proto.id, string_value=json.dumps(edit))
        )
        states.widgets.append(WidgetState(id=_submit_of(at, key).id, trigger_value=True))
    at._run(states)
    assert not at.exception
    assert store.latest_number(map_id) == 2
    saved = store.latest(map_id).data
    assert saved.stakeholders[0].role == "Client lead"
    [error] = at.error
    assert _shown(error.value).startswith("Not saved: the map changed on this page")


def test_a_tie_sent_with_a_table_in_one_run_is_not_added_over_it(page) -> None:
    at, store, map_id = page
    at.selectbox(key="tie-from").set_value("Priya Nair")
    at.selectbox(key="tie-to").set_value("Tom Becker")
    next(b for b in at.button if b.label == "Add the tie").click()
    people = f"people-{map_id}-1"
    _submit_of(at, people).click()
    states = at._tree.get_widget_states()
    edit = {"edited_rows": {0: {"Role": "Client lead"}}, "added_rows": [], "deleted_rows": []}
    states.widgets.append(
        WidgetState(id=at.data_editor(key=people).proto.id, string_value=json.dumps(edit))
    )
    at._run(states)
    assert not at.exception
    assert store.latest_number(map_id) == 2
    assert store.latest(map_id).data.stakeholders[0].role == "Client lead"
    assert store.latest(map_id).data.relationships == store.load(map_id, 1).data.relationships
    assert [_shown(e.value) for e in at.error] == [
        "Not added: the map changed on this page while the tie was sent; add it again"
    ]
    assert at.selectbox(key="tie-from").value == "Priya Nair"  # kept to send again
