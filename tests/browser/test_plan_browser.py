"""The Plan page in Chromium: the story's plan, its chart, and ticking a step done."""

from __future__ import annotations

import pytest

from stakemap.store import Store

from .helpers import open_page, screenshot, wait_for_app

FIRST_CARD = ".st-key-plan-step-1"


def _open_programme(page, server) -> int:
    """Open the Plan page on the new-programme sample (loaded on the app's first run)."""
    open_page(page, server, "plan")
    maps = Store(server.database_url).list_maps()
    map_id = next(m.id for m in maps if m.name.startswith("New programme"))
    open_page(page, server, f"plan?map={map_id}")
    return map_id


@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_the_plan_reads_in_order_with_its_chart(page, app_server, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    _open_programme(page, app_server)
    assert "1. Omar Haddad" in page.inner_text(FIRST_CARD)
    assert "Allies" in page.inner_text(FIRST_CARD)
    assert "Lena Fischer" in page.inner_text(".st-key-plan-step-5")
    assert "Financial modelling module" in page.inner_text(".st-key-plan-step-5")
    assert "Ready" in page.inner_text(".st-key-plan-close")
    page.wait_for_selector("[data-testid=stVegaLiteChart] :is(canvas, svg)")
    screenshot(page, f"plan-{size[0]}x{size[1]}")


def test_ticking_a_step_done_moves_the_plan_on(page, app_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    map_id = _open_programme(page, app_server)
    page.locator(FIRST_CARD).get_by_text("Done").click()
    page.wait_for_function(
        "sel => document.querySelector(sel)?.innerText.includes('1. Priya Nair')",
        arg=FIRST_CARD,
        timeout=30_000,
    )
    wait_for_app(page)
    assert "Omar Haddad" not in page.inner_text(".st-key-plan-step-1")
    latest = Store(app_server.database_url).latest(map_id)
    assert latest.data.get("Omar Haddad").stance == 2
    assert "plan step 1 done" in latest.description
    # The saved stance survives a reload: the plan starts from it.
    open_page(page, app_server, f"plan?map={map_id}")
    assert "1. Priya Nair" in page.inner_text(FIRST_CARD)
    screenshot(page, "plan-after-tick")


def test_what_if_panel_predicts_moves_without_saving(page, app_server):
    page.set_viewport_size({"width": 1920, "height": 1080})
    map_id = _open_programme(page, app_server)
    page.get_by_role("tab", name="What if").click()
    page.locator(f".st-key-whatif-person-{map_id}").click()
    page.get_by_role("option", name="Omar Haddad").click()
    wait_for_app(page)
    page.locator(f".st-key-whatif-stance-{map_id}-1").get_by_role("slider").press("End")
    page.get_by_text("If Omar Haddad becomes Champion, who moves").wait_for()
    page.get_by_text("How the plan changes", exact=True).wait_for()
    wait_for_app(page)
    assert Store(app_server.database_url).latest(map_id).number == 1
    screenshot(page, "plan-what-if")
