"""The app in Chinese in Chromium (docs/languages.md): each page at 1280x800 and 390x844 with no
page wider than the screen and no heading cut, the picker's choice remembered by the browser,
the browser's own language as the default, ``?lang=`` in a link."""

from __future__ import annotations

import pytest

from stakemap.language import speaking
from stakemap.room.links import join_link
from stakemap.room.rounds import items_for
from stakemap.room.sessions import WorkshopStore
from stakemap.store.maps import Store
from tests.browser.helpers import open_page, projector_screenshot, screenshot, wait_for_app

PAGES = ("map", "network", "plan", "data", "export", "workshop", "join")
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
#: Chinese for each page's title in the navigation, as the catalogue has it.
TITLES = {"map": "地图", "network": "网络", "plan": "计划", "data": "数据", "export": "导出"}


def _overflow(page) -> dict:
    """How far the page runs past the screen's width, and the headings and buttons whose text
    runs past their box (drawn text wider than the box that holds it)."""
    return page.evaluate(
        """() => {
            const wider = (e) => {
                if (!e.checkVisibility()) {
                    return false;  // in a closed expander: its layout may be stale
                }
                const box = (e.closest('button') || e).getBoundingClientRect();
                if (!box.width || box.right <= 0 || box.left >= window.innerWidth) {
                    return false;  // not on the screen: a phone's closed sidebar
                }
                const range = document.createRange();
                range.selectNodeContents(e);
                const text = range.getBoundingClientRect();
                return text.left < box.left - 1 || text.right > box.right + 1;
            };
            const cut = [...document.querySelectorAll(
                '[data-testid=stMain] h1, [data-testid=stMain] h2, [data-testid=stMain] h3, '
                + '[data-testid=stMain] button p, [data-testid=stSidebar] button p')]
              .filter(wider).map(e => e.textContent);
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


def test_every_page_in_chinese_fits_a_projector_with_large_fonts(page, app_server):
    """1920x1080 with the browser's and Streamlit's fonts at 20 px, as a projector is set."""
    for name in PAGES:
        open_page(page, app_server, f"{name}?lang=zh")
        page.locator("[data-testid=stMain] h1").first.wait_for()
        projector_screenshot(page, f"zh_{name}")
        page.set_viewport_size({"width": 1920, "height": 1080})
        page.evaluate("document.documentElement.style.fontSize = '20px'")
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
    """The join link of a facilitator speaking Chinese opens a phone in Chinese; it joins and
    rates in Chinese, with nothing cut at 390 px."""
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, app_server, "map")  # the first start loads the samples
    store = Store(app_server.database_url)
    map_id = store.list_maps()[0].id
    ws = WorkshopStore(store)
    session = ws.start(map_id)
    with speaking("zh"):
        link = join_link(
            session.code, app_server.url, "127.0.0.1", app_server.port, None, lang="zh"
        )
    assert link.url.endswith("&lang=zh")
    page.goto(link.url)
    wait_for_app(page)
    page.get_by_role("textbox", name="你的显示名称").fill("李娜")
    page.get_by_role("button", name="加入", exact=True).click()
    wait_for_app(page)
    names = store.latest(map_id).data.names[:2]
    ws.open_round(session.id, items_for(names, ["power"]))
    page.get_by_text(f"{names[0]} 对这项决策有多大权力").first.wait_for(timeout=15_000)
    screenshot(page, "zh_join_round_390x844")
    # each phone can switch for itself
    english = page.get_by_role("radio", name="English")
    assert english.or_(page.get_by_role("button", name="English")).first.is_visible()
    found = _overflow(page)
    assert found["extra"] <= 0 and not found["cut"], found
