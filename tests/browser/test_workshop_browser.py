"""Workshop mode in Chromium with two browser contexts: the facilitator (signed in with the
passcode) and a participant on a 390 px phone. The follow view follows within 3 s, ratings
reach the facilitator, adopting writes one version, and the participant cannot reach the Data
page or another map, by link or by guessed URL; a wrong passcode and a closed code fail."""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from stakemap.room.access import PASSCODE_ENV, hash_passcode
from stakemap.room.sessions import WorkshopStore
from stakemap.samples import synthetic
from stakemap.store.maps import Store
from tests.browser.conftest import AppServer
from tests.browser.helpers import open_page, projector_screenshot, screenshot, wait_for_app

PASSCODE = "browser room passcode"
CHART = "[data-testid=stVegaLiteChart]"


@pytest.fixture
def room_server(tmp_path: Path, browser_type_launch_args: dict):
    server = AppServer(
        f"sqlite:///{tmp_path / 'room.sqlite'}",
        env={PASSCODE_ENV: hash_passcode(PASSCODE, n=2**10)},
    )
    server.start()
    yield server
    server.stop()


def _sign_in(page, server, passcode: str) -> None:
    """Sign in, and follow the server's redirect that sets the sign-in cookie (to /workshop).
    A browser whose cookie already signs it in (another replica of the room) is left as is."""
    open_page(page, server, "facilitator")
    field = page.get_by_label("Passcode")
    field.or_(page.locator("[data-testid=stSidebarNav]")).first.wait_for()
    if not field.is_visible():  # already signed in: the link leads to the Workshop page
        return
    page.get_by_label("Passcode").fill(passcode)
    page.get_by_role("button", name="Sign in").click()
    if passcode == PASSCODE:
        page.wait_for_url(re.compile(r"/workshop"), timeout=30_000)
    wait_for_app(page)


def _nav(page, title: str) -> None:
    """Follow a sidebar link: the browser session (and the sign-in) is kept."""
    page.locator("[data-testid=stSidebarNav]").get_by_role("link", name=title).click()
    wait_for_app(page)


def _pick(page, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


def test_facilitator_and_participant(browser, room_server):
    server = room_server
    facilitator = browser.new_context(viewport={"width": 1920, "height": 1080})
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    fac, part = facilitator.new_page(), phone.new_page()

    # a wrong passcode is refused; the right one unlocks the pages
    _sign_in(fac, server, "not the passcode")
    fac.get_by_text("Wrong passcode.").wait_for()
    time.sleep(1.1)  # the backoff after one wrong passcode
    fac.get_by_label("Passcode").fill(PASSCODE)
    fac.get_by_role("button", name="Sign in").click()
    wait_for_app(fac)
    _nav(fac, "Workshop")
    store = Store(server.database_url)
    ws = WorkshopStore(store)
    fac.get_by_role("button", name="Start a session").click()
    wait_for_app(fac)
    code_box = fac.locator(".st-key-join-code")
    code_box.wait_for()
    code = code_box.inner_text().strip()
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{6}", code)
    session = next(s for m in store.list_maps() if (s := ws.open_for_map(m.id)))
    map_id = session.map_id
    # the server listens on 127.0.0.1 only: the link says so, no QR code, and the command
    link = fac.locator("[data-testid=stCode]").first.inner_text().strip()
    assert urlsplit(link).hostname == "127.0.0.1" and urlsplit(link).port == server.port
    fac.get_by_text(re.compile(r"listens on 127\.0\.0\.1 only.*make room")).wait_for()
    assert fac.get_by_role("img", name="Scan to join").count() == 0
    screenshot(fac, "workshop_join_card_loopback_1920x1080")

    # the participant joins from the link
    open_page(part, server, f"join?code={code}")
    part.get_by_label("Your display name").fill("Sam")
    part.get_by_role("button", name="Join").click()
    wait_for_app(part)
    part.get_by_text("Joined as Sam").wait_for()
    part.locator(f"{CHART} svg").first.wait_for()
    part.locator(CHART).first.hover()  # the chart's toolbar shows on hover: hidden on a phone
    assert part.locator("[data-testid=stElementToolbar]").filter(visible=True).count() == 0
    screenshot(part, "workshop_participant_follow_390x844")

    # the facilitator moves a person on the Map page (click, "stance +1"): within 3 s
    latest = store.latest(map_id)
    person = next(s for s in latest.data.stakeholders if s.stance == 0)
    _nav(fac, "Map")
    fac.locator(f'{CHART} [role=graphics-symbol][aria-label*="Name: {person.name};"]').first.click()
    wait_for_app(fac)
    fac.get_by_role("button", name="stance +1").click()
    fac.get_by_text("Stance: Supporter").wait_for()
    assert store.latest(map_id).data.get(person.name).stance == 1
    start = time.monotonic()  # from the acknowledged move: the phone's next poll and redraw
    supporter = '[aria-label*="Stance: Supporter;"]'
    marker = part.locator(
        f'{CHART} [role=graphics-symbol]{supporter}[aria-label*="Name: {person.name};"]'
    )
    marker.first.wait_for(timeout=3000)
    follow_seconds = time.monotonic() - start
    assert follow_seconds < 3

    # a rating round: opened by the facilitator, seen and answered on the phone
    _nav(fac, "Workshop")
    fac.get_by_role("tab", name="Rating round").click()
    names = latest.data.names[:2]
    for name in names:
        _pick(fac, "People", name)
    fac.get_by_role("button", name="Open the round").click()
    wait_for_app(fac)
    deadline = time.monotonic() + 10
    while (rnd := ws.latest_round(session.id)) is None and time.monotonic() < deadline:
        time.sleep(0.1)
    first = part.locator(f".st-key-rate-{rnd.id}-0")
    first.wait_for(timeout=5000)
    # the phone is a voting device: the question first and above the fold, nothing of the map
    box = first.bounding_box()
    assert box["y"] + box["height"] <= 844, box
    main = part.locator("[data-testid=stMain]")
    assert main.locator(f"{CHART}, [data-testid=stDataFrame], iframe").count() == 0
    words = main.inner_text()
    assert not [w for w in ("Supporter", "Critic", "Blocker", "Champion", "Neutral") if w in words]
    assert part.locator(".st-key-ballot [aria-checked=true]").count() == 0  # nothing chosen
    screenshot(part, "workshop_participant_round_390x844")
    first.get_by_role("radio", name="4 (high)").click()
    wait_for_app(part)
    fac.get_by_text(re.compile(r"1 answer from 1 person")).wait_for(timeout=5000)
    # a reload keeps the seat and its answer (the seat cookie), and adds no participant
    part.reload()
    wait_for_app(part)
    part.get_by_text(re.compile(r"Joined as Sam")).wait_for(timeout=10_000)
    part.get_by_text(re.compile(r"1 of 2 answered")).wait_for(timeout=10_000)
    assert ws.count_participants(session.id) == 1

    # closed and revealed: the phone reads the room's result on the scale it was asked in
    fac.get_by_role("tab", name="Rating round").click()
    fac.get_by_role("button", name="Close the round").click()
    wait_for_app(fac)
    fac.get_by_text("Show the results on the phones").click()
    wait_for_app(fac)
    part.get_by_text(re.compile(r"what the room said")).wait_for(timeout=5000)
    strip = part.locator(f"{CHART} svg").first
    strip.wait_for(timeout=5000)
    sizes = strip.locator("text").evaluate_all(
        "els => els.filter(e => e.textContent.trim()).map(e => "
        "[e.textContent, parseFloat(getComputedStyle(e).fontSize)])"
    )
    assert sizes and min(size for _, size in sizes) >= 12, sizes
    assert {"1", "5"} <= {text.split()[0] for text, _ in sizes}  # the scale's ends, labelled
    part.get_by_text(re.compile(r"The room: 4 \(high\) · 1 answer · you: 4 \(high\)")).wait_for()
    screenshot(part, "workshop_participant_results_390x844")

    # adopting writes exactly one version
    before = store.latest_number(map_id)
    fac.get_by_role("tab", name="Rating round").click()
    fac.get_by_role("button", name="Adopt for the ticked").click()
    wait_for_app(fac)
    deadline = time.monotonic() + 5
    while store.latest_number(map_id) == before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert store.latest_number(map_id) == before + 1
    assert store.latest(map_id).description.startswith("Adopted round 1: power of")

    # the projector: the room's view alone, driven from the keyboard
    fac.get_by_role("tab", name="Projector").click()
    for attempt in range(3):  # a pick that lands while the page redraws is lost
        _pick(fac, "Show", "The plan")
        wait_for_app(fac)
        try:
            fac.get_by_text(re.compile(r"^0/\d+$")).wait_for(timeout=5000)
            break
        except PlaywrightTimeout:
            assert attempt < 2, "the projector never showed the plan"
    for attempt in range(3):  # a click that lands while the page redraws is lost
        fac.get_by_role("button", name="Full-screen projector view").click()
        wait_for_app(fac)
        try:
            fac.get_by_text(re.compile(r"Esc leaves full screen")).wait_for(timeout=5000)
            break
        except PlaywrightTimeout:
            screenshot(fac, f"workshop_projector_retry_{attempt}")
            assert attempt < 2, "the button never opened the projector view"
    controls = "input, select, textarea, button, [role=combobox], [role=switch], [role=tab]"
    assert fac.locator(f"[data-testid=stMain] :is({controls})").filter(visible=True).count() == 0
    assert fac.locator("[data-testid=stSidebar]").filter(visible=True).count() == 0
    # a key pressed before the page's key listener is loaded, or while the projector
    # redraws, is lost: press until two steps show (the plan has more), then compare
    shown = re.compile(r"(\d+) of (\d+) steps shown")
    steps = fac.get_by_text(shown)
    deadline = time.monotonic() + 60
    while int(shown.search(steps.inner_text())[1]) < 2:
        assert time.monotonic() < deadline, "the arrow keys never revealed two steps"
        fac.keyboard.press("ArrowRight")
        wait_for_app(fac)
        fac.wait_for_timeout(1000)
    reached = shown.search(steps.inner_text())[0]
    part.get_by_text(reached).wait_for(timeout=5000)
    projector_screenshot(fac, "workshop_projector_plan_1920x1080")
    screenshot(part, "workshop_participant_plan_390x844")
    fac.keyboard.press("Escape")
    wait_for_app(fac)
    fac.get_by_role("tab", name="Projector").click(timeout=10_000)
    _pick(fac, "Show", "A lens")
    wait_for_app(fac)
    fac.evaluate("document.activeElement && document.activeElement.blur()")
    fac.keyboard.press("f")  # F: full screen again (not while typing in a field)
    fac.get_by_text(re.compile(r"Esc leaves full screen")).wait_for(timeout=10_000)
    fac.locator(f"{CHART} svg").first.wait_for()
    assert fac.locator(f"[data-testid=stMain] :is({controls})").filter(visible=True).count() == 0
    projector_screenshot(fac, "workshop_projector_lens_1920x1080")
    fac.keyboard.press("Escape")
    wait_for_app(fac)
    fac.get_by_role("tab", name="Close").wait_for(timeout=10_000)

    # the participant cannot reach Data, the Map or another map, by link or guessed URL
    assert part.locator("[data-testid=stSidebarNav]").count() == 0  # no menu at all
    other = max(m.id for m in store.list_maps())
    for path in ("data", f"data?map={other}", f"?map={other}", "map", "workshop", "export"):
        intruder = phone.new_page()
        open_page(intruder, server, path)
        text = intruder.locator("[data-testid=stMain]").inner_text()
        # the Join page: the form, or this phone's own seat (its cookie brings it back)
        assert "Join the workshop" in text or "Joined as Sam" in text, path
        assert "Import a spreadsheet" not in text and "Start a session" not in text, path
        assert store.name(other) not in text and "Stakeholders (" not in text, path
        intruder.close()

    # closing the session: the phone is signed out and the code no longer works
    fac.get_by_role("tab", name="Close").click()
    fac.get_by_text("Yes, end the session for everyone").click()
    fac.get_by_role("button", name="Close the session").click()
    wait_for_app(fac)
    part.get_by_text("Join the workshop").wait_for(timeout=5000)
    part.get_by_text("The workshop you were in has ended").wait_for()
    part.get_by_label("Code on the screen").fill(code)
    part.get_by_label("Your display name").fill("Sam")
    part.get_by_role("button", name="Join").click()
    wait_for_app(part)
    part.get_by_text("No open workshop has this code").wait_for()
    print(f"follow view updated in {follow_seconds:.2f} s")
    facilitator.close()
    phone.close()


@pytest.mark.parametrize("n", [60, 120])
def test_a_crowded_projector_lists_everyone_on_screen(browser, room_server, n):
    """At 60+ people the full-screen projector keeps the chart's markers and lists every name
    beside it, in columns and a font that fit a 1920x1080 screen with large fonts."""
    server = room_server
    store = Store(server.database_url)
    store.claim_first_start()
    people = synthetic.organisation(n)
    map_id = store.create("Crowd", people)
    WorkshopStore(store).start(map_id)
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    _sign_in(page, server, PASSCODE)
    open_page(page, server, f"workshop?map={map_id}")
    page.get_by_role("tab", name="Projector").click()
    page.get_by_role("button", name="Full-screen projector view").click()
    page.get_by_text(re.compile(r"Esc leaves full screen")).wait_for(timeout=10_000)
    side = page.locator(".st-key-room-side [data-testid=stText]")
    side.wait_for()
    page.locator(f"{CHART} svg").first.wait_for()
    path = projector_screenshot(page, f"workshop_projector_{n}")
    box = side.bounding_box()
    assert box["y"] + box["height"] <= 1080
    fits = side.evaluate(
        "e => e.scrollHeight <= e.clientHeight + 2 && e.scrollWidth <= e.clientWidth + 2"
    )
    assert fits, path
    listed = {line.strip() for line in side.inner_text().splitlines()}
    assert set(people.names) <= listed
    px = float(side.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert px >= 12
    context.close()
