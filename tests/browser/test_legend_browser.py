"""One visual language in Chromium: the power map's axis in stance words and the network's
legend of stance shapes, at 1280x800, on a projector and on a phone."""

from __future__ import annotations

import pytest

from stakemap.legend import STANCE_SHAPES
from stakemap.store.maps import Store
from tests.browser.helpers import open_page, projector_screenshot, screenshot, wait_for_app
from tests.browser.test_network_browser import _frame

CHART = "[data-testid=stVegaLiteChart]"
SIZES = {"1280x800": (1280, 800), "390x844": (390, 844)}


def _organisation(page, server) -> int:
    open_page(page, server)
    return next(
        m.id for m in Store(server.database_url).list_maps() if m.name.startswith("Organisation")
    )


@pytest.mark.parametrize("size", list(SIZES))
def test_the_power_map_axis_reads_in_stance_words(page, app_server, size):
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    open_page(page, app_server, f"map?map={_organisation(page, app_server)}")
    page.get_by_label("Lens").click()
    page.get_by_role("option", name="Power map").click()
    wait_for_app(page)
    page.locator(f"{CHART} svg text", has_text="Decision-maker").first.wait_for()
    texts = set(page.locator(f"{CHART} svg text").all_text_contents())
    assert set(STANCE_SHAPES) <= texts  # the x axis and the legend
    assert not {"-1", "+1", "Against us", "With us"} & texts
    screenshot(page, f"legend_power_map_{size}")
    if size == "1280x800":
        projector_screenshot(page, "legend_power_map")


@pytest.mark.parametrize("size", list(SIZES))
def test_the_network_legend_is_the_maps(page, app_server, size):
    page.set_viewport_size(dict(zip(("width", "height"), SIZES[size], strict=True)))
    open_page(page, app_server, f"network?map={_organisation(page, app_server)}")
    frame = _frame(page)
    legend = frame.locator("header").inner_text()
    assert "Shape: stance" in legend and "decision role" not in legend.lower()
    for stance, shape in STANCE_SHAPES.items():
        assert f"{shape.glyph}{stance}" in legend.replace(" ", "")
    screenshot(page, f"legend_network_{size}")
    if size == "1280x800":
        projector_screenshot(page, "legend_network")
