"""Work done ahead gives way to page runs at its checkpoints, unless a page waits for it."""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest

from stakemap.pacing import BACKGROUND, checkpoint
from stakemap.store.placing import Activity, Ahead


def _steps(log: list[str], started: threading.Event, steps: int = 5):
    """Work of ``steps`` checkpoints that says when it started and when it ended."""

    def work() -> str:
        started.set()
        for _ in range(steps):
            checkpoint()
        log.append("work done")
        return "done"

    return work


def test_work_done_ahead_waits_at_its_checkpoints_while_a_page_runs():
    activity, log, started = Activity(), [], threading.Event()
    ahead = Ahead(activity)
    with activity.run():
        ahead.soon("plan", _steps(log, started), quiet=0.0)  # a page runs already
        assert started.wait(5)
        time.sleep(0.3)
        log.append("page done")
    assert ahead.get("plan", lambda: "again") == "done"
    assert log == ["page done", "work done"]


def test_work_a_page_waits_for_goes_on_while_pages_run():
    activity, log, started = Activity(), [], threading.Event()
    ahead = Ahead(activity)
    with activity.run():
        ahead.soon("plan", _steps(log, started), quiet=0.0)
        assert started.wait(5)
        start = time.monotonic()
        assert ahead.get("plan", lambda: "again") == "done"  # this page waits for it
        assert time.monotonic() - start < 2.0
    assert log == ["work done"]


def test_a_checkpoint_outside_work_done_ahead_does_nothing():
    activity = Activity()
    with activity.run():
        start = time.monotonic()
        for _ in range(100):
            checkpoint()
        assert time.monotonic() - start < 0.5


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a nice value per thread")
def test_work_done_ahead_runs_below_the_pages():
    """The threads of work done ahead run ten nice steps below the process's main thread, and
    the pages' threads as they were (docs/speed.md)."""
    main = os.getpriority(os.PRIO_PROCESS, os.getpid())
    ahead = Ahead(Activity())
    seen = ahead.get("nice", lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
    assert seen == main  # worked out in the asking thread: a page's run keeps its priority
    ahead.soon(
        "nice ahead", lambda: os.getpriority(os.PRIO_PROCESS, threading.get_native_id()), 0.0
    )
    assert ahead.get("nice ahead", lambda: None) == min(main + BACKGROUND, 19)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == main
