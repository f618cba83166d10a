"""Where everyone in a map version is drawn, worked out once per version and kept in the store.

A version that stores positions is drawn as stored, anyone it does not place put next to their
ties (:func:`network.complete_positions`). A version that stores none is drawn on the map's
kept layout, completed the same way, or for a map never laid out, laid out afresh
(:func:`network.layout`), and the result kept with the map (``Store.keep_layout``), not saved
as a version: viewing saves nothing.

The pages ask for a version's places when they draw (:meth:`Placer.place`); the app also asks
for them after a page has shown a version (:meth:`Placer.place_soon`), so that the layout of a
new map, a few tenths of a second at 2,000 people, is usually done before anyone opens the
Network page. The layout holds Python's lock while it runs (igraph's C code), so the background
waits until no page has run for a moment (:class:`Activity`), and a page that needs the
places meanwhile has them worked out at once. A version is placed once per process: a page
that needs them while the background is working them out waits for that work.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

from stakemap.model import StakeholderMap
from stakemap.network.layout import complete_positions
from stakemap.store.maps import Store

__all__ = ["ACTIVITY", "PLACER", "Activity", "Placer", "needs_layout"]

Positions = dict[str, tuple[float, float]]


def needs_layout(m: StakeholderMap) -> bool:
    """Whether drawing ``m`` needs a layout: it has people and stores no position at all (a
    version that stores some has the others placed next to their ties, which is quick).

    >>> from stakemap.model import Stakeholder
    >>> two = (Stakeholder("A"), Stakeholder("B"))
    >>> needs_layout(StakeholderMap(two, positions={"A": (0.0, 0.0)}))
    False
    >>> needs_layout(StakeholderMap(two)), needs_layout(StakeholderMap())
    (True, False)
    """
    return bool(m.stakeholders) and not m.positions


class Activity:
    """How many page runs are under way in this process, and since when none is.

    >>> activity = Activity()
    >>> with activity.run():
    ...     activity.quiet_for()
    0.0
    >>> activity.quiet_for() >= 0
    True
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._since = time.monotonic()

    @contextmanager
    def run(self) -> Iterator[None]:
        """Count a page run while the block runs."""
        with self._lock:
            self._running += 1
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1
                self._since = time.monotonic()

    def quiet_for(self) -> float:
        """Seconds since the last page run ended; 0 while one runs."""
        with self._lock:
            return 0.0 if self._running else time.monotonic() - self._since


def _work_out(store: Store, map_id: int, data: StakeholderMap, version: int) -> Positions:
    if not needs_layout(data):
        return complete_positions(data)
    kept = store.kept_layout(map_id)
    placed = complete_positions(data, kept[1] if kept else None)
    store.keep_layout(map_id, version, placed)
    return placed


class Placer:
    """The places of the last ``keep`` versions asked for; one worker thread for the background.

    >>> store = Store("sqlite://")
    >>> from stakemap.model import Relationship, Stakeholder
    >>> m = StakeholderMap((Stakeholder("A"), Stakeholder("B")), (Relationship("A", "B"),))
    >>> map_id = store.create("Demo", m)
    >>> placer = Placer(Activity())
    >>> placer.place_soon(store, map_id, 1, m, quiet=0.0)
    >>> places = placer.place(store, map_id, 1, m)
    >>> sorted(places) == ["A", "B"] and store.kept_layout(map_id) == (1, places)
    True
    """

    #: The longest the background waits for a quiet moment before it lays out anyway.
    PATIENCE = 10.0

    def __init__(self, activity: Activity, keep: int = 32) -> None:
        self._activity = activity
        self._keep = keep
        self._lock = threading.Lock()
        self._jobs: OrderedDict[tuple[str, int, int], tuple[Future, threading.Event]] = (
            OrderedDict()
        )
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stakemap-placing")

    def place(self, store: Store, map_id: int, version: int, data: StakeholderMap) -> Positions:
        """Everyone's position in this version, waiting for work under way if there is some."""
        key = self._key(store, map_id, version)
        with self._lock:
            job = self._jobs.get(key)
        if job is not None:
            future, now = job
            now.set()  # a page is waiting: no more waiting for a quiet moment
            try:
                return future.result()
            except Exception:  # the background run failed: run it here, where a failure shows
                with self._lock:
                    self._jobs.pop(key, None)
        placed = _work_out(store, map_id, data, version)
        done: Future = Future()
        done.set_result(placed)
        with self._lock:
            self._jobs.setdefault(key, (done, threading.Event()))
            self._trim()
        return placed

    def place_soon(
        self, store: Store, map_id: int, version: int, data: StakeholderMap, quiet: float
    ) -> None:
        """Work this version's places out in the background once no page has run for
        ``quiet`` seconds (or a page asks for them, or :attr:`PATIENCE` runs out)."""
        if not needs_layout(data):
            return
        now = threading.Event()

        def later() -> Positions:
            deadline = time.monotonic() + self.PATIENCE
            while self._activity.quiet_for() < quiet and time.monotonic() < deadline:
                if now.wait(0.05):
                    break
            return _work_out(store, map_id, data, version)

        key = self._key(store, map_id, version)
        with self._lock:
            if key not in self._jobs:
                self._jobs[key] = (self._worker.submit(later), now)
                self._trim()

    def pending(self, store: Store, map_id: int, version: int) -> bool:
        """Whether this version's places are being, or have been, worked out."""
        with self._lock:
            return self._key(store, map_id, version) in self._jobs

    def _key(self, store: Store, map_id: int, version: int) -> tuple[str, int, int]:
        return str(store.engine.url), map_id, version

    def _trim(self) -> None:
        while len(self._jobs) > self._keep:
            self._jobs.popitem(last=False)


#: This server process's page runs (app.py counts them) and its placer, shared by every session.
ACTIVITY = Activity()
PLACER = Placer(ACTIVITY)
