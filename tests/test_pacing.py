"""Work done ahead gives way to page runs at its checkpoints, unless a page waits for it."""

from __future__ import annotations

import threading
import time

from stakemap.pacing import checkpoint
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
