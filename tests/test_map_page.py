"""The Map page in AppTest: every lens on every sample and on an empty map; click, quick edits
that reach the store; presenter mode and anonymising.

AppTest cannot draw a chart, but it holds the chart's Vega-Lite spec and data, and a click
arrives as the chart's widget state (as the browser sends it), so both are tested here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from stakemap.lenses import LENS_NAMES
from stakemap.model import StakeholderMap
from stakemap.samples import SAMPLES
from stakemap.store import Store

APP = Path(__file__).resolve().parents[1] / "app.py"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("STAKEMAP_DATABASE_URL", url)
    return url


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
    """The rows of every dataset of the page's chart (Arrow tables): labels, classes..."""
    chart = at.get("vega_lite_chart")[0].proto
    return [
        row
        for dataset in chart.datasets
        for row in pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()
    ]


def _click(at: AppTest, key: str) -> AppTest:
    """Click a marker: the chart's selection arrives as the browser sends it."""
    chart = at.get("vega_lite_chart")[0].proto
    selection = json.dumps({"selection": {"pick": [{"key": key}]}})
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=chart.id, string_value=selection))
    at._run(states)
    assert not at.exception
    return at


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
        assert labels == names, lens
        assert len(at.dataframe) >= 1


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


def test_presenter_mode_hides_editing_and_anonymises(db):
    at, _ = _map_page(db, "Organisation (60 people)")
    names = set(SAMPLES["Organisation (60 people)"]().names)
    at.selectbox(key="map_search").set_value(sorted(names)[0]).run()
    assert _button(at, "stance +1")
    at.toggle(key="map_presenter").set_value(True).run()
    assert not at.exception
    assert not [b for b in at.button if b.label.startswith("stance")]
    assert not at.dataframe
    css = "".join(m.value for m in at.markdown if "<style>" in m.value)
    assert "font-size: 22px" in css and "stSidebar" in css
    for mode, sample in (("letters", "Stakeholder A"), ("initials", None)):
        at.selectbox(key="map_anonymise").set_value(mode).run()
        rows = [row for row in _chart_data(at) if "label" in row]
        shown = {row["label"] for row in rows} | {row["key"] for row in rows}
        assert not shown & names, mode
        assert sample is None or sample in shown
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


def _labelled(widgets, label: str):
    return next(w for w in widgets if w.label == label)
