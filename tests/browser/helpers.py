"""Shared browser-test helpers: wait on the app's run state, open pages, take screenshots."""

from __future__ import annotations

from pathlib import Path

SCREENSHOTS = Path(__file__).parent / "screenshots"


#: True once two frames have passed and no animation with an end is still running (an
#: expander opens over 500 ms: a button in it moves between a press and its release, and the
#: click lands on its container). Endless ones (a spinner) do not count.
_SETTLED = """() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() =>
  done(document.getAnimations().every((a) => a.playState !== "running"
    || !Number.isFinite(a.effect?.getComputedTiming().endTime ?? Infinity)))
)))"""


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until the script has finished its run and the page's animations have ended, as a
    user would before the next click (no sleeping)."""
    page.wait_for_selector(
        "[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout
    )
    page.wait_for_function(_SETTLED, timeout=timeout)


def open_page(page, server, path: str = "") -> None:
    """Open a page of the app by its url path ("" for the default page) and wait for it."""
    page.goto(f"{server.url}/{path}")
    wait_for_app(page)


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under tests/browser/screenshots/ for a human to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def projector_screenshot(page, name: str) -> Path:
    """A screenshot at projector size (1920x1080) with large fonts: the browser's default
    font size at 20 px (Chromium's ``Page.setFontSizes``, as its font setting does; the
    network drawing's frame follows it) and Streamlit's root font, which is fixed in px,
    raised to 20 px as well."""
    page.set_viewport_size({"width": 1920, "height": 1080})
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 20}})
    page.evaluate("document.documentElement.style.fontSize = '20px'")
    page.wait_for_timeout(300)  # the drawing's frame lays its header out again
    path = screenshot(page, f"{name}-projector")
    page.evaluate("document.documentElement.style.fontSize = ''")
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 16}})
    cdp.detach()
    return path
