"""The Data page's tables in Chromium: typing runs on from cell to cell with nothing saved until
the table is left or saved, then every cell lands in one version; ties are added by typing part
of a name into the Add a tie pickers.

The grid is a canvas: a cell is reached by clicking its row (at the Name column, 70 px in) and
moving with the arrow keys; typed keys open the cell's editor. Keys go 100 ms apart, Tab too.
"""

from __future__ import annotations

from playwright.sync_api import Error as PlaywrightError

from stakemap.store.maps import Store
from tests.browser.helpers import open_page, screenshot, wait_for_app

NEW = "New programme (coalition from a junior position)"
ROW = 35  # px: the header and each row of the grid
KEY_GAP = 100  # ms between keys


def _map(app_server) -> tuple[Store, int]:
    store = Store(app_server.database_url)
    return store, next(m.id for m in store.list_maps() if m.name == NEW)


def _select_cell(page, row: int, right: int = 0) -> None:
    """Select the cell of ``row`` (0: the first) ``right`` columns right of its Name."""
    wait_for_app(page)
    grid = page.locator("[data-testid=stDataFrame]:visible").first
    grid.wait_for()
    grid.scroll_into_view_if_needed()
    # the grid's accessible table marks the cell selected (column 1 is Name)
    selected = grid.locator(f"td[aria-selected=true][data-testid=glide-cell-1-{row}]")
    for _ in range(5):  # under load a click can select nothing: the keys then went nowhere
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 70, box["y"] + ROW * (row + 1) + ROW / 2)
        try:
            selected.first.wait_for(state="attached", timeout=1_000)
            break
        except PlaywrightError:
            continue
    page.wait_for_timeout(200)  # the grid takes the focus
    for _ in range(right):
        page.keyboard.press("ArrowRight", delay=KEY_GAP)


def _type_cells(page, *texts: str) -> None:
    """Type each text into a cell and Tab on to the next, a key every 100 ms."""
    for text in texts:
        page.keyboard.type(text, delay=KEY_GAP)
        page.keyboard.press("Tab", delay=KEY_GAP)


def _leave(page) -> None:
    """Click outside the table (on the page's title): the table saves what it keeps."""
    page.get_by_role("heading", name="Data ·").click()
    page.wait_for_timeout(300)  # the save starts 50 ms after the click
    wait_for_app(page)


def test_five_cells_typed_with_tab_save_as_one_version_on_leaving(page, app_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, app_server, "data")
    store, map_id = _map(app_server)
    _select_cell(page, row=1, right=1)  # Omar Haddad's Role
    _type_cells(page, "Lead analyst", "Operations", "4", "2", "Cham")  # Stance: a pick typed
    page.wait_for_timeout(500)
    assert store.latest_number(map_id) == 1  # nothing saved, nothing rerun, while typing
    _leave(page)
    page.get_by_text("Version 2 ·").first.wait_for()
    history = store.history(map_id)
    assert [v.number for v in history] == [2, 1]  # exactly one new version
    omar = store.latest(map_id).data.stakeholders[1]
    assert (omar.role, omar.group, omar.power, omar.interest, omar.stance) == (
        "Lead analyst", "Operations", 4, 2, 2)  # fmt: skip
    assert history[0].description.startswith("Omar Haddad: Role Business development")
    assert history[0].description.endswith("(+2 more)")
    screenshot(page, "data-grid-five-cells-1280x800")


def test_the_save_button_sends_the_cell_still_open(page, app_server):
    """Typing, then Save at once (the cell's editor still open): the cell is saved too."""
    open_page(page, app_server, "data")
    store, map_id = _map(app_server)
    _select_cell(page, row=2, right=1)  # Priya Nair's Role
    _type_cells(page, "Head of operations")
    page.keyboard.type("Ops", delay=KEY_GAP)  # Group, left open
    page.get_by_role("button", name="Save changes").first.click()
    page.get_by_text("Version 2 ·").first.wait_for()
    priya = store.latest(map_id).data.stakeholders[2]
    assert (priya.role, priya.group) == ("Head of operations", "Ops")
    assert store.latest_number(map_id) == 2


def test_a_pick_from_a_cell_dropdown_is_not_leaving(page, app_server):
    """Choosing from a cell's dropdown (drawn outside the grid) saves nothing yet; leaving for
    another tab of the page does."""
    open_page(page, app_server, "data")
    store, map_id = _map(app_server)
    _select_cell(page, row=4, right=5)  # Tom Becker's Stance (Critic)
    page.keyboard.press("Enter", delay=KEY_GAP)  # opens the dropdown
    page.locator("#portal").get_by_text("Neutral", exact=True).click()
    page.wait_for_timeout(500)
    assert store.latest_number(map_id) == 1
    page.get_by_role("tab", name="Relationships").click()
    page.get_by_text("Version 2 ·").first.wait_for()
    wait_for_app(page)
    assert store.latest(map_id).data.stakeholders[4].stance == 0
    assert page.get_by_role("tab", selected=True).inner_text().strip() == "Relationships"


def test_a_button_that_leaves_the_table_saves_then_does_what_it_says(page, app_server):
    """Typing, then a click on a button outside the table (the sidebar's Start of a new map
    from questions): the edit saves first, then the click is played, so neither is lost (sent
    at once, the save's run stopped the button's, whose click then read False)."""
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, app_server, "data")
    store, map_id = _map(app_server)
    page.get_by_text("New map", exact=True).click()
    wait_for_app(page)
    _select_cell(page, row=3, right=1)
    _type_cells(page, "Chief of staff")
    page.get_by_role("button", name="Start").click()
    page.get_by_text("Question 1 of 8").wait_for()
    assert store.latest_number(map_id) == 2
    assert store.latest(map_id).data.stakeholders[3].role == "Chief of staff"


def test_a_link_that_leaves_the_table_saves_then_opens(page, app_server):
    """Typing, then the sidebar's Map link: the edit is saved and the Map page opens."""
    open_page(page, app_server, "data")
    store, map_id = _map(app_server)
    _select_cell(page, row=3, right=1)
    _type_cells(page, "Chief of staff")
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name="Map").click()
    page.wait_for_url("**/map*")
    wait_for_app(page)
    page.get_by_role("heading", name="Map").first.wait_for()
    assert store.latest_number(map_id) == 2
    assert store.latest(map_id).data.stakeholders[3].role == "Chief of staff"


def test_a_refused_cell_saves_nothing_and_loses_nothing(page, app_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, app_server, "data")
    store, map_id = _map(app_server)
    _select_cell(page, row=5, right=1)  # Lena Fischer's Role
    _type_cells(page, "Finance director")
    _select_cell(page, row=1)  # Omar Haddad's Name: a name on the map already
    _type_cells(page, "maya lin")
    page.get_by_role("button", name="Save changes").first.click()
    wait_for_app(page)
    page.get_by_text('Row 2, column Name: "maya lin" is already on the map').wait_for()
    assert store.latest_number(map_id) == 1
    screenshot(page, "data-grid-refused-1280x800")
    _select_cell(page, row=1)
    _type_cells(page, "Omar H.")
    _leave(page)
    page.get_by_text("Version 2 ·").first.wait_for()
    people = store.latest(map_id).data.stakeholders
    assert (people[1].name, people[5].role) == ("Omar H.", "Finance director")  # kept, then saved
    assert store.latest_number(map_id) == 2


def test_add_a_tie_by_typing_part_of_each_name(page, app_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, app_server, "data")
    store, map_id = _map(app_server)
    page.get_by_role("tab", name="Relationships").click()
    wait_for_app(page)
    form = page.locator("[data-testid=stForm]").filter(has_text="Add a tie")
    form.get_by_role("button", name="Add the tie").click()
    page.get_by_text("Not added: New tie, column From: is blank").wait_for()
    for picker, typed in enumerate(("pri", "beck")):  # From, then To
        form.locator("[data-testid=stSelectbox]").nth(picker).click()
        page.keyboard.type(typed, delay=KEY_GAP)
        page.keyboard.press("Enter")
    form.get_by_role("button", name="Add the tie").click()
    page.get_by_text("Version 2 ·").first.wait_for()
    wait_for_app(page)
    tie = store.latest(map_id).data.relationships[-1]
    assert (tie.source, tie.target, tie.kind, tie.strength) == (
        "Priya Nair", "Tom Becker", "influences", 3)  # fmt: skip
    assert store.latest(map_id).description == "Added tie Priya Nair -> Tom Becker"
    screenshot(page, "data-grid-tie-added-1280x800")
