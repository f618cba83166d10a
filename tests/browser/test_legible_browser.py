"""A 60-person presenter map (generated, not a sample) in Chromium at 1280x800, 1920x1080 and
390x844: labels at least the screen's minimum, no label crossed by a ring, screenshots."""

from __future__ import annotations

import pytest

from stakemap.lenses import people, sizing
from stakemap.samples import synthetic
from stakemap.store.maps import Store
from tests.browser.helpers import SCREENSHOTS, open_page, wait_for_app

CHART = "[data-testid=stVegaLiteChart]"

#: Visible chart labels (text whose datum is a person) and the rings' boxes, in page px.
_MEASURE = """initials => {
  const svg = document.querySelector('[data-testid=stVegaLiteChart] svg');
  const box = e => { const b = e.getBoundingClientRect();
                     return {x: b.x, y: b.y, w: b.width, h: b.height}; };
  const labels = [...svg.querySelectorAll('text')]
    .filter(t => initials.includes(t.textContent) && getComputedStyle(t).opacity !== '0')
    .map(t => ({text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize), ...box(t)}));
  const rings = [...svg.querySelectorAll('g.mark-symbol path')]
    .filter(p => p.getAttribute('fill') === 'transparent' || p.getAttribute('fill') === 'none'
                 || (p.style && p.style.fill === 'transparent'))
    .map(box);
  return {labels, rings};
}"""


def _open_power_map(page, server, width: int, height: int, presenter: bool = True) -> None:
    open_page(page, server)
    store = Store(server.database_url)
    map_id = store.create("Generated 60", synthetic.generated(5, 60))
    page.set_viewport_size({"width": width, "height": height})
    open_page(page, server, f"?map={map_id}")
    page.locator(f"{CHART} svg").first.wait_for()
    if presenter:
        page.get_by_text("Presenter mode").click()
        page.get_by_label("Anonymise").wait_for()
        wait_for_app(page)
    page.get_by_label("Lens").click()
    page.get_by_role("option", name="Power map").click()
    wait_for_app(page)


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (1920, 1080), (390, 844)])
def test_a_60_person_presenter_map_is_legible(page, app_server, width, height):
    _open_power_map(page, app_server, width, height)
    initials = sorted(set(people.anonymise(synthetic.generated(5, 60).names, "initials").values()))
    page.get_by_text("the key below gives each one's name").wait_for()
    page.locator(f"{CHART} svg text", has_text=initials[0]).first.wait_for()
    page.wait_for_timeout(500)  # the chart's size settles after the first draw
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"legible_presenter_60_{width}x{height}.png"))
    page.locator(CHART).screenshot(
        path=str(SCREENSHOTS / f"legible_presenter_60_{width}x{height}_chart.png")
    )
    found = page.evaluate(_MEASURE, initials)
    labels, rings = found["labels"], found["rings"]
    sizes = sorted(label["size"] for label in labels)
    print(width, height, "labels", len(labels), "sizes", sizes[:3], "rings", len(rings))
    if width >= 1280:
        # every person labelled, none under the projector's minimum (a larger screen scales up)
        assert len(labels) == 60
        assert sizes[0] >= sizing.MIN_LABEL_PRESENTER_PX - 0.5
    else:  # a phone: what is drawn is at least the phone's minimum; the key holds everyone
        assert all(s >= sizing.MIN_LABEL_PHONE_PX for s in sizes)
    _assert_apart(labels, rings)


def test_a_60_person_map_on_a_phone(page, app_server):
    """The page (not presenting) on a 390 px phone: what is drawn is at least 7 px, no ring
    crosses a label, and a caption says where the names are."""
    _open_power_map(page, app_server, 390, 844, presenter=False)
    page.get_by_text("Decision-maker").first.wait_for()
    page.wait_for_timeout(500)
    chart = page.locator(CHART).first
    chart.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(exist_ok=True)
    chart.screenshot(path=str(SCREENSHOTS / "legible_map_60_390x844_chart.png"))
    names = synthetic.generated(5, 60).names
    found = page.evaluate(_MEASURE, [*names, *people.anonymise(names, "initials").values()])
    print("phone labels", len(found["labels"]), sorted(x["size"] for x in found["labels"])[:3])
    assert all(label["size"] >= sizing.MIN_LABEL_PHONE_PX for label in found["labels"])
    _assert_apart(found["labels"], found["rings"])
    if len(found["labels"]) < len(names):
        page.get_by_text("left off the chart").or_(page.get_by_text("key below")).first.wait_for()


def _assert_apart(labels: list[dict], rings: list[dict]) -> None:
    """No label's box meets a ring's box (half a pixel of antialiasing allowed)."""
    assert rings
    for label in labels:
        for ring in rings:
            apart = (
                label["x"] >= ring["x"] + ring["w"]
                or ring["x"] >= label["x"] + label["w"]
                or label["y"] >= ring["y"] + ring["h"] - 0.5
                or ring["y"] >= label["y"] + label["h"] - 0.5
            )
            assert apart, (label, ring)
