"""The Map stays live while the person pane edits: the chart and the table follow each save."""

from __future__ import annotations

import pytest

from stakemap.store.maps import Store
from tests.browser.helpers import open_page, projector_screenshot, screenshot, wait_for_app

CHART = "[data-testid=stVegaLiteChart]"
SIZES = {"1280x800": (1280, 800), "390x844": (390, 844)}


def _marker(page, name: str):
    return page.locator(f'{CHART} [role=graphics-symbol][aria-label*="Name: {name};"]').first


@pytest.mark.parametrize("size", list(SIZES))
def test_the_chart_follows_the_pane_edits(page, app_server, size):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, app_server)
    store = Store(app_server.database_url)
    map_id = next(m.id for m in store.list_maps() if m.name.startswith("Organisation"))
    open_page(page, app_server, f"map?map={map_id}")
    person = next(s for s in store.latest(map_id).data.stakeholders if s.stance == 0)
    _marker(page, person.name).wait_for()
    _marker(page, person.name).click()
    wait_for_app(page)
    page.get_by_role("button", name="stance +1").click()
    wait_for_app(page)
    page.get_by_text("Stance: Supporter").wait_for()
    page.get_by_role("button", name="stance +1").click()
    wait_for_app(page)
    page.get_by_text("Stance: Champion").wait_for()
    power = page.get_by_role("spinbutton", name="Power")
    power.fill("4.5")
    power.press("Enter")
    page.get_by_text(f"Power of {person.name}").first.wait_for()
    wait_for_app(page)
    assert store.latest(map_id).data.get(person.name).power == 4.5
    # the pane is still open and the chart already shows the saved person
    assert page.locator(".st-key-map_close").count() == 1
    label = _marker(page, person.name).get_attribute("aria-label")
    assert "Stance: Champion" in label, label
    assert "Power: 4.5" in label, label
    screenshot(page, f"map_live_{size}")
    if size == "1280x800":
        projector_screenshot(page, "map_live")
