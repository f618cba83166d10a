"""The Network page in Chromium: the drawing, hostile text, requests, dragging and keeping."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Error as PlaywrightError

from stakemap.model import STANCE_LABELS, Relationship, Stakeholder, StakeholderMap
from stakemap.network import communities, drawing, layout
from stakemap.samples import cases, synthetic
from stakemap.store.maps import Store

from .helpers import open_page, projector_screenshot, screenshot, wait_for_app

IFRAME = "[data-testid=stIFrame]"
NAME_PAYLOAD = '<img src=x onerror="parent.__pwned=1;window.__pwned=1">Ana'
NOTES_PAYLOAD = '<script>parent.__pwned=2</script><a href="#" onclick="parent.__pwned=3">x</a>'


def _hostile() -> StakeholderMap:
    return StakeholderMap(
        (
            Stakeholder(NAME_PAYLOAD, role="<b>CFO</b>", notes=NOTES_PAYLOAD, goals=("<i>x</i>",)),
            Stakeholder("Ben"),
        ),
        (Relationship(NAME_PAYLOAD, "Ben", 3, notes=NOTES_PAYLOAD),),
    )


def _frame(page, ready: str = "true", timeout: float = 30):
    """The drawing's frame once vis-network has drawn it and ``ready`` (JS) holds there.

    Polls, because a rerun may swap the drawing's document while we wait.
    """
    check = f"() => window.stakemapFirstDraw !== undefined && ({ready})"
    deadline = time.monotonic() + timeout
    while True:
        frame = page.wait_for_selector(IFRAME).content_frame()
        try:
            if frame is not None and frame.evaluate(check):
                return frame
        except PlaywrightError:  # the document was being replaced
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"the drawing did not show {ready!r}")
        page.wait_for_timeout(100)


def _latest(server, map_id: int, description: str, timeout: float = 20):
    """The map's latest version once it is the one described (the app saves after a rerun)."""
    store = Store(server.database_url)
    deadline = time.monotonic() + timeout
    while (latest := store.latest(map_id)).description != description:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no version {description!r}; latest: {latest.description!r}")
        time.sleep(0.1)
    return latest


def _node_on_page(page, frame, node_id: int) -> tuple[float, float]:
    """Where a node's centre is on the page, in CSS pixels (the drawing scrolled into view)."""
    page.query_selector(IFRAME).scroll_into_view_if_needed()
    inner = frame.evaluate(
        """(id) => {
            const p = network.canvasToDOM(network.getPositions([id])[id]);
            const box = document.getElementById("network").getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }""",
        node_id,
    )
    box = page.query_selector(IFRAME).bounding_box()
    return box["x"] + inner[0], box["y"] + inner[1]


def _open_sample(page, server) -> tuple[int, StakeholderMap]:
    """Open the Network page on the default sample map (loaded on the app's first run)."""
    open_page(page, server, "network")
    _frame(page)  # drawn: the run that loaded the samples is over
    store = Store(server.database_url)
    map_id = min(info.id for info in store.list_maps())
    return map_id, store.latest(map_id).data


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_the_drawing_has_one_node_per_person(page, app_server, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    _, m = _open_sample(page, app_server)
    frame = _frame(page)
    assert frame.evaluate("network.body.data.nodes.length") == len(m.stakeholders)
    labels = frame.evaluate("network.body.data.nodes.get().map(n => n.name)")
    assert sorted(labels) == sorted(m.names)
    # Drawn from stored positions with physics off.
    assert frame.evaluate("network.physics.options.enabled") is False
    screenshot(page, f"network-{size[0]}x{size[1]}")


def test_hostile_text_is_shown_literally_and_runs_nothing(page, app_server):
    store = Store(app_server.database_url)
    map_id = store.create("Hostile", _hostile())
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_page(page, app_server, f"network?map={map_id}")
    frame = _frame(page)
    x, y = _node_on_page(page, frame, 0)
    page.mouse.move(x - 40, y - 40)
    page.mouse.move(x, y, steps=5)
    frame.wait_for_function(
        """() => {
            const tip = document.querySelector("div.vis-tooltip");
            return tip !== null && getComputedStyle(tip).visibility === "visible";
        }""",
        timeout=10_000,
    )
    tooltip = frame.query_selector("div.vis-tooltip")
    expected = drawing.vis_data(_hostile(), None)["nodes"][0]["title"]
    assert tooltip.inner_text() == expected
    assert NAME_PAYLOAD in tooltip.inner_text() and NOTES_PAYLOAD in tooltip.inner_text()
    # Text only: the sole elements are the line breaks innerText makes of "\n".
    tags = tooltip.evaluate("t => [...t.querySelectorAll('*')].map(e => e.tagName)")
    assert set(tags) == {"BR"}
    screenshot(page, "network-hostile-tooltip")
    assert page.evaluate("window.__pwned") is None
    assert frame.evaluate("window.__pwned") is None
    assert frame.evaluate("document.querySelectorAll('img, a, iframe').length") == 0
    assert dialogs == []


def test_a_tie_tooltip_shows_its_text_literally(page):
    """The page draws the ties itself: hovering one shows its words, hostile notes as text."""
    page.set_viewport_size({"width": 1000, "height": 700})
    page.set_content(drawing.network_html(_hostile(), {NAME_PAYLOAD: (0, 0), "Ben": (400, 0)}))
    page.wait_for_function("window.stakemapFirstDraw !== undefined")
    middle = page.evaluate(
        """() => {
            const p = network.canvasToDOM({x: 200, y: 0});
            const box = document.getElementById("network").getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        }"""
    )
    page.mouse.move(middle[0], middle[1] - 40)
    page.mouse.move(middle[0], middle[1], steps=4)
    tip = page.locator("div.tie-tooltip")
    tip.wait_for(state="visible", timeout=5_000)
    assert tip.inner_text() == drawing.vis_data(_hostile(), None)["edges"][0]["title"]
    assert NOTES_PAYLOAD in tip.inner_text()
    assert tip.evaluate("t => t.children.length") == 0  # text, no element
    screenshot(page, "network-tie-tooltip")
    page.mouse.move(middle[0], middle[1] - 120)  # off the tie: the tooltip goes
    tip.wait_for(state="hidden", timeout=5_000)
    assert page.evaluate("window.__pwned") is None


def test_a_click_on_a_tie_keeps_the_highlight(page):
    page.set_viewport_size({"width": 1000, "height": 700})
    page.set_content(drawing.network_html(_hostile(), {NAME_PAYLOAD: (0, 0), "Ben": (400, 0)}))
    page.wait_for_function("window.stakemapFirstDraw !== undefined")
    where = page.evaluate(
        """() => [{x: 0, y: 0}, {x: 200, y: 0}, {x: 200, y: 150}].map(q => {
            const p = network.canvasToDOM(q);
            const box = document.getElementById("network").getBoundingClientRect();
            return [box.left + p.x, box.top + p.y];
        })"""
    )
    page.mouse.click(*where[0])
    assert page.evaluate("network.getSelectedNodes()") == [0]
    page.mouse.click(*where[1])  # on the tie
    assert page.evaluate("network.getSelectedNodes()") == [0]
    page.mouse.click(*where[2])  # empty space clears
    assert page.evaluate("network.getSelectedNodes()") == []


def test_the_drawing_requests_nothing(page, app_server):
    requests = []
    page.on("request", lambda r: requests.append((r.frame, r.url)))
    _open_sample(page, app_server)
    frame = _frame(page)
    x, y = _node_on_page(page, frame, 0)
    page.mouse.click(x, y)
    frame.wait_for_timeout(300)
    assert [url for source, url in requests if source == frame] == []


def test_the_network_page_makes_no_request_outside_the_app(page, app_server):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    _open_sample(page, app_server)
    _frame(page)
    page.wait_for_timeout(500)
    outside = [
        url
        for url in requests
        if not url.startswith((app_server.url + "/", "blob:" + app_server.url, "data:"))
    ]
    assert outside == []


def test_clicking_a_person_brings_out_their_neighbourhood(page, app_server):
    _, m = _open_sample(page, app_server)
    frame = _frame(page)
    x, y = _node_on_page(page, frame, 0)
    page.mouse.click(x, y)
    status = frame.locator("#status")
    assert status.inner_text().startswith(f"{m.names[0]}: ")
    dim = frame.evaluate(
        "Object.values(network.body.nodes).filter(n => n.options.color.background === '#eeeeee')"
        ".length"
    )
    ties = drawing.vis_data(m, None)["edges"]
    near = {e["to"] for e in ties if e["from"] == 0} | {e["from"] for e in ties if e["to"] == 0}
    assert dim == len(m.stakeholders) - 1 - len(near - {0})
    screenshot(page, "network-neighbourhood")


def test_dragged_positions_are_kept_with_the_map(page, app_server):
    map_id, m = _open_sample(page, app_server)
    frame = _frame(page)
    before = Store(app_server.database_url).latest(map_id).data.positions[m.names[0]]
    x, y = _node_on_page(page, frame, 0)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y + 40, steps=8)
    page.mouse.up()
    assert frame.locator("#status").inner_text().startswith("1 person moved.")
    dragged = frame.evaluate("network.getPositions([0])[0]")
    assert (dragged["x"], dragged["y"]) != pytest.approx(before, abs=5)

    page.get_by_role("button", name="Keep dragged positions").click()
    latest = _latest(app_server, map_id, "Moved 1 person in the network")
    kept = latest.data.positions[m.names[0]]
    assert kept == pytest.approx((dragged["x"], dragged["y"]), abs=1)
    # The page is drawn afresh from the kept positions, with nothing left to keep.
    wait_for_app(page)
    frame = _frame(page, f"network.body.data.nodes.get(0).x === {kept[0]}")
    assert frame.evaluate("sessionStorage.length") == 0
    assert frame.locator("#status").inner_text().startswith("Click a person")


def test_dragged_positions_survive_a_redraw_before_keeping(page, app_server):
    _open_sample(page, app_server)
    frame = _frame(page)
    x, y = _node_on_page(page, frame, 0)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 50, y + 30, steps=8)
    page.mouse.up()
    dragged = frame.evaluate("network.getPositions([0])[0]")
    # Reloading the app draws the iframe afresh (the tab's session storage stays).
    page.reload()
    wait_for_app(page)
    frame = _frame(page)
    redrawn = frame.evaluate("network.getPositions([0])[0]")
    assert (redrawn["x"], redrawn["y"]) == pytest.approx((dragged["x"], dragged["y"]), abs=1)


def _trio() -> StakeholderMap:
    return StakeholderMap(
        (
            Stakeholder("Ana", group="Ops", stance=2),
            Stakeholder("Ben", group="Board"),
            Stakeholder("Cy", group="Ops", stance=-1),
        ),
        (Relationship("Ana", "Ben", 3), Relationship("Ben", "Cy", 2)),
    )


def test_viewing_a_map_without_positions_saves_nothing_until_pinned(page, app_server):
    store = Store(app_server.database_url)
    map_id = store.create("Unplaced", _trio())
    open_page(page, app_server, f"network?map={map_id}")
    frame = _frame(page)
    drawn = frame.evaluate("network.getPositions()")
    assert {frame.evaluate(f"network.body.data.nodes.get({i}).name") for i in drawn} == {
        "Ana",
        "Ben",
        "Cy",
    }
    page.reload()
    wait_for_app(page)
    _frame(page)
    page.get_by_text("3 people have no saved place").wait_for()
    page.wait_for_timeout(500)
    assert store.latest_number(map_id) == 1
    assert page.get_by_text("Saved:").count() == 0
    page.get_by_role("button", name="Pin this layout").scroll_into_view_if_needed()
    screenshot(page, "network-unpinned")

    page.get_by_role("button", name="Pin this layout").click()
    latest = _latest(app_server, map_id, "Pinned the network layout")
    assert latest.number == 2 and latest.data.positions == layout.layout(_trio())
    page.get_by_role("button", name="Pin this layout").wait_for(state="detached")
    page.get_by_text("no saved place").wait_for(state="detached")


def _label_boxes(frame) -> list[dict]:
    """Each shown person's drawn box (shape and label), in pixels of the drawing's frame."""
    return frame.evaluate(
        """() => {
            const frame = document.getElementById("network").getBoundingClientRect();
            return network.body.data.nodes.get().filter(n => !n.hidden).map(n => {
                const b = network.getBoundingBox(n.id);
                const a = network.canvasToDOM({x: b.left, y: b.top});
                const z = network.canvasToDOM({x: b.right, y: b.bottom});
                return {label: n.name, left: a.x, top: a.y, right: z.x, bottom: z.y,
                        width: frame.width, height: frame.height};
            });
        }"""
    )


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_long_labels_are_not_cut_at_the_edge(page, app_server, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    store = Store(app_server.database_url)
    map_id = store.create("Pipeline", cases.pipeline())
    open_page(page, app_server, f"network?map={map_id}")
    frame = _frame(page)
    page.query_selector(IFRAME).scroll_into_view_if_needed()
    boxes = _label_boxes(frame)
    assert "Chinese provinces (north-east)" in {b["label"] for b in boxes}
    for box in boxes:
        assert box["left"] >= 0 and box["top"] >= 0, box
        assert box["right"] <= box["width"] and box["bottom"] <= box["height"], box
    screenshot(page, f"network-pipeline-{size[0]}x{size[1]}")


def test_the_status_counts_only_people_shown(page):
    """The standalone drawing, filtered: a neighbourhood counts the people one can see."""
    m = StakeholderMap(
        (*_trio().stakeholders, Stakeholder("Dee", group="Board")),
        (*_trio().relationships, Relationship("Dee", "Ana", 1)),
    )
    page.set_content(drawing.network_html(m, None, highlight="Ana", depth=2, groups={"Ops"}))
    page.wait_for_function("window.stakemapFirstDraw !== undefined")
    status = page.locator("#status").inner_text()
    # Within 2 steps of Ana: Ben and Dee (Board, hidden) and Cy (shown).
    assert status.startswith("Ana: 1 person shown within 2 steps (2 more hidden by the filters).")
    boxes = _label_boxes(page)
    assert sorted(b["label"] for b in boxes) == ["Ana", "Cy"]


@pytest.mark.parametrize("width", [500, 700, 1100])
def test_the_standalone_drawing_fits_long_labels_at_any_width(page, width):
    page.set_viewport_size({"width": width, "height": 700})
    page.set_content(drawing.network_html(cases.pipeline(), None))
    page.wait_for_function("window.stakemapFirstDraw !== undefined")
    for box in _label_boxes(page):
        assert box["left"] >= 0 and box["right"] <= box["width"], box
        assert box["top"] >= 0 and box["bottom"] <= box["height"], box


def _highlighted(frame) -> str | None:
    """The person the drawing has selected (its neighbourhood brought out), or None."""
    ids = frame.evaluate("network.getSelectedNodes()")
    return frame.evaluate(f"network.body.data.nodes.get({ids[0]}).name") if ids else None


def _person_box(page):
    return page.get_by_role("combobox", name="Highlight a person")


def test_clicks_reach_the_app_and_the_app_reaches_the_drawing_without_a_reload(page, app_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    _, m = _open_sample(page, app_server)
    frame = _frame(page)
    frame.evaluate("window.stakemapMark = 'same page'")
    # Click a person in the drawing: the app selects them (box, sentence, neighbourhood).
    x, y = _node_on_page(page, frame, 0)
    page.mouse.click(x, y)
    first = m.names[0]
    page.get_by_text(f"{first}'s neighbourhood").wait_for()
    wait_for_app(page)
    assert _person_box(page).input_value() == first
    assert first in page.locator("[data-testid=stAlertContentInfo]").first.inner_text()
    screenshot(page, "network-click-selects")
    # Choose another person in the app: the drawing highlights them, in the same document.
    other = sorted(m.names, key=str.casefold)[-1]
    _person_box(page).click()
    page.keyboard.type(other)
    page.get_by_role("option").filter(has_text=other).first.click()
    wait_for_app(page)
    frame = _frame(page, f"document.getElementById('status').textContent.startsWith({other!r})")
    assert _highlighted(frame) == other
    assert frame.evaluate("window.stakemapMark") == "same page"
    # Filters too are applied in place.
    page.get_by_text("2 steps").click()
    wait_for_app(page)
    _frame(page, "document.getElementById('status').textContent.includes('within 2 steps')")
    assert frame.evaluate("window.stakemapMark") == "same page"
    # A click on empty space clears the app's selection.
    page.query_selector(IFRAME).scroll_into_view_if_needed()
    frame.locator("#network").click(position={"x": 3, "y": 3})
    page.get_by_text(f"{other}'s neighbourhood").wait_for(state="detached")
    assert frame.evaluate("window.stakemapMark") == "same page"


def _fill(frame, node_id: int) -> str:
    return frame.evaluate(f"network.body.nodes[{node_id}].options.color.background")


def test_colour_by_community_recolours_the_drawing_in_place(page, app_server):
    """Issue 13 item 6: communities colour the graph (and its legend) without a reload."""
    from stakemap.legend import COMMUNITY_COLOURS, COMMUNITY_OTHER

    page.set_viewport_size({"width": 1280, "height": 800})
    _, m = _open_sample(page, app_server)
    frame = _frame(page)
    frame.evaluate("window.stakemapMark = 'same page'")
    groups = communities.communities(m)
    stance_fills = [_fill(frame, i) for i in range(len(m.names))]
    page.get_by_role("radiogroup", name="Colour by").get_by_text("Community").click()
    wait_for_app(page)
    frame = _frame(page, "!document.getElementById('colour-community').hidden")
    assert frame.evaluate("window.stakemapMark") == "same page"
    palette = [c.lower() for c in COMMUNITY_COLOURS]
    for i, group in enumerate(groups):
        want = palette[group - 1] if group and group <= len(palette) else COMMUNITY_OTHER.lower()
        assert _fill(frame, i).lower() == want
    assert frame.evaluate("document.getElementById('colour-stance').hidden")
    page.get_by_text("communities of tied people").first.wait_for()
    screenshot(page, "network-by-community")
    projector_screenshot(page, "network-by-community")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "network-by-community-phone")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("radiogroup", name="Colour by").get_by_text("Stance").click()
    wait_for_app(page)
    frame = _frame(page, "document.getElementById('colour-community').hidden")
    assert [_fill(frame, i) for i in range(len(m.names))] == stance_fills


def test_the_measures_table_fits_beside_the_sidebar_at_1280(page, app_server):
    """Issue 13 item 6: every column of the numbers shows at 1280 px, none cut off."""
    page.set_viewport_size({"width": 1280, "height": 800})
    _open_sample(page, app_server)
    page.get_by_text("Who matters in the network: the numbers").click()
    grid = page.locator("[data-testid=stDataFrame] .dvn-scroller").last
    grid.wait_for()
    grid.scroll_into_view_if_needed()
    wide, shown = grid.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert wide <= shown + 1, f"the table is {wide} px wide in {shown} px"
    screenshot(page, "network-measures-1280")


_DRAWN_LABELS = """() => {
    const frame = document.getElementById("network").getBoundingClientRect();
    return network.body.data.nodes.get().filter(n => !n.hidden &&
        network.body.nodes[n.id].options.font.color !== "rgba(0,0,0,0)").map(n => {
        const s = network.body.nodes[n.id].labelModule.size;
        const a = network.canvasToDOM({x: s.left, y: s.top});
        const z = network.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
        return {label: n.name, left: a.x, top: a.y, right: z.x, bottom: z.y,
                inside: z.x > 0 && a.x < frame.width && z.y > 0 && a.y < frame.height};
    }).filter(b => b.inside && b.right > b.left);
}"""


def _overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["label"], b["label"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["left"] < b["right"] - 1
        and b["left"] < a["right"] - 1
        and a["top"] < b["bottom"] - 1
        and b["top"] < a["bottom"] - 1
    ]


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080), (390, 844)])
def test_network_labels_never_overlap_and_zooming_in_brings_names_back(page, size):
    """Issue 13 item 4: on a dense generated map no two drawn names overlap; names left off
    are counted in the header and return as one zooms in."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    m = synthetic.large(80, 320, seed=3)
    page.set_content(drawing.network_html(m, layout.layout(m)))
    page.wait_for_function("window.stakemapFirstDraw !== undefined")
    page.wait_for_timeout(200)
    boxes = page.evaluate(_DRAWN_LABELS)
    assert boxes and not _overlaps(boxes)
    left_off = page.locator("#quiet").inner_text()
    assert "left off where labels would overlap" in left_off
    before = int(left_off.split()[0])
    screenshot(page, f"network-declutter-{size[0]}x{size[1]}")
    box = page.locator("#network").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(4):
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(60)
    page.wait_for_timeout(400)
    after = page.locator("#quiet").inner_text()
    assert int(after.split()[0] or 0) < before if after else True
    assert not _overlaps(page.evaluate(_DRAWN_LABELS))


def test_group_and_stance_filters_hide_people_in_the_same_drawing(page, app_server):
    """The app's filters reach the drawing through the bridge: the people outside them are
    hidden in place, and clearing the filter shows everyone again."""
    page.set_viewport_size({"width": 1280, "height": 800})
    _, m = _open_sample(page, app_server)
    frame = _frame(page)
    frame.evaluate("window.stakemapMark = 'same page'")
    hidden = "network.body.data.nodes.get().filter(n => n.hidden).map(n => n.name).sort()"
    stance = max({s.stance for s in m.stakeholders})
    label = STANCE_LABELS[stance]
    page.get_by_role("combobox", name="Show stances").click()
    page.get_by_role("option", name=label, exact=True).click()
    page.keyboard.press("Escape")
    wait_for_app(page)
    want = sorted(s.name for s in m.stakeholders if s.stance != stance)
    frame = _frame(page, f"({hidden}).length === {len(want)}")
    assert frame.evaluate(hidden) == want
    assert frame.evaluate("window.stakemapMark") == "same page"
    screenshot(page, "network-filtered-by-stance")
    group = sorted({s.group for s in m.stakeholders})[0]
    page.get_by_role("combobox", name="Show groups").click()
    page.get_by_role("option", name=group or "(no group)", exact=True).click()
    page.keyboard.press("Escape")
    wait_for_app(page)
    want = sorted(s.name for s in m.stakeholders if s.stance != stance or s.group != group)
    frame = _frame(page, f"({hidden}).length === {len(want)}")
    assert frame.evaluate(hidden) == want
    assert frame.evaluate("window.stakemapMark") == "same page"


_ARROWS = "window.stakemapArrows"


def test_arrowheads_show_where_they_can_be_seen(page):
    """Zoomed out over hundreds of people an arrowhead is a speck that costs a filled path a
    tie: they are left off, the header says so, and they come back as one zooms in."""
    page.set_viewport_size({"width": 1280, "height": 800})
    m = synthetic.large(600, 2400, seed=5)
    page.set_content(drawing.network_html(m, layout.layout(m)))
    page.wait_for_function("window.stakemapFirstDraw !== undefined")
    assert page.evaluate("network.getScale()") < 0.29 and page.evaluate(_ARROWS) is False
    assert "Arrowheads show when you zoom in" in page.locator("#quiet").inner_text()
    box = page.locator("#network").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    while page.evaluate("network.getScale()") < 0.5:
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(30)
    for _ in range(50):  # the drawing settles 120 ms after the last zoom step
        if page.evaluate(_ARROWS):
            break
        page.wait_for_timeout(100)
    assert page.evaluate(_ARROWS) is True
    assert "Arrowheads" not in page.locator("#quiet").inner_text()
    page.wait_for_timeout(600)  # ties come back once the zoom has ended (hideEdgesOnZoom)
    screenshot(page, "network-arrows-zoomed-in")


def test_a_small_map_draws_its_arrowheads_at_once(page):
    page.set_content(drawing.network_html(cases.pipeline(), None))
    page.wait_for_function("window.stakemapFirstDraw !== undefined")
    assert page.evaluate(_ARROWS) is True
    assert "Arrowheads" not in page.locator("#quiet").inner_text()
