"""Deep links: every page opens from its own URL, with the map of the link, at three sizes."""

from __future__ import annotations

import pytest

from stakemap.store.maps import Store
from tests.browser.helpers import open_page, projector_screenshot, screenshot

PAGES = {"map": "Map", "network": "Network", "plan": "Plan", "data": "Data", "export": "Export"}


def _sample_id(page, server, name_start: str) -> int:
    open_page(page, server)  # the samples load on the first start
    return next(
        m.id for m in Store(server.database_url).list_maps() if m.name.startswith(name_start)
    )


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_opens_from_its_link(page, app_server, path):
    page.set_viewport_size({"width": 1280, "height": 800})
    map_id = _sample_id(page, app_server, "Organisation")
    open_page(page, app_server, f"{path}?map={map_id}")
    heading = page.locator("h1").first
    heading.wait_for()
    assert heading.inner_text().startswith(PAGES[path])
    assert page.get_by_text("Page not found").count() == 0
    assert page.url.endswith(f"/{path}?map={map_id}")
    # the sidebar shows the map of the link (60 people), not the first map
    assert "· 60 people ·" in page.locator("[data-testid=stSidebar]").inner_text()


def test_the_root_url_opens_the_map_page_at_its_own_path(page, app_server):
    map_id = _sample_id(page, app_server, "Organisation")
    for size, name in [((1280, 800), "links_map_1280x800"), ((390, 844), "links_map_390x844")]:
        page.set_viewport_size({"width": size[0], "height": size[1]})
        open_page(page, app_server, f"?map={map_id}")
        page.locator("h1").first.wait_for()
        assert page.url.endswith(f"/map?map={map_id}")
        assert page.locator("h1").first.inner_text().startswith("Map")
        screenshot(page, name)
    projector_screenshot(page, "links_map")
