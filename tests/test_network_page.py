"""The Network page with AppTest: what it stores, shows and hands to the drawing.

AppTest cannot draw the iframe; it can read the HTML handed to it (``srcdoc``). Dragging and the
"Keep dragged positions" component are covered by tests/browser/test_network_browser.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from stakemap import network
from stakemap.model import Relationship, Stakeholder, StakeholderMap

PAGE = Path(__file__).resolve().parents[1] / "views" / "network.py"


def _trio() -> StakeholderMap:
    return StakeholderMap(
        (
            Stakeholder("Ana", stance=2, group="Ops", decision_role="decider"),
            Stakeholder("Ben", stance=0, group="Ops"),
            Stakeholder("Cy", stance=-2, group="Board"),
            Stakeholder("Dee", stance=1, group="Board"),
        ),
        (Relationship("Ana", "Ben", 3), Relationship("Ben", "Cy", 2)),
    )


def _open(map_id: int | None = None) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    if map_id is not None:
        at.query_params["map"] = str(map_id)
    return at.run()


def _drawing(at: AppTest) -> dict:
    (frame,) = at.get("iframe")
    page = frame.proto.srcdoc
    assert page.startswith("<!DOCTYPE html>")
    block = re.search(r'id="stakemap-data">(.*?)</script>', page).group(1)
    return json.loads(block)


def test_page_draws_the_map_and_says_who_matters(store):
    map_id = store.create("Trio", _trio())
    at = _open(map_id)
    assert not at.exception
    assert at.title[0].value == "Network"
    (frame,) = at.get("iframe")
    assert re.search(r"https?://", frame.proto.srcdoc) is None
    assert [n["label"] for n in _drawing(at)["nodes"]] == ["Ana", "Ben", "Cy", "Dee"]
    (table,) = at.dataframe
    assert sorted(table.value["Name"]) == ["Ana", "Ben", "Cy", "Dee"]
    assert table.value.columns.tolist() == ["Name", *network.METRIC_COLUMNS]
    # Sorted by reach, most first.
    reach = table.value["Influence reach (PageRank)"].tolist()
    assert reach == sorted(reach, reverse=True)
    notes = " ".join(md.value for md in at.markdown)
    assert all(text in notes for text in network.METRIC_EXPLANATIONS.values())


def test_first_view_stores_positions_once(store):
    map_id = store.create("Trio", _trio())
    at = _open(map_id)
    latest = store.latest(map_id)
    assert latest.description == "Placed 4 people in the network"
    assert latest.data.positions == network.layout(_trio())
    drawn = {n["label"]: (n["x"], n["y"]) for n in _drawing(at)["nodes"]}
    assert drawn == latest.data.positions
    at.run()
    assert store.latest_number(map_id) == latest.number


def test_a_newcomer_is_placed_without_moving_anyone(store):
    stored = {"Ana": (0.0, 0.0), "Ben": (300.0, 0.0), "Cy": (600.0, 0.0), "Dee": (0.0, 300.0)}
    m = _trio()
    m = StakeholderMap(
        (*m.stakeholders, Stakeholder("Eve")),
        (*m.relationships, Relationship("Eve", "Cy", 2)),
        positions=stored,
    )
    map_id = store.create("Trio", m)
    _open(map_id)
    latest = store.latest(map_id)
    assert latest.description == "Placed 1 person in the network"
    assert {k: latest.data.positions[k] for k in stored} == stored
    assert "Eve" in latest.data.positions


def test_rearrange_lays_everyone_out_afresh(store):
    scattered = {"Ana": (9.0, 9.0), "Ben": (-900.0, 5.0), "Cy": (40.0, 700.0), "Dee": (1.0, 1.0)}
    m = _trio()
    placed = StakeholderMap(m.stakeholders, m.relationships, positions=scattered)
    map_id = store.create("Trio", placed)
    at = _open(map_id)
    assert store.latest_number(map_id) == 1  # everyone had a place: nothing saved
    at.button[0].click().run()
    latest = store.latest(map_id)
    assert latest.description == "Re-arranged network"
    assert latest.data.positions == network.layout(m)


def test_highlight_reaches_the_drawing_and_lists_the_neighbourhood(store):
    map_id = store.create("Trio", _trio())
    at = _open(map_id)
    assert _drawing(at)["selected"] is None
    at.selectbox[0].set_value("Ben").run()
    assert _drawing(at)["selected"] == 1
    (expander,) = at.expander
    assert expander.label == "Ben's neighbourhood: 2 people"
    near = at.dataframe[0].value
    assert near.to_dict("records") == [
        {"Person": "Ana", "Steps": 1, "Tie": "influences Ben (+3)"},
        {"Person": "Cy", "Steps": 1, "Tie": "influenced by Ben (+2)"},
    ]
    at.radio[0].set_value(2).run()
    assert _drawing(at)["depth"] == 2


def test_filters_hide_people_in_the_drawing(store):
    map_id = store.create("Trio", _trio())
    at = _open(map_id)
    at.multiselect[0].set_value(["Board"]).run()
    shown = [n["label"] for n in _drawing(at)["nodes"] if not n.get("hidden")]
    assert shown == ["Cy", "Dee"]
    at.multiselect[1].set_value([2, -2]).run()
    shown = [n["label"] for n in _drawing(at)["nodes"] if not n.get("hidden")]
    assert shown == ["Cy"]


def test_left_out_ties_are_reported(store):
    m = _trio()
    m = StakeholderMap(m.stakeholders, (*m.relationships, Relationship("Ben", "Ben", 2)))
    at = _open(store.create("Loop", m))
    (warning,) = at.warning
    assert "1 tie is left out" in warning.value
    assert at.dataframe[0].value.to_dict("records") == [
        {"From": "Ben", "To": "Ben", "Why": "a person cannot influence themself"}
    ]


def test_empty_map_and_no_map(store):
    at = _open(store.create("Empty", StakeholderMap()))
    assert "no stakeholders yet" in at.info[0].value
    assert not at.get("iframe")
    for info in store.list_maps():
        store.delete(info.id)
    at = _open()
    assert at.info[0].value == "Create or pick a map in the sidebar."
