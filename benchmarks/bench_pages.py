"""Where each page's server time goes: a profile of every page at 20 and 2,000 people.

Each page (Map, Network, Plan, Data, Export, Workshop) runs in Streamlit's AppTest (app.py,
sidebar included) on a fresh SQLite database holding the map of
:func:`bench_plan.everyone_decides`. A page is timed on a new map: its *first run* and a
*rerun* with nothing changed, each once without the profiler (the row's value, seconds of
``AppTest.run``) and once more under cProfile around the script thread's
``exec_func_with_error_handling`` (the note: where the time goes). The profiled runs come
first, so the 20-person rows' profiles carry the imports a page does on its first run in a
process (the Map page's first run also app.py's and the sidebar's); the 2,000-person rows' have
none left to do. Each pass is on a map of its own (the same map saved again): no layout, plan
or file of it is stored or cached yet.

The profile's time is shared out in buckets, each function's own time to the bucket of its
context (gprof-style: a function called from several places shares its time out as its calls'
time did; the innermost classified frame wins, an import wins over everything under it):

- *import*: module bodies run by an import (a deferred import on the page, or the first run's);
- *store*: :mod:`stakemap.store` and what it calls (SQLAlchemy, SQLite);
- *derived*: Stakemap's computing (planning, lenses, network, files, room; the largest named);
- *chart*: chart specs, Altair and Stakemap's chart builders (lenses/chart, network/drawing,
  room/charts);
- *streamlit*: Streamlit's own work (marshalling elements into deltas, widgets, caching);
- *other*: the page's own code (views/, stakemap/ui) and the libraries it calls directly.

The profiler's overhead is in the profiled seconds (calls into Altair and jsonschema are many and
small, so the chart bucket is inflated most). *sent*: the serialised size of the ForwardMsgs
the run produced (``len(msg.SerializeToString())``, before the server's message cache).
The note also names the Stakemap function with the most time of its own and in the libraries
it calls (its inclusive time less that of the Stakemap functions it calls).
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("map", "network", "plan", "data", "export", "workshop")
SIZES = (20, 2000)
QUICK_SIZES = (20, 200)
BUCKETS = ("import", "store", "derived", "chart", "streamlit", "other")
_CHART_FILES = ("lenses/chart.py", "network/drawing.py", "network/picture.py", "room/charts.py")


def _own_bucket(filename: str, function: str) -> str | None:
    """The bucket a function belongs to by its own file, None for a library without one."""
    path = filename.replace("\\", "/")
    if path.startswith("<frozen importlib"):
        return "import"
    if "/stakemap/" in path:
        if function == "<module>":
            return "import"
        tail = path.split("/stakemap/", 1)[1]
        if tail.startswith("store/"):
            return "store"
        if tail.endswith(_CHART_FILES):
            return "chart"
        if tail.startswith(("ui/", "language")):
            return "other"
        return "derived:" + tail.split("/", 1)[0].removesuffix(".py")
    if path == str(ROOT / "app.py") or path.startswith(str(ROOT / "views")):
        return "other"  # the page scripts, run by exec() from Streamlit, not imported
    if function == "<module>":
        return "import"
    if "/altair/" in path or "/vega_datasets/" in path or "/narwhals/" in path:
        return "chart"
    if "/streamlit/" in path:
        return "streamlit"
    return None


def _stakemap_name(func: tuple) -> str | None:
    """``lenses/chart.py:lens_chart`` for a Stakemap function (not a module body), else None."""
    path = func[0].replace("\\", "/")
    if "/stakemap/" not in path or func[2] == "<module>":
        return None
    return f"{path.split('/stakemap/', 1)[1]}:{func[2]}"


def buckets(stats: pstats.Stats) -> tuple[dict[str, float], dict[str, float]]:
    """Seconds per bucket (``derived`` split by subpackage as ``derived:planning``), and per
    Stakemap function the time spent in it and in the libraries it calls (not in other Stakemap
    functions)."""
    table = stats.stats  # func -> (cc, nc, tt, ct, callers{caller: (cc, nc, tt, ct)})
    contexts: dict[tuple, Counter] = {}
    busy: set[tuple] = set()

    def context(func) -> Counter:
        """Share of ``func``'s time in each context: (bucket, nearest Stakemap function)."""
        if func in contexts:
            return contexts[func]
        busy.add(func)
        own = _own_bucket(func[0], func[2])
        name = _stakemap_name(func)
        mix: Counter = Counter()
        for caller, edge in table[func][4].items():
            if caller == func or caller in busy or caller not in table:
                continue
            for (bucket, owner), share in context(caller).items():
                bucket = bucket if bucket == "import" or own is None else own
                mix[bucket, name or owner] += edge[3] * share
        total = sum(mix.values())
        busy.discard(func)
        if total > 0:
            contexts[func] = Counter({key: value / total for key, value in mix.items()})
        else:
            contexts[func] = Counter({(own or "other", name): 1.0})
        return contexts[func]

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20_000))
    try:
        seconds: Counter = Counter()
        owners: Counter = Counter()
        for func, (_cc, _nc, tt, _ct, _callers) in table.items():
            for (bucket, owner), share in context(func).items():
                seconds[bucket] += tt * share
                if owner:
                    owners[owner] += tt * share
    finally:
        sys.setrecursionlimit(limit)
    return dict(seconds), dict(owners)


def _note(profiled: float, seconds: dict[str, float], own: dict[str, float], sent: int) -> str:
    derived = {k.split(":", 1)[1]: v for k, v in seconds.items() if k.startswith("derived:")}
    parts = []
    for bucket in BUCKETS:
        value = sum(derived.values()) if bucket == "derived" else seconds.get(bucket, 0.0)
        part = f"{bucket} {value:.2f} s"
        if bucket == "derived" and derived:
            part += f" ({max(derived, key=derived.get)})"
        parts.append(part)
    top = max(own, key=own.get) if own else "none"
    return (
        f"profiled {profiled:.2f} s: {', '.join(parts)}; sent {sent / 1e3:.0f} kB; "
        f"top Stakemap function {top} {own.get(top, 0.0):.2f} s"
    )


class _Probe:
    """cProfile around the script thread's run, and the size of the messages it sent."""

    def __init__(self) -> None:
        import streamlit.runtime.scriptrunner.script_runner as script_runner
        import streamlit.testing.v1.local_script_runner as local

        self.profile: cProfile.Profile | None = None
        self.profiling = False
        self.sent = 0
        original_exec = script_runner.exec_func_with_error_handling
        original_parse = local.parse_tree_from_messages

        def exec_profiled(func, ctx):
            if not self.profiling:
                return original_exec(func, ctx)
            self.profile = cProfile.Profile()
            self.profile.enable()
            try:
                return original_exec(func, ctx)
            finally:
                self.profile.disable()

        def parse_measured(messages):
            self.sent = sum(len(message.SerializeToString()) for message in messages)
            return original_parse(messages)

        script_runner.exec_func_with_error_handling = exec_profiled
        local.parse_tree_from_messages = parse_measured


def _run(at, probe: _Probe, profile: bool) -> float:
    probe.profiling = profile
    start = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - start
    probe.profiling = False
    if at.exception:
        raise RuntimeError(f"{at.exception[0].message}: {at.exception[0].stack_trace}")
    return seconds


def measure(people: int, store, probe: _Probe, data) -> list[dict]:
    """The rows of every page at one size, in a new AppTest session (a new browser tab)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    rows = []
    for page in PAGES:
        at.switch_page(f"views/{page}.py")
        figures = {}
        for profile in (True, False):  # profiled first: it carries the page's first imports
            # a map of its own (the same data saved again): nothing derived from it is cached
            # or stored yet (its layout, its plan), as on the first visit after an edit
            name = f"Generated {people} ({page}{', profiled' if profile else ''})"
            at.session_state["map_id"] = store.create(name, data, "benchmark")
            figures["first run", profile] = (_run(at, probe, profile), probe.profile, probe.sent)
            figures["rerun", profile] = (_run(at, probe, profile), probe.profile, probe.sent)
        for label in ("first run", "rerun"):
            seconds, _, sent = figures[label, False]
            _, profile, _ = figures[label, True]
            stats = pstats.Stats(profile)
            split, own = buckets(stats)
            rows.append(
                dict(
                    benchmark="pages",
                    measure=f"{page.title()} {label}, {people:,} people",
                    value=round(seconds, 3),
                    unit="s",
                    note=_note(stats.total_tt, split, own, sent),
                )
            )
            print(f"    {rows[-1]['measure']}: {rows[-1]['value']} s", file=sys.stderr, flush=True)
    return rows


def run(quick: bool = False) -> list[dict]:
    sys.path.insert(0, str(ROOT))
    rows = []
    before = os.environ.get("STAKEMAP_DATABASE_URL")
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'pages.sqlite'}"
        os.environ["STAKEMAP_DATABASE_URL"] = url  # the app's store, read by app.py
        try:
            from bench_plan import everyone_decides

            from stakemap.store.maps import Store

            store = Store(url)
            store.claim_first_start()  # no sample maps: the benchmark's maps alone
            probe = _Probe()
            for people in QUICK_SIZES if quick else SIZES:
                rows += measure(people, store, probe, everyone_decides(people))
        finally:
            if before is None:
                os.environ.pop("STAKEMAP_DATABASE_URL", None)
            else:
                os.environ["STAKEMAP_DATABASE_URL"] = before
    return rows
