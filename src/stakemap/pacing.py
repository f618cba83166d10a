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

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["checkpoint", "gated"]

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
