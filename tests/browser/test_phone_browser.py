"""On a 390 px phone the Map's legend keeps every stance word whole, and page titles stay
short."""

from __future__ import annotations

from stakemap.legend import STANCE_SHAPES
from stakemap.samples.synthetic import organisation
from stakemap.store.maps import Store
from tests.browser.helpers import SCREENSHOTS, open_page, screenshot

CHART = "[data-testid=stVegaLiteChart]"


def test_the_phone_legend_keeps_every_stance_word(page, app_server):
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, app_server)
    store = Store(app_server.database_url)
    map_id = next(m.id for m in store.list_maps() if m.name.startswith("Organisation"))
    open_page(page, app_server, f"map?map={map_id}")
    chart = page.locator(CHART).first
    chart.locator("svg").first.wait_for()
    chart.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(exist_ok=True)
    chart.screenshot(path=str(SCREENSHOTS / "phone_map_chart_390x844.png"))
    box = chart.bounding_box()
    for stance in STANCE_SHAPES:
        word = chart.locator("svg text", has_text=stance).last
        assert word.count() and word.text_content() == stance
        b = word.bounding_box()
        assert box["x"] <= b["x"] and b["x"] + b["width"] <= box["x"] + box["width"] + 0.5, stance
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg text')]
                 .map(t => t.getBoundingClientRect().height).filter(h => h > 0)"""
    )
    print("label heights px: min", min(sizes), "median", sorted(sizes)[len(sizes) // 2])
    # names too small to read are left off, and the chart says where they are
    visible = page.evaluate(
        """names => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg text')]
                 .filter(t => names.includes(t.textContent))
                 .filter(t => getComputedStyle(t).opacity !== '0')
                 .map(t => parseFloat(getComputedStyle(t).fontSize))""",
        organisation().names,
    )
    assert all(size >= 6.5 for size in visible), sorted(visible)[:5]
    page.get_by_text("names too small to read are left off the chart").wait_for()


def test_a_phone_page_title_takes_at_most_two_lines(page, app_server):
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, app_server)
    store = Store(app_server.database_url)
    map_id = next(m.id for m in store.list_maps() if m.name.startswith("Organisation"))
    open_page(page, app_server, f"map?map={map_id}")  # "Map · Organisation (60 people)"
    title = page.locator("[data-testid=stMain] h1").first
    title.wait_for()
    line = float(title.evaluate("h => parseFloat(getComputedStyle(h).lineHeight)"))
    padding = title.evaluate(
        "h => { const c = getComputedStyle(h); "
        "return parseFloat(c.paddingTop) + parseFloat(c.paddingBottom); }"
    )
    assert title.bounding_box()["height"] - padding <= 2 * line + 1
    screenshot(page, "phone_title_390x844")
