"""The Plan page in Chromium: the story's plan, its chart, and recording a meeting's outcome."""

from __future__ import annotations

import pytest

from stakemap.store.maps import Store

from .helpers import SCREENSHOTS, open_page, projector_screenshot, screenshot, wait_for_app

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


def _record_passive(page, order: int, note: str) -> None:
    """Open step ``order``'s outcome form, choose "Agreed but passive", add a note, save."""
    page.locator(f".st-key-plan-step-{order}").get_by_role("button", name="Record outcome").click()
    form = page.locator("[data-testid=stPopoverBody]").filter(has_text="Save outcome")
    form.get_by_text("Agreed but passive").click()
    form.get_by_role("textbox", name="Note").fill(note)
    form.get_by_role("button", name="Save outcome").click()


def test_recording_an_outcome_keeps_the_step_and_its_number(page, app_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    map_id = _open_programme(page, app_server)
    _record_passive(page, 2, "<b>wants</b> the numbers first")
    page.wait_for_function(
        "sel => document.querySelector(sel)?.innerText.includes('Done: Agreed but passive')",
        arg=".st-key-plan-step-2",
        timeout=30_000,
    )
    wait_for_app(page)
    assert "2. Priya Nair" in page.inner_text(".st-key-plan-step-2")  # not hidden, not renumbered
    assert "1. Omar Haddad" in page.inner_text(FIRST_CARD)
    assert "1 of 5" in page.inner_text(".st-key-plan-progress")
    # the save redrew the whole page, not only the steps: the sidebar shows the new version
    page.locator("[data-testid=stSidebar]").get_by_text("Version 2 ·").wait_for()
    latest = Store(app_server.database_url).latest(map_id)
    assert latest.number == 2
    assert latest.description.startswith("Plan step 2, Priya Nair: agreed but passive on ")
    assert latest.data.log_of("Priya Nair")[0].note == "<b>wants</b> the numbers first"
    # The numbers survive a reload (no toast over the cards now): the log under the card.
    open_page(page, app_server, f"plan?map={map_id}")
    card = page.locator(".st-key-plan-step-2")
    assert "2. Priya Nair" in card.inner_text()
    card.get_by_text("Engagement log (1)").click()
    card.locator("[data-testid=stDataFrame] canvas").first.wait_for()
    card.scroll_into_view_if_needed()
    screenshot(page, "plan-outcome-1280x800")
    projector_screenshot(page, "plan-outcome")
    page.set_viewport_size({"width": 390, "height": 844})
    wait_for_app(page)
    card.scroll_into_view_if_needed()
    screenshot(page, "plan-outcome-phone-390x844")
    page.locator(".st-key-plan-step-3").get_by_role("button", name="Record outcome").click()
    page.locator("[data-testid=stPopoverBody]").filter(has_text="Save outcome").wait_for()
    page.screenshot(path=str(SCREENSHOTS / "plan-outcome-form-phone-390x844.png"))


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
