"""The Network page leads with a sentence once a person is highlighted, at three sizes."""

from __future__ import annotations

import pytest

from stakemap.network.messengers import routes_to
from stakemap.store.maps import Store
from tests.browser.helpers import open_page, projector_screenshot, screenshot, wait_for_app

SIZES = {"1280x800": (1280, 800), "390x844": (390, 844)}


@pytest.mark.parametrize("size", list(SIZES))
def test_highlighting_a_person_names_the_best_messenger(page, app_server, size):
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    open_page(page, app_server)
    store = Store(app_server.database_url)
    map_id = next(m.id for m in store.list_maps() if m.name.startswith("Organisation"))
    m = store.latest(map_id).data
    target = max(m.names, key=lambda n: len(routes_to(m, n)))  # someone many can reach
    open_page(page, app_server, f"network?map={map_id}")
    box = page.get_by_role("combobox", name="Highlight a person")
    box.click()
    page.keyboard.type(target)
    page.get_by_role("option").filter(has_text=target).first.click()
    wait_for_app(page)
    alert = page.locator("[data-testid=stAlertContentInfo]").first
    alert.wait_for()
    text = alert.inner_text()
    assert text.startswith(("Your best messenger to", "No supporter reaches", "Nobody on the map"))
    assert target in text
    alert.scroll_into_view_if_needed()
    screenshot(page, f"network_words_{size}")
    if size == "1280x800":
        projector_screenshot(page, "network_words")
