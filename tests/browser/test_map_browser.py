"""The Map page in Chromium: every name on the chart, click + "stance +1" saves, presenter mode."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image
from playwright.sync_api import expect

from stakemap.lenses.chart import CANVAS_FROM
from stakemap.model import STANCE_COLOURS
from stakemap.samples import synthetic
from stakemap.samples.synthetic import organisation
from stakemap.store.maps import Store
from tests.browser.helpers import open_page, screenshot, wait_for_app

CHART = "[data-testid=stVegaLiteChart]"


def _map_id(page, server, name_start: str) -> int:
    """Open the app once (the samples load on first start) and find a sample's map id."""
    open_page(page, server)
    store = Store(server.database_url)
    return next(m.id for m in store.list_maps() if m.name.startswith(name_start))


def _open_map(page, server, name_start: str) -> int:
    """Open the Map page (the app's default page) on a sample map."""
    map_id = _map_id(page, server, name_start)
    open_page(page, server, f"?map={map_id}")
    page.locator(f"{CHART} svg").first.wait_for()
    return map_id


def _chart_texts(page) -> set[str]:
    return set(page.locator(f"{CHART} svg text").all_text_contents())


def test_every_name_of_the_60_person_sample_is_on_the_chart(page, app_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    _open_map(page, app_server, "Organisation")
    names = set(organisation().names)
    assert len(names) == 60
    assert names <= _chart_texts(page)
    screenshot(page, "map_1280x800")


def test_click_a_marker_and_stance_plus_one_saves_to_the_store(page, app_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    map_id = _open_map(page, app_server, "Organisation")
    store = Store(app_server.database_url)
    before = store.latest(map_id)
    # a Neutral person: their marker is a circle whose aria label names them
    person = next(s for s in before.data.stakeholders if s.stance == 0)
    marker = page.locator(f'{CHART} [role=graphics-symbol][aria-label*="Name: {person.name};"]')
    marker.first.click()
    wait_for_app(page)
    plus = page.get_by_role("button", name="stance +1")
    plus.wait_for()
    screenshot(page, "map_person_details")
    plus.click()
    wait_for_app(page)
    page.get_by_text("Stance: Supporter").wait_for()
    after = store.latest(map_id)
    assert after.number == before.number + 1
    assert after.data.get(person.name).stance == 1
    assert after.description == f"Stance of {person.name}: Neutral -> Supporter"
    others = [s for s in after.data.stakeholders if s.name != person.name]
    assert others == [s for s in before.data.stakeholders if s.name != person.name]


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1280, 800)])
def test_presenter_mode_is_projector_ready(page, app_server, width, height):
    page.set_viewport_size({"width": width, "height": height})
    _open_map(page, app_server, "Organisation")
    page.get_by_text("Presenter mode").click()
    page.get_by_label("Anonymise").wait_for()
    wait_for_app(page)
    assert page.locator("[data-testid=stSidebar]").is_hidden()
    assert page.get_by_role("button", name="stance +1").count() == 0
    font = page.evaluate(
        "getComputedStyle(document.querySelector('[data-testid=stMain] p')).fontSize"
    )
    assert float(font.removesuffix("px")) >= 20
    box = page.locator(CHART).bounding_box()
    assert box["width"] >= 0.9 * width
    assert box["y"] + box["height"] <= height  # the whole chart, x axis included, on screen
    screenshot(page, f"map_presenter_{width}x{height}")
    # the chart's toolbar (show data, download, fullscreen) shows on hover: below the bar
    page.locator(CHART).hover()
    # the chart's own toolbar: a key or list of people under the chart has one too
    toolbar = page.locator(
        "[data-testid=stElementContainer]:has([data-testid=stVegaLiteChart]) "
        "[data-testid=stElementToolbar]"
    ).last
    toolbar.wait_for()
    bar = page.locator("[data-testid=stMain] [data-testid=stExpander]").bounding_box()
    box = page.locator(CHART).bounding_box()  # the hover may have scrolled the page
    buttons = [b.bounding_box() for b in toolbar.get_by_role("button").all()]
    assert buttons and min(b["y"] for b in buttons) >= bar["y"] + bar["height"]
    bottom = max(b["y"] + b["height"] for b in buttons)
    assert bottom <= box["y"] + 44  # in the chart's free top band
    screenshot(page, f"map_presenter_toolbar_{width}x{height}")
    # 60 people on the power map: "Stakeholder AB" is too long for a projector, "AB" is not
    page.get_by_label("Lens").click()
    page.get_by_role("option", name="Power map").click()
    wait_for_app(page)
    page.get_by_label("Anonymise").click()
    page.get_by_role("option", name="Stakeholder A, B, ...").click()
    wait_for_app(page)
    page.get_by_text("the chart shows the letters alone").wait_for()
    page.locator(f"{CHART} svg text", has_text="AB").first.wait_for()
    texts = _chart_texts(page)
    assert {"A", "B", "AB"} <= texts
    assert not set(organisation().names) & texts
    screenshot(page, f"map_presenter_anonymised_{width}x{height}")


@pytest.mark.parametrize("lens", ["Power map", "Salience model", "Influence/attitude grid"])
def test_lens_screenshots(page, app_server, lens):
    """Every power row labelled, strategies wrapped: for a human to look at."""
    page.set_viewport_size({"width": 1280, "height": 800})
    _open_map(page, app_server, "Organisation")
    page.get_by_label("Lens").click()
    page.get_by_role("option", name=lens).click()
    wait_for_app(page)
    page.locator(f"{CHART} svg text", has_text=lens).first.wait_for()  # the chart's title
    if lens == "Power map":
        texts = _chart_texts(page)
        assert {"No influence", "Little influence", "Some influence"} <= texts
        assert {"Strong influence", "Decision-maker"} <= texts
    slug = lens.split()[0].split("/")[0].lower()
    screenshot(page, f"map_lens_{slug}_1280x800")


#: Every visible text of the chart and its box in page px.
_TEXTS = """() => {
  const svg = document.querySelector('[data-testid=stVegaLiteChart] svg');
  return [...svg.querySelectorAll('text')]
    .filter(t => t.textContent.trim() && getComputedStyle(t).opacity !== '0')
    .map(t => { const b = t.getBoundingClientRect();
                return {text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height}; });
}"""


def _overlapping(boxes: list[dict], leading: float = 2.5) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap: by more than half a px across, and more than
    ``leading`` px down (a text's box holds its line's leading: a strategy's lines, 13 px
    apart in an 11 px font, have boxes 15 px tall that share 2 px, their glyphs none)."""
    return [
        (a["text"], b["text"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"]) > 0.5
        and min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"]) > leading
    ]


def test_salience_says_who_is_not_rated_and_offers_to_rate(page, app_server):
    """The user's report: the HR head left with legitimacy and urgency blank was drawn a
    Non-stakeholder. Now the free cell says "Not rated", the page names them and offers a
    form; no label overlaps another."""
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, app_server)
    blank = ("Quentin Okafor", "Lars García", "Hana Eriksen", "Emeka Ito")
    m = organisation()
    m = replace(
        m,
        stakeholders=tuple(
            replace(s, legitimacy=None, urgency=None if s.name != "Hana Eriksen" else s.urgency)
            if s.name in blank
            else s
            for s in m.stakeholders
        ),
    )
    map_id = Store(app_server.database_url).create("Blanks", m)
    open_page(page, app_server, f"?map={map_id}")
    page.locator(f"{CHART} svg").first.wait_for()
    page.get_by_label("Lens").click()
    page.get_by_role("option", name="Salience model").click()
    wait_for_app(page)
    page.locator(f"{CHART} svg text", has_text="Salience model").first.wait_for()
    page.get_by_text("4 people are not rated on legitimacy or urgency").wait_for()
    page.wait_for_timeout(500)  # the chart's size settles after the first draw
    texts = page.evaluate(_TEXTS)
    shown = {t["text"] for t in texts}
    assert "Not rated" in shown and set(blank) <= shown and set(m.names) <= shown
    assert _overlapping(texts) == []
    screenshot(page, "map_lens_salience_not_rated_1280x800")
    # the bottom row, "Not rated" bottom left, on the same 1280x800 screen
    page.evaluate(f"document.querySelector('{CHART}').scrollIntoView({{block: 'end'}})")
    page.wait_for_timeout(300)
    screenshot(page, "map_lens_salience_not_rated_bottom_1280x800")
    page.get_by_text("Rate them here").click()
    page.get_by_role("button", name="Save ratings").wait_for()
    screenshot(page, "map_lens_salience_not_rated_form_1280x800")
    # Quentin Okafor's row: legitimacy 4, urgency 5, saved as one version
    store = Store(app_server.database_url)
    before = store.latest(map_id)
    for label, score in (("Legitimacy", "4"), ("Urgency", "5")):
        choice = page.locator("[data-testid=stButtonGroup]").filter(
            has_text=f"{label} of Quentin Okafor"
        )
        option = choice.get_by_role("radio", name=score, exact=True)
        option.click()
        expect(option).to_be_checked()  # the choice taken before the form is sent
    page.get_by_role("button", name="Save ratings").click()
    wait_for_app(page)
    page.get_by_text("3 people are not rated on legitimacy or urgency").wait_for()
    after = store.latest(map_id)
    assert after.number == before.number + 1
    okafor = after.data.get("Quentin Okafor")
    assert (okafor.legitimacy, okafor.urgency) == (4, 5)


def test_a_large_map_is_drawn_on_a_canvas_whose_markers_still_open_a_person(page, app_server):
    """From CANVAS_FROM people the chart is a canvas (docs/speed.md): a click on a marker's
    pixels still picks that person, as on the SVG chart."""
    page.set_viewport_size({"width": 1280, "height": 800})
    m = synthetic.large(CANVAS_FROM, CANVAS_FROM, seed=4)
    map_id = Store(app_server.database_url).create("Canvas", m)
    open_page(page, app_server, f"?map={map_id}")
    canvas = page.locator(f"{CHART} canvas").first
    canvas.wait_for()
    assert page.locator(f"{CHART} svg").count() == 0
    x, y = _pixel_of(canvas.screenshot(), STANCE_COLOURS["Supporter"])  # squares: the largest
    canvas.click(position={"x": x, "y": y})
    wait_for_app(page)
    page.get_by_role("button", name="stance +1").wait_for()
    screenshot(page, "map_canvas_person")
    page.get_by_text("Stance: Supporter").wait_for()


def _pixel_of(png: bytes, colour: str) -> tuple[int, int]:
    """A pixel of ``png`` in ``colour`` (``#RRGGBB``), with all four neighbours too (inside a
    marker, not on its antialiased edge), as CSS pixels."""
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    want = tuple(int(colour[k : k + 2], 16) for k in (1, 3, 5))
    pixels = picture.load()
    width, height = picture.size

    def near(x: int, y: int) -> bool:
        return all(abs(a - b) <= 6 for a, b in zip(pixels[x, y], want, strict=True))

    for y in range(1, height - 1):
        for x in range(1, width - 1):
            if near(x, y) and all(near(x + dx, y + dy) for dx, dy in _NEIGHBOURS):
                return x, y
    raise AssertionError(f"no marker in {colour} on the chart")


_NEIGHBOURS = ((1, 0), (-1, 0), (0, 1), (0, -1))
