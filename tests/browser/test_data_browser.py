"""Data page in Chromium: upload a workbook, edit a cell and save, reload, restart: the edit is
kept."""

from __future__ import annotations

from pathlib import Path

from stakemap.store.maps import Store
from tests.browser.helpers import open_page, projector_screenshot, screenshot, wait_for_app

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "pipeline.xlsx"


def _map_named(store: Store, name: str) -> int:
    return next(m.id for m in store.list_maps() if m.name == name)


def _edit_first_name(page, new_name: str, x: float = 70) -> None:
    """The editor is a canvas: open the first row's cell at ``x`` px, type, press Enter, then
    Save changes (the grid keeps edits until then)."""
    wait_for_app(page)  # a save rebuilds the editor: wait for the rerun to finish first
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.wait_for(state="visible")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.dblclick(box["x"] + x, box["y"] + 35 + 17)
    overlay = page.locator("#portal textarea, #portal input").first
    overlay.fill(new_name)
    overlay.press("Enter")
    page.get_by_role("button", name="Save changes").first.click()


def test_upload_edit_reload_restart(page, app_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, app_server, "data")
    page.get_by_text("Import a spreadsheet", exact=True).first.click()
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Create a new map from this file").click()
    wait_for_app(page)
    page.get_by_text("Version 1 · 7 people · 8 ties").wait_for()
    screenshot(page, "data-after-upload")

    store = Store(app_server.database_url)
    map_id = _map_named(store, "pipeline")
    assert store.latest(map_id).data.names[0] == "Russia (Gazprom)"

    _edit_first_name(page, "Russia (Kremlin)")
    page.get_by_text("Version 2 · 7 people · 8 ties").wait_for()
    saved = store.latest(map_id)
    assert saved.number == 2
    assert saved.data.names[0] == "Russia (Kremlin)"
    assert "Russia (Gazprom)" not in {r.source for r in saved.data.relationships}
    assert "Renamed Russia (Gazprom) to Russia (Kremlin)" in saved.description
    screenshot(page, "data-after-edit")

    page.reload()
    wait_for_app(page)
    page.get_by_text("Version 2 · 7 people · 8 ties").wait_for()

    app_server.restart()
    page.reload()
    wait_for_app(page)
    page.get_by_text("Version 2 · 7 people · 8 ties").wait_for()
    assert Store(app_server.database_url).latest(map_id).data.names[0] == "Russia (Kremlin)"
    screenshot(page, "data-after-restart")
    projector_screenshot(page, "data")


def test_second_tab_stale_save_is_refused(page, app_server):
    """Two tabs on one map: the tab with the older version cannot overwrite the newer one."""
    open_page(page, app_server, "data")
    other = page.context.new_page()
    open_page(other, app_server, "data")
    _edit_first_name(page, "Maya L.")
    page.get_by_text("Version 2 ·").first.wait_for()
    _edit_first_name(other, "Maya Lin-Park")
    wait_for_app(other)
    other.get_by_text("Not saved: this map was changed in another tab").wait_for()
    screenshot(other, "data-stale-save")
    store = Store(app_server.database_url)
    latest = store.latest(_map_named(store, "New programme (coalition from a junior position)"))
    assert latest.number == 2
    other.get_by_role("button", name="Reload the latest version").click()
    wait_for_app(other)
    other.get_by_text("Version 2 ·").first.wait_for()


def test_consecutive_edits_all_land(page, app_server):
    """Streamlit issues 7354/7749: an editor fed its own output loses every second edit; each
    save here is one version."""
    open_page(page, app_server, "data")
    for version, name in ((2, "Maya A"), (3, "Maya B"), (4, "Maya C")):
        _edit_first_name(page, name)
        page.get_by_text(f"Version {version} ·").first.wait_for()
    _edit_first_name(page, "Client lead", x=200)
    page.get_by_text("Version 5 ·").first.wait_for()
    store = Store(app_server.database_url)
    latest = store.latest(_map_named(store, "New programme (coalition from a junior position)"))
    assert latest.data.stakeholders[0].name == "Maya C"
    assert latest.data.stakeholders[0].role == "Client lead"
    assert latest.data.proposal.champion == "Maya C"


def test_acknowledged_edits_survive_sigkill(page, app_server):
    """A burst of edits, then SIGKILL mid-burst: after a restart every edit the page
    acknowledged (its version shown) is in the store and on the page, in order."""
    open_page(page, app_server, "data")
    store = Store(app_server.database_url)
    map_id = _map_named(store, "New programme (coalition from a junior position)")
    acknowledged: dict[int, str] = {}
    for version, name in enumerate(("Maya 1", "Maya 2", "Maya 3", "Maya 4", "Maya 5"), start=2):
        _edit_first_name(page, name)
        page.get_by_text(f"Version {version} ·").first.wait_for()
        acknowledged[version] = name
    _edit_first_name(page, "Maya in flight")  # not waited for: the kill lands mid-save or after
    app_server.kill()

    app_server.start()
    kept = Store(app_server.database_url)
    numbers = [v.number for v in kept.history(map_id)]
    assert set(acknowledged) <= set(numbers)
    assert sorted(numbers) == list(range(1, max(numbers) + 1))  # contiguous, nothing half-written
    for version, name in acknowledged.items():
        assert kept.load(map_id, version).data.stakeholders[0].name == name
    latest = max(numbers)
    page.reload()
    wait_for_app(page)
    page.get_by_text(f"Version {latest} ·").first.wait_for()
    screenshot(page, "data-after-sigkill")
