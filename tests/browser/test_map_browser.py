"""The Map page in Chromium: every name on the chart, click + "stance +1" saves, presenter mode."""

from __future__ import annotations

import pytest

from stakemap.samples.synthetic import organisation
from stakemap.store.maps import Store
from tests.browser.helpers import open_page, screenshot, wait_for_app

CHART = "[data-testid=stVegaLiteChart]"


def _map_id(page, server, name_start: str) -> int:
    """Open the app once (the samples load on first start) and find a sample's map id."""
    open_page(page, server)
    store = Store(server.database_url)
    return next(m.id for m in store.list_maps() if m.name.startswith(name_start))


def _open_map(page, server, name_start: str) -> int:
    """Open the Map page (the app's default page) on a sample map."""
    map_id = _map_id(page, server, name_start)
    open_page(page, server, f"?map={map_id}")
    page.locator(f"{CHART} svg").first.wait_for()
    return map_id


def _chart_texts(page) -> set[str]:
    return set(page.locator(f"{CHART} svg text").all_text_contents())


def test_every_name_of_the_60_person_sample_is_on_the_chart(page, app_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    _open_map(page, app_server, "Organisation")
    names = set(organisation().names)
    assert len(names) == 60
    assert names <= _chart_texts(page)
    screenshot(page, "map_1280x800")


def test_click_a_marker_and_stance_plus_one_saves_to_the_store(page, app_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    map_id = _open_map(page, app_server, "Organisation")
    store = Store(app_server.database_url)
    before = store.latest(map_id)
    # a Neutral person: their marker is a circle whose aria label names them
    person = next(s for s in before.data.stakeholders if s.stance == 0)
    marker = page.locator(f'{CHART} [role=graphics-symbol][aria-label*="Name: {person.name};"]')
    marker.first.click()
    wait_for_app(page)
    plus = page.get_by_role("button", name="stance +1")
    plus.wait_for()
    screenshot(page, "map_person_details")
    plus.click()
    wait_for_app(page)
    page.get_by_text("Stance: Supporter").wait_for()
    after = store.latest(map_id)
    assert after.number == before.number + 1
    assert after.data.get(person.name).stance == 1
    assert after.description == f"Stance of {person.name}: Neutral -> Supporter"
    others = [s for s in after.data.stakeholders if s.name != person.name]
    assert others == [s for s in before.data.stakeholders if s.name != person.name]


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 800)])
def test_presenter_mode_is_projector_ready(page, app_server, width, height):
    page.set_viewport_size({"width": width, "height": height})
    _open_map(page, app_server, "Organisation")
    page.get_by_text("Presenter mode").click()
    page.get_by_label("Anonymise").wait_for()
    wait_for_app(page)
    assert page.locator("[data-testid=stSidebar]").is_hidden()
    assert page.get_by_role("button", name="stance +1").count() == 0
    font = page.evaluate(
        "getComputedStyle(document.querySelector('[data-testid=stMain] p')).fontSize"
    )
    assert float(font.removesuffix("px")) >= 20
    box = page.locator(CHART).bounding_box()
    assert box["width"] >= 0.9 * width
    assert box["y"] + box["height"] <= height  # the whole chart, x axis included, on screen
    screenshot(page, f"map_presenter_{width}x{height}")
    # the chart's toolbar (show data, download, fullscreen) shows on hover: below the bar
    page.locator(CHART).hover()
    # the chart's own toolbar: a key or list of people under the chart has one too
    toolbar = page.locator(
        "[data-testid=stElementContainer]:has([data-testid=stVegaLiteChart]) "
        "[data-testid=stElementToolbar]"
    ).last
    toolbar.wait_for()
    bar = page.locator("[data-testid=stMain] [data-testid=stExpander]").bounding_box()
    box = page.locator(CHART).bounding_box()  # the hover may have scrolled the page
    buttons = [b.bounding_box() for b in toolbar.get_by_role("button").all()]
    assert buttons and min(b["y"] for b in buttons) >= bar["y"] + bar["height"]
    bottom = max(b["y"] + b["height"] for b in buttons)
    assert bottom <= box["y"] + 44  # in the chart's free top band
    screenshot(page, f"map_presenter_toolbar_{width}x{height}")
    # 60 people on the power map: "Stakeholder AB" is too long for a projector, "AB" is not
    page.get_by_label("Lens").click()
    page.get_by_role("option", name="Power map").click()
    wait_for_app(page)
    page.get_by_label("Anonymise").click()
    page.get_by_role("option", name="Stakeholder A, B, ...").click()
    wait_for_app(page)
    page.get_by_text("the chart shows the letters alone").wait_for()
    page.locator(f"{CHART} svg text", has_text="AB").first.wait_for()
    texts = _chart_texts(page)
    assert {"A", "B", "AB"} <= texts
    assert not set(organisation().names) & texts
    screenshot(page, f"map_presenter_anonymised_{width}x{height}")


@pytest.mark.parametrize("lens", ["Power map", "Salience model", "Influence/attitude grid"])
def test_lens_screenshots(page, app_server, lens):
    """Every power row labelled, strategies wrapped: for a human to look at."""
    page.set_viewport_size({"width": 1280, "height": 800})
    _open_map(page, app_server, "Organisation")
    page.get_by_label("Lens").click()
    page.get_by_role("option", name=lens).click()
    wait_for_app(page)
    page.locator(f"{CHART} svg text", has_text=lens).first.wait_for()  # the chart's title
    if lens == "Power map":
        texts = _chart_texts(page)
        assert {"No influence", "Little influence", "Some influence"} <= texts
        assert {"Strong influence", "Decision-maker"} <= texts
    slug = lens.split()[0].split("/")[0].lower()
    screenshot(page, f"map_lens_{slug}_1280x800")
