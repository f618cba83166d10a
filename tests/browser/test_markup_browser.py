"""No user text renders as markup, in Chromium: a map full of markdown and HTML payloads on every
page, with expanders, tabs, dropdowns, tooltips and the import panel opened, and every request
of the page and its frames recorded.

What must hold everywhere: no request leaves the app (the payloads point at 127.0.0.1:9), no
link or image element carries user text (inside the network drawing too), no dialog opens.
The AppTest twin, tests/test_markup.py, checks each markdown-bearing field; this one checks what
the browser made of them.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

from stakemap.store.maps import Store
from tests.conftest import build_xlsx
from tests.payloads import (
    CUSTOM_HEADER,
    FILE_NAME,
    PAYLOADS,
    SHEET_NAME,
    TRAP,
    payload_map,
    payload_rows,
)

from .helpers import open_page, screenshot, wait_for_app

MAP_NAME = f"Map {PAYLOADS[0]} {PAYLOADS[2]}"

#: Pieces of the payloads that no link or image element may carry (in text, href, src or alt).
_MARKERS = [TRAP, "example.com", "javascript:", "alert(", "onerror", "click", "bold", "heading"]

#: Every <a>, <img> and other loader element in a document, with what it carries.
_ELEMENTS_JS = """
() => [...document.querySelectorAll(
        'a, img, image, source, video, audio, object, embed, iframe[src], script[src]'
    )].map(e => ({
        tag: e.tagName.toLowerCase(),
        text: (e.textContent || '').slice(0, 200),
        href: e.getAttribute('href') || e.getAttribute('xlink:href') || '',
        src: e.getAttribute('src') || '',
        alt: e.getAttribute('alt') || '',
    }))
"""


class Watch:
    """Requests, dialogs and page errors of one page and all its frames."""

    def __init__(self, page, server) -> None:
        self.page, self.server = page, server
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", self._dialog)
        # nothing may leave even if a check below is wrong: outside requests fail at once
        page.route("**/*", self._route)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route) -> None:
        if self._inside(route.request.url):
            route.continue_()
        else:
            route.abort()

    def _inside(self, url: str) -> bool:
        app = self.server.url
        return url.startswith((app + "/", f"ws://127.0.0.1:{self.server.port}/", "data:")) or (
            url.startswith(f"blob:{app}") or url in (app, "about:blank", "about:srcdoc")
        )

    def check(self, where: str) -> None:
        """Nothing left the app, no dialog, and no link or image carries user text."""
        outside = [url for url in self.requests if not self._inside(url)]
        assert outside == [], f"{where}: requests left the app: {outside}"
        assert self.dialogs == [], f"{where}: dialogs opened: {self.dialogs}"
        carriers = []
        for frame in self.page.frames:
            for element in frame.evaluate(_ELEMENTS_JS):
                carried = " ".join(element[k] for k in ("text", "href", "src", "alt"))
                if any(marker in carried for marker in _MARKERS):
                    carriers.append((frame.url[:40], element))
        assert carriers == [], f"{where}: links or images carry user text: {carriers}"
        assert self.page.evaluate("window.__pwned") is None


def _payload_map(server) -> int:
    return Store(server.database_url).create(MAP_NAME, payload_map(), f"Created {PAYLOADS[1]}")


def _pick(page, label: str, typed: str) -> None:
    """Choose the first option of the selectbox ``label`` that matches ``typed``."""
    box = page.locator("[data-testid=stSelectbox]").filter(has_text=label).first
    box.click()
    page.keyboard.type(typed)
    page.keyboard.press("Enter")
    wait_for_app(page)


def _open_expanders(page) -> None:
    """Open every expander, those inside one just opened too."""
    closed = page.locator("[data-testid=stExpander] details:not([open]) > summary")
    for _ in range(3):
        shown = [summary for summary in closed.element_handles() if summary.is_visible()]
        for summary in shown:
            try:
                summary.click()
            except PlaywrightError:  # a rerun replaced it: the next pass finds the new one
                continue
        wait_for_app(page)
        if not shown:
            return


def _column_menu(page) -> None:
    """Open the people editor's "Show/hide columns" list, scrolled to the custom column."""
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.hover()
    toolbar = page.locator("[data-testid=stElementToolbar] button[aria-label='Show/hide columns']")
    next(b for b in toolbar.all() if b.is_visible()).click()
    page.get_by_text("Select all").wait_for()
    page.get_by_text("Select all").hover()
    for _ in range(5):
        page.mouse.wheel(0, 300)
    page.get_by_text(CUSTOM_HEADER, exact=True).last.wait_for()  # listed as written


@pytest.fixture
def watched(page, app_server) -> Watch:
    page.set_viewport_size({"width": 1280, "height": 800})
    return Watch(page, app_server)


def test_map_page_lenses_pane_filters_and_picker(page, app_server, watched):
    map_id = _payload_map(app_server)
    open_page(page, app_server, f"?map={map_id}")
    page.locator("[data-testid=stVegaLiteChart] svg").first.wait_for()
    watched.check("Map page")
    marker = "[data-testid=stVegaLiteChart] [role=graphics-symbol][aria-label*='Name: ']"
    page.locator(marker).first.hover()
    tooltip = page.locator("#vg-tooltip-element")
    tooltip.wait_for(timeout=5_000)
    assert "127.0.0.1:9" in tooltip.inner_text()  # the names shown as written, as text
    watched.check("Map page, a marker's tooltip")
    screenshot(page, "markup_map_tooltip_1280x800")
    _pick(page, "Search", "bold")
    page.get_by_role("button", name="stance +1").wait_for()
    watched.check("Map page, person pane")
    screenshot(page, "markup_map_person_1280x800")
    page.get_by_label("Lens").click()
    page.get_by_role("option", name="Spectrum of allies").click()
    wait_for_app(page)
    _open_expanders(page)
    page.locator("[data-testid=stMultiSelect]").filter(has_text="Group").first.click()
    watched.check("Map page, spectrum, filters open with the group list")
    screenshot(page, "markup_map_filters_1280x800")
    page.keyboard.press("Escape")
    page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").first.click()
    watched.check("Map picker open")
    page.keyboard.press("Escape")


def test_network_page_highlight_and_drawing(page, app_server, watched):
    map_id = _payload_map(app_server)
    open_page(page, app_server, f"network?map={map_id}")
    page.wait_for_selector("[data-testid=stIFrame]")
    _pick(page, "Highlight a person", "click")
    _open_expanders(page)
    page.get_by_text("'s neighbourhood").first.wait_for()
    frame = page.wait_for_selector("[data-testid=stIFrame]").content_frame()
    frame.wait_for_function("() => window.stakemapFirstDraw !== undefined", timeout=30_000)
    watched.check("Network page, a person highlighted")
    screenshot(page, "markup_network_1280x800")


def test_plan_page_outcome_form_and_what_if(page, app_server, watched):
    map_id = _payload_map(app_server)
    open_page(page, app_server, f"plan?map={map_id}")
    card = page.locator(".st-key-plan-step-1")
    assert any(p in card.inner_text() for p in PAYLOADS)  # the name, as written
    card.get_by_text("Record outcome").click()
    page.get_by_role("button", name="Save outcome").wait_for()
    watched.check("Plan page, the outcome form")
    screenshot(page, "markup_plan_outcome_form_1280x800")
    page.keyboard.press("Escape")
    page.get_by_role("tab", name="Alternatives").click()
    wait_for_app(page)
    watched.check("Plan page, alternatives")
    page.get_by_role("tab", name="What if").click()
    wait_for_app(page)
    _pick(page, "Person", "bold")
    _open_expanders(page)
    watched.check("Plan page, what if")


def test_data_page_tabs_import_and_export(page, app_server, watched, tmp_path):
    map_id = _payload_map(app_server)
    open_page(page, app_server, f"data?map={map_id}")
    for tab in ("Relationships", "Proposal", "History", "Stakeholders"):
        page.get_by_role("tab", name=tab).first.click()
        wait_for_app(page)
        watched.check(f"Data page, {tab} tab")
    screenshot(page, "markup_data_people_1280x800")
    _column_menu(page)
    watched.check("Data page, the editor's column list (the custom header among them)")
    page.keyboard.press("Escape")
    workbook = tmp_path / FILE_NAME
    workbook.write_bytes(build_xlsx({SHEET_NAME: payload_rows()}))
    _open_expanders(page)
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(workbook))
    wait_for_app(page)
    page.get_by_text("Column mapping").first.wait_for()
    _open_expanders(page)
    page.get_by_text(SHEET_NAME).first.wait_for()  # the sheet name shown as written
    watched.check("Import panel, mapping and report of a payload workbook")
    screenshot(page, "markup_import_mapping_1280x800")
    page.get_by_role("button", name="Create a new map from this file").click()
    wait_for_app(page)
    stem = FILE_NAME.removesuffix(".xlsx")
    page.get_by_role("heading", name=f"Data · {stem}").wait_for()  # the new map, as written
    watched.check("Data page of the imported map")
    screenshot(page, "markup_imported_1280x800")
    open_page(page, app_server, f"export?map={map_id}")
    watched.check("Export page")
