"""The Map page in AppTest: every lens on every sample and on an empty map; click, quick edits
that reach the store; presenter mode and anonymising.

AppTest cannot draw a chart, but it holds the chart's Vega-Lite spec and data, and a click
arrives as the chart's widget state (as the browser sends it), so both are tested here.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from stakemap.lenses.catalogue import LENS_NAMES, LENSES, SALIENCE
from stakemap.lenses.chart import chart_rows, lens_chart
from stakemap.lenses.sizing import ChartStyle, label_mode, plot_size, view_for
from stakemap.model import Stakeholder, StakeholderMap
from stakemap.samples.cases import SAMPLES
from stakemap.store.maps import Store
from tests.visible import chart_data

APP = Path(__file__).resolve().parents[1] / "app.py"


@pytest.fixture
def db(app_database: str) -> str:
    return app_database


def _map_page(db: str, map_name: str | None = None) -> tuple[AppTest, int | None]:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()  # the first start loads the samples; the Map page is the default page
    map_id = None
    if map_name is not None:
        map_id = next(m.id for m in Store(db).list_maps() if m.name == map_name)
        at.session_state["map_id"] = map_id
        at.run()
    assert not at.exception
    return at, map_id


def _chart_data(at: AppTest) -> list[dict]:
    """The rows the page's chart sends (:func:`tests.visible.chart_data`): labels, classes..."""
    return chart_data(at.get("vega_lite_chart")[0].proto)


def _click(at: AppTest, key: str) -> AppTest:
    """Click a marker: the chart's selection arrives as the browser sends it."""
    chart = at.get("vega_lite_chart")[0].proto
    selection = json.dumps({"selection": {"pick": [{"label": key}]}})
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=chart.id, string_value=selection))
    at._run(states)
    assert not at.exception
    return at


def _initials_key(at: AppTest):
    """The key to an initials chart: the dataframe with columns Initials and Name."""
    (key,) = [d.value for d in at.dataframe if list(d.value.columns) == ["Initials", "Name"]]
    return key


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


@pytest.mark.parametrize("sample", list(SAMPLES))
def test_every_lens_renders_for_each_sample(db, sample):
    at, _ = _map_page(db, sample)
    names = set(SAMPLES[sample]().names)
    for lens in LENS_NAMES:
        at.selectbox(key="map_lens").set_value(lens).run()
        assert not at.exception, lens
        labels = {row["label"] for row in _chart_data(at) if "label" in row}
        if labels != names:  # too crowded for names: initials, and a key to them
            key = _initials_key(at)
            assert labels == set(key["Initials"]), lens
            assert set(key["Name"]) == names, lens
        assert len(at.table) == 1


def test_every_lens_renders_for_an_empty_map(db):
    at, _ = _map_page(db)
    empty = Store(db).create("Empty", StakeholderMap())
    at.session_state["map_id"] = empty
    at.run()
    for lens in LENS_NAMES:
        at.selectbox(key="map_lens").set_value(lens).run()
        assert not at.exception, lens
        assert not [row for row in _chart_data(at) if "label" in row]


def test_no_map_asks_to_pick_one(db):
    store = Store(db)
    store.claim_first_start()  # no samples: the database has no map at all
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert any("Create or pick a map" in i.value for i in at.info)


def test_click_then_stance_plus_one_is_saved(db):
    at, map_id = _map_page(db, "Organisation (60 people)")
    store = Store(db)
    before = store.latest(map_id)
    person = next(s for s in before.data.stakeholders if s.stance == 0)
    _click(at, person.name)
    assert at.subheader[0].value.replace("\\", "") == person.name
    _button(at, "stance +1").click().run()
    assert not at.exception
    after = store.latest(map_id)
    assert after.number == before.number + 1
    assert after.data.get(person.name).stance == 1
    assert after.description == f"Stance of {person.name}: Neutral -> Supporter"
    # the page shows the saved state at once
    assert any(m.value == "Stance: **Supporter**" for m in at.markdown)
    focused = [row for row in _chart_data(at) if row.get("focus")]
    assert {(r["label"], r["stance"]) for r in focused} == {(person.name, "Supporter")}


def test_search_focuses_and_quick_edits_save_power_interest_notes(db):
    at, map_id = _map_page(db, "New programme (coalition from a junior position)")
    store = Store(db)
    name = next(s.name for s in store.latest(map_id).data.stakeholders if s.power < 5)
    at.selectbox(key="map_search").set_value(name).run()
    assert at.subheader[0].value.replace("\\", "") == name
    _labelled(at.number_input, "Power").set_value(5.0).run()
    assert store.latest(map_id).data.get(name).power == 5.0
    assert store.latest(map_id).description.startswith(f"Power of {name}: ")
    _labelled(at.number_input, "Interest").set_value(1.5).run()
    assert store.latest(map_id).data.get(name).interest == 1.5
    _labelled(at.text_area, "Notes").set_value("Ask about the pilot").run()
    latest = store.latest(map_id)
    assert latest.data.get(name).notes == "Ask about the pilot"
    assert latest.description == f"Notes of {name} edited"
    assert latest.data.get(name).power == 5.0
    _button(at, "Close").click().run()
    assert not at.subheader


def test_a_notes_edit_keeps_the_layout_and_a_power_edit_lays_out_again(db, monkeypatch):
    """The label plan is worked out per lens basis, not per version (docs/speed.md)."""
    import stakemap.ui.mapview as mapview

    m = SAMPLES["New programme (coalition from a junior position)"]()
    first = replace(m.stakeholders[0], group=f"Group {uuid.uuid4()}")  # content no test had
    store = Store(db)
    at, _ = _map_page(db)
    planned = []
    monkeypatch.setattr(
        mapview, "label_mode", lambda *args: planned.append(args[0]) or label_mode(*args)
    )
    at.session_state["map_id"] = map_id = store.create(
        "Basis", replace(m, stakeholders=(first, *m.stakeholders[1:])), "t"
    )
    at.run()
    at.selectbox(key="map_search").set_value(first.name).run()
    assert len(planned) == 2  # the map, then the chart narrowed for the person's pane
    _labelled(at.text_area, "Notes").set_value("Call after the board").run()
    assert store.latest(map_id).data.get(first.name).notes == "Call after the board"
    assert len(planned) == 2  # the version changed, its lens basis did not
    focused = [row for row in _chart_data(at) if row.get("focus")]
    assert [r["label"] for r in focused] == [first.name]
    _labelled(at.number_input, "Power").set_value(1.0 if first.power > 1 else 5.0).run()
    assert len(planned) == 3
    assert planned[-1].get(first.name).power != first.power
    assert not at.exception


def test_stance_buttons_stop_at_the_ends_of_the_scale(db):
    at, map_id = _map_page(db, "New programme (coalition from a junior position)")
    data = Store(db).latest(map_id).data
    champion = next(s for s in data.stakeholders if s.stance == 2)
    _click(at, champion.name)
    assert _button(at, "stance +1").disabled
    assert not _button(at, "stance -1").disabled
    blocker = next(s for s in data.stakeholders if s.stance == -2)
    _click(at, blocker.name)
    assert _button(at, "stance -1").disabled
    assert not _button(at, "stance +1").disabled


def test_filters_hide_people_from_the_chart(db):
    at, _ = _map_page(db, "Organisation (60 people)")
    at.multiselect(key="map_stances").set_value([2]).run()
    stances = {row["stance"] for row in _chart_data(at) if "stance" in row}
    assert stances == {"Champion"}
    assert any("hidden by the filters" in c.value for c in at.caption)


def test_filtered_spectrum_counts_only_the_people_shown(db):
    at, map_id = _map_page(db, "Organisation (60 people)")
    data = Store(db).latest(map_id).data
    champions = [s for s in data.stakeholders if s.stance == 2]
    at.selectbox(key="map_lens").set_value("Spectrum of allies").run()
    at.multiselect(key="map_stances").set_value([2]).run()
    subtitles = {row["kind"]: row["subtitle"] for row in _chart_data(at) if "subtitle" in row}
    power = sum(s.power for s in champions)
    assert subtitles["Active allies"].replace("\n", " ") == (
        f"{len(champions)} people, power {power:g}"
    )
    assert subtitles["Neutrals"] == "0 people, power 0"
    table = at.table[0].value
    assert table["People"].tolist() == [len(champions), 0, 0, 0, 0]


def test_show_data_lists_readable_columns_not_the_layout(db):
    """Streamlit's "Show data" lists the chart's first dataset: the people, readably."""
    at, _ = _map_page(db, "Organisation (60 people)")
    names = set(SAMPLES["Organisation (60 people)"]().names)
    first = at.get("vega_lite_chart")[0].proto.datasets[0]
    table = pa.ipc.open_stream(first.data.data).read_all()
    assert table.column_names == [
        "Name",
        "Stance",
        "Power/interest grid (Mendelow)",
        "Power",
        "Interest",
        "Group",
        "Role",
        "Decision role",
    ]
    assert set(table.column("Name").to_pylist()) == names
    at.toggle(key="map_presenter").set_value(True).run()
    at.selectbox(key="map_anonymise").set_value("letters").run()
    first = at.get("vega_lite_chart")[0].proto.datasets[0]
    table = pa.ipc.open_stream(first.data.data).read_all()
    assert "Group" not in table.column_names
    assert not set(table.column("Name").to_pylist()) & names


def test_salience_list_keeps_long_strategies_and_names_whole(db):
    at, map_id = _map_page(db, "Organisation (60 people)")
    at.selectbox(key="map_lens").set_value("Salience model").run()
    table = at.table[0].value
    assert [_unescape(s) for s in table["Strategy"]] == [c.strategy for c in SALIENCE]
    data = Store(db).latest(map_id).data
    listed = {n for cell in table["Names"] for n in _unescape(cell).split(", ") if n}
    assert listed == set(data.names)


def test_presenter_mode_hides_editing_and_anonymises(db):
    at, _ = _map_page(db, "Organisation (60 people)")
    names = set(SAMPLES["Organisation (60 people)"]().names)
    at.selectbox(key="map_search").set_value(sorted(names)[0]).run()
    assert _button(at, "stance +1")
    at.toggle(key="map_presenter").set_value(True).run()
    assert not at.exception
    assert not [b for b in at.button if b.label.startswith("stance")]
    assert not at.table  # no class list; a key to the initials or a list of people at most
    assert len(at.dataframe) <= 1
    css = "".join(h.value for h in at.html if "<style>" in h.value)
    assert "font-size: 22px" in css and "stSidebar" in css
    for mode, sample in (("letters", "Stakeholder A"), ("initials", None)):
        at.selectbox(key="map_anonymise").set_value(mode).run()
        rows = [row for row in _chart_data(at) if "label" in row]
        shown = {row["label"] for row in rows}
        assert not shown & names, mode
        assert sample is None or sample in shown
        # a crowded chart lists its people under it: by their anonymised labels, no key
        for frame in at.dataframe:
            assert "Initials" not in frame.value.columns
            assert not set(frame.value.astype(str).stack()) & names, mode
    at.toggle(key="map_presenter").set_value(False).run()
    assert not at.exception


def test_click_on_an_anonymised_marker_maps_back_to_the_person(db):
    at, map_id = _map_page(db, "Organisation (60 people)")
    at.toggle(key="map_presenter").set_value(True).run()
    at.selectbox(key="map_anonymise").set_value("letters").run()
    _click(at, "Stakeholder A")
    first = Store(db).latest(map_id).data.names[0]
    focused = [row for row in _chart_data(at) if row.get("focus")]
    assert {r["label"] for r in focused} == {"Stakeholder A"}
    at.toggle(key="map_presenter").set_value(False).run()
    assert at.subheader[0].value.replace("\\", "") == first


def _unescape(markdown: str) -> str:
    """The text of a markdown cell made inert (every sign escaped by a backslash)."""
    return markdown.replace("\\", "")


def _labelled(widgets, label: str):
    return next(w for w in widgets if w.label == label)


# ---------------------------------------------------------------- chart layout, no browser


def _chart_datasets(chart) -> list[list[dict]]:
    return [frame.to_dict("records") for frame in chart["datasets"].values()]


@pytest.mark.parametrize("presenter", [False, True])
def test_region_strategies_wrap_to_their_width_instead_of_being_cut(presenter):
    m = SAMPLES["Organisation (60 people)"]()
    style = ChartStyle.for_mode(presenter)
    for lens_name in ("Salience model", "Power/interest grid (Mendelow)"):
        view, tried = view_for(m, lens_name, None, style)
        chart, _rows = lens_chart(view, m, {n: n for n in m.names}, style=tried)
        rows = [r for d in _chart_datasets(chart) for r in d if r.get("subtitle")]
        strategies = {c.name: c.strategy for c in LENSES[lens_name].classes}
        assert {r["kind"] for r in rows} == set(strategies)
        for row in rows:
            lines = row["subtitle"].split("\n")
            assert " ".join(lines) == strategies[row["kind"]]
            assert max(map(len, lines)) * 0.5 * (tried.font - 1) <= row["limit"]
        # the strip above each region holds every line
        longest = max(len(r["subtitle"].split("\n")) for r in rows)
        strip_px = view.strip * plot_size(view.lens, tried)[1] / view.height
        assert strip_px >= tried.title_px(longest) - 1


def test_label_sizes_are_one_per_cell():
    people = (
        Stakeholder("Bartholomew Featherstonehaugh-Smythe", power=5, interest=5),
        Stakeholder("Al", power=5, interest=5),
        Stakeholder("Bo", power=1, interest=1),
        Stakeholder("Cy", power=1, interest=1),
    )
    m = StakeholderMap(people)
    style = ChartStyle.for_mode(False, narrow=True)
    view, tried = view_for(m, "Power map", None, style)
    rows, geo = chart_rows(view, m, {n: n for n in m.names}, style=tried)
    font = dict(zip(rows["label"], rows["font"], strict=True))
    assert font["Al"] == font["Bartholomew Featherstonehaugh-Smythe"] < geo["font"]
    assert font["Bo"] == font["Cy"] == geo["font"]


# ---------------------------------------------------------------- not rated: a blank is no rating


def _unrated_map(db: str) -> tuple[AppTest, int]:
    """A map whose HR head, Ben and Cleo left legitimacy or urgency blank, on the salience lens."""
    people = (
        Stakeholder("Ana", power=5, legitimacy=None, urgency=None, stance=2),
        Stakeholder("Ben", power=2, legitimacy=4, urgency=None),
        Stakeholder("Cleo", power=4, legitimacy=None, urgency=3),
        Stakeholder("Dan", power=4, legitimacy=4, urgency=4, stance=1, target_stance=1),
    )
    at, _ = _map_page(db)
    map_id = Store(db).create("Blanks", StakeholderMap(people))
    at.session_state["map_id"] = map_id
    at.run()
    at.selectbox(key="map_lens").set_value("Salience model").run()
    assert not at.exception
    return at, map_id


def _classes(at: AppTest) -> dict[str, str]:
    """Class of each person as the page's class list gives it."""
    table = at.table[0].value
    return {
        name: _unescape(cls)
        for cls, names in zip(table["Class"], table["Names"], strict=True)
        for name in _unescape(names).split(", ")
        if name
    }


def test_people_with_a_blank_are_said_not_rated_never_non_stakeholders(db):
    at, _ = _unrated_map(db)
    said = [_unescape(i.value) for i in at.info]
    assert said == [
        "3 people are not rated on legitimacy or urgency: Ana, Ben, Cleo. The lens shows "
        'them as "Not rated" until they are rated.'
    ]
    assert _classes(at) == {"Ana": "Not rated", "Ben": "Not rated", "Cleo": "Not rated",
                            "Dan": "Definitive"}  # fmt: skip
    chart = {row["label"]: row["class"] for row in _chart_data(at) if "label" in row}
    assert chart == _classes(at)
    titles = {row["kind"]: row["title"] for row in _chart_data(at) if row.get("title")}
    assert titles["Not rated"] == "Not rated"
    # one choice a blank field, none for the rated ones; no key holds a name
    labels = sorted(w.label for w in at.main.button_group)
    assert labels == ["Legitimacy of Ana", "Legitimacy of Cleo", "Urgency of Ana", "Urgency of Ben"]
    assert not [w for w in at.main.button_group if any(n in w.key for n in ("Ana", "Ben", "Cleo"))]
    # the other lenses read nothing that can be blank: no message there
    at.selectbox(key="map_lens").set_value("Power/interest grid (Mendelow)").run()
    assert not at.info and not at.main.button_group


def test_rating_through_the_form_saves_one_version_and_places_them(db):
    at, map_id = _unrated_map(db)
    store = Store(db)
    before = store.latest(map_id)
    choice = {w.label: w for w in at.main.button_group}
    choice["Legitimacy of Ana"].set_value(4)
    choice["Urgency of Ana"].set_value(5)
    choice["Urgency of Ben"].set_value(2)
    _button(at, "Save ratings").click().run()
    assert not at.exception
    after = store.latest(map_id)
    assert after.number == before.number + 1
    assert after.description == (
        "Rated on the Salience model: Legitimacy of Ana: blank -> 4; Urgency of Ana: "
        "blank -> 5; Urgency of Ben: blank -> 2"
    )
    ana, ben = after.data.get("Ana"), after.data.get("Ben")
    assert (ana.legitimacy, ana.urgency, ben.legitimacy, ben.urgency) == (4, 5, 4, 2)
    classes = _classes(at)
    assert (classes["Ana"], classes["Ben"], classes["Cleo"]) == (
        "Definitive",
        "Discretionary",
        "Not rated",
    )
    said = [_unescape(i.value) for i in at.info]
    assert said[0].startswith("1 person is not rated on legitimacy: Cleo.")
    assert [w.label for w in at.main.button_group] == ["Legitimacy of Cleo"]
    # nothing chosen: nothing saved
    _button(at, "Save ratings").click().run()
    assert store.latest(map_id).number == after.number


def test_the_person_pane_rates_a_blank_the_lens_reads(db):
    at, map_id = _unrated_map(db)
    at.selectbox(key="map_search").set_value("Cleo").run()
    legitimacy = _labelled(at.number_input, "Legitimacy")
    assert legitimacy.value is None
    assert _labelled(at.number_input, "Urgency").value == 3.0
    legitimacy.set_value(4.0).run()
    latest = Store(db).latest(map_id)
    assert latest.data.get("Cleo").legitimacy == 4.0
    assert latest.description == "Legitimacy of Cleo: blank -> 4"
    assert _classes(at)["Cleo"] == "Dominant"


def test_engagement_matrix_says_who_has_no_target_and_sets_it(db):
    at, map_id = _unrated_map(db)
    at.selectbox(key="map_lens").set_value("Engagement assessment matrix").run()
    said = [_unescape(i.value) for i in at.info]
    assert said[0].startswith("3 people are not rated on target stance: Ana, Ben, Cleo.")
    assert _classes(at)["Ana"] == "No target set" and _classes(at)["Dan"] == "On target"
    matrix = next(d.value for d in at.dataframe if "Gap" in d.value.columns)
    gaps = dict(zip(matrix["Name"], matrix["Gap"], strict=True))
    assert gaps["Dan"] == 0 and all(gaps[n] is pd.NA for n in ("Ana", "Ben", "Cleo"))
    next(w for w in at.main.button_group if w.label == "Target stance of Ben").set_value(2)
    _button(at, "Save ratings").click().run()
    latest = Store(db).latest(map_id)
    assert latest.data.get("Ben").target_stance == 2
    assert latest.description.endswith("Target stance of Ben: blank -> Champion")
    assert _classes(at)["Ben"] == "Gap to close"
