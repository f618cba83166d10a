"""The Data page in AppTest: upload through the file uploader, edit through the editor's state,
and find each change in the store.

AppTest cannot type into ``st.data_editor``. Assigning the edit state to
``at.session_state[key]`` changes the table the script receives, but runs no callback:
Streamlit runs callbacks only for widget values that arrive from the browser
(``SessionState._call_callbacks`` compares the incoming widget states with the last run's). The
Stakeholders and Relationships tables sit in forms that save on their "Save changes" button,
so :func:`_send_edit` sends the change set the way the browser does: as the editor's widget
state in the next run, with the form's submit button pressed when the editor is in a form.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from stakemap.store.maps import NAME_LENGTH, Store

APP = Path(__file__).resolve().parents[1] / "app.py"
_CREATE = "Create a new map from this file"
_CSV = "text/csv"


@pytest.fixture
def db(app_database: str) -> str:
    return app_database


@pytest.fixture
def data_page(db: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()  # the default page; the Data page is reached through st.navigation
    at.switch_page("views/data.py").run()
    assert not at.exception
    return at


def _upload(at: AppTest, name: str, data: bytes, mime: str = _CSV) -> AppTest:
    at.file_uploader[0].set_value((name, data, mime)).run()
    assert not at.exception
    return at


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _send_edit(
    at: AppTest, key: str, edited=None, added=(), deleted=(), submit: bool = True
) -> AppTest:
    """Run the script with ``key``'s change set arriving as the browser sends it; in a form,
    with its submit button pressed too (unless ``submit`` is False)."""
    editor = at.data_editor(key=key)
    change = {"edited_rows": edited or {}, "added_rows": list(added), "deleted_rows": list(deleted)}
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=editor.proto.id, string_value=json.dumps(change)))
    if editor.proto.form_id and submit:
        states.widgets.append(WidgetState(id=_submit_of(at, key).id, trigger_value=True))
    at._run(states)
    assert not at.exception
    return at


def _submit_of(at: AppTest, key: str):
    """The submit button of the form holding the editor keyed ``key``."""
    form = at.data_editor(key=key).proto.form_id
    return next(b for b in at.button if b.proto.is_form_submitter and b.proto.form_id == form)


def _new_map(store: Store, name: str) -> int:
    return next(m.id for m in store.list_maps() if m.name == name)


def test_upload_create_and_edit_reach_the_store(data_page: AppTest, db: str) -> None:
    at = _upload(
        data_page,
        "new team.csv",
        "Stakeholder;Influence;Attitude\nZoë;H;supportive\n李娜;2;Unaware\n".encode(),
        _CSV,
    )
    assert [s.value for s in at.success] == ["Ready: 2 stakeholders, 0 relationships."]
    _button(at, _CREATE).click().run()
    assert not at.exception

    store = Store(db)
    map_id = _new_map(store, "new team")
    created = store.latest(map_id)
    assert (created.number, created.description) == (1, "Imported new team.csv")
    assert created.data.names == ["Zoë", "李娜"]
    assert at.title[0].value == "Data · new team"

    _send_edit(at, f"people-{map_id}-1", edited={0: {"Stance": "Champion"}})
    saved = store.latest(map_id)
    assert (saved.number, saved.description) == (2, "Zoë: Stance Supporter -> Champion")
    assert saved.data.get("Zoë").stance == 2
    assert at.data_editor(key=f"people-{map_id}-2") is not None  # rebuilt from the store

    _send_edit(
        at,
        f"people-{map_id}-2",
        edited={1: {"Name": "Li Na"}},
        added=[{"Name": "Ben", "Power": 3}],
    )
    saved = store.latest(map_id)
    assert saved.number == 3
    assert saved.data.names == ["Zoë", "Li Na", "Ben"]
    assert saved.description == "Renamed 李娜 to Li Na; Added Ben"

    at.session_state["data-tab"] = "Relationships"
    _add_tie(at.run(), "Ben", "Zoë", kind="ally")
    tie = store.latest(map_id).data.relationships
    assert [(t.source, t.target, t.kind) for t in tie] == [("Ben", "Zoë", "ally")]


def _add_tie(at: AppTest, source: str | None, target: str | None, **how) -> AppTest:
    """Fill in the Add a tie form (a blank end stays unchosen) and press Add the tie."""
    if source is not None:
        at.selectbox(key="tie-from").set_value(source)
    if target is not None:
        at.selectbox(key="tie-to").set_value(target)
    if "kind" in how:
        at.selectbox(key="tie-kind").set_value(how["kind"])
    if "strength" in how:
        at.number_input(key="tie-strength").set_value(how["strength"])
    _button(at, "Add the tie").click().run()
    assert not at.exception
    return at


def test_a_refused_edit_saves_nothing_and_keeps_what_was_typed(data_page: AppTest, db: str):
    at = _upload(data_page, "pair.csv", b"Name,Power\nAna,4\nBen,2\n")
    _button(at, _CREATE).click().run()
    store = Store(db)
    map_id = _new_map(store, "pair")
    key = f"people-{map_id}-1"
    _send_edit(at, key, edited={0: {"Power": 5}, 1: {"Name": "ana", "Role": "Buyer"}})
    assert store.latest_number(map_id) == 1
    assert [_shown(e.value) for e in at.error] == [
        'Not saved:\n- Row 2, column Name: "ana" is already on the map\n\nNothing was saved. '
        "Your edits are still in the table: correct the cells below and press Save changes."
    ]
    # the same editor (its key holds the version, which did not move) keeps every typed value
    assert at.data_editor(key=key) is not None
    assert at.session_state[key]["edited_rows"] == {
        0: {"Power": 5},
        1: {"Name": "ana", "Role": "Buyer"},
    }
    _send_edit(at, key, edited={0: {"Power": 5}, 1: {"Name": "Bea", "Role": "Buyer"}})
    saved = store.latest(map_id)
    assert saved.number == 2 and not at.error
    assert [(s.name, s.power, s.role) for s in saved.data.stakeholders] == [
        ("Ana", 5, ""), ("Bea", 2, "Buyer")]  # fmt: skip


def _shown(markdown: str) -> str:
    """The text a reader sees: user text is shown with its markdown signs escaped."""
    return re.sub(r"\\(.)", r"\1", markdown)


def test_a_file_with_problems_lists_them_and_offers_no_import(data_page: AppTest) -> None:
    at = _upload(data_page, "dupes.csv", b"Name,Power\nAna,4\nAna,-1\n")
    [error] = at.error
    assert _shown(error.value).startswith("2 problem(s) in dupes.csv;")
    assert '- Stakeholders row 3, column Power: "-1" is outside 1-5' in _shown(error.value)
    assert _CREATE not in [b.label for b in at.button]


def test_a_hostile_upload_is_refused_in_one_line(data_page: AppTest, hostile_files) -> None:
    filename, data = hostile_files["entity bomb in sheet"]
    at = _upload(data_page, filename, data, "application/octet-stream")
    assert [_shown(e.value) for e in at.error] == [
        f"{filename} cannot be imported: the part xl/worksheets/sheet1.xml declares a document "
        "type (XML entities are refused)"
    ]


def test_the_column_mapping_can_name_the_name_column(data_page: AppTest, db: str) -> None:
    at = _upload(data_page, "japan.csv", "名前,Power\n田中太郎,4\n".encode())
    assert at.error and not at.success
    picker = next(s for s in at.selectbox if s.label == "名前")
    picker.select("Name").run()
    assert [s.value for s in at.success] == ["Ready: 1 stakeholders, 0 relationships."]
    _button(at, _CREATE).click().run()
    assert Store(db).latest(_new_map(Store(db), "japan")).data.names == ["田中太郎"]


def test_repeated_headers_are_offered_once_each_in_the_mapping(data_page: AppTest) -> None:
    at = _upload(data_page, "twice.csv", b"Name,Site,site,Name\nAna,Lyon,Leeds,Ann\n")
    assert [s.value for s in at.success] == ["Ready: 1 stakeholders, 0 relationships."]
    labels = [s.label for s in at.selectbox]
    assert {"Name", "Site", "site \\(2\\)", "Name \\(2\\)"} <= set(labels)  # inert: escaped


def test_long_names_import_and_duplicate_on_every_engine(data_page: AppTest, db: str) -> None:
    """Once a page exception on PostgreSQL (String(200)): a 250-character file stem, and
    "(copy)" added to a 200-character map name."""
    at = _upload(data_page, "Q" * 250 + ".csv", b"Name;Power\nAna;3\n")
    _button(at, _CREATE).click().run()
    assert not at.exception
    store = Store(db)
    imported = _new_map(store, "Q" * NAME_LENGTH)
    assert store.latest(imported).data.names == ["Ana"]

    _button(at, "Duplicate").click().run()
    assert not at.exception
    names = {m.name for m in store.list_maps() if m.name.startswith("Q")}
    assert names == {"Q" * NAME_LENGTH, "Q" * (NAME_LENGTH - 7) + " (copy)"}


_MIXED = b"Name,Power\nAna,4\nBen,huge\nCem,2\n"


def test_a_file_with_a_bad_row_can_import_its_good_rows(data_page: AppTest, db: str) -> None:
    at = _upload(data_page, "mixed.csv", _MIXED)
    [error] = at.error
    assert _shown(error.value).startswith(
        "1 problem(s) in mixed.csv; import the good rows below, or correct the cells in the table."
    )
    assert at.warning[0].value == (
        "1 row(s) have problems; the other rows are good (2 stakeholders, 0 relationships). "
        "Import the good rows (the others are listed and kept with the map), or correct the "
        "cells below and nothing needs retyping."
    )
    _button(at, "Create a new map from the good rows").click().run()
    assert not at.exception
    created = Store(db).latest(_new_map(Store(db), "mixed"))
    assert created.data.names == ["Ana", "Cem"]
    assert created.data.proposal.extra["Skipped at import"].startswith(
        "Stakeholders row 3: Name = Ben; Power = huge\n"
    )
    assert created.description == (
        'Imported mixed.csv: the good rows (1 left out, listed in the proposal under "Skipped '
        'at import")'
    )


def test_a_bad_cell_corrected_in_the_panel_imports_the_whole_file(
    data_page: AppTest, db: str
) -> None:
    at = _upload(data_page, "mixed.csv", _MIXED)
    [editor] = [e for e in at.data_editor if str(e.key).startswith("fix-")]
    _send_edit(at, editor.key, edited={0: {"Power": "5"}})
    assert [s.value for s in at.success] == ["Ready: 3 stakeholders, 0 relationships."]
    _button(at, _CREATE).click().run()
    created = Store(db).latest(_new_map(Store(db), "mixed"))
    assert [(s.name, s.power) for s in created.data.stakeholders] == [
        ("Ana", 4.0), ("Ben", 5.0), ("Cem", 2.0)]  # fmt: skip


def test_scores_left_at_their_default_are_warned_with_the_mapping_open(data_page: AppTest) -> None:
    at = _upload(data_page, "scores.csv", b"Name,Importance,Mood\nAna,H,for\nBen,L,against\n")
    assert [s.value for s in at.success] == ["Ready: 2 stakeholders, 0 relationships."]
    assert [_shown(w.value) for w in at.warning] == [
        "Power was left at its default (3) for everyone: no column was read as Power; it could "
        'be "Importance" (choose in the column mapping).',
        "Interest was left at its default (3) for everyone: no column was read as Interest; it "
        'could be "Importance" (choose in the column mapping).',
    ]
    mapping = next(e for e in at.expander if e.label.startswith("Column mapping"))
    assert mapping.proto.expanded
    next(s for s in at.selectbox if s.label == "Importance").select("Power").run()
    assert [_shown(w.value) for w in at.warning] == [
        "Interest was left at its default (3) for everyone: no column was read as Interest."
    ]


def test_saving_the_proposal_keeps_the_rule_as_written(db: str) -> None:
    from stakemap.model import Threshold
    from stakemap.samples.cases import new_programme

    store = Store(db)
    m = new_programme()
    two_thirds = replace(m, proposal=replace(m.proposal, pass_share=2 / 3))
    rule = (Threshold("11/20", "members"), Threshold("13/20"))
    lines = replace(m, proposal=replace(m.proposal, thresholds=rule, abstentions="not counted"))
    for name, data in (("Two thirds", two_thirds), ("Lines", lines)):
        map_id = store.create(name, data)
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.query_params["map"] = str(map_id)
        at.run()
        at.switch_page("views/data.py").run()
        at.session_state["data-tab"] = "Proposal"
        at.run()
        assert not at.exception
        next(t for t in at.text_input if t.label == "Title").set_value("Renamed proposal")
        _button(at, "Save proposal").click().run()
        saved = store.latest(map_id).data.proposal
        assert saved.title == "Renamed proposal"
        assert (saved.pass_share, saved.thresholds, saved.abstentions) == (
            data.proposal.pass_share,
            data.proposal.thresholds,
            data.proposal.abstentions,
        )
