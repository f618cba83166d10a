"""A map by hand in Chromium: a product manager maps a leadership team, a works council and
herself for a remote-work policy through the guided start, typing people and ties in the
quick-add grammar, and ends on the Plan page naming a first step, in at most 40 actions (a
click, a key chord or a submitted field each), waiting only for the page's own reruns.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Error as PlaywrightError

from stakemap.model import StakeholderMap
from stakemap.planning.rule import rule_of
from stakemap.store.maps import Store
from tests.browser.helpers import open_page, screenshot, wait_for_app
from tests.lines import lined_up

SIZES = {"1280x800": (1280, 800), "390x844": (390, 844)}
PEOPLE = """Dana Whitfield, CEO, power 5, interest 4
Marcus Lee, CFO, against, power 4
Works council, against, power 4, interest 5
Henrik Olsen, Head of HR, for, power 3
Ines Duarte, CTO, power 4
Jonas Berg, Sales lead, against, power 2
Sofia Ruiz, Engineering manager, for, power 2
Priya Nair, Legal counsel, power 3
Tom Becker, Product manager, champion, power 2"""
TIES = """Henrik listens to Sofia
Marcus listens to Priya
Works council listens to Henrik
Jonas -> Marcus
Tom -> Henrik strong
Sofia -> Ines"""
PARTS = """Core hours: Marcus, Dana
Home-office budget: Works council, Henrik"""
LIMIT = 40


class Actions:
    """The user's actions, counted: a click, a key chord, a submitted field each; after each
    one the test waits for the page's own rerun and nothing else."""

    def __init__(self, page) -> None:
        self.page = page
        self.count = 0

    def click(self, locator) -> None:
        locator.click()
        self.count += 1
        wait_for_app(self.page)

    def fill(self, locator, text: str) -> None:
        locator.fill(text)
        self.count += 1

    def pick(self, locator, *queries: str, close: bool = True) -> None:
        """Open a picker, then type each query and press Enter (one chord a name); a list
        of several picks stays open over the buttons until Escape closes it."""
        self.click(locator)
        for query in queries:
            self.page.keyboard.type(query, delay=20)
            self.page.keyboard.press("Enter")
            self.count += 1
        if close:
            self.page.keyboard.press("Escape")
            self.count += 1


def _next(page, actions: Actions) -> None:
    actions.click(page.get_by_role("button", name="Next"))


def _picker(page, kind: str, label: str):
    return page.locator(f"[data-testid={kind}]").filter(has_text=label).locator("input").first


@pytest.mark.parametrize("size", list(SIZES))
def test_product_manager_from_a_blank_map_to_a_plan(page, app_server, size) -> None:
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, app_server)
    store = Store(app_server.database_url)
    before = {m.id for m in store.list_maps()}
    act = Actions(page)
    started = time.monotonic()
    if width < 640:  # on a phone the sidebar starts closed
        act.click(page.get_by_test_id("stExpandSidebarButton"))
    act.click(page.get_by_text("New map", exact=True))
    act.click(page.get_by_role("button", name="Start"))
    page.get_by_text("Question 1 of 8").wait_for()
    if width < 640:  # and stays open over the page until closed
        act.click(page.get_by_test_id("stSidebarCollapseButton").locator("button"))
    act.fill(page.get_by_role("textbox", name="The decision"), "Remote-work policy")
    page.keyboard.press("Enter")  # Enter in the field submits the screen as Next
    act.count += 1
    wait_for_app(page)
    page.get_by_text("Question 2 of 8").wait_for()
    act.fill(page.get_by_role("textbox", name="People, one a line"), PEOPLE)
    screenshot(page, f"guided_people_{size}")
    _next(page, act)
    page.get_by_text("Question 3 of 8").wait_for()
    act.pick(_picker(page, "stMultiSelect", "Who votes"), "Dana")
    screenshot(page, f"guided_rule_{size}")
    _next(page, act)
    page.get_by_text("Question 4 of 8").wait_for()
    act.pick(_picker(page, "stMultiSelect", "Formal veto"), "Marcus", "Works")
    _next(page, act)
    page.get_by_text("Question 5 of 8").wait_for()
    act.pick(_picker(page, "stSelectbox", "Who plans this"), "Tom", close=False)
    screenshot(page, f"guided_stances_{size}")
    _next(page, act)
    page.get_by_text("Question 6 of 8").wait_for()
    act.pick(_picker(page, "stMultiSelect", "Dana Whitfield listens to"), "Henrik", "Ines", "Mar")
    act.fill(page.get_by_role("textbox", name="Other ties, one a line (optional)"), TIES)
    screenshot(page, f"guided_listening_{size}")
    _next(page, act)
    page.get_by_text("Question 7 of 8").wait_for()
    act.fill(page.get_by_role("textbox", name="Parts, one a line", exact=False), PARTS)
    _next(page, act)
    page.get_by_text("Question 8 of 8").wait_for()
    screenshot(page, f"guided_review_{size}")
    act.click(page.get_by_role("button", name="Create the map and plan"))
    page.get_by_role("heading", name="Plan").wait_for()
    page.get_by_text("One-to-one steps").wait_for()
    seconds = time.monotonic() - started
    screenshot(page, f"guided_plan_{size}")
    print(f"guided start at {size}: {act.count} actions, {seconds:.1f} s")
    assert act.count <= LIMIT
    made = [m for m in store.list_maps() if m.id not in before]
    assert len(made) == 1
    assert [v.description for v in store.history(made[0].id)] == ["Started from questions"]
    m = store.latest(made[0].id).data
    assert (len(m.stakeholders), len(m.relationships), len(m.proposal.parts)) == (9, 9, 2)
    assert m.proposal.champion == "Tom Becker"
    first = re.search(r"^1\. (.+?) · ", page.inner_text("body"), re.MULTILINE)
    assert first and first[1] in m.names  # the page names a first step
    described = rule_of(m).describe()
    assert "Marcus Lee and Works council hold a veto" in described
    assert "3 decision makers" in described


def _drawn(page, timeout: float = 30) -> dict[str, tuple[float, float]]:
    """Each person's place in the network drawing once vis-network has drawn it."""
    deadline = time.monotonic() + timeout
    script = """() => window.stakemapFirstDraw === undefined ? null : Object.fromEntries(
        Object.entries(network.getPositions()).map(
            ([id, p]) => [network.body.data.nodes.get(Number(id)).name, [p.x, p.y]]))"""
    while time.monotonic() < deadline:
        frame = page.wait_for_selector("[data-testid=stIFrame]").content_frame()
        try:
            spots = frame.evaluate(script) if frame is not None else None
        except PlaywrightError:  # a rerun was swapping the drawing's document
            spots = None
        if spots:
            return {name: (x, y) for name, (x, y) in spots.items()}
        page.wait_for_timeout(100)
    raise TimeoutError("the drawing was not drawn")


def test_a_quick_added_map_spreads_on_the_network_page(page, app_server) -> None:
    """People typed by quick add, opened on the Network page: no two untied people share a
    vertical or horizontal line, without Re-arrange."""
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, app_server)
    store = Store(app_server.database_url)
    map_id = store.create("By hand", StakeholderMap())
    open_page(page, app_server, f"data?map={map_id}")
    page.get_by_role("textbox", name="One person or one tie a line").fill(PEOPLE + "\n" + TIES)
    page.get_by_role("button", name="Read", exact=True).click()
    wait_for_app(page)
    page.get_by_role("button", name="Add to the map", exact=False).click()
    wait_for_app(page)
    open_page(page, app_server, f"network?map={map_id}")
    drawn = _drawn(page)
    screenshot(page, "guided_network_1280x800")
    m = store.latest(map_id).data
    assert set(drawn) == set(m.names)
    assert lined_up(m, drawn) == []
