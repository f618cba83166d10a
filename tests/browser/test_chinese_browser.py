"""The app in Chinese in Chromium (docs/languages.md): each page at 1280x800 and 390x844 with no
page wider than the screen and no heading cut, the picker's choice remembered by the browser,
the browser's own language as the default, ``?lang=`` in a link."""

from __future__ import annotations

import pytest

from stakemap.store.maps import Store
from tests.browser.helpers import open_page, screenshot, wait_for_app

PAGES = ("map", "network", "plan", "data", "export", "workshop")
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
#: Chinese for each page's title in the navigation, as the catalogue has it.
TITLES = {"map": "地图", "network": "网络", "plan": "计划", "data": "数据", "export": "导出"}


def _overflow(page) -> dict:
    """How far the page runs past the screen's width, and the headings and buttons whose text
    is cut (wider than their box)."""
    return page.evaluate(
        """() => {
            const cut = [...document.querySelectorAll(
                '[data-testid=stMain] h1, [data-testid=stMain] h2, [data-testid=stMain] h3, '
                + '[data-testid=stMain] button p, [data-testid=stSidebar] button p')]
              .filter(e => e.offsetParent && e.scrollWidth > e.clientWidth + 1)
              .map(e => e.textContent);
            return {extra: document.documentElement.scrollWidth - window.innerWidth, cut};
        }"""
    )


@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_in_chinese_fits_the_screen(page, app_server, size):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    for name in PAGES:
        open_page(page, app_server, f"{name}?lang=zh")
        page.locator("[data-testid=stMain] h1").first.wait_for()
        screenshot(page, f"zh_{name}_{width}x{height}")
        found = _overflow(page)
        assert found["extra"] <= 0, (name, found)
        assert not found["cut"], (name, found["cut"])


def test_the_choice_is_remembered_and_the_browser_language_is_the_default(browser, app_server):
    chinese = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = chinese.new_page()
    open_page(page, app_server, "map")
    page.get_by_role("link", name=TITLES["plan"]).first.wait_for()  # zh-CN: Chinese at once
    english = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
    page = english.new_page()
    open_page(page, app_server, "map")
    page.get_by_role("link", name="Plan").first.wait_for()
    page.get_by_role("radio", name="中文").or_(page.get_by_role("button", name="中文")).click()
    wait_for_app(page)
    page.get_by_role("link", name=TITLES["plan"]).first.wait_for()
    again = english.new_page()  # a new tab of the same browser: the cookie
    open_page(again, app_server, "network")
    again.get_by_role("link", name=TITLES["plan"]).first.wait_for()
    open_page(again, app_server, "network?lang=en")  # a link's choice wins
    again.get_by_role("link", name="Plan").first.wait_for()
    chinese.close()
    english.close()


def test_a_phone_joins_in_the_facilitators_language(page, app_server):
    store = Store(app_server.database_url)
    map_id = store.list_maps()[0].id
    from stakemap.room.sessions import WorkshopStore

    session = WorkshopStore(store).start(map_id)
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, app_server, f"join?lang=zh&code={session.code}")
    screenshot(page, "zh_join_390x844")
    assert _overflow(page)["extra"] <= 0
    assert page.get_by_text("加入").count()
