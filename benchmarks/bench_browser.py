"""Every page in Chromium, from the click to the drawn page, at 20, 500, 2,000 and 5,000 people.

Maps from :func:`bench_plan.everyone_decides` (:func:`stakemap.samples.large`, four ties a
person, no decider marked, so the team decides by power and the plan runs to hundreds of
meetings, as on an organisation-wide change), saved without positions, each size on a fresh
server (``streamlit run app.py`` on 127.0.0.1, SQLite, the repository's Streamlit settings) and
one browser profile per size, at 1280x800 in the system Chromium. The browser has opened every
page once, on a 5-person map, before timing, as it has in use: Streamlit's script bundle is
cached, the server has run each page once.

- *first load*: in an open tab, the click on the page's link in the sidebar until the script
  has finished and the page's own content is drawn: the chart's SVG (Map), the drawing's first
  ``afterDrawing`` in its frame (Network), the plan's close card (Plan), the download buttons
  (Export). It is the first visit of each page to version 1: nothing derived from that version
  is cached on the server yet.
- *after one edit*: the same on a new version saved through the store (one person's notes
  changed), in a new tab.
- *opened in a new browser*: ``page.goto`` of the page's link in a fresh browser profile (an
  empty HTTP cache, as a colleague opening a shared link), after the page was drawn once for
  this version: Streamlit's own bundle (about 130 scripts) is fetched and started first, about
  2 s whatever the map's size. Reported for honesty, with no target of its own.
- interactions, the click (or key press) until the end of the rerun it starts and the page's
  content drawn again: Map, pick another lens; Network, pick a person to highlight (from the
  Enter that picks the typed name until the drawing has applied the highlight); Plan, move the
  pass-share slider one step; Export, download the Excel workbook.
- server memory: the peak resident set (``VmHWM``) of the server process, after the first round
  (one map of the size and its edit) and after all three.
- the Network page's drawing: the size of its page (:func:`stakemap.drawing.network_html`).

Each figure is the median of three rounds, each on a map of its own (the same generated map
saved again), so that every first load is one.

Targets (issue "Scale in the browser"): at 2,000 people every first load under 2 s and every
interaction under 1 s; at 5,000 under 5 s and 2 s; growth from 20 to 2,000 people at most 3x
on every page (the ``baseline`` of a 2,000-person row is the same row at 20 people); peak RSS
at 5,000 under 500 MB. Data-page cell edits are not measured here (the editor is a canvas grid).
"""

from __future__ import annotations

import functools
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.browser.conftest: the suite's server and Chromium flags

SIZES = (20, 500, 2000, 5000)
QUICK_SIZES = (20, 200)
_TIMEOUT_MS = 600_000
_RUN_STATE = "[data-testid=stApp][data-test-script-state={}]"
# Records when the script starts and stops running, so that an interaction is timed to the end
# of the rerun it caused, not to a "not running" state seen before the rerun began.
_WATCH = """() => {
  const app = document.querySelector("[data-testid=stApp]");
  const STATE = "data-test-script-state";
  window.benchRuns = [];
  new MutationObserver((records) => {  // one callback may carry several changes
    records.forEach((record, i) => {
      const value = i + 1 < records.length ? records[i + 1].oldValue : app.getAttribute(STATE);
      window.benchRuns.push([value, performance.now()]);
    });
  }).observe(app, {attributes: true, attributeFilter: [STATE], attributeOldValue: true});
  return performance.now();
}"""
_RERUN_DONE = """since => {
  const runs = window.benchRuns || [];
  const started = runs.findIndex(([state, t]) => state === "running" && t >= since);
  return started >= 0 && runs.slice(started).some(([state]) => state === "notRunning");
}"""


def _drawn(page, name: str) -> None:
    """Wait until ``name``'s own content is drawn and the script has finished."""
    if name == "map":
        page.locator("[data-testid=stVegaLiteChart] :is(svg, canvas)").first.wait_for(
            timeout=_TIMEOUT_MS
        )
    elif name == "network":
        page.frame_locator("iframe").first.locator("html[data-drawn='1']").wait_for(
            state="attached", timeout=_TIMEOUT_MS
        )
    elif name == "plan":
        page.locator(".st-key-plan-close").wait_for(timeout=_TIMEOUT_MS)
    elif name == "export":
        page.get_by_role("button", name="Download .gexf").wait_for(timeout=_TIMEOUT_MS)
    page.wait_for_selector(_RUN_STATE.format("notRunning"), timeout=_TIMEOUT_MS)


_TITLES = {"map": "Map", "network": "Network", "plan": "Plan", "export": "Export"}


def _open(context, url: str, name: str):
    """Open ``url`` in a new tab; seconds until it is drawn, and the tab."""
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, timeout=_TIMEOUT_MS)
    _drawn(page, name)
    return time.perf_counter() - start, page


def _visit(page, name: str) -> float:
    """Seconds from the click on ``name``'s sidebar link to the page drawn."""
    link = page.locator("[data-testid=stSidebarNav]").get_by_role(
        "link", name=_TITLES[name], exact=True
    )
    start = time.perf_counter()
    link.click()
    page.wait_for_url(f"**/{name}*", timeout=_TIMEOUT_MS)
    _drawn(page, name)  # content only this page draws, then the end of its run
    return time.perf_counter() - start


def _interact(page, name: str, person: str) -> float:
    """Seconds for the page's main interaction, click to drawn."""
    if name == "export":
        start = time.perf_counter()
        with page.expect_download(timeout=_TIMEOUT_MS):
            page.get_by_role("button", name="Download .xlsx").click()
        return time.perf_counter() - start
    if name == "map":
        page.get_by_role("combobox", name="Lens").click()
        act = page.get_by_role("option").nth(1).click
    elif name == "network":
        drawing = page.locator("iframe").first.element_handle().content_frame()
        applied = drawing.evaluate("window.stakemapApplied || 0")
        page.get_by_role("combobox", name="Highlight a person").click()
        page.keyboard.type(person)
        page.get_by_role("option", name=person, exact=True).wait_for(timeout=_TIMEOUT_MS)
        act = functools.partial(page.keyboard.press, "Enter")
    else:
        act = functools.partial(page.get_by_role("slider").first.press, "ArrowLeft")
    since = page.evaluate(_WATCH)
    start = time.perf_counter()
    act()
    page.wait_for_function(_RERUN_DONE, arg=since, timeout=_TIMEOUT_MS, polling=20)
    _drawn(page, name)
    if name == "network":
        drawing.wait_for_function(
            "n => (window.stakemapApplied || 0) > n", arg=applied, timeout=_TIMEOUT_MS
        )
    return time.perf_counter() - start


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _touch(store, map_id: int, k: int) -> int:
    """Save a new version with one person's notes changed; its number."""
    latest = store.latest(map_id)
    people = list(latest.data.stakeholders)
    people[0] = replace(people[0], notes=f"benchmark edit {k}")
    data = replace(latest.data, stakeholders=tuple(people))
    return store.save(map_id, data, latest.number, f"benchmark edit {k}")


def measure(people: int, repeat: int, browser) -> dict[str, float]:
    """Every figure at one size: ``{"<page> first load": s, ...}`` and ``"rss"`` in MB; each
    the median of ``repeat`` rounds, a round on a map of its own."""
    from bench_plan import everyone_decides

    from stakemap.network import drawing, layout
    from stakemap.samples import synthetic
    from stakemap.store.maps import Store
    from tests.browser.conftest import AppServer

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        store = Store(url)
        store.claim_first_start()  # no sample maps: the server holds the benchmark's alone
        m = everyone_decides(people)
        warm_id = store.create("Warm-up", synthetic.large(5, 10), "warm-up map")
        person = m.stakeholders[len(m.stakeholders) // 2].name
        server = AppServer(url)
        server.start()
        times: dict[str, list[float]] = {}
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            for name in _TITLES:  # the browser's and the server's first run of each page
                _open(context, f"{server.url}/{name}?map={warm_id}", name)[1].close()
            for k in range(repeat):
                if k == 1:  # the peak while the server has held one map
                    one_map = _peak_rss_mb(server.process.pid)
                map_id = store.create(f"Generated {people} ({k + 1})", m, "benchmark map")
                for label in ("first load", "after one edit"):
                    if label == "after one edit":
                        _touch(store, map_id, k)
                    page = context.new_page()
                    page.goto(f"{server.url}/workshop?map={map_id}", timeout=_TIMEOUT_MS)
                    page.wait_for_selector(_RUN_STATE.format("notRunning"), timeout=_TIMEOUT_MS)
                    for name in _TITLES:
                        times.setdefault(f"{name} {label}", []).append(_visit(page, name))
                        times.setdefault(f"{name} interaction", []).append(
                            _interact(page, name, person)
                        )
                    page.close()
            context.close()
            for name in _TITLES:  # the last map's edited version, drawn once already
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                seconds, _ = _open(context, f"{server.url}/{name}?map={map_id}", name)
                times[f"{name} opened in a new browser"] = [seconds]
                context.close()
            rss = _peak_rss_mb(server.process.pid)
        finally:
            server.stop()
    drawing = drawing.network_html(m, layout.layout(m), storage_key="stakemap:moved:1:0")
    figures = {key: statistics.median(values) for key, values in times.items()}
    figures["rss"] = one_map if repeat > 1 else rss
    figures["rss, all maps"] = rss
    figures["payload"] = len(drawing.encode()) / 1e6
    return figures


_ACTIONS = {
    "map": "switch the lens",
    "network": "highlight a person",
    "plan": "move the pass-share slider",
    "export": "download the Excel workbook",
}


def _rows(by_size: dict[int, dict[str, float]]) -> list[dict]:
    small = min(by_size)
    rows = []
    for n, figures in by_size.items():
        for key, value in figures.items():
            if key.startswith("rss"):
                held = "three maps" if key == "rss, all maps" else "one map"
                measure = f"server peak RSS, {n:,} people, {held}"
                note = f"VmHWM while the server held {held} of this size and their edits"
                rows.append(dict(benchmark="browser", measure=measure, value=round(value),
                                 unit="MB", note=note))  # fmt: skip
                continue
            if key == "payload":
                rows.append(dict(benchmark="browser", measure=f"Network drawing, {n:,} people",
                                 value=round(value, 2), unit="MB",
                                 note="the drawing's page as the app sends it"))  # fmt: skip
                continue
            name, what = key.split(" ", 1)
            measure = f"{name.title()}, {_ACTIONS[name] if what == 'interaction' else what}"
            how = "click to drawn"
            if "browser" in what:
                how = "link opened to drawn, empty browser cache"
            row = dict(benchmark="browser", measure=f"{measure}, {n:,} people",
                       value=round(value, 3), unit="s", note=how)  # fmt: skip
            if n != small:
                row["baseline"] = f"{measure}, {small:,} people"
                row["note"] = f"{how}; x{value / by_size[small][key]:.1f} of {small}"
            rows.append(row)
    return rows


def run(quick: bool = False) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    sizes = QUICK_SIZES if quick else SIZES
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            by_size = {n: measure(n, 1 if quick else 3, browser) for n in sizes}
        finally:
            browser.close()
    return _rows(by_size)
