"""Calls into C code that holds Python's lock, run in a process of their own in the server.

Python runs one thread at a time, and a C library that never lets go of that lock (igraph's
layout, 0.27 s at 2,000 people and 0.54 s at 5,000) stalls every thread of the server for its
length: the click of anyone on any page waits before its run can even start (measured with a
server hook: a Map page click waited 176 ms for a layout of a new map worked out ahead). The
server (``serve.py``) calls :func:`work_apart`; from then on :func:`apart` hands such a call
to one worker process and the calling thread waits without the lock. Anywhere else (the
command line, the tests' in-process pages) it is a plain call. docs/speed.md, rule 18.

The worker is started by :func:`work_apart`, as the server starts, not at the first call: a
fresh interpreter (``spawn``) first runs the parent's main module again, and Streamlit makes
each page script run the ``__main__`` module while it runs. Started from a page's thread, the
worker ran app.py with all of Streamlit (1,900 modules, 2 s of CPU) before the first layout,
which a click on the Network page then waited for.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from stakemap.pacing import in_background

__all__ = ["apart", "work_apart", "working_apart"]

T = TypeVar("T")

_pool: ProcessPoolExecutor | None = None  # the worker, while calls are handed to it
_lock = threading.Lock()


def work_apart(on: bool = True) -> None:
    """From now on :func:`apart` runs its calls in the worker process (``on``: started here)
    or in the calling thread (off: the worker is shut down, its queues closed; the server's
    stop does this, serve.py)."""
    global _pool
    with _lock:
        if on and _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_in_worker,
                initargs=(os.getpid(),),
            )
            try:
                _pool.submit(int)  # the process starts now, with this process's main module
            except OSError:  # no process can be started here: the calls run here
                _pool = None
        if not on and _pool is not None:
            _pool.shutdown(cancel_futures=True)
            _pool = None


def working_apart() -> bool:
    """Whether :func:`apart` hands its calls to the worker process."""
    return _pool is not None


def apart(call: Callable[..., T], *args: object) -> T:
    """``call(*args)`` in the worker process when :func:`work_apart` is on, else here.

    ``call`` and its arguments must pickle (a module-level function, arrays, numbers). The
    worker is a fresh interpreter (nothing of the server's threads or memory is copied); if it
    could not start or has died, the call runs here, with the same result.

    >>> apart(divmod, 7, 2)
    (3, 1)
    """
    pool = _pool
    if pool is None:
        return call(*args)
    try:
        return pool.submit(call, *args).result()
    except (BrokenProcessPool, OSError):
        work_apart(False)  # a worker that died once is not restarted for every call
        return call(*args)


def _in_worker(server: int) -> None:
    """The worker's start: Ctrl-C is the server's to handle, and the worker ends when the
    server has gone, however it stopped (a terminated or killed server runs no shutdown). It
    runs below the server's pages (:func:`stakemap.pacing.in_background`): its layouts are
    mostly worked out ahead of them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    in_background(server)
    threading.Thread(target=_end_with, args=(server,), daemon=True).start()


def _end_with(server: int, every: float = 0.5) -> None:
    """Wait until the process ``server`` is no longer this one's parent, then end this one."""
    while os.getppid() == server:
        time.sleep(every)
    os._exit(0)
