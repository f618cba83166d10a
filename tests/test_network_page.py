"""The Network page with AppTest: what it stores, shows and hands to the drawing.

AppTest cannot draw the iframe; it can read the HTML handed to it (``srcdoc``). Dragging and the
"Keep dragged positions" component are covered by tests/browser/test_network_browser.py.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from stakemap.model import Relationship, Stakeholder, StakeholderMap
from stakemap.network import communities, layout, measures
from stakemap.ui.netpage import NUMBERS_KEY
from stakemap.ui.text import inert
from tests.lines import lined_up

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


def _open(map_id: int | None = None, *, numbers: bool = False) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=60)
    if map_id is not None:
        at.query_params["map"] = str(map_id)
    if numbers:
        at.session_state[NUMBERS_KEY] = True
    return at.run()


def _drawing(at: AppTest) -> dict:
    (frame,) = at.get("iframe")
    page = frame.proto.srcdoc
    assert page.startswith("<!DOCTYPE html>")
    block = re.search(r'id="stakemap-data">(.*?)</script>', page).group(1)
    return json.loads(block)


def test_the_numbers_are_worked_out_only_when_opened(store):
    at = _open(store.create("Trio", _trio()))
    assert not at.exception
    assert "Who matters in the network: the numbers" in [e.label for e in at.expander]
    assert not at.dataframe and not at.session_state[NUMBERS_KEY]


def test_page_draws_the_map_and_says_who_matters(store):
    map_id = store.create("Trio", _trio())
    at = _open(map_id, numbers=True)
    assert not at.exception
    assert at.title[0].value == "Network"
    (frame,) = at.get("iframe")
    assert re.search(r"https?://", frame.proto.srcdoc) is None
    assert [n["label"] for n in _drawing(at)["nodes"]] == ["Ana", "Ben", "Cy", "Dee"]
    (table,) = at.dataframe
    assert sorted(table.value["Name"]) == ["Ana", "Ben", "Cy", "Dee"]
    assert table.value.columns.tolist() == ["Name", *measures.METRIC_COLUMNS]
    # Sorted by reach, most first.
    reach = table.value["Influence reach (PageRank)"].tolist()
    assert reach == sorted(reach, reverse=True)
    notes = " ".join(md.value for md in at.markdown)
    assert all(text in notes for text in measures.METRIC_EXPLANATIONS.values())


def test_viewing_saves_nothing_and_draws_the_computed_layout(store):
    map_id = store.create("Trio", _trio())
    at = _open(map_id)
    assert not at.exception
    assert store.latest_number(map_id) == 1
    drawn = {n["label"]: (n["x"], n["y"]) for n in _drawing(at)["nodes"]}
    assert drawn == layout.layout(_trio())
    assert not at.toast
    (caption,) = [c for c in at.caption if "no saved place" in c.value]
    assert caption.value.startswith("4 people have no saved place")
    at.run()
    assert store.latest_number(map_id) == 1


def test_pin_this_layout_saves_the_drawn_positions(store):
    map_id = store.create("Trio", _trio())
    at = _open(map_id)
    drawn = {n["label"]: (n["x"], n["y"]) for n in _drawing(at)["nodes"]}
    at.button(key="net-pin").click().run()
    latest = store.latest(map_id)
    assert latest.number == 2
    assert latest.description == "Pinned the network layout"
    assert latest.data.positions == drawn
    # Everyone is placed now: the button and its caption are gone, and viewing saves nothing.
    assert not [b for b in at.button if b.key == "net-pin"]
    assert not [c for c in at.caption if "no saved place" in c.value]
    at.run()
    assert store.latest_number(map_id) == 2


def test_a_newcomer_is_placed_in_memory_without_moving_anyone(store):
    stored = {"Ana": (0.0, 0.0), "Ben": (300.0, 0.0), "Cy": (600.0, 0.0), "Dee": (0.0, 300.0)}
    m = _trio()
    m = StakeholderMap(
        (*m.stakeholders, Stakeholder("Eve")),
        (*m.relationships, Relationship("Eve", "Cy", 2)),
        positions=stored,
    )
    map_id = store.create("Trio", m)
    at = _open(map_id)
    assert store.latest_number(map_id) == 1
    drawn = {n["label"]: (n["x"], n["y"]) for n in _drawing(at)["nodes"]}
    assert {k: drawn[k] for k in stored} == stored
    assert drawn["Eve"] == layout.complete_positions(m)["Eve"]
    (caption,) = [c for c in at.caption if "no saved place" in c.value]
    assert caption.value.startswith("1 person has no saved place")


def test_rearrange_lays_everyone_out_afresh(store):
    scattered = {"Ana": (9.0, 9.0), "Ben": (-900.0, 5.0), "Cy": (40.0, 700.0), "Dee": (1.0, 1.0)}
    m = _trio()
    placed = StakeholderMap(m.stakeholders, m.relationships, positions=scattered)
    map_id = store.create("Trio", placed)
    at = _open(map_id)
    assert store.latest_number(map_id) == 1  # everyone had a place: nothing saved
    assert not [b for b in at.button if b.key == "net-pin"]  # nothing left to pin
    at.button(key="net-rearrange").click().run()
    latest = store.latest(map_id)
    assert latest.description == "Re-arranged network"
    assert latest.data.positions == layout.layout(m)
    at.button(key="net-rearrange").click().run()  # already arranged: nothing saved
    assert store.latest_number(map_id) == 2


def test_rearrange_saves_a_map_that_had_no_positions(store):
    map_id = store.create("Trio", _trio())
    at = _open(map_id)
    at.button(key="net-rearrange").click().run()
    latest = store.latest(map_id)
    assert latest.description == "Re-arranged network"
    assert latest.data.positions == layout.layout(_trio())


def test_highlight_reaches_the_drawing_and_lists_the_neighbourhood(store):
    map_id = store.create("Trio", _trio())
    at = _open(map_id)
    assert _drawing(at)["selected"] is None
    at.selectbox[0].set_value("Ben").run()
    assert _drawing(at)["selected"] is None  # sent through the bridge, not the page
    labels = [e.label for e in at.expander]
    assert "Ben's neighbourhood: 2 people" in labels
    near = next(d.value for d in at.dataframe if "Tie" in d.value.columns)
    assert near.to_dict("records") == [
        {"Person": "Ana", "Steps": 1, "Tie": "influences Ben (+3)"},
        {"Person": "Cy", "Steps": 1, "Tie": "influenced by Ben (+2)"},
    ]


def test_highlight_says_who_reaches_them_in_words(store):
    map_id = store.create("Trio", _trio())
    at = _open(map_id)
    assert not at.info  # nobody highlighted: no sentence yet
    at.selectbox[0].set_value("Cy").run()
    assert not at.exception
    assert at.info[0].value == inert(
        "Your best messenger to Cy is Ana: Ana sways Ben, who sways Cy."
    )
    assert "Who can reach Cy, and through whom (2)" in [e.label for e in at.expander]
    routes = next(d.value for d in at.dataframe if "Route" in d.value.columns)
    assert routes["Person"].tolist() == ["Ben", "Ana"]
    # the measures stay, behind an expander
    assert "Who matters in the network: the numbers" in [e.label for e in at.expander]


def test_filters_that_hide_everyone_say_so_instead_of_a_blank_drawing(store):
    map_id = store.create("Trio", _trio())
    at = _open(map_id)
    at.multiselect[0].set_value(["Ops"]).run()
    at.multiselect[1].set_value([-2]).run()  # Cy is the only blocker, and is on the Board
    assert at.get("iframe")  # kept, so that it is not reloaded when the filters change
    (info,) = at.info
    assert info.value.startswith("No one matches these filters")
    assert not at.exception


def test_a_highlighted_person_hidden_by_the_filters_is_not_selected(store):
    map_id = store.create("Trio", _trio())
    at = _open(map_id)
    at.selectbox[0].set_value("Ana").run()
    at.multiselect[0].set_value(["Board"]).run()
    assert _drawing(at)["selected"] is None
    assert any("Ana is hidden by the filters" in c.value for c in at.caption)


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


def test_highlight_and_filters_leave_the_drawing_page_unchanged(store):
    """They travel through the bridge: an identical srcdoc is an iframe Streamlit keeps."""
    map_id = store.create("Trio", _trio())
    at = _open(map_id)
    (frame,) = at.get("iframe")
    first = frame.proto.srcdoc
    at.selectbox(key=f"net-person-{map_id}").select("Ben").run()
    at.radio(key=f"net-depth-{map_id}").set_value(2).run()
    at.multiselect(key=f"net-groups-{map_id}").select("Ops").run()
    assert not at.exception
    assert any(e.label.startswith("Ben's neighbourhood") for e in at.expander)
    (frame,) = at.get("iframe")
    assert frame.proto.srcdoc == first
    # Nobody matching the filters still keeps the drawing (and says so above it).
    at.multiselect(key=f"net-stances-{map_id}").select(-2).run()
    (frame,) = at.get("iframe")
    assert frame.proto.srcdoc == first
    assert any("No one matches" in i.value for i in at.info)


def test_a_click_in_the_drawing_selects_only_a_name_in_the_map():
    from stakemap.ui.netpage import take_click

    m = _trio()
    assert take_click({"name": "Cy"}, m) == (True, "Cy")
    assert take_click({"name": None}, m) == (True, None)
    for junk in ({"name": "Zed"}, {"name": ["Cy"]}, {"who": "Cy"}, "Cy", None, 7):
        assert take_click(junk, m) == (False, None)


def test_colour_by_community_says_what_the_colours_show_without_rebuilding_the_drawing(store):
    """Issue 13 item 6: communities can colour the graph; the drawing carries each person's
    community and the page says in words what the colours show."""
    map_id = store.create("Trio", _trio())
    at = _open(map_id)
    (frame,) = at.get("iframe")
    first = frame.proto.srcdoc
    nodes = _drawing(at)["nodes"]
    assert [n.get("c") for n in nodes] == communities.communities(_trio()) == [1, 1, 1, None]
    at.radio(key=f"net-colour-{map_id}").set_value("community").run()
    assert not at.exception
    (frame,) = at.get("iframe")
    assert frame.proto.srcdoc == first
    words = " ".join(c.value for c in at.caption)
    assert "1 community of tied people" in words and "1 person has no tie" in words


def test_the_measures_have_short_headings_that_keep_their_full_names_in_help(store):
    map_id = store.create("Trio", _trio())
    at = _open(map_id, numbers=True)
    (table,) = [d for d in at.dataframe if "Name" in d.value.columns and len(d.value) == 4]
    config = json.loads(table.proto.columns)
    labels = {column: spec.get("label", column) for column, spec in config.items()}
    assert labels["Influence reach (PageRank)"] == "Reach"
    assert sum(len(label) for label in labels.values()) <= 60
    assert "PageRank" in config["Influence reach (PageRank)"]["help"]


# --- a map typed in by hand ----------------------------------------------------------------------


def _typed(store, people: list[str], ties: list[tuple[str, str]], map_id: int | None = None):
    """People, then ties, each saved as its own version as the Data page saves them."""
    if map_id is None:
        map_id = store.create("By hand", StakeholderMap())
    latest = store.latest(map_id)
    version, data = latest.number, latest.data
    for name in people:
        data = StakeholderMap((*data.stakeholders, Stakeholder(name)), data.relationships)
        version = store.save(map_id, data, version, f"Added {name}")
    for a, b in ties:
        data = StakeholderMap(data.stakeholders, (*data.relationships, Relationship(a, b, 2)))
        version = store.save(map_id, data, version, f"Tied {a} and {b}")
    return map_id, data


_PEOPLE = ["Ana", "Ben", "Cy", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivy"]
_TIES = [
    ("Ana", "Ben"),
    ("Ben", "Cy"),
    ("Cy", "Ana"),
    ("Dee", "Eve"),
    ("Eve", "Fay"),
    ("Gus", "Ana"),
]


def test_a_map_typed_by_hand_is_drawn_spread_out(store):
    """The issue: typed person by person, then tie by tie, it was drawn as one column."""
    map_id, m = _typed(store, _PEOPLE, _TIES)
    at = _open(map_id)
    assert not at.exception
    drawn = {n["label"]: (n["x"], n["y"]) for n in _drawing(at)["nodes"]}
    assert drawn == layout.layout(m)  # laid out when first drawn
    assert not lined_up(m, drawn)
    xs, ys = zip(*drawn.values(), strict=True)
    assert max(xs) - min(xs) > 300 and max(ys) - min(ys) > 300  # spread on both axes
    (caption,) = [c for c in at.caption if "no saved place" in c.value]
    assert "laid out when first drawn" in caption.value
    assert store.latest(map_id).data.positions == {}  # viewing saved nothing


def test_a_map_looked_at_while_typed_spreads_people_as_they_get_ties(store):
    map_id, _ = _typed(store, _PEOPLE[:4], [])
    first = {n["label"]: (n["x"], n["y"]) for n in _drawing(_open(map_id))["nodes"]}
    _, m = _typed(store, _PEOPLE[4:], _TIES, map_id)
    drawn = {n["label"]: (n["x"], n["y"]) for n in _drawing(_open(map_id))["nodes"]}
    assert drawn["Dee"] != first["Dee"]  # had no tie when first drawn: now beside Eve
    assert not lined_up(m, drawn)
    step = min(math.dist(p, q) for p, q in itertools.combinations(drawn.values(), 2))
    assert step > 60


def test_a_column_kept_from_before_is_laid_out_again(store):
    """A map that the old placement stacked into a column is drawn laid out."""
    m = _trio()
    map_id = store.create("Trio", m)
    store.keep_layout(map_id, 1, {n: (0.0, 270.0 * k) for k, n in enumerate(m.names)})
    drawn = {n["label"]: (n["x"], n["y"]) for n in _drawing(_open(map_id))["nodes"]}
    assert drawn == layout.layout(m)


def test_saved_places_on_one_line_are_drawn_laid_out_and_can_be_pinned(store):
    m = _trio()
    column = {n: (0.0, 270.0 * k) for k, n in enumerate(m.names)}
    map_id = store.create(
        "Column", StakeholderMap(m.stakeholders, m.relationships, positions=column)
    )
    at = _open(map_id)
    drawn = {n["label"]: (n["x"], n["y"]) for n in _drawing(at)["nodes"]}
    assert drawn == layout.layout(m)
    (caption,) = [c for c in at.caption if "on one line" in c.value]
    assert caption.value.startswith("The saved places put everyone on one line")
    assert store.latest_number(map_id) == 1  # viewing saved nothing
    at.button(key="net-pin").click().run()
    assert store.latest(map_id).data.positions == drawn
    assert not [c for c in at.caption if "on one line" in c.value]
