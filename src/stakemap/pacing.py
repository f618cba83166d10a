"""Long work done ahead gives way to the pages: a checkpoint it passes between its steps.

Work done ahead of a page (a plan, the network's drawing and measures: ``stakemap.store.placing``)
runs in a thread of the server, and Python runs one thread at a time: a plan of 2,000 people
worked out while a page ran took half of every second from that page. The long loops call
:func:`checkpoint` between steps; in a thread running work that nobody waits for yet, the
server installs a gate (:func:`gated`) that holds the work there while a page runs. Anywhere
else (the command line, tests, a page's own run) a checkpoint does nothing. See docs/speed.md.

>>> held = []
>>> with gated(lambda: held.append("a page ran first")):
...     checkpoint()
>>> checkpoint()
>>> held
['a page ran first']
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["checkpoint", "gated", "in_background"]

#: Nice steps below the server's main thread for work done ahead: a thread at +10 gets about a
#: tenth of a busy core against one at +0 (the kernel's weights, 110 against 1024).
BACKGROUND = 10

_here = threading.local()


def checkpoint() -> None:
    """Wait at this thread's gate, if it has one (see the module docstring)."""
    gate = getattr(_here, "gate", None)
    if gate is not None:
        gate()


@contextmanager
def gated(gate: Callable[[], None]) -> Iterator[None]:
    """Make :func:`checkpoint` call ``gate`` in this thread while the block runs."""
    outer = getattr(_here, "gate", None)
    _here.gate = gate
    try:
        yield
    finally:
        _here.gate = outer


def in_background(process: int | None = None) -> None:
    """Run the calling thread :data:`BACKGROUND` nice steps below the main thread of
    ``process`` (by default this one), or lower if it already is: work done ahead then takes
    a core only when no page run, no other process (a browser drawing the page just sent, on
    the same machine) wants it. Linux keeps a nice value per thread; elsewhere nothing changes.
    Lowering a priority needs no privilege, raising it back would: it is for threads and
    processes that only ever do such work.

    >>> done = []
    >>> worker = threading.Thread(target=lambda: done.append(in_background()))
    >>> worker.start(), worker.join(), done
    (None, None, [None])
    """
    if not sys.platform.startswith("linux"):
        return
    me = threading.get_native_id()
    with contextlib.suppress(OSError):
        start = os.getpriority(os.PRIO_PROCESS, process or os.getpid())
        lower = max(os.getpriority(os.PRIO_PROCESS, me), min(start + BACKGROUND, 19))
        os.setpriority(os.PRIO_PROCESS, me, lower)
