"""The network page HTML: styling from the map, escaping, no URL, and its script policy."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stakemap.model import STANCE_LABELS, Relationship, Stakeholder, StakeholderMap
from stakemap.network import drawing, layout

ASSET = drawing.vis_file()
PAYLOAD = '</script><script>alert("x")</script><img src=x onerror=alert(1)> href'


def _sample() -> StakeholderMap:
    return StakeholderMap(
        (
            Stakeholder("Dana", stance=2, power=5, decision_role="decider", group="Board"),
            Stakeholder("Vic", stance=-2, power=4, decision_role="veto", group="Board"),
            Stakeholder("Ivo", stance=1, power=2, decision_role="influencer", group="Ops"),
            Stakeholder("Tara", stance=0, power=1, decision_role="third party", group="Ops"),
            Stakeholder("Cal", stance=-1, power=3, group="Ops"),
        ),
        (
            Relationship("Ivo", "Dana", 4),
            Relationship("Cal", "Vic", -3, notes="old feud"),
            Relationship("Tara", "Cal", 2, "ally"),
        ),
    )


def _by_label(data: dict) -> dict:
    return {n["label"]: n for n in data["nodes"]}


def _data_block_text(page: str) -> str:
    match = re.search(r'<script type="application/json" id="stakemap-data">(.*?)</script>', page)
    return match.group(1)


def _data_block(page: str) -> dict:
    return json.loads(_data_block_text(page))


# --- vis_data ----------------------------------------------------------------------------------


def test_nodes_are_styled_from_stance_power_and_decision_role():
    nodes = _by_label(drawing.vis_data(_sample(), None))
    assert nodes["Dana"]["color"]["background"] == drawing.STANCE_COLOURS["Champion"]
    assert nodes["Vic"]["color"]["background"] == drawing.STANCE_COLOURS["Blocker"]
    assert nodes["Tara"]["color"]["background"] == drawing.STANCE_COLOURS["Neutral"]
    assert nodes["Cal"]["color"]["background"] == drawing.STANCE_COLOURS["Critic"]
    assert nodes["Dana"]["size"] > nodes["Vic"]["size"] > nodes["Cal"]["size"]
    assert nodes["Cal"]["size"] > nodes["Ivo"]["size"] > nodes["Tara"]["size"]
    shapes = {name: node["shape"] for name, node in nodes.items()}
    # shape is the stance's, as on the Map and in the export (stakemap.legend)
    assert shapes == {
        "Dana": "star",
        "Vic": "triangle",
        "Ivo": "square",
        "Tara": "dot",
        "Cal": "diamond",
    }
    # Deciders and veto holders stand out; third parties have a dashed outline.
    assert nodes["Dana"]["borderWidth"] == nodes["Vic"]["borderWidth"] == 3
    assert nodes["Cal"]["borderWidth"] == 1
    assert nodes["Tara"]["shapeProperties"] == {"borderDashes": [5, 4]}
    assert "shapeProperties" not in nodes["Cal"]
    assert len(set(drawing.STANCE_COLOURS.values())) == 5


def test_stance_colours_are_okabe_ito_in_stance_order():
    # The Map page draws with this palette too: one source for both pages.
    assert drawing.STANCE_COLOURS == {
        "Blocker": "#D55E00",
        "Critic": "#E69F00",
        "Neutral": "#999999",
        "Supporter": "#56B4E9",
        "Champion": "#0072B2",
    }
    assert list(drawing.STANCE_COLOURS) == [STANCE_LABELS[s] for s in range(-2, 3)]


def test_the_legend_names_what_colour_shape_and_size_mean():
    page = drawing.network_html(_sample(), None)
    legend = re.search(r"<header>(.*?)</header>", page, re.DOTALL).group(1)
    text = re.sub(r"<[^>]+>", "", legend)
    for phrase in ("Colour: stance", "Shape: stance", "decider or veto", "dashed: third party"):
        assert phrase in text
    assert "Size: power" in text
    for shape in drawing.STANCE_SHAPES.values():
        assert f"&#{ord(shape.glyph)};" in legend
    for label, colour in drawing.STANCE_COLOURS.items():
        assert f"background:{colour}" in legend and label in text


def test_nodes_use_numeric_ids_and_the_given_positions():
    m = _sample()
    positions = {name: (10.0 * i, -5.0 * i) for i, name in enumerate(m.names)}
    data = drawing.vis_data(m, positions)
    assert [n["id"] for n in data["nodes"]] == list(range(5))
    assert [(n["x"], n["y"]) for n in data["nodes"]] == list(positions.values())


def test_stored_positions_are_used_when_none_are_given():
    m = _sample()
    stored = layout.layout(m)
    m = StakeholderMap(m.stakeholders, m.relationships, positions=stored)
    nodes = _by_label(drawing.vis_data(m, None))
    assert {k: (n["x"], n["y"]) for k, n in nodes.items()} == stored


def test_edges_point_from_influencer_with_width_by_strength_and_dashed_red_repels():
    data = drawing.vis_data(_sample(), None)
    ids = {n["label"]: n["id"] for n in data["nodes"]}
    edges = {(e["from"], e["to"]): e for e in data["edges"]}
    assert set(edges) == {
        (ids["Ivo"], ids["Dana"]),
        (ids["Cal"], ids["Vic"]),
        (ids["Tara"], ids["Cal"]),
        (ids["Cal"], ids["Tara"]),
    }
    strong, repel = edges[ids["Ivo"], ids["Dana"]], edges[ids["Cal"], ids["Vic"]]
    assert strong["width"] > edges[ids["Tara"], ids["Cal"]]["width"]
    assert "dashes" not in strong and "color" not in strong
    assert repel["dashes"] is True
    assert repel["color"]["color"] == drawing.REPEL_COLOUR
    assert repel["width"] == pytest.approx(1 + 0.8 * 3)
    # A tie both ways is bent so the two arrows do not overlap.
    assert edges[ids["Tara"], ids["Cal"]]["smooth"]["type"] == "curvedCW"
    assert "smooth" not in strong


def test_tooltips_are_plain_text_with_role_stance_power_interest_goals():
    m = StakeholderMap(
        (
            Stakeholder(
                "Ana",
                role="CFO",
                group="Finance",
                power=4.5,
                interest=2,
                stance=-1,
                goals=("cost", "control"),
                decision_role="veto",
                notes="Wary of <b>risk</b>",
            ),
            Stakeholder("Ben"),
        ),
        (Relationship("Ana", "Ben", -2, "rival", "since 2019"),),
    )
    data = drawing.vis_data(m, None)
    ana = _by_label(data)["Ana"]["title"]
    assert ana.splitlines() == [
        "Ana",
        "Role: CFO | Group: Finance",
        "Stance: Critic (-1) | Power 4.5 | Interest 2",
        "Decision role: veto",
        "Goals: cost, control",
        "Notes: Wary of <b>risk</b>",
        "Community 1",
    ]
    assert data["edges"][0]["title"].splitlines() == [
        "Ana repels Ben (strength -2)",
        "Recorded as: rival",
        "Notes: since 2019",
    ]


def test_long_notes_are_cut_in_the_tooltip():
    m = StakeholderMap((Stakeholder("Ana", notes="x" * 1000),))
    title = drawing.vis_data(m, None)["nodes"][0]["title"]
    assert title.endswith("…") and len(title) < 400


def test_filters_hide_people_outside_the_chosen_groups_and_stances():
    m = _sample()
    shown = lambda data: [n["label"] for n in data["nodes"] if not n.get("hidden")]  # noqa: E731
    assert shown(drawing.vis_data(m, None)) == m.names
    assert shown(drawing.vis_data(m, None, groups={"Board"})) == ["Dana", "Vic"]
    assert shown(drawing.vis_data(m, None, stances={1, 2})) == ["Dana", "Ivo"]
    assert shown(drawing.vis_data(m, None, groups={"Ops"}, stances={-1, 0})) == ["Tara", "Cal"]
    # Hidden people keep their place, so the picture does not jump when a filter is cleared.
    hidden = drawing.vis_data(m, None, groups={"Board"})
    assert len(hidden["nodes"]) == 5 and len(hidden["edges"]) == 4


def test_shown_names_are_those_the_filters_leave_in_map_order():
    m = _sample()
    assert drawing.shown_names(m) == m.names
    assert drawing.shown_names(m, groups={"Ops"}, stances={0, 1}) == ["Ivo", "Tara"]
    assert drawing.shown_names(m, groups={"Board"}, stances={1}) == []
    assert drawing.shown_names(m, groups=set()) == []


def test_the_page_counts_and_selects_only_people_shown():
    m = _sample()
    page = drawing.network_html(m, None, highlight="Cal", groups={"Board"})
    assert re.search(r'aria-label="([^"]*)"', page).group(1) == (
        "Influence network: 2 people, 0 ties"
    )
    assert _data_block(page)["selected"] is None  # Cal is in Ops, hidden
    shown = drawing.network_html(m, None, highlight="Vic", groups={"Board"})
    assert _data_block(shown)["selected"] == 1


# --- network_html ------------------------------------------------------------------------------


def _hostile_map() -> StakeholderMap:
    return StakeholderMap(
        (
            Stakeholder(PAYLOAD, role=PAYLOAD, group=PAYLOAD, goals=(PAYLOAD,), notes=PAYLOAD),
            Stakeholder("Ben <!-- \u2028 & ]]>", notes="https://evil.example/x.js"),
        ),
        (Relationship(PAYLOAD, "Ben <!-- \u2028 & ]]>", 3, notes=PAYLOAD),),
        custom_columns=(),
    )


def _markup(page: str) -> str:
    """The page without the inlined library (whose code, e.g. image loading, is not markup)."""
    assert drawing._vis_script() in page
    return page.replace(drawing._vis_script(), "")


def test_page_is_standalone_with_no_url_and_nothing_external():
    page = drawing.network_html(_hostile_map(), None)
    assert page.startswith("<!DOCTYPE html>")
    assert re.search(r"https?://", page, re.IGNORECASE) is None
    assert "//" not in _data_block_text(page)  # user URLs travel as https:\/\/...
    markup = _markup(page).replace(_data_block_text(page), "").lower()
    assert re.search(r"(src|href)\s*=", markup) is None
    assert "<link" not in markup and "@import" not in markup and "url(" not in markup
    assert "bootstrap" not in page.lower() and "cdn" not in markup


def test_user_text_never_reaches_the_markup():
    page = drawing.network_html(_hostile_map(), None, highlight=PAYLOAD)
    # Exactly our three script elements, and no user text outside the JSON block.
    markup = _markup(page)
    assert len(re.findall(r"<script", markup, re.IGNORECASE)) == 3
    assert len(re.findall(r"</script", markup, re.IGNORECASE)) == 3
    block = _data_block_text(page)
    assert not set(block) & set("<>&\u2028\u2029")
    outside = markup.replace(block, "")
    for fragment in ("alert", "onerror", "evil.example", "<!-- "):
        assert fragment not in outside
    # The JSON carries the text intact, to be drawn on the canvas and shown as plain text.
    data = _data_block(page)
    assert [n["label"] for n in data["nodes"]] == [PAYLOAD, "Ben <!-- \u2028 & ]]>"]
    assert PAYLOAD in data["nodes"][0]["t"] and PAYLOAD in data["texts"][0]  # tooltips, as text
    assert data["selected"] == 0


def test_no_user_text_in_title_or_headings():
    page = drawing.network_html(_hostile_map(), None)
    assert re.search(r"<title>(.*?)</title>", page).group(1) == "Stakemap influence network"
    assert re.search(r"<h[1-6]", page, re.IGNORECASE) is None
    label = re.search(r'aria-label="([^"]*)"', page).group(1)
    assert label == "Influence network: 2 people, 1 ties"


def test_page_script_never_writes_markup():
    assert "innerHTML" not in drawing._APP_SCRIPT
    assert "insertAdjacentHTML" not in drawing._APP_SCRIPT
    assert "document.write" not in drawing._APP_SCRIPT
    assert "textContent" in drawing._APP_SCRIPT


def test_content_security_policy_allows_only_the_page_scripts_and_no_requests():
    page = drawing.network_html(_sample(), None)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert "unsafe-inline" not in directives["script-src"]
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert len(scripts) == 2
    hashes = {
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in scripts
    }
    assert set(directives["script-src"].split()) == hashes


def test_page_settings_travel_in_the_json():
    m = _sample()
    data = _data_block(drawing.network_html(m, None, highlight="Cal", depth=2, storage_key="k:1"))
    assert data["selected"] == 4 and data["depth"] == 2 and data["storageKey"] == "k:1"
    plain = _data_block(drawing.network_html(m, None))
    assert plain["selected"] is None and plain["depth"] == 1 and plain["storageKey"] is None
    assert _data_block(drawing.network_html(m, None, highlight="Nobody"))["selected"] is None
    assert _data_block(drawing.network_html(m, None, depth=7))["depth"] == 2


def test_same_map_same_page():
    # The app redraws on every rerun: an identical page keeps the iframe (and any drags) as is.
    m = _sample()
    assert drawing.network_html(m, None) == drawing.network_html(m, None)


def test_the_library_is_the_one_pyvis_ships_and_only_its_url_slashes_are_escaped():
    assert ASSET.parts[-4:] == ("pyvis", "lib", "vis-9.1.2", "vis-network.min.js")
    raw = ASSET.read_text(encoding="utf-8")
    digest = hashlib.sha256(ASSET.read_bytes()).hexdigest()
    assert digest == "1f20f0736f32cb9bedf8f6383b25cfea2f839e1abe80d6e8040b4d5bea378c69"
    script = drawing._vis_script()
    assert "://" in raw and "://" not in script
    assert script.replace(":\\/\\/", "://") == raw
    assert "</script" not in raw.lower() and "<!--" not in raw


@settings(max_examples=60, deadline=None)
@given(names=st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=4, unique=True))
def test_any_text_round_trips_and_stays_inert(names):
    m = StakeholderMap(tuple(Stakeholder(n, notes=n) for n in names))
    page = drawing.network_html(m, None)
    block = _data_block_text(page)
    assert not set(block) & set("<>&") and "//" not in block
    assert [n["label"] for n in json.loads(block)["nodes"]] == names


# --- moved_positions ---------------------------------------------------------------------------


def test_moved_positions_keep_only_known_names_and_finite_numbers():
    m = _sample()
    payload = [
        ["Dana", 10, 20.26],
        ["Vic", float("nan"), 0],
        ["Ivo", float("inf"), 0],
        ["Tara", True, 0],
        ["Cal", 2e6, 0],
        ["Zed", 1, 1],
        ["Ivo", "1", 2],
        {"name": "Cal"},
        ["Cal", 1],
    ]
    assert drawing.moved_positions(payload, m) == {"Dana": (10.0, 20.3)}
    assert drawing.moved_positions({"Dana": [1, 2]}, m) == {}
    assert drawing.moved_positions(None, m) == {}
    assert drawing.moved_positions([], m) == {}


def test_moved_positions_read_no_more_items_than_people():
    m = StakeholderMap((Stakeholder("Ana"),))
    payload = [["Zed", 0, 0]] * 10 + [["Ana", 1, 1]]
    assert drawing.moved_positions(payload, m) == {}
    assert drawing.moved_positions([["Ana", 1, 1], ["Ana", 2, 2]], m) == {"Ana": (1.0, 1.0)}
