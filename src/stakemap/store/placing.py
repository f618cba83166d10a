"""Where everyone in a map version is drawn, worked out once per version; the layout drawn is
kept in the store.

A version that stores positions is drawn as stored, anyone it does not place put next to their
ties (:func:`stakemap.network.layout.complete_positions`), unless the stored positions have
collapsed onto one line: then it is drawn laid out afresh. A version that stores none is drawn
on the map's kept layout, completed the same way (and someone who had no tie in it goes next to
their ties once they have some), or, for a map never drawn, laid out afresh
(:func:`stakemap.network.layout.layout`). What a page draws becomes the map's kept layout
(``Store.keep_layout``), not a version: viewing saves nothing. A map typed in by hand, person
by person and then tie by tie, is therefore laid out as a whole when it is first drawn, and
from then on only people new to the drawing move.

The pages ask for a version's places when they draw (:meth:`Placer.place`); the app also asks
for them after a page has shown a version (:meth:`Placer.place_soon`), so that the layout of a
new map, a few tenths of a second at 2,000 people, is usually done before anyone opens the
Network page; the background keeps nothing, only a drawing fixes the picture. The background
waits until no page has run for a moment (:class:`Activity`): igraph's C code holds Python's
lock while it runs (in the server it runs in a worker process, :mod:`stakemap.apart`), and the
layout's Python parts share the one lock with the pages. A page that needs the places
meanwhile has them worked out at once. A version is placed once per process: a page that needs
them while the background is working them out waits for that work.
"""

from __future__ import annotations

import ctypes
import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

from stakemap.model import StakeholderMap
from stakemap.pacing import gated, in_background
from stakemap.store.maps import Store

__all__ = [
    "ACTIVITY",
    "AHEAD",
    "PLACER",
    "Activity",
    "Ahead",
    "Placer",
    "fewer_arenas",
    "give_back_memory",
    "giving_back",
    "needs_layout",
]

Positions = dict[str, tuple[float, float]]
T = TypeVar("T")


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


def give_back_memory() -> bool:
    """Hand the memory the heap has freed back to the operating system (glibc's
    ``malloc_trim(0)``, about 12 ms after a large plan); False where the C library has no such
    call. Work done ahead frees many small arrays (a plan of 1,000 steps at 5,000 people: the
    opinions after each step and the columns it solved, 100 MB), which glibc kept: the
    server's resident memory stayed at the plan's peak after every page (docs/speed.md).

    >>> give_back_memory() in (True, False)
    True
    """
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


#: glibc's ``mallopt`` parameter for the most arenas malloc keeps (M_ARENA_MAX).
_M_ARENA_MAX = -8


def fewer_arenas(most: int = 2) -> bool:
    """Let glibc's malloc keep at most ``most`` arenas (``mallopt(M_ARENA_MAX)``, what the
    ``MALLOC_ARENA_MAX`` variable sets at a program's start); False where the C library has
    no such call. Called by ``stakemap serve`` before the server starts its threads.

    glibc gives each thread that allocates an arena of its own, up to eight per core, and an
    arena keeps what its thread freed: each Streamlit script run is a new thread, and the
    background work (plans, layouts, drawings) runs in threads of its own, so a server that had
    shown a 5,000-person map held that much freed memory in several arenas at once.

    >>> fewer_arenas(8) in (True, False)
    True
    """
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    return bool(mallopt(_M_ARENA_MAX, most))


def giving_back(compute: Callable[..., T], *args: object) -> T:
    """``compute(*args)``, then :func:`give_back_memory` what it freed (even when it fails).

    >>> giving_back(sum, [1, 2])
    3
    """
    try:
        return compute(*args)
    finally:
        give_back_memory()


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


class Activity:
    """How many page runs are under way in this process, and since when none is; once none
    has run for ``trim_after`` seconds after one, the memory the runs freed is handed back to
    the system (:func:`give_back_memory`, in a thread of its own; None: never).

    >>> activity = Activity()
    >>> with activity.run():
    ...     activity.quiet_for()
    0.0
    >>> activity.quiet_for() >= 0
    True
    """

    def __init__(self, trim_after: float | None = None) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self._since = time.monotonic()
        self._trim_after = trim_after
        self._ran = threading.Event()  # a page run ended since the last trim
        self._trimmer: threading.Thread | None = None
        self._quiet_work: list[Callable[[], object]] = []

    def at_quiet(self, work: Callable[[], object]) -> None:
        """Also call ``work`` at each quiet moment after a page run, before the memory is
        handed back (the server's: ``serve.py``)."""
        self._quiet_work.append(work)

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
                if self._trim_after is not None:
                    self._ran.set()
                    if self._trimmer is None:
                        self._trimmer = threading.Thread(
                            target=self._trim_when_quiet, name="stakemap-trim", daemon=True
                        )
                        self._trimmer.start()

    def _trim_when_quiet(self) -> None:
        """Forever: after a page run, wait for a quiet moment, then hand memory back."""
        assert self._trim_after is not None
        while self._ran.wait():
            while self.quiet_for() < self._trim_after:
                time.sleep(max(self._trim_after / 4, 0.01))
            self._ran.clear()  # the runs ended so far: this trim hands back what they freed
            for work in self._quiet_work:
                work()
            give_back_memory()

    def quiet_for(self) -> float:
        """Seconds since the last page run ended; 0 while one runs."""
        with self._lock:
            return 0.0 if self._running else time.monotonic() - self._since

    def give_way(self, now: threading.Event, longest: float = 5.0) -> None:
        """Wait while a page runs, unless ``now`` is set (a page waits for this work), and at
        most ``longest`` seconds in all: the gate of work done ahead (:mod:`stakemap.pacing`).

        >>> activity, now = Activity(), threading.Event()
        >>> with activity.run():
        ...     start = time.monotonic()
        ...     activity.give_way(now, longest=0.05)
        ...     time.monotonic() - start >= 0.05
        True
        """
        deadline = time.monotonic() + longest
        while self._running and not now.is_set() and time.monotonic() < deadline:
            now.wait(0.01)

    def ahead(
        self, compute: Callable[[], T], quiet: float, patience: float, now: threading.Event
    ) -> T:
        """Work done ahead: ``compute()`` once quiet (:meth:`wait_quiet`), giving way to page
        runs at its checkpoints (:meth:`give_way`), then the memory it freed handed back."""
        self.wait_quiet(quiet, patience, now)
        with gated(functools.partial(self.give_way, now)):
            return giving_back(compute)

    def wait_quiet(self, quiet: float, patience: float, now: threading.Event) -> None:
        """Wait until no page has run for ``quiet`` seconds, or ``now`` is set, or
        ``patience`` seconds have passed."""
        deadline = time.monotonic() + patience
        while self.quiet_for() < quiet and time.monotonic() < deadline:
            if now.wait(0.05):
                return


def _work_out(store: Store, map_id: int, data: StakeholderMap, version: int) -> Positions:
    """The version's places: its stored ones completed, else the map's kept layout completed
    (people who had no tie then go next to their ties if they have some now), else a layout."""
    # imported at first use: networkx, scipy and igraph were 0.6 s of a server's first page,
    # which lays nothing out itself (docs/speed.md)
    from stakemap.network.layout import complete_positions, untied

    if not needs_layout(data):
        return complete_positions(data)
    kept = store.kept_layout(map_id)
    if kept is None:
        return complete_positions(data)
    return complete_positions(data, kept[1], loose=untied(store.load(map_id, kept[0]).data))


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
        self._drawn: set[tuple[str, int, int]] = set()  # versions whose layout is kept
        self._worker = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="stakemap-placing", initializer=in_background
        )

    def place(self, store: Store, map_id: int, version: int, data: StakeholderMap) -> Positions:
        """Everyone's position in this version, waiting for work under way if there is some."""
        key = self._key(store, map_id, version)
        with self._lock:
            job = self._jobs.get(key)
        placed = None
        if job is not None:
            future, now = job
            now.set()  # a page is waiting: no more waiting for a quiet moment
            try:
                placed = future.result()
            except Exception:  # the background run failed: run it here, where a failure shows
                with self._lock:
                    self._jobs.pop(key, None)
        if placed is None:
            placed = _work_out(store, map_id, data, version)
            done: Future = Future()
            done.set_result(placed)
            with self._lock:
                self._jobs.setdefault(key, (done, threading.Event()))
                self._trim()
        self._keep_drawn(store, key, data, placed)
        return placed

    def _keep_drawn(
        self, store: Store, key: tuple[str, int, int], data: StakeholderMap, placed: Positions
    ) -> None:
        """Keep a drawn version's layout as the map's (once per version and process)."""
        with self._lock:
            if key in self._drawn or not needs_layout(data):
                return
            self._drawn.add(key)
        store.keep_layout(key[1], key[2], placed)

    def place_soon(
        self, store: Store, map_id: int, version: int, data: StakeholderMap, quiet: float
    ) -> None:
        """Work this version's places out in the background once no page has run for
        ``quiet`` seconds (or a page asks for them, or :attr:`PATIENCE` runs out)."""
        if not needs_layout(data):
            return
        now = threading.Event()

        def later() -> Positions:
            work = functools.partial(_work_out, store, map_id, data, version)
            return self._activity.ahead(work, quiet, self.PATIENCE, now)

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
            self._drawn.discard(self._jobs.popitem(last=False)[0])


class Ahead:
    """Values worked out once per key, in the background at a quiet moment before a page asks
    for them (:meth:`soon`), or when one asks (:meth:`get`): the last ``keep`` keys are kept,
    and fewer when their ``weight`` (the people of the map each was worked out for) comes to
    more than ``budget``: the last one is always kept.

    A page asking for a value being worked out waits for it; one asking for a value nobody
    started, or one still queued behind other work ahead, works it out itself, in its run.

    >>> ahead = Ahead(Activity())
    >>> ahead.soon("two", lambda: 1 + 1, quiet=0.0)
    >>> ahead.get("two", lambda: 0), ahead.get("three", lambda: 3), ahead.get("three", lambda: 0)
    (2, 3, 3)
    >>> small = Ahead(Activity(), budget=10)
    >>> small.get("big", lambda: 1, weight=6), small.get("bigger", lambda: 2, weight=6)
    (1, 2)
    >>> small.get("big", lambda: "again", weight=6)
    'again'
    """

    def __init__(
        self,
        activity: Activity,
        keep: int = 32,
        patience: float = 10.0,
        budget: int | None = None,
    ) -> None:
        self._activity = activity
        self._keep = keep
        self._budget = budget
        self._patience = patience
        self._lock = threading.Lock()
        self._jobs: OrderedDict[object, tuple[Future, threading.Event]] = OrderedDict()
        self._weights: dict[object, int] = {}
        self._worker = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="stakemap-ahead", initializer=in_background
        )

    def soon(
        self, key: object, compute: Callable[[], object], quiet: float, weight: int = 1
    ) -> None:
        """Work ``compute()`` out for ``key`` once no page has run for ``quiet`` seconds (or a
        page asks for it, or the patience runs out), unless it is known or under way."""
        now = threading.Event()

        def later() -> object:
            return self._activity.ahead(compute, quiet, self._patience, now)

        with self._lock:
            if key not in self._jobs:
                self._jobs[key] = (self._worker.submit(later), now)
                self._weights[key] = weight
                self._trim()

    def get(self, key: object, compute: Callable[[], T], weight: int = 1) -> T:
        """The value for ``key``: waited for if under way (it starts at once), else
        ``compute()`` here and kept."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and job[0].cancel():  # queued behind other work: do it here
                del self._jobs[key]
                self._weights.pop(key, None)
                job = None
            elif job is not None:
                self._jobs.move_to_end(key)
        if job is not None:
            job[1].set()
            return job[0].result()
        value = giving_back(compute)
        done: Future = Future()
        done.set_result(value)
        with self._lock:
            if key not in self._jobs:
                self._jobs[key] = (done, threading.Event())
                self._weights[key] = weight
            self._trim()
        return value

    def _trim(self) -> None:
        budget = self._budget
        while len(self._jobs) > self._keep or (
            budget is not None and len(self._jobs) > 1 and sum(self._weights.values()) > budget
        ):
            self._weights.pop(self._jobs.popitem(last=False)[0], None)


#: This server process's page runs (app.py counts them) and its placer, shared by every session.
#: As soon as a page run ends, what it freed goes back to the system, in the trimming thread
#: while Streamlit finishes the run: a page's own work (the Data page's tables, the lens chart
#: at 5,000 people) left tens of megabytes that glibc kept until the next work done ahead
#: ended, if any did; a tenth of a second later was after the page was drawn.
ACTIVITY = Activity(trim_after=0.0)
PLACER = Placer(ACTIVITY)
#: Work done ahead of the pages (plans), shared by every session, weighed by the map's people:
#: a plan of a 5,000-person map is 1.3 MB (measured deep, 1,017 steps), so 32 of them were
#: 42 MB; 40,000 people's worth keeps eight at 5,000 people (10 MB), 32 up to 1,250.
AHEAD = Ahead(ACTIVITY, budget=40_000)
#: The network's drawings and measures, worked out ahead in a thread of their own (a plan can
#: take seconds); few kept, weighed by the map's people: at 5,000 people a drawing is 3.6-5.4
#: MB and its measures 0.4 MB, so 20,000 people's worth keeps two versions' (12 MB).
DRAWINGS = Ahead(ACTIVITY, keep=6, budget=20_000)
