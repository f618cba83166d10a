"""Every page in Chromium, from the click to the drawn page, at 20, 2,000 and 5,000 people,
each against a bare Streamlit app's in the same run.

Maps from :func:`bench_plan.everyone_decides` (:func:`stakemap.samples.large`, four ties a
person, no decider marked, so the team decides by power and the plan runs to hundreds of
meetings, as on an organisation-wide change), saved without positions, each size on a fresh
server (``streamlit run app.py`` on 127.0.0.1, SQLite, the repository's Streamlit settings) and
one browser profile per size, at 1280x800 in the system Chromium. The browser has opened every
page once, on a 5-person map, before timing, as it has in use: Streamlit's script bundle is
cached, the server has run each page once.

- *first load*: in an open tab that has drawn every page once already (the warm-up map's, as
  the bare app's tab has drawn both of its pages: a tab loads Streamlit's code for each kind
  of element once, the Vega bundle for charts among them) and then picked the benchmark map on
  the Workshop page, the click on the page's link in the sidebar until the script has
  finished and the page's own content is drawn: the chart's SVG (Map), the drawing's first
  ``afterDrawing`` in its frame (Network), the plan's close card (Plan), the download buttons
  (Export), the people's grid (Data), the button that starts a session (Workshop), as the page
  itself sees them (checked in the page every 20 ms, the bare app's likewise). It is the
  first visit of each page to version 1: nothing derived from that version is cached on the
  server yet.
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

- *cold start*: from the server process started (``Popen``) until its first page is drawn in a
  fresh browser context (empty HTTP cache): Stakemap's Map page (``/map?map=ID``, a database
  already holding the generated map) against the bare app's first page.

The floor, in the same run: ``benchmarks/bare/app.py``, a bare Streamlit app with Stakemap's
frame (a sidebar navigation of two pages, a sidebar picker, an Altair chart with tooltips and a
table; a "Colour by" picker as its interaction), served by ``streamlit run`` with Stakemap's
server settings. Its rounds alternate with Stakemap's: a click on the other page's link until
its title, chart and table are drawn and the script has finished; a pick of the other "Colour
by" until the end of the rerun and the chart's legend names the new field; its cold start; a
link opened in a new browser.

Each figure is the median of three rounds (one with ``--quick``), each on a map of its own (the
same generated map saved again), so that every first load is one. The bare app's figures are
the medians of all its rounds in the run (two clicks and two picks a round).

Targets (issue 31): every page's click to drawn and its main interaction at most 3x the bare
app's at 20 people and at most 5x at 2,000 (the ``baseline`` of each row is the bare row it is
compared with; the note gives the ratio, and the growth from the smallest size); cold start at
most 2x the bare app's; peak RSS at 5,000 under 500 MB. Data-page cell edits are not measured
here (the editor is a canvas grid); every page's server run is profiled in ``bench_pages``.
"""

from __future__ import annotations

import functools
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BARE = Path(__file__).resolve().parent / "bare"
sys.path.insert(0, str(ROOT))  # tests.browser.conftest: the suite's server and Chromium flags

NEEDS = ("playwright", "pytest")  # pytest: tests.browser.conftest, the suite's server helper
SIZES = (20, 2000, 5000)
QUICK_SIZES = (20, 200)
_VIEWPORT = {"width": 1280, "height": 800}
_TIMEOUT_MS = 600_000
_RERUN_TIMEOUT_MS = 120_000  # an interaction that starts no rerun is lost, not waited on


class _NoRerun(Exception):
    """An interaction whose rerun was never seen (its sample is left out)."""


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


def missing() -> str | None:
    """Why this bench cannot run here (no Chromium), or None."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        return f"Chromium not found at {chromium} (make chromium installs it)"
    return None


# What marks each page drawn, checked in the page every 20 ms: Playwright's own waits retry at
# growing intervals (up to 500 ms), which added 0.1-0.3 s to a wait of a second or more, more
# to a slow page than to the bare one.
_SEEN = """() => {
  const shown = (selector, text) => [...document.querySelectorAll(selector)].some(
    e => e.checkVisibility() && (text === undefined || e.textContent.includes(text)));
  const drawing = () => {
    const frame = document.querySelector("iframe");
    const html = frame && frame.contentDocument && frame.contentDocument.documentElement;
    return Boolean(html && html.getAttribute("data-drawn") === "1");
  };
  const done = document.querySelector('[data-testid=stApp][data-test-script-state=notRunning]');
  return Boolean(done) && (__CHECK__);
}"""
_MARKS = {
    "map": 'shown("[data-testid=stVegaLiteChart] :is(svg, canvas)")',
    "network": "drawing()",
    "plan": 'shown(".st-key-plan-close")',
    "export": 'shown("button", "Download .gexf")',
    "data": 'shown("[data-testid=stDataFrame] canvas")',
    "workshop": 'shown("button", "Start a session")',
}


def _wait_seen(page, check: str) -> None:
    page.wait_for_function(_SEEN.replace("__CHECK__", check), timeout=_TIMEOUT_MS, polling=20)


def _drawn(page, name: str) -> None:
    """Wait until ``name``'s own content is drawn and the script has finished."""
    _wait_seen(page, _MARKS[name])


_TITLES = {
    "map": "Map",
    "network": "Network",
    "plan": "Plan",
    "export": "Export",
    "data": "Data",
    "workshop": "Workshop",
}


def _open(context, url: str, name: str):
    """Open ``url`` in a new tab; seconds until it is drawn, and the tab."""
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url, timeout=_TIMEOUT_MS)
    _drawn(page, name)
    return time.perf_counter() - start, page


def _tab(context, url: str, warm_id: int, chosen: tuple[int, str]):
    """A new tab on the Workshop page of the map ``chosen`` (its id and name), having drawn
    every page once, as the bare app's tab has drawn both of its pages before its timed clicks:
    the first element of a kind in a tab loads and starts Streamlit's code for it (the charts'
    Vega bundle 0.3-0.4 s; the Plan page's slider, metrics and table, 17 scripts), which a user
    pays once per tab, not on each page. The tab opens the warm-up map's Map page, visits each
    page of it, ends on the Workshop page (no chart) and picks the map in the sidebar's map
    picker, so nothing of that map has been drawn before the timed clicks."""
    page = context.new_page()
    page.goto(f"{url}/map?map={warm_id}", timeout=_TIMEOUT_MS)
    _drawn(page, "map")
    for name in _TITLES:
        if name != "map":  # the Workshop page last
            _visit(page, name)
    picker = page.locator("[data-testid=stSidebar]").get_by_role("combobox", name="Map")
    picker.click()
    map_id, name = chosen
    page.get_by_role("option", name=name, exact=True).click()
    page.wait_for_url(f"**/workshop?map={map_id}", timeout=_TIMEOUT_MS)
    _drawn(page, "workshop")
    return page


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


def _rerun_seen(page, since: object, what: str) -> bool:
    """Whether a rerun ended after ``since`` (a :data:`_WATCH` mark) within
    :data:`_RERUN_TIMEOUT_MS`; if not, says so: the caller loses one sample, not the run."""
    try:
        page.wait_for_function(_RERUN_DONE, arg=since, timeout=_RERUN_TIMEOUT_MS, polling=20)
    except Exception:  # playwright's TimeoutError
        print(f"    {what}: no rerun seen in {_RERUN_TIMEOUT_MS / 1000:.0f} s", file=sys.stderr)
        return False
    return True


def _interact(page, name: str, people: tuple[str, str]) -> float:
    """Seconds for the page's main interaction, click to drawn."""
    if name == "export":
        start = time.perf_counter()
        with page.expect_download(timeout=_TIMEOUT_MS):
            page.get_by_role("button", name="Download .xlsx").click()
        return time.perf_counter() - start
    if name == "map":
        lens = page.get_by_role("combobox", name="Lens")
        shown = lens.input_value()  # the lens shown: a pick of it would start no rerun
        lens.click()
        options = page.get_by_role("option")
        names = options.all_inner_texts()
        act = options.nth(1 if names[0] == shown or not shown else 0).click
    elif name == "network":
        drawing = page.locator("iframe").first.element_handle().content_frame()
        applied = drawing.evaluate("window.stakemapApplied || 0")
        box = page.get_by_role("combobox", name="Highlight a person")
        person = people[1] if box.input_value() == people[0] else people[0]  # not the one shown
        box.click()
        page.keyboard.type(person)
        page.get_by_role("option", name=person, exact=True).wait_for(timeout=_TIMEOUT_MS)
        act = functools.partial(page.keyboard.press, "Enter")
    else:
        act = functools.partial(page.get_by_role("slider").first.press, "ArrowLeft")
    since = page.evaluate(_WATCH)
    start = time.perf_counter()
    act()
    if not _rerun_seen(page, since, name):
        raise _NoRerun(name)
    _drawn(page, name)
    if name == "network":
        drawing.wait_for_function(
            "n => (window.stakemapApplied || 0) > n", arg=applied, timeout=_TIMEOUT_MS
        )
    return time.perf_counter() - start


def _bare_server():
    """The bare app's server (not started): ``streamlit run app.py`` in benchmarks/bare, whose
    .streamlit/config.toml holds Stakemap's server settings."""
    from tests.browser.conftest import AppServer

    class BareServer(AppServer):
        def launch(self) -> subprocess.Popen:
            return subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port",
                 str(self.port), "--server.address", "127.0.0.1"],
                cwd=BARE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )  # fmt: skip

    return BareServer(database_url="")


_LIVE = "[data-testid=stElementContainer]:not([data-stale=true])"


def _bare_drawn(page, title: str, legend: str | None = None) -> None:
    """The bare page ``title`` drawn: its title, chart (with ``legend`` as its legend's title)
    and table, none of them left from the page before, and its script finished."""
    live = _LIVE.replace('"', "'")
    marks = [
        f'shown("{live} h1", {title!r})',
        f'shown("{live} [data-testid=stVegaLiteChart] :is(svg, canvas)")',
        f'shown("{live} [data-testid=stDataFrame] canvas")',
    ]
    if legend:
        marks.append(f'shown("{live} [data-testid=stVegaLiteChart] svg text", {legend!r})')
    _wait_seen(page, " && ".join(marks))


class Bare:
    """The bare app, served for the whole run; its figures, round by round."""

    def __init__(self, browser) -> None:
        self.browser = browser
        self.server = _bare_server()
        self.times: dict[str, list[float]] = {}
        self.server.start()
        self.context = browser.new_context(viewport=_VIEWPORT)
        self.page = self.context.new_page()
        self.page.goto(f"{self.server.url}/", timeout=_TIMEOUT_MS)
        _bare_drawn(self.page, "Chart")
        self.title = "Chart"
        self.round()  # the browser's and the server's first run of each page, not timed
        self.times.clear()

    def round(self) -> None:
        """Two clicks on the other page's link and two picks of the other colour, timed."""
        for _ in range(2):
            title = "Table" if self.title == "Chart" else "Chart"
            link = self.page.locator("[data-testid=stSidebarNav]").get_by_role(
                "link", name=title, exact=True
            )
            start = time.perf_counter()
            link.click()
            self.page.wait_for_url(f"**/{title.lower()}*", timeout=_TIMEOUT_MS)
            _bare_drawn(self.page, title)
            self.times.setdefault("click", []).append(time.perf_counter() - start)
            self.title = title
            self.page.get_by_role("combobox", name="Colour by").click()
            option = self.page.get_by_role("option", selected=False).first  # the other colour
            colour = option.inner_text()
            since = self.page.evaluate(_WATCH)
            start = time.perf_counter()
            option.click()
            if not _rerun_seen(self.page, since, "bare app's colour pick"):
                self.page.keyboard.press("Escape")
                continue  # one sample lost, as Stakemap's are
            _bare_drawn(self.page, title, legend=colour)
            self.times.setdefault("interaction", []).append(time.perf_counter() - start)

    def opened_in_new_browser(self) -> None:
        context = self.browser.new_context(viewport=_VIEWPORT)
        page = context.new_page()
        start = time.perf_counter()
        page.goto(f"{self.server.url}/table", timeout=_TIMEOUT_MS)
        _bare_drawn(page, "Table")
        self.times.setdefault("opened in a new browser", []).append(time.perf_counter() - start)
        context.close()

    def cold_start(self) -> None:
        server = _bare_server()
        self.times.setdefault("cold start", []).append(
            _cold_start(server, self.browser, "/", lambda page: _bare_drawn(page, "Chart"))
        )
        server.stop()

    def figures(self) -> dict[str, float]:
        return {key: statistics.median(values) for key, values in self.times.items()}

    def close(self) -> None:
        self.context.close()
        self.server.stop()


def _cold_start(server, browser, path: str, drawn) -> float:
    """Seconds from ``server``'s process started to ``path`` drawn in a fresh browser context;
    the server is left running."""
    start = time.perf_counter()
    server.start()  # Popen, then its health endpoint answers
    context = browser.new_context(viewport=_VIEWPORT)
    try:
        page = context.new_page()
        page.goto(f"{server.url}{path}", timeout=_TIMEOUT_MS)
        drawn(page)
        return time.perf_counter() - start
    finally:
        context.close()


def _rss_mb(pid: int, field: str = "VmHWM") -> float:
    """The process's peak resident memory (``VmHWM``) or its resident memory now (``VmRSS``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _touch(store, map_id: int, k: int) -> int:
    """Save a new version with one person's notes changed; its number."""
    latest = store.latest(map_id)
    people = list(latest.data.stakeholders)
    people[0] = replace(people[0], notes=f"benchmark edit {k}")
    data = replace(latest.data, stakeholders=tuple(people))
    return store.save(map_id, data, latest.number, f"benchmark edit {k}")


def measure(people: int, repeat: int, browser, bare: Bare) -> dict[str, float]:
    """Every figure at one size: ``{"<page> first load": s, ...}``, ``"cold start"`` and
    ``"rss"`` in MB; each the median of ``repeat`` rounds, a round on a map of its own. Each
    round of Stakemap's follows one of ``bare``'s."""
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
        size = people
        cold_id = store.create(f"Generated {size} (cold start)", m, "benchmark map")
        warm_id = store.create("Warm-up", synthetic.large(5, 10), "warm-up map")
        middle = len(m.stakeholders) // 2
        people = (m.stakeholders[middle].name, m.stakeholders[middle + 1].name)
        times: dict[str, list[float]] = {}
        after_pages: list[float] = []  # resident memory after each page and interaction
        server = None
        try:
            for _ in range(repeat):  # the last server started stays up for the rest
                bare.cold_start()
                if server:
                    server.stop()
                server = AppServer(url)
                seconds = _cold_start(
                    server, browser, f"/map?map={cold_id}", lambda page: _drawn(page, "map")
                )
                times.setdefault("map cold start", []).append(seconds)
            context = browser.new_context(viewport=_VIEWPORT)
            for name in _TITLES:  # the browser's and the server's first run of each page
                _open(context, f"{server.url}/{name}?map={warm_id}", name)[1].close()
            for k in range(repeat):
                if k == 1:  # the peak while the server has held one map
                    one_map = _rss_mb(server.process.pid)
                    one_map_after = max(after_pages)
                title = f"Generated {size} ({k + 1})"
                map_id = store.create(title, m, "benchmark map")
                for label in ("first load", "after one edit"):
                    if label == "after one edit":
                        _touch(store, map_id, k)
                    bare.round()
                    page = _tab(context, server.url, warm_id, (map_id, title))
                    for name in _TITLES:
                        times.setdefault(f"{name} {label}", []).append(_visit(page, name))
                        after_pages.append(_rss_mb(server.process.pid, "VmRSS"))
                        if name not in _ACTIONS:  # Data and Workshop: the visit alone
                            continue
                        try:
                            seconds = _interact(page, name, people)
                        except _NoRerun:
                            continue
                        times.setdefault(f"{name} interaction", []).append(seconds)
                        after_pages.append(_rss_mb(server.process.pid, "VmRSS"))
                    page.close()
            context.close()
            for name in _ACTIONS:  # the last map's edited version, drawn once already
                bare.opened_in_new_browser()
                context = browser.new_context(viewport=_VIEWPORT)
                seconds, _ = _open(context, f"{server.url}/{name}?map={map_id}", name)
                times[f"{name} opened in a new browser"] = [seconds]
                context.close()
            rss = _rss_mb(server.process.pid)
        finally:
            if server:
                server.stop()
    drawing = drawing.network_html(m, layout.layout(m), storage_key="stakemap:moved:1:0")
    figures = {key: statistics.median(values) for key, values in times.items()}
    figures["rss"] = one_map if repeat > 1 else rss
    figures["rss, all maps"] = rss
    figures["rss after pages"] = one_map_after if repeat > 1 else max(after_pages)
    figures["rss after pages, all maps"] = max(after_pages)
    figures["payload"] = len(drawing.encode()) / 1e6
    return figures


_ACTIONS = {
    "map": "switch the lens",
    "network": "highlight a person",
    "plan": "move the pass-share slider",
    "export": "download the Excel workbook",
}
_BARE = {  # the bare app's row each kind of Stakemap row is compared with
    "click": "Bare Streamlit, click on the other page's link",
    "interaction": "Bare Streamlit, pick another colour",
    "cold start": "Bare Streamlit, cold start",
    "opened in a new browser": "Bare Streamlit, opened in a new browser",
}


def _target(n: int, kind: str) -> str:
    """Issue 31's target for a row, as a multiple of the bare app's."""
    if kind == "cold start":
        return "target <= 2x"
    if kind == "opened in a new browser":
        return "no target"
    if n <= 20:
        return "target <= 3x"
    return "target <= 5x" if n <= 2000 else "no target at this size"


def _rows(by_size: dict[int, dict[str, float]], bare: dict[str, float]) -> list[dict]:
    small = min(by_size)
    rows = [
        dict(
            benchmark="browser",
            measure=_BARE[key],
            value=round(bare[key], 3),
            unit="s",
            note="benchmarks/bare/app.py, in the same run; median of all its rounds",
        )
        for key in _BARE
        if key in bare
    ]
    for n, figures in by_size.items():
        for key, value in figures.items():
            if key.startswith("rss"):
                held = "three maps" if key.endswith("all maps") else "one map"
                if key.startswith("rss after pages"):
                    measure = f"server RSS after every page, {n:,} people, {held}"
                    note = (
                        f"the most VmRSS after a page or interaction was drawn, while the "
                        f"server held {held} of this size; target < 500 MB at 5,000"
                    )
                else:
                    measure = f"server peak RSS, {n:,} people, {held}"
                    note = (
                        f"VmHWM while the server held {held} of this size and their edits "
                        "(and the cold start's map); the peak of work under way, not after it"
                    )
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
            kind = "interaction" if what == "interaction" else "click"
            if "browser" in what:
                how, kind = "link opened to drawn, empty browser cache", what
            elif what == "cold start":
                how, kind = "server process started to the Map page drawn, new browser", what
            row = dict(benchmark="browser", measure=f"{measure}, {n:,} people",
                       value=round(value, 3), unit="s", note=how)  # fmt: skip
            if kind in bare:
                row["baseline"] = _BARE[kind]
                row["note"] = f"{how}; x{value / bare[kind]:.1f} of bare; {_target(n, kind)}"
            if n != small and by_size[small].get(key):
                row["note"] += f"; x{value / by_size[small][key]:.1f} of {small:,} people"
            rows.append(row)
    return rows


def run(quick: bool = False) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    sizes = QUICK_SIZES if quick else SIZES
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        bare = Bare(browser)
        try:
            by_size = {n: measure(n, 1 if quick else 3, browser, bare) for n in sizes}
            floor = bare.figures()
        finally:
            bare.close()
            browser.close()
    return _rows(by_size, floor)
