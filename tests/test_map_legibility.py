"""Issue 13 item 4, the Map chart on a projector and a phone: minimum label and marker sizes
per screen, initials with a key or a list when names cannot be that large, rings that never
cross their labels. Maps are generated (:func:`stakemap.samples.generated`), not the samples.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from stakemap.lenses import catalogue, people, sizing
from stakemap.lenses.chart import chart_rows, lens_chart
from stakemap.lenses.sizing import ChartStyle, label_mode, slot_layout
from stakemap.samples import synthetic
from stakemap.store.maps import Store
from tests.test_map_page import _chart_data

APP = Path(__file__).resolve().parents[1] / "app.py"
SIZES = (10, 60, 200)
SEEDS = (1, 5)


def _plans(presenter: bool):
    style = ChartStyle.for_mode(presenter)
    for n in SIZES:
        for seed in SEEDS:
            m = synthetic.generated(seed, n)
            for lens in catalogue.LENS_NAMES:
                yield n, lens, m, label_mode(m, lens, None, style)


def _drawn_fonts(m, plan) -> list[float]:
    rows, geo = chart_rows(plan.view, m, plan.labels, "power", None, plan.style)
    return [] if not geo["font"] else list(rows["font"])


@pytest.mark.parametrize("presenter", [True, False])
def test_labels_are_never_below_the_screens_minimum(presenter):
    """Presenting at 1280x800 (the smallest projector) no label is drawn under 16 px, on a
    desktop none under 10 px; the largest marker is at least 12 px / 10 px."""
    least_label = sizing.MIN_LABEL_PRESENTER_PX if presenter else sizing.MIN_LABEL_DESKTOP_PX
    least_marker = sizing.MIN_MARKER_PRESENTER_PX if presenter else sizing.MIN_MARKER_DESKTOP_PX
    k = sizing.PRESENTER_K if presenter else 1.0
    modes = set()
    for n, lens, m, plan in _plans(presenter):
        modes.add(plan.mode)
        assert plan.mode in sizing.LABEL_MODES
        fonts = _drawn_fonts(m, plan)
        assert (plan.mode == "list") == (not fonts), (n, lens)
        if fonts:
            assert min(fonts) * k >= least_label - 1e-9, (n, lens, plan.mode)
            geo = sizing.marker_geometry(plan.view, plan.style)
            assert geo["dmax"] * k >= least_marker - 1e-9, (n, lens, plan.mode)
    assert modes == {"names", "initials", "list"}  # all occur


def test_a_crowded_presenter_power_map_falls_back_to_initials_or_a_list():
    """60 and 200 people never get full names on a 1280x800 projector's power map."""
    style = ChartStyle.for_mode(True)
    for n in (60, 200):
        m = synthetic.generated(5, n)
        plan = label_mode(m, "Power map", None, style)
        assert plan.mode in ("initials", "list"), n
        if plan.mode == "initials":
            assert plan.labels == people.anonymise(m.names, "initials")
            key = sizing.initials_key(plan, m)
            assert list(key.columns) == ["Initials", "Name"]
            assert set(key["Name"]) == set(m.names)
            assert dict(zip(key["Name"], key["Initials"], strict=True)) == plan.labels


def test_an_anonymised_chart_never_gets_a_key_to_the_names():
    m = synthetic.generated(5, 60)
    for mode in ("letters", "initials"):
        labels = people.anonymise(m.names, mode)
        for lens in catalogue.LENS_NAMES:
            plan = label_mode(m, lens, None, ChartStyle.for_mode(True), labels)
            assert plan.mode in ("names", "list"), (mode, lens)
            assert plan.labels == labels


def test_stakeholder_letters_fall_back_to_the_letters_alone(crowded):
    """ "Stakeholder AB" is too long for a crowded projector: "AB" alone, and no key."""
    _, map_id = crowded
    m = synthetic.generated(5, 60)
    at = _presenting(map_id, "Power map")
    at.selectbox(key="map_anonymise").set_value("letters").run()
    assert "the chart shows the letters alone" in _captions(at)
    rows = [row for row in _chart_data(at) if "label" in row]
    chosen = people.anonymise(m.names, "letters").values()
    assert {row["label"] for row in rows} == {x.removeprefix("Stakeholder ") for x in chosen}
    assert not at.dataframe  # no key: the letters are the labels, without their prefix


@pytest.mark.parametrize("presenter", [True, False])
def test_a_label_sits_below_its_ring(presenter):
    """Target and focus rings (outer edge of the widest stroke) end above their label, and
    the whole of marker, ring and label stays inside the slot."""
    for n, lens, _m, plan in _plans(presenter):
        geo = sizing.marker_geometry(plan.view, plan.style)
        if not geo["font"]:
            continue
        box = slot_layout(geo)
        assert box["label_top"] > box["ring_bottom"], (n, lens)
        assert box["ring_bottom"] > box["marker_bottom"]
        plot_h = sizing.plot_size(plan.view.lens, plan.style)[1]
        slot_h = plan.view.placement.h * plot_h / plan.view.height
        assert box["ring_top"] >= -slot_h / 2 - 1e-6, (n, lens)
        assert box["label_bottom"] <= slot_h / 2 + 1e-6, (n, lens)


def test_the_chart_draws_labels_at_the_layouts_offset():
    """The label layer's yOffset is the layout's label top (times the chart scale k)."""
    m = synthetic.generated(5, 60)
    plan = label_mode(m, "Power map", None, ChartStyle.for_mode(True))
    assert plan.mode == "initials"
    spec, _rows = lens_chart(plan.view, m, plan.labels, style=plan.style)
    geo = sizing.marker_geometry(plan.view, plan.style)
    offsets = [
        layer["mark"]["yOffset"]["expr"]
        for layer in spec["layer"]
        if layer["mark"]["type"] == "text" and layer["encoding"]["text"]["field"] == "label"
    ]
    assert offsets == [f"{slot_layout(geo)['label_top']:.2f} * k"]


def test_markers_keep_size_by_power_in_names_mode():
    """Presenting with names (long labels, wide flat slots), the largest marker is at least
    the presenter minimum and a power-1 marker 60% of it: never all the same tiny dot."""
    style = ChartStyle.for_mode(True)
    for seed in SEEDS:
        m = synthetic.generated(seed, 10)
        for lens in catalogue.LENS_NAMES:
            plan = label_mode(m, lens, None, style)
            rows, geo = chart_rows(plan.view, m, plan.labels, "power", None, plan.style)
            assert geo["dmax"] * sizing.PRESENTER_K >= sizing.MIN_MARKER_PRESENTER_PX
            sizes = rows.groupby("power")["size"].first()
            if len(sizes) > 1:
                assert sizes.is_monotonic_increasing and sizes.iloc[-1] > 2 * sizes.iloc[0]


# ---------------------------------------------------------------- the Map page


@pytest.fixture
def crowded(app_database: str) -> tuple[str, int]:
    AppTest.from_file(str(APP), default_timeout=60).run()  # first start: the samples
    store = Store(app_database)
    return app_database, store.create("Generated 60", synthetic.generated(5, 60))


def _presenting(map_id: int, lens: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["map_id"] = map_id
    at.run()
    at.toggle(key="map_presenter").set_value(True).run()
    at.selectbox(key="map_lens").set_value(lens).run()
    assert not at.exception
    return at


def _captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_a_crowded_presenter_power_map_shows_initials_and_their_key(crowded):
    _, map_id = crowded
    m = synthetic.generated(5, 60)
    at = _presenting(map_id, "Power map")
    assert "the chart shows initials, and the key below gives each one's name" in _captions(at)
    (key,) = [d.value for d in at.dataframe if list(d.value.columns) == ["Initials", "Name"]]
    initials = people.anonymise(m.names, "initials")
    assert dict(zip(key["Name"], key["Initials"], strict=True)) == initials
    spec = at.get("vega_lite_chart")[0].proto.spec
    assert "Initials" not in spec  # the key is a dataframe, not chart text or markdown
    # anonymised, no key: nobody's name appears anywhere on the page
    at.selectbox(key="map_anonymise").set_value("letters").run()
    assert not [d for d in at.dataframe if "Initials" in d.value.columns]
    assert "key below" not in _captions(at)


def test_a_presenter_chart_too_crowded_for_initials_lists_its_people(crowded):
    _, map_id = crowded
    m = synthetic.generated(5, 60)
    at = _presenting(map_id, "Power/interest grid (Mendelow)")
    assert "the chart shows markers only, and the list below holds everyone." in _captions(at)
    (people,) = at.dataframe
    assert set(people.value["Name"]) == set(m.names)
