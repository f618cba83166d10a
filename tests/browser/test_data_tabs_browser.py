"""The Data page in Chromium: the Relationships tab with each tie in words, at three sizes."""

from __future__ import annotations

import pytest

from stakemap.store.maps import Store
from tests.browser.helpers import open_page, projector_screenshot, screenshot, wait_for_app

SIZES = {"1280x800": (1280, 800), "390x844": (390, 844)}


@pytest.mark.parametrize("size", list(SIZES))
def test_relationships_tab_reads_in_words(page, app_server, size):
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, app_server)
    store = Store(app_server.database_url)
    map_id = next(m.id for m in store.list_maps() if m.name.startswith("Organisation"))
    open_page(page, app_server, f"data?map={map_id}")
    page.get_by_role("tab", name="Relationships").click()
    wait_for_app(page)
    page.locator("[data-testid=stDataFrame]:visible").first.wait_for()
    page.get_by_text("The Reads as column says who sways whom").wait_for()
    assert page.get_by_role("tab", selected=True).inner_text().strip() == "Relationships"
    screenshot(page, f"data_ties_{size}")
    if size == "1280x800":
        projector_screenshot(page, "data_ties")
